"""The store's transactions: starts and stops committed at once, events and readings group-committed.

A part of `Store` (it inherits this), kept apart to stay readable. What it relies on from `Store`:
the engines, the group committer `writer`, and the delivered cache with its lock.

- A 1.6 StartTransaction and a 2.0.1 transaction's first event are committed before the handler goes
  on: the answer carries the transactionId, and the rules about the transactions already on the EVSE
  (`domain.transactions`) look at the database.
- Meter samples, the meter change they make (`domain.metering.MeterChange`) and the TransactionEvent
  record go to the group committer; the answer waits for that commit (`reference_backend.answering`).
- A transaction ends by the station (`stop_transaction`), or by the CSMS (`end_by_csms`): one the
  station abandoned, or an operator's decision. A Stop / Ended arriving after the CSMS ended it is
  still recorded as the station's.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from typing import Any

import sqlalchemy as sa

from evharness.reference_backend.domain.metering import MeterChange, ReadingKey, Sample, new_readings
from evharness.reference_backend.persistence import statements as q
from evharness.reference_backend.persistence.cached import Cached, written_table
from evharness.reference_backend.persistence.delivered import NEVER, Delivered, EventId
from evharness.reference_backend.persistence.group_commit import GroupCommitter
from evharness.reference_backend.persistence.records import TokenUse, TransactionRecord
from evharness.reference_backend.persistence.statements import ENDED, KNOWN, KNOWN_OPTION, RUNNING
from evharness.reference_backend.persistence.tables import stations, transactions
from evharness.reference_backend.persistence.write_behind import Answer, Batch, EventKey

CSMS, STATION = "csms", "station"


@dataclass(frozen=True, slots=True)
class EventSeen:
    """What the store knows of a 2.0.1 TransactionEvent before handling it."""

    answer: dict[str, Any] | None  # the answer it got, if this very message was handled before
    seq_no_reused: bool = False  # another event of the transaction has this seqNo


@dataclass(frozen=True, slots=True)
class Opened:
    """A 2.0.1 transaction as its event found it."""

    record: TransactionRecord
    placed: bool  # it was created now, or its EVSE became known now: the EVSE's rules apply


class TransactionStore:
    engine: sa.Engine
    reader: sa.Engine
    writer: GroupCommitter[Batch]
    _lock: threading.Lock
    _delivered: Delivered
    # transaction id → its committed record, (station, 2.0.1 transactionId) → its id: `cached_transactions`
    _records: Cached[TransactionRecord | None]

    def flush(self) -> None:
        raise NotImplementedError

    # -- starting -------------------------------------------------------------------------------

    def start_transaction(
        self,
        station_id: int,
        *,
        started_at: datetime,
        evse_id: int | None = None,
        connector_id: int | None = None,
        meter_start_wh: float | None = None,
        token: TokenUse | None = None,
    ) -> int:
        """Record a 1.6 StartTransaction; its id is the transactionId to answer with. The start is the
        station's `meterStart`, which is also the last reading until a later one comes.

        A station that got no answer sends the same StartTransaction again (OCPP 1.6 §3.7): the
        running transaction with the same place, start time, meter and token is that one.
        """
        token_values = _token_values(token)
        with self.engine.begin() as conn:
            found = conn.scalar(
                _same_start(station_id, evse_id, started_at, meter_start_wh, token_values["id_token"])
            )
            if found is not None:
                return int(found)
            result = conn.execute(
                sa.insert(transactions)
                .execution_options(**KNOWN)
                .values(
                    station_id=station_id,
                    evse_id=evse_id,
                    connector_id=connector_id,
                    meter_start_wh=meter_start_wh,
                    meter_last_wh=meter_start_wh,
                    meter_last_at=started_at if meter_start_wh is not None else None,
                    started_at=started_at,
                    state=RUNNING,
                    **token_values,
                )
            )
            return _inserted_id(result)

    def replayed_start(
        self,
        station_id: int,
        evse_id: int | None,
        started_at: datetime,
        meter_start_wh: float | None,
        id_token: str | None,
    ) -> int | None:
        """The running 1.6 transaction a repeated StartTransaction (same place, time, meter, token) is."""
        with self.reader.connect() as conn:
            found: int | None = conn.scalar(
                _same_start(station_id, evse_id, started_at, meter_start_wh, id_token)
            )
        return found

    def open_transaction(
        self,
        station_id: int,
        transaction_ref: str,
        at: datetime,
        evse_id: int | None = None,
        connector_id: int | None = None,
    ) -> Opened:
        """The 2.0.1 transaction `transaction_ref`, created on the first event seen of it.

        Events may arrive out of order (OCTT general rule), so the start time is the earliest seen.
        Most events change nothing here: they are answered from a read, without the write lock.
        """
        key = {"p_station": station_id, "p_ref": transaction_ref}
        ref_key = ("ref", station_id, transaction_ref)

        def by_ref() -> TransactionRecord | None:
            with self.reader.connect() as conn:
                row = conn.execute(q.TRANSACTION_BY_REF, key).first()
            return None if row is None else _transaction(row)

        found = self._records.get(ref_key, by_ref)  # its id, once known (the rest is read by id)
        current = None if found is None else self._record(found.id)
        if current is not None and not _opening_changes(current, at, evse_id, connector_id):
            return Opened(self._with_pending(current), placed=False)
        self._records.forget(ref_key)
        with self.engine.begin() as conn:
            row = conn.execute(q.TRANSACTION_BY_REF, key).first()
            placed = row is None and evse_id is not None
            if row is None:
                conn.execute(
                    sa.insert(transactions)
                    .execution_options(**KNOWN)
                    .values(
                        station_id=station_id,
                        transaction_ref=transaction_ref,
                        evse_id=evse_id,
                        connector_id=connector_id,
                        started_at=at,
                        state=RUNNING,
                    )
                )
            elif changes := _opening_changes(row, at, evse_id, connector_id):
                placed = "evse_id" in changes
                conn.execute(
                    sa.update(transactions)
                    .execution_options(**KNOWN)
                    .where(transactions.c.id == row.id)
                    .values(**changes)
                )
            record = _transaction(conn.execute(q.TRANSACTION_BY_REF, key).one())
        self._records.forget(("id", record.id))
        self._records.forget(ref_key)
        return Opened(self._with_pending(record), placed)

    def assign_token(self, transaction_id: int, token: TokenUse) -> None:
        """Remember the token that authorized the transaction (2.0.1: the first idToken seen)."""
        self._records.forget(("id", transaction_id))
        with self.engine.begin() as conn:
            conn.execute(
                q.ASSIGN_TOKEN,
                {
                    "p_id": transaction_id,
                    "p_token": token.id_token,
                    "p_token_type": token.id_token_type,
                    "p_status": token.status,
                    "p_identification": token.identification_id,
                },
            )
        self._records.forget(("id", transaction_id))

    # -- ending ---------------------------------------------------------------------------------

    def stop_transaction(
        self,
        transaction_id: int,
        stopped_at: datetime,
        reason: str,
        meter_stop_wh: float | None = None,
        energy_problem: str | None = None,
    ) -> bool:
        """The station ended the transaction: record its stop (also over the stop the CSMS recorded for a
        transaction it took as abandoned). False if the station had ended it already (a resend).
        Without a meter stop, the last reading is the stop."""
        if meter_stop_wh is None:
            self.flush()  # the last reading may still be on its way to the database
        with self._lock:
            self._delivered.forget(transaction_id)
        stop: Any = meter_stop_wh if meter_stop_wh is not None else transactions.c.meter_last_wh
        self._records.forget(("id", transaction_id))
        with self.engine.begin() as conn:
            changed = conn.execute(
                sa.update(transactions)
                .execution_options(**KNOWN)
                .where(
                    (transactions.c.id == transaction_id)
                    & ((transactions.c.state == RUNNING) | (transactions.c.ended_by == CSMS))
                )
                .values(
                    state=ENDED,
                    ended_by=STATION,
                    stopped_at=stopped_at,
                    stop_reason=reason,
                    meter_stop_wh=stop,
                    energy_problem=sa.func.coalesce(transactions.c.energy_problem, energy_problem),
                )
            ).rowcount
        self._records.forget(("id", transaction_id))
        return bool(changed)

    def end_by_csms(self, transaction_ids: Sequence[int], at: datetime, reason: str, note: str) -> list[int]:
        """End running transactions as the CSMS: `reason` (an OCPP stop reason) and `note` (why, in
        words) recorded, the last reading known as the stop. The ids actually ended, in order."""
        if not transaction_ids:
            return []
        self.flush()  # their last readings accepted so far
        ended = []
        with self.engine.begin() as conn:
            for transaction_id in transaction_ids:
                self._records.forget(("id", transaction_id))
                done = conn.execute(
                    sa.update(transactions)
                    .execution_options(**KNOWN)
                    .where((transactions.c.id == transaction_id) & (transactions.c.state == RUNNING))
                    .values(
                        state=ENDED,
                        ended_by=CSMS,
                        stopped_at=at,
                        stop_reason=reason,
                        end_note=note[:255],
                        meter_stop_wh=transactions.c.meter_last_wh,
                    )
                ).rowcount
                if done:
                    ended.append(transaction_id)
        with self._lock:
            for transaction_id in ended:
                self._delivered.forget(transaction_id)
        for transaction_id in transaction_ids:
            self._records.forget(("id", transaction_id))
        return ended

    def resume(self, transaction_id: int) -> None:
        """A transaction the CSMS ended runs again: the station resumed it (2.1 E17, TxResumed)."""
        self._records.forget(("id", transaction_id))
        with self.engine.begin() as conn:
            conn.execute(
                sa.update(transactions)
                .execution_options(**KNOWN)
                .where((transactions.c.id == transaction_id) & (transactions.c.ended_by == CSMS))
                .values(
                    state=RUNNING,
                    ended_by=None,
                    stopped_at=None,
                    stop_reason=None,
                    meter_stop_wh=None,
                    end_note=sa.func.coalesce(transactions.c.end_note, "") + "; resumed by the station",
                )
            )
        self._records.forget(("id", transaction_id))

    def running_here(self, station_id: int, evse_id: int) -> list[tuple[int, datetime | None]]:
        """(id, start) of every transaction running on the EVSE (a 1.6 connector)."""
        with self.reader.connect() as conn:
            rows = conn.execute(q.RUNNING_HERE, {"p_station": station_id, "p_evse": evse_id}).all()
        return [(row.id, row.started_at) for row in rows]

    def running_at(self, station_id: int) -> list[int]:
        """Every transaction of the station still running."""
        with self.reader.connect() as conn:
            return list(conn.scalars(q.RUNNING_AT_STATION, {"p_station": station_id}))

    # -- readings and events --------------------------------------------------------------------

    def add_meter_samples(
        self,
        station_id: int,
        samples: Sequence[Sample],
        transaction_id: int | None = None,
        evse_id: int | None = None,
        meter: MeterChange | None = None,
    ) -> None:
        """Persist samples and the meter change they make to their transaction."""
        self._buffer(station_id, samples, transaction_id, evse_id, meter)

    def add_new_meter_samples(
        self,
        station_id: int,
        samples: Sequence[Sample],
        transaction_id: int,
        evse_id: int | None = None,
        meter: MeterChange | None = None,
    ) -> int:
        """Persist only the readings the transaction does not hold yet; how many were new.

        OCPP 1.6 has no sequence number: a MeterValues or StopTransaction resent after a lost answer
        (§4.10) is recognised by its readings (`metering.reading_key`), so it stores nothing twice.
        Readings later than any the transaction has are new without a query (`delivered`).
        """
        if not samples:
            return 0
        earliest = min(sample.timestamp for sample in samples)
        with self._lock:
            latest = self._delivered.latest(transaction_id)
            if latest is None:
                latest = self._delivered.load_latest(transaction_id, self._latest_reading(transaction_id))
        known: set[ReadingKey] = set()
        if earliest <= latest:
            known.update(
                self.writer.read(lambda batches: [k for b in batches for k in b.readings(transaction_id)])
            )
            known.update(self._stored_readings(transaction_id, earliest, latest))
        fresh = new_readings(samples, known)
        self._buffer(station_id, fresh, transaction_id, evse_id, meter if fresh else None)
        return len(fresh)

    def _latest_reading(self, transaction_id: int) -> datetime:
        times = self.writer.read(lambda batches: [k[0] for b in batches for k in b.readings(transaction_id)])
        with self.reader.connect() as conn:
            stored: datetime | None = conn.scalar(q.LATEST_READING, {"p_transaction": transaction_id})
        if stored is not None:
            times.append(stored)
        return max(times, default=NEVER)

    def _stored_readings(self, transaction_id: int, earliest: datetime, latest: datetime) -> set[ReadingKey]:
        params = {"p_transaction": transaction_id, "p_from": earliest, "p_to": latest}
        with self.reader.connect() as conn:
            return {
                (row.timestamp, row.measurand, row.phase, row.unit, row.value, row.context, row.location)
                for row in conn.execute(q.READINGS, params)
            }

    def event_seen(self, transaction_id: int, seq_no: int, event_type: str, at: datetime) -> EventSeen:
        """Whether this 2.0.1 TransactionEvent (seqNo, eventType, timestamp) was handled already, with
        the answer it got, and whether another event of the transaction used its seqNo.

        The transaction's events are loaded once (`delivered`): a new event costs no query.
        """
        with self._lock:
            events = self._delivered.events(transaction_id)
        if events is None:
            loaded = self._event_ids(transaction_id)
            with self._lock:
                events = self._delivered.load_events(transaction_id, loaded)
        with self._lock:
            alike = set(events.get(seq_no, ()))
        if (event_type, at) not in alike:
            return EventSeen(None, seq_no_reused=bool(alike))
        key: EventKey = (transaction_id, seq_no, event_type, at)
        pending = self.writer.read(
            lambda batches: next((b.events[key] for b in batches if key in b.events), None)
        )
        if pending is not None:
            return EventSeen(dict(pending))
        params = {"p_transaction": transaction_id, "p_seq": seq_no, "p_type": event_type, "p_at": at}
        with self.reader.connect() as conn:
            found: dict[str, Any] | None = conn.scalar(q.EVENT_ANSWER, params)
        return EventSeen(found)

    def _event_ids(self, transaction_id: int) -> list[EventId]:
        pending: list[EventId] = self.writer.read(
            lambda batches: [(k[1], k[2], k[3]) for b in batches for k in b.events if k[0] == transaction_id]
        )
        with self.reader.connect() as conn:
            stored = [
                (row.seq_no, row.event_type, row.timestamp)
                for row in conn.execute(q.EVENT_IDS, {"p_transaction": transaction_id})
            ]
        return pending + stored

    def add_transaction_event(
        self,
        station_id: int,
        transaction_id: int,
        event: tuple[int, str, datetime],
        answer: Mapping[str, Any],
        samples: Sequence[Sample] = (),
        evse_id: int | None = None,
        meter: MeterChange | None = None,
    ) -> None:
        """Record a handled 2.0.1 TransactionEvent (seqNo, eventType, timestamp) with its samples and the
        meter change they make; all are committed together."""
        seq_no, event_type, at = event
        self._buffer(station_id, samples, transaction_id, evse_id, meter, ((transaction_id, *event), answer))
        with self._lock:
            self._delivered.add_event(transaction_id, (seq_no, event_type, at))

    def _buffer(
        self,
        station_id: int,
        samples: Sequence[Sample],
        transaction_id: int | None,
        evse_id: int | None,
        meter: MeterChange | None = None,
        event: tuple[EventKey, Answer] | None = None,
    ) -> None:
        if not samples and event is None and not meter:
            return
        for sample in samples:  # refused now, not when the group commit writes the whole batch
            if sample.timestamp.tzinfo is None:
                raise ValueError(
                    f"naive datetime {sample.timestamp!r}: the store takes UTC-aware datetimes only"
                )
        rows = [
            {
                "station_id": station_id,
                "transaction_id": transaction_id,
                "evse_id": evse_id,
                "timestamp": s.timestamp,
                "measurand": s.measurand,
                "phase": s.phase,
                "unit": s.unit,
                "value": s.value,
                "context": s.context,
                "location": s.location,
            }
            for s in samples
        ]
        self.writer.add(lambda batch: batch.add(rows, transaction_id, meter or None, event))
        if transaction_id is not None and samples:
            with self._lock:
                self._delivered.add_reading_time(transaction_id, max(s.timestamp for s in samples))

    # -- reading transactions -------------------------------------------------------------------

    def _with_pending(self, record: TransactionRecord) -> TransactionRecord:
        """The record as it will be once the accepted meter changes are committed."""
        pending: MeterChange | None = self.writer.read(lambda batches: _merged(batches, record.id))
        return record if pending is None else applied(record, pending)

    def _record(self, transaction_id: int) -> TransactionRecord | None:
        """The committed record, from `_records` (loaded once, then kept as each commit changes it)."""

        def load() -> TransactionRecord | None:
            with self.reader.connect() as conn:
                row = conn.execute(q.TRANSACTION_BY_KEY, {"p_id": transaction_id}).first()
            return None if row is None else _transaction(row)

        return self._records.get(("id", transaction_id), load)

    def _committed(self, batch: Batch) -> None:
        """A group commit succeeded: the records it changed are as it wrote them (`cached_transactions`)."""
        for transaction_id, change in batch.meters.items():
            self._records.update(("id", transaction_id), partial(_applied_to, change))

    def transaction(self, station_id: int, transaction_id: int) -> TransactionRecord | None:
        record = self._record(transaction_id)
        if record is None or record.station_id != station_id:
            return None
        return self._with_pending(record)

    def running_transaction(self, station_id: int, evse_id: int) -> TransactionRecord | None:
        """The transaction running on an EVSE (a 1.6 connector), if any; the latest if several."""
        with self.reader.connect() as conn:
            found: int | None = conn.scalar(q.RUNNING_ON_EVSE, {"p_station": station_id, "p_evse": evse_id})
        return None if found is None else self.transaction(station_id, found)

    def transactions(self, identity: str) -> list[TransactionRecord]:
        """Every transaction of a station, oldest first."""
        self.flush()
        query = (
            sa.select(transactions)
            .join(stations, stations.c.id == transactions.c.station_id)
            .where(stations.c.identity == identity)
            .order_by(transactions.c.id)
        )
        with self.reader.connect() as conn:
            return [_transaction(row) for row in conn.execute(query)]


def applied(record: TransactionRecord, change: MeterChange) -> TransactionRecord:
    """The record once `change` is written (as `SET_METER_START`, `SET_METER_LAST`, `SET_ENERGY_PROBLEM`)."""
    start = record.meter_start_wh if record.meter_start_wh is not None else change.start_wh
    last_wh, last_at = record.meter_last_wh, record.meter_last_at
    if change.last is not None and (last_at is None or last_at <= change.last.at):
        last_wh, last_at = change.last.wh, change.last.at
    problem = record.energy_problem
    if problem is None and change.problem:
        problem = change.problem[:255]
    return replace(
        record, meter_start_wh=start, meter_last_wh=last_wh, meter_last_at=last_at, energy_problem=problem
    )


def _applied_to(change: MeterChange, record: TransactionRecord | None) -> TransactionRecord | None:
    return None if record is None else applied(record, change)


def cached_transactions(engine: sa.Engine) -> Cached[TransactionRecord | None]:
    """The committed records of transactions, kept as this process changes them. The store's own writes
    to `transactions` carry `KNOWN` and keep it right themselves (forget, or `applied` after a group
    commit); any other write to the table through the engine empties it."""
    cache: Cached[TransactionRecord | None] = Cached("transactions")

    def stale(context: Any, statement: str) -> bool:
        table = written_table(context, statement)
        return table in ("transactions", "") and not context.execution_options.get(KNOWN_OPTION)

    cache.watch(engine, stale)
    return cache


def _merged(batches: Sequence[Batch], transaction_id: int) -> MeterChange | None:
    found: MeterChange | None = None
    for batch in batches:
        change = batch.meters.get(transaction_id)
        if change is not None:
            found = change if found is None else found.then(change)
    return found


def _inserted_id(result: sa.CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _same_start(
    station_id: int,
    evse_id: int | None,
    started_at: datetime,
    meter_start_wh: float | None,
    id_token: str | None,
) -> sa.Select[Any]:
    return sa.select(transactions.c.id).where(
        (transactions.c.station_id == station_id)
        & ((transactions.c.state == RUNNING) | (transactions.c.ended_by == CSMS))  # may be reported late
        & (transactions.c.evse_id == evse_id)
        & (transactions.c.started_at == started_at)
        & (transactions.c.meter_start_wh == meter_start_wh)
        & (transactions.c.id_token == id_token)
    )


def _opening_changes(row: Any, at: datetime, evse_id: int | None, connector_id: int | None) -> dict[str, Any]:
    """What an event of a known 2.0.1 transaction adds: its EVSE if unknown so far, an earlier start."""
    changes: dict[str, Any] = {}
    if evse_id is not None and row.evse_id is None:
        changes.update(evse_id=evse_id, connector_id=connector_id)
    if row.started_at is None or at < row.started_at:
        changes["started_at"] = at
    return changes


def _token_values(token: TokenUse | None) -> dict[str, Any]:
    if token is None:
        return {"id_token": None, "id_token_type": None, "id_token_status": None, "identification_id": None}
    return {
        "id_token": token.id_token,
        "id_token_type": token.id_token_type,
        "id_token_status": token.status,
        "identification_id": token.identification_id,
    }


def _transaction(row: Any) -> TransactionRecord:
    return TransactionRecord(
        id=row.id,
        transaction_ref=row.transaction_ref,
        station_id=row.station_id,
        evse_id=row.evse_id,
        connector_id=row.connector_id,
        id_token=row.id_token,
        id_token_type=row.id_token_type,
        id_token_status=row.id_token_status,
        identification_id=row.identification_id,
        meter_start_wh=row.meter_start_wh,
        meter_last_wh=row.meter_last_wh,
        meter_last_at=row.meter_last_at,
        meter_stop_wh=row.meter_stop_wh,
        started_at=row.started_at,
        stopped_at=row.stopped_at,
        stop_reason=row.stop_reason,
        state=row.state,
        ended_by=row.ended_by,
        end_note=row.end_note,
        energy_problem=row.energy_problem,
    )
