"""`requires(Action.…)`: the station routes' declared permission, checked against the one matrix.

    @router.post("/stations/{identity}/operations/reset")
    def reset(access: Annotated[StationAccess, Depends(requires(Action.RESET))]) -> ...

The dependency finds the station named by the path's `identity`, the caller's roles on it, and refuses
with 403 (naming the action and those roles) before the handler runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Path

from evharness.reference_backend.api.deps import CallerDep, StationsDep
from evharness.reference_backend.console.station_access import StationAccess, require
from evharness.reference_backend.domain.permissions import Action

IdentityPath = Annotated[str, Path(min_length=1, max_length=48)]


def requires(*actions: Action) -> Callable[..., StationAccess]:
    def dependency(identity: IdentityPath, caller: CallerDep, stations: StationsDep) -> StationAccess:
        return require(stations, caller, identity, actions)

    dependency.__name__ = f"requires_{'_'.join(a.value for a in actions)}"
    return dependency


CanView = Annotated[StationAccess, Depends(requires(Action.VIEW_SETTINGS))]

__all__ = ["CanView", "IdentityPath", "StationsDep", "requires"]
