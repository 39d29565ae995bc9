"""What a station does with a token during a transaction and with every token answer the CSMS gives:
a driver's token ends the transaction (E07), and each idTagInfo / idTokenInfo updates the cache (C10)."""

from __future__ import annotations

import orjson
import pytest

from evharness.idtokens import IdType
from evharness.ocppj.frames import Payload
from evharness.ocppj.rpc import CallReceived, RpcEndpoint
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.persistence import Store
from evharness.simulator.core.clock import ManualClock
from evharness.simulator.core.events import Authorized
from evharness.simulator.core.local_auth import ListUpdate, TokenInfo
from evharness.simulator.core.model import PresentedToken, StationConfig
from evharness.simulator.core.station import Station
from evharness.simulator.protocol import adapter_for
from tests.simulator.core.test_station import DRIVER, booted, sent
from tests.simulator.pair import Pair

ACCEPTED: Payload = {"status": "Accepted"}
LIFETIME = 86_400.0


def bare(version: OcppVersion) -> tuple[Station, RpcEndpoint, ManualClock]:
    """A station and a CSMS endpoint that answers exactly what each test says."""
    clock = ManualClock()
    station = Station("SIM-0009", adapter_for(version), StationConfig(call_timeout_s=30), clock.now())
    station.connection_made(clock.now())
    return station, RpcEndpoint(version), clock


def answer(station: Station, csms: RpcEndpoint, clock: ManualClock, payload: Payload) -> list[Payload]:
    """Answer every CALL the station has sent with `payload`; the requests, in order."""
    requests = []
    for text in station.data_to_send():
        for event in csms.receive(text, clock.now()):
            assert isinstance(event, CallReceived)
            requests.append({"action": event.action, **event.payload})
            csms.send_result(event.message_id, payload)
    for text in csms.data_to_send():
        station.receive(text, clock.now())
    return requests


def cached(station: Station, token: PresentedToken) -> str | None:
    return station.auth_cache.lookup(token.code, 0.0, LIFETIME)


def charging_201(token: PresentedToken, info: Payload) -> tuple[Station, RpcEndpoint, ManualClock]:
    """A 2.0.1 station whose transaction `token` authorized; the CSMS answered `info` about it."""
    station, csms, clock = bare(OcppVersion.V201)
    station.plug_in(1, 1, clock.now())
    answer(station, csms, clock, {})  # StatusNotification
    answer(station, csms, clock, {})  # TransactionEvent Started
    station.present_token(1, token, clock.now())
    answer(station, csms, clock, {"idTokenInfo": info})  # Authorize
    answer(station, csms, clock, {"idTokenInfo": info})  # TransactionEvent Updated, Authorized
    transaction = station.evses[1].transaction
    assert transaction is not None
    assert transaction.authorized
    return station, csms, clock


def charging_16(token: PresentedToken, info: Payload) -> tuple[Station, RpcEndpoint, ManualClock]:
    station, csms, clock = bare(OcppVersion.V16)
    station.plug_in(1, 1, clock.now())
    answer(station, csms, clock, {})  # StatusNotification
    station.present_token(1, token, clock.now())
    answer(station, csms, clock, {"idTagInfo": info})  # Authorize
    answer(station, csms, clock, {"transactionId": 7, "idTagInfo": info})  # StartTransaction
    answer(station, csms, clock, {})  # StatusNotification Charging
    transaction = station.evses[1].transaction
    assert transaction is not None
    assert transaction.authorized
    return station, csms, clock


# -- 1. every answer about a token updates the cache -----------------------------------------------


def test_1_6_the_stop_transaction_answer_updates_the_cache() -> None:
    """1.6 §4.10 / §3.5.1: StopTransaction.conf's idTagInfo updates the Authorization Cache."""
    station, csms, clock = charging_16(DRIVER, ACCEPTED)
    assert cached(station, DRIVER) == "Accepted"
    station.stop_transaction(1, "Local", clock.now())
    (stop, *_) = answer(station, csms, clock, {"idTagInfo": {"status": "Blocked"}})
    assert (stop["action"], stop["idTag"]) == ("StopTransaction", DRIVER.code)
    assert cached(station, DRIVER) == "Blocked"


