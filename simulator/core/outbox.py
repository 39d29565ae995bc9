"""The station's outgoing CALLs, waiting their turn: one at a time, transaction messages kept.

OCPP-J allows one CALL of ours in flight (§4.1.1); the rest wait here in order, as notes, and each
payload is built when its CALL goes out. Transaction messages survive a lost connection (1.6 §3.7,
2.0.1 E04) and are retried after a CALLERROR or a timeout (E13.FR.01/02, 1.6 §4.10); security events
are kept too (A04.FR.02, `KEPT_OFFLINE`); the rest are dropped with the connection (a heartbeat is
not worth replaying). Messages restored from a journal wait until the CSMS accepted the station's
BootNotification (B02.FR.02). `revision` moves whenever the transaction messages waiting change, so a
journal knows when to write.

A driver's action never waits behind periodic meter samples (issue 13): an Authorize goes ahead of
the samples queued before it (it is no transaction message; their order among themselves stays).
`sampling` tells the station whether a periodic sample of an EVSE is still on its way, so that while
connected it skips the next one instead of queueing samples faster than the CSMS answers them.
"""

from __future__ import annotations

from dataclasses import dataclass

from evharness.simulator.core import resend
from evharness.simulator.core.notes import (
    AuthorizeNote,
    BootNote,
    Note,
    SecurityEventNote,
    TransactionNote,
    TxMoment,
)


@dataclass(slots=True)
class QueuedCall:
    action: str
    note: Note
    transactional: bool  # kept across disconnections (OCPP 1.6 §3.7, 2.0.1 E04)
    attempts: int = 0  # failed deliveries so far (E13, 1.6 TransactionMessageAttempts)
    restored: bool = False  # from a journal: left by an earlier run of the simulator
    not_before: float | None = None  # a retry waits MessageAttemptInterval × attempts


class Outbox:
    def __init__(self) -> None:
        self.revision = 0
        self.in_flight: QueuedCall | None = None
        self._queue: list[QueuedCall] = []  # a list: an empty deque holds a 64-slot block (issue 17)

    @property
    def idle(self) -> bool:
        """Nothing queued and nothing waiting for an answer."""
        return not self._queue and self.in_flight is None

    @property
    def transactional(self) -> list[QueuedCall]:
        """The transaction messages not yet answered, in flight first (what a journal keeps)."""
        head = [self.in_flight] if self.in_flight is not None and self.in_flight.transactional else []
        return head + [call for call in self._queue if call.transactional]

    def put(self, call: QueuedCall) -> None:
        if isinstance(call.note, AuthorizeNote):
            first_sample = next((i for i, c in enumerate(self._queue) if _periodic(c)), None)
            if first_sample is not None:
                self._queue.insert(first_sample, call)
                return
        self._queue.append(call)
        if call.transactional:
            self.revision += 1

    def describe(self) -> str:
        """What waits, for people: `MeterValues ×3, StatusNotification` (in order of first place)."""
        counts: dict[str, int] = {}
        for call in self._queue:
            counts[call.action] = counts.get(call.action, 0) + 1
        return ", ".join(f"{action} ×{n}" if n > 1 else action for action, n in counts.items())

    def sampling(self, evse_id: int) -> bool:
        """Whether a periodic meter sample of the EVSE waits or is in flight."""
        waiting = [self.in_flight, *self._queue] if self.in_flight is not None else self._queue
        return any(
            _periodic(c) and isinstance(c.note, TransactionNote) and c.note.evse_id == evse_id
            for c in waiting
            if c is not None
        )

    def restore(self, calls: list[QueuedCall]) -> None:
        """Put journal-restored transaction messages in front of anything queued since."""
        self._queue[:0] = calls
        self.revision += 1

    def deadline(self) -> float | None:
        """When the first call may go out, if it waits for a retry interval."""
        return self._queue[0].not_before if self._queue and self.in_flight is None else None

    def take(self, now: float, booted: bool) -> QueuedCall | None:
        """The next call to send now, marked in flight; None if nothing may go yet."""
        if self.in_flight is not None or not self._queue:
            return None
        if self._queue[0].not_before is not None and now < self._queue[0].not_before:
            return None
        if self._queue[0].restored and not booted:
            # a restarted station owes these to the CSMS, but only once it is accepted (B02.FR.02)
            boot = next((c for c in self._queue if isinstance(c.note, BootNote)), None)
            if boot is None:
                return None
            self._queue.remove(boot)
            self._queue.insert(0, boot)
        queued = self._queue.pop(0)
        self.in_flight = queued
        if queued.transactional:
            self.revision += 1
        return queued

    def finished(self, call: QueuedCall) -> None:
        """The call in flight was answered (or failed for good)."""
        if call.transactional:
            self.revision += 1
        self.in_flight = None

    def retry(self, call: QueuedCall, now: float, attempts: int, interval: float) -> bool:
        """E13.FR.01/02, 1.6 §4.10: a failed transaction message is sent again up to `attempts`
        times, waiting `interval` × the number of earlier attempts; whether it will be."""
        if not call.transactional:
            return False
        call.attempts += 1
        if call.attempts >= attempts:
            self.revision += 1
            return False
        call.not_before = now + interval * call.attempts
        self._queue.insert(0, call)
        return True

    def resend(self, call: QueuedCall, note: Note, now: float, attempts: int, interval: float) -> bool:
        """A failed state report, sent again as `note` (the state now) up to `attempts` times in all,
        waiting `interval` × the attempts so far, unless a newer report of it already waits. It
        queues behind what waits already, so a CSMS that fails it does not hold the rest up."""
        call.attempts += 1
        if call.attempts >= attempts or resend.superseded(note, [c.note for c in self._queue]):
            return False
        again = QueuedCall(call.action, note, False, call.attempts, not_before=now + interval * call.attempts)
        self._queue.append(again)
        return True

    def connection_lost(self) -> None:
        if self.in_flight is not None:
            self._queue.insert(0, self.in_flight)
            self.in_flight = None
        self._queue = [call for call in self._queue if call.transactional or _kept_offline(call)]
        self.revision += 1


# Besides transaction messages, what a station keeps while it is offline and sends once it is back
# (A04.FR.02: security events). Only in memory: not journaled, not retried after a CALLERROR.
KEPT_OFFLINE: tuple[type[Note], ...] = (SecurityEventNote,)


def _kept_offline(call: QueuedCall) -> bool:
    return isinstance(call.note, KEPT_OFFLINE)


def _periodic(call: QueuedCall) -> bool:
    """A periodic meter sample: 1.6 MeterValues / 2.0.1 TransactionEvent Updated (MeterValuePeriodic)."""
    return isinstance(call.note, TransactionNote) and call.note.moment is TxMoment.METER
