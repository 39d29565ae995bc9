"""Transaction messages delivered again (a station that missed the answer) store nothing twice.

Frames straight into the backend's session, on SQLite and PostgreSQL. 2.0.1: a TransactionEvent is
known by (transaction, seqNo) and a repeat gets the answer the first delivery got; events may arrive
out of order, so an unseen seqNo is stored whatever came before. 1.6: a reading is known by what it
says, so a resent MeterValues or StopTransaction adds nothing. Each rule holds whether the first
delivery is still in the write-behind buffer or already written (`flush`).
"""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evharness.idtokens import IdType
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.connection import CsmsConnection
from evharness.reference_backend.persistence import ProvisionedIdentification, Store

from .helpers import T0, at, boot_16, boot_201, call, register_16, register_201, transaction_event

PIN = {"idToken": "4821", "type": "KeyCode"}  # the PIN #4821 (an identifierString)
_ids = itertools.count(1)


def booted(store: Store, version: OcppVersion) -> CsmsConnection:
    identity = f"RS-{next(_ids)}"
    session = CsmsConnection(identity, version, store, validate_outgoing=True)
    call(session, "BootNotification", boot_16() if version is OcppVersion.V16 else boot_201())
    return session


@pytest.fixture
def session_201(store: Store) -> CsmsConnection:
    session = booted(store, OcppVersion.V201)
    assert session.context.station_id is not None
    store.provision(
        session.context.station_id,
        [
            ProvisionedIdentification(
                IdType.PIN, "#4821", "Ada", "Driver", expires_at=T0 + timedelta(days=365)
            )
        ],
    )
    return session


def stored(store: Store, identity: str) -> list[tuple[Any, ...]]:
    """Every transaction of the station with its meter samples, as plain tuples."""
    return [
        (
            *(t.transaction_ref, t.state, t.meter_start_wh, t.meter_stop_wh, t.stopped_at, t.id_token_status),
            *((v.timestamp, v.value, v.context) for v in store.meter_values(t.id)),
        )
        for t in store.transactions(identity)
    ]


@pytest.mark.parametrize("flushed", [False, True], ids=["buffered", "written"])
def test_a_resent_201_event_gets_the_first_answer_and_stores_nothing(
    store: Store, session_201: CsmsConnection, flushed: bool
) -> None:
    identity, station = session_201.context.identity, session_201.context.station
    started = transaction_event(
        "Started", 0, 1, reason="Authorized", idToken=PIN, meterValue=[register_201(1, 1000)]
    )
    first = call(session_201, "TransactionEvent", started)
    assert first["idTokenInfo"]["status"] == "Accepted"
    if flushed:
        store.flush()
    before = stored(store, identity)
    store.provision(  # the driver is blocked meanwhile: a new event would say so, a resent one not
        station,
        [ProvisionedIdentification(IdType.PIN, "#4821", "Ada", "Driver", blocked=True)],
    )

    assert call(session_201, "TransactionEvent", started, message_id="again") == first
    assert stored(store, identity) == before
    updated = transaction_event("Updated", 1, 2, idToken=PIN, meterValue=[register_201(2, 1500)])
    assert call(session_201, "TransactionEvent", updated)["idTokenInfo"]["status"] == "Blocked"


def test_a_resent_201_end_neither_moves_the_stop_nor_adds_samples(
    store: Store, session_201: CsmsConnection
) -> None:
    identity = session_201.context.identity
    call(session_201, "TransactionEvent", transaction_event("Started", 0, 1, meterValue=[register_201(1, 0)]))
    ended = transaction_event(
        "Ended", 1, 30, reason="StopAuthorized", stopped_reason="Local", meterValue=[register_201(30, 5000)]
    )
    call(session_201, "TransactionEvent", ended)
    before = stored(store, identity)

    assert call(session_201, "TransactionEvent", ended, message_id="again") == {}
    assert stored(store, identity) == before
    ((_, state, start, stop, *_),) = before
    assert (state, stop - start) == ("ended", 5000.0)


def test_a_resent_16_stop_is_answered_and_changes_nothing(store: Store) -> None:
    session = booted(store, OcppVersion.V16)
    identity = session.context.identity
    start = {"connectorId": 1, "idTag": "CAFEBABE", "meterStart": 100, "timestamp": at(0)}
    tx = call(session, "StartTransaction", start)["transactionId"]
    meter = {"connectorId": 1, "transactionId": tx, "meterValue": [register_16(10, 900)]}
    call(session, "MeterValues", meter)
    stop = {
        "transactionId": tx,
        "idTag": "CAFEBABE",
        "meterStop": 2100,
        "timestamp": at(20),
        "transactionData": [register_16(20, 2100, "Transaction.End")],
    }
    answer = call(session, "StopTransaction", stop)
    before = stored(store, identity)

    assert call(session, "MeterValues", meter, message_id="late") == {}
    assert call(session, "StopTransaction", stop, message_id="again") == answer
    later = stop | {"timestamp": at(25), "meterStop": 2600}  # even one that says otherwise
    assert call(session, "StopTransaction", later, message_id="other") == answer
    assert stored(store, identity) == before
    ((_, state, first, last, stopped_at, _, *samples),) = before
    assert (state, last - first, stopped_at, len(samples)) == ("ended", 2000.0, T0 + timedelta(minutes=20), 2)


