"""The CALLs a CSMS sends a station, answered as the spec says — on 1.6, 2.0.1 and 2.1 — in memory
against the reference backend's session (whose endpoint validates every answer's schema)."""

from __future__ import annotations

import pytest

from evharness.idtokens import IdType
from evharness.ocppj.timefmt import format_timestamp
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.persistence import Store
from evharness.simulator.core import inventory
from evharness.simulator.core.events import Authorized, CallFailed, TransactionEnded
from evharness.simulator.core.model import PresentedToken
from tests.simulator.csms_calls import ask, sent
from tests.simulator.pair import Pair

DRIVER = PresentedToken(IdType.PIN, "#4821")
CARD = PresentedToken(IdType.RFID, "04A2B3C4D50001")
V2 = [OcppVersion.V201, OcppVersion.V21]


def booted(version: OcppVersion, store: Store, identity: str = "SIM-0001") -> Pair:
    pair = Pair.open(identity, version, store)
    pair.station.boot(pair.clock.now())
    pair.pump()
    assert pair.station.boot_status == "Accepted"
    return pair


def charging(version: OcppVersion, store: Store, token: PresentedToken = CARD) -> Pair:
    pair = booted(version, store)
    pair.station.plug_in(1, 1, pair.clock.now())
    pair.station.present_token(1, token, pair.clock.now())
    pair.pump()
    transaction = pair.station.evses[1].transaction
    assert transaction is not None
    assert transaction.authorized
    return pair


def test_a_21_station_charges_against_the_reference_backend(store: Store) -> None:
    pair = charging(OcppVersion.V21, store)
    pair.station.ev_draw(1, 7_400.0, pair.clock.now())
    pair.advance(3600)
    pair.station.stop_transaction(1, "Local", pair.clock.now())
    pair.pump()
    (ended,) = [e for e in pair.station.events if isinstance(e, TransactionEnded)]
    assert ended.energy_wh == pytest.approx(7_400.0, abs=1.0)
    assert not [e for e in pair.station.events if isinstance(e, CallFailed)]
    (recorded,) = store.transactions("SIM-0001")
    assert recorded.energy_wh == pytest.approx(7_400.0, abs=1.0)


# -- configuration and variables ----------------------------------------------------------------


def test_16_configuration_keys_read_and_write_the_device_model(store: Store) -> None:
    pair = booted(OcppVersion.V16, store)
    answer = ask(pair, "GetConfiguration", {"key": ["HeartbeatInterval", "NoSuchKey", "AuthorizationKey"]})
    assert answer["configurationKey"] == [{"key": "HeartbeatInterval", "readonly": False, "value": "300"}]
    assert answer["unknownKey"] == ["NoSuchKey", "AuthorizationKey"]  # write-only is never read back
    assert ask(pair, "ChangeConfiguration", {"key": "HeartbeatInterval", "value": "45"}) == {
        "status": "Accepted"
    }
    assert pair.station.heartbeat_interval == 45
    assert (
        ask(pair, "ChangeConfiguration", {"key": "HeartbeatInterval", "value": "soon"})["status"]
        == "Rejected"
    )
    assert (
        ask(pair, "ChangeConfiguration", {"key": "NumberOfConnectors", "value": "3"})["status"] == "Rejected"
    )
    assert ask(pair, "ChangeConfiguration", {"key": "Bogus", "value": "1"})["status"] == "NotSupported"
    assert (
        ask(pair, "ChangeConfiguration", {"key": "AuthorizationKey", "value": "short"})["status"]
        == "Rejected"
    )
    everything = ask(pair, "GetConfiguration", {})
    keys = {entry["key"] for entry in everything["configurationKey"]}
    assert {"LocalAuthListEnabled", "SupportedFeatureProfiles", "MeterValueSampleInterval"} <= keys


