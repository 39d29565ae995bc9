"""A transaction message costs no database read once its transaction is known (issue 17): the store keeps
the committed transaction records (`transaction_store.cached_transactions`) as its own writes change them,
and forgets them when anything else writes the table. Counted with SQLAlchemy's statement events."""

from __future__ import annotations

import sqlalchemy as sa

from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.connection import CsmsConnection
from evharness.reference_backend.persistence import Store
from evharness.reference_backend.persistence.tables import transactions

from .counting import statements
from .helpers import at, boot_16, boot_201, call, register_16, register_201, transaction_event


def reads(seen: list[str]) -> list[str]:
    return [s for s in seen if s.lstrip().upper().startswith("SELECT")]


def test_a_16_meter_values_reads_nothing_and_sees_an_outside_change(store: Store) -> None:
    session = CsmsConnection("CP-1", OcppVersion.V16, store)
    call(session, "BootNotification", boot_16())
    started = call(
        session,
        "StartTransaction",
        {"connectorId": 1, "idTag": "04A2B3C4", "meterStart": 1000, "timestamp": at(0)},
        "s",
    )
    tx = started["transactionId"]

    def meter(n: int, wh: float) -> None:
        payload = {"connectorId": 1, "transactionId": tx, "meterValue": [register_16(n, wh)]}
        call(session, "MeterValues", payload, f"mv{n}")

    meter(1, 1100)
    store.flush()
    with statements(store) as seen:
        for n in range(2, 5):
            meter(n, 1000 + 100 * n)
            store.flush()
    assert reads(seen) == []
    record = store.transaction(store.find_station_id("CP-1") or 0, tx)
    assert record is not None
    assert record.meter_last_wh == 1400
    with store.engine.begin() as conn:  # someone else (an operator's tool) writes the table
        conn.execute(sa.update(transactions).where(transactions.c.id == tx).values(energy_problem="checked"))
    meter(5, 1500)
    record = store.transaction(store.find_station_id("CP-1") or 0, tx)
    assert record is not None
    assert (record.energy_problem, record.meter_last_wh) == ("checked", 1500)


def test_a_201_transaction_event_reads_nothing_once_its_transaction_is_known(store: Store) -> None:
    session = CsmsConnection("CP-1", OcppVersion.V201, store)
    call(session, "BootNotification", boot_201())
    evse = {"id": 1, "connectorId": 1}
    call(session, "TransactionEvent", transaction_event("Started", 0, 0, evse=evse), "e0")
    call(
        session,
        "TransactionEvent",
        transaction_event("Updated", 1, 1, meterValue=[register_201(1, 10)]),
        "e1",
    )
    store.flush()
    with statements(store) as seen:
        for n in range(2, 5):
            payload = transaction_event("Updated", n, n, meterValue=[register_201(n, 10 * n)])
            call(session, "TransactionEvent", payload, f"e{n}")
            store.flush()
    assert reads(seen) == []
    ended = transaction_event(
        "Ended", 5, 5, stopped_reason="EVDisconnected", meterValue=[register_201(5, 60)]
    )
    call(session, "TransactionEvent", ended, "e5")
    (record,) = store.transactions("CP-1")
    assert (record.state, record.meter_start_wh, record.meter_stop_wh) == ("ended", None, 60)
