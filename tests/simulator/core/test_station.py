"""The station core's own rules, exercised in memory against the reference backend or a bare peer."""

from __future__ import annotations

import re

import orjson
import pytest

from evharness.idtokens import IdType
from evharness.ocppj.frames import Payload
from evharness.ocppj.rpc import CallReceived, RpcEndpoint
from evharness.ocppj.timefmt import format_timestamp
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.persistence import Store
from evharness.simulator.core.clock import ManualClock
from evharness.simulator.core.events import Authorized, Booted, CallFailed, PeerViolated, TransactionEnded
from evharness.simulator.core.model import PresentedToken, StationConfig
from evharness.simulator.core.notes import HeartbeatNote
from evharness.simulator.core.station import Station
from evharness.simulator.protocol import adapter_for
from tests.simulator.pair import Pair

DRIVER = PresentedToken(IdType.PIN, "#4821")  # active on SIM-000N (pin_charging)
CARD = PresentedToken(IdType.RFID, "04A2B3C4D50001")  # active on SIM-000N (rfid_charging)


def sent(pair: Pair, action: str) -> list[Payload]:
    """Payloads of the CALLs the station sent for `action`, in order."""
    frames = [orjson.loads(text) for direction, text in pair.frames if direction == "out"]
    return [f[3] for f in frames if f[0] == 2 and f[2] == action]


def booted(version: OcppVersion, store: Store, identity: str = "SIM-0001") -> Pair:
    pair = Pair.open(identity, version, store)
    pair.station.boot(pair.clock.now())
    pair.pump()
    assert pair.station.boot_status == "Accepted"
    return pair


def test_a_16_stop_queued_behind_its_start_gets_the_csms_transaction_id(store: Store) -> None:
    pair = booted(OcppVersion.V16, store)
    pair.station.plug_in(1, 1, pair.clock.now())
    pair.pump()
    pair.station.present_token(1, DRIVER, pair.clock.now())
    # deliver the Authorize and its answer, but hold back the CSMS's answer to StartTransaction
    pair.csms.receive(pair.station.data_to_send()[0], pair.clock.now())
    pair.station.receive(pair.csms.data_to_send()[0], pair.clock.now())
    (start,) = pair.station.data_to_send()
    pair.station.stop_transaction(1, "Local", pair.clock.now())  # queued: StartTransaction is in flight
    assert pair.station.data_to_send() == []
    pair.csms.receive(start, pair.clock.now())
    (answer,) = pair.csms.data_to_send()
    pair.station.receive(answer, pair.clock.now())
    pair.pump()

    (stop,) = sent(pair, "StopTransaction")
    assert stop["transactionId"] == orjson.loads(answer)[2]["transactionId"]
    assert [t.running for t in store.transactions("SIM-0001")] == [False]


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201], ids=lambda v: v.value)
def test_transaction_messages_survive_a_disconnection_and_replay_in_order(
    store: Store, version: OcppVersion
) -> None:
    pair = booted(version, store)
    pair.station.plug_in(1, 1, pair.clock.now())
    pair.station.present_token(1, CARD, pair.clock.now())
    pair.pump()
    pair.station.ev_draw(1, 11_000.0, pair.clock.now())
    pair.advance(120)
    pair.disconnect()
    pair.advance(600)  # ten meter values and two heartbeats fall due while offline
    pair.station.stop_transaction(1, "Local", pair.clock.now())
    heartbeats_before = len(sent(pair, "Heartbeat"))
    pair.reconnect()

    assert len(sent(pair, "Heartbeat")) == heartbeats_before  # not worth replaying
    (ended,) = [e for e in pair.station.events if isinstance(e, TransactionEnded)]
    (recorded,) = store.transactions("SIM-0001")
    assert not recorded.running
    assert recorded.energy_wh == pytest.approx(ended.energy_wh, abs=1.0)
    assert ended.energy_wh == pytest.approx(11_000.0 * 720 / 3600, abs=1.0)
    if version is OcppVersion.V201:
        seq = [p["seqNo"] for p in sent(pair, "TransactionEvent")]
        assert seq == list(range(len(seq)))  # gap-free, in order (E01.FR.16)


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201], ids=lambda v: v.value)
def test_timestamps_are_utc_with_milliseconds(store: Store, version: OcppVersion) -> None:
    pair = booted(version, store)
    pair.clock.advance(0.1234567)
    pair.station.plug_in(1, 1, pair.clock.now())
    pair.pump()
    stamps = re.findall(r'"timestamp":"([^"]+)"', "".join(text for _, text in pair.frames))
    assert stamps
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", s) for s in stamps)


def _bare_peer(version: OcppVersion) -> tuple[Station, RpcEndpoint, ManualClock]:
    clock = ManualClock()
    station = Station("SIM-0009", adapter_for(version), StationConfig(call_timeout_s=30), clock.now())
    station.connection_made(clock.now())
    return station, RpcEndpoint(version), clock


def _answer_calls(station: Station, csms: RpcEndpoint, clock: ManualClock, payload: Payload) -> list[str]:
    actions = []
    for text in station.data_to_send():
        for event in csms.receive(text, clock.now()):
            assert isinstance(event, CallReceived)
            actions.append(event.action)
            csms.send_result(event.message_id, payload)
    for text in csms.data_to_send():
        station.receive(text, clock.now())
    return actions


