"""The bundled scenarios, run by the station core against the reference backend's session in memory."""

from __future__ import annotations

import pytest

from evharness import scenarios
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.persistence import Store
from evharness.scenarios.model import PresentTokenStep
from evharness.simulator.core.events import TransactionEnded
from tests.simulator.pair import Pair, scenario_station

VERSIONS = [OcppVersion.V16, OcppVersion.V201]


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
@pytest.mark.parametrize("name", ["pin_charging", "rfid_charging"])
def test_bundled_scenario_holds_every_expectation(store: Store, version: OcppVersion, name: str) -> None:
    scenario = scenarios.load(name)
    pair = Pair.open("SIM-0001", version, store, scenario_station(scenario, "SIM-0001"))

    runner = pair.run(scenario)

    assert runner.aborted is None
    assert runner.failed == []
    presented = [step for step in scenario.steps if isinstance(step, PresentTokenStep)]
    assert len(runner.expectations) == 1 + len(presented) + 1  # boot, each token, the transaction
    (ended,) = [e for e in pair.station.events if isinstance(e, TransactionEnded)]
    (recorded,) = [t for t in store.transactions("SIM-0001") if not t.running]
    assert recorded.energy_wh == pytest.approx(ended.energy_wh, abs=1.0)
    assert all(trip.ok for trip in pair.station.round_trips)


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_an_unseeded_station_gets_every_token_refused(store: Store, version: OcppVersion) -> None:
    scenario = scenarios.load("pin_charging")
    pair = Pair.open("OTHER-1", version, store, scenario_station(scenario, "OTHER-1"))

    runner = pair.run(scenario)

    failed = {e.what: e.actual for e in runner.failed}
    assert "token driver (pin) → Accepted" in failed
    assert failed["token driver (pin) → Accepted"] in ("Invalid", "Unknown")
    assert "token blocked-driver (pin) → Blocked" in failed  # unknown here, not Blocked
    recorded = store.transactions("OTHER-1")
    # 1.6 starts a transaction only for an accepted token; 2.0.1 opens one at plug-in (EVConnected)
    assert len(recorded) == (0 if version is OcppVersion.V16 else 1)
    assert all(t.id_token is None and not t.energy_wh for t in recorded)


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_the_certificates_scenario_renews_at_the_reference_backend(
    store: Store, version: OcppVersion
) -> None:
    scenario = scenarios.load("certificates")
    pair = Pair.open("SIM-0001", version, store, scenario_station(scenario, "SIM-0001"))
    runner = pair.run(scenario)
    assert runner.aborted is None
    assert runner.failed == []
    station_id = store.find_station_id("SIM-0001")
    assert station_id is not None
    kinds = sorted(e.type for e in store.security_events(station_id))
    assert kinds == ["StartupOfTheDevice", "TamperDetectionActivated"]


def test_a_refused_certificate_is_an_expectation_the_scenario_can_hold(store: Store) -> None:
    steps = ["boot", {"certificates": {"signed": "refuse"}}, {"renew_certificate": {"expect": ["refused"]}}]
    scenario = scenarios.parse({"name": "refuse", "steps": steps})
    pair = Pair.open("SIM-0001", OcppVersion.V201, store, scenario_station(scenario, "SIM-0001"))
    runner = pair.run(scenario)
    assert runner.failed == []
