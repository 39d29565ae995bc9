"""Station templates: the bundled ones load and build stations; a broken one is named precisely."""

from __future__ import annotations

from pathlib import Path

import pytest

from evharness import scenarios
from evharness.idtokens import IdType
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.persistence import Store
from evharness.simulator import template
from evharness.simulator.asyncio.fleet import FleetPlan, build_runs
from evharness.simulator.core.clock import ManualClock
from evharness.simulator.core.model import PresentedToken
from tests.simulator.csms_calls import ask, sent
from tests.simulator.pair import Pair


@pytest.mark.parametrize("name", sorted(template.bundled()))
def test_every_bundled_template_builds_a_station(name: str) -> None:
    config = template.load(name).config("SIM-0001", 30.0)
    assert config.serial_number == "SIM-0001"
    assert config.ev is not None
    assert config.max_power_w > 0


def test_a_template_shapes_the_station_and_its_configuration(store: Store) -> None:
    config = template.load("dual_ac_22kw").config("SIM-0001", 30.0)
    pair = Pair.open("SIM-0001", OcppVersion.V16, store, config)
    pair.station.boot(pair.clock.now())
    pair.pump()
    assert len(pair.station.evses) == 2
    answer = ask(pair, "GetConfiguration", {"key": ["StopTransactionOnInvalidId", "NumberOfConnectors"]})
    assert {k["key"]: k["value"] for k in answer["configurationKey"]} == {
        "StopTransactionOnInvalidId": "true",
        "NumberOfConnectors": "2",
    }
    assert sent(pair, "BootNotification")[0]["chargePointModel"] == "Pedestal-2x22"


def test_an_ev_with_a_nearly_full_battery_tapers(store: Store) -> None:
    config = template.load("ac_wallbox_11kw").config("SIM-0001", 30.0)
    pair = Pair.open("SIM-0001", OcppVersion.V201, store, config)
    pair.station.boot(pair.clock.now())
    pair.station.plug_in(1, 1, pair.clock.now())
    pair.station.present_token(1, PresentedToken(IdType.RFID, "04A2B3C4D50001"), pair.clock.now())
    pair.pump()
    pair.station.ev_draw(1, 22_000.0, pair.clock.now())
    evse = pair.station.evses[1]
    assert evse.meter.power_w == pytest.approx(11_000.0)  # EV, EVSE and 16 A all allow 11 kW
    pair.advance(4 * 3600)  # 60 kWh battery from 20 %: full power to 80 %, then less and less
    assert evse.ev is not None
    soc = evse.ev.soc_percent
    assert 85.0 < soc < 100.0
    assert evse.meter.power_w == pytest.approx(11_000.0 * (100.0 - soc) / 20.0, rel=0.05)
    socs = [
        v["value"]
        for p in sent(pair, "TransactionEvent")
        for mv in p.get("meterValue", [])
        for v in mv["sampledValue"]
        if v["measurand"] == "SoC"
    ]
    assert socs == sorted(socs)
    assert socs[-1] > 85


def test_a_broken_template_is_named_by_file_and_field(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\nevses: 0\n")
    with pytest.raises(
        ValueError, match=r"broken.yaml: field evses: Input should be greater than or equal to 1"
    ):
        template.load(broken)
    unknown = tmp_path / "unknown.yaml"
    unknown.write_text("name: x\nconfiguration: {NoSuchKey: 1}\n")
    with pytest.raises(ValueError, match="unknown configuration variable 'NoSuchKey'"):
        template.load(unknown)
    with pytest.raises(ValueError, match="nor a bundled template"):
        template.load("no_such_template")


def test_a_fleet_with_a_template_keeps_the_scenarios_local_auth() -> None:
    """The template replaces the scenario's station, but not how its tokens are decided: the
    scenario's `local_auth` applies on top and wins over the template's configuration."""
    plan = FleetPlan(
        csms_url="ws://127.0.0.1:9/ocpp",
        versions=[OcppVersion.V16, OcppVersion.V201],
        scenarios=[scenarios.load("offline_cache")],  # no list, cache on, unknown ids allowed
        stations=2,
        template=template.load("dual_ac_22kw"),  # AllowOfflineTxForUnknownId: "false"
    )
    for run in build_runs(plan, ManualClock(), 1.0):
        device = run.station.device
        assert len(run.station.evses) == 2  # the template's hardware
        assert device.flag("AuthCtrlr.OfflineTxForUnknownIdEnabled")  # the scenario's setting won
        assert not device.flag("LocalAuthListCtrlr.Enabled")
        assert device.flag("TxCtrlr.StopTxOnInvalidId")  # the template's own, untouched