def test_a_pending_boot_is_retried_after_the_interval() -> None:
    station, csms, clock = _bare_peer(OcppVersion.V201)
    station.boot(clock.now())
    pending = {"status": "Pending", "interval": 45, "currentTime": format_timestamp(clock.now())}
    assert _answer_calls(station, csms, clock, pending) == ["BootNotification"]
    assert station.next_deadline() == clock.now() + 45
    clock.advance(44)
    station.tick(clock.now())
    assert station.data_to_send() == []
    clock.advance(1)
    station.tick(clock.now())
    accepted = {"status": "Accepted", "interval": 300, "currentTime": format_timestamp(clock.now())}
    assert _answer_calls(station, csms, clock, accepted) == ["BootNotification"]
    assert [e.status for e in station.events if isinstance(e, Booted)] == ["Pending", "Accepted"]


@pytest.mark.parametrize(
    ("version", "code"), [(OcppVersion.V16, "NotSupported"), (OcppVersion.V201, "NotSupported")]
)
def test_an_unsupported_csms_call_gets_not_supported_and_the_station_goes_on(
    version: OcppVersion, code: str
) -> None:
    station, csms, clock = _bare_peer(version)
    # a call this station does not take: a station's own message sent to it
    csms.send_call("Heartbeat", {}, clock.now())
    for text in csms.data_to_send():
        station.receive(text, clock.now())
    (reply,) = station.data_to_send()
    frame = orjson.loads(reply)
    assert frame[0] == 4
    assert frame[2] == code
    station.boot(clock.now())
    assert station.data_to_send()  # still talking


@pytest.mark.parametrize(
    ("version", "code"), [(OcppVersion.V16, "FormationViolation"), (OcppVersion.V201, "FormatViolation")]
)
def test_a_malformed_frame_from_the_csms_is_answered_and_recorded(version: OcppVersion, code: str) -> None:
    station, _, clock = _bare_peer(version)
    station.receive('[2, "abc", "Reset", {', clock.now())
    (reply,) = station.data_to_send()
    assert orjson.loads(reply)[:3] == [4, "-1", code]
    assert any(isinstance(e, PeerViolated) for e in station.events)


def test_an_unanswered_call_times_out_and_the_next_one_goes_out() -> None:
    station, _csms, clock = _bare_peer(OcppVersion.V16)
    station.boot(clock.now())
    station.send(HeartbeatNote(), clock.now())
    (boot,) = station.data_to_send()
    assert orjson.loads(boot)[2] == "BootNotification"
    clock.advance(30)
    station.tick(clock.now())
    failures = [e for e in station.events if isinstance(e, CallFailed)]
    assert [(f.action, f.code) for f in failures] == [("BootNotification", "Timeout")]
    (heartbeat,) = station.data_to_send()
    assert orjson.loads(heartbeat)[2] == "Heartbeat"


def test_a_token_refused_in_the_transaction_event_deauthorizes_the_transaction() -> None:
    """E01.FR.11: the CSMS's idTokenInfo in TransactionEventResponse is binding."""
    station, csms, clock = _bare_peer(OcppVersion.V201)
    station.plug_in(1, 1, clock.now())
    _answer_calls(station, csms, clock, {})  # StatusNotification
    _answer_calls(station, csms, clock, {})  # TransactionEvent Started
    station.present_token(1, DRIVER, clock.now())
    _answer_calls(station, csms, clock, {"idTokenInfo": {"status": "Accepted"}})  # Authorize
    actions = _answer_calls(station, csms, clock, {"idTokenInfo": {"status": "Blocked"}})
    assert actions == ["TransactionEvent"]
    refusals = [e for e in station.events if isinstance(e, Authorized) and e.source == "TransactionEvent"]
    assert [r.status for r in refusals] == ["Blocked"]
    (ended,) = station.data_to_send()
    payload = orjson.loads(ended)[3]
    assert payload["eventType"] == "Ended"
    assert payload["transactionInfo"]["stoppedReason"] == "DeAuthorized"


def test_the_meter_stops_exactly_at_the_energy_limit(store: Store) -> None:
    pair = booted(OcppVersion.V16, store)
    pair.station.plug_in(1, 1, pair.clock.now())
    pair.station.present_token(1, DRIVER, pair.clock.now())
    pair.pump()
    start = pair.clock.now()
    pair.station.ev_draw(1, 7_400.0, start, energy_limit_wh=1_000.0)
    assert pair.station.evses[1].meter.limit_reached_at() == pytest.approx(
        start + 1_000.0 * 3600 / 7_400.0, abs=1e-6
    )
    pair.advance(3600)
    assert pair.station.evses[1].meter.energy_wh == 1_000.0
    assert pair.station.evses[1].meter.power_w == 0.0


def test_no_energy_flows_without_an_authorized_transaction(store: Store) -> None:
    pair = booted(OcppVersion.V201, store)
    pair.station.plug_in(1, 1, pair.clock.now())
    pair.station.present_token(1, PresentedToken(IdType.PIN, "#0000"), pair.clock.now())  # unknown
    pair.pump()
    pair.station.ev_draw(1, 11_000.0, pair.clock.now())
    pair.advance(600)
    assert pair.station.evses[1].meter.energy_wh == 0.0
