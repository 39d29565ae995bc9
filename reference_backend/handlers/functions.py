"""What the CSMS keeps of reservations, display messages and data transfers: the DataTransfer
handler (both versions), and the records the CSMS makes of a station's answers to its own CALLs
(`ANSWERS`: action → recorder), which `operations` runs after each answered CALL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from evharness.ocppj.frames import Payload
from evharness.ocppj.timefmt import parse_timestamp
from evharness.ocppj.vocabulary import Action, Status
from evharness.reference_backend.domain import data_transfer as vendors
from evharness.reference_backend.domain.credentials import hash_password
from evharness.reference_backend.domain.password_rotation import password_set, upgrade_accepted
from evharness.reference_backend.domain.reservations import FIELDS, Event, answered
from evharness.reference_backend.handlers import smart_charging
from evharness.reference_backend.handlers.base import HandlerContext
from evharness.reference_backend.persistence import Store
from evharness.reference_backend.persistence.function_records import DisplayMessageRecord
from evharness.reference_backend.persistence.station_security import SecurityRecords


def data_transfer(ctx: HandlerContext, payload: Payload) -> Payload:
    """P02, 1.6 §4.3: answered from the vendor table (`domain.data_transfer`)."""
    status, data = vendors.answer(payload["vendorId"], payload.get("messageId"), payload.get("data"))
    answer: Payload = {"status": status}
    if data is not None:
        answer["data"] = data
    return answer


def message_record(info: dict[str, Any], source: str) -> DisplayMessageRecord:
    """A MessageInfoType (SetDisplayMessage, NotifyDisplayMessages) as the store keeps it."""
    content = info["message"]
    starts, ends = info.get("startDateTime"), info.get("endDateTime")
    return DisplayMessageRecord(
        info["id"],
        info["priority"],
        content["content"],
        content["format"],
        content.get("language"),
        info.get("state"),
        None if starts is None else parse_timestamp(starts),
        None if ends is None else parse_timestamp(ends),
        info.get("transactionId"),
        source,
    )


Recorder = Callable[[Store, int, bool, Payload, Payload, datetime], None]


def _reserved(
    store: Store, station: int, on_16: bool, request: Payload, answer: Payload, at: datetime
) -> None:
    status = str(answer.get("status"))
    store.reservations.requested(station, FIELDS[on_16](request), status, answered(status), at)


def _cancelled(
    store: Store, station: int, on_16: bool, request: Payload, answer: Payload, at: datetime
) -> None:
    if answer.get("status") == Status.ACCEPTED:
        store.reservations.apply(station, request["reservationId"], Event.CANCELLED, at)


def _message_set(
    store: Store, station: int, on_16: bool, request: Payload, answer: Payload, at: datetime
) -> None:
    if answer.get("status") == Status.ACCEPTED:
        store.display_messages.put(station, [message_record(request["message"], "set")], at)


def _message_cleared(
    store: Store, station: int, on_16: bool, request: Payload, answer: Payload, at: datetime
) -> None:
    if answer.get("status") in (Status.ACCEPTED, Status.UNKNOWN):  # Unknown: the station has it no more
        store.display_messages.remove(station, request["id"])


def _security_set(
    store: Store, station: int, on_16: bool, request: Payload, answer: Payload, at: datetime
) -> None:
    """A new Basic-auth password the station accepted (docs/security.md: valid beside the old one
    until the station connects with it), or a security profile it accepted to move to (A05)."""
    password = password_set(on_16, request, answer)
    if password is not None:
        SecurityRecords(store.engine).save_for_station(station, new_password_hash=hash_password(password))
    profile = upgrade_accepted(on_16, request, answer)
    if profile is not None:
        SecurityRecords(store.engine).save_for_station(station, upgrade_to=profile)


ANSWERS: dict[str, Recorder] = {
    Action.ReserveNow: _reserved,
    Action.CancelReservation: _cancelled,
    Action.SetDisplayMessage: _message_set,
    Action.ClearDisplayMessage: _message_cleared,
    Action.ChangeConfiguration: _security_set,
    Action.SetVariables: _security_set,
    Action.SetNetworkProfile: _security_set,
    **smart_charging.ANSWERS,
}


def record_answer(
    store: Store, identity: str, on_16: bool, action: str, request: Payload, answer: Payload, at: datetime
) -> None:
    """Keep what a station's answer to the CSMS's `action` means (database work: call off the loop)."""
    recorder = ANSWERS.get(action)
    station = store.find_station_id(identity) if recorder is not None else None
    if recorder is not None and station is not None:
        recorder(store, station, on_16, request, answer, at)
