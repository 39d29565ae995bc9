"""SSO with OpenID Connect: login redirect, the provider's callback, and the newcomer's customer data."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field

from evharness.reference_backend.api.deps import ConsoleDep
from evharness.reference_backend.api.errors import REFUSALS
from evharness.reference_backend.api.models import Me, Name, Session, Token
from evharness.reference_backend.api.registration import Properties
from evharness.reference_backend.console import sso
from evharness.reference_backend.console.context import SESSION_TTL
from evharness.reference_backend.domain.onboarding import REQUIRED_PROPERTIES, AccountType

router = APIRouter(prefix="/sso", tags=["sso"], responses=REFUSALS)

Param = Annotated[str | None, Query(max_length=2000)]


class SsoResult(BaseModel):
    """`logged_in` with a session, or `registration_required` with a token for POST /api/sso/registrations."""

    status: str
    token: str | None = None
    expires_in: int | None = None
    me: Me | None = None
    registration_token: str | None = None
    email: str | None = None
    name: str | None = None
    required_properties: dict[str, list[str]] | None = None


class SsoRegistration(BaseModel):
    token: Token
    account_type: AccountType
    name: Name | None = None
    properties: Properties = Properties()
    accepted_agreements: Annotated[list[int], Field(max_length=50)] = []


@router.get("/login", status_code=status.HTTP_302_FOUND, response_class=RedirectResponse)
def login(console: ConsoleDep) -> RedirectResponse:
    """Redirect to the identity provider (authorization code flow with state, nonce and PKCE)."""
    return RedirectResponse(sso.begin(console), status_code=status.HTTP_302_FOUND)


@router.get("/callback")
def callback(
    console: ConsoleDep,
    state: Annotated[str, Query(min_length=1, max_length=200)],
    code: Param = None,
    error: Param = None,
) -> SsoResult:
    """Where the provider sends the browser back: the code is exchanged and the ID token verified."""
    outcome = sso.finish(console, code, state, error)
    if outcome.session is not None:
        token, caller = outcome.session
        return SsoResult(
            status="logged_in", token=token, expires_in=int(SESSION_TTL.total_seconds()), me=Me.of(caller)
        )
    return SsoResult(
        status="registration_required",
        registration_token=outcome.registration_token,
        email=outcome.email,
        name=outcome.name,
        required_properties={t.value: list(REQUIRED_PROPERTIES[t]) for t in sso.SSO_ACCOUNT_TYPES},
    )


@router.post("/registrations", status_code=status.HTTP_201_CREATED)
def register(body: SsoRegistration, console: ConsoleDep) -> Session:
    """The missing customer data: the customer company and its (SSO-only) user are created."""
    token, caller = sso.register(
        console,
        body.token,
        body.account_type,
        body.name,
        body.properties.model_dump(),
        body.accepted_agreements,
    )
    return Session(token=token, expires_in=int(SESSION_TTL.total_seconds()), me=Me.of(caller))
