"""CALL functions every version shares (the same payload shapes on 1.6, 2.0.1 and 2.1)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from evharness.ocppj.errors import ErrorKind
from evharness.ocppj.frames import Payload
from simulator.core.codec import CallRefused, StationView
from simulator.core.triggers import Trigger

CallFunction = Callable[[StationView, Payload, float], Payload]
DATA_TRANSFER_VENDOR = "evharness"  # DataTransfer with this vendorId is echoed back (P01/P02)


def answer_call(
    calls: Mapping[str, CallFunction], view: StationView, action: str, payload: Payload, now: float
) -> Payload:
    """The function `calls` names for `action`; CALLERROR NotSupported for any other action."""
    function = calls.get(action)
    if function is None:
        raise CallRefused(ErrorKind.NOT_SUPPORTED, f"{action} is not supported by this station")
    return function(view, payload, now)


def clear_cache(view: StationView, payload: Payload, now: float) -> Payload:
    """C11.FR.04/05, 1.6 §5.4: Accepted and emptied, Rejected when the cache is disabled."""
    return {"status": "Accepted" if view.clear_cache() else "Rejected"}


def data_transfer(view: StationView, payload: Payload, now: float) -> Payload:
    """Our own vendorId echoes the data; any other is UnknownVendorId (P01.FR.06, 1.6 §5.6)."""
    if payload.get("vendorId") != DATA_TRANSFER_VENDOR:
        return {"status": "UnknownVendorId"}
    answer: Payload = {"status": "Accepted"}
    if "data" in payload:
        answer["data"] = payload["data"]
    return answer


def trigger_message(
    triggers: Mapping[str, Trigger], view: StationView, payload: Payload, now: float
) -> Payload:
    """F06 / 1.6 §5.17: Accepted, then the requested message; NotImplemented for one not in `triggers`."""
    trigger = triggers.get(payload["requestedMessage"])
    if trigger is None:
        return {"status": "NotImplemented"}
    view.trigger(trigger, now)
    return {"status": "Accepted"}
