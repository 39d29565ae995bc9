"""Console API: make the CSMS send a CALL to a connected station (`POST /api/operations/…`).

Used by the conformance harness's `reference` driver and by operators. Until the roles issue puts
permissions on it, it takes one operator token (`--operator-token`, EVHARNESS_OPERATOR_TOKEN) as a
Bearer token; without a configured token every request is refused.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, HTTPException
from pydantic import BaseModel

from reference_backend.operations import Operations, OutcomeStatus


class OperationOutcome(BaseModel):
    station: str
    action: str
    status: OutcomeStatus  # result / error / timeout (not_connected, invalid, refused are HTTP errors)
    payload: dict[str, Any] | None = None
    error_code: str | None = None
    description: str = ""


def operator_guard(operator_token: str | None) -> Callable[..., None]:
    """A dependency that lets through only requests bearing the operator token."""

    def require_operator(authorization: Annotated[str | None, Header()] = None) -> None:
        if not operator_token:
            raise HTTPException(403, "operations are disabled: start the backend with --operator-token")
        presented = (authorization or "").removeprefix("Bearer ").strip()
        if not secrets.compare_digest(presented.encode(), operator_token.encode()):
            raise HTTPException(401, "a valid operator token is required (Authorization: Bearer …)")

    return require_operator


def operations_router(operations: Operations, operator_token: str | None) -> APIRouter:
    router = APIRouter(prefix="/api/operations", tags=["operations"])
    require_operator = operator_guard(operator_token)

    @router.post("/{station_id}/{action}", dependencies=[Depends(require_operator)])
    async def send_call(
        station_id: str, action: str, payload: Annotated[dict[str, Any], Body()]
    ) -> OperationOutcome:
        """Send the CALL `action` with `payload` to the connected station; its answer, or the timeout."""
        outcome = await operations.call(station_id, action, payload)
        if outcome.status == "not_connected":
            raise HTTPException(404, outcome.description)
        if outcome.status == "invalid":
            raise HTTPException(422, outcome.description)
        if outcome.status == "refused":  # not now: the station is Pending or Rejected (B02, B03)
            raise HTTPException(409, outcome.description)
        return OperationOutcome(
            station=station_id,
            action=action,
            status=outcome.status,
            payload=outcome.payload,
            error_code=outcome.error_code,
            description=outcome.description,
        )

    return router
