"""What this process knows a transaction has been sent already, so that telling a resent message from a
new one rarely costs a query (measured: a query per message nearly doubled a MeterValues' cost).

- 2.0.1: every TransactionEvent of the transaction, as seqNo → {(eventType, timestamp)}, loaded once
  from the database (and the batches not yet committed) and kept whole from then on; an event not in it
  is new, without asking the database, and a known seqNo with another eventType or timestamp is a
  different event that reuses the seqNo.
- 1.6: the latest reading time of the transaction; readings after it are new (a station sends them in
  order, offline replays included), and only older ones are looked up.

One backend process per database, like the group committer. A transaction is forgotten when it stops
or when a commit that held its changes failed, and reloaded if a message of it comes later. Not
thread-safe by itself: `Store` holds its lock.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

NEVER = datetime.min.replace(tzinfo=UTC)  # the latest reading time of a transaction without readings

EventId = tuple[int, str, datetime]  # (seqNo, eventType, timestamp) within one transaction
Events = dict[int, set[tuple[str, datetime]]]


class Delivered:
    def __init__(self) -> None:
        self._events: dict[int, Events] = {}
        self._latest: dict[int, datetime] = {}

    def events(self, transaction_id: int) -> Events | None:
        """Every event handled for the transaction by seqNo, or None if not loaded yet."""
        return self._events.get(transaction_id)

    def load_events(self, transaction_id: int, events: Iterable[EventId]) -> Events:
        loaded: Events = {}
        for seq_no, event_type, at in events:
            loaded.setdefault(seq_no, set()).add((event_type, at))
        return self._events.setdefault(transaction_id, loaded)

    def add_event(self, transaction_id: int, event: EventId) -> None:
        known = self._events.get(transaction_id)
        if known is not None:  # not loaded: the next check loads it, this one included
            seq_no, event_type, at = event
            known.setdefault(seq_no, set()).add((event_type, at))

    def latest(self, transaction_id: int) -> datetime | None:
        """The latest reading time of the transaction (`NEVER` if it has none), or None if not loaded."""
        return self._latest.get(transaction_id)

    def load_latest(self, transaction_id: int, latest: datetime) -> datetime:
        return self._latest.setdefault(transaction_id, latest)

    def add_reading_time(self, transaction_id: int, at: datetime) -> None:
        seen = self._latest.get(transaction_id)
        if seen is not None and at > seen:  # not loaded: the next check loads it, this one included
            self._latest[transaction_id] = at

    def forget(self, transaction_id: int) -> None:
        self._events.pop(transaction_id, None)
        self._latest.pop(transaction_id, None)
