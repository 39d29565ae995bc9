"""Energy recorded as metered (issue 20): the start is what the station said, readings move only the
last value, and a register that goes backwards is recorded as sent and flagged, never smoothed over.
Frames straight into the backend's session, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.connection import CsmsConnection
from evharness.reference_backend.persistence import Store, TransactionRecord

from .helpers import T0, at, boot_16, boot_201, call, register_201, transaction_event

_ids = itertools.count(1)


def booted(store: Store, version: OcppVersion) -> CsmsConnection:
    session = CsmsConnection(f"EN-{next(_ids)}", version, store, validate_outgoing=True)
    call(session, "BootNotification", boot_16() if version is OcppVersion.V16 else boot_201())
    return session


def only(store: Store, session: CsmsConnection) -> TransactionRecord:
    (record,) = store.transactions(session.context.identity)
    return record


def kwh(minutes: float, value: str) -> dict[str, object]:
    return {"timestamp": at(minutes), "sampledValue": [{"value": value, "unit": "kWh"}]}


def test_16_a_lower_reading_never_replaces_the_start_the_station_gave(store: Store) -> None:
    session = booted(store, OcppVersion.V16)
    start = {"connectorId": 1, "idTag": "CAFEBABE", "meterStart": 1000, "timestamp": at(0)}
    tx = call(session, "StartTransaction", start)["transactionId"]
    call(session, "MeterValues", {"connectorId": 1, "transactionId": tx, "meterValue": [kwh(1, "0.1501")]})
    record = only(store, session)
    assert record.meter_start_wh == 1000.0
    assert record.meter_last_wh == pytest.approx(150.1)  # what was sent
    assert record.energy_problem is not None
    assert record.energy_wh is None  # no made-up figure


def test_16_a_register_reset_is_recorded_as_sent_and_flagged(store: Store) -> None:
    session = booted(store, OcppVersion.V16)
    start = {"connectorId": 1, "idTag": "CAFEBABE", "meterStart": 0, "timestamp": at(0)}
    tx = call(session, "StartTransaction", start)["transactionId"]
    for minute, wh in ((1, "0.091"), (2, "0.030")):  # a reboot reset the register: 91 → 30 Wh
        call(session, "MeterValues", {"connectorId": 1, "transactionId": tx, "meterValue": [kwh(minute, wh)]})
    call(session, "StopTransaction", {"transactionId": tx, "meterStop": 85, "timestamp": at(3)})
    record = only(store, session)
    assert (record.meter_last_wh, record.meter_stop_wh) == (30.0, 85.0)
    before, after = (T0 + timedelta(minutes=m) for m in (1, 2))
    assert record.energy_problem == (
        f"register went backwards: 91 Wh at {before.isoformat()}, then 30 Wh at {after.isoformat()}"
    )
    assert record.energy_wh is None


def test_16_a_growing_register_gives_the_energy_of_start_and_stop(store: Store) -> None:
    session = booted(store, OcppVersion.V16)
    start = {"connectorId": 1, "idTag": "CAFEBABE", "meterStart": 1000, "timestamp": at(0)}
    tx = call(session, "StartTransaction", start)["transactionId"]
    call(session, "MeterValues", {"connectorId": 1, "transactionId": tx, "meterValue": [kwh(5, "1.5")]})
    call(session, "StopTransaction", {"transactionId": tx, "meterStop": 2100, "timestamp": at(10)})
    record = only(store, session)
    assert (record.meter_start_wh, record.meter_last_wh, record.energy_problem, record.energy_wh) == (
        1000.0,
        1500.0,
        None,
        1100.0,
    )


def test_201_the_start_is_the_started_events_register_even_when_it_arrives_last(store: Store) -> None:
    session = booted(store, OcppVersion.V201)
    updated = transaction_event("Updated", 1, 5, meterValue=[register_201(5, 1500)])
    call(session, "TransactionEvent", updated)  # out of order (OCTT general rule)
    begun = transaction_event(
        "Started", 0, 0, reason="CablePluggedIn", meterValue=[register_201(0, 1000, "Transaction.Begin")]
    )
    call(session, "TransactionEvent", begun, message_id="s")
    ended = transaction_event(
        "Ended", 2, 9, reason="EVCommunicationLost", meterValue=[register_201(9, 1800, "Transaction.End")]
    )
    call(session, "TransactionEvent", ended, message_id="e")
    record = only(store, session)
    assert (record.meter_start_wh, record.meter_stop_wh, record.energy_wh) == (1000.0, 1800.0, 800.0)
    assert record.energy_problem is None


def test_201_a_register_that_goes_backwards_within_a_transaction_is_flagged(store: Store) -> None:
    session = booted(store, OcppVersion.V201)
    begun = transaction_event("Started", 0, 0, meterValue=[register_201(0, 500, "Transaction.Begin")])
    call(session, "TransactionEvent", begun)
    call(
        session,
        "TransactionEvent",
        transaction_event("Updated", 1, 5, meterValue=[register_201(5, 200)]),
        "u",
    )
    record = only(store, session)
    assert (record.meter_start_wh, record.meter_last_wh) == (500.0, 200.0)
    assert record.energy_problem is not None
    assert "backwards" in record.energy_problem
