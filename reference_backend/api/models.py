"""Request and response bodies shared by the routers (pydantic), and converters from store records.

Strings are bounded here so that generated or hostile input is refused with a 422 naming the field
before any rule runs; the rules in `domain.validation` then say what exactly is wrong.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field

from evharness.reference_backend.console.caller import Caller
from evharness.reference_backend.persistence.console_records import (
    AcceptanceRecord,
    AccessRequestRecord,
    AgreementRecord,
    ApplicationRecord,
    CompanyRecord,
    InstallationRecord,
    MemberRecord,
)

Email = Annotated[str, Field(min_length=1, max_length=254, examples=["ada@example.com"])]
Password = Annotated[str, Field(min_length=1, max_length=256, examples=["correct-Horse-7"])]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Token = Annotated[str, Field(min_length=1, max_length=200)]
ShortText = Annotated[str, Field(max_length=300)]


class Accepted(BaseModel):
    """A request that starts something by email: the answer never tells whether the address is known."""

    detail: str


class Company(BaseModel):
    id: int
    name: str
    type: str
    status: str
    country: str | None
    address: str | None
    vat_id: str | None
    partner_code: str | None

    @classmethod
    def of(cls, record: CompanyRecord) -> Company:
        return cls(**record.__dict__)


class Membership(BaseModel):
    company: Company
    role: str


class Agreement(BaseModel):
    id: int
    company_type: str
    version: int
    title: str
    text: str
    published_at: datetime

    @classmethod
    def of(cls, record: AgreementRecord) -> Agreement:
        return cls(**record.__dict__)


class Acceptance(BaseModel):
    agreement_id: int
    company_type: str
    version: int
    accepted_at: datetime

    @classmethod
    def of(cls, record: AcceptanceRecord) -> Acceptance:
        return cls(**record.__dict__)


class Me(BaseModel):
    id: int
    email: str
    name: str
    operator: bool
    companies: list[Membership]
    pending_agreements: list[Agreement]

    @classmethod
    def of(cls, caller: Caller) -> Me:
        return cls(
            id=caller.user.id,
            email=caller.user.email,
            name=caller.user.name,
            operator=caller.is_operator,
            companies=[Membership(company=Company.of(m.company), role=m.role) for m in caller.memberships],
            pending_agreements=[Agreement.of(a) for a in caller.pending_agreements],
        )


class Session(BaseModel):
    token: str
    token_type: str = "bearer"
    expires_in: int
    me: Me


class AccessRequest(BaseModel):
    id: int
    user_id: int
    user_email: str
    user_name: str
    company_id: int
    status: str
    created_at: datetime
    decided_at: datetime | None

    @classmethod
    def of(cls, record: AccessRequestRecord) -> AccessRequest:
        return cls(**record.__dict__)


class Application(BaseModel):
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

    @classmethod
    def of(cls, record: ApplicationRecord) -> Application:
        return cls(**record.__dict__)


class Member(BaseModel):
    user_id: int
    email: str
    name: str
    role: str

    @classmethod
    def of(cls, record: MemberRecord) -> Member:
        return cls(**record.__dict__)


class Installation(BaseModel):
    id: int
    company_id: int
    name: str
    created_at: datetime

    @classmethod
    def of(cls, record: InstallationRecord) -> Installation:
        return cls(**record.__dict__)
