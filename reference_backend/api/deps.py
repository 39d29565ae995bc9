"""What handlers are given: the `ApiState` parts (`Console`, `Stations`, `Store`, `Operations`), the
`Caller` behind the bearer token, and the backend operator (`OperatorDep`).

`CallerDep` also requires every current agreement to be accepted (seed 002: a newer version must be
accepted at the next login before anything else works); `AnyCallerDep` is for the few endpoints that
must work before that: the profile, the agreements, logout.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from evharness.reference_backend.api.state import ApiState
from evharness.reference_backend.boot_policies import BootPolicies
from evharness.reference_backend.console import accounts
from evharness.reference_backend.console.caller import Caller
from evharness.reference_backend.console.context import Console
from evharness.reference_backend.console.station_access import Stations
from evharness.reference_backend.domain.problems import NotAuthenticated
from evharness.reference_backend.operations import Operations
from evharness.reference_backend.persistence import Store

_bearer = HTTPBearer(auto_error=False, description="the token of POST /api/session")

MAX_ID = 2**31 - 1  # ids are 32-bit in both databases; larger numbers are simply not found


def get_state(request: Request) -> ApiState:
    state: ApiState = request.app.state.api
    return state


StateDep = Annotated[ApiState, Depends(get_state)]


def get_console(state: StateDep) -> Console:
    return state.console


def get_stations(state: StateDep) -> Stations:
    return state.stations


def get_store(state: StateDep) -> Store:
    return state.store


def get_operations(state: StateDep) -> Operations:
    return state.operations


def get_boot_policies(state: StateDep) -> BootPolicies:
    return state.boot_policies


ConsoleDep = Annotated[Console, Depends(get_console)]
StationsDep = Annotated[Stations, Depends(get_stations)]
StoreDep = Annotated[Store, Depends(get_store)]
OperationsDep = Annotated[Operations, Depends(get_operations)]
BootPoliciesDep = Annotated[BootPolicies, Depends(get_boot_policies)]


def get_any_caller(
    console: ConsoleDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Caller:
    if credentials is None or not credentials.credentials:
        raise NotAuthenticated("log in first: send the session token as `Authorization: Bearer TOKEN`")
    return accounts.authenticate(console, credentials.credentials)


AnyCallerDep = Annotated[Caller, Depends(get_any_caller)]


def get_caller(caller: AnyCallerDep) -> Caller:
    caller.require_agreements_accepted()
    return caller


CallerDep = Annotated[Caller, Depends(get_caller)]


def require_operator(
    state: StateDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> None:
    """The backend operator's routes (`/api/operations/…`): the `--operator-token` as bearer token;
    without a configured token every request is refused."""
    token = state.operator_token
    if not token:
        raise HTTPException(403, "operations are disabled: start the backend with --operator-token")
    presented = credentials.credentials if credentials is not None else ""
    if not secrets.compare_digest(presented.encode(), token.encode()):
        raise HTTPException(401, "a valid operator token is required (Authorization: Bearer …)")


OperatorDep = Depends(require_operator)


def client_address(request: Request) -> str:
    """The peer address (no X-Forwarded-For: a client could pick its own rate-limit key)."""
    return request.client.host if request.client else "unknown"