@pytest.mark.parametrize("version", V2, ids=lambda v: v.value)
def test_variables_get_and_set_with_the_statuses_of_b05_b06(store: Store, version: OcppVersion) -> None:
    pair = booted(version, store)

    def variable(component: str, name: str, instance: str | None = None) -> dict[str, object]:
        var: dict[str, object] = {"name": name}
        if instance:
            var["instance"] = instance
        return {"component": {"name": component}, "variable": var}

    answer = ask(
        pair,
        "SetVariables",
        {
            "setVariableData": [
                {**variable("AuthCtrlr", "LocalPreAuthorize"), "attributeValue": "true"},
                {**variable("TxCtrlr", "TxStartPoint"), "attributeValue": "Authorized"},
                {**variable("AuthCtrlr", "NoSuchThing"), "attributeValue": "1"},
                {**variable("Nowhere", "Enabled"), "attributeValue": "1"},
                {**variable("OCPPCommCtrlr", "MessageAttempts", "TransactionEvent"), "attributeValue": "x"},
                {**variable("SecurityCtrlr", "BasicAuthPassword"), "attributeValue": "a-long-enough-secret"},
            ]
        },
    )
    statuses = [r["attributeStatus"] for r in answer["setVariableResult"]]
    assert statuses == ["Accepted", "Rejected", "UnknownVariable", "UnknownComponent", "Rejected", "Accepted"]
    answer = ask(
        pair,
        "GetVariables",
        {
            "getVariableData": [
                variable("AuthCtrlr", "LocalPreAuthorize"),
                variable("SecurityCtrlr", "BasicAuthPassword"),
                variable("SecurityCtrlr", "Identity"),
                {**variable("AuthCtrlr", "Enabled"), "attributeType": "Target"},
            ]
        },
    )
    results = answer["getVariableResult"]
    assert [r["attributeStatus"] for r in results] == [
        "Accepted",
        "Rejected",
        "Accepted",
        "NotSupportedAttributeType",
    ]
    assert results[0]["attributeValue"] == "true"
    assert results[2]["attributeValue"] == "SIM-0001"


@pytest.mark.parametrize("version", V2, ids=lambda v: v.value)
def test_a_base_report_sends_the_whole_device_model(store: Store, version: OcppVersion) -> None:
    """B07 and issue 20: the controllers, and ChargingStation, each EVSE (its evse id) and each
    Connector (evse id and connectorId) — a CSMS builds its list of EVSEs from them — in pages of
    ItemsPerMessage rows, seqNo 0, 1 …, tbc on all but the last."""
    pair = booted(version, store)
    pair.station.device.put("DeviceDataCtrlr.ItemsPerMessage[GetReport]", "40")
    assert ask(pair, "GetBaseReport", {"requestId": 5, "reportBase": "FullInventory"}) == {
        "status": "Accepted"
    }
    pages = sent(pair, "NotifyReport")  # valid against the schema: the pair validates what it sends
    assert len(pages) > 1
    assert [p["seqNo"] for p in pages] == list(range(len(pages)))
    assert [p["tbc"] for p in pages] == [True] * (len(pages) - 1) + [False]
    assert {p["requestId"] for p in pages} == {5}
    assert all(len(p["reportData"]) <= 40 for p in pages)
    rows = [r for p in pages for r in p["reportData"]]
    by_name = {(r["component"]["name"], r["variable"]["name"]): r for r in rows}
    assert by_name[("AuthCtrlr", "LocalPreAuthorize")]["variableAttribute"] == [
        {"type": "Actual", "mutability": "ReadWrite", "value": "false"}
    ]
    assert "value" not in by_name[("SecurityCtrlr", "BasicAuthPassword")]["variableAttribute"][0]
    components = {(r["component"]["name"], str(r["component"].get("evse"))) for r in rows}
    assert ("EVSE", "{'id': 1}") in components
    assert ("Connector", "{'id': 1, 'connectorId': 1}") in components
    assert ("ChargingStation", "None") in components
    power = next(r for r in rows if r["component"]["name"] == "EVSE" and r["variable"]["name"] == "Power")
    assert power["variableCharacteristics"]["maxLimit"] == int(pair.station.config.max_power_w)

    assert ask(pair, "GetBaseReport", {"requestId": 6, "reportBase": "SummaryInventory"}) == {
        "status": "Accepted"
    }
    summary = [r for p in sent(pair, "NotifyReport") if p["requestId"] == 6 for r in p["reportData"]]
    assert {r["variable"]["name"] for r in summary} == {"AvailabilityState", "Available"}
    assert {r["component"]["name"] for r in summary} == {"ChargingStation", "EVSE", "Connector"}
    assert ask(pair, "GetBaseReport", {"requestId": 7, "reportBase": "ConfigurationInventory"}) == {
        "status": "Accepted"
    }
    configuration = [r for p in sent(pair, "NotifyReport") if p["requestId"] == 7 for r in p["reportData"]]
    assert configuration
    assert all(r["variableAttribute"][0]["mutability"] != "ReadOnly" for r in configuration)


