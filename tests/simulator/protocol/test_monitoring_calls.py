"""Monitoring (N02–N08) and customer information (N09/N10) on the wire against the reference backend's
session, which keeps every NotifyEvent, NotifyMonitoringReport and NotifyCustomerInformation."""

from __future__ import annotations

import pytest

from evharness.idtokens import IdType
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.persistence import Store
from evharness.simulator.core.model import CustomerRecord, PresentedToken, StationConfig
from tests.simulator.csms_calls import ask, sent
from tests.simulator.pair import Pair

THRESHOLD = {
    "value": 60,
    "type": "UpperThreshold",
    "severity": 4,
    "component": {"name": "OCPPCommCtrlr"},
    "variable": {"name": "OfflineThreshold"},
}


def booted(store: Store) -> Pair:
    pair = Pair.open("SIM-0001", OcppVersion.V201, store)
    pair.station.boot(pair.clock.now())
    pair.pump()
    return pair


def test_a_threshold_monitor_raises_an_event_and_clears_it(store: Store) -> None:
    pair = booted(store)
    (result,) = ask(pair, "SetVariableMonitoring", {"setMonitoringData": [THRESHOLD]})["setMonitoringResult"]
    assert result["status"] == "Accepted"
    pair.station.observe("OCPPCommCtrlr.OfflineThreshold", "90", pair.clock.now())  # the tester
    pair.pump()
    pair.station.observe("OCPPCommCtrlr.OfflineThreshold", "30", pair.clock.now())
    pair.pump()
    events = [p["eventData"][0] for p in sent(pair, "NotifyEvent")]
    assert [(e["trigger"], e["actualValue"], e.get("cleared", False)) for e in events] == [
        ("Alerting", "90", False),
        ("Alerting", "30", True),
    ]
    assert events[0]["variableMonitoringId"] == result["id"]
    station_id = store.find_station_id("SIM-0001")
    assert station_id is not None
    assert len(store.reports(station_id, "NotifyEvent")) == 2


def test_a_csms_write_trips_the_monitor_too_unless_the_level_silences_it(store: Store) -> None:
    pair = booted(store)
    ask(pair, "SetVariableMonitoring", {"setMonitoringData": [THRESHOLD]})
    assert ask(pair, "SetMonitoringLevel", {"severity": 3}) == {"status": "Accepted"}
    assert ask(pair, "SetMonitoringLevel", {"severity": 10}) == {"status": "Rejected"}
    data = [
        {
            "component": {"name": "OCPPCommCtrlr"},
            "variable": {"name": "OfflineThreshold"},
            "attributeValue": "120",
        }
    ]
    ask(pair, "SetVariables", {"setVariableData": data})
    assert sent(pair, "NotifyEvent") == []  # severity 4 is over level 3
    ask(pair, "SetMonitoringLevel", {"severity": 9})
    data[0]["attributeValue"] = "30"
    ask(pair, "SetVariables", {"setVariableData": data})
    assert sent(pair, "NotifyEvent")[0]["eventData"][0]["cleared"] is True


def test_periodic_monitors_report_and_the_report_lists_them(store: Store) -> None:
    pair = booted(store)
    periodic = dict(THRESHOLD, type="Periodic", value=100, severity=8)
    unknown = dict(THRESHOLD, variable={"name": "NoSuchVariable"})
    results = ask(pair, "SetVariableMonitoring", {"setMonitoringData": [periodic, unknown]})[
        "setMonitoringResult"
    ]
    assert [r["status"] for r in results] == ["Accepted", "UnknownVariable"]
    pair.advance(250)
    assert [p["eventData"][0]["trigger"] for p in sent(pair, "NotifyEvent")] == ["Periodic", "Periodic"]
    assert ask(
        pair, "GetMonitoringReport", {"requestId": 5, "monitoringCriteria": ["PeriodicMonitoring"]}
    ) == {"status": "Accepted"}
    (report,) = sent(pair, "NotifyMonitoringReport")
    assert report["monitor"][0]["variableMonitoring"][0]["type"] == "Periodic"
    assert ask(pair, "GetMonitoringReport", {"requestId": 6, "monitoringCriteria": ["DeltaMonitoring"]}) == {
        "status": "EmptyResultSet"
    }
    cleared = ask(pair, "ClearVariableMonitoring", {"id": [results[0]["id"], 999]})["clearMonitoringResult"]
    assert [c["status"] for c in cleared] == ["Accepted", "NotFound"]


@pytest.mark.parametrize(("clear", "expected"), [(False, True), (True, False)])
def test_customer_information_reports_and_forgets_the_cached_token(
    store: Store, clear: bool, expected: bool
) -> None:
    pair = booted(store)
    card = PresentedToken(IdType.RFID, "04A2B3C4D5E6F7")
    pair.station.present_token(1, card, pair.clock.now())
    pair.pump()
    request = {
        "requestId": 7,
        "report": True,
        "clear": clear,
        "idToken": {"idToken": card.code, "type": "ISO14443"},
    }
    assert ask(pair, "CustomerInformation", request) == {"status": "Accepted"}
    (data,) = sent(pair, "NotifyCustomerInformation")
    assert "authorization cache" in data["data"]
    assert data["requestId"] == 7
    assert (card.code in dict(pair.station.auth_cache.entries())) is expected


