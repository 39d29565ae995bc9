"""Tariffs per station and the final cost of each transaction (`domain.tariffs`; docs/tariffs.md).

The OCPP handlers ask for a station's tariff on every transaction message; they get it from memory:
`TariffRecords.of` reads the whole (small) table at most once per `CACHE_SECONDS`, whatever the number
of stations and messages, and a tariff set or removed through any `TariffRecords` on the same engine
replaces the kept one at once (the cache is per engine, shared by the `Store` of the OCPP side and the
console's records). A tariff written to the database by another process (a second backend on the same
PostgreSQL, `evharness provision`) is seen within `CACHE_SECONDS`.

The final cost is a row of its own (`transaction_costs`), written once when the station ends the
transaction, in the tariff's currency; prices and costs are kept as decimal text, never floats.
"""

from __future__ import annotations

import threading
import time
import weakref
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from evharness.reference_backend.domain.tariffs import Tariff
from evharness.reference_backend.persistence.tables import UtcDateTime, metadata

CACHE_SECONDS = 30.0

tariffs = sa.Table(
    "tariffs",
    metadata,
    sa.Column("station_id", sa.ForeignKey("stations.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("energy_price_per_kwh", sa.String(24), nullable=False),
    sa.Column("time_price_per_hour", sa.String(24), nullable=False),
    sa.Column("session_fee", sa.String(24), nullable=False),
    sa.Column("texts", sa.JSON, nullable=False),  # language → text
    sa.Column("updated_at", UtcDateTime, nullable=False),
)

transaction_costs = sa.Table(
    "transaction_costs",
    metadata,
    sa.Column("transaction_id", sa.ForeignKey("transactions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("total_cost", sa.String(32), nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("computed_at", UtcDateTime, nullable=False),
)


@dataclass(frozen=True, slots=True)
class FinalCost:
    total_cost: Decimal
    currency: str


class _Cache:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.read_at = -CACHE_SECONDS  # when the table was last read (time.monotonic)
        self.tariffs: dict[int, Tariff] = {}  # station id → its tariff
        self.changes = 0  # tariffs set or removed here: a read that overlapped one is not kept


_CACHES: weakref.WeakKeyDictionary[sa.Engine, _Cache] = weakref.WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()


def _cache_of(engine: sa.Engine) -> _Cache:
    with _CACHES_LOCK:
        cache = _CACHES.get(engine)
        if cache is None:
            cache = _CACHES[engine] = _Cache()
        return cache


def _tariff(row: Any) -> Tariff:
    return Tariff(
        row.currency,
        Decimal(row.energy_price_per_kwh),
        Decimal(row.time_price_per_hour),
        Decimal(row.session_fee),
        dict(row.texts or {}),
    )


class TariffRecords:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._cache = _cache_of(engine)

    def of(self, station_id: int) -> Tariff | None:
        """The station's tariff (None: it has none), from memory while it is fresh."""
        cache, now = self._cache, time.monotonic()
        with cache.lock:
            if now - cache.read_at < CACHE_SECONDS:
                return cache.tariffs.get(station_id)
            cache.read_at, changes = now, cache.changes  # one reader refreshes, the others use what is kept
        with self.engine.connect() as conn:
            fresh = {row.station_id: _tariff(row) for row in conn.execute(sa.select(tariffs))}
        with cache.lock:
            if cache.changes == changes:
                cache.tariffs = fresh
            else:  # a tariff changed meanwhile: what is kept has it; read again next time
                cache.read_at = -CACHE_SECONDS
        return fresh.get(station_id)

    def put(self, station_id: int, tariff: Tariff, at: datetime) -> None:
        values = {
            "currency": tariff.currency,
            "energy_price_per_kwh": str(tariff.energy_price_per_kwh),
            "time_price_per_hour": str(tariff.time_price_per_hour),
            "session_fee": str(tariff.session_fee),
            "texts": dict(tariff.texts),
            "updated_at": at,
        }
        with self.engine.begin() as conn:
            conn.execute(sa.delete(tariffs).where(tariffs.c.station_id == station_id))
            conn.execute(sa.insert(tariffs).values(station_id=station_id, **values))
        with self._cache.lock:
            self._cache.tariffs[station_id] = tariff
            self._cache.changes += 1

    def remove(self, station_id: int) -> bool:
        with self.engine.begin() as conn:
            removed = conn.execute(sa.delete(tariffs).where(tariffs.c.station_id == station_id)).rowcount
        with self._cache.lock:
            self._cache.tariffs.pop(station_id, None)
            self._cache.changes += 1
        return bool(removed)

    def record_cost(self, transaction_id: int, total: Decimal, currency: str, at: datetime) -> None:
        """The final cost of a transaction the station ended (a resent end replaces it)."""
        with self.engine.begin() as conn:
            conn.execute(
                sa.delete(transaction_costs).where(transaction_costs.c.transaction_id == transaction_id)
            )
            conn.execute(
                sa.insert(transaction_costs).values(
                    transaction_id=transaction_id, total_cost=str(total), currency=currency, computed_at=at
                )
            )

    def final_costs(self, transaction_ids: list[int]) -> dict[int, FinalCost]:
        if not transaction_ids:
            return {}
        query = sa.select(transaction_costs).where(transaction_costs.c.transaction_id.in_(transaction_ids))
        with self.engine.connect() as conn:
            return {
                row.transaction_id: FinalCost(Decimal(row.total_cost), row.currency)
                for row in conn.execute(query)
            }
