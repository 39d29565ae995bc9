"""A station honours its own per-message limit on SendLocalList: it reports it (1.6
SendLocalListMaxLength, 2.0.1 LocalAuthListCtrlr.ItemsPerMessage / BytesPerMessage) and answers a
request over it Failed without touching its list (D01.FR.11 binds the CSMS to split)."""

from __future__ import annotations

from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.persistence import Store
from evharness.simulator.core.model import StationConfig
from tests.simulator.csms_calls import ask
from tests.simulator.pair import Pair

LIMITED = StationConfig(
    serial_number="SIM-LIM",
    variables=(("LocalAuthListCtrlr.ItemsPerMessage", "2"), ("LocalAuthListCtrlr.BytesPerMessage", "300")),
)


def booted(version: OcppVersion, store: Store) -> Pair:
    pair = Pair.open("SIM-LIM", version, store, LIMITED)
    pair.station.boot(pair.clock.now())
    pair.pump()
    assert pair.station.boot_status == "Accepted"
    return pair


def tags_16(*codes: str) -> list[dict[str, object]]:
    return [{"idTag": code, "idTagInfo": {"status": "Accepted"}} for code in codes]


def tokens_201(*codes: str) -> list[dict[str, object]]:
    return [
        {"idToken": {"idToken": code, "type": "ISO14443"}, "idTokenInfo": {"status": "Accepted"}}
        for code in codes
    ]


def test_16_reports_send_local_list_max_length_and_refuses_more(store: Store) -> None:
    pair = booted(OcppVersion.V16, store)
    answer = ask(pair, "GetConfiguration", {"key": ["SendLocalListMaxLength"]})
    assert answer["configurationKey"] == [{"key": "SendLocalListMaxLength", "readonly": True, "value": "2"}]
    two = {"listVersion": 1, "updateType": "Full", "localAuthorizationList": tags_16("0A0B0C0D", "0A0B0C0E")}
    assert ask(pair, "SendLocalList", two) == {"status": "Accepted"}
    three = {
        "listVersion": 2,
        "updateType": "Differential",
        "localAuthorizationList": tags_16("01020304", "01020305", "01020306"),
    }
    assert ask(pair, "SendLocalList", three) == {"status": "Failed"}
    assert pair.station.local_list.version == 1
    assert set(pair.station.local_list.entries) == {"0A0B0C0D", "0A0B0C0E"}  # unchanged


def test_201_reports_items_and_bytes_per_message_and_refuses_more(store: Store) -> None:
    pair = booted(OcppVersion.V201, store)
    variables = [
        {"component": {"name": "LocalAuthListCtrlr"}, "variable": {"name": name}}
        for name in ("ItemsPerMessage", "BytesPerMessage")
    ]
    results = ask(pair, "GetVariables", {"getVariableData": variables})["getVariableResult"]
    assert [(r["variable"]["name"], r["attributeValue"]) for r in results] == [
        ("ItemsPerMessage", "2"),
        ("BytesPerMessage", "300"),
    ]
    two = {
        "versionNumber": 1,
        "updateType": "Full",
        "localAuthorizationList": tokens_201("0A0B0C0D", "0A0B0C0E"),
    }
    assert ask(pair, "SendLocalList", two) == {"status": "Accepted"}
    three = {
        "versionNumber": 2,
        "updateType": "Differential",
        "localAuthorizationList": tokens_201("01020304", "01020305", "01020306"),
    }
    assert ask(pair, "SendLocalList", three) == {
        "status": "Failed",
        "statusInfo": {"reasonCode": "TooManyElements"},
    }
    long_codes = tokens_201("0102030405060708090A", "0102030405060708090B")
    bulky = {"versionNumber": 3, "updateType": "Full", "localAuthorizationList": long_codes}
    for item in long_codes:
        item["idTokenInfo"] = {"status": "Accepted", "cacheExpiryDateTime": "2030-01-01T00:00:00.000Z"}
    assert ask(pair, "SendLocalList", bulky) == {
        "status": "Failed",
        "statusInfo": {"reasonCode": "TooLargeElement"},
    }
    assert pair.station.local_list.version == 1
    assert set(pair.station.local_list.entries) == {"0A0B0C0D", "0A0B0C0E"}  # unchanged
    assert ask(pair, "GetLocalListVersion", {}) == {"versionNumber": 1}