@pytest.mark.parametrize("version", [OcppVersion.V201, OcppVersion.V21], ids=lambda v: v.value)
def test_get_report_selects_by_component_variable_and_criteria(version: OcppVersion, store: Store) -> None:
    """B08 (TC_B_18): componentVariable picks components (by EVSE / connector) and variables,
    componentCriteria keeps the components whose variable of that name is true; nothing: EmptyResultSet."""
    pair = booted(version, store)
    evse_state = {"component": {"name": "EVSE", "evse": {"id": 1}}, "variable": {"name": "AvailabilityState"}}
    whole = {"component": {"name": "AuthCacheCtrlr"}}
    request = {"requestId": 11, "componentVariable": [evse_state, whole]}
    assert ask(pair, "GetReport", request) == {"status": "Accepted"}
    rows = [r for p in sent(pair, "NotifyReport") if p["requestId"] == 11 for r in p["reportData"]]
    picked = {(r["component"]["name"], r["variable"]["name"]) for r in rows}
    assert ("EVSE", "AvailabilityState") in picked
    assert ("EVSE", "Available") not in picked
    assert {"Enabled", "Available", "LifeTime"} <= {v for c, v in picked if c == "AuthCacheCtrlr"}
    assert {c for c, _ in picked} == {"EVSE", "AuthCacheCtrlr"}

    enabled = {"requestId": 12, "componentCriteria": ["Enabled"]}
    assert ask(pair, "GetReport", enabled) == {"status": "Accepted"}
    rows = [r for p in sent(pair, "NotifyReport") if p["requestId"] == 12 for r in p["reportData"]]
    assert "AuthCacheCtrlr" in {r["component"]["name"] for r in rows}
    assert "DeviceDataCtrlr" not in {r["component"]["name"] for r in rows}  # it has no Enabled

    problem = {"requestId": 13, "componentCriteria": ["Problem"], "componentVariable": [evse_state]}
    assert ask(pair, "GetReport", problem) == {"status": "EmptyResultSet"}  # TC_B_18: no EVSE has one
    unknown = {"requestId": 14, "componentVariable": [{"component": {"name": "NoSuchCtrlr"}}]}
    assert ask(pair, "GetReport", unknown) == {"status": "EmptyResultSet"}
    assert [p for p in sent(pair, "NotifyReport") if p["requestId"] in (13, 14)] == []


def test_report_pages_respect_items_and_bytes() -> None:
    assert inventory.pages([10] * 5, 2, 10_000, 100) == [(0, 2), (2, 2), (4, 1)]
    assert inventory.pages([10] * 5, 100, 125, 100) == [(0, 2), (2, 2), (4, 1)]
    assert inventory.pages([500, 10], 100, 300, 100) == [(0, 1), (1, 1)]  # too big alone: a page of its own
    assert inventory.pages([], 10, 1000, 100) == [(0, 0)]


# -- local list, cache and offline authorization --------------------------------------------------


