"""Console API: how the CSMS answers one station's BootNotification (`/api/operations/{station}/boot-policy`).

The operator (and the conformance harness's `reference` driver, for TC_B_02/30/31) holds a station
Pending or Rejected, or accepts it, without restarting the backend; DELETE returns it to the
backend's `--boot-policy`. The choice is stored (it outlives a restart) and applies from the station's
next BootNotification; a Pending or Rejected station is accepted at its next BootNotification once the
policy says `accepted`. A connected Pending station is asked for that BootNotification at once
(TriggerMessage, F06), through the operations path; a Rejected one boots again after its interval.
Behind the operator token (`deps.OperatorDep`), like the operations themselves.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, ConfigDict, Field

from evharness.identities import identity_problem
from evharness.ocppj.vocabulary import Action
from evharness.reference_backend.api.deps import BootPoliciesDep, OperationsDep, OperatorDep
from evharness.reference_backend.api.errors import REFUSALS
from evharness.reference_backend.boot_policies import BootPolicies
from evharness.reference_backend.domain.boot import BootPolicy, PolicyName, Registration, trigger_on_accept
from evharness.reference_backend.operations import Operations

MAX_RETRY_INTERVAL = 86_400


class BootPolicyBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    policy: PolicyName
    retry_interval: Annotated[int | None, Field(ge=1, le=MAX_RETRY_INTERVAL)] = None  # None: the default's
    trigger: bool = False  # pending: send TriggerMessage(BootNotification) right after the Pending answer


class BootPolicyState(BaseModel):
    station: str
    policy: PolicyName
    retry_interval: int
    trigger: bool
    own: bool  # False: the backend's --boot-policy applies
    connected: bool
    registration: Registration | None  # on its live connection, else its last boot answer (None: none yet)


router = APIRouter(prefix="/operations", tags=["operations"], dependencies=[OperatorDep], responses=REFUSALS)


def checked(station_id: str) -> str:
    problem = identity_problem(station_id)
    if problem is not None:
        raise HTTPException(422, f"station_id: {problem}")
    return station_id


def state(policies: BootPolicies, operations: Operations, station_id: str) -> BootPolicyState:
    policy = policies.policy_for(station_id)
    connection = operations.connection_of(station_id)
    registration = connection.registration if connection is not None else policies.last_answer(station_id)
    return BootPolicyState(
        station=station_id,
        policy=policy.name,
        retry_interval=policy.retry_interval,
        trigger=policy.trigger,
        own=policies.is_own(station_id),
        connected=connection is not None,
        registration=registration,
    )


def trigger_if_accepted(policies: BootPolicies, operations: Operations, station_id: str) -> None:
    """Ask a connected station held Pending for its BootNotification now that it would be accepted."""
    connection = operations.connection_of(station_id)
    if connection is None:
        return
    trigger = trigger_on_accept(policies.policy_for(station_id), connection.registration)
    if trigger is not None:
        operations.call_soon(station_id, Action.TriggerMessage, trigger)


@router.get("/{station_id}/boot-policy")
def read(station_id: str, policies: BootPoliciesDep, operations: OperationsDep) -> BootPolicyState:
    """The policy the station's next BootNotification meets, and where the station stands."""
    return state(policies, operations, checked(station_id))


@router.put("/{station_id}/boot-policy")
async def choose(
    station_id: str, body: BootPolicyBody, policies: BootPoliciesDep, operations: OperationsDep
) -> BootPolicyState:
    """Answer this station's BootNotifications Accepted, Pending or Rejected from now on."""
    interval = body.retry_interval or policies.default.retry_interval
    policy = BootPolicy(body.policy, interval, body.trigger)
    identity = checked(station_id)
    await asyncio.to_thread(policies.set, identity, policy)  # a database write
    trigger_if_accepted(policies, operations, identity)
    return state(policies, operations, identity)


@router.delete("/{station_id}/boot-policy")
async def forget(station_id: str, policies: BootPoliciesDep, operations: OperationsDep) -> BootPolicyState:
    """Back to the backend's default policy (`--boot-policy`)."""
    identity = checked(station_id)
    await asyncio.to_thread(policies.clear, identity)
    trigger_if_accepted(policies, operations, identity)
    return state(policies, operations, identity)
