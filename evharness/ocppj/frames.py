"""OCPP-J frames: decoding text into typed frames, and encoding them back.

Decoding never raises anything but `FrameError`, which carries the error kind, the message id to
answer with ("-1" when it cannot be read, OCPP-J 2.0.1 §4.2.3) and the MessageTypeId when it could be
read, because only a broken CALL may be answered with a CALLERROR (OCPP-J 2.0.1 §4.2.3, 2.1 §4.3).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from evharness.ocppj.errors import ErrorKind
from evharness.ocppj.versions import OcppVersion

CALL = 2
CALLRESULT = 3
CALLERROR = 4
CALLRESULTERROR = 5  # 2.1 only
SEND = 6  # 2.1 only

MAX_MESSAGE_ID_LENGTH = 36
UNREADABLE_MESSAGE_ID = "-1"

Payload = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Call:
    message_id: str
    action: str
    payload: Payload


@dataclass(frozen=True, slots=True)
class CallResult:
    message_id: str
    payload: Payload


@dataclass(frozen=True, slots=True)
class CallError:
    message_id: str
    code: str
    description: str
    details: Payload


@dataclass(frozen=True, slots=True)
class CallResultError:
    """2.1: answers a CALLRESULT whose payload was wrong."""

    message_id: str
    code: str
    description: str
    details: Payload


@dataclass(frozen=True, slots=True)
class Send:
    """2.1: an unconfirmed message; never answered."""

    message_id: str
    action: str
    payload: Payload


Frame = Call | CallResult | CallError | CallResultError | Send


class FrameError(Exception):
    """A frame that is no valid OCPP-J message, of `kind`; `type_id` is its MessageTypeId if this version
    knows it (None: unreadable or unknown), which decides whether it may be answered at all."""

    def __init__(
        self,
        kind: ErrorKind,
        description: str,
        message_id: str = UNREADABLE_MESSAGE_ID,
        type_id: int | None = None,
    ) -> None:
        super().__init__(description)
        self.kind = kind
        self.description = description
        self.message_id = message_id
        self.type_id = type_id


class UnknownMessageType(FrameError):
    """A message type id this version does not know (answered or ignored, by version)."""


_TYPES_BY_VERSION: dict[OcppVersion, frozenset[int]] = {
    OcppVersion.V16: frozenset({CALL, CALLRESULT, CALLERROR}),
    OcppVersion.V201: frozenset({CALL, CALLRESULT, CALLERROR}),
    OcppVersion.V21: frozenset({CALL, CALLRESULT, CALLERROR, CALLRESULTERROR, SEND}),
}

_SHAPES: dict[int, int] = {CALL: 4, CALLRESULT: 3, CALLERROR: 5, CALLRESULTERROR: 5, SEND: 4}


def decode(text: str | bytes, version: OcppVersion) -> Frame:
    try:
        message = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise FrameError(ErrorKind.FORMAT, f"frame is not valid JSON: {exc}") from None
    # "-1" only when no messageId can be read (OCPP-J 2.0.1 §4.2.3): a frame too short for its type
    # but with a readable id is answered with that id by the shape check below.
    if not isinstance(message, list) or not message:
        raise FrameError(ErrorKind.RPC_FRAMEWORK, "frame is no array with a MessageTypeId and a messageId")
    type_id = message[0]
    known = _known_type(type_id, version)
    if len(message) < 2:
        raise FrameError(ErrorKind.RPC_FRAMEWORK, "frame has a MessageTypeId but no messageId", type_id=known)
    message_id = message[1]
    if not isinstance(message_id, str) or not message_id:
        raise FrameError(ErrorKind.RPC_FRAMEWORK, "messageId is not a non-empty string", type_id=known)
    if len(message_id) > MAX_MESSAGE_ID_LENGTH:
        raise FrameError(
            ErrorKind.RPC_FRAMEWORK,
            f"messageId is longer than {MAX_MESSAGE_ID_LENGTH} characters",
            type_id=known,
        )
    if not isinstance(type_id, int) or isinstance(type_id, bool):
        raise FrameError(ErrorKind.RPC_FRAMEWORK, "MessageTypeId is not an integer", message_id)
    if known is None:
        raise UnknownMessageType(
            ErrorKind.MESSAGE_TYPE_NOT_SUPPORTED,
            f"MessageTypeId {type_id} is not supported by OCPP {version.value}",
            message_id,
        )
    return _typed(known, message_id, message)


def _known_type(type_id: object, version: OcppVersion) -> int | None:
    """`type_id` if it is an integer MessageTypeId of `version` (bool and float are not), else None."""
    if isinstance(type_id, int) and not isinstance(type_id, bool) and type_id in _TYPES_BY_VERSION[version]:
        return type_id
    return None


def _typed(type_id: int, message_id: str, message: list[Any]) -> Frame:
    def broken(kind: ErrorKind, description: str) -> FrameError:
        return FrameError(kind, description, message_id, type_id)

    expected = _SHAPES[type_id]
    if len(message) != expected:
        raise broken(
            ErrorKind.PROTOCOL if type_id == CALL else ErrorKind.RPC_FRAMEWORK,
            f"a frame of type {type_id} has {expected} elements, not {len(message)}",
        )
    if type_id in (CALL, SEND):
        action, payload = message[2], message[3]
        if not isinstance(action, str):
            raise broken(ErrorKind.RPC_FRAMEWORK, "Action is not a string")
        if not isinstance(payload, dict):
            raise broken(ErrorKind.PROTOCOL, "payload is not a JSON object")
        return Call(message_id, action, payload) if type_id == CALL else Send(message_id, action, payload)
    if type_id == CALLRESULT:
        if not isinstance(message[2], dict):
            raise broken(ErrorKind.PROTOCOL, "payload is not a JSON object")
        return CallResult(message_id, message[2])
    code, description, details = message[2], message[3], message[4]
    if not isinstance(code, str) or not isinstance(description, str) or not isinstance(details, dict):
        raise broken(ErrorKind.PROTOCOL, "CALLERROR needs a string code and description and an object")
    if type_id == CALLERROR:
        return CallError(message_id, code, description, details)
    return CallResultError(message_id, code, description, details)


def encode(frame: Frame) -> str:
    match frame:
        case Call(message_id, action, payload):
            body: list[Any] = [CALL, message_id, action, payload]
        case CallResult(message_id, payload):
            body = [CALLRESULT, message_id, payload]
        case CallError(message_id, code, description, details):
            body = [CALLERROR, message_id, code, description[:255], details]
        case CallResultError(message_id, code, description, details):
            body = [CALLRESULTERROR, message_id, code, description[:255], details]
        case Send(message_id, action, payload):
            body = [SEND, message_id, action, payload]
    return orjson.dumps(body).decode()
