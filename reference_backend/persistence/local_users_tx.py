"""Reads and writes of a station's local users and their identifications (seed 001).

A mixin of `StationTx`: every read is scoped to one station, so another station's user or identification
is simply not found. Codes are unique per station by their upper-cased `code_key`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from itertools import groupby
from typing import Any

import sqlalchemy as sa

from evharness.reference_backend.persistence.console.base import TxBase, inserted_id
from evharness.reference_backend.persistence.station_records import IdentificationRecord, LocalUserRecord
from evharness.reference_backend.persistence.tables import identifications, local_users

_IDENTIFICATION = sa.select(
    identifications.c.id,
    identifications.c.local_user_id,
    identifications.c.type,
    identifications.c.code,
    identifications.c.status,
    identifications.c.expires_at,
).order_by(identifications.c.local_user_id, identifications.c.id)


class LocalUsersTx(TxBase):
    def local_users(self, station_id: int) -> list[LocalUserRecord]:
        """The station's local users by id, each with its identifications by id."""
        users = self.conn.execute(
            sa.select(local_users).where(local_users.c.station_id == station_id).order_by(local_users.c.id)
        ).all()
        found = self._identifications(identifications.c.station_id == station_id)
        return [_user(row, found.get(row.id, ())) for row in users]

    def local_user(self, station_id: int, user_id: int) -> LocalUserRecord | None:
        row = self._one(
            sa.select(local_users).where(
                (local_users.c.station_id == station_id) & (local_users.c.id == user_id)
            )
        )
        if row is None:
            return None
        return _user(row, self._identifications(identifications.c.local_user_id == user_id).get(row.id, ()))

    def add_local_user(self, station_id: int, first_name: str, last_name: str, blocked: bool) -> int:
        return inserted_id(
            self.conn.execute(
                sa.insert(local_users).values(
                    station_id=station_id, first_name=first_name, last_name=last_name, blocked=blocked
                )
            )
        )

    def update_local_user(self, user_id: int, values: Mapping[str, Any]) -> None:
        self.conn.execute(sa.update(local_users).where(local_users.c.id == user_id).values(**values))

    def remove_local_user(self, user_id: int) -> None:
        """The user and its identifications (explicitly: not every database cascades)."""
        self.conn.execute(sa.delete(identifications).where(identifications.c.local_user_id == user_id))
        self.conn.execute(sa.delete(local_users).where(local_users.c.id == user_id))

    def add_identification(
        self,
        station_id: int,
        user_id: int,
        kind: str,
        code: str,
        status: str = "active",
        expires_at: datetime | None = None,
    ) -> int:
        return inserted_id(
            self.conn.execute(
                sa.insert(identifications).values(
                    local_user_id=user_id,
                    station_id=station_id,
                    type=kind,
                    code=code,
                    code_key=code.upper(),
                    status=status,
                    expires_at=expires_at,
                )
            )
        )

    def update_identification(self, identification_id: int, values: Mapping[str, Any]) -> None:
        self.conn.execute(
            sa.update(identifications).where(identifications.c.id == identification_id).values(**values)
        )

    def remove_identification(self, identification_id: int) -> None:
        self.conn.execute(sa.delete(identifications).where(identifications.c.id == identification_id))

    def has_code(self, station_id: int, code: str) -> bool:
        key = (identifications.c.station_id == station_id) & (identifications.c.code_key == code.upper())
        return self.conn.scalar(sa.select(sa.func.count()).select_from(identifications).where(key)) != 0

    def _identifications(self, where: sa.ColumnElement[bool]) -> dict[int, tuple[IdentificationRecord, ...]]:
        rows = [IdentificationRecord(*row) for row in self.conn.execute(_IDENTIFICATION.where(where))]
        return {user: tuple(group) for user, group in groupby(rows, key=lambda r: r.local_user_id)}


def _user(row: Any, found: tuple[IdentificationRecord, ...]) -> LocalUserRecord:
    return LocalUserRecord(row.id, row.first_name, row.last_name, bool(row.blocked), found)
