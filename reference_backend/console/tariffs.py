"""A station's tariff in the console: read with `view_settings`, set and removed with `set_prices`
(the facility owner and the CPO: the seed's "set prices, tariff"). Refused input changes nothing and
names its field (`domain.tariffs.parse_tariff`); every change is in the station's audit trail. The
OCPP side reads the tariff from memory (`persistence.tariff_records`): a change applies to the next
transaction message, of running sessions too (docs/tariffs.md).
"""

from __future__ import annotations

import json

from reference_backend.console.station_access import StationAccess, Stations
from reference_backend.domain.problems import NotFound
from reference_backend.domain.tariffs import Tariff, parse_tariff
from reference_backend.persistence.tariff_records import FinalCost, TariffRecords


def _records(stations: Stations) -> TariffRecords:
    return TariffRecords(stations.store.engine)


def tariff(stations: Stations, access: StationAccess) -> Tariff:
    found = _records(stations).of(access.station.id)
    if found is None:
        raise NotFound(f"station {access.identity} has no tariff")
    return found


def set_tariff(stations: Stations, access: StationAccess, body: dict[str, object]) -> Tariff:
    wanted = parse_tariff(body)  # before anything is written
    records, now = _records(stations), stations.now()
    old = records.of(access.station.id)
    records.put(access.station.id, wanted, now)
    _audit(stations, access, old, wanted)
    return wanted


def remove_tariff(stations: Stations, access: StationAccess) -> None:
    records = _records(stations)
    old = records.of(access.station.id)
    if old is None or not records.remove(access.station.id):
        raise NotFound(f"station {access.identity} has no tariff")
    _audit(stations, access, old, None)


def final_costs(stations: Stations, transaction_ids: list[int]) -> dict[int, FinalCost]:
    return _records(stations).final_costs(transaction_ids)


def _audit(stations: Stations, access: StationAccess, old: Tariff | None, new: Tariff | None) -> None:
    def text(t: Tariff | None) -> str | None:
        return None if t is None else json.dumps(t.as_dict(), sort_keys=True)[:300]

    with stations.store.begin() as tx:
        tx.audit(
            access.station.id,
            access.caller.id,
            "tariff",
            "tariff",
            text(old),
            text(new),
            None,
            stations.now(),
        )
