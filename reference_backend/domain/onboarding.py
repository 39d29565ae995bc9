"""Onboarding rules (DESIGN §2, seeds 000 and 002) as data: company types, self-registration account
types and what each must give, decisions on requests and applications, default locations.

Theory of operation: every request that waits for someone (an access request to a company, a company
application, a data recipient's registration) is a row with a `status`; `DECISIONS` is the only place
that says which status a decision leads to, so "decide twice" is refused in one way everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from evharness.reference_backend.domain import validation as v
from evharness.reference_backend.domain.problems import Conflict, Forbidden, InvalidInput


class CompanyType(StrEnum):
    OPERATOR = "operator"  # the platform operator (OEM back office), built in
    PARTNER = "partner"  # wholesaler / distributor, a.k.a. channel partner
    CPO = "cpo"
    INSTALLER = "installer"
    CUSTOMER_BUSINESS = "customer_business"
    CUSTOMER_PERSONAL = "customer_personal"
    DATA_RECIPIENT = "data_recipient"


class AccountType(StrEnum):
    """What a person may self-register as (seed 002); each maps to the company type created."""

    CUSTOMER_BUSINESS = "customer_business"
    CUSTOMER_PERSONAL = "customer_personal"
    CHANNEL_PARTNER = "channel_partner"
    DATA_RECIPIENT = "data_recipient"


COMPANY_OF_ACCOUNT: Mapping[AccountType, CompanyType] = {
    AccountType.CUSTOMER_BUSINESS: CompanyType.CUSTOMER_BUSINESS,
    AccountType.CUSTOMER_PERSONAL: CompanyType.CUSTOMER_PERSONAL,
    AccountType.CHANNEL_PARTNER: CompanyType.PARTNER,
    AccountType.DATA_RECIPIENT: CompanyType.DATA_RECIPIENT,
}

# Company applications (seed 000) are for the trades; customers self-register instead.
APPLICATION_TYPES = frozenset({CompanyType.PARTNER, CompanyType.CPO, CompanyType.INSTALLER})

# Agreements are versioned per company type; every type but the operator can have them.
AGREEMENT_TYPES = frozenset(CompanyType) - {CompanyType.OPERATOR}

# Default location of a self-registered customer (seed 002).
DEFAULT_LOCATION: Mapping[CompanyType, str] = {
    CompanyType.CUSTOMER_PERSONAL: "Home",
    CompanyType.CUSTOMER_BUSINESS: "Location",
}


class Status(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    ACTIVE = "active"  # a company that may use the platform


class Decision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


DECISIONS: Mapping[tuple[Status, Decision], Status] = {
    (Status.PENDING, Decision.APPROVE): Status.APPROVED,
    (Status.PENDING, Decision.REJECT): Status.REJECTED,
}


def decide(what: str, status: Status, decision: Decision) -> Status:
    """The status after `decision`; a request decided already cannot be decided again."""
    try:
        return DECISIONS[(status, decision)]
    except KeyError:
        raise Conflict(f"{what} is {status.value} already and cannot be decided again") from None


@dataclass(frozen=True)
class OnboardingSettings:
    """What the platform operator configured (seed 002, 'User onboarding configuration')."""

    customer_business: bool = False
    customer_personal: bool = False
    channel_partner: bool = False
    data_recipient: bool = False
    channel_partner_without_code: bool = False
    default_location: bool = False
    sso_customer_creation: bool = False

    def allows(self, account_type: AccountType) -> bool:
        enabled: bool = getattr(self, account_type.value)
        return enabled


def check_self_registration(settings: OnboardingSettings, account_type: AccountType) -> None:
    if not settings.allows(account_type):
        raise Forbidden(f"self-registration as {account_type.value} is not enabled by the platform operator")


@dataclass(frozen=True)
class CompanyDetails:
    """A company's details, checked: what an application or a self-registration creates."""

    name: str
    country: str
    address: str | None = None
    vat_id: str | None = None


# The properties each account type must give at self-registration (seed 002: BUSINESS / PERSONAL sets).
REQUIRED_PROPERTIES: Mapping[AccountType, tuple[str, ...]] = {
    AccountType.CUSTOMER_BUSINESS: ("company_name", "country", "address", "vat_id"),
    AccountType.CUSTOMER_PERSONAL: ("country", "address"),
    AccountType.CHANNEL_PARTNER: ("company_name", "country", "address"),
    AccountType.DATA_RECIPIENT: ("company_name", "country"),
}


def registration_company(
    account_type: AccountType, person_name: str, properties: Mapping[str, str | None]
) -> CompanyDetails:
    """The customer / partner / recipient company a self-registration creates, from its properties."""
    required = REQUIRED_PROPERTIES[account_type]
    for key in required:
        if not properties.get(key):
            raise InvalidInput(key, f"is required for {account_type.value} registration")
    address = properties.get("address")
    vat_id = properties.get("vat_id")
    company_name = properties.get("company_name")
    return CompanyDetails(
        # A personal customer is a household named after its person.
        name=v.check_name(company_name, "company_name") if company_name else person_name,
        country=v.check_country(properties["country"] or ""),
        address=v.check_text(address, "address") if address else None,
        vat_id=v.check_text(vat_id, "vat_id", limit=32) if vat_id else None,
    )


def application_company(
    name: str, company_type: str, country: str, address: str | None, vat_id: str | None
) -> tuple[CompanyType, CompanyDetails]:
    """A company application's type and details (seed 000: partner, cpo or installer)."""
    kinds = ", ".join(sorted(t.value for t in APPLICATION_TYPES))
    if company_type not in {t.value for t in APPLICATION_TYPES}:
        raise InvalidInput("type", f"must be one of {kinds}")
    details = CompanyDetails(
        name=v.check_name(name, "name"),
        country=v.check_country(country),
        address=v.check_text(address, "address") if address is not None else None,
        vat_id=v.check_text(vat_id, "vat_id", limit=32) if vat_id is not None else None,
    )
    return CompanyType(company_type), details
