"""Getting into a company (seed 000): access requests decided by the company's admins, company
applications decided by the platform operator, and the admins' management of members."""

from __future__ import annotations

from evharness.reference_backend.console.caller import Caller
from evharness.reference_backend.console.context import Console
from evharness.reference_backend.console.mail import Message
from evharness.reference_backend.domain import onboarding as rules
from evharness.reference_backend.domain.onboarding import CompanyType, Decision, Status
from evharness.reference_backend.domain.problems import Conflict, InvalidInput, NotFound
from evharness.reference_backend.persistence.console import ConsoleTx
from evharness.reference_backend.persistence.console_records import (
    AccessRequestRecord,
    ApplicationRecord,
    CompanyRecord,
    InstallationRecord,
    MemberRecord,
)

ROLES = ("admin", "member")


def find(console: Console, name_part: str) -> list[CompanyRecord]:
    with console.store.begin() as tx:
        return tx.find_companies(name_part)


def company(console: Console, caller: Caller, company_id: int) -> CompanyRecord:
    caller.require_member_of(company_id)
    with console.store.begin() as tx:
        found = tx.company(company_id)
    if found is None:
        raise NotFound(f"no company {company_id}")
    return found


# -- access requests ---------------------------------------------------------------------------


def request_access(console: Console, caller: Caller, company_id: int) -> AccessRequestRecord:
    with console.store.begin() as tx:
        target = tx.company(company_id)
        if target is None or target.status != Status.ACTIVE or target.type == CompanyType.OPERATOR:
            raise NotFound(f"no company {company_id} open to access requests")
        if tx.role_in(caller.id, company_id) is not None:
            raise Conflict(f"you are a member of {target.name} already")
        if tx.pending_access_request(caller.id, company_id) is not None:
            raise Conflict(f"you asked for access to {target.name} already; its admins have not decided yet")
        request_id = tx.add_access_request(caller.id, company_id, console.now())
        request = tx.access_request(request_id)
        admins = [m for m in tx.members(company_id) if m.role == "admin"]
    assert request is not None
    for admin in admins:
        console.send(
            Message(
                admin.email,
                f"Access request for {target.name}",
                f"{caller.user.name} <{caller.user.email}> asks for access to {target.name}.\n"
                f"Approve or reject it: POST {console.public_url.rstrip('/')}"
                f"/api/access-requests/{request_id}/approve (or /reject)\n",
            )
        )
    return request


def access_requests(
    console: Console, caller: Caller, company_id: int, status: str | None
) -> list[AccessRequestRecord]:
    caller.require_admin_of(company_id, "list access requests")
    with console.store.begin() as tx:
        return tx.access_requests(company_id, status)


def decide_access_request(
    console: Console, caller: Caller, request_id: int, decision: Decision
) -> AccessRequestRecord:
    with console.store.begin() as tx:
        request = tx.access_request(request_id)
        if request is None or (caller.role_in(request.company_id) is None and not caller.is_operator):
            raise NotFound(f"no access request {request_id} of your companies")
        caller.require_admin_of(request.company_id, f"{decision.value} access requests")
        status = rules.decide(f"access request {request_id}", Status(request.status), decision)
        tx.decide_access_request(request_id, status, caller.id, console.now())
        if status is Status.APPROVED:
            tx.add_membership(request.user_id, request.company_id, "member", console.now())
        target = tx.company(request.company_id)
        decided = tx.access_request(request_id)
    assert target is not None
    assert decided is not None
    console.send(
        Message(
            request.user_email,
            f"Your access request for {target.name} was {status.value}",
            f"Hello {request.user_name},\n\nan admin of {target.name} {status.value} your access request.\n",
        )
    )
    return decided


# -- company applications ----------------------------------------------------------------------


def apply(
    console: Console,
    caller: Caller,
    name: str,
    company_type: str,
    country: str,
    address: str | None,
    vat_id: str | None,
) -> ApplicationRecord:
    kind, details = rules.application_company(name, company_type, country, address, vat_id)
    with console.store.begin() as tx:
        if any(a.status == Status.PENDING for a in tx.applications(applicant_id=caller.id)):
            raise Conflict("you have a company application waiting for the platform operator already")
        application_id = tx.add_application(caller.id, kind, details, console.now())
        application = tx.application(application_id)
        operators = operator_admins_in(tx)
    assert application is not None
    for admin in operators:
        console.send(
            Message(
                admin.email,
                f"Company application: {details.name} ({kind.value})",
                f"{caller.user.name} <{caller.user.email}> applies for {details.name}, a {kind.value} in "
                f"{details.country}.\nApprove or reject it: POST {console.public_url.rstrip('/')}"
                f"/api/company-applications/{application_id}/approve (or /reject)\n",
            )
        )
    return application


