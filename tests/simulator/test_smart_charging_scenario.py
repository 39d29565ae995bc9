"""The bundled smart_charging scenario against the reference backend, in memory: every expectation
holds, the power follows the limits in the meter values, the summary counts what happened."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from evharness import scenarios
from evharness.ocppj.versions import OcppVersion
from evharness.ocppj.vocabulary import Action
from evharness.reference_backend.handlers import v201 as backend_201
from evharness.reference_backend.persistence import Store
from evharness.seed import seed
from evharness.simulator.asyncio.fleet import FleetResult, StationRun
from evharness.simulator.asyncio.transport import StationLink
from evharness.simulator.core.events import LimitChanged
from evharness.simulator.summary import render, summarize
from tests.simulator.csms_calls import sent
from tests.simulator.pair import Pair, scenario_station


@pytest.fixture
def smart_store(tmp_path: Path) -> Store:
    url = f"sqlite:///{tmp_path / 'smart.sqlite3'}"
    seed(url, scenarios.load("smart_charging"), 1, "SIM")
    return Store.from_url(url)


def powers(pair: Pair, version: OcppVersion) -> set[float]:
    """Every Power.Active.Import the station reported, W."""
    if version is OcppVersion.V16:
        values = [v for m in sent(pair, "MeterValues") for v in m["meterValue"]]
    else:
        values = [v for e in sent(pair, "TransactionEvent") for v in e.get("meterValue", [])]
    return {
        float(s["value"])
        for v in values
        for s in v["sampledValue"]
        if s.get("measurand") == "Power.Active.Import"
    }


# 2.0.1 needs a CSMS that answers the K messages (NotifyEVChargingNeeds …): the reference backend's
# smart-charging handlers, landed separately from the station's side (docs/smart-charging.md)
VERSIONS = [OcppVersion.V16] + [OcppVersion.V201] * (Action.NotifyEVChargingNeeds in backend_201.HANDLERS)


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_the_bundled_smart_charging_scenario_holds(smart_store: Store, version: OcppVersion) -> None:
    scenario = scenarios.load("smart_charging")
    pair = Pair.open("SIM-0001", version, smart_store, scenario_station(scenario, "SIM-0001"))
    runner = pair.run(scenario)
    assert runner.aborted is None
    assert runner.failed == []
    reported = powers(pair, version)
    assert {3_700.0, 6_900.0} <= reported  # the EMS's 3.7 kW, the grid operator's 10 A
    assert max(reported) <= 11_000.0
    changes = [e.what for e in pair.station.events if isinstance(e, LimitChanged)]
    assert changes.count("external_limit") == 2
    assert changes.count("external_released") == 2
    link = StationLink(pair.station, "ws://127.0.0.1:9", pair.clock)
    run = StationRun("SIM-0001", version, scenario, link, runner)
    summary = summarize(FleetResult([run], 1.0, 0.0))
    assert summary["smart_charging"]["external_limit"] == 2
    assert summary["lowest_limit_kw"] == 3.7
    console = Console(width=200, record=True)
    render(summary, console)
    assert "lowest limit applied: 3.7 kW" in console.export_text()
    if version is OcppVersion.V201:
        assert len(sent(pair, "NotifyChargingLimit")) == 2
        assert len(sent(pair, "ClearedChargingLimit")) == 2
        assert len(sent(pair, "NotifyEVChargingNeeds")) == 2
    smart_store.dispose()
