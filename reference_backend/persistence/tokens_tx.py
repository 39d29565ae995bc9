"""Reads and writes of the tokens provisioned for a station (`station_tokens`).

A mixin of `StationTx`: every read is scoped to one station. A token is unique per station by its
type and upper-cased code; provisioning one again changes its status, expiry and group.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from evharness.reference_backend.persistence.console.base import TxBase, inserted_id
from evharness.reference_backend.persistence.station_records import TokenRecord
from evharness.reference_backend.persistence.tables import station_tokens

_TOKEN = sa.select(
    station_tokens.c.id,
    station_tokens.c.type,
    station_tokens.c.code,
    station_tokens.c.status,
    station_tokens.c.expires_at,
    station_tokens.c.group_id,
)


class TokensTx(TxBase):
    def tokens(self, station_id: int) -> list[TokenRecord]:
        query = _TOKEN.where(station_tokens.c.station_id == station_id).order_by(station_tokens.c.id)
        return [TokenRecord(*row) for row in self.conn.execute(query)]

    def token(self, station_id: int, token_id: int) -> TokenRecord | None:
        row = self.conn.execute(
            _TOKEN.where((station_tokens.c.station_id == station_id) & (station_tokens.c.id == token_id))
        ).first()
        return TokenRecord(*row) if row is not None else None

    def put_token(
        self,
        station_id: int,
        token_type: str,
        code: str,
        status: str,
        expires_at: datetime | None,
        group_id: str | None,
    ) -> tuple[int, bool]:
        """Provision the token (or change the one of that type and code); its id, and True if new."""
        key = code.upper()
        values = {
            "status": status,
            "expires_at": expires_at,
            "group_id": group_id,
        }  # the code stays as first spelt
        found = self.conn.scalar(
            sa.select(station_tokens.c.id).where(
                (station_tokens.c.station_id == station_id)
                & (station_tokens.c.type == token_type)
                & (station_tokens.c.code_key == key)
            )
        )
        if found is not None:
            self.conn.execute(sa.update(station_tokens).where(station_tokens.c.id == found).values(**values))
            return int(found), False
        inserted = self.conn.execute(
            sa.insert(station_tokens).values(
                station_id=station_id, type=token_type, code=code, code_key=key, **values
            )
        )
        return inserted_id(inserted), True

    def remove_token(self, station_id: int, token_id: int) -> bool:
        result = self.conn.execute(
            sa.delete(station_tokens).where(
                (station_tokens.c.station_id == station_id) & (station_tokens.c.id == token_id)
            )
        )
        return bool(result.rowcount)
