"""A station's transactions: what the CSMS recorded (energy flags included) and ending a stuck one.

- `GET /api/stations/{identity}/transactions` (`view_settings`): newest first, with who ended each
  (`station` / `csms`), why the CSMS did (`end_note`) and why the energy does not add up
  (`energy_problem`; `energy_wh` is then null: no made-up figure) and, for one the station ended
  under a tariff, its final cost (`total_cost`, `currency`; docs/tariffs.md).
- `POST /api/stations/{identity}/transactions/{id}/end` `{"reason": "…"}` (`end_transaction`): ended
  by the CSMS with that reason and the last meter reading known; 404 unknown, 409 not running.
- `POST /api/operations/{identity}/transactions/{id}/end`: the same for the backend operator
  (`--operator-token`), like the other operations.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from evharness.reference_backend.api.deps import MAX_ID, CallerDep, OperatorDep, StationsDep, StoreDep
from evharness.reference_backend.api.errors import REFUSALS
from evharness.reference_backend.api.station_deps import CanView, IdentityPath
from evharness.reference_backend.console import tariffs, transactions

router = APIRouter(tags=["transactions"], responses=REFUSALS)

TransactionId = Annotated[int, Path(ge=1, le=MAX_ID)]


class Transaction(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    transaction_ref: str | None
    evse_id: int | None
    state: str
    started_at: datetime | None
    stopped_at: datetime | None
    stop_reason: str | None
    ended_by: str | None
    end_note: str | None
    meter_start_wh: float | None
    meter_last_wh: float | None
    meter_last_at: datetime | None
    meter_stop_wh: float | None
    energy_wh: float | None
    energy_problem: str | None
    id_token_status: str | None
    total_cost: str | None = None  # the final cost, once the station ended it under a tariff
    currency: str | None = None


class EndBody(BaseModel):
    reason: Annotated[str, Field(min_length=1, max_length=200)]


@router.get("/stations/{identity}/transactions")
def list_transactions(access: CanView, store: StoreDep, st: StationsDep) -> list[Transaction]:
    listed = transactions.listed(store, access)
    costs = tariffs.final_costs(st, [t.id for t in listed])
    return [
        Transaction.model_validate(t).model_copy(
            update={"total_cost": str(c.total_cost), "currency": c.currency} if (c := costs.get(t.id)) else {}
        )
        for t in listed
    ]


@router.post("/stations/{identity}/transactions/{transaction_id}/end")
def end_transaction(
    identity: IdentityPath,
    transaction_id: TransactionId,
    body: EndBody,
    caller: CallerDep,
    st: StationsDep,
    store: StoreDep,
) -> Transaction:
    """End a stuck transaction in the CSMS's records (the station is not asked: see remote stop)."""
    ended = transactions.end_transaction(st, store, caller, identity, transaction_id, body.reason)
    return Transaction.model_validate(ended)


operator_router = APIRouter(
    prefix="/operations", tags=["operations"], responses=REFUSALS, dependencies=[OperatorDep]
)


@operator_router.post("/{identity}/transactions/{transaction_id}/end")
def end_as_operator(
    identity: IdentityPath, transaction_id: TransactionId, body: EndBody, st: StationsDep, store: StoreDep
) -> Transaction:
    """The backend operator's way to end a stuck transaction (operator token, like `/api/operations`)."""
    ended = transactions.end_transaction(st, store, None, identity, transaction_id, body.reason)
    return Transaction.model_validate(ended)
