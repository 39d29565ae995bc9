"""Accounts: sign up, confirm, resend, session (login / logout), profile, password reset."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import BaseModel

from evharness.reference_backend.api.deps import AnyCallerDep, ConsoleDep, client_address
from evharness.reference_backend.api.errors import REFUSALS
from evharness.reference_backend.api.models import Accepted, Email, Me, Name, Password, Session, Token
from evharness.reference_backend.console import accounts
from evharness.reference_backend.console.context import SESSION_TTL

router = APIRouter(tags=["accounts"], responses=REFUSALS)

TokenQuery = Annotated[str, Query(min_length=1, max_length=200, description="the token of the emailed link")]


class SignUp(BaseModel):
    email: Email
    name: Name
    password: Password


class EmailOnly(BaseModel):
    email: Email


class Credentials(BaseModel):
    email: Email
    password: Password


class TokenBody(BaseModel):
    token: Token


class NewPassword(BaseModel):
    token: Token
    password: Password


class Confirmed(BaseModel):
    email: str
    confirmed: bool = True


class LinkValid(BaseModel):
    email: str
    valid: bool = True


@router.post("/accounts", status_code=status.HTTP_202_ACCEPTED)
def sign_up(body: SignUp, console: ConsoleDep) -> Accepted:
    """Create an account; a single-use, expiring confirmation link goes to the address.

    The answer is the same whether or not the address has an account already (no user enumeration):
    the owner of a taken address gets an email saying so instead.
    """
    accounts.sign_up(console, body.email, body.name, body.password)
    return Accepted(detail="check your mailbox: the confirmation link is on its way")


@router.post("/accounts/confirmation", status_code=status.HTTP_202_ACCEPTED)
def resend_confirmation(body: EmailOnly, console: ConsoleDep) -> Accepted:
    """Send a new confirmation link to an unconfirmed account (same answer for any address)."""
    accounts.resend_confirmation(console, body.email)
    return Accepted(detail="if the address has an unconfirmed account, a new link is on its way")


@router.get("/links/confirm")
def confirm_link(token: TokenQuery, console: ConsoleDep) -> Confirmed:
    """The confirmation link itself: opening it confirms the account (once)."""
    return Confirmed(email=accounts.confirm(console, token))


@router.post("/accounts/confirm")
def confirm(body: TokenBody, console: ConsoleDep) -> Confirmed:
    """The same as opening the link, for clients that post the token."""
    return Confirmed(email=accounts.confirm(console, body.token))


@router.post("/session", status_code=status.HTTP_201_CREATED)
def log_in(body: Credentials, request: Request, console: ConsoleDep) -> Session:
    """Log in: a bearer token for `Authorization: Bearer …`. Rate-limited per account and per client."""
    token, caller = accounts.log_in(console, body.email, body.password, client_address(request))
    return Session(token=token, expires_in=int(SESSION_TTL.total_seconds()), me=Me.of(caller))


@router.delete("/session", status_code=status.HTTP_204_NO_CONTENT)
def log_out(caller: AnyCallerDep, console: ConsoleDep) -> Response:
    accounts.log_out(console, caller)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me")
def me(caller: AnyCallerDep) -> Me:
    """Who I am, my companies and roles, and the agreements I still must accept."""
    return Me.of(caller)


@router.post("/accounts/password-reset", status_code=status.HTTP_202_ACCEPTED)
def request_password_reset(body: EmailOnly, console: ConsoleDep) -> Accepted:
    """Mail a password reset link (same answer for any address)."""
    accounts.request_password_reset(console, body.email)
    return Accepted(detail="if the address has an account, a reset link is on its way")


@router.get("/links/reset")
def reset_link(token: TokenQuery, console: ConsoleDep) -> LinkValid:
    """Whether a reset link can still be used; POST the new password to /accounts/password-reset/complete."""
    return LinkValid(email=accounts.check_reset_link(console, token))


@router.post("/accounts/password-reset/complete", status_code=status.HTTP_204_NO_CONTENT)
def complete_password_reset(body: NewPassword, console: ConsoleDep) -> Response:
    """Set the new password; every session of the account ends."""
    accounts.complete_password_reset(console, body.token, body.password)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
