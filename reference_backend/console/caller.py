"""Who is calling: the user behind a bearer token, their companies and what they still must accept.

Permissions are asked of the `Caller` (`require_operator`, `require_admin_of` …) so every use case
states its requirement in one line and the refusal names what was missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from evharness.reference_backend.domain.onboarding import CompanyType, Status
from evharness.reference_backend.domain.permissions import Action, Role, is_allowed
from evharness.reference_backend.domain.problems import Forbidden, NotFound
from evharness.reference_backend.persistence.console_records import (
    AgreementRecord,
    MembershipRecord,
    UserRecord,
)


@dataclass(frozen=True)
class Caller:
    user: UserRecord
    memberships: tuple[MembershipRecord, ...]
    pending_agreements: tuple[AgreementRecord, ...]
    token_hash: str

    @property
    def id(self) -> int:
        return self.user.id

    def active(self) -> list[MembershipRecord]:
        return [m for m in self.memberships if m.company.status == Status.ACTIVE]

    @property
    def is_operator(self) -> bool:
        return any(m.company.type == CompanyType.OPERATOR and m.role == "admin" for m in self.active())

    def role_in(self, company_id: int) -> str | None:
        return next((m.role for m in self.active() if m.company.id == company_id), None)

    def require_operator(self, action: str) -> None:
        if not self.is_operator:
            raise Forbidden(f"{action}: only platform operator admins may do this")

    def require_member_of(self, company_id: int) -> None:
        if self.role_in(company_id) is None and not self.is_operator:
            raise NotFound(f"no company {company_id} among yours")

    def require_admin_of(self, company_id: int, action: str) -> None:
        self.require_member_of(company_id)
        roles = [Role.COMPANY_ADMIN] if self.role_in(company_id) == "admin" else []
        if not self.is_operator and not is_allowed(Action.MANAGE_MEMBERS, roles):  # the one matrix
            raise Forbidden(f"{action}: only admins of company {company_id} may do this (your role: member)")

    def require_agreements_accepted(self) -> None:
        if self.pending_agreements:
            names = ", ".join(f"{a.title} v{a.version} (id {a.id})" for a in self.pending_agreements)
            raise Forbidden(
                f"accept the new agreements first: {names} — POST /api/me/agreements/{{id}}/accept"
            )
