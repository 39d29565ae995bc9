"""What every version's codec shares: the codec class over its tables, the notes every version
names alike, and the CALL functions whose payloads are the same on 1.6, 2.0.1 and 2.1."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, TypeVar, cast

from evharness.ocppj.errors import ErrorKind
from evharness.ocppj.frames import Payload
from evharness.ocppj.timefmt import format_timestamp
from evharness.ocppj.versions import OcppVersion
from evharness.ocppj.vocabulary import Action, Status
from evharness.simulator.core import smart_charging
from evharness.simulator.core.codec import CallRefused, Outgoing, StationView, VersionRules
from evharness.simulator.core.model import StationConfig
from evharness.simulator.core.notes import (
    Answer,
    AuthorizeNote,
    BootAnswer,
    BootNote,
    DataTransferAnswer,
    DataTransferNote,
    HeartbeatNote,
    Note,
    ReadingContext,
    SecurityEventNote,
    SignCertificateNote,
    StatusAnswer,
    StatusNote,
    TransactionNote,
    TxMoment,
)
from evharness.simulator.core.triggers import Trigger

CallFunction = Callable[[StationView, Payload, float], Payload]
Request = TypeVar("Request", bound=Mapping[str, Any])
AnswerReader = Callable[[Payload], Answer]
TriggerStatus = Literal["Accepted", "NotImplemented"]

# TriggerMessage's requestedMessage values every version has (F06, 1.6 §5.17)
TRIGGERS: dict[str, Trigger] = {
    Action.BootNotification: Trigger.BOOT,
    Action.Heartbeat: Trigger.HEARTBEAT,
    Action.StatusNotification: Trigger.STATUS,
    Action.MeterValues: Trigger.METER_VALUES,
    Action.FirmwareStatusNotification: Trigger.FIRMWARE_STATUS,
}
# notes every version sends under the same action name
ACTIONS: dict[type[Note], str] = {
    BootNote: Action.BootNotification,
    HeartbeatNote: Action.Heartbeat,
    StatusNote: Action.StatusNotification,
    AuthorizeNote: Action.Authorize,
    SignCertificateNote: Action.SignCertificate,
    SecurityEventNote: Action.SecurityEventNotification,
    DataTransferNote: Action.DataTransfer,
}


@dataclass(frozen=True, slots=True)
class Messages:
    """A version's outgoing messages (its `messages` module): the CALL a note becomes, its payload,
    and how the CSMS's CALLRESULT to each action is read."""

    action_of: Callable[[Note], Outgoing | None]
    payload_of: Callable[[Note, StationView], Payload]
    answers: Mapping[str, AnswerReader]


class VersionCodec:
    """A `simulator.core.codec.Codec` made of one version's tables; each version sets them."""

    version: ClassVar[OcppVersion]
    rules: ClassVar[VersionRules]
    messages: ClassVar[Messages]
    calls: ClassVar[Mapping[str, CallFunction]]

    def action_of(self, note: Note) -> Outgoing | None:
        return self.messages.action_of(note)

    def payload_of(self, note: Note, view: StationView) -> Payload:
        return self.messages.payload_of(note, view)

    def answer_of(self, action: str, payload: Payload) -> Answer:
        reader = self.messages.answers.get(action)
        return None if reader is None else reader(payload)

    def answer_call(self, view: StationView, action: str, payload: Payload, now: float) -> Payload:
        """The function `calls` names for `action`; CALLERROR NotSupported for any other action."""
        function = self.calls.get(action)
        if function is None:
            raise CallRefused(ErrorKind.NOT_SUPPORTED, f"{action} is not supported by this station")
        return function(view, payload, now)


def smart(function: CallFunction) -> CallFunction:
    """A smart-charging CALL: CALLERROR NotSupported while SmartChargingCtrlr.Enabled is false (a
    station without smart charging, the tester's choice: TC_K_15)."""

    def call(view: StationView, payload: Payload, now: float) -> Payload:
        if not view.device.flag(smart_charging.ENABLED):
            raise CallRefused(
                ErrorKind.NOT_SUPPORTED, "smart charging is disabled (SmartChargingCtrlr.Enabled)"
            )
        return function(view, payload, now)

    return call


def action_of(
    note: Note,
    transactions: Mapping[TxMoment, str],
    more: Mapping[type[Note], str] | None = None,
) -> Outgoing | None:
    """The CALL a note becomes: transaction messages by moment (kept and retried), the rest by
    kind; None for a note this version does not send."""
    if isinstance(note, TransactionNote):
        name = transactions.get(note.moment)
        return None if name is None else Outgoing(name, transactional=True)
    name = ACTIONS.get(type(note)) or (more or {}).get(type(note))
    return None if name is None else Outgoing(name, transactional=False)


