"""Versioned agreements per company type (seed 002): the operator publishes, users accept.

Publishing a new version makes every user of that type owe an acceptance: `Caller.pending_agreements`
lists it at their next request, and until they accept, only their profile, the agreements and logout work.
"""

from __future__ import annotations

from evharness.reference_backend.console.caller import Caller
from evharness.reference_backend.console.context import Console
from evharness.reference_backend.domain import validation as v
from evharness.reference_backend.domain.onboarding import AGREEMENT_TYPES, CompanyType
from evharness.reference_backend.domain.problems import Conflict, InvalidInput, NotFound
from evharness.reference_backend.persistence.console_records import AcceptanceRecord, AgreementRecord


def _company_type(value: str) -> CompanyType:
    allowed = sorted(t.value for t in AGREEMENT_TYPES)
    if value not in allowed:
        raise InvalidInput("company_type", f"must be one of {', '.join(allowed)}")
    return CompanyType(value)


def publish(console: Console, caller: Caller, company_type: str, title: str, text: str) -> AgreementRecord:
    caller.require_operator("publish agreements")
    kind = _company_type(company_type)
    checked_title = v.check_text(title, "title", limit=200)
    checked_text = v.check_text(text, "text", limit=20000, multiline=True)
    with console.store.begin() as tx:
        return tx.add_agreement(kind, checked_title, checked_text, console.now())


def current(console: Console, company_type: str | None) -> list[AgreementRecord]:
    kinds = [_company_type(company_type)] if company_type is not None else None
    with console.store.begin() as tx:
        return tx.current_agreements(kinds)


def accept(console: Console, caller: Caller, agreement_id: int) -> AcceptanceRecord:
    with console.store.begin() as tx:
        agreement = tx.agreement(agreement_id)
        types = {m.company.type for m in caller.active()}
        if agreement is None or agreement.company_type not in types:
            raise NotFound(f"no agreement {agreement_id} for your companies")
        newest = tx.current_agreements([agreement.company_type])
        if agreement.id not in {a.id for a in newest}:
            raise Conflict(f"agreement {agreement_id} is not the current version: accept the newest one")
        tx.accept_agreement(caller.id, agreement.id, console.now())
        return next(a for a in tx.acceptances(caller.id) if a.agreement_id == agreement.id)


def acceptances(console: Console, caller: Caller) -> list[AcceptanceRecord]:
    with console.store.begin() as tx:
        return tx.acceptances(caller.id)
