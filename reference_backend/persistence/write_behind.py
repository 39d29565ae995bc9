"""What `Store` has accepted but not yet committed: one group commit's worth of changes.

No I/O: the store's `GroupCommitter` (`group_commit`) hands a `Batch` to `Store._write`, which writes
it in one transaction, so an event's samples, its meter move and its record are stored together or
not at all. Until then the store answers from here too (`GroupCommitter.read`): a transaction's meter
readings, and whether an event or a reading is known already (a resent message). Not thread-safe by
itself: the committer holds its lock around every change and every read.

What a batch holds:
- meter samples (rows of `meter_values`) and, per transaction, the meter change they imply
  (`MeterChange`: the start the station gave, the latest register reading, a consistency problem);
- the 2.0.1 TransactionEvents handled, with the answer given (`EventKey` → answer);
- the latest heartbeat time and status of stations and connectors: state reports whose answers do not
  wait for the commit (an outside lock on the database must not delay a Heartbeat), last one wins.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from evharness.reference_backend.domain.metering import MeterChange, ReadingKey

Answer = Mapping[str, Any]
# (transaction, seqNo, eventType, timestamp): what makes two TransactionEvents the same message
EventKey = tuple[int, int, str, datetime]
Status = tuple[str, str | None, datetime]  # (status, error code, when)


@dataclass
class Batch:
    rows: list[dict[str, Any]] = field(default_factory=list)  # meter_values rows
    meters: dict[int, MeterChange] = field(default_factory=dict)  # transaction → its meter change
    events: dict[EventKey, Answer] = field(default_factory=dict)
    heartbeats: dict[int, datetime] = field(default_factory=dict)  # station → latest heartbeat
    station_statuses: dict[int, Status] = field(default_factory=dict)  # station → 1.6 connector 0 status
    connector_statuses: dict[tuple[int, int, int], Status] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(
            self.rows
            or self.meters
            or self.events
            or self.heartbeats
            or self.station_statuses
            or self.connector_statuses
        )

    def add(
        self,
        rows: Sequence[dict[str, Any]],
        transaction_id: int | None = None,
        meter: MeterChange | None = None,
        event: tuple[EventKey, Answer] | None = None,
    ) -> None:
        """Samples (and, with a transaction, the meter change they make), and the TransactionEvent they
        came with."""
        self.rows.extend(rows)
        if transaction_id is not None and meter is not None:
            seen = self.meters.get(transaction_id)
            self.meters[transaction_id] = meter if seen is None else seen.then(meter)
        if event is not None:
            key, answer = event
            self.events[key] = answer

    def readings(self, transaction_id: int) -> list[ReadingKey]:
        """The transaction's readings waiting here (a scan: only for the rare look-up of a resend)."""
        return [
            (r["timestamp"], r["measurand"], r["phase"], r["unit"], r["value"], r["context"], r["location"])
            for r in self.rows
            if r["transaction_id"] == transaction_id
        ]
