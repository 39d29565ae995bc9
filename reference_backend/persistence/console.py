"""The console's reads and writes, one transaction per use case.

`with store.begin() as tx:` gives a `ConsoleTx` whose methods all run in one database transaction, so a
use case that checks, then writes several rows, either happens whole or not at all — and a refusal
raised half-way (a `Problem`) rolls everything back.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from reference_backend.domain.onboarding import CompanyDetails, OnboardingSettings
from reference_backend.persistence.account_tables import (
    access_requests,
    agreement_acceptances,
    agreements,
    companies,
    company_applications,
    email_links,
    installations,
    memberships,
    onboarding_settings,
    partner_codes,
    sessions,
    sso_logins,
    users,
)
from reference_backend.persistence.console_records import (
    AcceptanceRecord,
    AccessRequestRecord,
    AgreementRecord,
    ApplicationRecord,
    CompanyRecord,
    InstallationRecord,
    LinkRecord,
    MemberRecord,
    MembershipRecord,
    UserRecord,
)


class ConsoleStore:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    @contextmanager
    def begin(self) -> Iterator[ConsoleTx]:
        with self.engine.begin() as conn:
            yield ConsoleTx(conn)


def _inserted_id(result: sa.CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


class ConsoleTx:
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def _one(self, statement: sa.Select[Any]) -> Any:
        return self.conn.execute(statement).first()

    # -- users --------------------------------------------------------------------------------

    def user(self, user_id: int) -> UserRecord | None:
        row = self._one(sa.select(users).where(users.c.id == user_id))
        return _user(row) if row else None

    def user_by_email(self, email: str) -> UserRecord | None:
        row = self._one(sa.select(users).where(users.c.email == email))
        return _user(row) if row else None

    def user_by_subject(self, issuer: str, subject: str) -> UserRecord | None:
        row = self._one(
            sa.select(users).where((users.c.oidc_issuer == issuer) & (users.c.oidc_subject == subject))
        )
        return _user(row) if row else None

    def add_user(
        self,
        email: str,
        name: str,
        password_hash: str | None,
        at: datetime,
        *,
        confirmed: bool = False,
        oidc: tuple[str, str] | None = None,
    ) -> int:
        issuer, subject = oidc if oidc else (None, None)
        result = self.conn.execute(
            sa.insert(users).values(
                email=email,
                name=name,
                password_hash=password_hash,
                created_at=at,
                confirmed_at=at if confirmed else None,
                oidc_issuer=issuer,
                oidc_subject=subject,
            )
        )
        return _inserted_id(result)

    def confirm_user(self, user_id: int, at: datetime) -> None:
        self.conn.execute(
            sa.update(users)
            .where((users.c.id == user_id) & users.c.confirmed_at.is_(None))
            .values(confirmed_at=at)
        )

    def set_password(self, user_id: int, password_hash: str) -> None:
        self.conn.execute(sa.update(users).where(users.c.id == user_id).values(password_hash=password_hash))

    def user_count(self) -> int:
        return int(self.conn.scalar(sa.select(sa.func.count()).select_from(users)) or 0)

    # -- sessions -----------------------------------------------------------------------------

    def add_session(self, token_hash: str, user_id: int, at: datetime, expires_at: datetime) -> None:
        self.conn.execute(
            sa.insert(sessions).values(
                token_hash=token_hash, user_id=user_id, created_at=at, expires_at=expires_at
            )
        )

    def session_user(self, token_hash: str, now: datetime) -> int | None:
        found = self.conn.scalar(
            sa.select(sessions.c.user_id).where(
                (sessions.c.token_hash == token_hash) & (sessions.c.expires_at > now)
            )
        )
        return int(found) if found is not None else None

    def end_session(self, token_hash: str) -> None:
        self.conn.execute(sa.delete(sessions).where(sessions.c.token_hash == token_hash))

    def end_sessions_of(self, user_id: int) -> None:
        self.conn.execute(sa.delete(sessions).where(sessions.c.user_id == user_id))

    # -- email links --------------------------------------------------------------------------

    def add_link(
        self,
        token_hash: str,
        purpose: str,
        email: str,
        at: datetime,
        expires_at: datetime,
        *,
        user_id: int | None = None,
        account_type: str | None = None,
        issuer: str | None = None,
        subject: str | None = None,
        name: str | None = None,
    ) -> None:
        self.conn.execute(
            sa.insert(email_links).values(
                token_hash=token_hash,
                purpose=purpose,
                email=email,
                user_id=user_id,
                account_type=account_type,
                issuer=issuer,
                subject=subject,
                name=name,
                created_at=at,
                expires_at=expires_at,
            )
        )

    def link(self, token_hash: str, purpose: str) -> LinkRecord | None:
        row = self._one(
            sa.select(email_links).where(
                (email_links.c.token_hash == token_hash) & (email_links.c.purpose == purpose)
            )
        )
        if row is None:
            return None
        return LinkRecord(
            purpose=row.purpose,
            email=row.email,
            user_id=row.user_id,
            account_type=row.account_type,
            issuer=row.issuer,
            subject=row.subject,
            name=row.name,
            expires_at=row.expires_at,
            used_at=row.used_at,
        )

    def use_link(self, token_hash: str, at: datetime) -> bool:
        """Mark the link used; False if someone used it in the meantime (the update is the guard)."""
        result = self.conn.execute(
            sa.update(email_links)
            .where((email_links.c.token_hash == token_hash) & email_links.c.used_at.is_(None))
            .values(used_at=at)
        )
        return result.rowcount == 1

    def expire_links(self, email: str, at: datetime) -> int:
        """Make every open link of `email` expired (tests and operators use it; the API never does)."""
        result = self.conn.execute(
            sa.update(email_links)
            .where((email_links.c.email == email) & email_links.c.used_at.is_(None))
            .values(expires_at=at)
        )
        return result.rowcount

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
        return _inserted_id(result)

    def company(self, company_id: int) -> CompanyRecord | None:
        row = self._one(sa.select(companies).where(companies.c.id == company_id))
        return _company(row) if row else None

    def companies_of_type(self, company_type: str) -> list[CompanyRecord]:
        rows = self.conn.execute(
            sa.select(companies).where(companies.c.type == company_type).order_by(companies.c.id)
        )
        return [_company(row) for row in rows]

    def find_companies(self, name_part: str, limit: int = 50) -> list[CompanyRecord]:
        """Active companies whose name contains `name_part` (case-insensitive), for access requests."""
        escaped = name_part.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self.conn.execute(
            sa.select(companies)
            .where(
                (companies.c.status == "active")
                & (companies.c.type != "operator")
                & sa.func.lower(companies.c.name).like(f"%{escaped}%", escape="\\")
            )
            .order_by(companies.c.name, companies.c.id)
            .limit(limit)
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
        return _inserted_id(result)

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
        return _inserted_id(result)

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

    # -- onboarding settings and partner codes ------------------------------------------------

    def onboarding_settings(self) -> OnboardingSettings:
        row = self._one(sa.select(onboarding_settings).where(onboarding_settings.c.id == 1))
        if row is None:
            return OnboardingSettings()
        values = row._asdict()
        values.pop("id")
        return OnboardingSettings(**values)

    def save_onboarding_settings(self, settings: OnboardingSettings) -> None:
        values = {name: getattr(settings, name) for name in OnboardingSettings.__dataclass_fields__}
        updated = self.conn.execute(
            sa.update(onboarding_settings).where(onboarding_settings.c.id == 1).values(**values)
        ).rowcount
        if not updated:
            self.conn.execute(sa.insert(onboarding_settings).values(id=1, **values))

    def add_partner_code(self, code: str, at: datetime) -> None:
        self.conn.execute(sa.insert(partner_codes).values(code=code, created_at=at))

    def partner_code_free(self, code: str) -> bool | None:
        """True: issued and unused; False: used already; None: never issued."""
        row = self._one(sa.select(partner_codes.c.used_by_company).where(partner_codes.c.code == code))
        if row is None:
            return None
        return row.used_by_company is None

    def partner_codes(self) -> list[tuple[str, int | None]]:
        rows = self.conn.execute(
            sa.select(partner_codes.c.code, partner_codes.c.used_by_company).order_by(partner_codes.c.code)
        )
        return [(row.code, row.used_by_company) for row in rows]

    def use_partner_code(self, code: str, company_id: int) -> bool:
        result = self.conn.execute(
            sa.update(partner_codes)
            .where((partner_codes.c.code == code) & partner_codes.c.used_by_company.is_(None))
            .values(used_by_company=company_id)
        )
        return result.rowcount == 1

    # -- agreements ---------------------------------------------------------------------------

    def add_agreement(self, company_type: str, title: str, text: str, at: datetime) -> AgreementRecord:
        latest = self.conn.scalar(
            sa.select(sa.func.max(agreements.c.version)).where(agreements.c.company_type == company_type)
        )
        version = int(latest or 0) + 1
        result = self.conn.execute(
            sa.insert(agreements).values(
                company_type=company_type, version=version, title=title, text=text, published_at=at
            )
        )
        return AgreementRecord(_inserted_id(result), company_type, version, title, text, at)

    def current_agreements(self, company_types: Sequence[str] | None = None) -> list[AgreementRecord]:
        """The newest version of each type's agreement (of the given types, or all)."""
        newest = (
            sa.select(agreements.c.company_type, sa.func.max(agreements.c.version).label("version"))
            .group_by(agreements.c.company_type)
            .subquery()
        )
        statement = sa.select(agreements).join(
            newest,
            (agreements.c.company_type == newest.c.company_type) & (agreements.c.version == newest.c.version),
        )
        if company_types is not None:
            statement = statement.where(agreements.c.company_type.in_(list(company_types)))
        rows = self.conn.execute(statement.order_by(agreements.c.company_type))
        return [_agreement(row) for row in rows]

    def agreement(self, agreement_id: int) -> AgreementRecord | None:
        row = self._one(sa.select(agreements).where(agreements.c.id == agreement_id))
        return _agreement(row) if row else None

    def accept_agreement(self, user_id: int, agreement_id: int, at: datetime) -> None:
        exists = self.conn.scalar(
            sa.select(sa.func.count())
            .select_from(agreement_acceptances)
            .where(
                (agreement_acceptances.c.user_id == user_id)
                & (agreement_acceptances.c.agreement_id == agreement_id)
            )
        )
        if not exists:
            self.conn.execute(
                sa.insert(agreement_acceptances).values(
                    user_id=user_id, agreement_id=agreement_id, accepted_at=at
                )
            )

    def accepted_ids(self, user_id: int) -> set[int]:
        return set(
            self.conn.scalars(
                sa.select(agreement_acceptances.c.agreement_id).where(
                    agreement_acceptances.c.user_id == user_id
                )
            )
        )

    def acceptances(self, user_id: int) -> list[AcceptanceRecord]:
        rows = self.conn.execute(
            sa.select(
                agreements.c.id,
                agreements.c.company_type,
                agreements.c.version,
                agreement_acceptances.c.accepted_at,
            )
            .join(agreement_acceptances, agreement_acceptances.c.agreement_id == agreements.c.id)
            .where(agreement_acceptances.c.user_id == user_id)
            .order_by(agreements.c.company_type, agreements.c.version)
        )
        return [AcceptanceRecord(row.id, row.company_type, row.version, row.accepted_at) for row in rows]

    # -- SSO logins in flight -----------------------------------------------------------------

    def add_sso_login(
        self, state_hash: str, nonce: str, code_verifier: str, at: datetime, expires_at: datetime
    ) -> None:
        self.conn.execute(
            sa.insert(sso_logins).values(
                state_hash=state_hash,
                nonce=nonce,
                code_verifier=code_verifier,
                created_at=at,
                expires_at=expires_at,
            )
        )

    def take_sso_login(self, state_hash: str, now: datetime) -> tuple[str, str] | None:
        """(nonce, code verifier) of a login started here and not expired; each state works once."""
        row = self._one(sa.select(sso_logins).where(sso_logins.c.state_hash == state_hash))
        if row is None:
            return None
        self.conn.execute(sa.delete(sso_logins).where(sso_logins.c.state_hash == state_hash))
        if row.expires_at <= now:
            return None
        return row.nonce, row.code_verifier

    def link_subject(self, user_id: int, issuer: str, subject: str) -> None:
        self.conn.execute(
            sa.update(users).where(users.c.id == user_id).values(oidc_issuer=issuer, oidc_subject=subject)
        )

    # -- installations ------------------------------------------------------------------------

    def add_installation(self, company_id: int, name: str, at: datetime) -> int:
        result = self.conn.execute(
            sa.insert(installations).values(company_id=company_id, name=name, created_at=at)
        )
        return _inserted_id(result)

    def installations(self, company_id: int) -> list[InstallationRecord]:
        rows = self.conn.execute(
            sa.select(installations)
            .where(installations.c.company_id == company_id)
            .order_by(installations.c.id)
        )
        return [InstallationRecord(row.id, row.company_id, row.name, row.created_at) for row in rows]

    def row_counts(self) -> dict[str, int]:
        """Rows per console table: the tests' proof that a refusal wrote nothing."""
        tables = (
            users, companies, memberships, sessions, email_links, access_requests, company_applications,
            onboarding_settings, partner_codes, agreements, agreement_acceptances, installations, sso_logins,
        )  # fmt: skip
        return {
            table.name: int(self.conn.scalar(sa.select(sa.func.count()).select_from(table)) or 0)
            for table in tables
        }


_ACCESS_REQUESTS = sa.select(
    access_requests, users.c.email.label("user_email"), users.c.name.label("user_name")
).join(users, users.c.id == access_requests.c.user_id)


def _user(row: Any) -> UserRecord:
    return UserRecord(row.id, row.email, row.name, row.password_hash, row.created_at, row.confirmed_at)


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


def _agreement(row: Any) -> AgreementRecord:
    return AgreementRecord(row.id, row.company_type, row.version, row.title, row.text, row.published_at)
