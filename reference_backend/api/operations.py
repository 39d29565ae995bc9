"""Console API of the backend operator: make the CSMS send a CALL to a connected station
(`POST /api/operations/{station}/{action}`), through the one path of `operations.Operations`.

Used by the conformance harness's `reference` driver and by operators. It takes the operator token
(`--operator-token`, EVHARNESS_OPERATOR_TOKEN) as a bearer token (`deps.OperatorDep`), like every
`/api/operations` route; without a configured token every request is refused.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException
from pydantic import BaseModel

from evharness.reference_backend.api.deps import OperationsDep, OperatorDep
from evharness.reference_backend.api.errors import REFUSALS
from evharness.reference_backend.operations import OutcomeKind

router = APIRouter(prefix="/operations", tags=["operations"], dependencies=[OperatorDep], responses=REFUSALS)


class OperationOutcome(BaseModel):
    station: str
    action: str
    status: OutcomeKind  # result / error / timeout (not_connected, invalid, refused are HTTP errors)
    payload: dict[str, Any] | None = None
    error_code: str | None = None
    description: str = ""


@router.post("/{station_id}/{action}")
async def send_call(
    station_id: str, action: str, payload: Annotated[dict[str, Any], Body()], operations: OperationsDep
) -> OperationOutcome:
    """Send the CALL `action` with `payload` to the connected station; its answer, or the timeout."""
    outcome = await operations.call(station_id, action, payload)
    if outcome.kind == "not_connected":
        raise HTTPException(404, outcome.description)
    if outcome.kind == "invalid":
        raise HTTPException(422, outcome.description)
    if outcome.kind == "refused":  # not now: the station is Pending or Rejected (B02, B03)
        raise HTTPException(409, outcome.description)
    return OperationOutcome(
        station=station_id,
        action=action,
        status=outcome.kind,
        payload=outcome.payload,
        error_code=outcome.error_code,
        description=outcome.description,
    )
