"""Tariffs are read from memory on the hot path: no query per message, a change seen at once by every
`TariffRecords` on the same engine, one from another process within `CACHE_SECONDS`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from evharness.reference_backend.domain.tariffs import Tariff
from evharness.reference_backend.persistence import Store
from evharness.reference_backend.persistence import tariff_records as records
from evharness.reference_backend.persistence.tariff_records import TariffRecords

NOW = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
TARIFF = Tariff("EUR", Decimal("0.30"))


@contextmanager
def counted(engine: sa.Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def test_the_hot_path_reads_no_table_and_sees_a_change_at_once(store: Store) -> None:
    station = store.ensure_station("CP-T1", NOW, "2.0.1")[0]
    other = store.ensure_station("CP-T2", NOW, "2.0.1")[0]
    assert store.tariffs.of(station) is None  # the first look reads the table
    console = TariffRecords(store.engine)  # as the console makes its own, on the same engine
    console.put(station, TARIFF, NOW)
    with counted(store.engine) as statements:
        for _ in range(100):
            assert store.tariffs.of(station) == TARIFF
            assert store.tariffs.of(other) is None
        console.remove(station)
        assert store.tariffs.of(station) is None
    assert [s.split()[0] for s in statements] == ["DELETE"]  # the removal alone


def test_a_tariff_written_elsewhere_is_seen_once_the_kept_one_is_old(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    station = store.ensure_station("CP-T3", NOW, "2.0.1")[0]
    assert store.tariffs.of(station) is None
    with store.engine.begin() as conn:  # another process's write
        values = {"currency": "EUR", "energy_price_per_kwh": "0.3", "time_price_per_hour": "0"}
        conn.execute(
            sa.insert(records.tariffs).values(
                station_id=station, session_fee="0", texts={}, updated_at=NOW, **values
            )
        )
    monkeypatch.setattr(records, "CACHE_SECONDS", 0.0)
    assert store.tariffs.of(station) == Tariff("EUR", Decimal("0.3"))


def test_the_final_cost_is_kept_as_decimal_text(store: Store) -> None:
    station = store.ensure_station("CP-T4", NOW, "1.6")[0]
    transaction = store.start_transaction(
        station, started_at=NOW, evse_id=1, connector_id=1, meter_start_wh=0
    )
    store.tariffs.record_cost(transaction, Decimal("3.20"), "EUR", NOW)
    store.tariffs.record_cost(transaction, Decimal("3.30"), "EUR", NOW)  # a resent end: the latest
    (kept,) = store.tariffs.final_costs([transaction]).values()
    assert (str(kept.total_cost), kept.currency) == ("3.30", "EUR")
