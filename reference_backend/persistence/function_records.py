"""Reservations and display messages: their tables and the records the handlers and the console
read and write (rare writes: each its own short transaction)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from evharness.reference_backend.domain.reservations import Event, Held, Reserved, State, next_state
from evharness.reference_backend.persistence.tables import UtcDateTime, metadata


def _station_fk() -> sa.Column[int]:
    return sa.Column("station_id", sa.ForeignKey("stations.id", ondelete="CASCADE"), nullable=False)


reservations = sa.Table(
    "reservations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _station_fk(),
    sa.Column("reservation_id", sa.Integer, nullable=False),  # the OCPP id, per station
    sa.Column("evse_id", sa.Integer),  # null: any EVSE
    sa.Column("connector_type", sa.String(20)),
    sa.Column("id_token", sa.String(64), nullable=False),
    sa.Column("group_id", sa.String(64)),
    sa.Column("expires_at", UtcDateTime, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("answer", sa.String(16)),  # the station's ReserveNow status
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("station_id", "reservation_id"),
)

display_messages = sa.Table(
    "display_messages",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _station_fk(),
    sa.Column("message_id", sa.Integer, nullable=False),
    sa.Column("priority", sa.String(16), nullable=False),
    sa.Column("state", sa.String(16)),
    sa.Column("format", sa.String(8), nullable=False),
    sa.Column("language", sa.String(8)),
    sa.Column("content", sa.String(1024), nullable=False),
    sa.Column("starts_at", UtcDateTime),
    sa.Column("ends_at", UtcDateTime),
    sa.Column("transaction_ref", sa.String(36)),
    sa.Column("source", sa.String(8), nullable=False),  # set: the CSMS set it; reported: the station said
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("station_id", "message_id"),
)


@dataclass(frozen=True, slots=True)
class ReservationRecord:
    reservation_id: int
    evse_id: int | None
    connector_type: str | None
    id_token: str
    group_id: str | None
    expires_at: datetime
    state: str
    answer: str | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class DisplayMessageRecord:
    message_id: int
    priority: str
    content: str
    format: str = "UTF8"
    language: str | None = None
    state: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    transaction_ref: str | None = None
    source: str = "set"


class ReservationRecords:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def next_id(self, station_id: int) -> int:
        """A reservation id this station has not been given yet."""
        with self.engine.connect() as conn:
            found = conn.scalar(
                sa.select(sa.func.max(reservations.c.reservation_id)).where(
                    reservations.c.station_id == station_id
                )
            )
        return int(found or 0) + 1

    def requested(self, station_id: int, reserved: Reserved, answer: str, event: Event, at: datetime) -> None:
        """A ReserveNow and the station's answer; the same id again replaces the reservation (H01.FR.02)."""
        row = {
            "evse_id": reserved.evse_id,
            "connector_type": reserved.connector_type,
            "id_token": reserved.code[:64],
            "group_id": None if reserved.group is None else reserved.group[:64],
            "expires_at": reserved.expires_at,
            "answer": answer[:16],
            "updated_at": at,
        }
        key = (reservations.c.station_id == station_id) & (
            reservations.c.reservation_id == reserved.reservation_id
        )
        with self.engine.begin() as conn:
            state = conn.scalar(sa.select(reservations.c.state).where(key))
            current = State.REQUESTED if state is None else State(state)
            row["state"] = next_state(current if current is State.ACTIVE else State.REQUESTED, event).value
            if state is None:
                values = {"station_id": station_id, "reservation_id": reserved.reservation_id, **row}
                conn.execute(sa.insert(reservations).values(**values))
            else:
                conn.execute(sa.update(reservations).where(key).values(**row))

    def apply(self, station_id: int, reservation_id: int, event: Event, at: datetime) -> bool:
        """Move the reservation by `event` (`domain.reservations.TRANSITIONS`); False if unknown."""
        key = (reservations.c.station_id == station_id) & (reservations.c.reservation_id == reservation_id)
        with self.engine.begin() as conn:
            state = conn.scalar(sa.select(reservations.c.state).where(key))
            if state is None:
                return False
            following = next_state(State(state), event)
            if following.value != state:
                conn.execute(sa.update(reservations).where(key).values(state=following.value, updated_at=at))
        return True

    def end_on_evse(self, station_id: int, evse_id: int, event: Event, at: datetime) -> None:
        """End the active reservations of an EVSE (1.6: its connector's status said so)."""
        with self.engine.begin() as conn:
            conn.execute(
                sa.update(reservations)
                .where(
                    (reservations.c.station_id == station_id)
                    & (reservations.c.evse_id == evse_id)
                    & (reservations.c.state == State.ACTIVE.value)
                )
                .values(state=next_state(State.ACTIVE, event).value, updated_at=at)
            )

    def held(self, station_id: int, evse_id: int) -> list[Held]:
        """The active reservations of this EVSE."""
        query = sa.select(reservations).where(
            (reservations.c.station_id == station_id)
            & (reservations.c.evse_id == evse_id)
            & (reservations.c.state == State.ACTIVE.value)
        )
        with self.engine.connect() as conn:
            return [Held(r.reservation_id, r.id_token, r.group_id, r.expires_at) for r in conn.execute(query)]

    def of_station(self, station_id: int, now: datetime) -> list[ReservationRecord]:
        """Every reservation of the station, newest first; an active one past its expiry is expired."""
        with self.engine.begin() as conn:
            conn.execute(
                sa.update(reservations)
                .where(
                    (reservations.c.station_id == station_id)
                    & (reservations.c.state == State.ACTIVE.value)
                    & (reservations.c.expires_at <= now)
                )
                .values(state=State.EXPIRED.value, updated_at=now)
            )
            rows = conn.execute(
                sa.select(reservations)
                .where(reservations.c.station_id == station_id)
                .order_by(reservations.c.reservation_id.desc())
            )
            return [
                ReservationRecord(
                    r.reservation_id,
                    r.evse_id,
                    r.connector_type,
                    r.id_token,
                    r.group_id,
                    r.expires_at,
                    r.state,
                    r.answer,
                    r.updated_at,
                )
                for r in rows
            ]