def test_16_local_list_version_rules_and_offline_charging_from_it(store: Store) -> None:
    pair = booted(OcppVersion.V16, store)
    assert ask(pair, "GetLocalListVersion", {}) == {"listVersion": 0}
    entry = {"idTag": "0A0B0C0D", "idTagInfo": {"status": "Accepted"}}
    assert ask(
        pair, "SendLocalList", {"listVersion": 3, "updateType": "Full", "localAuthorizationList": [entry]}
    ) == {"status": "Accepted"}
    assert (
        ask(pair, "SendLocalList", {"listVersion": 3, "updateType": "Differential"})["status"]
        == "VersionMismatch"
    )
    removal = {
        "listVersion": 4,
        "updateType": "Differential",
        "localAuthorizationList": [{"idTag": "0A0B0C0D"}],
    }
    assert ask(pair, "SendLocalList", removal)["status"] == "Accepted"
    assert pair.station.local_list.entries == {}
    assert (
        ask(
            pair, "SendLocalList", {"listVersion": 5, "updateType": "Full", "localAuthorizationList": [entry]}
        )["status"]
        == "Accepted"
    )
    assert ask(pair, "GetLocalListVersion", {}) == {"listVersion": 5}

    pair.disconnect()
    pair.station.plug_in(1, 1, pair.clock.now())
    pair.station.present_token(1, PresentedToken(IdType.RFID, "0A0B0C0D"), pair.clock.now())
    pair.station.present_token(1, PresentedToken(IdType.RFID, "DEADBEEF"), pair.clock.now())
    decisions = [(e.code, e.status, e.source) for e in pair.station.events if isinstance(e, Authorized)]
    assert decisions == [("0A0B0C0D", "Accepted", "LocalList"), ("DEADBEEF", "Invalid", "Offline")]
    transaction = pair.station.evses[1].transaction
    assert transaction is not None
    assert transaction.authorized


@pytest.mark.parametrize("version", V2, ids=lambda v: v.value)
def test_201_local_list_rules_d01(store: Store, version: OcppVersion) -> None:
    pair = booted(version, store)
    token = {"idToken": "0A0B0C0D", "type": "ISO14443"}
    full = {
        "versionNumber": 2,
        "updateType": "Full",
        "localAuthorizationList": [{"idToken": token, "idTokenInfo": {"status": "Accepted"}}],
    }
    assert ask(pair, "SendLocalList", full) == {"status": "Accepted"}
    assert ask(pair, "SendLocalList", {**full, "versionNumber": 0})["status"] == "Failed"  # D01.FR.18
    lacking = {"versionNumber": 3, "updateType": "Full", "localAuthorizationList": [{"idToken": token}]}
    assert ask(pair, "SendLocalList", lacking)["status"] == "Failed"
    stale = {"versionNumber": 2, "updateType": "Differential", "localAuthorizationList": [{"idToken": token}]}
    assert ask(pair, "SendLocalList", stale)["status"] == "VersionMismatch"  # D01.FR.19
    assert ask(pair, "GetLocalListVersion", {}) == {"versionNumber": 2}
    assert ask(pair, "SendLocalList", {"versionNumber": 4, "updateType": "Full"})["status"] == "Accepted"
    assert pair.station.local_list.entries == {}  # Full without a list clears it


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201], ids=lambda v: v.value)
def test_a_cached_token_charges_offline_and_clear_cache_forgets_it(
    store: Store, version: OcppVersion
) -> None:
    pair = booted(version, store)
    pair.station.present_token(1, DRIVER, pair.clock.now())  # Accepted by the CSMS, cached
    pair.pump()
    assert ask(pair, "ClearCache", {}) == {"status": "Accepted"}
    pair.station.present_token(1, DRIVER, pair.clock.now())
    pair.pump()
    pair.advance(61)  # that authorization lapses (EVConnectionTimeOut): the plug-in starts nothing
    pair.disconnect()
    pair.station.plug_in(1, 1, pair.clock.now())
    pair.station.present_token(1, DRIVER, pair.clock.now())
    sources = [e.source for e in pair.station.events if isinstance(e, Authorized)]
    assert sources == ["Authorize", "Authorize", "Cache"]
    pair.station.auth_cache.clear()
    pair.station.present_token(1, CARD, pair.clock.now())
    assert [e.status for e in pair.station.events if isinstance(e, Authorized)][-1] == "Invalid"


