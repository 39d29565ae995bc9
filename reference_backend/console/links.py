"""Email links: single use, expiring, stored as hashes. One helper takes a link for every purpose."""

from __future__ import annotations

from datetime import datetime

from evharness.reference_backend.console.context import Console
from evharness.reference_backend.domain.problems import LinkGone, NotFound
from evharness.reference_backend.domain.tokens import new_token, token_hash
from evharness.reference_backend.persistence.console import ConsoleTx
from evharness.reference_backend.persistence.console_records import LinkRecord

WHAT = {
    "confirm": "confirmation link",
    "reset": "password reset link",
    "register": "registration link",
    "sso": "SSO registration",
}


def issue(
    console: Console,
    tx: ConsoleTx,
    purpose: str,
    email: str,
    *,
    user_id: int | None = None,
    account_type: str | None = None,
    issuer: str | None = None,
    subject: str | None = None,
    name: str | None = None,
) -> str:
    """A new link's token (the only time it exists in clear)."""
    token = new_token()
    at = console.now()
    tx.add_link(
        token_hash(token),
        purpose,
        email,
        at,
        at + console.link_ttl,
        user_id=user_id,
        account_type=account_type,
        issuer=issuer,
        subject=subject,
        name=name,
    )
    return token


def check(tx: ConsoleTx, purpose: str, token: str, now: datetime) -> LinkRecord:
    """The link, if it may be used now; otherwise the refusal that says why."""
    what = WHAT[purpose]
    link = tx.link(token_hash(token), purpose)
    if link is None:
        raise NotFound(f"{what} is not valid: check that the whole link was copied")
    if link.used_at is not None:
        raise LinkGone(f"{what} was used already: each link works once")
    if link.expires_at <= now:
        raise LinkGone(f"{what} expired: ask for a new one")
    return link


def use(tx: ConsoleTx, purpose: str, token: str, now: datetime) -> LinkRecord:
    """Check the link and mark it used, in the caller's transaction (so a later refusal un-uses it)."""
    link = check(tx, purpose, token, now)
    if not tx.use_link(token_hash(token), now):
        raise LinkGone(f"{WHAT[purpose]} was used already: each link works once")
    return link