def test_2_0_1_the_ended_event_answer_updates_the_cache() -> None:
    """C10.FR.04: idTokenInfo in any TransactionEventResponse updates the cache, the Ended one too."""
    station, csms, clock = charging_201(DRIVER, ACCEPTED)
    assert cached(station, DRIVER) == "Accepted"
    station.stop_transaction(1, "Local", clock.now())
    (ended, *_) = answer(station, csms, clock, {"idTokenInfo": {"status": "Blocked"}})
    assert (ended["eventType"], ended["idToken"]["idToken"]) == ("Ended", DRIVER.code.lstrip("#"))
    assert cached(station, DRIVER) == "Blocked"


def test_an_answer_without_token_info_leaves_the_cache_alone() -> None:
    station, csms, clock = charging_201(DRIVER, ACCEPTED)
    station.stop_transaction(1, "Local", clock.now())
    answer(station, csms, clock, {})
    assert cached(station, DRIVER) == "Accepted"


# -- 3. the cache and the local list are separate ----------------------------------------------------


@pytest.mark.parametrize(("list_enabled", "expected"), [("false", "Accepted"), ("true", None)])
def test_a_code_of_a_disabled_local_list_is_cached(list_enabled: str, expected: str | None) -> None:
    """1.6 §3.5.3: a code the local list decides is never cached; a disabled list decides nothing."""
    station, _, clock = bare(OcppVersion.V201)
    station.local_list.apply("Full", 1, [ListUpdate(DRIVER.code, TokenInfo("Accepted"))])
    station.device.set_variable("LocalAuthListCtrlr", "Enabled", list_enabled)
    station.remember_token(DRIVER, TokenInfo("Accepted"), clock.now())
    assert cached(station, DRIVER) == expected


# -- 2. a token presented during the transaction ends it --------------------------------------------


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201], ids=lambda v: v.value)
def test_the_drivers_own_token_stops_the_transaction_without_an_authorize(
    store: Store, version: OcppVersion
) -> None:
    """E07 (TxStopPoint Authorized): the Ended event has triggerReason StopAuthorized, stoppedReason
    Local and the token (E07.FR.02); 1.6 §4.1: the same idTag needs no Authorize; the CSMS's answer
    about the token is cached."""
    pair = booted(version, store)
    pair.station.plug_in(1, 1, pair.clock.now())
    pair.station.present_token(1, DRIVER, pair.clock.now())
    pair.pump()
    pair.station.ev_draw(1, 11_000.0, pair.clock.now())
    pair.advance(600)
    pair.station.present_token(1, DRIVER, pair.clock.now())
    pair.pump()

    assert len(sent(pair, "Authorize")) == 1
    assert pair.station.evses[1].transaction is None
    (record,) = store.transactions("SIM-0001")
    assert not record.running
    if version is OcppVersion.V16:
        (stop,) = sent(pair, "StopTransaction")
        assert (stop["reason"], stop["idTag"]) == ("Local", DRIVER.code)
    else:
        ended = sent(pair, "TransactionEvent")[-1]
        assert (ended["eventType"], ended["triggerReason"]) == ("Ended", "StopAuthorized")
        assert ended["transactionInfo"]["stoppedReason"] == "Local"
        assert ended["idToken"] == {"idToken": DRIVER.code.lstrip("#"), "type": "KeyCode"}
        assert _answer_to(pair, ended)["idTokenInfo"]["status"] == "Accepted"
    assert cached(pair.station, DRIVER) == "Accepted"