def described(config: StationConfig, vendor: tuple[str, int], model: str, serial: str) -> Payload:
    """The station's description in a BootNotification: (vendor field, its length), model (20),
    serial number (25) and firmware version (50), as each version names them."""
    vendor_field, vendor_length = vendor
    payload: Payload = {model: config.model[:20], vendor_field: config.vendor[:vendor_length]}
    if config.serial_number:
        payload[serial] = config.serial_number[:25]
    if config.firmware_version:
        payload["firmwareVersion"] = config.firmware_version[:50]
    return payload


# why a sample was taken, in the words both versions' ReadingContext have
CONTEXTS: dict[
    ReadingContext, Literal["Sample.Periodic", "Transaction.Begin", "Transaction.End", "Trigger", "Other"]
] = {
    ReadingContext.PERIODIC: "Sample.Periodic",
    ReadingContext.BEGIN: "Transaction.Begin",
    ReadingContext.END: "Transaction.End",
    ReadingContext.TRIGGER: "Trigger",
    ReadingContext.OTHER: "Other",
}


def boot_answer(payload: Payload) -> Answer:
    return BootAnswer(payload["status"], float(payload["interval"]))


def status_answer(payload: Payload) -> Answer:
    return StatusAnswer(payload["status"])


def security_event(note: SecurityEventNote, name: str) -> Payload:
    """SecurityEventNotification: the same fields on 1.6 and 2.0.1 (`name`: the version's word);
    techInfo is at most 255 characters."""
    payload: Payload = {"type": name, "timestamp": format_timestamp(note.at)}
    if note.tech_info:
        payload["techInfo"] = note.tech_info[:255]
    return payload


def typed(function: Callable[[StationView, Request, float], Mapping[str, Any]]) -> CallFunction:
    """A CALL function written on its version's payload TypedDicts (`evharness.ocppj.payloads`), for a
    table of `CallFunction`s: mypy checks its body against the schema; the RPC layer has validated
    the request against the same schema before it gets here."""

    def call(view: StationView, payload: Payload, now: float) -> Payload:
        return as_payload(function(view, cast(Request, payload), now))

    return call


def as_payload(typed_payload: Mapping[str, Any]) -> Payload:
    """A TypedDict payload as the plain dict the RPC layer sends (the same object)."""
    return cast(Payload, typed_payload)


def clear_cache(view: StationView, payload: Payload, now: float) -> Payload:
    """C11.FR.04/05, 1.6 §5.4: Accepted and emptied, Rejected when the cache is disabled."""
    return {"status": Status.ACCEPTED if view.clear_cache() else Status.REJECTED}


def cancel_reservation(view: StationView, payload: Payload, now: float) -> Payload:
    """H02.FR.02/03, 1.6 §5.1: Accepted for a reservation the station holds, else Rejected."""
    cancelled = view.cancel_reservation(payload["reservationId"], now)
    return {"status": Status.ACCEPTED if cancelled else Status.REJECTED}


def data_transfer(view: StationView, payload: Payload, now: float) -> Payload:
    """From the station's vendor table: UnknownVendorId, UnknownMessageId or the reply (P01.FR.05/06,
    1.6 §5.6; `simulator.core.data_transfer`). The same fields on 1.6, 2.0.1 and 2.1."""
    status, data = view.data_transfer(payload["vendorId"], payload.get("messageId"), payload.get("data"))
    answer: Payload = {"status": status}
    if data is not None:
        answer["data"] = data
    return answer


def data_transfer_request(note: DataTransferNote, data_as_text: bool) -> Payload:
    """A DataTransfer of the station's own; 1.6's data is a string (`data_as_text`: JSON text)."""
    payload: Payload = {"vendorId": note.vendor[:255]}
    if note.message is not None:
        payload["messageId"] = note.message[:50]
    if note.data is not None:
        text = isinstance(note.data, str)
        payload["data"] = note.data if text or not data_as_text else json.dumps(note.data)
    return payload


def data_transfer_answer(payload: Payload) -> Answer:
    return DataTransferAnswer(payload["status"], payload.get("data"))


def trigger(triggers: Mapping[str, Trigger], view: StationView, requested: str, now: float) -> TriggerStatus:
    """F06 / 1.6 §5.17: Accepted, then the requested message; NotImplemented for one not in `triggers`."""
    trigger = triggers.get(requested)
    if trigger is None:
        return Status.NOT_IMPLEMENTED
    view.trigger(trigger, now)
    return Status.ACCEPTED
