"""Self-registration (seed 002): the operator's configuration, partner codes, and the flow
email → registration link → properties, password, agreements → company and user → login.

A data recipient's company is created `pending`: its user cannot log in until the operator approves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from evharness.reference_backend.console import links
from evharness.reference_backend.console.accounts import start_session
from evharness.reference_backend.console.caller import Caller
from evharness.reference_backend.console.companies import operator_admins_in
from evharness.reference_backend.console.context import Console
from evharness.reference_backend.console.mail import Message
from evharness.reference_backend.domain import onboarding as rules
from evharness.reference_backend.domain import validation as v
from evharness.reference_backend.domain.onboarding import (
    COMPANY_OF_ACCOUNT,
    DEFAULT_LOCATION,
    AccountType,
    CompanyDetails,
    CompanyType,
    Decision,
    OnboardingSettings,
    Status,
)
from evharness.reference_backend.domain.problems import Conflict, InvalidInput, NotFound
from evharness.reference_backend.persistence.console import ConsoleTx
from evharness.reference_backend.persistence.console_records import AgreementRecord, CompanyRecord


def settings(console: Console) -> OnboardingSettings:
    with console.store.begin() as tx:
        return tx.onboarding_settings()


def configure(console: Console, caller: Caller, new: OnboardingSettings) -> OnboardingSettings:
    caller.require_operator("configure onboarding")
    with console.store.begin() as tx:
        tx.save_onboarding_settings(new)
        return tx.onboarding_settings()


def issue_partner_code(console: Console, caller: Caller, code: str) -> str:
    caller.require_operator("issue partner codes")
    checked = v.check_partner_code(code)
    try:
        with console.store.begin() as tx:
            tx.add_partner_code(checked, console.now())
    except sa.exc.IntegrityError:
        raise Conflict(f"partner code {checked} exists already") from None
    return checked


def partner_codes(console: Console, caller: Caller) -> list[tuple[str, int | None]]:
    caller.require_operator("list partner codes")
    with console.store.begin() as tx:
        return tx.partner_codes()


# -- the flow ----------------------------------------------------------------------------------


def start(console: Console, email: str, account_type: AccountType) -> None:
    """Mail a registration link (or, for an address with an account, say so to its owner)."""
    address = v.normalise_email(email)
    with console.store.begin() as tx:
        rules.check_self_registration(tx.onboarding_settings(), account_type)
        if tx.user_by_email(address) is not None:
            message = Message(
                address,
                "Your evharness account",
                "Someone (you?) tried to register with this address, which already has an account.\n",
            )
        else:
            token = links.issue(console, tx, "register", address, account_type=account_type.value)
            link = console.link("register", token)
            message = Message(
                address,
                "Complete your evharness registration",
                f"Hello,\n\ncomplete your registration as {account_type.value} with this link:\n\n{link}\n\n"
                "GET it for the form (properties and agreements), POST the form with its token to "
                "/api/registrations/complete. It works once.\n",
                link,
            )
    console.send(message)


@dataclass(frozen=True)
class RegistrationForm:
    email: str
    account_type: AccountType
    required_properties: tuple[str, ...]
    partner_code_required: bool
    agreements: tuple[AgreementRecord, ...]


def form(console: Console, token: str) -> RegistrationForm:
    with console.store.begin() as tx:
        link = links.check(tx, "register", token, console.now())
        account_type = AccountType(link.account_type or "")
        current = tx.onboarding_settings()
        agreements = tx.current_agreements([COMPANY_OF_ACCOUNT[account_type]])
    return RegistrationForm(
        link.email,
        account_type,
        rules.REQUIRED_PROPERTIES[account_type],
        account_type is AccountType.CHANNEL_PARTNER and not current.channel_partner_without_code,
        tuple(agreements),
    )


@dataclass(frozen=True)
class Registered:
    company: CompanyRecord
    session_token: str | None  # None: a data recipient, waiting for the operator
    caller: Caller | None


def complete(
    console: Console,
    token: str,
    name: str,
    password: str,
    properties: Mapping[str, str | None],
    partner_code: str | None,
    accepted_agreements: Sequence[int],
) -> Registered:
    """Create the company, its admin user (confirmed: the link proved the mailbox) and acceptances."""
    with console.store.begin() as tx:
        link = links.check(tx, "register", token, console.now())
        account_type = AccountType(link.account_type or "")
        current = tx.onboarding_settings()
        rules.check_self_registration(current, account_type)
        person = v.check_name(name)
        v.check_password(password, link.email)
        details = rules.registration_company(account_type, person, properties)
        code = _check_partner_code(tx, account_type, current, partner_code)
        company_type = COMPANY_OF_ACCOUNT[account_type]
        agreements = check_agreements(tx, company_type, accepted_agreements)
    password_hash = console.passwords.hash(password)
    pending = account_type is AccountType.DATA_RECIPIENT
    with console.store.begin() as tx:
        link = links.use(tx, "register", token, console.now())
        if tx.user_by_email(link.email) is not None:
            raise Conflict(f"email: {link.email} has an account already; log in or reset the password")
        user_id, company_id = create_company_with_admin(
            console,
            tx,
            NewCompany(link.email, person, company_type, details, agreements, current.default_location),
            password_hash=password_hash,
            status=Status.PENDING if pending else Status.ACTIVE,
            partner_code=code,
        )
        created = tx.company(company_id)
        assert created is not None
        if pending:
            operators = operator_admins_in(tx)
            registered = Registered(created, None, None)
        else:
            session, caller = start_session(console, tx, user_id)
            registered = Registered(created, session, caller)
    if pending:
        for admin in operators:
            console.send(
                Message(
                    admin.email,
                    f"Data recipient registration: {created.name}",
                    f"{person} <{link.email}> registered {created.name} as a data recipient.\n"
                    f"Approve or reject it: POST {console.public_url.rstrip('/')}"
                    f"/api/companies/{company_id}/approve (or /reject)\n",
                )
            )
    return registered


@dataclass(frozen=True)
class NewCompany:
    """What a registration creates: checked details, the agreements accepted, the options that apply."""

    email: str
    person: str
    company_type: CompanyType
    details: CompanyDetails
    agreements: Sequence[AgreementRecord]
    default_location: bool


def create_company_with_admin(
    console: Console,
    tx: ConsoleTx,
    new: NewCompany,
    *,
    password_hash: str | None,
    status: Status,
    partner_code: str | None = None,
    oidc: tuple[str, str] | None = None,
) -> tuple[int, int]:
    """The company, its admin user (confirmed), acceptances and default location; (user id, company id)."""
    at = console.now()
    user_id = tx.add_user(new.email, new.person, password_hash, at, confirmed=True, oidc=oidc)
    company_id = tx.add_company(new.details, new.company_type, status, at, partner_code=partner_code)
    tx.add_membership(user_id, company_id, "admin", at)
    if partner_code is not None and not tx.use_partner_code(partner_code, company_id):
        raise Conflict(f"partner_code: {partner_code} was used by another registration meanwhile")
    for agreement in new.agreements:
        tx.accept_agreement(user_id, agreement.id, at)
    if new.default_location and new.company_type in DEFAULT_LOCATION:
        tx.add_installation(company_id, DEFAULT_LOCATION[new.company_type], at)
    return user_id, company_id


def pending_companies(console: Console, caller: Caller) -> list[CompanyRecord]:
    """Registrations waiting for the operator (data recipients)."""
    caller.require_operator("list registrations waiting for approval")
    with console.store.begin() as tx:
        return tx.companies_with_status(Status.PENDING)


def decide_company(console: Console, caller: Caller, company_id: int, decision: Decision) -> CompanyRecord:
    """The operator's decision on a company waiting for approval (a data recipient)."""
    caller.require_operator(f"{decision.value} registrations")
    with console.store.begin() as tx:
        found = tx.company(company_id)
        if found is None:
            raise NotFound(f"no company {company_id}")
        outcome = rules.decide(f"company {company_id}", Status(found.status), decision)
        tx.set_company_status(company_id, Status.ACTIVE if outcome is Status.APPROVED else outcome)
        decided = tx.company(company_id)
        admins = [m for m in tx.members(company_id) if m.role == "admin"]
    assert decided is not None
    for admin in admins:
        console.send(
            Message(
                admin.email,
                f"Your registration of {found.name} was {outcome.value}",
                f"Hello {admin.name},\n\nthe platform operator {outcome.value} {found.name}.\n",
            )
        )
    return decided


