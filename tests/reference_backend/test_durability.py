"""An answer means it is stored (issue 12), over real WebSockets, on SQLite and PostgreSQL.

- A transaction message's CALLRESULT goes out only once its data is committed: read the database
  from outside the moment the answer arrives, and it is there.
- A database that waits (an outside lock on the SQLite file, a table lock on PostgreSQL) stalls
  nobody else: a Heartbeat is answered meanwhile, and a MeterValues is answered once the lock is gone.
- A commit that fails answers those CALLs with InternalError, is logged once, and the backend goes on.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest
import sqlalchemy as sa
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Subprotocol

from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.persistence.tables import metadata, meter_values, transaction_events
from evharness.reference_backend.settings import BackendSettings
from evharness.simulator.asyncio.portal import BackgroundLoop

from .helpers import at, boot_16, boot_201, register_16, register_201, transaction_event

ANSWER_WAIT = 30.0  # generous: the machine is shared; nothing here measures speed


@dataclass
class Live:
    backend: BackendServer
    url: str

    @contextmanager
    def station(self, identity: str, protocol: str) -> Iterator[Station]:
        with connect(self.backend.ocpp_url + identity, subprotocols=[Subprotocol(protocol)]) as ws:
            yield Station(ws)


class Station:
    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.sent = 0

    def send(self, action: str, payload: dict[str, Any]) -> str:
        self.sent += 1
        message_id = f"m{self.sent}"
        self.ws.send(orjson.dumps([2, message_id, action, payload]).decode())
        return message_id

    def answer(self, message_id: str, timeout: float = ANSWER_WAIT) -> list[Any]:
        frame: list[Any] = orjson.loads(self.ws.recv(timeout=timeout))
        assert frame[1] == message_id, frame
        return frame

    def call(self, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        answer = self.answer(self.send(action, payload))
        assert answer[0] == 3, answer
        result: dict[str, Any] = answer[2]
        return result


@pytest.fixture
def live(database_url: str, tmp_path: Path) -> Iterator[Live]:
    settings = BackendSettings(
        ocpp_port=0, api_port=0, database_url=database_url, outbox_dir=str(tmp_path / "outbox")
    )
    with BackgroundLoop("durability") as loop:
        backend = BackendServer(settings)
        loop.run(backend.start())
        try:
            yield Live(backend, database_url)
        finally:
            loop.run(backend.stop())


def stored_rows(url: str, table: sa.Table) -> int:
    """Rows committed, as another process would read them: a fresh engine, no cache."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.scalar(sa.select(sa.func.count()).select_from(table)) or 0)
    finally:
        engine.dispose()


def test_a_transaction_message_is_answered_only_once_it_is_committed(live: Live) -> None:
    with live.station("DUR-16", "ocpp1.6") as cp16, live.station("DUR-201", "ocpp2.0.1") as cs201:
        cp16.call("BootNotification", boot_16())
        cs201.call("BootNotification", boot_201())
        start = {"connectorId": 1, "idTag": "CAFEBABE", "meterStart": 0, "timestamp": at(0)}
        tx = cp16.call("StartTransaction", start)["transactionId"]
        samples = 0
        for minute in range(1, 6):
            values = {
                "connectorId": 1,
                "transactionId": tx,
                "meterValue": [register_16(minute, 100 * minute)],
            }
            cp16.call("MeterValues", values)
            samples += 1
            assert stored_rows(live.url, meter_values) == samples  # the moment the answer came
            event = transaction_event(
                "Started" if minute == 1 else "Updated",
                minute,
                minute,
                evse={"id": 1, "connectorId": 1},
                meterValue=[register_201(minute, 100 * minute)],
            )
            cs201.call("TransactionEvent", event)
            samples += 1
            assert stored_rows(live.url, meter_values) == samples
            assert stored_rows(live.url, transaction_events) == minute


