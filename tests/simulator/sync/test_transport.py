"""The blocking link (`simulator.sync`, what Locust drives) over real websockets on 127.0.0.1, against the
reference backend in a child process, with plain threads: the same station core and scenario runner."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from evharness import scenarios
from evharness.backend_process import BackendProcess
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.persistence import Store
from evharness.simulator.core.clock import ScaledClock
from evharness.simulator.core.events import RoundTrip, StationEvent
from evharness.simulator.core.model import StationConfig
from evharness.simulator.core.station import Station
from evharness.simulator.protocol import adapter_for
from evharness.simulator.scenario.runner import ScenarioRunner
from evharness.simulator.sync.transport import LinkError, SyncStationLink
from tests.simulator.fake_csms import FakeCsms

SCALE = 3000.0


@pytest.fixture
def backend(database_url: str, store: Store) -> Iterator[BackendProcess]:
    process = BackendProcess(database_url).start()
    try:
        yield process
    finally:
        code = process.stop()
    assert code == 0, "\n".join(process.output)


def make_link(
    identity: str, version: OcppVersion, url: str, trips: list[tuple[RoundTrip, float]]
) -> SyncStationLink:
    clock = ScaledClock(SCALE)
    config = StationConfig(max_power_w=22_000.0, call_timeout_s=10 * SCALE)
    station = Station(identity, adapter_for(version), config, clock.now())

    def record(trip: RoundTrip, seconds: float, _events: list[StationEvent]) -> None:
        trips.append((trip, seconds))

    return SyncStationLink(station, url, clock, on_round_trip=record)


def test_stations_in_threads_run_both_scenarios_and_report_every_round_trip(backend: BackendProcess) -> None:
    results: dict[str, list[str]] = {}
    trips: dict[str, list[tuple[RoundTrip, float]]] = {}

    def drive(identity: str, version: OcppVersion, scenario_name: str) -> None:
        trips[identity] = []
        link = make_link(identity, version, backend.ocpp_url, trips[identity])
        runner = ScenarioRunner(link.station, scenarios.load(scenario_name))
        link.connect()
        try:
            link.run(runner, timeout=30)
        finally:
            link.close()
        results[identity] = [f"{e.what}: {e.actual}" for e in runner.failed] + (
            [] if runner.done else ["not done"]
        )
        # a whole session leaves nothing open: the load user starts its next one from here
        if any(evse.transaction is not None for evse in link.station.evses.values()) or not link.station.idle:
            results[identity].append("left a transaction or messages behind")

    plan = [
        ("SIM-0001", OcppVersion.V16, "pin_charging"),
        ("SIM-0002", OcppVersion.V201, "pin_charging"),
        ("SIM-0003", OcppVersion.V16, "rfid_charging"),
        ("SIM-0004", OcppVersion.V201, "rfid_charging"),
    ]
    threads = [threading.Thread(target=drive, args=args) for args in plan]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert results == {identity: [] for identity, _, _ in plan}
    for identity, version, _ in plan:
        actions = {trip.action for trip, _ in trips[identity]}
        # 1.6 meters with MeterValues, 2.0.1 with TransactionEvent(Updated)
        own = (
            {"StartTransaction", "MeterValues", "StopTransaction"}
            if version is OcppVersion.V16
            else {"TransactionEvent"}
        )
        assert {"BootNotification", "Authorize", "StatusNotification", *own} <= actions
        assert all(trip.ok for trip, _ in trips[identity])
        assert all(0.0 < seconds < 10.0 for _, seconds in trips[identity])  # real seconds, not simulated


def test_an_unreachable_csms_is_a_link_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    link = make_link("SIM-0001", OcppVersion.V201, f"ws://127.0.0.1:{port}/ocpp", [])
    with pytest.raises(LinkError, match="SIM-0001"):
        link.connect()
    assert not link.connected


def test_a_refused_handshake_is_a_final_link_error(backend: BackendProcess) -> None:
    link = make_link("SIM-0001", OcppVersion.V201, backend.ocpp_url.replace("/ocpp", "/elsewhere"), [])
    with pytest.raises(LinkError, match=r"HTTP 404 .*not retried") as raised:
        link.connect()
    assert raised.value.final


def test_a_busy_csms_is_a_link_error_worth_retrying() -> None:
    with FakeCsms(refuse=503) as csms:
        link = make_link("SIM-0001", OcppVersion.V201, csms.url, [])
        with pytest.raises(LinkError, match="503") as raised:
            link.connect()
    assert not raised.value.final


def test_the_identity_goes_where_the_url_template_says() -> None:
    with FakeCsms() as csms:
        link = make_link("SIM-0001", OcppVersion.V201, f"ws://127.0.0.1:{csms.port}/ws/{{identity}}/?k=1", [])
        link.connect()
        link.close()
    assert csms.paths == ["/ws/SIM-0001/?k=1"]


def test_a_scenario_that_outlasts_its_timeout_fails_and_closes_the_link(backend: BackendProcess) -> None:
    link = make_link("SIM-0001", OcppVersion.V201, backend.ocpp_url, [])
    link.clock = ScaledClock(1.0)  # real time: the 6 kWh charge would take half an hour
    runner = ScenarioRunner(link.station, scenarios.load("pin_charging"))
    link.connect()
    with pytest.raises(LinkError, match="not finished within 1 s"):
        link.run(runner, timeout=1)
    assert not link.connected
    assert not link.station.connected
