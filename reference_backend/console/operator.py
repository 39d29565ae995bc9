"""Bootstrapping the platform operator: the built-in operator company and its first admin."""

from __future__ import annotations

from evharness.reference_backend.console.context import Console
from evharness.reference_backend.domain import validation as v
from evharness.reference_backend.domain.onboarding import CompanyDetails, CompanyType, Status
from evharness.reference_backend.domain.problems import Conflict

OPERATOR_NAME = "Platform operator"


def create_admin(console: Console, email: str, name: str, password: str) -> int:
    """A confirmed operator admin; the operator company is created on first use. Refuses a taken email."""
    address = v.normalise_email(email)
    person = v.check_name(name)
    v.check_password(password, address)
    password_hash = console.passwords.hash(password)
    with console.store.begin() as tx:
        if tx.user_by_email(address) is not None:
            raise Conflict(f"email: {address} has an account already")
        operators = tx.companies_of_type(CompanyType.OPERATOR)
        at = console.now()
        if operators:
            company_id = operators[0].id
        else:
            company_id = tx.add_company(
                CompanyDetails(OPERATOR_NAME, "ZZ"), CompanyType.OPERATOR, Status.ACTIVE, at
            )
        user_id = tx.add_user(address, person, password_hash, at, confirmed=True)
        tx.add_membership(user_id, company_id, "admin", at)
    return user_id