def applications(console: Console, caller: Caller, status: str | None) -> list[ApplicationRecord]:
    """The operator sees every application; anyone else their own."""
    with console.store.begin() as tx:
        if caller.is_operator:
            return tx.applications(status=status)
        return tx.applications(status=status, applicant_id=caller.id)


def decide_application(
    console: Console, caller: Caller, application_id: int, decision: Decision
) -> ApplicationRecord:
    caller.require_operator(f"{decision.value} company applications")
    with console.store.begin() as tx:
        application = tx.application(application_id)
        if application is None:
            raise NotFound(f"no company application {application_id}")
        status = rules.decide(f"company application {application_id}", Status(application.status), decision)
        company_id = None
        if status is Status.APPROVED:
            details = rules.CompanyDetails(
                application.name, application.country, application.address, application.vat_id
            )
            company_id = tx.add_company(details, application.type, Status.ACTIVE, console.now())
            tx.add_membership(application.applicant_id, company_id, "admin", console.now())
        tx.decide_application(application_id, status, caller.id, console.now(), company_id)
        decided = tx.application(application_id)
        applicant = tx.user(application.applicant_id)
    assert decided is not None
    assert applicant is not None
    console.send(
        Message(
            applicant.email,
            f"Your company application for {application.name} was {status.value}",
            f"Hello {applicant.name},\n\nthe platform operator {status.value} your application for "
            f"{application.name}." + (" You are its admin now.\n" if company_id is not None else "\n"),
        )
    )
    return decided


# -- members -----------------------------------------------------------------------------------


def members(console: Console, caller: Caller, company_id: int) -> list[MemberRecord]:
    caller.require_member_of(company_id)
    with console.store.begin() as tx:
        return tx.members(company_id)


def set_role(console: Console, caller: Caller, company_id: int, user_id: int, role: str) -> MemberRecord:
    if role not in ROLES:
        raise InvalidInput("role", f"must be one of {', '.join(ROLES)}")
    caller.require_admin_of(company_id, "change member roles")
    with console.store.begin() as tx:
        current = _member(tx, company_id, user_id)
        if current.role == "admin" and role != "admin":
            _keep_an_admin(tx, company_id, "take the admin right of")
        tx.set_role(user_id, company_id, role)
        return _member(tx, company_id, user_id)


def remove_member(console: Console, caller: Caller, company_id: int, user_id: int) -> None:
    caller.require_admin_of(company_id, "remove members")
    with console.store.begin() as tx:
        current = _member(tx, company_id, user_id)
        if current.role == "admin":
            _keep_an_admin(tx, company_id, "remove")
        tx.remove_membership(user_id, company_id)


def installations(console: Console, caller: Caller, company_id: int) -> list[InstallationRecord]:
    caller.require_member_of(company_id)
    with console.store.begin() as tx:
        return tx.installations(company_id)


def _member(tx: ConsoleTx, company_id: int, user_id: int) -> MemberRecord:
    found = next((m for m in tx.members(company_id) if m.user_id == user_id), None)
    if found is None:
        raise NotFound(f"user {user_id} is not a member of company {company_id}")
    return found


def _keep_an_admin(tx: ConsoleTx, company_id: int, action: str) -> None:
    if sum(1 for m in tx.members(company_id) if m.role == "admin") <= 1:
        raise Conflict(
            f"cannot {action} the last admin of company {company_id}: make someone else admin first"
        )


def operator_admins_in(tx: ConsoleTx) -> list[MemberRecord]:
    return [
        member
        for operator in tx.companies_of_type(CompanyType.OPERATOR)
        for member in tx.members(operator.id)
        if member.role == "admin"
    ]


def operator_admins(console: Console) -> list[MemberRecord]:
    with console.store.begin() as tx:
        return operator_admins_in(tx)
