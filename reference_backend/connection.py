"""One station's OCPP-J connection to the CSMS, as an object without I/O: `CsmsConnection`.

Theory of operation: the transport feeds each received frame to `receive(text, now)` and sends
what `data_to_send()` hands back, in order. The `RpcEndpoint` answers malformed frames, unknown
actions (NotImplemented) and schema violations itself; a valid CALL goes to the version's handler
table in two steps: `decide` (the checks below and the handler: database work, so the OCPP server
runs it in a worker thread) and `deliver` (the answer onto the wire). A connection made with
`deferred=True` queues the CALLs for its owner (`take_calls`; the server's `Answering` runs them and
releases a transaction message's answer only once what it stored is committed); otherwise `receive`
decides and delivers at once (tests, tools; nothing waits for a commit there). Answers that are
CALLERRORs, and why:

- an action the version does not have → NotImplemented (the `RpcEndpoint` answers it: `CallRefused`);
- an action the version knows but this CSMS does not handle → NotSupported;
- anything but BootNotification from a station that is not Accepted → SecurityError (OCPP-J 1.6
  errata §3.8; 2.0.1 B02.FR.09, B03.FR.07), except, while Pending, what the CSMS asked it to send
  (TriggerMessage, GetBaseReport, GetReport); see `domain.boot`;
- a handler that raised, or a response that breaks its own schema → InternalError.

In every case the connection stays open. A refusal (NotImplemented, NotSupported, SecurityError, a
SEND-only message sent as a CALL) is logged at INFO
once per station and action (`Notices`), so an operator sees what their chargers send that goes
unanswered. A 2.1 SEND (NotifyPeriodicEventStream) is taken and logged,
PINs masked, and never answered; nothing here keeps its data yet.

A BootNotification is answered as the station's boot policy says (`BootPolicies`): Accepted, Pending
(with the retry interval; the next one is Accepted) or Rejected. The handler is told the answer in its
frozen `HandlerContext` (`BootAnswer`); nothing travels back through the context. After a Pending
answer the policy may ask for a TriggerMessage(BootNotification); the connection hands such CALLs to
its owner (`operations.Link`) through `take_follow_ups()`, which sends them like any CSMS CALL; so
does a handler's `Reply` (CertificateSigned after SignCertificate).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from evharness.ocppj.errors import ErrorKind, error_code
from evharness.ocppj.frames import Payload
from evharness.ocppj.rpc import (
    CallReceived,
    CallRefused,
    CallTimedOut,
    ErrorReceived,
    OutgoingCall,
    PeerViolation,
    ResultReceived,
    RpcEndpoint,
    RpcEvent,
    SendReceived,
)
from evharness.ocppj.versions import OcppVersion
from evharness.ocppj.vocabulary import Action
from evharness.redaction import redact
from evharness.reference_backend.boot_policies import BootPolicies
from evharness.reference_backend.domain.boot import (
    BOOT,
    Registration,
    answer_boot,
    boot_trigger,
    csms_refusal,
    permitted_by,
    station_may_send,
)
from evharness.reference_backend.domain.ratelimit import SlidingWindow
from evharness.reference_backend.handlers import HANDLERS, BootAnswer, Handler, HandlerContext, Reply
from evharness.reference_backend.notices import Notices
from evharness.reference_backend.persistence import Store
from evharness.reference_backend.persistence.group_commit import Span

# Malformed frames (PeerViolation) logged per connection and window; the rest are counted and summed up
# in the next line logged or when the connection closes, so no client can flood the log.
VIOLATIONS_LOGGED = 5
VIOLATION_WINDOW = 600.0  # seconds

log = logging.getLogger(__name__)

# Why a station CALL is refused with SecurityError, by where the station stands
NOT_YET: dict[Registration, str] = {
    Registration.UNKNOWN: "unknown station: send BootNotification first",
    Registration.PENDING: "the station is Pending: only BootNotification, or what the CSMS asked for",
    Registration.REJECTED: "the station is Rejected: only BootNotification, after the retry interval",
}

Answered = ResultReceived | ErrorReceived | CallTimedOut

# once per station and action (issue 20)
REFUSALS_LOGGED = frozenset(
    {ErrorKind.NOT_IMPLEMENTED, ErrorKind.NOT_SUPPORTED, ErrorKind.SECURITY, ErrorKind.PROTOCOL}
)


@dataclass(frozen=True, slots=True)
class Incoming:
    """A station CALL waiting to be decided, with when it arrived."""

    call: CallReceived
    now: float


@dataclass(frozen=True, slots=True)
class Decided:
    """A station CALL decided: the answer to deliver, and what the handler stored on the way."""

    call: CallReceived
    response: Payload | None = None
    error: tuple[ErrorKind, str] | None = None
    stored: Span = field(default_factory=Span)  # the group commits holding what the handler stored
    registration: Registration | None = None  # a BootNotification's answer
    follow_ups: tuple[tuple[str, Payload], ...] = ()  # CALLs the handler wants sent after the answer
    elsewhere: tuple[tuple[str, str, Payload], ...] = ()  # … and to other stations (identity first)

    def failed(self, kind: ErrorKind, description: str) -> Decided:
        return replace(
            self, response=None, error=(kind, description), registration=None, follow_ups=(), elsewhere=()
        )


class CsmsConnection:
    def __init__(
        self,
        identity: str,
        version: OcppVersion,
        store: Store,
        *,
        heartbeat_interval: int = 300,
        validate_outgoing: bool = False,
        handlers: Mapping[str, Handler] | None = None,
        boot_policies: BootPolicies | None = None,
        notices: Notices | None = None,
        deferred: bool = False,
    ) -> None:
        self.identity = identity
        self.version = version
        self.store = store
        self.heartbeat_interval = heartbeat_interval
        self.rpc = RpcEndpoint(version, validate_incoming=True, validate_outgoing=validate_outgoing)
        self.notices = notices or Notices()
        self.station_id: int | None = None  # known once the station booted or was found in the store
        self.deferred = deferred
        self._calls: list[Incoming] = []
        self._handlers = HANDLERS[version] if handlers is None else handlers
        self.boot_policies = boot_policies or BootPolicies()
        self.registration = Registration.UNKNOWN
        self._permitted: set[str] = set()  # what a Pending station was asked to send (B02.FR.09)
        self._follow_ups: list[tuple[str, Payload]] = []
        self._elsewhere: list[tuple[str, str, Payload]] = []
        self._violations = SlidingWindow(VIOLATIONS_LOGGED, VIOLATION_WINDOW)
        self.violations_unlogged = 0  # malformed frames counted, not logged yet
        self.on_answer: Callable[[Answered], None] | None = None  # answers to our own CALLs

    @property
    def context(self) -> HandlerContext:
        """What a handler of this connection is given (each call gets its own copy, with its time)."""
        return HandlerContext(
            self.identity,
            self.version,
            self.store,
            self.heartbeat_interval,
            station_id=self.station_id,
            notices=self.notices,
        )

    def receive(self, text: str | bytes, now: float) -> None:
        """Take one frame from the station; answers, if any, wait in `data_to_send()`."""
        self._dispatch(self.rpc.receive(text, now), now)

    def send_call(self, action: str, payload: Payload, now: float, timeout: float = 30.0) -> OutgoingCall:
        """Queue a CSMS-initiated CALL (one outstanding at a time); its answer goes to `on_answer`."""
        permits = permitted_by(action, payload)
        if permits is not None:
            self._permitted.add(permits)
        call = self.rpc.send_call(action, payload, now)
        call.timeout = timeout
        return call

    def refusal(self, action: str) -> str | None:
        """Why the CSMS must not send `action` to this station now (Pending, Rejected); None if it may."""
        return csms_refusal(self.version, self.registration, action)

    def take_follow_ups(self) -> list[tuple[str, Payload]]:
        """CALLs the connection wants sent (the TriggerMessage after a Pending answer); each once."""
        calls, self._follow_ups = self._follow_ups, []
        return calls

    def take_elsewhere(self) -> list[tuple[str, str, Payload]]:
        """CALLs a handler wants sent to other stations, (identity, action, payload); each once."""
        calls, self._elsewhere = self._elsewhere, []
        return calls

    def tick(self, now: float) -> None:
        """Time out our outstanding CALL if its deadline passed."""
        self._dispatch(self.rpc.tick(now), now)

    def _dispatch(self, events: list[RpcEvent], now: float) -> None:
        for event in events:
            if isinstance(event, CallReceived):
                if self.deferred:
                    self._calls.append(Incoming(event, now))
                else:
                    self.deliver(self.decide(Incoming(event, now)))
            elif isinstance(event, SendReceived):
                log.debug("%s: SEND %s %s", self.identity, event.action, redact(repr(event.payload)))
            elif isinstance(event, CallRefused):
                self._log_refusal(event.action, event.kind, event.description)
            elif isinstance(event, PeerViolation):
                self._log_violation(event, now)
            elif self.on_answer is not None:
                self.on_answer(event)
            else:
                log.debug("%s: unexpected %s", self.identity, type(event).__name__)

    def _log_refusal(self, action: str, kind: ErrorKind, description: str) -> None:
        """Once per station, action and error code (`Notices`), at INFO: what goes unanswered."""
        code = error_code(self.version, kind)
        if self.notices.first(self.identity, action, code):
            log.info(
                "%s: %s refused with %s: %s (logged once per station and action)",
                self.identity,
                action,
                code,
                description,
            )

    def _log_violation(self, event: PeerViolation, now: float) -> None:
        if self._violations.retry_after(self.identity, now):
            self.violations_unlogged += 1
            return
        self._violations.hit(self.identity, now)
        unlogged, self.violations_unlogged = self.violations_unlogged, 0
        more = f" ({unlogged} more malformed frames were not logged)" if unlogged else ""
        log.warning("%s: %s%s", self.identity, redact(event.description), more)

    def data_to_send(self) -> list[str]:
        return self.rpc.data_to_send()

    def connection_lost(self) -> None:
        self.rpc.connection_lost()
        if self.violations_unlogged:
            log.warning(
                "%s: %d more malformed frames were not logged", self.identity, self.violations_unlogged
            )
            self.violations_unlogged = 0

    def take_calls(self) -> list[Incoming]:
        """The CALLs received and not decided yet (deferred connections), oldest first; each once."""
        calls, self._calls = self._calls, []
        return calls

    def decide(self, incoming: Incoming) -> Decided:
        """Check the station may send the CALL and run its handler (database work: may block)."""
        call = incoming.call
        handler = self._handlers.get(call.action)
        if handler is None:
            return Decided(call, error=(ErrorKind.NOT_SUPPORTED, f"{call.action} is not supported"))
        booting = call.action == BOOT
        # a BootNotification is answered from this connection's state alone: a new connection boots afresh
        state = self.registration if booting else self._current_state()
        if not station_may_send(state, call.action, frozenset(self._permitted)):
            return Decided(call, error=(ErrorKind.SECURITY, NOT_YET[state]))
        ctx = replace(self.context, now=datetime.fromtimestamp(incoming.now, UTC))
        registration = None
        if booting:
            policy = self.boot_policies.policy_for(self.identity)
            registration = answer_boot(policy, state)
            ctx = replace(ctx, boot=BootAnswer(registration, policy.retry_interval, BOOT in self._permitted))
        elif self.station_id is None:
            ctx = replace(ctx, station_id=self._find_station())
        with self.store.writer.tracking() as tracked:
            try:
                reply = handler(ctx, call.payload)
            except Exception as exc:
                log.exception("%s: %s failed", self.identity, call.action)
                description = redact(f"{call.action} failed: {type(exc).__name__}")
                return Decided(call, error=(ErrorKind.INTERNAL, description), stored=tracked.span)
        if booting:
            self._find_station()  # the boot registered it: its id for the next CALLs
        if isinstance(reply, Reply):
            return Decided(
                call,
                reply.payload,
                stored=tracked.span,
                registration=registration,
                follow_ups=reply.then,
                elsewhere=reply.elsewhere,
            )
        return Decided(call, reply, stored=tracked.span, registration=registration)

    def deliver(self, decided: Decided) -> None:
        """Put the answer on the wire (call from the transport's thread: the event loop)."""
        call = decided.call
        if decided.error is None and decided.response is not None:
            try:
                self.rpc.send_result(call.message_id, decided.response, call.action)
            except Exception as exc:  # the response breaks its own schema
                log.exception("%s: %s failed", self.identity, call.action)
                decided = decided.failed(
                    ErrorKind.INTERNAL, redact(f"{call.action} failed: {type(exc).__name__}")
                )
        if decided.error is not None:  # nothing follows a CALLERROR
            kind, description = decided.error
            self.rpc.send_error(call.message_id, kind, description)
            if kind in REFUSALS_LOGGED:
                self._log_refusal(call.action, kind, description)
            return
        if decided.registration is not None:
            self._registered_as(decided.registration)
        self._follow_ups.extend(decided.follow_ups)
        self._elsewhere.extend(decided.elsewhere)

    def _registered_as(self, answer: Registration) -> None:
        self.registration = answer
        self._permitted.clear()
        self.boot_policies.record(self.identity, answer)
        trigger = boot_trigger(self.boot_policies.policy_for(self.identity), answer)
        if trigger is not None:
            self._follow_ups.append((Action.TriggerMessage, trigger))

    @property
    def registered(self) -> bool:
        """Whether this connection's station is Accepted (booted, or known) and may send anything."""
        return self.registration is Registration.ACCEPTED

    def _find_station(self) -> int | None:
        self.station_id = self.store.find_station_id(self.identity)
        return self.station_id

    def _current_state(self) -> Registration:
        """A station that has not booted on this connection is Accepted if it booted (or was seeded)
        on an earlier one and was not last answered Pending or Rejected."""
        unknown = self.registration is Registration.UNKNOWN
        if unknown and not self.boot_policies.held_back(self.identity) and self._find_station() is not None:
            self.registration = Registration.ACCEPTED
        return self.registration