# -- remote control, availability, reset ------------------------------------------------------------


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201], ids=lambda v: v.value)
def test_an_authorization_lapses_when_no_cable_comes_in_time(store: Store, version: OcppVersion) -> None:
    pair = booted(version, store)
    pair.station.present_token(1, CARD, pair.clock.now())  # accepted, not plugged in
    pair.pump()
    pair.advance(61)  # TxCtrlr.EVConnectionTimeOut / ConnectionTimeOut: 60 s
    pair.station.plug_in(1, 1, pair.clock.now())
    pair.pump()
    transaction = pair.station.evses[1].transaction
    assert transaction is None or not transaction.authorized


def test_16_remote_start_authorizes_then_starts_and_remote_stop_ends(store: Store) -> None:
    pair = booted(OcppVersion.V16, store)
    pair.station.plug_in(1, 1, pair.clock.now())
    pair.pump()
    assert ask(pair, "RemoteStartTransaction", {"connectorId": 1, "idTag": CARD.code}) == {
        "status": "Accepted"
    }
    transaction = pair.station.evses[1].transaction
    assert transaction is not None
    assert transaction.authorized
    assert sent(pair, "Authorize")[-1] == {"idTag": CARD.code}  # AuthorizeRemoteTxRequests defaults true
    assert ask(pair, "RemoteStartTransaction", {"connectorId": 1, "idTag": CARD.code})["status"] == "Rejected"
    assert ask(pair, "RemoteStopTransaction", {"transactionId": 999_999})["status"] == "Rejected"
    assert ask(pair, "RemoteStopTransaction", {"transactionId": transaction.csms_id}) == {
        "status": "Accepted"
    }
    assert sent(pair, "StopTransaction")[-1]["reason"] == "Remote"


@pytest.mark.parametrize("version", V2, ids=lambda v: v.value)
def test_request_start_carries_the_remote_start_id(store: Store, version: OcppVersion) -> None:
    pair = booted(version, store)
    ask(
        pair,
        "SetVariables",
        {
            "setVariableData": [
                {
                    "component": {"name": "AuthCtrlr"},
                    "variable": {"name": "AuthorizeRemoteStart"},
                    "attributeValue": "false",
                }
            ]
        },
    )
    answer = ask(
        pair,
        "RequestStartTransaction",
        {"evseId": 1, "remoteStartId": 77, "idToken": {"idToken": CARD.code, "type": "ISO14443"}},
    )
    assert answer == {"status": "Accepted"}
    assert sent(pair, "Authorize") == []
    pair.station.plug_in(1, 1, pair.clock.now())
    pair.pump()
    events = sent(pair, "TransactionEvent")
    assert [e["triggerReason"] for e in events] == ["CablePluggedIn", "RemoteStart"]
    assert events[1]["transactionInfo"]["remoteStartId"] == 77
    assert pair.station.evses[1].transaction is not None
    assert pair.station.evses[1].transaction.authorized


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201], ids=lambda v: v.value)
def test_change_availability_is_scheduled_during_a_transaction(store: Store, version: OcppVersion) -> None:
    pair = charging(version, store)
    payload = (
        {"connectorId": 1, "type": "Inoperative"}
        if version is OcppVersion.V16
        else {"operationalStatus": "Inoperative", "evse": {"id": 1}}
    )
    assert ask(pair, "ChangeAvailability", payload) == {"status": "Scheduled"}
    pair.station.stop_transaction(1, "Local", pair.clock.now())
    pair.pump()
    statuses = [s.get("status", s.get("connectorStatus")) for s in sent(pair, "StatusNotification")]
    assert statuses[-1] == "Unavailable"
    bad = (
        {"connectorId": 9, "type": "Operative"}
        if version is OcppVersion.V16
        else {"operationalStatus": "Operative", "evse": {"id": 9}}
    )
    assert ask(pair, "ChangeAvailability", bad) == {"status": "Rejected"}


