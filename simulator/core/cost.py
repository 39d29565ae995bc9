"""The cost a station is told and shows its driver (2.0.1 I02/I03, `TariffCostCtrlr`; 1.6 by DataTransfer).

Theory of operation. Each transaction's cost is a small state machine: NONE (nothing told yet),
RUNNING (a running cost: 2.0.1 CostUpdated, 1.6 DataTransfer RunningCost), FINAL (the final cost:
2.0.1 `totalCost` in the answer to the Ended TransactionEvent, 1.6 DataTransfer FinalCost) and
FALLBACK (the transaction ended and its final cost did not come with the answer: the station shows
`TariffCostCtrlr.TotalCostFallbackMessage`). `TABLE` says, per state and `Request`, the
next state and whether what came is shown. A final cost is never replaced by a later running one;
1.6's FinalCost follows the StopTransaction answer, so FALLBACK → FINAL is a row too.

What a tester chooses, as data in the device model: `TariffCostCtrlr.Enabled[Cost]` false (1.6
`CustomDisplayCostAndPrice`) makes the station ignore every cost (a CostUpdated is still answered,
it has no status; a 1.6 cost DataTransfer is then answered from the vendor table, UnknownVendorId
by default); `TariffCostCtrlr.Currency` is the currency the station shows the amounts in (the
costs the CSMS tells are in it). Nothing here knows a payload: the codecs read CostUpdated,
totalCost and the 1.6 cost messages (`evharness.ocppj.cost_messages`) into these calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from evharness.simulator.core.device_model import DeviceModel

ENABLED = "TariffCostCtrlr.Enabled[Cost]"
CURRENCY = "TariffCostCtrlr.Currency"
FALLBACK_MESSAGE = "TariffCostCtrlr.TotalCostFallbackMessage"


class CostState(Enum):
    NONE = "none"
    RUNNING = "running"
    FINAL = "final"
    FALLBACK = "fallback"


class Request(Enum):
    RUNNING_COST = "running_cost"  # CostUpdated / RunningCost
    FINAL_COST = "final_cost"  # totalCost in the Ended answer / FinalCost
    ENDED_WITHOUT_COST = "ended_without_cost"  # the end was answered without a final cost


State = CostState

# state → request → (next state, whether the amount that came is shown)
TABLE: dict[State, dict[Request, tuple[State, bool]]] = {
    State.NONE: {
        Request.RUNNING_COST: (State.RUNNING, True),
        Request.FINAL_COST: (State.FINAL, True),
        Request.ENDED_WITHOUT_COST: (State.FALLBACK, False),
    },
    State.RUNNING: {
        Request.RUNNING_COST: (State.RUNNING, True),
        Request.FINAL_COST: (State.FINAL, True),
        Request.ENDED_WITHOUT_COST: (State.FALLBACK, False),
    },
    State.FINAL: {
        Request.RUNNING_COST: (State.FINAL, False),  # late: the final cost stays
        Request.FINAL_COST: (State.FINAL, True),  # a resent end's answer: the latest word
        Request.ENDED_WITHOUT_COST: (State.FINAL, False),
    },
    State.FALLBACK: {
        Request.RUNNING_COST: (State.FALLBACK, False),
        Request.FINAL_COST: (State.FINAL, True),  # 1.6: FinalCost comes after the Stop's answer
        Request.ENDED_WITHOUT_COST: (State.FALLBACK, False),
    },
}


@dataclass(slots=True)
class CostRecord:
    """What the station knows of one transaction's cost; `shown` is what its driver reads."""

    transaction_id: str  # as the CSMS names it: 1.6 its transactionId, 2.0.1 the station's
    state: CostState = CostState.NONE
    total: Decimal | None = None  # the last amount shown
    currency: str = ""
    updates: int = 0  # amounts received (running and final)
    at: float = 0.0
    shown: str = ""


class Costs:
    """The cost of each transaction the CSMS told the station about, in the order they came."""

    def __init__(self, device: DeviceModel) -> None:
        self.device = device
        self.records: dict[str, CostRecord] = {}

    @property
    def enabled(self) -> bool:
        return self.device.flag(ENABLED)

    def running(self, transaction_id: str, total: Decimal, now: float) -> CostRecord | None:
        return self._handle(transaction_id, Request.RUNNING_COST, total, now)

    def final(self, transaction_id: str, total: Decimal, now: float) -> CostRecord | None:
        return self._handle(transaction_id, Request.FINAL_COST, total, now)

    def ended_without_cost(self, transaction_id: str, now: float) -> CostRecord | None:
        return self._handle(transaction_id, Request.ENDED_WITHOUT_COST, None, now)

    def _handle(
        self, transaction_id: str, request: Request, total: Decimal | None, now: float
    ) -> CostRecord | None:
        """Move the transaction's cost by `request`: its record, None if the station ignored it."""
        if not self.enabled:
            return None
        record = self.records.get(transaction_id) or CostRecord(transaction_id)
        following, show = TABLE[record.state][request]
        if following is record.state and not show:
            return None
        self.records[transaction_id] = record
        record.state, record.at = following, now
        record.currency = self.device.values[CURRENCY]
        if show and total is not None:
            record.total, record.updates = total, record.updates + 1
            label = "Total cost" if following is State.FINAL else "Cost so far"
            record.shown = f"{label}: {total} {record.currency}".strip()
        elif following is State.FALLBACK:
            record.shown = self.device.values[FALLBACK_MESSAGE]
        return record

    def latest(self) -> CostRecord | None:
        return max(self.records.values(), key=lambda r: r.at, default=None)
