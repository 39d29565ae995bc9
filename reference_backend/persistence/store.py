"""The one place that reads and writes the backend's database.

Sync SQLAlchemy Core, one short transaction per method, no ORM session: the OCPP handlers call it
from worker threads (never on the event loop), the console API from its thread pool. Methods take and
return UTC-aware datetimes and the records of `records.py`.

The bulk of the OCPP traffic — meter samples, the TransactionEvents they come with, heartbeats and
status reports — goes through one group committer (`self.writer`, see `group_commit`): added to its
open batch (`write_behind.Batch`) and committed with everything else that arrived meanwhile, in one
transaction. A CALL whose answer says "stored" waits for that commit (the connection's `Answering`
does); records returned meanwhile (`transaction`, `open_transaction`) already include what is
accepted. Rarer changes (a boot, a transaction's start and stop) are committed by their own method.
SQLite runs `synchronous=FULL` (`engine`): a commit survives a power loss, not only a crash.

A message resent after a lost answer stores nothing twice: a 2.0.1 TransactionEvent is known by its
seqNo, eventType and timestamp (`event_seen`, recorded with its samples by `add_transaction_event`), a
1.6 reading by what it says (`add_new_meter_samples`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from evharness.idtokens import IdType
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.domain import local_list
from evharness.reference_backend.domain.authorization import Identification
from evharness.reference_backend.domain.contracts import ContractSource, LocalContracts
from evharness.reference_backend.persistence import statements as q
from evharness.reference_backend.persistence.cached import Cached
from evharness.reference_backend.persistence.certificate_store import CertificateRecords
from evharness.reference_backend.persistence.charging_records import ChargingRecords
from evharness.reference_backend.persistence.delivered import Delivered
from evharness.reference_backend.persistence.engine import create_engine, read_only
from evharness.reference_backend.persistence.facts_cache import facts_cache
from evharness.reference_backend.persistence.function_records import DisplayMessageRecords, ReservationRecords
from evharness.reference_backend.persistence.group_commit import GroupCommitter
from evharness.reference_backend.persistence.liveness import Liveness, station_key
from evharness.reference_backend.persistence.records import (
    BootInfo,
    MeterValueRecord,
    ProvisionCounts,
    ProvisionedIdentification,
    StationRecord,
    TokenLookup,
)
from evharness.reference_backend.persistence.report_store import ReportRecords
from evharness.reference_backend.persistence.tables import (
    connectors,
    identifications,
    local_list_sync,
    local_users,
    metadata,
    meter_values,
    station_tokens,
    stations,
    transaction_events,
)
from evharness.reference_backend.persistence.tariff_records import TariffRecords
from evharness.reference_backend.persistence.transaction_store import TransactionStore, cached_transactions
from evharness.reference_backend.persistence.write_behind import Batch, Status


def code_key(code: str) -> str:
    """The form a code is looked up by: OCPP idTokens are case-insensitive (1.6 §7.28, 2.0.1 §2.29)."""
    return code.upper()


def _enabled_types(row: Any) -> frozenset[IdType]:
    flags = ((IdType.PIN, row.pin_enabled), (IdType.RFID, row.rfid_enabled))
    return frozenset(id_type for id_type, enabled in flags if enabled)


class Store(TransactionStore, CertificateRecords, ReportRecords):
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.reader = read_only(engine)  # for the methods that only read: they never wait for a writer
        self._lock = threading.Lock()  # the delivered cache: handlers and the console call from threads
        self._delivered = Delivered()  # what each transaction was sent already (`delivered`)
        self.writer: GroupCommitter[Batch] = GroupCommitter(Batch, self._write, name="store-commit")
        self.liveness = Liveness()  # heartbeats and statuses: written when they change something
        # what token decisions read, kept until a write could change it (`facts_cache`)
        self.facts: Cached[TokenLookup | None] = facts_cache(engine)
        self._records = cached_transactions(engine)  # committed transaction records (`transaction_store`)
        self.reservations = ReservationRecords(engine)
        self.display_messages = DisplayMessageRecords(engine)
        self.charging = ChargingRecords(engine)
        self.tariffs = TariffRecords(engine)  # kept in memory: read on every transaction message
        self.contract_source: ContractSource = LocalContracts()  # M01/M02; the backend sets its own

    @classmethod
    def from_url(cls, url: str) -> Store:
        return cls(create_engine(url))

    @property
    def display_url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def create_schema(self) -> None:
        metadata.create_all(self.engine)

    def dispose(self) -> None:
        unwritten = self.liveness.unwritten_heartbeats()
        if unwritten:
            with contextlib.suppress(RuntimeError):  # disposed of already
                self.writer.add(lambda batch: batch.heartbeats.update(unwritten))
        self.writer.close()  # commits what is open first
        self.engine.dispose()
        if self.reader is not self.engine:
            self.reader.dispose()

    def flush(self) -> None:
        """Wait until everything accepted so far is committed (or its commit failed)."""
        self.writer.flush()

    def _write(self, batch: Batch) -> None:
        """One group commit: samples, meter changes, TransactionEvents and state reports together."""
        try:
            with self.engine.begin() as conn:
                self._write_batch(conn, batch)
        except Exception:
            with self._lock:  # what was noted as delivered is not: look it up again next time
                for transaction_id in {*batch.meters, *(key[0] for key in batch.events)}:
                    self._delivered.forget(transaction_id)
                for row in batch.rows:
                    if row["transaction_id"] is not None:
                        self._delivered.forget(row["transaction_id"])
            stations = [station_key(s) for s in batch.station_statuses]
            self.liveness.forget(batch.heartbeats, [*stations, *batch.connector_statuses])
            raise
        self._committed(batch)  # the cached transaction records as the batch wrote them

    def _write_batch(self, conn: sa.Connection, batch: Batch) -> None:
        if batch.rows:
            conn.execute(sa.insert(meter_values), batch.rows)
        starts = [
            {"p_id": t, "p_start": m.start_wh} for t, m in batch.meters.items() if m.start_wh is not None
        ]
        if starts:
            conn.execute(q.SET_METER_START, starts)
        lasts = [
            {"p_id": t, "p_last": m.last.wh, "p_last_at": m.last.at}
            for t, m in batch.meters.items()
            if m.last is not None
        ]
        if lasts:
            conn.execute(q.SET_METER_LAST, lasts)
        problems = [{"p_id": t, "p_problem": m.problem[:255]} for t, m in batch.meters.items() if m.problem]
        if problems:
            conn.execute(q.SET_ENERGY_PROBLEM, problems)
        if batch.events:
            rows = [
                {"transaction_id": t, "seq_no": seq, "event_type": kind, "timestamp": at, "answer": dict(a)}
                for (t, seq, kind, at), a in batch.events.items()
            ]
            conn.execute(_insert_new(conn, transaction_events), rows)  # a resend raced in: stored once
        if batch.heartbeats:
            conn.execute(
                q.SET_HEARTBEAT, [{"p_station": s, "p_at": at} for s, at in batch.heartbeats.items()]
            )
        for station_id, (status, error, at) in batch.station_statuses.items():
            params = {"p_station": station_id, "p_status": status, "p_error": error, "p_at": at}
            conn.execute(q.SET_STATION_STATUS, params)
        for (station_id, evse, connector), (status, error, at) in batch.connector_statuses.items():
            params = {
                "p_station": station_id,
                "p_evse": evse,
                "p_connector": connector,
                "p_status": status,
                "p_error": error,
                "p_at": at,
            }
            if conn.execute(q.SET_CONNECTOR_STATUS, params).rowcount == 0:
                conn.execute(q.ADD_CONNECTOR, params)

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
        self.flush()  # the heartbeat and status reports accepted so far
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
            last_heartbeat_at=_latest(row.last_heartbeat_at, self.liveness.latest_heartbeat(row.id)),
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

    # State reports: held in memory (`liveness`), written with the next group commit when they change
    # something; their answers do not wait for it.

    def record_heartbeat(self, station_id: int, at: datetime) -> None:
        _aware(at)
        if not self.liveness.heartbeat(station_id, at):
            return

        def note(batch: Batch) -> None:
            seen = batch.heartbeats.get(station_id)
            batch.heartbeats[station_id] = at if seen is None or seen < at else seen

        self.writer.add(note)

    def record_station_status(
        self, station_id: int, status: str, error_code: str | None, at: datetime
    ) -> None:
        if not self.liveness.status(station_key(station_id), status, error_code):
            return
        self.writer.add(
            lambda batch: batch.station_statuses.__setitem__(station_id, (status, error_code, at))
        )

    def record_connector_status(
        self,
        station_id: int,
        evse_id: int,
        connector_id: int,
        status: str,
        error_code: str | None,
        at: datetime,
    ) -> bool:
        """Note a connector's status; True if it changed (written), False if it repeats the last one."""
        report: Status = (status, error_code, _aware(at))
        key = (station_id, evse_id, connector_id)
        if not self.liveness.status(key, status, error_code):
            return False
        self.writer.add(lambda batch: batch.connector_statuses.__setitem__(key, report))
        return True

    def connector_statuses(self, station_id: int) -> dict[tuple[int, int], str]:
        """(evse id, connector id) → the last status reported."""
        self.flush()
        query = sa.select(connectors.c.evse_id, connectors.c.connector_id, connectors.c.status).where(
            connectors.c.station_id == station_id
        )
        with self.reader.connect() as conn:
            return {(row.evse_id, row.connector_id): row.status for row in conn.execute(query)}

    # -- authorization facts --------------------------------------------------------------------

    def lookup_token(
        self,
        station_id: int,
        id_type: IdType | None,
        code: str,
        exclude_transaction: int | None = None,
        *,
        busy: bool = True,
    ) -> TokenLookup:
        """What the station and its local users say about a presented code, in one query. Without
        `busy` (the decision is not at a transaction's start), from the facts cache when it has them,
        and whether the identification is in a running transaction is not looked at (False)."""
        if busy:
            return self._lookup_token(station_id, id_type, code, exclude_transaction)
        key = ("identification", station_id, id_type, code_key(code))
        found = self.facts.get(key, lambda: _idle(self._lookup_token(station_id, id_type, code, None)))
        assert found is not None
        return found

    def _lookup_token(
        self, station_id: int, id_type: IdType | None, code: str, exclude_transaction: int | None
    ) -> TokenLookup:
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

    def lookup_provisioned(
        self,
        station_id: int,
        token_type: str | None,
        code: str,
        exclude_transaction: int | None = None,
        *,
        busy: bool = True,
    ) -> TokenLookup | None:
        """A token provisioned for the station with this code (of `token_type`; of any type if None,
        as a 1.6 idTag has none); None if there is none. `busy` as for `lookup_token`."""
        if busy:
            return self._lookup_provisioned(station_id, token_type, code, exclude_transaction)
        key = ("provisioned", station_id, token_type, code_key(code))
        return self.facts.get(
            key, lambda: _idle(self._lookup_provisioned(station_id, token_type, code, None))
        )

    def _lookup_provisioned(
        self, station_id: int, token_type: str | None, code: str, exclude_transaction: int | None
    ) -> TokenLookup | None:
        params = {
            "p_station": station_id,
            "p_code_key": code_key(code),
            "p_type": token_type or "",
            "p_any_type": token_type is None,
            "p_exclude": exclude_transaction if exclude_transaction is not None else -1,
        }
        with self.reader.connect() as conn:
            row = conn.execute(q.PROVISIONED_FACTS, params).first()
        if row is None:
            return None
        found = Identification(
            user_blocked=False,
            active=row.status == "active",
            expires_at=row.expires_at,
            in_other_transaction=bool(row.busy),
        )
        return TokenLookup(frozenset(), found, None, row.group_id)

    # -- transactions (the rest: `TransactionStore`) -----------------------------------------

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
        """Every identification and provisioned token of the station as a local list entry, by code
        (`domain.local_list`: an identification's code wins over a token's)."""
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
        tokens = sa.select(
            station_tokens.c.type,
            station_tokens.c.code,
            station_tokens.c.status,
            station_tokens.c.expires_at,
            station_tokens.c.group_id,
        ).where(station_tokens.c.station_id == station_id)
        with self.reader.connect() as conn:
            entries = {
                row.code: local_list.token_entry(
                    version, row.type, row.status == "active", row.expires_at, row.group_id, now
                )
                for row in conn.execute(tokens.order_by(station_tokens.c.id))
                if local_list.fits(version, row.code)
            }
            return entries | {
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
                IdType(kind),
                status,
                None if expiry is None else datetime.fromisoformat(expiry),
                *more,  # a provisioned token's type and group (absent from rows written before them)
            )
            for code, (kind, status, expiry, *more) in row.entries.items()
        }

    def record_local_list(self, station_id: int, version: int, entries: dict[str, local_list.Entry]) -> None:
        data = {
            code: [e.id_type.value, e.status, None if e.expires_at is None else e.expires_at.isoformat()]
            + ([e.token_type, e.group] if e.token_type is not None else [])
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


def _insert_new(conn: sa.Connection, table: sa.Table) -> Any:
    """INSERT that skips rows whose unique key is stored already (SQLite and PostgreSQL)."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


def _idle(lookup: TokenLookup | None) -> TokenLookup | None:
    """The facts without whether the token is in a running transaction (not decided from a cache)."""
    if lookup is None or lookup.identification is None:
        return lookup
    return dataclasses.replace(
        lookup, identification=dataclasses.replace(lookup.identification, in_other_transaction=False)
    )


def _latest(stored: datetime | None, held: datetime | None) -> datetime | None:
    if stored is None or held is None:
        return held if stored is None else stored
    return max(stored, held)


def _aware(at: datetime) -> datetime:
    """Refused now, not when the group commit writes the whole batch."""
    if at.tzinfo is None:
        raise ValueError(f"naive datetime {at!r}: the store takes UTC-aware datetimes only")
    return at
