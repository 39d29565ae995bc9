"""SSO (seed 002, "Customer self-registration on first login with SSO").

A known user (by provider and subject, or by a verified email the first time) gets a session. An unknown
user gets, if the operator enabled it, a short-lived registration token for the missing customer data;
then the customer company and its user are created. Only customers are created this way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from evharness.reference_backend.console import links
from evharness.reference_backend.console.accounts import start_session
from evharness.reference_backend.console.caller import Caller
from evharness.reference_backend.console.context import Console
from evharness.reference_backend.console.oidc import RelyingParty
from evharness.reference_backend.console.registration import (
    NewCompany,
    check_agreements,
    create_company_with_admin,
)
from evharness.reference_backend.domain import onboarding as rules
from evharness.reference_backend.domain import validation as v
from evharness.reference_backend.domain.onboarding import COMPANY_OF_ACCOUNT, AccountType, Status
from evharness.reference_backend.domain.problems import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
)
from evharness.reference_backend.domain.tokens import new_token, token_hash

LOGIN_TTL = timedelta(minutes=10)
SSO_ACCOUNT_TYPES = (AccountType.CUSTOMER_PERSONAL, AccountType.CUSTOMER_BUSINESS)

_parties: dict[tuple[str, str], RelyingParty] = {}


def relying_party(console: Console) -> RelyingParty:
    if console.oidc is None:
        raise NotFound("SSO is not configured on this backend (--oidc-issuer)")
    redirect_uri = f"{console.public_url.rstrip('/')}/api/sso/callback"
    key = (console.oidc.issuer, redirect_uri)
    if key not in _parties:
        _parties[key] = RelyingParty(console.oidc, redirect_uri)
    return _parties[key]


def begin(console: Console) -> str:
    """The provider's authorization URL to send the browser to (state, nonce and PKCE kept here)."""
    party = relying_party(console)
    state, nonce, verifier = new_token(), new_token(), new_token() + new_token()
    at = console.now()
    with console.store.begin() as tx:
        tx.add_sso_login(token_hash(state), nonce, verifier, at, at + LOGIN_TTL)
    return party.authorization_url(state, nonce, verifier)


@dataclass(frozen=True)
class SsoOutcome:
    session: tuple[str, Caller] | None = None
    registration_token: str | None = None
    email: str | None = None
    name: str | None = None


def finish(console: Console, code: str | None, state: str, error: str | None) -> SsoOutcome:
    """The provider's redirect back: a session, or a registration token for an unknown customer."""
    party = relying_party(console)
    with console.store.begin() as tx:
        started = tx.take_sso_login(token_hash(state), console.now())
    if started is None:
        raise InvalidInput("state", "unknown, used or expired SSO login: start again at /api/sso/login")
    if error is not None:
        raise NotAuthenticated(f"the identity provider answered {error}")
    if not code:
        raise InvalidInput("code", "missing in the identity provider's answer")
    nonce, verifier = started
    identity = party.identity(code, nonce, verifier)
    with console.store.begin() as tx:
        user = tx.user_by_subject(identity.issuer, identity.subject)
        if user is None and identity.email and identity.email_verified:
            user = tx.user_by_email(v.normalise_email(identity.email))
            if user is not None:
                tx.link_subject(user.id, identity.issuer, identity.subject)
        if user is not None:
            return SsoOutcome(session=start_session(console, tx, user.id))
        if not tx.onboarding_settings().sso_customer_creation:
            raise Forbidden("no account for this SSO identity, and SSO registration is not enabled")
        if not identity.email or not identity.email_verified:
            raise Forbidden("the identity provider gave no verified email address")
        email = v.normalise_email(identity.email)
        token = links.issue(
            console,
            tx,
            "sso",
            email,
            issuer=identity.issuer,
            subject=identity.subject,
            name=identity.name,
        )
    return SsoOutcome(registration_token=token, email=email, name=identity.name)


def register(
    console: Console,
    token: str,
    account_type: AccountType,
    name: str | None,
    properties: Mapping[str, str | None],
    accepted_agreements: Sequence[int],
) -> tuple[str, Caller]:
    """The missing customer data of an SSO newcomer: the customer company and its user are created."""
    if account_type not in SSO_ACCOUNT_TYPES:
        raise InvalidInput(
            "account_type", "SSO creates customers only: customer_personal or customer_business"
        )
    with console.store.begin() as tx:
        link = links.check(tx, "sso", token, console.now())
        current = tx.onboarding_settings()
        if not current.sso_customer_creation:
            raise Forbidden("SSO registration is not enabled by the platform operator")
        person = v.check_name(name or link.name or "", "name")
        details = rules.registration_company(account_type, person, properties)
        company_type = COMPANY_OF_ACCOUNT[account_type]
        agreements = check_agreements(tx, company_type, accepted_agreements)
        link = links.use(tx, "sso", token, console.now())
        if tx.user_by_email(link.email) is not None:
            raise Conflict(f"email: {link.email} has an account already; log in with it")
        assert link.issuer is not None
        assert link.subject is not None
        user_id, _ = create_company_with_admin(
            console,
            tx,
            NewCompany(link.email, person, company_type, details, agreements, current.default_location),
            password_hash=None,
            status=Status.ACTIVE,
            oidc=(link.issuer, link.subject),
        )
        return start_session(console, tx, user_id)