class DisplayMessageRecords:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def put(self, station_id: int, messages: list[DisplayMessageRecord], at: datetime) -> None:
        """Store (or replace, by id) what the CSMS set or the station reported."""
        with self.engine.begin() as conn:
            for message in messages:
                key = (display_messages.c.station_id == station_id) & (
                    display_messages.c.message_id == message.message_id
                )
                conn.execute(sa.delete(display_messages).where(key))
                conn.execute(
                    sa.insert(display_messages).values(
                        station_id=station_id,
                        message_id=message.message_id,
                        priority=message.priority,
                        state=message.state,
                        format=message.format,
                        language=message.language,
                        content=message.content[:1024],
                        starts_at=message.starts_at,
                        ends_at=message.ends_at,
                        transaction_ref=message.transaction_ref,
                        source=message.source,
                        updated_at=at,
                    )
                )

    def remove(self, station_id: int, message_id: int) -> None:
        key = (display_messages.c.station_id == station_id) & (display_messages.c.message_id == message_id)
        with self.engine.begin() as conn:
            conn.execute(sa.delete(display_messages).where(key))

    def of_station(self, station_id: int) -> list[DisplayMessageRecord]:
        query = (
            sa.select(display_messages)
            .where(display_messages.c.station_id == station_id)
            .order_by(display_messages.c.message_id)
        )
        with self.engine.connect() as conn:
            return [
                DisplayMessageRecord(
                    r.message_id,
                    r.priority,
                    r.content,
                    r.format,
                    r.language,
                    r.state,
                    r.starts_at,
                    r.ends_at,
                    r.transaction_ref,
                    r.source,
                )
                for r in conn.execute(query)
            ]
