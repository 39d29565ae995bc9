"""Companies, memberships, access requests, company applications and installations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from evharness.reference_backend.domain.onboarding import CompanyDetails
from evharness.reference_backend.persistence.account_tables import (
    access_requests,
    companies,
    company_applications,
    installations,
    memberships,
    users,
)
from evharness.reference_backend.persistence.console.base import TxBase, inserted_id
from evharness.reference_backend.persistence.console_records import (
    AccessRequestRecord,
    ApplicationRecord,
    CompanyRecord,
    InstallationRecord,
    MemberRecord,
    MembershipRecord,
)


class CompaniesTx(TxBase):
    # -- companies and memberships ------------------------------------------------------------

    def add_company(
        self,
        details: CompanyDetails,
        company_type: str,
        status: str,
        at: datetime,
        partner_code: str | None = None,
    ) -> int:
        result = self.conn.execute(
            sa.insert(companies).values(
                name=details.name,
                type=company_type,
                status=status,
                country=details.country,
                address=details.address,
                vat_id=details.vat_id,
                partner_code=partner_code,
                created_at=at,
            )
        )
        return inserted_id(result)

    def company(self, company_id: int) -> CompanyRecord | None:
        row = self._one(sa.select(companies).where(companies.c.id == company_id))
        return _company(row) if row else None

    def companies_of_type(self, company_type: str) -> list[CompanyRecord]:
        rows = self.conn.execute(
            sa.select(companies).where(companies.c.type == company_type).order_by(companies.c.id)
        )
        return [_company(row) for row in rows]

    def find_companies(self, name_part: str, limit: int = 50) -> list[CompanyRecord]:
        """Active companies whose name contains `name_part` (case-insensitive), for access requests;
        neither the operator nor personal customers."""
        escaped = name_part.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self.conn.execute(
            sa.select(companies)
            .where(
                (companies.c.status == "active")
                # Households are named after people: they are not listed to strangers.
                & companies.c.type.not_in(("operator", "customer_personal"))
                & sa.func.lower(companies.c.name).like(f"%{escaped}%", escape="\\")
            )
            .order_by(companies.c.name, companies.c.id)
            .limit(limit)
        )
        return [_company(row) for row in rows]

    def companies_with_status(self, status: str) -> list[CompanyRecord]:
        rows = self.conn.execute(
            sa.select(companies).where(companies.c.status == status).order_by(companies.c.id)
        )
        return [_company(row) for row in rows]

    def set_company_status(self, company_id: int, status: str) -> None:
        self.conn.execute(sa.update(companies).where(companies.c.id == company_id).values(status=status))

    def add_membership(self, user_id: int, company_id: int, role: str, at: datetime) -> None:
        self.conn.execute(
            sa.insert(memberships).values(user_id=user_id, company_id=company_id, role=role, since=at)
        )

    def set_role(self, user_id: int, company_id: int, role: str) -> None:
        self.conn.execute(
            sa.update(memberships)
            .where((memberships.c.user_id == user_id) & (memberships.c.company_id == company_id))
            .values(role=role)
        )

    def remove_membership(self, user_id: int, company_id: int) -> None:
        self.conn.execute(
            sa.delete(memberships).where(
                (memberships.c.user_id == user_id) & (memberships.c.company_id == company_id)
            )
        )

    def memberships(self, user_id: int) -> list[MembershipRecord]:
        rows = self.conn.execute(
            sa.select(companies, memberships.c.role)
            .join(memberships, memberships.c.company_id == companies.c.id)
            .where(memberships.c.user_id == user_id)
            .order_by(companies.c.id)
        )
        return [MembershipRecord(_company(row), row.role) for row in rows]

    def members(self, company_id: int) -> list[MemberRecord]:
        rows = self.conn.execute(
            sa.select(users.c.id, users.c.email, users.c.name, memberships.c.role)
            .join(memberships, memberships.c.user_id == users.c.id)
            .where(memberships.c.company_id == company_id)
            .order_by(users.c.id)
        )
        return [MemberRecord(row.id, row.email, row.name, row.role) for row in rows]

    def role_in(self, user_id: int, company_id: int) -> str | None:
        role: str | None = self.conn.scalar(
            sa.select(memberships.c.role).where(
                (memberships.c.user_id == user_id) & (memberships.c.company_id == company_id)
            )
        )
        return role

    # -- access requests ----------------------------------------------------------------------

    def add_access_request(self, user_id: int, company_id: int, at: datetime) -> int:
        result = self.conn.execute(
            sa.insert(access_requests).values(
                user_id=user_id, company_id=company_id, status="pending", created_at=at
            )
        )
        return inserted_id(result)

    def access_request(self, request_id: int) -> AccessRequestRecord | None:
        row = self._one(_ACCESS_REQUESTS.where(access_requests.c.id == request_id))
        return _access_request(row) if row else None

    def access_requests(self, company_id: int, status: str | None = None) -> list[AccessRequestRecord]:
        statement = _ACCESS_REQUESTS.where(access_requests.c.company_id == company_id)
        if status is not None:
            statement = statement.where(access_requests.c.status == status)
        return [_access_request(row) for row in self.conn.execute(statement.order_by(access_requests.c.id))]

    def pending_access_request(self, user_id: int, company_id: int) -> int | None:
        found = self.conn.scalar(
            sa.select(access_requests.c.id).where(
                (access_requests.c.user_id == user_id)
                & (access_requests.c.company_id == company_id)
                & (access_requests.c.status == "pending")
            )
        )
        return int(found) if found is not None else None

    def decide_access_request(self, request_id: int, status: str, by: int, at: datetime) -> None:
        self.conn.execute(
            sa.update(access_requests)
            .where(access_requests.c.id == request_id)
            .values(status=status, decided_by=by, decided_at=at)
        )

    # -- company applications -----------------------------------------------------------------

    def add_application(
        self, applicant_id: int, company_type: str, details: CompanyDetails, at: datetime
    ) -> int:
        result = self.conn.execute(
            sa.insert(company_applications).values(
                applicant_id=applicant_id,
                name=details.name,
                type=company_type,
                country=details.country,
                address=details.address,
                vat_id=details.vat_id,
                status="pending",
                created_at=at,
            )
        )
        return inserted_id(result)

    def application(self, application_id: int) -> ApplicationRecord | None:
        row = self._one(sa.select(company_applications).where(company_applications.c.id == application_id))
        return _application(row) if row else None

    def applications(
        self, *, status: str | None = None, applicant_id: int | None = None
    ) -> list[ApplicationRecord]:
        statement = sa.select(company_applications).order_by(company_applications.c.id)
        if status is not None:
            statement = statement.where(company_applications.c.status == status)
        if applicant_id is not None:
            statement = statement.where(company_applications.c.applicant_id == applicant_id)
        return [_application(row) for row in self.conn.execute(statement)]

    def decide_application(
        self, application_id: int, status: str, by: int, at: datetime, company_id: int | None
    ) -> None:
        self.conn.execute(
            sa.update(company_applications)
            .where(company_applications.c.id == application_id)
            .values(status=status, decided_by=by, decided_at=at, company_id=company_id)
        )

    # -- installations ------------------------------------------------------------------------

    def add_installation(self, company_id: int, name: str, at: datetime) -> int:
        result = self.conn.execute(
            sa.insert(installations).values(company_id=company_id, name=name, created_at=at)
        )
        return inserted_id(result)

    def installations(self, company_id: int) -> list[InstallationRecord]:
        rows = self.conn.execute(
            sa.select(installations)
            .where(installations.c.company_id == company_id)
            .order_by(installations.c.id)
        )
        return [InstallationRecord(row.id, row.company_id, row.name, row.created_at) for row in rows]


_ACCESS_REQUESTS = sa.select(
    access_requests, users.c.email.label("user_email"), users.c.name.label("user_name")
).join(users, users.c.id == access_requests.c.user_id)


def _company(row: Any) -> CompanyRecord:
    return CompanyRecord(
        row.id, row.name, row.type, row.status, row.country, row.address, row.vat_id, row.partner_code
    )


def _access_request(row: Any) -> AccessRequestRecord:
    return AccessRequestRecord(
        row.id,
        row.user_id,
        row.user_email,
        row.user_name,
        row.company_id,
        row.status,
        row.created_at,
        row.decided_at,
    )


def _application(row: Any) -> ApplicationRecord:
    return ApplicationRecord(
        row.id, row.applicant_id, row.name, row.type, row.country, row.address, row.vat_id, row.status,
        row.created_at, row.decided_at, row.company_id,
    )  # fmt: skip
