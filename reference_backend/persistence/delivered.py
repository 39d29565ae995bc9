"""What this process knows a transaction has been sent already, so that telling a resent message from a
new one rarely costs a query (measured: a query per message nearly doubled a MeterValues' cost).

- 2.0.1: every seqNo of the transaction, loaded once from the database (and the write-behind buffer)
  and kept whole from then on; a seqNo not in it is new, without asking the database.
- 1.6: the latest reading time of the transaction; readings after it are new (a station sends them in
  order, offline replays included), and only older ones are looked up.

One backend process per database, like the write-behind buffer. A transaction is forgotten when it
stops, and reloaded if a message of it comes later. Not thread-safe by itself: `Store` holds its lock.
"""

from __future__ import annotations

from datetime import UTC, datetime

NEVER = datetime.min.replace(tzinfo=UTC)  # the latest reading time of a transaction without readings


class Delivered:
    def __init__(self) -> None:
        self._seq_nos: dict[int, set[int]] = {}
        self._latest: dict[int, datetime] = {}

    def seq_nos(self, transaction_id: int) -> set[int] | None:
        """Every seqNo handled for the transaction, or None if not loaded yet."""
        return self._seq_nos.get(transaction_id)

    def load_seq_nos(self, transaction_id: int, seq_nos: set[int]) -> set[int]:
        return self._seq_nos.setdefault(transaction_id, seq_nos)

    def add_seq_no(self, transaction_id: int, seq_no: int) -> None:
        known = self._seq_nos.get(transaction_id)
        if known is not None:  # not loaded: the next check loads it, this one included
            known.add(seq_no)

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
        self._seq_nos.pop(transaction_id, None)
        self._latest.pop(transaction_id, None)
