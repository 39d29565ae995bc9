"""Remote operations as data: each one's matrix action and its CALL on OCPP 1.6 and on 2.0.1/2.1.

`build(operation, version_is_16, request)` checks the request's fields (InvalidInput names the bad one)
and returns the OCPP action and payload to send.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from evharness.idtokens import InvalidCode, WireToken, guess_type_from_idtag, normalize, to_wire
from reference_backend.domain.permissions import Action
from reference_backend.domain.problems import InvalidInput

Payload = dict[str, Any]


@dataclass(frozen=True)
class Request:
    evse: int = 1
    connector: int = 1
    id_tag: str | None = None
    transaction_id: str | None = None
    type: str = "soft"  # reset: soft | hard
    operative: bool = True
    message: str = "StatusNotification"


Builder = Callable[[Request], tuple[str, Payload]]

TRIGGERABLE = ("BootNotification", "Heartbeat", "StatusNotification", "MeterValues")
_remote_start_ids = itertools.count(1)


def _needs(value: str | None, field: str) -> str:
    if not value:
        raise InvalidInput(field, "is required for this operation")
    return value


def _token(request: Request) -> WireToken:
    tag = _needs(request.id_tag, "id_tag")
    kind = guess_type_from_idtag(tag)
    try:
        return to_wire(kind, normalize(kind, tag))
    except InvalidCode as exc:
        raise InvalidInput("id_tag", str(exc)) from exc


def _reset_type(request: Request, soft: str, hard: str) -> str:
    if request.type not in ("soft", "hard"):
        raise InvalidInput("type", "must be soft or hard")
    return soft if request.type == "soft" else hard


def _message(request: Request) -> str:
    if request.message not in TRIGGERABLE:
        raise InvalidInput("message", f"must be one of {', '.join(TRIGGERABLE)}")
    return request.message


def _transaction_16(request: Request) -> int:
    text = _needs(request.transaction_id, "transaction_id")
    if not text.isdigit() or int(text) > 2**31 - 1:
        raise InvalidInput("transaction_id", "is a whole number on OCPP 1.6")
    return int(text)


def _availability(request: Request) -> str:
    return "Operative" if request.operative else "Inoperative"


V16: dict[str, Builder] = {
    "remote-start": lambda r: (
        "RemoteStartTransaction", {"connectorId": r.evse, "idTag": _token(r).value}),
    "remote-stop": lambda r: ("RemoteStopTransaction", {"transactionId": _transaction_16(r)}),
    "reset": lambda r: ("Reset", {"type": _reset_type(r, "Soft", "Hard")}),
    "unlock": lambda r: ("UnlockConnector", {"connectorId": r.evse}),
    "availability": lambda r: ("ChangeAvailability", {"connectorId": r.evse, "type": _availability(r)}),
    "trigger": lambda r: ("TriggerMessage", {"requestedMessage": _message(r), "connectorId": r.evse}),
    "clear-cache": lambda r: ("ClearCache", {}),
}  # fmt: skip

V201: dict[str, Builder] = {
    "remote-start": lambda r: ("RequestStartTransaction", {
        "idToken": {"idToken": _token(r).value_201, "type": _token(r).type_201},
        "remoteStartId": next(_remote_start_ids), "evseId": r.evse}),
    "remote-stop": lambda r: (
        "RequestStopTransaction", {"transactionId": _needs(r.transaction_id, "transaction_id")[:36]}),
    "reset": lambda r: ("Reset", {"type": _reset_type(r, "OnIdle", "Immediate")}),
    "unlock": lambda r: ("UnlockConnector", {"evseId": r.evse, "connectorId": r.connector}),
    "availability": lambda r: ("ChangeAvailability", {
        "operationalStatus": _availability(r), "evse": {"id": r.evse, "connectorId": r.connector}}),
    "trigger": lambda r: ("TriggerMessage", {"requestedMessage": _message(r), "evse": {"id": r.evse}}),
    "clear-cache": lambda r: ("ClearCache", {}),
}  # fmt: skip

ACTIONS: dict[str, Action] = {
    "remote-start": Action.REMOTE_START_STOP,
    "remote-stop": Action.REMOTE_START_STOP,
    "reset": Action.RESET,
    "unlock": Action.UNLOCK_CONNECTOR,
    "availability": Action.CHANGE_AVAILABILITY,
    "trigger": Action.TRIGGER_MESSAGE,
    "clear-cache": Action.CLEAR_CACHE,
}


def build(operation: str, on_16: bool, request: Request) -> tuple[str, Payload]:
    return (V16 if on_16 else V201)[operation](request)
