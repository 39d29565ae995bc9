"""The I/O-free loop both transports run: the station's events and round trips are handed out once."""

from __future__ import annotations

from evharness import scenarios
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.persistence import Store
from evharness.simulator.core.events import RoundTrip, StationEvent
from tests.simulator.pair import Pair, scenario_station


def test_each_round_trip_is_reported_once_with_the_events_of_its_answer(store: Store) -> None:
    scenario = scenarios.load("pin_charging")
    pair = Pair.open("SIM-0001", OcppVersion.V201, store, scenario_station(scenario, "SIM-0001"))
    reported: list[tuple[RoundTrip, list[StationEvent]]] = []

    runner = pair.run(scenario, on_round_trip=lambda trip, _seconds, events: reported.append((trip, events)))

    assert runner.failed == []
    assert [trip for trip, _ in reported] == pair.station.round_trips  # each one, once, in order
    assert pair.station.events_received() == []  # drained by the driver
    assert pair.station.round_trips_received() == []
    authorize_events = [events for trip, events in reported if trip.action == "Authorize"]
    assert authorize_events
    assert all(any(type(e).__name__ == "Authorized" for e in events) for events in authorize_events)
