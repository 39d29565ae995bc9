"""A cache in front of database reads that a write can make wrong: `Cached`.

Theory of operation. `get(key, load)` answers from memory, or runs `load()` (a database read) and keeps
its value. Anything that may change what a key reads bumps the cache's `generation` — `forget(key)`,
`update(key, change)`, `clear()` — and a load that a bump overlapped keeps nothing: it may have read what
was true before the write. `watch(engine, stale)` clears the whole cache on every statement the engine runs
that `stale(context, statement)` says may change what is cached, at once and again when the writing
connection goes back to the pool (its commit is visible then: a load that read just before it is dropped
too). So a write made through the engine by any code in this process is seen by the next `get`; writes by
another process are seen after `ttl` seconds at most.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

import sqlalchemy as sa

T = TypeVar("T")

MAX_ENTRIES = 100_000  # past this the cache starts again empty (a bound, not an eviction policy)

Stale = Callable[[Any, str], bool]  # (SQLAlchemy execution context, SQL text) → may change what is cached


class Cached(Generic[T]):
    def __init__(self, name: str, ttl: float = math.inf, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._clock = clock
        self._mark = f"evharness_stale_{name}"  # on a pooled connection that wrote, until checked in
        self._lock = threading.Lock()
        self._entries: dict[Hashable, tuple[T, float]] = {}
        self.generation = 0
        self.hits = self.misses = 0  # for reports and tests

    def get(self, key: Hashable, load: Callable[[], T]) -> T:
        """The cached value of `key`, or `load()`'s (kept unless a write overlapped the load)."""
        now = self._clock()
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and now - entry[1] < self.ttl:
                self.hits += 1
                return entry[0]
            self.misses += 1
            generation = self.generation
        value = load()
        with self._lock:
            if generation == self.generation:
                if len(self._entries) >= MAX_ENTRIES:
                    self._entries.clear()
                self._entries[key] = (value, now)
        return value

    def peek(self, key: Hashable) -> T | None:
        """The cached value of `key`, without loading it."""
        with self._lock:
            entry = self._entries.get(key)
            return None if entry is None or self._clock() - entry[1] >= self.ttl else entry[0]

    def update(self, key: Hashable, change: Callable[[T], T]) -> None:
        """Apply a committed change to the cached value of `key`, if it is cached."""
        with self._lock:
            self.generation += 1
            entry = self._entries.get(key)
            if entry is not None:
                self._entries[key] = (change(entry[0]), entry[1])

    def forget(self, key: Hashable) -> None:
        with self._lock:
            self.generation += 1
            self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self.generation += 1
            self._entries.clear()

    # -- invalidation by the engine's writes ----------------------------------------------------------

    def watch(self, engine: sa.Engine, stale: Stale) -> None:
        def executed(conn: sa.Connection, cursor: Any, statement: str, *rest: Any) -> None:
            if stale(rest[1], statement):
                conn.info[self._mark] = True
                self.clear()

        def checked_in(dbapi_connection: Any, record: Any) -> None:
            if record is not None and record.info.pop(self._mark, False):
                self.clear()

        sa.event.listen(engine, "after_cursor_execute", executed)
        sa.event.listen(engine, "checkin", checked_in)


def written_table(context: Any, statement: str) -> str | None:
    """The table an INSERT, UPDATE or DELETE writes; "" for a write in SQL text (unknown table); None
    for anything else (a read, BEGIN, PRAGMA …)."""
    if context.isinsert or context.isupdate or context.isdelete:
        table = getattr(getattr(context.compiled, "statement", None), "table", None)
        return table.name if isinstance(table, sa.Table) else ""
    head = statement.lstrip()[:8].upper()
    writes = ("INSERT", "UPDATE", "DELETE", "REPLACE", "DROP", "ALTER", "CREATE", "TRUNCATE")
    return "" if head.startswith(writes) else None
