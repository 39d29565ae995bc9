"""The one place that reads and writes the backend's database.

Sync SQLAlchemy Core, one short transaction per method: OCPP handlers run on the event loop thread
and each message costs a handful of indexed statements, no ORM session. Methods take and return
UTC-aware datetimes and the records of `records.py`.

Meter samples, the bulk of the traffic, are written behind (measured by `evharness bench`: one
transaction per MeterValues was the largest single cost of the backend): `add_meter_samples` buffers
them (`write_behind.Batch`), and `flush()` writes them in one transaction — when the buffer is full
or old (`FLUSH_ROWS`, `FLUSH_AFTER_S`), before any read of meter values or transactions lists, before
a transaction stops, on `dispose()`, and every `FLUSH_AFTER_S` from the OCPP server. Records returned
meanwhile (`transaction`, `open_transaction`) already include the buffered readings.

A message resent after a lost answer stores nothing twice: a 2.0.1 TransactionEvent is known by its
seqNo (`event_answer`, recorded with its samples by `add_transaction_event`), a 1.6 reading by what
it says (`add_new_meter_samples`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from evharness.idtokens import IdType
from evharness.ocppj.versions import OcppVersion
from reference_backend.domain import local_list
from reference_backend.domain.authorization import Identification
from reference_backend.domain.metering import (
    ReadingKey,
    Sample,
    first_register_wh,
    last_register_wh,
    new_readings,
)
from reference_backend.persistence import statements as q
from reference_backend.persistence.delivered import NEVER, Delivered
from reference_backend.persistence.engine import create_engine, read_only
from reference_backend.persistence.records import (
    BootInfo,
    MeterValueRecord,
    ProvisionCounts,
    ProvisionedIdentification,
    StationRecord,
    TokenLookup,
    TokenUse,
    TransactionRecord,
)
from reference_backend.persistence.statements import ENDED, RUNNING
from reference_backend.persistence.tables import (
    connectors,
    identifications,
    local_list_sync,
    local_users,
    metadata,
    meter_values,
    stations,
    transaction_events,
    transactions,
)
from reference_backend.persistence.write_behind import Batch


def code_key(code: str) -> str:
    """The form a code is looked up by: OCPP idTokens are case-insensitive (1.6 §7.28, 2.0.1 §2.29)."""
    return code.upper()


def _enabled_types(row: Any) -> frozenset[IdType]:
    flags = ((IdType.PIN, row.pin_enabled), (IdType.RFID, row.rfid_enabled))
    return frozenset(id_type for id_type, enabled in flags if enabled)


class Store:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.reader = read_only(engine)  # for the methods that only read: they never wait for a writer
        self._lock = threading.Lock()  # the console API may call from its thread pool
        self._pending = Batch()  # accepted, not yet written (`write_behind`)
        self._delivered = Delivered()  # what each transaction was sent already (`delivered`)

    @classmethod
    def from_url(cls, url: str) -> Store:
        return cls(create_engine(url))

    @property
    def display_url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def create_schema(self) -> None:
        metadata.create_all(self.engine)

    def dispose(self) -> None:
        self.flush()
        self.engine.dispose()
        if self.reader is not self.engine:
            self.reader.dispose()

    def flush(self) -> None:
        """Write the buffered meter samples, move their transactions' meter readings, and record the
        TransactionEvents they came with, in one transaction."""
        with self._lock:
            batch, self._pending = self._pending, Batch()
            if not batch:
                return
            with self.engine.begin() as conn:
                if batch.rows:
                    conn.execute(sa.insert(meter_values), batch.rows)
                if batch.moves:
                    conn.execute(
                        q.MOVE_METER,
                        [
                            {"p_id": tid, "p_first": first, "p_last": last}
                            for tid, (first, last) in batch.moves.items()
                        ],
                    )
                if batch.events:
                    conn.execute(
                        sa.insert(transaction_events),
                        [
                            {"transaction_id": tid, "seq_no": seq_no, "answer": dict(answer)}
                            for (tid, seq_no), answer in batch.events.items()
                        ],
                    )

    # -- stations -------------------------------------------------------------------------------

    def find_station_id(self, identity: str) -> int | None:
        with self.reader.connect() as conn:
            found: int | None = conn.scalar(q.STATION_ID, {"p_identity": identity})
        return found

    def ensure_station(self, identity: str, at: datetime, protocol: str | None = None) -> tuple[int, bool]:
        """The station's id, registering it first if needed; True when it was created."""
        with self.engine.begin() as conn:
            found = conn.scalar(sa.select(stations.c.id).where(stations.c.identity == identity))
            if found is not None:
                if protocol is not None:
                    conn.execute(sa.update(stations).where(stations.c.id == found).values(protocol=protocol))
                return int(found), False
            result = conn.execute(
                sa.insert(stations).values(identity=identity, protocol=protocol, registered_at=at)
            )
            return _inserted_id(result), True

    def register_boot(self, identity: str, protocol: str, boot: BootInfo, at: datetime) -> int:
        """Record a BootNotification, registering the station on its first one."""
        values = {
            "protocol": protocol,
            "vendor": boot.vendor,
            "model": boot.model,
            "serial_number": boot.serial_number,
            "firmware_version": boot.firmware_version,
            "boot_reason": boot.reason,
            "booted_at": at,
        }
        with self.engine.begin() as conn:
            found = conn.scalar(sa.select(stations.c.id).where(stations.c.identity == identity))
            if found is not None:
                conn.execute(sa.update(stations).where(stations.c.id == found).values(**values))
                return int(found)
            result = conn.execute(sa.insert(stations).values(identity=identity, registered_at=at, **values))
            return _inserted_id(result)

    def station(self, identity: str) -> StationRecord | None:
        with self.reader.connect() as conn:
            row = conn.execute(sa.select(stations).where(stations.c.identity == identity)).first()
        if row is None:
            return None
        return StationRecord(
            id=row.id,
            identity=row.identity,
            protocol=row.protocol,
            vendor=row.vendor,
            model=row.model,
            serial_number=row.serial_number,
            firmware_version=row.firmware_version,
            registered_at=row.registered_at,
            booted_at=row.booted_at,
            last_heartbeat_at=row.last_heartbeat_at,
            status=row.status,
            enabled_types=_enabled_types(row),
        )

    def set_basic_auth_hash(self, station_id: int, password_hash: str | None) -> None:
        """Store the station's HTTP Basic password hash (None: connect without credentials)."""
        with self.engine.begin() as conn:
            conn.execute(
                sa.update(stations).where(stations.c.id == station_id).values(basic_auth_hash=password_hash)
            )

    def store_basic_auth_hashes(
        self, hashes: Mapping[str, str], at: datetime, *, replace: bool = True
    ) -> tuple[int, int]:
        """Store password hashes by identity in one transaction, registering unknown stations (as
        `ensure_station` does); `replace=False` keeps a hash already stored. Returns (written, kept)."""
        written = kept = 0
        with self.engine.begin() as conn:
            for identity, password_hash in hashes.items():
                found = conn.execute(
                    sa.select(stations.c.id, stations.c.basic_auth_hash).where(
                        stations.c.identity == identity
                    )
                ).first()
                if found is None:
                    conn.execute(
                        sa.insert(stations).values(
                            identity=identity, registered_at=at, basic_auth_hash=password_hash
                        )
                    )
                elif replace or found.basic_auth_hash is None:
                    conn.execute(
                        sa.update(stations)
                        .where(stations.c.id == found.id)
                        .values(basic_auth_hash=password_hash)
                    )
                else:
                    kept += 1
                    continue
                written += 1
        return written, kept

    def basic_auth_hash(self, identity: str) -> str | None:
        with self.reader.connect() as conn:
            found: str | None = conn.scalar(
                sa.select(stations.c.basic_auth_hash).where(stations.c.identity == identity)
            )
        return found

    def set_identification_types(self, station_id: int, enabled: Iterable[IdType]) -> None:
        """Enable exactly these identification types at a station (seed 001)."""
        wanted = set(enabled)
        with self.engine.begin() as conn:
            conn.execute(
                sa.update(stations)
                .where(stations.c.id == station_id)
                .values(pin_enabled=IdType.PIN in wanted, rfid_enabled=IdType.RFID in wanted)
            )

    def record_heartbeat(self, station_id: int, at: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(q.SET_HEARTBEAT, {"p_station": station_id, "p_at": at})

    def record_station_status(
        self, station_id: int, status: str, error_code: str | None, at: datetime
    ) -> None:
        params = {"p_station": station_id, "p_status": status, "p_error": error_code, "p_at": at}
        with self.engine.begin() as conn:
            conn.execute(q.SET_STATION_STATUS, params)

    def record_connector_status(
        self,
        station_id: int,
        evse_id: int,
        connector_id: int,
        status: str,
        error_code: str | None,
        at: datetime,
    ) -> None:
        params = {
            "p_station": station_id,
            "p_evse": evse_id,
            "p_connector": connector_id,
            "p_status": status,
            "p_error": error_code,
            "p_at": at,
        }
        with self.engine.begin() as conn:
            if conn.execute(q.SET_CONNECTOR_STATUS, params).rowcount == 0:
                conn.execute(q.ADD_CONNECTOR, params)

    def connector_statuses(self, station_id: int) -> dict[tuple[int, int], str]:
        """(evse id, connector id) → the last status reported."""
        query = sa.select(connectors.c.evse_id, connectors.c.connector_id, connectors.c.status).where(
            connectors.c.station_id == station_id
        )
        with self.reader.connect() as conn:
            return {(row.evse_id, row.connector_id): row.status for row in conn.execute(query)}

    # -- authorization facts --------------------------------------------------------------------

    def lookup_token(
        self, station_id: int, id_type: IdType | None, code: str, exclude_transaction: int | None = None
    ) -> TokenLookup:
        """What the station and its local users say about a presented code, in one query."""
        params = {
            "p_station": station_id,
            "p_code_key": code_key(code),
            "p_type": id_type.value if id_type is not None else "",
            "p_exclude": exclude_transaction if exclude_transaction is not None else -1,
        }
        with self.reader.connect() as conn:
            row = conn.execute(q.TOKEN_FACTS, params).one()
        if row.identification_id is None:
            return TokenLookup(_enabled_types(row), None, None)
        found = Identification(
            user_blocked=bool(row.blocked),
            active=row.status == "active",
            expires_at=row.expires_at,
            in_other_transaction=bool(row.busy),
        )
        return TokenLookup(_enabled_types(row), found, row.identification_id, row.group_id)

    # -- transactions ---------------------------------------------------------------------------

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
        """Record a 1.6 StartTransaction; its id is the transactionId to answer with.

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
                sa.insert(transactions).values(
                    station_id=station_id,
                    evse_id=evse_id,
                    connector_id=connector_id,
                    meter_start_wh=meter_start_wh,
                    meter_last_wh=meter_start_wh,
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
    ) -> TransactionRecord:
        """The 2.0.1 transaction `transaction_ref`, created on the first event seen of it.

        Events may arrive out of order (OCTT general rule), so the start time is the earliest seen.
        Most events change nothing here: they are answered from a read, without the write lock.
        """
        key = {"p_station": station_id, "p_ref": transaction_ref}
        with self.reader.connect() as conn:
            row = conn.execute(q.TRANSACTION_BY_REF, key).first()
        if row is not None and not _opening_changes(row, at, evse_id, connector_id):
            return self._with_pending(_transaction(row))
        with self.engine.begin() as conn:
            row = conn.execute(q.TRANSACTION_BY_REF, key).first()
            if row is None:
                conn.execute(
                    sa.insert(transactions).values(
                        station_id=station_id,
                        transaction_ref=transaction_ref,
                        evse_id=evse_id,
                        connector_id=connector_id,
                        started_at=at,
                        state=RUNNING,
                    )
                )
            elif changes := _opening_changes(row, at, evse_id, connector_id):
                conn.execute(sa.update(transactions).where(transactions.c.id == row.id).values(**changes))
            return self._with_pending(_transaction(conn.execute(q.TRANSACTION_BY_REF, key).one()))

    def assign_token(self, transaction_id: int, token: TokenUse) -> None:
        """Remember the token that authorized the transaction (2.0.1: the first idToken seen)."""
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

    def stop_transaction(
        self, transaction_id: int, stopped_at: datetime, reason: str, meter_stop_wh: float | None = None
    ) -> None:
        """End a running transaction; without a meter stop, the last register reading is taken."""
        self.flush()
        with self._lock:
            self._delivered.forget(transaction_id)
        meter_stop: Any = meter_stop_wh if meter_stop_wh is not None else transactions.c.meter_last_wh
        with self.engine.begin() as conn:
            conn.execute(
                sa.update(transactions)
                .where((transactions.c.id == transaction_id) & (transactions.c.state == RUNNING))
                .values(state=ENDED, stopped_at=stopped_at, stop_reason=reason, meter_stop_wh=meter_stop)
            )

    def add_meter_samples(
        self,
        station_id: int,
        samples: Sequence[Sample],
        transaction_id: int | None = None,
        evse_id: int | None = None,
    ) -> None:
        """Persist samples; register readings also move the transaction's start and last meter."""
        self._buffer(station_id, samples, transaction_id, evse_id)

    def add_new_meter_samples(
        self, station_id: int, samples: Sequence[Sample], transaction_id: int, evse_id: int | None = None
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
            known = set(self._pending.readings(transaction_id)) if earliest <= latest else set()
        if earliest <= latest:
            known.update(self._stored_readings(transaction_id, earliest, latest))
        fresh = new_readings(samples, known)
        self._buffer(station_id, fresh, transaction_id, evse_id)
        return len(fresh)

    def _latest_reading(self, transaction_id: int) -> datetime:
        times = [key[0] for key in self._pending.readings(transaction_id)]
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

    def event_answer(self, transaction_id: int, seq_no: int) -> dict[str, Any] | None:
        """The answer given to the 2.0.1 TransactionEvent `seq_no` of the transaction, if it was handled.

        The transaction's seqNos are loaded once (`delivered`): a new seqNo costs no query.
        """
        with self._lock:
            seq_nos = self._delivered.seq_nos(transaction_id)
            if seq_nos is None:
                seq_nos = self._delivered.load_seq_nos(transaction_id, self._stored_seq_nos(transaction_id))
            if seq_no not in seq_nos:
                return None
            pending = self._pending.events.get((transaction_id, seq_no))
        if pending is not None:
            return dict(pending)
        with self.reader.connect() as conn:
            found: dict[str, Any] | None = conn.scalar(
                q.EVENT_ANSWER, {"p_transaction": transaction_id, "p_seq": seq_no}
            )
        return found

    def _stored_seq_nos(self, transaction_id: int) -> set[int]:
        pending = {seq for tid, seq in self._pending.events if tid == transaction_id}
        with self.reader.connect() as conn:
            return pending | set(conn.scalars(q.SEQ_NOS, {"p_transaction": transaction_id}))

    def add_transaction_event(
        self,
        station_id: int,
        transaction_id: int,
        seq_no: int,
        answer: Mapping[str, Any],
        samples: Sequence[Sample] = (),
        evse_id: int | None = None,
    ) -> None:
        """Record a handled 2.0.1 TransactionEvent with its samples; both are written together."""
        self._buffer(station_id, samples, transaction_id, evse_id, (seq_no, dict(answer)))

    def _buffer(
        self,
        station_id: int,
        samples: Sequence[Sample],
        transaction_id: int | None,
        evse_id: int | None,
        event: tuple[int, Mapping[str, Any]] | None = None,
    ) -> None:
        if not samples and event is None:
            return
        for sample in samples:  # refused now, not when a later flush writes the whole batch
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
        first, last = first_register_wh(samples), last_register_wh(samples)
        register = None if first is None or last is None else (first, last)
        now = time.monotonic()
        with self._lock:
            self._pending.add(now, rows, transaction_id, register, event)
            if transaction_id is not None:
                if event is not None:
                    self._delivered.add_seq_no(transaction_id, event[0])
                if samples:
                    self._delivered.add_reading_time(transaction_id, max(s.timestamp for s in samples))
            due = self._pending.due(now)
        if due:
            self.flush()

    def _with_pending(self, record: TransactionRecord) -> TransactionRecord:
        """The record as it will be once the buffered samples are written (MOVE_METER's rule)."""
        with self._lock:
            pending = self._pending.moves.get(record.id)
        if pending is None:
            return record
        first, last = pending
        start, latest = record.meter_start_wh, record.meter_last_wh
        return replace(
            record,
            meter_start_wh=first if start is None or start > first else start,
            meter_last_wh=last if latest is None or latest < last else latest,
        )

    def transaction(self, station_id: int, transaction_id: int) -> TransactionRecord | None:
        with self.reader.connect() as conn:
            row = conn.execute(q.TRANSACTION_BY_ID, {"p_station": station_id, "p_id": transaction_id}).first()
        return None if row is None else self._with_pending(_transaction(row))

    def running_transaction_id(self, station_id: int, evse_id: int) -> int | None:
        """The transaction running on an EVSE (a 1.6 connector), if any; the latest if several."""
        with self.reader.connect() as conn:
            found: int | None = conn.scalar(q.RUNNING_ON_EVSE, {"p_station": station_id, "p_evse": evse_id})
        return found

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

    def meter_values(self, transaction_id: int) -> list[MeterValueRecord]:
        self.flush()
        query = (
            sa.select(meter_values)
            .where(meter_values.c.transaction_id == transaction_id)
            .order_by(meter_values.c.timestamp, meter_values.c.id)
        )
        with self.reader.connect() as conn:
            return [
                MeterValueRecord(
                    timestamp=row.timestamp,
                    measurand=row.measurand,
                    value=row.value,
                    unit=row.unit,
                    phase=row.phase,
                    context=row.context,
                    location=row.location,
                    evse_id=row.evse_id,
                )
                for row in conn.execute(query)
            ]

    # -- local users and identifications ----------------------------------------------------------

    def provision(
        self, station_id: int, wanted: Sequence[ProvisionedIdentification], remove: Iterable[str] = ()
    ) -> ProvisionCounts:
        """Make the station's local users hold exactly `wanted` (by code), and none of `remove`.

        Keyed by (station, upper-cased code), so provisioning twice changes nothing the second time.
        """
        keys = {code_key(item.code) for item in wanted}
        removed_keys = {code_key(code) for code in remove} - keys
        created = updated = users_created = removed = 0
        with self.engine.begin() as conn:
            existing = {
                row.code_key: (row.id, row.local_user_id)
                for row in conn.execute(
                    sa.select(
                        identifications.c.id, identifications.c.code_key, identifications.c.local_user_id
                    ).where(
                        (identifications.c.station_id == station_id) & identifications.c.code_key.in_(keys)
                    )
                )
            }
            for item in wanted:
                ident_values = {
                    "type": item.type.value,
                    "code": item.code,
                    "status": "active" if item.active else "inactive",
                    "expires_at": item.expires_at,
                    "group_id": item.group_id,
                }
                user_values = {
                    "first_name": item.first_name,
                    "last_name": item.last_name,
                    "blocked": item.blocked,
                }
                found = existing.get(code_key(item.code))
                if found is not None:
                    ident_id, user_id = found
                    conn.execute(
                        sa.update(local_users).where(local_users.c.id == user_id).values(**user_values)
                    )
                    conn.execute(
                        sa.update(identifications)
                        .where(identifications.c.id == ident_id)
                        .values(**ident_values)
                    )
                    updated += 1
                    continue
                result = conn.execute(sa.insert(local_users).values(station_id=station_id, **user_values))
                users_created += 1
                conn.execute(
                    sa.insert(identifications).values(
                        station_id=station_id,
                        local_user_id=_inserted_id(result),
                        code_key=code_key(item.code),
                        **ident_values,
                    )
                )
                created += 1
            if removed_keys:
                removed = self._remove_identifications(conn, station_id, removed_keys)
        return ProvisionCounts(users_created, created, updated, removed)

    @staticmethod
    def _remove_identifications(conn: sa.Connection, station_id: int, keys: set[str]) -> int:
        where = (identifications.c.station_id == station_id) & identifications.c.code_key.in_(keys)
        user_ids = list(conn.scalars(sa.select(identifications.c.local_user_id).where(where)))
        removed = conn.execute(sa.delete(identifications).where(where)).rowcount
        if user_ids:
            still_used = sa.exists().where(identifications.c.local_user_id == local_users.c.id)
            conn.execute(sa.delete(local_users).where(local_users.c.id.in_(user_ids) & ~still_used))
        return removed

    # -- the local authorization list ------------------------------------------------------------

    def local_list_entries(
        self, station_id: int, version: OcppVersion, now: datetime
    ) -> dict[str, local_list.Entry]:
        """Every identification of the station as a local list entry, by code."""
        query = (
            sa.select(
                identifications.c.code,
                identifications.c.type,
                identifications.c.status,
                identifications.c.expires_at,
                local_users.c.blocked,
                stations.c.pin_enabled,
                stations.c.rfid_enabled,
            )
            .join(local_users, local_users.c.id == identifications.c.local_user_id)
            .join(stations, stations.c.id == identifications.c.station_id)
            .where(identifications.c.station_id == station_id)
        )
        with self.reader.connect() as conn:
            return {
                row.code: local_list.entry_for(
                    version,
                    IdType(row.type),
                    _enabled_types(row),
                    bool(row.blocked),
                    row.status == "active",
                    row.expires_at,
                    now,
                )
                for row in conn.execute(query)
            }

    def local_list_sent(self, station_id: int) -> tuple[int, dict[str, local_list.Entry]] | None:
        """The version and entries last accepted by the station; None if none was."""
        query = sa.select(local_list_sync.c.version, local_list_sync.c.entries).where(
            local_list_sync.c.station_id == station_id
        )
        with self.reader.connect() as conn:
            row = conn.execute(query).one_or_none()
        if row is None:
            return None
        return row.version, {
            code: local_list.Entry(
                IdType(kind), status, None if expiry is None else datetime.fromisoformat(expiry)
            )
            for code, (kind, status, expiry) in row.entries.items()
        }

    def record_local_list(self, station_id: int, version: int, entries: dict[str, local_list.Entry]) -> None:
        data = {
            code: [e.id_type.value, e.status, None if e.expires_at is None else e.expires_at.isoformat()]
            for code, e in entries.items()
        }
        with self.engine.begin() as conn:
            conn.execute(sa.delete(local_list_sync).where(local_list_sync.c.station_id == station_id))
            conn.execute(
                sa.insert(local_list_sync).values(station_id=station_id, version=version, entries=data)
            )

    def row_counts(self) -> dict[str, int]:
        """Rows per table, for reports and tests."""
        self.flush()
        with self.reader.connect() as conn:
            return {
                name: int(conn.scalar(sa.select(sa.func.count()).select_from(table)) or 0)
                for name, table in metadata.tables.items()
            }


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
        & (transactions.c.state == RUNNING)
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
        meter_stop_wh=row.meter_stop_wh,
        started_at=row.started_at,
        stopped_at=row.stopped_at,
        stop_reason=row.stop_reason,
        state=row.state,
    )