@pytest.mark.parametrize(
    ("version", "reason"), [(OcppVersion.V16, "HardReset"), (OcppVersion.V201, "ImmediateReset")]
)
def test_reset_ends_the_transaction_and_boots_again(store: Store, version: OcppVersion, reason: str) -> None:
    pair = charging(version, store)
    payload = {"type": "Hard"} if version is OcppVersion.V16 else {"type": "Immediate"}
    assert ask(pair, "Reset", payload) == {"status": "Accepted"}
    pair.advance(1)
    if version is OcppVersion.V16:
        assert sent(pair, "StopTransaction")[-1]["reason"] == reason
    else:
        assert sent(pair, "TransactionEvent")[-1]["transactionInfo"]["stoppedReason"] == reason
    assert len(sent(pair, "BootNotification")) == 2
    assert pair.station.boot_status == "Accepted"


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201], ids=lambda v: v.value)
def test_unlock_trigger_and_data_transfer(store: Store, version: OcppVersion) -> None:
    pair = charging(version, store)
    if version is OcppVersion.V16:
        assert ask(pair, "UnlockConnector", {"connectorId": 7}) == {"status": "NotSupported"}
    else:
        assert ask(pair, "UnlockConnector", {"evseId": 1, "connectorId": 1}) == {
            "status": "OngoingAuthorizedTransaction"
        }
        assert ask(pair, "UnlockConnector", {"evseId": 5, "connectorId": 1}) == {"status": "UnknownConnector"}
    heartbeats = len(sent(pair, "Heartbeat"))
    assert ask(pair, "TriggerMessage", {"requestedMessage": "Heartbeat"}) == {"status": "Accepted"}
    assert len(sent(pair, "Heartbeat")) == heartbeats + 1
    assert (
        ask(pair, "TriggerMessage", {"requestedMessage": "FirmwareStatusNotification"})["status"]
        == "Accepted"
    )
    assert sent(pair, "FirmwareStatusNotification") == [{"status": "Idle"}]
    assert ask(pair, "DataTransfer", {"vendorId": "acme"}) == {"status": "UnknownVendorId"}
    assert ask(pair, "DataTransfer", {"vendorId": "evharness", "data": "ping"}) == {
        "status": "Accepted",
        "data": "ping",
    }


# -- smart charging -------------------------------------------------------------------------------


def _profile(
    version: OcppVersion, purpose: str, limit_a: float, stack: int = 1, start: str | None = None
) -> dict[str, object]:
    schedule: dict[str, object] = {
        "chargingRateUnit": "A",
        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": limit_a}],
    }
    if start:
        schedule["startSchedule"] = start
    if version is OcppVersion.V16:
        return {
            "chargingProfileId": 10 + stack,
            "stackLevel": stack,
            "chargingProfilePurpose": purpose,
            "chargingProfileKind": "Absolute" if start else "Relative",
            "chargingSchedule": schedule,
        }
    return {
        "id": 10 + stack,
        "stackLevel": stack,
        "chargingProfilePurpose": purpose,
        "chargingProfileKind": "Absolute" if start else "Relative",
        "chargingSchedule": [{"id": 1, **schedule}],
    }