def test_hard_wired_monitors_are_there_out_of_the_box_and_stay(store: Store) -> None:
    """The station's own monitors: reported, raising HardWiredMonitor events, never cleared or replaced,
    kept by SetMonitoringBase HardWiredOnly / FactoryDefault (which remove the CSMS's)."""
    pair = booted(store)
    assert ask(pair, "GetMonitoringReport", {"requestId": 1}) == {"status": "Accepted"}
    (report,) = sent(pair, "NotifyMonitoringReport")
    wired = {
        (m["component"]["name"], m["variable"]["name"]): m["variableMonitoring"][0] for m in report["monitor"]
    }
    hot = wired[("TemperatureSensor", "Temperature")]
    assert hot["type"] == "UpperThreshold"
    pair.station.observe("TemperatureSensor.Temperature", str(int(hot["value"]) + 10), pair.clock.now())
    pair.pump()
    (event,) = sent(pair, "NotifyEvent")[0]["eventData"]
    assert (event["eventNotificationType"], event["variableMonitoringId"]) == ("HardWiredMonitor", hot["id"])
    custom = ask(pair, "SetVariableMonitoring", {"setMonitoringData": [THRESHOLD]})["setMonitoringResult"][0]
    replace = dict(THRESHOLD, id=hot["id"])
    assert (
        ask(pair, "SetVariableMonitoring", {"setMonitoringData": [replace]})["setMonitoringResult"][0][
            "status"
        ]
        == "Rejected"
    )
    cleared = ask(pair, "ClearVariableMonitoring", {"id": [hot["id"]]})["clearMonitoringResult"]
    assert cleared == [{"id": hot["id"], "status": "Rejected"}]
    for base in ("HardWiredOnly", "FactoryDefault"):
        assert ask(pair, "SetMonitoringBase", {"monitoringBase": base}) == {"status": "Accepted"}
        assert ask(pair, "GetMonitoringReport", {"requestId": 2}) == {"status": "Accepted"}
        reported = sent(pair, "NotifyMonitoringReport")[-1]["monitor"]
        ids = [monitor["id"] for m in reported for monitor in m["variableMonitoring"]]
        assert hot["id"] in ids
        assert custom["id"] not in ids


CUSTOMER = CustomerRecord("CUST-77", "0A1B2C", ("04A2B3C4D5E6F7",), "contract NL-EVH-C00077")
HASH = {"hashAlgorithm": "SHA256", "issuerNameHash": "aa", "issuerKeyHash": "bb"}


@pytest.mark.parametrize(
    "by",
    [{"customerIdentifier": "CUST-77"}, {"customerCertificate": {**HASH, "serialNumber": "0a1b2c"}}],
    ids=["identifier", "certificate"],
)
def test_customer_information_by_identifier_or_certificate_reports_and_forgets(
    store: Store, by: dict[str, object]
) -> None:
    pair = Pair.open(
        "SIM-0001", OcppVersion.V201, store, StationConfig(serial_number="S", customers=(CUSTOMER,))
    )
    pair.station.boot(pair.clock.now())
    pair.pump()
    card = PresentedToken(IdType.RFID, "04A2B3C4D5E6F7")
    pair.station.present_token(1, card, pair.clock.now())
    pair.pump()
    request = {"requestId": 8, "report": True, "clear": True, **by}
    assert ask(pair, "CustomerInformation", request) == {"status": "Accepted"}
    (data,) = sent(pair, "NotifyCustomerInformation")
    assert "contract NL-EVH-C00077" in data["data"]
    assert "04A2B3C4D5E6F7: authorization cache" in data["data"]
    assert card.code not in dict(pair.station.auth_cache.entries())
    assert ask(pair, "CustomerInformation", dict(request, requestId=9, clear=False)) == {"status": "Accepted"}
    assert sent(pair, "NotifyCustomerInformation")[-1]["data"] == ""  # forgotten


def test_customer_information_names_one_customer(store: Store) -> None:
    pair = booted(store)
    both = {"requestId": 1, "report": True, "clear": False, "customerIdentifier": "C", "idToken": {
        "idToken": "04A2B3C4", "type": "ISO14443"}}  # fmt: skip
    assert ask(pair, "CustomerInformation", both) == {"status": "Invalid"}
    unknown = {
        "requestId": 2,
        "report": True,
        "clear": False,
        "customerCertificate": {**HASH, "serialNumber": "ff"},
    }
    assert ask(pair, "CustomerInformation", unknown) == {"status": "Accepted"}
    assert sent(pair, "NotifyCustomerInformation")[-1]["data"] == ""
