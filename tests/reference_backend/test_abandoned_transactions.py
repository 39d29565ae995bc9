"""Transactions a station abandoned are ended by the CSMS; a TransactionEvent is known by what makes it
the same message (issue 12). Frames straight into the backend's session, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
import logging
from datetime import timedelta
from typing import Any

import pytest

from evharness.idtokens import IdType
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.connection import CsmsConnection
from evharness.reference_backend.persistence import ProvisionedIdentification, Store, TransactionRecord

from .helpers import T0, at, boot_16, boot_201, call, register_16, register_201, transaction_event

CARD = "04A2B3C4D5E6F7"
TOKEN = {"idToken": CARD, "type": "ISO14443"}
_ids = itertools.count(1)


def booted(store: Store, version: OcppVersion, reason: str = "PowerUp") -> CsmsConnection:
    identity = f"AB-{next(_ids)}"
    session = CsmsConnection(identity, version, store, validate_outgoing=True)
    boot = boot_16() if version is OcppVersion.V16 else boot_201() | {"reason": reason}
    call(session, "BootNotification", boot)
    assert session.context.station_id is not None
    expires = T0 + timedelta(days=365)
    store.provision(
        session.context.station_id,
        [
            ProvisionedIdentification(IdType.PIN, "#4821", "Ada", "Driver", expires_at=expires),
            ProvisionedIdentification(IdType.RFID, CARD, "Bo", "Card", expires_at=expires),
        ],
    )
    return session


def by_ref(store: Store, identity: str) -> dict[str | int, TransactionRecord]:
    return {t.transaction_ref or t.id: t for t in store.transactions(identity)}


def started(ref: str, minutes: float, evse: int = 1, wh: float = 0.0, seq: int = 0) -> dict[str, Any]:
    return transaction_event(
        "Started",
        seq,
        minutes,
        reason="Authorized",
        transaction_id=ref,
        idToken=TOKEN,
        evse={"id": evse, "connectorId": 1},
        meterValue=[register_201(minutes, wh, "Transaction.Begin")],
    )


def test_201_a_new_transaction_on_the_evse_ends_the_abandoned_one_and_its_token_is_accepted(
    store: Store,
) -> None:
    session = booted(store, OcppVersion.V201)
    identity = session.context.identity
    for n in range(5):  # sessions the station lost: never an Ended (issue 12 found 34 of them)
        answer = call(session, "TransactionEvent", started(f"tx-{n}", 60 * n, wh=1000.0 * n))
        assert answer["idTokenInfo"]["status"] == "Accepted", n
        update = transaction_event(
            "Updated",
            1,
            60 * n + 30,
            transaction_id=f"tx-{n}",
            meterValue=[register_201(60 * n + 30, 1000 * n + 500)],
        )
        call(session, "TransactionEvent", update)
    records = by_ref(store, identity)
    assert [records[f"tx-{n}"].state for n in range(5)] == ["ended"] * 4 + ["running"]
    first = records["tx-0"]
    assert (first.ended_by, first.stop_reason) == ("csms", "Other")
    assert first.end_note is not None
    assert "new transaction" in first.end_note
    assert (first.meter_stop_wh, first.energy_wh) == (500.0, 500.0)  # the last reading known


def test_201_a_token_running_on_another_evse_is_still_concurrent(store: Store) -> None:
    session = booted(store, OcppVersion.V201)
    call(session, "TransactionEvent", started("tx-a", 0, evse=1))
    answer = call(session, "TransactionEvent", started("tx-b", 5, evse=2))
    assert answer["idTokenInfo"]["status"] == "ConcurrentTx"  # tx-a can still run: it is on EVSE 1


def test_16_a_new_start_on_the_connector_ends_the_abandoned_one(store: Store) -> None:
    session = booted(store, OcppVersion.V16)
    start = {"connectorId": 1, "idTag": CARD, "meterStart": 100, "timestamp": at(0)}
    first = call(session, "StartTransaction", start)
    values = {"connectorId": 1, "transactionId": first["transactionId"], "meterValue": [register_16(10, 900)]}
    call(session, "MeterValues", values)
    again = call(session, "StartTransaction", start | {"timestamp": at(60), "meterStart": 950})
    assert again["idTagInfo"]["status"] == "Accepted"
    old, new = store.transactions(session.context.identity)
    assert (old.state, old.ended_by, old.meter_stop_wh, old.energy_wh) == ("ended", "csms", 900.0, 800.0)
    assert new.running


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201])
def test_a_boot_ends_what_the_station_had_and_its_late_stop_is_still_recorded(
    store: Store, version: OcppVersion
) -> None:
    session = booted(store, version)
    identity = session.context.identity
    if version is OcppVersion.V16:
        start = {"connectorId": 1, "idTag": CARD, "meterStart": 0, "timestamp": at(0)}
        tx = call(session, "StartTransaction", start)["transactionId"]
        call(
            session,
            "MeterValues",
            {"connectorId": 1, "transactionId": tx, "meterValue": [register_16(5, 400)]},
        )
        late: tuple[str, dict[str, Any]] = (
            "StopTransaction",
            {"transactionId": tx, "meterStop": 700, "timestamp": at(9), "reason": "PowerLoss"},
        )
    else:
        call(session, "TransactionEvent", started("tx-1", 0))
        update = transaction_event("Updated", 1, 5, transaction_id="tx-1", meterValue=[register_201(5, 400)])
        call(session, "TransactionEvent", update)
        ended = transaction_event(
            "Ended",
            2,
            9,
            reason="AbnormalCondition",
            transaction_id="tx-1",
            stopped_reason="PowerLoss",
            meterValue=[register_201(9, 700, "Transaction.End")],
        )
        late = ("TransactionEvent", ended)
    reboot = boot_16() if version is OcppVersion.V16 else boot_201()
    call(session, "BootNotification", reboot, message_id="reboot")
    (record,) = store.transactions(identity)
    assert (record.state, record.ended_by, record.stop_reason, record.meter_stop_wh) == (
        "ended",
        "csms",
        "Reboot",
        400.0,
    )

    call(
        session,
        "StopTransaction" if version is OcppVersion.V16 else "TransactionEvent",
        late[1],
        message_id="late",
    )
    (record,) = store.transactions(identity)
    assert (record.state, record.ended_by, record.stop_reason) == ("ended", "station", "PowerLoss")
    assert (record.meter_stop_wh, record.energy_wh, record.stopped_at) == (
        700.0,
        700.0,
        T0 + timedelta(minutes=9),
    )
    assert record.end_note is not None  # what the CSMS did stays on record


def test_a_triggered_boot_ends_nothing(store: Store) -> None:
    session = booted(store, OcppVersion.V201)
    call(session, "TransactionEvent", started("tx-1", 0))
    call(session, "BootNotification", boot_201() | {"reason": "Triggered"}, message_id="b2")
    (record,) = store.transactions(session.context.identity)
    assert record.running


def test_16_a_boot_the_csms_asked_for_ends_nothing(store: Store) -> None:
    session = booted(store, OcppVersion.V16)
    start = {"connectorId": 1, "idTag": CARD, "meterStart": 0, "timestamp": at(0)}
    call(session, "StartTransaction", start)
    session.send_call("TriggerMessage", {"requestedMessage": "BootNotification"}, 0.0)
    session.data_to_send()
    call(session, "BootNotification", boot_16(), message_id="asked")
    (record,) = store.transactions(session.context.identity)
    assert record.running


def test_21_a_resumed_transaction_runs_again(store: Store) -> None:
    session = booted(store, OcppVersion.V21)
    call(session, "TransactionEvent", started("tx-1", 0))
    call(session, "BootNotification", boot_201(), message_id="reboot")
    assert not store.transactions(session.context.identity)[0].running
    resumed = transaction_event("Updated", 1, 3, reason="TxResumed", transaction_id="tx-1")
    call(session, "TransactionEvent", resumed)
    (record,) = store.transactions(session.context.identity)
    assert (record.state, record.ended_by) == ("running", None)


def test_an_ended_event_reusing_the_started_seq_no_is_stored_and_logged_once(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    session = booted(store, OcppVersion.V201)
    identity = session.context.identity
    call(session, "TransactionEvent", started("tx-1", 0, wh=100.0))
    ended = transaction_event(  # a third-party charger: Ended with seqNo 0, like its Started
        "Ended",
        0,
        30,
        reason="StopAuthorized",
        transaction_id="tx-1",
        stopped_reason="Local",
        meterValue=[register_201(30, 5100, "Transaction.End")],
    )
    with caplog.at_level(logging.WARNING):
        assert call(session, "TransactionEvent", ended, message_id="end") == {}
        call(
            session, "TransactionEvent", started("tx-2", 40, wh=5100.0), message_id="s2"
        )  # no ConcurrentTx …
        again = transaction_event("Ended", 0, 50, transaction_id="tx-2", meterValue=[register_201(50, 6100)])
        call(session, "TransactionEvent", again, message_id="end2")
    records = by_ref(store, identity)
    assert (records["tx-1"].state, records["tx-1"].ended_by, records["tx-1"].energy_wh) == (
        "ended",
        "station",
        5000.0,
    )
    assert records["tx-2"].state == "ended"
    assert records["tx-2"].id_token_status == "Accepted"  # … because tx-1 ended
    warnings = [r for r in caplog.records if "seqNo" in r.getMessage() and identity in r.getMessage()]
    assert len(warnings) == 1  # once per station


def test_the_same_event_again_is_answered_as_before_and_stores_nothing(store: Store) -> None:
    session = booted(store, OcppVersion.V201)
    first = call(session, "TransactionEvent", started("tx-1", 0))
    rows = store.row_counts()
    assert call(session, "TransactionEvent", started("tx-1", 0), message_id="again") == first
    assert store.row_counts() == rows
