"""One end of an OCPP-J connection as a state machine without I/O.

Theory of operation: the owner feeds received text with `receive(text, now)` and gets `RpcEvent`s
back; it queues CALLs with `send_call` and answers with `send_result` / `send_error`; it drains
`data_to_send()` onto its transport and calls `tick(now)` at `next_deadline()` for timeouts.
At most one CALL of ours is outstanding at a time (OCPP-J §4.1.1); later ones wait in order.
Malformed input is answered here with the CALLERROR of the negotiated version and never raises.
"""

from __future__ import annotations

import itertools
import secrets
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from evharness.ocppj import schemas
from evharness.ocppj.errors import ANSWERS_UNKNOWN_MESSAGE_TYPE, ErrorKind, error_code
from evharness.ocppj.frames import (
    Call,
    CallError,
    CallResult,
    CallResultError,
    Frame,
    FrameError,
    Payload,
    Send,
    UnknownMessageType,
    decode,
    encode,
)
from evharness.ocppj.versions import OcppVersion


@dataclass(slots=True)
class OutgoingCall:
    action: str
    payload: Payload
    message_id: str = ""
    sent_at: float | None = None
    timeout: float = 30.0
    context: object = None  # the owner's note, handed back with the outcome


@dataclass(frozen=True, slots=True)
class CallReceived:
    """A valid CALL from the peer; the owner must answer it with send_result or send_error."""

    message_id: str
    action: str
    payload: Payload


@dataclass(frozen=True, slots=True)
class ResultReceived:
    call: OutgoingCall
    payload: Payload
    received_at: float


@dataclass(frozen=True, slots=True)
class ErrorReceived:
    """The peer answered our CALL with a CALLERROR, or with a CALLRESULT that broke the schema."""

    call: OutgoingCall
    code: str
    description: str
    details: Payload
    received_at: float
    from_peer: bool = True


@dataclass(frozen=True, slots=True)
class CallTimedOut:
    call: OutgoingCall


@dataclass(frozen=True, slots=True)
class PeerViolation:
    """Something the peer sent that breaks OCPP-J but has no CALL to answer (kept as evidence)."""

    description: str
    text: str


RpcEvent = CallReceived | ResultReceived | ErrorReceived | CallTimedOut | PeerViolation


def _id_factory() -> Callable[[], str]:
    prefix = secrets.token_hex(6)
    counter = itertools.count(1)
    return lambda: f"{prefix}-{next(counter)}"


