"""A station's tariff in the console: read with `view_settings`, set and removed with `set_prices`
(the facility owner and the CPO: the seed's "set prices, tariff"). Refused input changes nothing and
names its field (`domain.tariffs.parse_tariff`); every change is in the station's audit trail. The
OCPP side reads the tariff from memory (`persistence.tariff_records`): a change applies to the next
transaction message, of running sessions too (docs/tariffs.md). The backend operator may set and
remove any station's tariff (the conformance driver sets up TC_I_01/02 so).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from evharness.reference_backend.console.station_access import StationAccess, Stations
from evharness.reference_backend.console.station_settings import push
from evharness.reference_backend.domain.problems import NotFound
from evharness.reference_backend.domain.tariffs import Tariff, parse_tariff
from evharness.reference_backend.persistence.tariff_records import FinalCost, TariffRecords


@dataclass(frozen=True, slots=True)
class StationRef:
    id: int
    identity: str
    actor: int | None  # the user acting; None: the backend operator


def _records(stations: Stations) -> TariffRecords:
    return TariffRecords(stations.store.engine)


def tariff(stations: Stations, access: StationAccess) -> Tariff:
    found = _records(stations).of(access.station.id)
    if found is None:
        raise NotFound(f"station {access.identity} has no tariff")
    return found


def set_tariff(stations: Stations, station: StationRef, body: dict[str, object]) -> Tariff:
    """Store the tariff; its currency becomes the station's `currency` setting (TariffCostCtrlr.Currency,
    the costs a station is told are in it), pushed now if the station is online, else when it connects."""
    wanted = parse_tariff(body)  # before anything is written
    records, now = _records(stations), stations.now()
    old = records.of(station.id)
    records.put(station.id, wanted, now)
    _audit(stations, station, old, wanted)
    with stations.store.begin() as tx:
        previous = tx.set_desired(station.id, "currency", wanted.currency, now)
        if previous != wanted.currency:
            tx.audit(station.id, station.actor, "setting", "currency", previous, wanted.currency, None, now)
    push(stations, station.identity)
    return wanted


def remove_tariff(stations: Stations, station: StationRef) -> None:
    records = _records(stations)
    old = records.of(station.id)
    if old is None or not records.remove(station.id):
        raise NotFound(f"station {station.identity} has no tariff")
    _audit(stations, station, old, None)


def as_operator(stations: Stations, identity: str) -> StationRef:
    """The backend operator (`--operator-token`) acts on any station, audited with no user."""
    with stations.store.begin() as tx:
        row = tx.station(identity)
    if row is None:
        raise NotFound(f"no station {identity!r}")
    return StationRef(row.id, identity, None)


def as_caller(access: StationAccess) -> StationRef:
    return StationRef(access.station.id, access.identity, access.caller.id)


def final_costs(stations: Stations, transaction_ids: list[int]) -> dict[int, FinalCost]:
    return _records(stations).final_costs(transaction_ids)


def _audit(stations: Stations, station: StationRef, old: Tariff | None, new: Tariff | None) -> None:
    def text(t: Tariff | None) -> str | None:
        return None if t is None else json.dumps(t.as_dict(), sort_keys=True)[:300]

    with stations.store.begin() as tx:
        tx.audit(station.id, station.actor, "tariff", "tariff", text(old), text(new), None, stations.now())