@pytest.mark.parametrize(
    "version", [OcppVersion.V16, OcppVersion.V201, OcppVersion.V21], ids=lambda v: v.value
)
def test_a_charging_profile_caps_the_delivered_power(store: Store, version: OcppVersion) -> None:
    pair = charging(version, store)
    pair.station.ev_draw(1, 11_000.0, pair.clock.now())
    purpose = "TxProfile"
    if version is OcppVersion.V16:
        answer = ask(
            pair,
            "SetChargingProfile",
            {"connectorId": 1, "csChargingProfiles": _profile(version, purpose, 10)},
        )
    else:
        answer = ask(
            pair, "SetChargingProfile", {"evseId": 1, "chargingProfile": _profile(version, purpose, 10)}
        )
    assert answer == {"status": "Accepted"}
    assert pair.station.evses[1].meter.power_w == pytest.approx(10 * 230 * 3)
    pair.advance(3600)
    assert pair.station.evses[1].meter.energy_wh == pytest.approx(6_900.0, abs=1.0)
    if version is OcppVersion.V16:
        schedule = ask(
            pair, "GetCompositeSchedule", {"connectorId": 1, "duration": 600, "chargingRateUnit": "A"}
        )
        periods = schedule["chargingSchedule"]["chargingSchedulePeriod"]
        cleared = ask(pair, "ClearChargingProfile", {"chargingProfilePurpose": "TxProfile"})
    else:
        schedule = ask(pair, "GetCompositeSchedule", {"evseId": 1, "duration": 600, "chargingRateUnit": "A"})
        periods = schedule["schedule"]["chargingSchedulePeriod"]
        cleared = ask(
            pair, "ClearChargingProfile", {"chargingProfileCriteria": {"chargingProfilePurpose": "TxProfile"}}
        )
    assert periods == [{"startPeriod": 0, "limit": 10.0}]
    assert cleared == {"status": "Accepted"}
    assert pair.station.evses[1].meter.power_w == pytest.approx(11_000.0)


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201], ids=lambda v: v.value)
def test_a_tx_profile_without_a_transaction_is_rejected(store: Store, version: OcppVersion) -> None:
    pair = booted(version, store)
    if version is OcppVersion.V16:
        answer = ask(
            pair,
            "SetChargingProfile",
            {"connectorId": 1, "csChargingProfiles": _profile(version, "TxProfile", 10)},
        )
    else:
        answer = ask(
            pair, "SetChargingProfile", {"evseId": 1, "chargingProfile": _profile(version, "TxProfile", 10)}
        )
    assert answer == {"status": "Rejected"}


