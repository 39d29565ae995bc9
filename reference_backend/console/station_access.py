"""The station use cases' context, and the one check every station route goes through.

`require(stations, caller, identity, actions)` finds the station, works out the caller's roles on it
from its grants (`domain.station_roles`) and asks the matrix (`domain.permissions`) for each action:
the first one refused is a 403 naming the action, the roles it needs and the caller's roles there.
It runs before anything is written, so a refusal changes nothing and pushes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from evharness.reference_backend.console.caller import Caller
from evharness.reference_backend.console.context import Console
from evharness.reference_backend.domain.permissions import Action, Role, refusal
from evharness.reference_backend.domain.problems import Forbidden, NotFound
from evharness.reference_backend.domain.station_roles import Grant, Person, roles_of
from evharness.reference_backend.operations import Operations
from evharness.reference_backend.persistence.station_access import StationStore, StationTx
from evharness.reference_backend.persistence.station_records import StationRow


@dataclass
class Stations:
    console: Console
    store: StationStore
    operations: Operations | None = field(default=None)  # None: no OCPP server (tools, tests)
    # Called with the station identity after its identifications changed (the backend syncs the
    # station's local authorization list).
    on_identifications_changed: Callable[[str], None] | None = field(default=None)

    def now(self) -> datetime:
        return self.console.now()


@dataclass(frozen=True)
class StationAccess:
    """A station the caller may act on, with the caller's roles there."""

    caller: Caller
    station: StationRow
    roles: frozenset[Role]

    @property
    def identity(self) -> str:
        return self.station.identity


def person(caller: Caller) -> Person:
    return Person(caller.id, caller.user.email, frozenset(m.company.id for m in caller.active()))


def roles_in(tx: StationTx, caller: Caller, station: StationRow) -> frozenset[Role]:
    grants = [Grant(Role(g.role), g.company_id, g.user_id, g.email) for g in tx.grants(station.id)]
    candidate = station.added_by_company_id
    if candidate is not None:
        company = tx.company(candidate)
        candidate = candidate if company is not None and company.type == "installer" else None
    return roles_of(person(caller), grants, candidate)


def station_in(tx: StationTx, identity: str) -> StationRow:
    found = tx.station(identity)
    if found is None:
        raise NotFound(f"no station {identity!r}")
    return found


def check(tx: StationTx, caller: Caller, identity: str, actions: Iterable[Action]) -> StationAccess:
    station = station_in(tx, identity)
    roles = roles_in(tx, caller, station)
    for action in actions:
        problem = refusal(action, roles, f"station {identity}")
        if problem is not None:
            raise Forbidden(problem)
    return StationAccess(caller, station, roles)


def require(stations: Stations, caller: Caller, identity: str, actions: Iterable[Action]) -> StationAccess:
    with stations.store.begin() as tx:
        return check(tx, caller, identity, actions)
