"""What `Store` has accepted but not yet written: meter samples, the meter moves they imply, and the
2.0.1 TransactionEvents they came with (seqNo and answer).

No I/O: `Store.flush` takes a `Batch` and writes it in one transaction, so an event's samples and its
seqNo are stored together or not at all. Until then the store answers from here too: a transaction's
meter readings, and whether an event or a reading is known already (a resent message). Not
thread-safe by itself: `Store` holds its lock around every call.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reference_backend.domain.metering import ReadingKey

FLUSH_ROWS = 2000  # buffered meter samples that trigger a write
FLUSH_AFTER_S = 0.1  # the oldest buffered sample is written at most this late (while traffic lasts)

Answer = Mapping[str, Any]


@dataclass
class Batch:
    rows: list[dict[str, Any]] = field(default_factory=list)  # meter_values rows
    moves: dict[int, tuple[float, float]] = field(default_factory=dict)  # transaction → (first, last) Wh
    events: dict[tuple[int, int], Answer] = field(default_factory=dict)  # (transaction, seqNo) → answer
    since: float = 0.0  # when the oldest of it was accepted (monotonic seconds)

    def __bool__(self) -> bool:
        return bool(self.rows or self.events)

    def add(
        self,
        now: float,
        rows: Sequence[dict[str, Any]],
        transaction_id: int | None = None,
        register: tuple[float, float] | None = None,
        event: tuple[int, Answer] | None = None,
    ) -> None:
        """Samples (and, with a transaction, the register span they cover), and the TransactionEvent
        (seqNo, answer) they came with."""
        if not self:
            self.since = now
        self.rows.extend(rows)
        if transaction_id is None:
            return
        if register is not None:
            first, last = register
            seen_first, seen_last = self.moves.get(transaction_id, register)
            self.moves[transaction_id] = (min(seen_first, first), max(seen_last, last))
        if event is not None:
            seq_no, answer = event
            self.events[transaction_id, seq_no] = answer

    def readings(self, transaction_id: int) -> list[ReadingKey]:
        """The transaction's readings waiting here (a scan: only for the rare look-up of a resend)."""
        return [
            (r["timestamp"], r["measurand"], r["phase"], r["unit"], r["value"], r["context"], r["location"])
            for r in self.rows
            if r["transaction_id"] == transaction_id
        ]

    def due(self, now: float) -> bool:
        return len(self.rows) >= FLUSH_ROWS or (bool(self) and now - self.since >= FLUSH_AFTER_S)
