"""What the CSMS keeps of a station's reservations and display messages, for the console (read with
`view_settings`; made and changed through the remote operations, `console.remote`)."""

from __future__ import annotations

from evharness.reference_backend.console.station_access import StationAccess, Stations
from evharness.reference_backend.persistence.function_records import (
    DisplayMessageRecord,
    DisplayMessageRecords,
    ReservationRecord,
    ReservationRecords,
)


def reservations(stations: Stations, access: StationAccess) -> list[ReservationRecord]:
    """Every reservation, newest first; one past its expiry shows expired."""
    return ReservationRecords(stations.store.engine).of_station(access.station.id, stations.now())


def display_messages(stations: Stations, access: StationAccess) -> list[DisplayMessageRecord]:
    """The messages the CSMS set (and the station accepted) or the station reported."""
    return DisplayMessageRecords(stations.store.engine).of_station(access.station.id)
