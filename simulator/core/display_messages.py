"""Display messages (2.0.1 O01–O06): what the CSMS asks the station to show its drivers.

Theory of operation: the station keeps the messages it accepted, by id. `SetDisplayMessage` is
checked in the order of `CHECKS` — each a `Refusal` and the test that finds it — against what
`DisplayMessageCtrlr` says the station supports (O01.FR.04–07 formats, priorities, states; O02.FR.
03 an unknown transaction; Rejected when the controller is disabled or full); an accepted message
replaces one with the same id (O06). A message is shown while now is within its start and end
times, its state (if any) is the station's, and its transaction (if any) runs (O01.FR.11–13,
O02.FR.01/02); a message past its end time is dropped (O01.FR.13), and one bound to a transaction
goes when the transaction ends (O02.FR.02). `GetDisplayMessages` selects by ids, priority and
state (O04) and the station reports them in NotifyDisplayMessages; `ClearDisplayMessage` removes
one (O05). Nothing here knows a payload: the 2.0.1 codec reads requests into `DisplayMessage`s.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Literal

from evharness.ocppj.vocabulary import Status
from evharness.simulator.core.device_model import DeviceModel

SetStatus = Literal[
    "Accepted",
    "NotSupportedMessageFormat",
    "Rejected",
    "NotSupportedPriority",
    "NotSupportedState",
    "UnknownTransaction",
]

ENABLED = "DisplayMessageCtrlr.Enabled"
COUNT = "DisplayMessageCtrlr.DisplayMessages"  # its maxLimit: how many the station holds
FORMATS = "DisplayMessageCtrlr.SupportedFormats"
PRIORITIES = "DisplayMessageCtrlr.SupportedPriorities"
STATES = "DisplayMessageCtrlr.SupportedStates"  # evharness's own: the spec names no such variable

PRIORITY_ORDER = ("AlwaysFront", "InFront", "NormalCycle")  # the order a driver sees them in


@dataclass(frozen=True, slots=True)
class DisplayMessage:
    id: int
    priority: str  # AlwaysFront, InFront, NormalCycle
    content: str
    format: str = "UTF8"  # ASCII, HTML, URI, UTF8
    language: str | None = None
    state: str | None = None  # Charging, Faulted, Idle, Unavailable: shown only then
    starts_at: float | None = None
    ends_at: float | None = None
    transaction_id: str | None = None  # shown only during this transaction (O02)

    def shown(self, now: float, station_state: str, running: set[str]) -> bool:
        if self.starts_at is not None and now < self.starts_at:
            return False
        if self.ends_at is not None and now >= self.ends_at:
            return False
        if self.state is not None and self.state != station_state:
            return False
        return self.transaction_id is None or self.transaction_id in running


class Refusal(Enum):
    DISABLED = "disabled"
    FORMAT = "format"
    PRIORITY = "priority"
    STATE = "state"
    TRANSACTION = "transaction"
    FULL = "full"


# the refusal → its status; in the order the station checks (the first that applies answers)
REFUSALS: dict[Refusal, SetStatus] = {
    Refusal.DISABLED: Status.REJECTED,
    Refusal.FORMAT: "NotSupportedMessageFormat",
    Refusal.PRIORITY: "NotSupportedPriority",
    Refusal.STATE: "NotSupportedState",
    Refusal.TRANSACTION: "UnknownTransaction",
    Refusal.FULL: Status.REJECTED,
}


def _listed(device: DeviceModel, name: str, value: str | None) -> bool:
    return value is None or value in {item.strip() for item in device.values[name].split(",")}


class DisplayMessages:
    def __init__(self, device: DeviceModel) -> None:
        self.device = device
        self.held: dict[int, DisplayMessage] = {}
        self.cleared = 0  # how many the CSMS cleared (the summary counts them)

    def put(self, message: DisplayMessage, ongoing: Callable[[str], bool]) -> SetStatus:
        """O01/O02/O06: the first refusal that applies, else Accepted (and the message held)."""
        device = self.device
        checks: dict[Refusal, bool] = {
            Refusal.DISABLED: not device.flag(ENABLED),
            Refusal.FORMAT: not _listed(device, FORMATS, message.format),
            Refusal.PRIORITY: not _listed(device, PRIORITIES, message.priority),
            Refusal.STATE: not _listed(device, STATES, message.state),
            Refusal.TRANSACTION: message.transaction_id is not None and not ongoing(message.transaction_id),
            Refusal.FULL: message.id not in self.held and len(self.held) >= device.max_limit(COUNT),
        }
        for refusal, status in REFUSALS.items():
            if checks[refusal]:
                return status
        self.held[message.id] = message
        self._count()
        return Status.ACCEPTED

    def select(
        self, ids: list[int] | None, priority: str | None, state: str | None, now: float
    ) -> list[DisplayMessage]:
        """O04: the messages matching every criterion given (none given: all of them)."""
        self.drop_expired(now)
        return [
            m
            for m in self.held.values()
            if (not ids or m.id in ids)
            and (priority is None or m.priority == priority)
            and (state is None or m.state == state)
        ]

    def clear(self, message_id: int) -> bool:
        """O05: Accepted and removed, or Unknown."""
        if self.held.pop(message_id, None) is None:
            return False
        self.cleared += 1
        self._count()
        return True

    def transaction_ended(self, transaction_id: str) -> None:
        """O02.FR.02: a transaction's messages go with it."""
        self._drop(lambda m: m.transaction_id == transaction_id)

    def drop_expired(self, now: float) -> None:
        """O01.FR.13: a message past its end time is removed."""
        self._drop(lambda m: m.ends_at is not None and now >= m.ends_at)

    def _drop(self, which: Callable[[DisplayMessage], bool]) -> None:
        for message in [m for m in self.held.values() if which(m)]:
            del self.held[message.id]
        self._count()

    def _count(self) -> None:
        self.device.put(COUNT, str(len(self.held)))

    def shown(self, now: float, station_state: str, running: set[str]) -> list[DisplayMessage]:
        """What a driver sees now, in the order the priorities give."""
        visible = [m for m in self.held.values() if m.shown(now, station_state, running)]
        return sorted(visible, key=lambda m: (PRIORITY_ORDER.index(m.priority), m.id))
