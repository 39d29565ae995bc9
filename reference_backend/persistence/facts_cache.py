"""A short cache of the facts a token decision reads, cleared by any write that could change them.

An Authorize (and a StopTransaction's idTag, a TransactionEvent's idToken after the start) is decided from
facts that change only when someone edits them: the station's enabled identification types, its local users
and their identifications, its provisioned tokens. The store keeps what a look-up found, per station, type
and code (`facts_cache()`, a `Cached`), so a token presented again costs no query. Whether the token is in
another running transaction is never cached: ConcurrentTx is decided only at a transaction's start, which
queries.

Invalidation: a write through the store's engine to any table but those the decision never reads
(`UNREAD`: meter values, transactions, events, connectors …), other than the group commit's heartbeat and
status updates, clears the cache (`cached.Cached.watch`). So the console's change — a token revoked, a PIN
changed, a local user blocked or removed, a type disabled — is seen by the next decision. Writes by another
process (the `evharness tokens` CLI, a second backend on PostgreSQL) are seen after at most `TTL_SECONDS`.
"""

from __future__ import annotations

from typing import Any, TypeVar

from evharness.reference_backend.persistence import statements as q
from evharness.reference_backend.persistence.cached import Cached, written_table

T = TypeVar("T")

TTL_SECONDS = 30.0

# Tables whose writes leave the facts as they are.
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
REPORTS = (q.SET_HEARTBEAT, q.SET_STATION_STATUS)  # the group commit's writes to `stations` the facts skip


def facts_stale(context: Any, statement: str) -> bool:
    table = written_table(context, statement)
    if table is None or table in UNREAD:
        return False
    compiled = getattr(context.compiled, "statement", None)
    return not any(compiled is report for report in REPORTS)


def facts_cache(engine: Any, ttl: float = TTL_SECONDS) -> Cached[Any]:
    cache: Cached[Any] = Cached("facts", ttl)
    cache.watch(engine, facts_stale)
    return cache
