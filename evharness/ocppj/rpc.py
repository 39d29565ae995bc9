"""One end of an OCPP-J connection as a state machine without I/O.

Theory of operation: the owner feeds received text with `receive(text, now)` and gets `RpcEvent`s
back; it queues CALLs with `send_call` and answers with `send_result` / `send_error`; it drains
`data_to_send()` onto its transport and calls `tick(now)` at `next_deadline()` for timeouts.
At most one CALL of ours is outstanding at a time (OCPP-J §4.1.1); later ones wait in order.
Malformed input never raises. A broken CALL (or unreadable frame) is answered here with the CALLERROR of
the negotiated version; a broken CALLRESULT, CALLERROR or SEND never is (a CALLERROR answers only a
CALL: OCPP-J 2.0.1 §4.2.3): it is reported as a `PeerViolation` and fails the CALL of ours it answers.
On 2.1 a CALLRESULT that breaks the RPC framework or its schema gets a CALLRESULTERROR instead (OCPP-J
2.1 MessageTypeId 5; 2.1 Part 2 generic requirement FR.06). A 2.1 SEND arrives as `SendReceived` and is
never answered, not even when wrong (OCPP-J 2.1 MessageTypeId 6).
Evidence (`PeerViolation`) has its PINs masked here, so no owner can log one by mistake.
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from evharness.ocppj import schemas
from evharness.ocppj.errors import ANSWERS_UNKNOWN_MESSAGE_TYPE, ErrorKind, error_code
from evharness.ocppj.frames import (
    CALL,
    CALLERROR,
    CALLRESULT,
    UNREADABLE_MESSAGE_ID,
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
from evharness.redaction import redact


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
class SendReceived:
    """A valid 2.1 SEND (unconfirmed message) from the peer; the receiver SHALL NOT reply to it."""

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
    """The peer answered our CALL with a CALLERROR (`from_peer`), or with a CALLRESULT or CALLERROR that
    broke the RPC framework or the schema (not `from_peer`: the failure is ours to report)."""

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
    """Something the peer sent that breaks OCPP-J (kept as evidence; PINs masked)."""

    description: str
    text: str


@dataclass(frozen=True, slots=True)
class CallRefused:
    """A CALL the endpoint answered itself with a CALLERROR that is no format problem: an action the
    version does not have (NotImplemented), a SEND-only message sent as a CALL. The owner may log it."""

    message_id: str
    action: str
    kind: ErrorKind
    description: str


RpcEvent = (
    CallReceived | SendReceived | ResultReceived | ErrorReceived | CallTimedOut | PeerViolation | CallRefused
)

# The MessageTypeIds a receiver may answer with a CALLERROR when broken; anything else goes unanswered.
_ANSWERED_WITH_CALLERROR = frozenset({CALL, None})
_NAMES = {CALLRESULT: "CALLRESULT", CALLERROR: "CALLERROR"}


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
        self._pending: list[OutgoingCall] = []  # a list: an empty deque holds a 64-slot block
        self._in_flight: OutgoingCall | None = None
        self._unanswered: set[str] = set()

    # -- what we send -------------------------------------------------------------------------

    def send_call(self, action: str, payload: Payload, now: float, context: object = None) -> OutgoingCall:
        if action in schemas.unconfirmed_actions(self.version):
            raise ValueError(f"{action} is an unconfirmed message: send it with send_unconfirmed")
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

    def send_unconfirmed(self, action: str, payload: Payload) -> str:
        """Send a 2.1 SEND (never answered, allowed while a CALL is outstanding); its messageId."""
        if action not in schemas.unconfirmed_actions(self.version):
            raise ValueError(f"OCPP {self.version.value} has no unconfirmed (SEND) message {action!r}")
        if self.validate_outgoing:
            self._check_own(action, payload, response=False)
        message_id = self.new_message_id()
        self._outbox.append(encode(Send(message_id, action, payload)))
        return message_id

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
            return [_violation(exc.description, text)]
        except FrameError as exc:
            if exc.type_id in _ANSWERED_WITH_CALLERROR:
                self.send_error(exc.message_id, exc.kind, exc.description)
                return [_violation(exc.description, text)]
            return self._receive_broken_answer(exc, text, now)
        return self._receive_frame(frame, text, now)

    def _receive_broken_answer(self, exc: FrameError, text: str | bytes, now: float) -> list[RpcEvent]:
        """A broken CALLRESULT, CALLERROR, CALLRESULTERROR or SEND: never a CALLERROR. If it answers our
        CALL in flight, that CALL fails here (and on 2.1 a broken CALLRESULT gets a CALLRESULTERROR)."""
        name = _NAMES.get(exc.type_id or 0)
        readable = name is not None and exc.message_id != UNREADABLE_MESSAGE_ID
        call = self._take_in_flight(exc.message_id) if readable else None
        what = f"malformed {name} {exc.message_id}: " if name is not None else ""
        if call is None:
            return [_violation(f"{what}{exc.description} (not answered)", text)]
        code = error_code(self.version, exc.kind)
        answered = "not answered"
        if exc.type_id == CALLRESULT and self.version is OcppVersion.V21:
            self._outbox.append(encode(CallResultError(exc.message_id, code, exc.description, {})))
            answered = "answered with CALLRESULTERROR"
        self._pump(now)
        return [
            _violation(f"{what}{exc.description} ({answered})", text),
            ErrorReceived(
                call, code, f"malformed {name}: {redact(exc.description)}", {}, now, from_peer=False
            ),
        ]

    def _receive_frame(self, frame: Frame, text: str | bytes, now: float) -> list[RpcEvent]:
        match frame:
            case Call(message_id, action, payload):
                return self._receive_call(message_id, action, payload)
            case Send(message_id, action, payload):
                return self._receive_send(message_id, action, payload, text)
            case CallResult(message_id, payload):
                call = self._take_in_flight(message_id)
                if call is None:
                    return [_violation(f"CALLRESULT for unknown messageId {message_id}", text)]
                events = self._check_result(call, payload, text, now)
                self._pump(now)
                return events
            case CallError(message_id, code, description, details):
                call = self._take_in_flight(message_id)
                if call is None:
                    return [_violation(f"CALLERROR for unknown messageId {message_id}", text)]
                self._pump(now)
                return [ErrorReceived(call, code, description, details, now)]
            case CallResultError(message_id, code, description, _):
                return [_violation(f"CALLRESULTERROR {code} for {message_id}: {description}", text)]

    def _receive_send(
        self, message_id: str, action: str, payload: Payload, text: str | bytes
    ) -> list[RpcEvent]:
        """A SEND is never answered, not even when wrong: a wrong one is evidence, and is dropped."""
        if action not in schemas.unconfirmed_actions(self.version):
            return [
                _violation(f"SEND {message_id}: {action!r} is no unconfirmed message (not answered)", text)
            ]
        if self.validate_incoming:
            validate = schemas.validator(self.version, action, response=False)
            problem = schemas.check(validate, payload) if validate is not None else None
            if problem is not None:
                return [
                    _violation(
                        f"SEND {action} {message_id}: {problem.description}"
                        f" (field {problem.field}; not answered)",
                        text,
                    )
                ]
        return [SendReceived(message_id, action, payload)]

    def _refuse(self, refusal: CallRefused) -> list[RpcEvent]:
        self.send_error(refusal.message_id, refusal.kind, refusal.description)
        return [refusal]

    def _receive_call(self, message_id: str, action: str, payload: Payload) -> list[RpcEvent]:
        if message_id in self._unanswered:
            self.send_error(message_id, ErrorKind.PROTOCOL, "a CALL with this messageId is being handled")
            self._unanswered.add(message_id)  # send_error forgot the id; the first CALL is still in hand
            return []
        validate = schemas.validator(self.version, action, response=False)
        if validate is None:
            return self._refuse(
                CallRefused(message_id, action, ErrorKind.NOT_IMPLEMENTED, f"unknown action {action!r}")
            )
        if action in schemas.unconfirmed_actions(self.version):
            sent_as = f"{action} travels as SEND, never as a CALL"
            return self._refuse(CallRefused(message_id, action, ErrorKind.PROTOCOL, sent_as))
        if self.validate_incoming:
            problem = schemas.check(validate, payload)
            if problem is not None:
                self.send_error(message_id, problem.kind, problem.description, {"field": problem.field})
                return []
        self._unanswered.add(message_id)
        return [CallReceived(message_id, action, payload)]

    def _check_result(
        self, call: OutgoingCall, payload: Payload, text: str | bytes, now: float
    ) -> list[RpcEvent]:
        """A CALLRESULT that breaks its schema fails our CALL and is reported; only 2.1 answers it."""
        if self.validate_incoming:
            validate = schemas.validator(self.version, call.action, response=True)
            problem = schemas.check(validate, payload) if validate is not None else None
            if problem is not None:
                code = error_code(self.version, problem.kind)
                if self.version is OcppVersion.V21:
                    self._outbox.append(
                        encode(CallResultError(call.message_id, code, problem.description, {}))
                    )
                description = f"invalid {call.action} response: {problem.description}"
                return [
                    _violation(f"{description} (field {problem.field})", text),
                    ErrorReceived(
                        call, code, redact(description), {"field": problem.field}, now, from_peer=False
                    ),
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

    def in_flight_since(self) -> float | None:
        """When our CALL now waiting for its answer went out (None: none waits)."""
        return None if self._in_flight is None else self._in_flight.sent_at

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
        call = self._pending.pop(0)
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


def _violation(description: str, text: str | bytes) -> PeerViolation:
    """Evidence with PINs masked (OCPP 2.1 C04 forbids logging them); built only on the unhappy path."""
    return PeerViolation(redact(description), _preview(text))


def _preview(text: str | bytes, limit: int = 300) -> str:
    """The frame for people to read: masked first (a cut could split a KeyCode), then shortened."""
    shown = redact(text if isinstance(text, str) else text.decode("utf-8", "replace"))
    return shown if len(shown) <= limit else shown[:limit] + "…"
