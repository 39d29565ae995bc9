"""`Cached` alone: kept for its TTL, dropped by a write, never filled by a load a write overlapped."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from evharness.reference_backend.persistence.cached import Cached
from evharness.reference_backend.persistence.facts_cache import facts_cache


def test_kept_for_its_ttl_then_loaded_again() -> None:
    now = [0.0]
    cache: Cached[int] = Cached("test", ttl=30, clock=lambda: now[0])
    loads = iter(range(10))
    assert cache.get("k", lambda: next(loads)) == 0
    now[0] = 29.9
    assert cache.get("k", lambda: next(loads)) == 0
    now[0] = 30.0
    assert cache.get("k", lambda: next(loads)) == 1


def test_a_write_during_a_load_keeps_nothing() -> None:
    cache: Cached[str] = Cached("test")

    def load_while_someone_writes() -> str:
        cache.forget("other")
        return "old"

    assert cache.get("k", load_while_someone_writes) == "old"
    assert cache.get("k", lambda: "new") == "new"
    cache.update("k", lambda value: value + "er")
    assert cache.get("k", lambda: "loaded") == "newer"


def test_writes_to_the_facts_clear_it_writes_to_unread_tables_do_not(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'facts.sqlite3'}")
    meta = sa.MetaData()
    facts = sa.Table("identifications", meta, sa.Column("id", sa.Integer, primary_key=True))
    readings = sa.Table("meter_values", meta, sa.Column("id", sa.Integer, primary_key=True))
    meta.create_all(engine)
    cache = facts_cache(engine)
    cache.get("k", lambda: "cached")
    with engine.begin() as conn:
        conn.execute(sa.insert(readings).values(id=1))
        conn.execute(sa.select(facts))
    assert cache.get("k", lambda: "reloaded") == "cached"
    with engine.begin() as conn:
        conn.execute(sa.insert(facts).values(id=1))
    assert cache.get("k", lambda: "reloaded") == "reloaded"
    with engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM identifications")
    assert cache.get("k", lambda: "again") == "again"
    engine.dispose()
