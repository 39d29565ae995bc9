"""Self-registration: the operator's onboarding settings and partner codes, and the registration flow."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from evharness.reference_backend.api.deps import CallerDep, ConsoleDep
from evharness.reference_backend.api.errors import REFUSALS
from evharness.reference_backend.api.models import (
    Accepted,
    Agreement,
    Company,
    Email,
    Me,
    Name,
    Password,
    ShortText,
    Token,
)
from evharness.reference_backend.console import registration
from evharness.reference_backend.console.context import SESSION_TTL
from evharness.reference_backend.domain.onboarding import AccountType, OnboardingSettings

router = APIRouter(tags=["self-registration"], responses=REFUSALS)


class Settings(BaseModel):
    """Which account types may self-register, and the options of seed 002."""

    customer_business: bool = False
    customer_personal: bool = False
    channel_partner: bool = False
    data_recipient: bool = False
    channel_partner_without_code: bool = False
    default_location: bool = False
    sso_customer_creation: bool = False


class PartnerCode(BaseModel):
    code: Annotated[str, Field(max_length=64, examples=["ACME-2024"])]
    used_by_company: int | None = None


class Start(BaseModel):
    email: Email
    account_type: AccountType


class Form(BaseModel):
    email: str
    account_type: AccountType
    required_properties: list[str]
    partner_code_required: bool
    agreements: list[Agreement]


class Properties(BaseModel):
    company_name: Name | None = None
    country: Annotated[str | None, Field(max_length=8)] = None
    address: ShortText | None = None
    vat_id: Annotated[str | None, Field(max_length=64)] = None


class Complete(BaseModel):
    token: Token
    name: Name
    password: Password
    properties: Properties = Properties()
    partner_code: Annotated[str | None, Field(max_length=64)] = None
    accepted_agreements: Annotated[list[int], Field(max_length=50)] = []


class Registered(BaseModel):
    """`pending_approval`: a data recipient, who can log in once the operator approves."""

    status: str
    company: Company
    token: str | None = None
    expires_in: int | None = None
    me: Me | None = None


@router.get("/onboarding/settings")
def get_settings(console: ConsoleDep) -> Settings:
    """Public: the login page shows "create account" for the enabled account types."""
    return Settings(**asdict(registration.settings(console)))


@router.put("/onboarding/settings")
def put_settings(body: Settings, caller: CallerDep, console: ConsoleDep) -> Settings:
    """Operator: enable self-registration per account type and its options."""
    saved = registration.configure(console, caller, OnboardingSettings(**body.model_dump()))
    return Settings(**asdict(saved))


@router.post("/onboarding/partner-codes", status_code=status.HTTP_201_CREATED)
def issue_partner_code(body: PartnerCode, caller: CallerDep, console: ConsoleDep) -> PartnerCode:
    """Operator: a code a channel partner gives when self-registering (each works once)."""
    return PartnerCode(code=registration.issue_partner_code(console, caller, body.code))


@router.get("/onboarding/partner-codes")
def list_partner_codes(caller: CallerDep, console: ConsoleDep) -> list[PartnerCode]:
    return [PartnerCode(code=c, used_by_company=u) for c, u in registration.partner_codes(console, caller)]


@router.get("/onboarding/pending-companies")
def pending_companies(caller: CallerDep, console: ConsoleDep) -> list[Company]:
    """Operator: registrations waiting for approval (data recipients); decide with /companies/{id}/approve."""
    return [Company.of(c) for c in registration.pending_companies(console, caller)]


@router.post("/registrations", status_code=status.HTTP_202_ACCEPTED)
def start(body: Start, console: ConsoleDep) -> Accepted:
    """Step 1: an email with a registration link (403 if the operator has not enabled the type)."""
    registration.start(console, body.email, body.account_type)
    return Accepted(detail="check your mailbox: the registration link is on its way")


@router.get("/links/register")
def form(token: Annotated[str, Query(min_length=1, max_length=200)], console: ConsoleDep) -> Form:
    """Step 2, the link: what to fill in (properties, partner code) and the agreements to accept."""
    found = registration.form(console, token)
    return Form(
        email=found.email,
        account_type=found.account_type,
        required_properties=list(found.required_properties),
        partner_code_required=found.partner_code_required,
        agreements=[Agreement.of(a) for a in found.agreements],
    )


@router.post("/registrations/complete", status_code=status.HTTP_201_CREATED)
def complete(body: Complete, console: ConsoleDep) -> Registered:
    """Step 3: the company and its admin user are created; the answer is a session (or pending approval)."""
    done = registration.complete(
        console,
        body.token,
        body.name,
        body.password,
        body.properties.model_dump(),
        body.partner_code,
        body.accepted_agreements,
    )
    if done.session_token is None or done.caller is None:
        return Registered(status="pending_approval", company=Company.of(done.company))
    return Registered(
        status="active",
        company=Company.of(done.company),
        token=done.session_token,
        expires_in=int(SESSION_TTL.total_seconds()),
        me=Me.of(done.caller),
    )
