"""What every part of a console transaction shares: the connection and two small helpers."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa


class TxBase:
    conn: sa.Connection

    def _one(self, statement: sa.Select[Any]) -> Any:
        return self.conn.execute(statement).first()


def inserted_id(result: sa.CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])