def test_a_message_resent_to_a_restarted_backend_is_still_known(store: Store, database_url: str) -> None:
    """What was delivered is read back from the database, not only remembered by the process."""
    v16, v201 = booted(store, OcppVersion.V16), booted(store, OcppVersion.V201)
    start = {"connectorId": 1, "idTag": "CAFEBABE", "meterStart": 0, "timestamp": at(0)}
    tx = call(v16, "StartTransaction", start)["transactionId"]
    meter = {"connectorId": 1, "transactionId": tx, "meterValue": [register_16(5, 500)]}
    event = transaction_event("Started", 0, 1, meterValue=[register_201(1, 100)])
    call(v16, "MeterValues", meter)
    call(v201, "TransactionEvent", event)
    store.dispose()  # writes what is buffered, as a shutdown does
    before = [stored(store, session.context.identity) for session in (v16, v201)]

    restarted = Store.from_url(database_url)
    try:
        for session in (v16, v201):
            session.store = restarted
        assert call(v16, "MeterValues", meter, message_id="again") == {}
        assert call(v201, "TransactionEvent", event, message_id="again") == {}
        assert [stored(restarted, session.context.identity) for session in (v16, v201)] == before
    finally:
        restarted.dispose()


# -- every delivery order --------------------------------------------------------------------------

SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def delivery_order(count: int) -> st.SearchStrategy[list[int]]:
    """Indexes into `count` messages: each at least once, some more than once, in any order."""
    repeats = st.lists(st.integers(0, count - 1), max_size=count)
    return repeats.flatmap(lambda again: st.permutations([*range(count), *again]))


CONTEXTS = ["Sample.Periodic", "Sample.Clock"]


@st.composite
def meter_messages(draw: st.DrawFn) -> list[list[tuple[int, str]]]:
    """1.6 MeterValues as lists of (minute, context) register readings (100 Wh a minute); few minutes,
    so messages share readings, and two contexts, so one instant may hold two readings."""
    reading = st.tuples(st.integers(1, 4), st.sampled_from(CONTEXTS))
    return draw(st.lists(st.lists(reading, min_size=1, max_size=3), min_size=1, max_size=5))


@SLOW
@given(data=st.data(), messages=meter_messages())
def test_16_readings_are_stored_once_whatever_is_resent(
    store: Store, data: st.DataObject, messages: list[list[tuple[int, str]]]
) -> None:
    session = booted(store, OcppVersion.V16)
    start = {"connectorId": 1, "idTag": "CAFEBABE", "meterStart": 0, "timestamp": at(0)}
    tx = call(session, "StartTransaction", start)["transactionId"]

    for index in data.draw(delivery_order(len(messages))):
        values = [register_16(minute, 100 * minute, context) for minute, context in messages[index]]
        call(session, "MeterValues", {"connectorId": 1, "transactionId": tx, "meterValue": values})
        if data.draw(st.booleans(), label="flush"):
            store.flush()

    readings = {
        (T0 + timedelta(minutes=m), 100.0 * m, context) for message in messages for m, context in message
    }
    samples = [(v.timestamp, v.value, v.context) for v in store.meter_values(tx)]
    assert sorted(samples) == sorted(readings)
    record = store.transaction(session.context.station, tx)
    assert record is not None
    assert record.energy_wh == max(wh for _, wh, _ in readings)


@SLOW
@given(data=st.data(), events=st.integers(1, 6))
def test_201_events_are_stored_once_by_seq_no_in_any_order(
    store: Store, data: st.DataObject, events: int
) -> None:
    session = booted(store, OcppVersion.V201)
    payloads = [
        transaction_event(
            "Updated" if seq else "Started", seq, seq, meterValue=[register_201(seq, 100.0 * seq)]
        )
        for seq in range(events)
    ]

    for index in data.draw(delivery_order(events)):
        assert call(session, "TransactionEvent", payloads[index]) == {}
        if data.draw(st.booleans(), label="flush"):
            store.flush()

    ((_, state, start, _, _, _, *samples),) = stored(store, session.context.identity)
    assert [(stamp, value) for stamp, value, _ in samples] == [
        (T0 + timedelta(minutes=seq), 100.0 * seq) for seq in range(events)
    ]
    assert (state, start) == ("running", 0.0)
