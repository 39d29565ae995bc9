"""The cost of a session on OCPP 1.6, which has no message for it: a DataTransfer as common practice.

OCPP 1.6 has no CostUpdated and no totalCost. Chargers that show a cost follow the Open Charge
Alliance's "California Pricing Requirements" whitepaper: a DataTransfer from the CSMS with vendorId
`org.openchargealliance.costmsg`, messageId `RunningCost` during the session and `FinalCost` at its
end, its `data` a JSON text. Both sides of evharness use this module: the reference backend writes
them, the simulated station reads them. Only the fields both need are written here: RunningCost
`transactionId`, `timestamp`, `meterValue` (Wh), `cost`, `state`; FinalCost `transactionId`, `cost`,
`priceText`. A station without the extension answers UnknownVendorId, which changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

VENDOR_ID = "org.openchargealliance.costmsg"
RUNNING_COST = "RunningCost"
FINAL_COST = "FinalCost"


@dataclass(frozen=True, slots=True)
class CostMessage:
    transaction_id: int
    cost: Decimal
    final: bool
    text: str | None = None


def running_cost_data(transaction_id: int, cost: Decimal, meter_wh: float, timestamp: str) -> str:
    body = {
        "transactionId": transaction_id,
        "timestamp": timestamp,
        "meterValue": round(meter_wh),
        "cost": float(cost),
        "state": "Charging",
    }
    return json.dumps(body, separators=(",", ":"))


def final_cost_data(transaction_id: int, cost: Decimal, price_text: str) -> str:
    body = {"transactionId": transaction_id, "cost": float(cost), "priceText": price_text}
    return json.dumps(body, separators=(",", ":"))


def read_cost(message_id: str | None, data: str | None) -> CostMessage | None:
    """A RunningCost / FinalCost DataTransfer's data, or None if it is not one (or is malformed)."""
    if message_id not in (RUNNING_COST, FINAL_COST) or data is None:
        return None
    try:
        body = json.loads(data)
        transaction_id, cost = body["transactionId"], Decimal(str(body["cost"]))
    except (ValueError, TypeError, KeyError, InvalidOperation):
        return None
    if not isinstance(transaction_id, int) or isinstance(transaction_id, bool) or not cost.is_finite():
        return None
    text = body.get("priceText")
    return CostMessage(
        transaction_id, cost, message_id == FINAL_COST, text if isinstance(text, str) else None
    )
