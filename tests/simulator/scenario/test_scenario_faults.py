"""Scenario steps go_offline and fault, run in memory against the reference backend."""

from __future__ import annotations

import orjson
import pytest

from evharness import scenarios
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.persistence import Store
from evharness.scenarios.model import Scenario
from evharness.simulator.core.events import PeerViolated, TransactionEnded
from tests.simulator.csms_calls import sent
from tests.simulator.pair import Pair, scenario_station


@pytest.mark.parametrize(
    "version", [OcppVersion.V16, OcppVersion.V201, OcppVersion.V21], ids=lambda v: v.value
)
def test_the_offline_scenario_replays_everything_in_order(store: Store, version: OcppVersion) -> None:
    scenario = scenarios.load("offline_charging")
    pair = Pair.open("SIM-0001", version, store, scenario_station(scenario, "SIM-0001"))
    runner = pair.run(scenario)
    assert runner.failed == []
    assert runner.done
    (ended,) = [e for e in pair.station.events if isinstance(e, TransactionEnded)]
    assert ended.energy_wh == pytest.approx(11_000 * 0.5, abs=1.0)
    (recorded,) = store.transactions("SIM-0001")
    assert recorded.energy_wh == pytest.approx(ended.energy_wh, abs=1.0)
    if version is OcppVersion.V16:
        stop = sent(pair, "StopTransaction")[-1]
        assert stop["transactionId"] == sent_start_id(pair)
        assert len(stop["transactionData"]) == 1
    else:
        events = sent(pair, "TransactionEvent")
        assert [e["seqNo"] for e in events] == list(range(len(events)))
        offline = [e for e in events if e.get("offline")]
        assert offline, "events made during the outage carry offline: true"
        assert offline[-1]["eventType"] == "Ended"
        stamps = [e["timestamp"] for e in events]
        assert stamps == sorted(stamps)  # replayed in order


def sent_start_id(pair: Pair) -> int:
    for direction, text in pair.frames:
        frame = orjson.loads(text)
        if direction == "in" and frame[0] == 3 and "transactionId" in frame[2]:
            return int(frame[2]["transactionId"])
    raise AssertionError("no StartTransaction answered")


def test_fault_steps_reach_the_wire(store: Store) -> None:
    scenario = Scenario.model_validate(
        {
            "name": "faults",
            "steps": [
                "boot",
                {"fault": {"kind": "malformed_frame"}},
                {"fault": {"kind": "out_of_order_frame"}},
                {"fault": {"kind": "drop_connection"}},
                {"wait": "1m"},
            ],
        }
    )
    pair = Pair.open("SIM-0001", OcppVersion.V201, store)
    runner = pair.run(scenario)
    assert runner.failed == []
    outgoing = [text for direction, text in pair.frames if direction == "out"]
    assert any(text.startswith('[2, "evharness-malformed"') for text in outgoing)
    assert '[3, "evharness-never-sent", {}]' in outgoing
    answers = [orjson.loads(t) for d, t in pair.frames if d == "in" and t.startswith("[4")]
    assert [a[2] for a in answers] == ["FormatViolation"]  # the CSMS answered the broken frame
    violations = [e.description for e in pair.station.events if isinstance(e, PeerViolated)]
    assert violations == ["CALLERROR for unknown messageId -1"]  # the answer to our broken frame
    assert pair.connected  # dropped and came back


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201], ids=lambda v: v.value)
def test_delayed_and_missing_answers_to_the_csms(store: Store, version: OcppVersion) -> None:
    pair = Pair.open("SIM-0001", version, store)
    pair.station.boot(pair.clock.now())
    pair.pump()
    pair.station.inject_fault("delay_responses", pair.clock.now(), 20)
    call = pair.csms.rpc.send_call("ClearCache", {}, pair.clock.now())
    pair.pump()
    assert not [t for d, t in pair.frames if d == "out" and call.message_id in t]
    pair.advance(20)
    assert [t for d, t in pair.frames if d == "out" and call.message_id in t]
    pair.station.inject_fault("stop_answering", pair.clock.now())
    silent = pair.csms.rpc.send_call("ClearCache", {}, pair.clock.now())
    pair.advance(120)
    assert not [t for d, t in pair.frames if d == "out" and silent.message_id in t]


def test_a_failed_expectation_keeps_the_frames_involved(store: Store) -> None:
    scenario = Scenario.model_validate(
        {
            "name": "wrong expectation",
            "tokens": [{"id": "stranger", "type": "rfid", "code": "DEADBEEF", "expect": "Accepted"}],
            "steps": ["boot", "plug_in", {"present_token": {"token": "stranger"}}],
        }
    )
    pair = Pair.open("SIM-0001", OcppVersion.V16, store)
    runner = pair.run(scenario)
    (failed,) = runner.failed
    assert failed.actual == "Invalid"
    assert failed.frames
    assert any("Authorize" in frame and "DEADBEEF" in frame for frame in failed.frames)
    assert failed.frames[-1].startswith("in [3,")  # the CSMS's answer is the evidence