@dataclass
class RpcEndpoint:
    version: OcppVersion
    validate_incoming: bool = True
    validate_outgoing: bool = False
    call_timeout: float = 30.0
    new_message_id: Callable[[], str] = field(default_factory=_id_factory)

    def __post_init__(self) -> None:
        self._outbox: list[str] = []
        self._pending: deque[OutgoingCall] = deque()
        self._in_flight: OutgoingCall | None = None
        self._unanswered: set[str] = set()

    # -- what we send -------------------------------------------------------------------------

    def send_call(self, action: str, payload: Payload, now: float, context: object = None) -> OutgoingCall:
        if self.validate_outgoing:
            self._check_own(action, payload, response=False)
        call = OutgoingCall(action, payload, timeout=self.call_timeout, context=context)
        self._pending.append(call)
        self._pump(now)
        return call

    def send_result(self, message_id: str, payload: Payload, action: str | None = None) -> None:
        if self.validate_outgoing and action is not None:
            self._check_own(action, payload, response=True)
        self._unanswered.discard(message_id)
        self._outbox.append(encode(CallResult(message_id, payload)))

    def send_error(
        self, message_id: str, kind: ErrorKind, description: str, details: Payload | None = None
    ) -> None:
        self._unanswered.discard(message_id)
        code = error_code(self.version, kind)
        self._outbox.append(encode(CallError(message_id, code, description, details or {})))

    def send_raw(self, text: str) -> None:
        """Put arbitrary text on the wire (fault injection and conformance probes)."""
        self._outbox.append(text)

    def data_to_send(self) -> list[str]:
        out, self._outbox = self._outbox, []
        return out

    # -- what we receive ----------------------------------------------------------------------

    def receive(self, text: str | bytes, now: float) -> list[RpcEvent]:
        try:
            frame = decode(text, self.version)
        except UnknownMessageType as exc:
            if ANSWERS_UNKNOWN_MESSAGE_TYPE[self.version]:
                self.send_error(exc.message_id, exc.kind, exc.description)
            return [PeerViolation(exc.description, _preview(text))]
        except FrameError as exc:
            self.send_error(exc.message_id, exc.kind, exc.description)
            return [PeerViolation(exc.description, _preview(text))]
        return self._receive_frame(frame, text, now)

    def _receive_frame(self, frame: Frame, text: str | bytes, now: float) -> list[RpcEvent]:
        match frame:
            case Call(message_id, action, payload):
                return self._receive_call(message_id, action, payload)
            case Send(_, action, payload):
                return [CallReceived("", action, payload)]
            case CallResult(message_id, payload):
                call = self._take_in_flight(message_id)
                if call is None:
                    return [PeerViolation(f"CALLRESULT for unknown messageId {message_id}", _preview(text))]
                events = self._check_result(call, payload, now)
                self._pump(now)
                return events
            case CallError(message_id, code, description, details):
                call = self._take_in_flight(message_id)
                if call is None:
                    return [PeerViolation(f"CALLERROR for unknown messageId {message_id}", _preview(text))]
                self._pump(now)
                return [ErrorReceived(call, code, description, details, now)]
            case CallResultError(message_id, code, description, _):
                return [
                    PeerViolation(f"CALLRESULTERROR {code} for {message_id}: {description}", _preview(text))
                ]

    def _receive_call(self, message_id: str, action: str, payload: Payload) -> list[RpcEvent]:
        if message_id in self._unanswered:
            self.send_error(message_id, ErrorKind.PROTOCOL, "a CALL with this messageId is being handled")
            self._unanswered.add(message_id)  # send_error forgot the id; the first CALL is still in hand
            return []
        validate = schemas.validator(self.version, action, response=False)
        if validate is None:
            self.send_error(message_id, ErrorKind.NOT_IMPLEMENTED, f"unknown action {action!r}")
            return []
        if self.validate_incoming:
            problem = schemas.check(validate, payload)
            if problem is not None:
                self.send_error(message_id, problem.kind, problem.description, {"field": problem.field})
                return []
        self._unanswered.add(message_id)
        return [CallReceived(message_id, action, payload)]

    def _check_result(self, call: OutgoingCall, payload: Payload, now: float) -> list[RpcEvent]:
        if self.validate_incoming:
            validate = schemas.validator(self.version, call.action, response=True)
            problem = schemas.check(validate, payload) if validate is not None else None
            if problem is not None:
                if self.version is OcppVersion.V21:
                    code = error_code(self.version, problem.kind)
                    self._outbox.append(
                        encode(CallResultError(call.message_id, code, problem.description, {}))
                    )
                return [
                    ErrorReceived(
                        call,
                        error_code(self.version, problem.kind),
                        f"invalid {call.action} response: {problem.description}",
                        {"field": problem.field},
                        now,
                        from_peer=False,
                    )
                ]
        return [ResultReceived(call, payload, now)]

    # -- time and connection --------------------------------------------------------------------

    def next_deadline(self) -> float | None:
        call = self._in_flight
        if call is None or call.sent_at is None:
            return None
        return call.sent_at + call.timeout

    def tick(self, now: float) -> list[RpcEvent]:
        call = self._in_flight
        if call is None or call.sent_at is None or now < call.sent_at + call.timeout:
            return []
        self._in_flight = None
        self._pump(now)
        return [CallTimedOut(call)]

    def connection_lost(self) -> list[OutgoingCall]:
        """Forget the connection; hand back every CALL not answered (in flight first), to requeue."""
        calls = ([self._in_flight] if self._in_flight else []) + list(self._pending)
        self._in_flight = None
        self._pending.clear()
        self._outbox.clear()
        self._unanswered.clear()
        return calls

    @property
    def busy(self) -> bool:
        return self._in_flight is not None or bool(self._pending)

    # -- internals ------------------------------------------------------------------------------

    def _take_in_flight(self, message_id: str) -> OutgoingCall | None:
        call = self._in_flight
        if call is None or call.message_id != message_id:
            return None
        self._in_flight = None
        return call

    def _pump(self, now: float) -> None:
        if self._in_flight is not None or not self._pending:
            return
        call = self._pending.popleft()
        call.message_id = self.new_message_id()  # fresh id, also on a retry (OCPP-J 2.0.1 §4.1.4)
        call.sent_at = now
        self._in_flight = call
        self._outbox.append(encode(Call(call.message_id, call.action, call.payload)))

    def _check_own(self, action: str, payload: Payload, response: bool) -> None:
        validate = schemas.validator(self.version, action, response)
        if validate is None:
            raise ValueError(f"OCPP {self.version.value} has no action {action!r}")
        problem = schemas.check(validate, payload)
        if problem is not None:
            raise ValueError(
                f"our own {action} {'response' if response else 'request'}: {problem.description}"
            )


def _preview(text: str | bytes, limit: int = 300) -> str:
    shown = text if isinstance(text, str) else text.decode("utf-8", "replace")
    return shown if len(shown) <= limit else shown[:limit] + "…"