def test_an_absolute_profile_changes_the_power_at_its_period_boundary(store: Store) -> None:
    pair = charging(OcppVersion.V201, store)
    now = pair.clock.now()
    profile = _profile(OcppVersion.V201, "TxDefaultProfile", 16, start=format_timestamp(now))
    profile["chargingSchedule"][0]["chargingSchedulePeriod"] = [  # type: ignore[index]
        {"startPeriod": 0, "limit": 16},
        {"startPeriod": 1800, "limit": 6},
    ]
    assert ask(pair, "SetChargingProfile", {"evseId": 0, "chargingProfile": profile}) == {
        "status": "Accepted"
    }
    pair.station.ev_draw(1, 22_000.0, now)
    pair.advance(3600)
    expected = (11_000 * 1800 + 6 * 690 * 1800) / 3600  # 16 A × 3 × 230 V is above the EVSE's 11 kW
    assert pair.station.evses[1].meter.energy_wh == pytest.approx(expected, abs=1.0)


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201], ids=lambda v: v.value)
@pytest.mark.parametrize("stop_on_invalid", [True, False], ids=["StopTxOnInvalidId", "keep-transaction"])
def test_an_unknown_token_accepted_offline_is_judged_on_replay(
    store: Store, version: OcppVersion, stop_on_invalid: bool
) -> None:
    """C15 / 1.6 §3.5.4 (TC_C_26_CS): OfflineTxForUnknownIdEnabled lets an unknown token charge
    offline; when the CSMS refuses it on replay, StopTxOnInvalidId decides: end, or only stop energy."""
    pair = booted(version, store)
    flag = "true" if stop_on_invalid else "false"
    if version is OcppVersion.V16:
        ask(pair, "ChangeConfiguration", {"key": "AllowOfflineTxForUnknownId", "value": "true"})
        ask(pair, "ChangeConfiguration", {"key": "StopTransactionOnInvalidId", "value": flag})
    else:
        ask(
            pair,
            "SetVariables",
            {
                "setVariableData": [
                    {
                        "component": {"name": "AuthCtrlr"},
                        "variable": {"name": "OfflineTxForUnknownIdEnabled"},
                        "attributeValue": "true",
                    },
                    {
                        "component": {"name": "TxCtrlr"},
                        "variable": {"name": "StopTxOnInvalidId"},
                        "attributeValue": flag,
                    },
                ]
            },
        )
    pair.disconnect()
    pair.station.plug_in(1, 1, pair.clock.now())
    pair.station.present_token(1, PresentedToken(IdType.RFID, "DEADBEEF"), pair.clock.now())
    pair.station.ev_draw(1, 11_000.0, pair.clock.now())
    pair.advance(600)
    evse = pair.station.evses[1]
    assert evse.meter.energy_wh == pytest.approx(11_000 / 6, abs=1.0)  # charged while offline
    pair.reconnect()
    refusals = [
        e.status for e in pair.station.events if isinstance(e, Authorized) and e.source != "OfflineUnknown"
    ]
    assert refusals
    assert refusals[-1] in ("Invalid", "Unknown")
    if stop_on_invalid:
        assert evse.transaction is None
        if version is OcppVersion.V16:
            assert sent(pair, "StopTransaction")[-1]["reason"] == "DeAuthorized"
        else:
            assert sent(pair, "TransactionEvent")[-1]["transactionInfo"]["stoppedReason"] == "DeAuthorized"
    else:
        assert evse.transaction is not None
        assert not evse.transaction.authorized
        assert evse.meter.power_w == 0.0  # the transaction goes on, the energy does not


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201], ids=lambda v: v.value)
def test_max_energy_on_invalid_id_lets_some_energy_through(store: Store, version: OcppVersion) -> None:
    pair = booted(version, store)
    device = pair.station.device
    for name, value in (
        ("AuthCtrlr.OfflineTxForUnknownIdEnabled", "true"),
        ("TxCtrlr.StopTxOnInvalidId", "false"),
        ("TxCtrlr.MaxEnergyOnInvalidId", "3000"),
    ):
        device.put(name, value)
    pair.disconnect()
    pair.station.plug_in(1, 1, pair.clock.now())
    pair.station.present_token(1, PresentedToken(IdType.RFID, "DEADBEEF"), pair.clock.now())
    pair.station.ev_draw(1, 11_000.0, pair.clock.now())
    pair.advance(300)  # 917 Wh offline
    pair.reconnect()  # refused on replay: 3000 Wh from the start are allowed
    evse = pair.station.evses[1]
    assert evse.meter.power_w == pytest.approx(11_000.0)
    pair.advance(3600)
    assert evse.meter.energy_wh == pytest.approx(3000.0, abs=0.5)
    assert evse.meter.power_w == 0.0


def test_an_on_idle_reset_waits_for_the_transaction(store: Store) -> None:
    """B12.FR.01: Reset OnIdle during a transaction is Scheduled and happens once it ended."""
    pair = charging(OcppVersion.V201, store)
    assert ask(pair, "Reset", {"type": "OnIdle"}) == {"status": "Scheduled"}
    pair.advance(60)
    assert len(sent(pair, "BootNotification")) == 1
    pair.station.stop_transaction(1, "Local", pair.clock.now())
    pair.pump()
    pair.advance(1)
    boots = sent(pair, "BootNotification")
    assert len(boots) == 2
    assert boots[1]["reason"] == "RemoteReset"


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201], ids=lambda v: v.value)
def test_after_a_long_outage_every_connector_is_reported_again(store: Store, version: OcppVersion) -> None:
    pair = booted(version, store)
    before = len(sent(pair, "StatusNotification"))
    pair.disconnect()
    pair.advance(30)
    pair.reconnect()  # shorter than OCPPCommCtrlr.OfflineThreshold (60 s): nothing to report
    assert len(sent(pair, "StatusNotification")) == before
    pair.disconnect()
    pair.advance(120)
    pair.reconnect()
    assert len(sent(pair, "StatusNotification")) > before
