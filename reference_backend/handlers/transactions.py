"""The steps the 1.6 and 2.0.1 transaction handlers share: the rules about transactions a station
abandoned (`domain.transactions`) and the meter (`domain.metering`), applied through the store.

Each is called before the token decision, so ConcurrentTx is answered only for a transaction that
can still run.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from evharness.reference_backend.domain.metering import (
    MeterChange,
    Register,
    Sample,
    meter_change,
    registers,
    stop_problem,
)
from evharness.reference_backend.domain.transactions import (
    Ending,
    boot_ends_transactions,
    ending,
    superseded,
)
from evharness.reference_backend.handlers.base import HandlerContext
from evharness.reference_backend.persistence import TransactionRecord

log = logging.getLogger(__name__)


def end_lost_at_boot(ctx: HandlerContext, reason: str | None) -> None:
    """Rule 2: a (re)boot ends every transaction the station had running."""
    if not boot_ends_transactions(reason, ctx.boot.triggered):
        return
    running = ctx.store.running_at(ctx.station)
    if not running:
        return
    end = ending(Ending.REBOOTED, reason or "BootNotification")
    ended = ctx.store.end_by_csms(running, ctx.now, end.stop_reason, end.note)
    log.info("%s booted: %d transaction(s) it had running ended (%s)", ctx.identity, len(ended), ended)


def make_room(
    ctx: HandlerContext, evse_id: int, started_at: datetime | None, newcomer: int | None = None
) -> bool:
    """Rule 1: a transaction starting on `evse_id` at `started_at` ends those there that started
    before it. True if one that started later runs there, which makes the newcomer the one that is over."""
    plan = superseded(ctx.store.running_here(ctx.station, evse_id), newcomer, started_at)
    if plan.ends:
        at = started_at.isoformat() if started_at is not None else "an unknown time"
        end = ending(Ending.SUPERSEDED, f"a new transaction started at {at}")
        ended = ctx.store.end_by_csms(plan.ends, ctx.now, end.stop_reason, end.note)
        log.info(
            "%s: transaction(s) %s on EVSE %d ended: a new one started there", ctx.identity, ended, evse_id
        )
    return plan.newcomer_over


def end_as_superseded(ctx: HandlerContext, transaction_id: int) -> None:
    """The newcomer of `make_room` that a later transaction on its EVSE had already replaced."""
    end = ending(Ending.SUPERSEDED, "a later transaction runs")
    ctx.store.end_by_csms([transaction_id], ctx.now, end.stop_reason, end.note)


def meter_of(
    record: TransactionRecord, samples: Sequence[Sample], new_start_wh: float | None = None
) -> MeterChange:
    """What `samples` (and a start the station gives now) do to the transaction's meter."""
    return meter_change(record.meter_start_wh, record.last_register, registers(samples), new_start_wh)


def stop_check(record: TransactionRecord, change: MeterChange, stop: Register | None) -> str | None:
    """The energy problem to record with a stop: the message's own, or the stop's against the rest."""
    if change.problem is not None or stop is None:
        return change.problem
    last = change.last if change.last is not None else record.last_register
    start = record.meter_start_wh if record.meter_start_wh is not None else change.start_wh
    return stop_problem(start, last, stop)
