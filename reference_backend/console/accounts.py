"""Accounts (seed 000): sign up, confirm, resend, log in and out, reset the password.

No user enumeration: sign-up, resend and reset answer the same whether or not the address has an
account; what differs goes into the email, which only the mailbox's owner reads. A login that fails
says "email or password is wrong" for both, and costs one argon2 verification either way.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from evharness.reference_backend.console import links
from evharness.reference_backend.console.caller import Caller
from evharness.reference_backend.console.context import SESSION_TTL, Console
from evharness.reference_backend.console.mail import Message
from evharness.reference_backend.domain import validation as v
from evharness.reference_backend.domain.onboarding import Status
from evharness.reference_backend.domain.problems import Forbidden, NotAuthenticated, TooManyAttempts
from evharness.reference_backend.domain.tokens import new_token, token_hash
from evharness.reference_backend.persistence.console import ConsoleTx


def sign_up(console: Console, email: str, name: str, password: str) -> None:
    """Create an unconfirmed account and mail its confirmation link (or, if taken, tell the owner)."""
    address = v.normalise_email(email)
    person = v.check_name(name)
    v.check_password(password, address)
    password_hash = console.passwords.hash(password)
    try:
        with console.store.begin() as tx:
            if tx.user_by_email(address) is not None:
                message = _already_registered(console, address)
            else:
                user_id = tx.add_user(address, person, password_hash, console.now())
                token = links.issue(console, tx, "confirm", address, user_id=user_id)
                message = _confirmation(console, address, person, token)
    except sa.exc.IntegrityError:  # the same address signed up concurrently
        message = _already_registered(console, address)
    console.send(message)


def resend_confirmation(console: Console, email: str) -> None:
    address = v.normalise_email(email)
    with console.store.begin() as tx:
        user = tx.user_by_email(address)
        if user is None or user.confirmed_at is not None:
            return
        token = links.issue(console, tx, "confirm", address, user_id=user.id)
    console.send(_confirmation(console, address, user.name, token))


def confirm(console: Console, token: str) -> str:
    """Confirm the account of a confirmation link; its email address."""
    with console.store.begin() as tx:
        link = links.use(tx, "confirm", token, console.now())
        assert link.user_id is not None
        tx.confirm_user(link.user_id, console.now())
    return link.email


WRONG_OR_UNCONFIRMED = (
    "email or password is wrong, or the email address is not confirmed yet (follow the link we sent, "
    "or ask for a new one)"
)


def log_in(console: Console, email: str, password: str, client: str) -> tuple[str, Caller]:
    """A new session token, after the per-client and per-account limits and the password check."""
    now = console.monotonic()
    account = email.strip().lower()
    with console.limits_lock:
        wait = console.client_attempts.retry_after(client, now)
        if wait:
            raise TooManyAttempts(f"too many login attempts from this client: try again in {wait} s", wait)
        console.client_attempts.hit(client, now)
        wait = console.account_failures.retry_after(account, now)
        if wait:
            raise TooManyAttempts(f"too many failed logins for this account: try again in {wait} s", wait)
        # Counted as failed until proven otherwise: parallel guesses cannot slip past the limit.
        console.account_failures.hit(account, now)
    with console.store.begin() as tx:
        user = tx.user_by_email(account)
    right = console.passwords.verify(user.password_hash if user else None, password)
    if not right or user is None or user.confirmed_at is None:
        # One answer for a wrong password and an unconfirmed account: the password of an account that
        # is not confirmed yet cannot be tested here, and the failure stays counted.
        raise NotAuthenticated(WRONG_OR_UNCONFIRMED)
    with console.limits_lock:
        console.account_failures.clear(account)
    with console.store.begin() as tx:
        return start_session(console, tx, user.id)


def start_session(console: Console, tx: ConsoleTx, user_id: int) -> tuple[str, Caller]:
    """Open a session for a user who proved who they are (password, email link or SSO)."""
    _check_may_use_platform(tx, user_id)
    token = new_token()
    at = console.now()
    tx.add_session(token_hash(token), user_id, at, at + SESSION_TTL)
    caller = load_caller(tx, token_hash(token), user_id)
    return token, caller


def authenticate(console: Console, token: str) -> Caller:
    hashed = token_hash(token)
    with console.store.begin() as tx:
        user_id = tx.session_user(hashed, console.now())
        if user_id is None:
            raise NotAuthenticated("not logged in, or the session expired: POST /api/session")
        _check_may_use_platform(tx, user_id)
        return load_caller(tx, hashed, user_id)


def load_caller(tx: ConsoleTx, hashed: str, user_id: int) -> Caller:
    user = tx.user(user_id)
    assert user is not None
    memberships = tuple(tx.memberships(user_id))
    types = sorted({m.company.type for m in memberships if m.company.status == Status.ACTIVE})
    accepted = tx.accepted_ids(user_id)
    pending = tuple(a for a in tx.current_agreements(types) if a.id not in accepted)
    return Caller(user, memberships, pending, hashed)


def log_out(console: Console, caller: Caller) -> None:
    with console.store.begin() as tx:
        tx.end_session(caller.token_hash)


def request_password_reset(console: Console, email: str) -> None:
    address = v.normalise_email(email)
    with console.store.begin() as tx:
        user = tx.user_by_email(address)
        if user is None:
            return
        token = links.issue(console, tx, "reset", address, user_id=user.id)
    link = console.link("reset", token)
    console.send(
        Message(
            address,
            "Reset your evharness password",
            f"Hello {user.name},\n\nto choose a new password, POST it with this link's token:\n\n{link}\n\n"
            f"The link works once and expires in {_hours(console.link_ttl)}. "
            "If you did not ask for it, ignore this message.\n",
            link,
        )
    )


def complete_password_reset(console: Console, token: str, password: str) -> None:
    """Set the new password and end every session of the account; the link stays unused on refusal."""
    with console.store.begin() as tx:
        link = links.check(tx, "reset", token, console.now())
    v.check_password(password, link.email)
    password_hash = console.passwords.hash(password)
    with console.store.begin() as tx:
        link = links.use(tx, "reset", token, console.now())
        assert link.user_id is not None
        tx.set_password(link.user_id, password_hash)
        tx.confirm_user(link.user_id, console.now())  # the mailbox is proven
        tx.end_sessions_of(link.user_id)


def _check_may_use_platform(tx: ConsoleTx, user_id: int) -> None:
    """A data recipient whose only company awaits (or failed) the operator's approval cannot log in."""
    memberships = tx.memberships(user_id)
    if memberships and not any(m.company.status == Status.ACTIVE for m in memberships):
        states = {m.company.status for m in memberships}
        if Status.PENDING in states:
            raise Forbidden("your registration awaits the platform operator's approval")
        raise Forbidden("your registration was rejected by the platform operator")


def _confirmation(console: Console, address: str, name: str, token: str) -> Message:
    link = console.link("confirm", token)
    return Message(
        address,
        "Confirm your evharness account",
        f"Hello {name},\n\nconfirm your account by opening this link:\n\n{link}\n\n"
        f"It works once and expires in {_hours(console.link_ttl)}.\n",
        link,
    )


def _already_registered(console: Console, address: str) -> Message:
    return Message(
        address,
        "Your evharness account",
        "Someone (you?) tried to create an evharness account with this address, which already has one.\n"
        "Log in, or reset your password: "
        f"POST {console.public_url.rstrip('/')}/api/accounts/password-reset\n",
    )


def _hours(ttl: timedelta) -> str:
    hours = ttl.total_seconds() / 3600
    return f"{hours:g} hours" if hours >= 1 else f"{ttl.total_seconds():g} seconds"


def check_reset_link(console: Console, token: str) -> str:
    with console.store.begin() as tx:
        return links.check(tx, "reset", token, console.now()).email