@contextmanager
def outside_lock(url: str) -> Iterator[None]:
    """Another process holds the database's write lock (SQLite) / a lock on meter_values (PostgreSQL)."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()
        return
    engine = sa.create_engine(url)
    try:
        with engine.begin() as locked:
            locked.execute(sa.text("LOCK TABLE meter_values IN ACCESS EXCLUSIVE MODE"))
            yield
    finally:
        engine.dispose()


def test_a_database_that_waits_stalls_no_other_station(live: Live) -> None:
    with live.station("LOCK-A", "ocpp2.0.1") as other, live.station("LOCK-B", "ocpp1.6") as charging:
        other.call("BootNotification", boot_201())
        charging.call("BootNotification", boot_16())
        start = {"connectorId": 1, "idTag": "CAFEBABE", "meterStart": 0, "timestamp": at(0)}
        tx = charging.call("StartTransaction", start)["transactionId"]
        with outside_lock(live.url):
            values = {"connectorId": 1, "transactionId": tx, "meterValue": [register_16(1, 100)]}
            pending = charging.send("MeterValues", values)
            # the other station is served while the database waits …
            assert "currentTime" in other.call("Heartbeat", {})
            status = {"timestamp": at(1), "connectorStatus": "Available", "evseId": 1, "connectorId": 1}
            assert other.call("StatusNotification", status) == {}
            # … and the MeterValues is not answered while its data cannot be stored
            with pytest.raises(TimeoutError):
                charging.ws.recv(timeout=0.5)
        answer = charging.answer(pending)
        assert answer[0] == 3, answer
        assert stored_rows(live.url, meter_values) == 1


def test_a_failed_commit_answers_internal_error_is_logged_once_and_the_backend_goes_on(
    live: Live, caplog: pytest.LogCaptureFixture
) -> None:
    engine = sa.create_engine(live.url)
    with live.station("FAIL-1", "ocpp1.6") as cp:
        cp.call("BootNotification", boot_16())
        start = {"connectorId": 1, "idTag": "CAFEBABE", "meterStart": 0, "timestamp": at(0)}
        tx = cp.call("StartTransaction", start)["transactionId"]
        values: Callable[[int], dict[str, Any]] = lambda minute: {  # noqa: E731
            "connectorId": 1,
            "transactionId": tx,
            "meterValue": [register_16(minute, 100 * minute)],
        }
        assert cp.call("MeterValues", values(1)) == {}
        with engine.begin() as conn:  # the table goes away under the backend: the next commit fails
            conn.execute(sa.text("DROP TABLE meter_values"))
        with caplog.at_level(logging.ERROR, logger="evharness.reference_backend.persistence"):
            answer = cp.answer(cp.send("MeterValues", values(2)))
        assert answer[0] == 4, answer
        assert answer[2] == "InternalError"
        failures = [r for r in caplog.records if r.name == "evharness.reference_backend.persistence"]
        assert len(failures) == 1, [r.getMessage() for r in failures]
        assert "not stored" in failures[0].getMessage()
        metadata.create_all(engine, tables=[meter_values])  # empty: the first reading went with the table
        assert cp.call("MeterValues", values(2)) == {}  # the station sends it again: now it is stored
        assert cp.call("Heartbeat", {})
        assert stored_rows(live.url, meter_values) == 1
    engine.dispose()


def test_the_same_holds_for_many_stations_at_once(live: Live) -> None:
    """Group commit under concurrency: every answered reading of every station is stored."""
    stations, readings = 12, 8
    errors: list[BaseException] = []

    def charge(n: int) -> None:
        try:
            with live.station(f"MANY-{n:02d}", "ocpp1.6") as cp:
                cp.call("BootNotification", boot_16())
                start = {"connectorId": 1, "idTag": f"CAFE{n:04d}", "meterStart": 0, "timestamp": at(0)}
                tx = cp.call("StartTransaction", start)["transactionId"]
                for minute in range(1, readings + 1):
                    values = {
                        "connectorId": 1,
                        "transactionId": tx,
                        "meterValue": [register_16(minute, minute)],
                    }
                    cp.call("MeterValues", values)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=charge, args=(n,)) for n in range(stations)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert stored_rows(live.url, meter_values) == stations * readings
    assert live.backend.store.writer.commits >= 1