def _check_partner_code(
    tx: ConsoleTx, account_type: AccountType, current: OnboardingSettings, partner_code: str | None
) -> str | None:
    if account_type is not AccountType.CHANNEL_PARTNER:
        if partner_code:
            raise InvalidInput("partner_code", f"is only for channel partners, not {account_type.value}")
        return None
    if not partner_code:
        if current.channel_partner_without_code:
            return None
        raise InvalidInput("partner_code", "is required to register as channel partner")
    code = v.check_partner_code(partner_code)
    free = tx.partner_code_free(code)
    if free is None:
        raise InvalidInput("partner_code", f"{code} is not a valid partner code")
    if not free:
        raise InvalidInput("partner_code", f"{code} was used by another registration already")
    return code


def check_agreements(
    tx: ConsoleTx, company_type: CompanyType, accepted: Sequence[int]
) -> list[AgreementRecord]:
    current = tx.current_agreements([company_type])
    current_ids = {a.id for a in current}
    for agreement_id in accepted:
        if agreement_id not in current_ids:
            raise InvalidInput(
                "accepted_agreements", f"{agreement_id} is not a current agreement for {company_type.value}"
            )
    missing = [a for a in current if a.id not in accepted]
    if missing:
        names = ", ".join(f"{a.title} v{a.version} (id {a.id})" for a in missing)
        raise InvalidInput("accepted_agreements", f"must include {names}")
    return current