def test_a_stop_without_a_presented_token_reports_the_transactions_token(store: Store) -> None:
    """A scenario's `stop` (reason Local) is the driver presenting the token again (E07)."""
    pair = booted(OcppVersion.V201, store)
    pair.station.plug_in(1, 1, pair.clock.now())
    pair.station.present_token(1, DRIVER, pair.clock.now())
    pair.pump()
    pair.station.stop_transaction(1, "Local", pair.clock.now())
    pair.pump()
    ended = sent(pair, "TransactionEvent")[-1]
    assert (ended["eventType"], ended["triggerReason"]) == ("Ended", "StopAuthorized")
    assert ended["idToken"]["idToken"] == DRIVER.code.lstrip("#")  # KeyCode: an identifierString


@pytest.mark.parametrize("reason", ["EVDisconnected", "Remote", "DeAuthorized"])
def test_other_ends_carry_no_token(store: Store, reason: str) -> None:
    """E07.FR.02: the token goes once, in the event that ends the authorization; not in others."""
    pair = booted(OcppVersion.V201, store)
    pair.station.plug_in(1, 1, pair.clock.now())
    pair.station.present_token(1, DRIVER, pair.clock.now())
    pair.pump()
    pair.station.stop_transaction(1, reason, pair.clock.now())
    pair.pump()
    ended = sent(pair, "TransactionEvent")[-1]
    assert ended["eventType"] == "Ended"
    assert "idToken" not in ended


GROUP = {"idToken": "FLEET-7", "type": "Central"}
COLLEAGUE = PresentedToken(IdType.RFID, "04AABBCCDDEEFF")


@pytest.mark.parametrize(
    ("group", "stops"), [(GROUP, True), ({"idToken": "OTHER", "type": "Central"}, False), (None, False)]
)
def test_another_token_stops_the_transaction_only_in_the_same_group(
    group: Payload | None, stops: bool
) -> None:
    """C09.FR.03: a different, valid token with the same groupIdToken may stop the transaction;
    it is authorized first (Authorize), then reported in the Ended event (E07.FR.02)."""
    station, csms, clock = charging_201(DRIVER, {**ACCEPTED, "groupIdToken": GROUP})
    station.present_token(1, COLLEAGUE, clock.now())
    info = ACCEPTED if group is None else {**ACCEPTED, "groupIdToken": group}
    (authorize,) = answer(station, csms, clock, {"idTokenInfo": info})
    assert authorize["action"] == "Authorize"
    events = answer(station, csms, clock, {"idTokenInfo": ACCEPTED})
    assert [e.status for e in station.events if isinstance(e, Authorized) and e.code == COLLEAGUE.code] == [
        "Accepted"
    ]
    if stops:
        (ended,) = events
        assert (ended["eventType"], ended["triggerReason"]) == ("Ended", "StopAuthorized")
        assert ended["idToken"]["idToken"] == COLLEAGUE.code
        assert station.evses[1].transaction is None
    else:
        assert events == []
        assert station.evses[1].transaction is not None


def test_1_6_a_token_of_the_same_parent_id_tag_stops_the_transaction() -> None:
    """1.6 §3.10: idTags with the same parentIdTag are one group; the StopTransaction names the card."""
    station, csms, clock = charging_16(DRIVER, {**ACCEPTED, "parentIdTag": "FLEET-7"})
    station.present_token(1, COLLEAGUE, clock.now())
    answer(station, csms, clock, {"idTagInfo": {**ACCEPTED, "parentIdTag": "FLEET-7"}})  # Authorize
    (stop, *_) = answer(station, csms, clock, {"idTagInfo": ACCEPTED})
    assert (stop["action"], stop["reason"], stop["idTag"]) == ("StopTransaction", "Local", COLLEAGUE.code)


def _answer_to(pair: Pair, request: Payload) -> Payload:
    """The CSMS's answer to the CALL whose payload is `request`."""
    frames = [orjson.loads(text) for _, text in pair.frames]
    (call_id,) = [f[1] for f in frames if f[0] == 2 and f[3] == request]
    (result,) = [f[2] for f in frames if f[0] == 3 and f[1] == call_id]
    return dict(result)
