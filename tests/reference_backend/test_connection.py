"""The CSMS session as a sans-I/O object: frames in, frames out, the store behind it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import timedelta

import pytest

from evharness.idtokens import IdType
from evharness.ocppj.frames import Payload
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.connection import CsmsConnection
from evharness.reference_backend.handlers import HANDLERS, Handler, HandlerContext
from evharness.reference_backend.persistence import ProvisionedIdentification, Store

from .helpers import (
    T0,
    at,
    boot_16,
    boot_201,
    call,
    exchange,
    frame,
    register_16,
    register_201,
    transaction_event,
)

BOOTS = {OcppVersion.V16: boot_16, OcppVersion.V201: boot_201, OcppVersion.V21: boot_201}
NEXT_YEAR = T0 + timedelta(days=365)

SessionFactory = Callable[..., CsmsConnection]


@pytest.fixture
def new_session(store: Store) -> SessionFactory:
    def make(
        version: OcppVersion, identity: str = "CP-1", handlers: Mapping[str, Handler] | None = None
    ) -> CsmsConnection:
        return CsmsConnection(
            identity, version, store, heartbeat_interval=120, validate_outgoing=True, handlers=handlers
        )

    return make


def provision_drivers(store: Store, identity: str = "CP-1") -> None:
    station_id, _ = store.ensure_station(identity, T0)
    store.provision(
        station_id,
        [
            ProvisionedIdentification(IdType.PIN, "#4821", "Ada", "Driver", expires_at=NEXT_YEAR),
            ProvisionedIdentification(IdType.PIN, "#7310", "Bo", "Blocked", blocked=True),
            ProvisionedIdentification(IdType.PIN, "#5150", "Ex", "Pired", expires_at=T0 - timedelta(days=1)),
            ProvisionedIdentification(IdType.RFID, "0A1B2C3D", "In", "Active", active=False),
            ProvisionedIdentification(IdType.RFID, "04A2B3C4D5E6F7", "Fleet", "Card"),
        ],
    )


@pytest.mark.parametrize("version", list(OcppVersion))
def test_boot_notification_is_accepted(
    new_session: SessionFactory, store: Store, version: OcppVersion
) -> None:
    result = call(new_session(version), "BootNotification", BOOTS[version]())
    assert result["status"] == "Accepted"
    assert result["interval"] == 120
    assert result["currentTime"].endswith("Z")
    station = store.station("CP-1")
    assert station is not None
    assert (station.protocol, station.vendor) == (version.value, "evharness")


@pytest.mark.parametrize(
    ("version", "code"), [(OcppVersion.V16, "FormationViolation"), (OcppVersion.V201, "FormatViolation")]
)
def test_malformed_json_then_a_valid_frame(
    new_session: SessionFactory, version: OcppVersion, code: str
) -> None:
    session = new_session(version)
    answer = exchange(session, '[2, "m1", "BootNotification", {')
    assert answer[:3] == [4, "-1", code]
    assert call(session, "BootNotification", BOOTS[version]())["status"] == "Accepted"


def test_a_schema_violation_names_the_field(new_session: SessionFactory) -> None:
    session = new_session(OcppVersion.V16)
    answer = exchange(session, frame("m1", "BootNotification", {**boot_16(), "chargePointVendor": 5}))
    assert answer[:3] == [4, "m1", "TypeConstraintViolation"]
    assert answer[4] == {"field": "chargePointVendor"}
    assert "chargePointVendor" in answer[3]
    missing = exchange(session, frame("m2", "BootNotification", {"chargePointVendor": "x"}))
    assert missing[:3] == [4, "m2", "OccurenceConstraintViolation"]
    assert "chargePointModel" in missing[3]
    assert call(session, "BootNotification", boot_16(), "m3")["status"] == "Accepted"


@pytest.mark.parametrize("version", list(OcppVersion))
def test_unknown_and_unsupported_actions(new_session: SessionFactory, version: OcppVersion) -> None:
    session = new_session(version)
    call(session, "BootNotification", BOOTS[version]())
    assert exchange(session, frame("m2", "FlyToTheMoon", {}))[:3] == [4, "m2", "NotImplemented"]
    # an action the version has that a CSMS sends, not a station: known, and not handled here
    answer = exchange(session, frame("m4", "ClearCache", {}))
    assert answer[:3] == [4, "m4", "NotSupported"]
    assert "currentTime" in call(session, "Heartbeat", {}, "m5")


def test_an_unregistered_station_must_boot_first(new_session: SessionFactory, store: Store) -> None:
    session = new_session(OcppVersion.V201)
    assert exchange(session, frame("m1", "Heartbeat", {}))[:3] == [4, "m1", "SecurityError"]
    call(session, "BootNotification", boot_201(), "m2")
    assert "currentTime" in call(session, "Heartbeat", {}, "m3")
    store.ensure_station("SEEDED-1", T0)
    assert "currentTime" in call(new_session(OcppVersion.V201, "SEEDED-1"), "Heartbeat", {})


def test_a_failing_handler_gets_internal_error_and_the_session_goes_on(new_session: SessionFactory) -> None:
    def explode(ctx: HandlerContext, payload: Payload) -> Payload:
        raise RuntimeError("#4821 boom")

    def wrong_response(ctx: HandlerContext, payload: Payload) -> Payload:
        return {"currentTime": 42}

    handlers = {**HANDLERS[OcppVersion.V16], "Authorize": explode, "Heartbeat": wrong_response}
    session = new_session(OcppVersion.V16, handlers=handlers)
    call(session, "BootNotification", boot_16())
    failed = exchange(session, frame("m2", "Authorize", {"idTag": "#4821"}))
    assert failed[:3] == [4, "m2", "InternalError"]
    assert "#4821" not in failed[3]
    assert exchange(session, frame("m3", "Heartbeat", {}))[:3] == [4, "m3", "InternalError"]
    assert (
        call(
            session,
            "StatusNotification",
            {"connectorId": 0, "errorCode": "NoError", "status": "Available"},
            "m4",
        )
        == {}
    )


def test_a_full_16_session_is_persisted(
    new_session: SessionFactory, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    provision_drivers(store)
    session = new_session(OcppVersion.V16)
    call(session, "BootNotification", boot_16())
    call(session, "StatusNotification", {"connectorId": 0, "errorCode": "NoError", "status": "Available"})
    call(
        session,
        "StatusNotification",
        {"connectorId": 1, "errorCode": "NoError", "status": "Preparing", "timestamp": at(0)},
    )

    def authorize(id_tag: str) -> Payload:
        info: Payload = call(session, "Authorize", {"idTag": id_tag})["idTagInfo"]
        return info

    assert authorize("#0000") == {"status": "Invalid"}
    assert authorize("#7310") == {"status": "Blocked"}
    assert authorize("#5150") == {"status": "Expired"}
    assert authorize("0a1b2c3d") == {"status": "Invalid"}
    assert authorize("#4821") == {"status": "Accepted", "expiryDate": "2026-03-01T08:00:00.000Z"}
    started = call(
        session,
        "StartTransaction",
        {"connectorId": 1, "idTag": "#4821", "meterStart": 1000, "timestamp": at(1)},
    )
    assert started["idTagInfo"]["status"] == "Accepted"
    tx = started["transactionId"]
    replayed = call(  # the answer was lost: the same StartTransaction again gets the same answer
        session,
        "StartTransaction",
        {"connectorId": 1, "idTag": "#4821", "meterStart": 1000, "timestamp": at(1)},
    )
    assert replayed == started
    again = call(
        session, "StartTransaction", {"connectorId": 2, "idTag": "#4821", "meterStart": 0, "timestamp": at(2)}
    )
    assert again["idTagInfo"]["status"] == "ConcurrentTx"
    call(
        session, "MeterValues", {"connectorId": 1, "transactionId": tx, "meterValue": [register_16(30, 4000)]}
    )
    call(session, "MeterValues", {"connectorId": 1, "meterValue": [register_16(40, 5000)]})
    stop = {
        "transactionId": tx,
        "idTag": "#4821",
        "meterStop": 7000,
        "timestamp": at(61),
        "reason": "EVDisconnected",
        "transactionData": [register_16(61, 7000, "Transaction.End")],
    }
    assert call(session, "StopTransaction", stop)["idTagInfo"]["status"] == "Accepted"
    assert call(session, "StopTransaction", {"transactionId": 999, "meterStop": 0, "timestamp": at(62)}) == {}

    first, second = store.transactions("CP-1")
    assert (first.id, first.state, first.evse_id, first.id_token_status) == (tx, "ended", 1, "Accepted")
    assert first.energy_wh == 6000.0
    assert (first.stop_reason, first.started_at, first.stopped_at) == (
        "EVDisconnected",
        T0 + timedelta(minutes=1),
        T0 + timedelta(minutes=61),
    )
    assert [v.value for v in store.meter_values(tx)] == [4000.0, 5000.0, 7000.0]
    assert (second.running, second.id_token_status) == (True, "ConcurrentTx")
    station = store.station("CP-1")
    assert station is not None
    assert station.status == "Available"
    assert store.connector_statuses(station.id) == {(1, 1): "Preparing"}
    assert "#4821" not in caplog.text
    assert "#****" in caplog.text


@pytest.mark.parametrize("version", [OcppVersion.V201, OcppVersion.V21])
def test_a_full_201_session_is_persisted(
    new_session: SessionFactory, store: Store, version: OcppVersion
) -> None:
    provision_drivers(store)
    session = new_session(version)
    call(session, "BootNotification", boot_201())
    call(
        session,
        "StatusNotification",
        {"timestamp": at(0), "connectorStatus": "Occupied", "evseId": 1, "connectorId": 1},
    )

    def authorize(token: str, kind: str) -> Payload:
        info: Payload = call(session, "Authorize", {"idToken": {"idToken": token, "type": kind}})[
            "idTokenInfo"
        ]
        return info

    assert authorize("0000", "KeyCode") == {"status": "Unknown"}
    assert authorize("7310", "KeyCode") == {"status": "Blocked"}  # KeyCode 7310: the PIN #7310
    assert authorize("04A2B3C4D5E6F7", "eMAID") == {"status": "Unknown"}  # no eMAID provisioned (issue 12)
    assert authorize("04a2b3c4d5e6f7", "ISO14443") == {"status": "Accepted"}
    assert authorize("4821", "KeyCode") == {
        "status": "Accepted",
        "cacheExpiryDateTime": "2026-03-01T08:00:00.000Z",
    }

    pin = {"idToken": "4821", "type": "KeyCode"}
    evse = {"id": 1, "connectorId": 1}
    started = transaction_event(
        "Started",
        0,
        1,
        reason="CablePluggedIn",
        evse=evse,
        meterValue=[register_201(1, 1000, "Transaction.Begin")],
    )
    assert call(session, "TransactionEvent", started) == {}
    authorized = transaction_event("Updated", 1, 2, reason="Authorized", idToken=pin)
    assert call(session, "TransactionEvent", authorized)["idTokenInfo"]["status"] == "Accepted"
    other = transaction_event(
        "Started", 0, 3, reason="Authorized", transaction_id="tx-2", idToken=pin, evse={"id": 2}
    )
    assert call(session, "TransactionEvent", other)["idTokenInfo"]["status"] == "ConcurrentTx"
    call(
        session, "TransactionEvent", transaction_event("Updated", 2, 30, meterValue=[register_201(30, 4000)])
    )
    call(session, "MeterValues", {"evseId": 1, "meterValue": [register_201(31, 4100)]})
    ended = transaction_event(
        "Ended",
        3,
        61,
        reason="StopAuthorized",
        idToken=pin,
        stopped_reason="Local",
        meterValue=[register_201(61, 8500, "Transaction.End")],
    )
    assert call(session, "TransactionEvent", ended)["idTokenInfo"]["status"] == "Accepted"

    first, second = store.transactions("CP-1")
    assert (first.transaction_ref, first.state, first.evse_id, first.connector_id) == ("tx-1", "ended", 1, 1)
    assert (first.id_token, first.id_token_type, first.id_token_status) == ("#4821", "KeyCode", "Accepted")
    assert (first.meter_start_wh, first.meter_stop_wh, first.energy_wh) == (1000.0, 8500.0, 7500.0)
    assert (first.started_at, first.stopped_at, first.stop_reason) == (
        T0 + timedelta(minutes=1),
        T0 + timedelta(minutes=61),
        "Local",
    )
    assert [v.value for v in store.meter_values(first.id)] == [1000.0, 4000.0, 4100.0, 8500.0]
    assert (second.transaction_ref, second.running, second.id_token_status) == ("tx-2", True, "ConcurrentTx")


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201])
def test_a_token_in_a_group_is_answered_with_its_group(
    new_session: SessionFactory, store: Store, version: OcppVersion
) -> None:
    """C09.FR.02 / E01.FR.12 (groupIdToken, type Central); OCPP 1.6 §3.10 (parentIdTag)."""
    station_id, _ = store.ensure_station("CP-1", T0)
    store.provision(
        station_id,
        [
            ProvisionedIdentification(IdType.RFID, "0A0A0A0A", "Group", "Member", group_id="FLEET-7"),
            ProvisionedIdentification(IdType.RFID, "0B0B0B0B", "No", "Group"),
        ],
    )
    session = new_session(version)
    call(session, "BootNotification", BOOTS[version]())

    def info(code: str) -> Payload:
        if version is OcppVersion.V16:
            answer: Payload = call(session, "Authorize", {"idTag": code})["idTagInfo"]
        else:
            answer = call(session, "Authorize", {"idToken": {"idToken": code, "type": "ISO14443"}})[
                "idTokenInfo"
            ]
        return answer

    grouped, alone = info("0a0a0a0a"), info("0B0B0B0B")
    assert grouped["status"] == alone["status"] == "Accepted"
    if version is OcppVersion.V16:
        assert grouped["parentIdTag"] == "FLEET-7"
        assert "parentIdTag" not in alone
    else:
        assert grouped["groupIdToken"] == {"idToken": "FLEET-7", "type": "Central"}
        assert "groupIdToken" not in alone
