"""A short cache of the facts a token decision reads, cleared by any write that could change them.

An Authorize (and a StopTransaction's idTag, a TransactionEvent's idToken after the start) is decided from
facts that change only when someone edits them: the station's enabled identification types, its local users
and their identifications, its provisioned tokens. `FactsCache` keeps what a look-up found, per station,
type and code, so a token presented again costs no query. Whether the token is in another running
transaction is never cached: ConcurrentTx is decided only at a transaction's start, which queries.

Invalidation, in this process: `watch(engine)` listens to every statement the engine runs. A write to any
table but those the decision never reads (`UNREAD`: meter values, transactions, events, connectors …) and
but the group commit's heartbeat and status updates clears the cache at once, and again when the writing
connection goes back to the pool (after its commit): a look-up that overlapped the write stores nothing
(`generation`), one that read just before the commit is dropped by the second clear. So the console's
change — a token revoked, a PIN changed, a local user blocked or removed, a type disabled — is seen by the
next decision. Writes by another process (the `evharness tokens` CLI, a second backend on PostgreSQL) are
seen after at most `TTL_SECONDS`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import sqlalchemy as sa

T = TypeVar("T")

TTL_SECONDS = 30.0
MAX_ENTRIES = 100_000  # past this the cache starts again empty (a bound, not an eviction policy)

# Tables a token decision never reads from the cache: writes to them leave it as it is.
UNREAD: frozenset[str] = frozenset(
    {
        "meter_values",
        "transaction_events",
        "transactions",
        "connectors",
        "local_list_sync",
        "reservations",
    }
)
_STALE = "evharness_facts_stale"  # marks a pooled connection that wrote facts, until it is checked in


@dataclass(frozen=True, slots=True)
class _Entry(Generic[T]):
    value: T
    generation: int
    at: float


class FactsCache(Generic[T]):
    def __init__(
        self,
        ttl: float = TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        quiet: Callable[[Any], bool] = lambda statement: False,
    ) -> None:
        self.ttl = ttl
        self._clock = clock
        self._quiet = quiet  # statements that write only what no decision reads (heartbeats, statuses)
        self._lock = threading.Lock()
        self._entries: dict[Hashable, _Entry[T]] = {}
        self.generation = 0
        self.hits = self.misses = 0  # for reports and tests

    def get(self, key: Hashable, load: Callable[[], T]) -> T:
        """The cached value of `key`, or `load()`'s (kept unless a write overlapped the load)."""
        now = self._clock()
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry.generation == self.generation and now - entry.at < self.ttl:
                self.hits += 1
                return entry.value
            self.misses += 1
            generation = self.generation
        value = load()
        with self._lock:
            if generation == self.generation:
                if len(self._entries) >= MAX_ENTRIES:
                    self._entries.clear()
                self._entries[key] = _Entry(value, generation, now)
        return value

    def clear(self) -> None:
        with self._lock:
            self.generation += 1
            self._entries.clear()

    # -- invalidation by the engine's writes ----------------------------------------------------------

    def watch(self, engine: sa.Engine) -> None:
        sa.event.listen(engine, "after_cursor_execute", self._executed)
        sa.event.listen(engine, "checkin", self._checked_in)

    def _executed(
        self, conn: sa.Connection, cursor: Any, statement: str, params: Any, context: Any, many: bool
    ) -> None:
        if not _writes_facts(context, statement) or self._quiet(getattr(context.compiled, "statement", None)):
            return
        conn.info[_STALE] = True
        self.clear()

    def _checked_in(self, dbapi_connection: Any, record: Any) -> None:
        if record is not None and record.info.pop(_STALE, False):
            self.clear()  # its commit is visible now: what was read before it is gone too


def _writes_facts(context: Any, statement: str) -> bool:
    """Whether the statement writes to a table other than the `UNREAD` ones (text SQL: any write)."""
    compiled = getattr(context, "compiled", None)
    dml = getattr(compiled, "statement", None)
    table = getattr(dml, "table", None)
    if isinstance(table, sa.Table) and (context.isinsert or context.isupdate or context.isdelete):
        return table.name not in UNREAD
    head = statement.lstrip()[:7].upper()
    return head.startswith(("INSERT", "UPDATE", "DELETE", "REPLACE", "DROP", "ALTER", "CREATE", "TRUNCAT"))
