"""Frames for the backend tests: a station's side of a conversation, written out by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from evharness.ocppj.timefmt import format_timestamp
from evharness.reference_backend.connection import CsmsConnection

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
NOW = T0.timestamp()


def at(minutes: float) -> str:
    return format_timestamp((T0 + timedelta(minutes=minutes)).timestamp())


def frame(message_id: str, action: str, payload: dict[str, Any]) -> str:
    return orjson.dumps([2, message_id, action, payload]).decode()


def exchange(session: CsmsConnection, text: str | bytes, now: float = NOW) -> list[Any]:
    """Feed one frame; return the one answer, decoded."""
    session.receive(text, now)
    (answer,) = session.data_to_send()
    decoded: list[Any] = orjson.loads(answer)
    return decoded


def call(
    session: CsmsConnection,
    action: str,
    payload: dict[str, Any],
    message_id: str = "m1",
    now: float = NOW,
) -> dict[str, Any]:
    """A CALL that must get a CALLRESULT; its payload."""
    answer = exchange(session, frame(message_id, action, payload), now)
    assert answer[0] == 3, answer
    assert answer[1] == message_id
    result: dict[str, Any] = answer[2]
    return result


def boot_16() -> dict[str, Any]:
    return {"chargePointVendor": "evharness", "chargePointModel": "SimStation", "firmwareVersion": "1.0"}


def boot_201() -> dict[str, Any]:
    return {"reason": "PowerUp", "chargingStation": {"vendorName": "evharness", "model": "SimStation"}}


def register_16(minutes: float, wh: float, context: str = "Sample.Periodic") -> dict[str, Any]:
    return {"timestamp": at(minutes), "sampledValue": [{"value": f"{wh:.0f}", "context": context}]}


def register_201(minutes: float, wh: float, context: str = "Sample.Periodic") -> dict[str, Any]:
    return {"timestamp": at(minutes), "sampledValue": [{"value": wh, "context": context}]}


def transaction_event(
    event: str, seq: int, minutes: float, *, reason: str = "MeterValuePeriodic", **fields: Any
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "eventType": event,
        "timestamp": at(minutes),
        "triggerReason": reason,
        "seqNo": seq,
        "transactionInfo": {"transactionId": fields.pop("transaction_id", "tx-1")},
    }
    if "stopped_reason" in fields:
        payload["transactionInfo"]["stoppedReason"] = fields.pop("stopped_reason")
    payload.update(fields)
    return payload
