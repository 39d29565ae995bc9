"""The cost a transaction message tells the station (2.0.1 I02/I03; 1.6 by DataTransfer), and the final
cost kept for the console. No database read: the station's tariff comes from `store.tariffs` (kept in
memory), the energy and time from the transaction record the handler holds and the message itself.

- 2.0.1 / 2.1: an Ended event's answer carries `totalCost` (I03; 0.00 only for a free session); an
  Updated event with a new meter reading is followed by a CostUpdated with the running cost (I02.FR.01;
  2.0.1 allows totalCost only once charging has ended).
- 1.6: a StopTransaction is followed by a DataTransfer FinalCost, a MeterValues of a transaction by
  a RunningCost (`evharness.ocppj.cost_messages`).
A station without a tariff gets none of these (its cost is unknown, not zero).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from evharness.ocppj.cost_messages import (
    FINAL_COST,
    RUNNING_COST,
    VENDOR_ID,
    final_cost_data,
    running_cost_data,
)
from evharness.ocppj.frames import Payload
from evharness.ocppj.vocabulary import Action
from evharness.reference_backend.domain.metering import MeterChange
from evharness.reference_backend.domain.tariffs import Tariff, cost
from evharness.reference_backend.persistence import TransactionRecord


def session_cost(
    tariff: Tariff, record: TransactionRecord, change: MeterChange, at: datetime, end_wh: float | None = None
) -> Decimal:
    """The cost at `at`: energy from the start to `end_wh` (or the latest reading, with this message's),
    time from the transaction's start. Without a start or a reading, the energy counts as none."""
    start = record.meter_start_wh if record.meter_start_wh is not None else change.start_wh
    last = end_wh
    if last is None:
        last = change.last.wh if change.last is not None else record.meter_last_wh
    energy = 0.0 if start is None or last is None else last - start
    seconds = 0.0 if record.started_at is None else (at - record.started_at).total_seconds()
    return cost(tariff, energy, seconds)


def cost_updated(transaction_ref: str, total: Decimal) -> tuple[str, Payload]:
    return Action.CostUpdated, {"totalCost": float(total), "transactionId": transaction_ref}


def final_cost_16(tariff: Tariff, transaction_id: int, total: Decimal) -> tuple[str, Payload]:
    text = f"Total cost: {total} {tariff.currency}"
    return Action.DataTransfer, {
        "vendorId": VENDOR_ID,
        "messageId": FINAL_COST,
        "data": final_cost_data(transaction_id, total, text),
    }


def running_cost_16(
    transaction_id: int, total: Decimal, meter_wh: float, timestamp: str
) -> tuple[str, Payload]:
    return Action.DataTransfer, {
        "vendorId": VENDOR_ID,
        "messageId": RUNNING_COST,
        "data": running_cost_data(transaction_id, total, meter_wh, timestamp),
    }
