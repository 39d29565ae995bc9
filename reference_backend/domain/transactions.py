"""Transactions a station abandoned: which ones the CSMS ends, when, and how it records that.

Theory of operation. A station that reboots, is replaced or is reset may never send the Stop /
Ended of the transactions it had: they would stay `running` for ever, and every later start with
their token would be answered ConcurrentTx. The CSMS ends a transaction the station can no longer
have, by these rules (data below, applied by the handlers before any token check):

1. One transaction runs on an EVSE at a time (2.0.1 E01/E02: a transaction belongs to one EVSE;
   1.6 §3.6: one per connector). A transaction starting on an EVSE ends those still open there that
   started before it (`superseded`). One that started AFTER the newcomer keeps running, and the
   newcomer — an old transaction reported late — is the one that is over, unless its own message
   ends it.
2. A BootNotification that reports a (re)boot ends every transaction the station had running: no
   transaction survives a reboot in 1.6 (§4.2, §5.14: a reset stops them) nor in 2.0.1 (B11/B12;
   after a power loss the station reports the end from its queue). Not a reboot: 2.0.1/2.1 reason
   `Triggered`, and on 1.6 a BootNotification the CSMS asked for with TriggerMessage
   (`boot_ends_transactions`).
3. 2.1 lets a station resume a transaction after a forced reboot (E17, TxCtrlr.TxResumptionTimeout):
   an event with triggerReason `TxResumed` for a transaction the CSMS ended makes it run again.
4. ConcurrentTx is answered only for a token in a transaction that can still run: rules 1 and 2 have
   ended the others before the decision looks.

Ended this way a transaction is marked ended by the CSMS (`ended_by = "csms"`), with an OCPP stop
reason and a note saying why (`ENDINGS`), and the last meter reading known as its stop. A Stop or
Ended the station sends later is still accepted and recorded as the station's (its stop, reason and
time replace the CSMS's; the note stays).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Ending(StrEnum):
    SUPERSEDED = "superseded"
    REBOOTED = "rebooted"
    OPERATOR = "operator"


# why → (the OCPP stop reason recorded, what the note says). Reboot and Other exist in 1.6 and 2.0.1.
ENDINGS: dict[Ending, tuple[str, str]] = {
    Ending.SUPERSEDED: ("Other", "ended by the CSMS: {detail} on the same EVSE"),
    Ending.REBOOTED: (
        "Reboot",
        "ended by the CSMS: the station booted ({detail}), no transaction survives it",
    ),
    Ending.OPERATOR: ("Other", "ended by an operator: {detail}"),
}

# 2.0.1/2.1 BootReasonEnumType → whether the station rebooted (and so lost its transactions).
BOOT_REASONS: dict[str, bool] = {
    "ApplicationReset": True,
    "FirmwareUpdate": True,
    "LocalReset": True,
    "PowerUp": True,
    "RemoteReset": True,
    "ScheduledReset": True,
    "Triggered": False,  # the CSMS asked for a BootNotification: nothing restarted
    "Unknown": True,
    "Watchdog": True,
}

RESUMED = "TxResumed"  # 2.1 TriggerReasonEnumType: the station resumed the transaction after a reboot


@dataclass(frozen=True, slots=True)
class CsmsEnd:
    """How the CSMS records a transaction it ended."""

    stop_reason: str
    note: str


def ending(why: Ending, detail: str) -> CsmsEnd:
    reason, note = ENDINGS[why]
    return CsmsEnd(reason, note.format(detail=detail))


def boot_ends_transactions(reason: str | None, triggered: bool) -> bool:
    """Rule 2: whether a BootNotification (2.0.1 `reason`; None on 1.6) means the station rebooted.
    `triggered`: the CSMS asked for it (TriggerMessage), which on 1.6 is the only way to tell."""
    if triggered:
        return False
    return True if reason is None else BOOT_REASONS.get(reason, True)


@dataclass(frozen=True, slots=True)
class Superseding:
    ends: tuple[int, ...]  # the transactions on the EVSE that are over
    newcomer_over: bool  # a transaction that started later runs there: the newcomer is over


def superseded(
    running: Sequence[tuple[int, datetime | None]], newcomer: int | None, started_at: datetime | None
) -> Superseding:
    """Rule 1: which of the transactions `running` on an EVSE (id, start) a newcomer starting there at
    `started_at` ends. `newcomer` is left out of `running` (it may be listed already). A start that is
    unknown counts as earlier than any known one."""
    others = [(tid, at) for tid, at in running if tid != newcomer]
    if started_at is None:
        return Superseding((), newcomer_over=bool(others))
    earlier = tuple(tid for tid, at in others if at is None or at <= started_at)
    later = any(at is not None and at > started_at for _, at in others)
    return Superseding(earlier, newcomer_over=later)
