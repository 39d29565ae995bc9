"""The cost a station is told, on the wire against the reference backend's session in memory: 2.0.1
CostUpdated and totalCost (I02/I03), 1.6 DataTransfer RunningCost / FinalCost (docs/tariffs.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from rich.console import Console

from evharness import scenarios
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.domain.tariffs import Tariff
from evharness.reference_backend.persistence import Store
from evharness.simulator.asyncio.fleet import FleetResult, StationRun
from evharness.simulator.asyncio.transport import StationLink
from evharness.simulator.core.cost import CostState
from evharness.simulator.core.events import CostReceived
from evharness.simulator.summary import render, summarize
from tests.simulator.csms_calls import sent
from tests.simulator.pair import Pair, scenario_station
from tests.simulator.protocol.test_calls import charging

V16, V201 = OcppVersion.V16, OcppVersion.V201
TARIFF = Tariff("EUR", energy_price_per_kwh=Decimal("0.30"), session_fee=Decimal("0.50"))


def priced(store: Store, identity: str = "SIM-0001") -> None:
    station_id = store.find_station_id(identity)
    assert station_id is not None
    store.tariffs.put(station_id, TARIFF, datetime.now(UTC))


def costs_received(pair: Pair) -> list[CostReceived]:
    return [e for e in pair.station.events_received() if isinstance(e, CostReceived)]


def charge_and_stop(pair: Pair) -> None:
    pair.station.ev_draw(1, 7_400.0, pair.clock.now())
    for _ in range(4):
        pair.advance(300)
        pair.send_follow_ups()  # the CSMS's CostUpdated / RunningCost after its answers
    pair.station.unplug(1, 1, pair.clock.now())
    pair.pump()
    pair.send_follow_ups()  # 1.6: FinalCost after the StopTransaction's answer


@pytest.mark.parametrize("version", [V16, V201])
def test_the_station_records_the_running_and_the_final_cost(version: OcppVersion, store: Store) -> None:
    pair = charging(version, store)
    priced(store)
    charge_and_stop(pair)
    received = costs_received(pair)
    assert [e.state for e in received][-1] == "final"
    assert "running" in [e.state for e in received]
    record = pair.station.costs.latest()
    assert record is not None
    assert record.state is CostState.FINAL
    assert record.total is not None
    assert record.total > TARIFF.session_fee  # energy was charged for
    assert record.shown == f"Total cost: {record.total} EUR"
    if version is V201:
        assert sent(pair, "TransactionEvent")[-1]["eventType"] == "Ended"


def test_a_16_station_without_the_extension_answers_unknown_vendor(store: Store) -> None:
    pair = charging(V16, store)
    pair.station.device.values["TariffCostCtrlr.Enabled[Cost]"] = "false"
    priced(store)
    charge_and_stop(pair)
    assert costs_received(pair) == []
    answers = [text for direction, text in pair.frames if direction == "out" and "UnknownVendorId" in text]
    assert answers  # the DataTransfers were answered from the vendor table


def test_a_201_end_without_a_cost_shows_the_fallback_message(store: Store) -> None:
    pair = charging(V201, store)  # no tariff: the CSMS says no cost
    charge_and_stop(pair)
    record = pair.station.costs.latest()
    assert record is not None
    assert record.state is CostState.FALLBACK
    assert record.shown == pair.station.device.values["TariffCostCtrlr.TotalCostFallbackMessage"]


@pytest.mark.parametrize("version", [V16, V201])
def test_the_bundled_cost_scenario_holds_against_the_reference_backend(
    version: OcppVersion, store: Store
) -> None:
    scenario = scenarios.load("cost")
    pair = Pair.open("SIM-0001", version, store, scenario_station(scenario, "SIM-0001"))
    priced(store)
    runner = pair.run(scenario)
    assert runner.failed == []
    costs = [(e.what, e.actual) for e in runner.expectations if e.what.startswith("cost")]
    assert costs == [("cost of the last transaction", "running"), ("cost of the last transaction", "final")]
    link = StationLink(pair.station, "ws://127.0.0.1:9", pair.clock)
    summary = summarize(FleetResult([StationRun("SIM-0001", version, scenario, link, runner)], 1.0, 0.0))
    assert summary["costs_received"] == {"final": 1}  # one transaction, its final cost told
    console = Console(width=200, record=True)
    render(summary, console)
    assert "cost received: 1 final" in console.export_text()


def test_the_cost_scenario_names_what_a_csms_without_a_tariff_told(store: Store) -> None:
    scenario = scenarios.load("cost")
    pair = Pair.open("SIM-0001", V201, store, scenario_station(scenario, "SIM-0001"))
    runner = pair.run(scenario)
    assert [(e.expected, e.actual) for e in runner.failed] == [
        (("running", "final"), "none told"),
        (("final",), "fallback"),
    ]
