"""What the console store hands out: frozen records, no SQLAlchemy rows past the persistence layer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class UserRecord:
    id: int
    email: str
    name: str
    password_hash: str | None
    created_at: datetime
    confirmed_at: datetime | None


@dataclass(frozen=True)
class CompanyRecord:
    id: int
    name: str
    type: str
    status: str
    country: str | None
    address: str | None
    vat_id: str | None
    partner_code: str | None


@dataclass(frozen=True)
class MembershipRecord:
    """One of a user's companies, with the user's role in it."""

    company: CompanyRecord
    role: str


@dataclass(frozen=True)
class MemberRecord:
    """One of a company's users, with their role."""

    user_id: int
    email: str
    name: str
    role: str


@dataclass(frozen=True)
class LinkRecord:
    purpose: str
    email: str
    user_id: int | None
    account_type: str | None
    issuer: str | None
    subject: str | None
    name: str | None
    expires_at: datetime
    used_at: datetime | None


@dataclass(frozen=True)
class AccessRequestRecord:
    id: int
    user_id: int
    user_email: str
    user_name: str
    company_id: int
    status: str
    created_at: datetime
    decided_at: datetime | None


@dataclass(frozen=True)
class ApplicationRecord:
    id: int
    applicant_id: int
    name: str
    type: str
    country: str
    address: str | None
    vat_id: str | None
    status: str
    created_at: datetime
    decided_at: datetime | None
    company_id: int | None


@dataclass(frozen=True)
class AgreementRecord:
    id: int
    company_type: str
    version: int
    title: str
    text: str
    published_at: datetime


@dataclass(frozen=True)
class AcceptanceRecord:
    agreement_id: int
    company_type: str
    version: int
    accepted_at: datetime


@dataclass(frozen=True)
class InstallationRecord:
    id: int
    company_id: int
    name: str
    created_at: datetime
