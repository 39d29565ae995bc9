"""Agreements: the operator publishes versions per company type; users see and accept them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, status
from pydantic import BaseModel, Field

from evharness.reference_backend.api.deps import MAX_ID, AnyCallerDep, CallerDep, ConsoleDep
from evharness.reference_backend.api.errors import REFUSALS
from evharness.reference_backend.api.models import Acceptance, Agreement
from evharness.reference_backend.console import agreements

router = APIRouter(tags=["agreements"], responses=REFUSALS)


class Publish(BaseModel):
    company_type: Annotated[str, Field(max_length=32, examples=["customer_personal"])]
    title: Annotated[str, Field(max_length=300)]
    text: Annotated[str, Field(max_length=20000)]


class MyAgreements(BaseModel):
    accepted: list[Acceptance]
    pending: list[Agreement]


@router.get("/agreements")
def current(
    console: ConsoleDep, company_type: Annotated[str | None, Query(max_length=32)] = None
) -> list[Agreement]:
    """Public: the current version of each type's agreement (registration forms show them)."""
    return [Agreement.of(a) for a in agreements.current(console, company_type)]


@router.post("/agreements", status_code=status.HTTP_201_CREATED)
def publish(body: Publish, caller: CallerDep, console: ConsoleDep) -> Agreement:
    """Operator: publish a new version; users of that type must accept it at their next login."""
    return Agreement.of(agreements.publish(console, caller, body.company_type, body.title, body.text))


@router.get("/me/agreements")
def mine(caller: AnyCallerDep, console: ConsoleDep) -> MyAgreements:
    """What I accepted (which version, when) and what I still must accept."""
    return MyAgreements(
        accepted=[Acceptance.of(a) for a in agreements.acceptances(console, caller)],
        pending=[Agreement.of(a) for a in caller.pending_agreements],
    )


@router.post("/me/agreements/{agreement_id}/accept")
def accept(
    agreement_id: Annotated[int, Path(ge=1, le=MAX_ID)], caller: AnyCallerDep, console: ConsoleDep
) -> Acceptance:
    return Acceptance.of(agreements.accept(console, caller, agreement_id))
