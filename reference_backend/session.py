"""One OCPP-J connection of the CSMS, as an object without I/O.

Theory of operation: the transport feeds each received frame to `receive(text, now)` and sends
what `data_to_send()` hands back, in order. The `RpcEndpoint` answers malformed frames, unknown
actions (NotImplemented) and schema violations itself; a valid CALL goes to the version's handler
table. Answers that are CALLERRORs, and why:

- an action the version knows but this CSMS does not handle → NotSupported;
- anything but BootNotification from a station that never registered → SecurityError
  (OCPP-J 1.6 errata §3.8; 2.0.1 B02.FR.09 in spirit);
- a handler that raised, or a response that breaks its own schema → InternalError.

In every case the connection stays open.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from evharness.ocppj.errors import ErrorKind
from evharness.ocppj.frames import Payload
from evharness.ocppj.rpc import (
    CallReceived,
    CallTimedOut,
    ErrorReceived,
    OutgoingCall,
    PeerViolation,
    ResultReceived,
    RpcEndpoint,
    RpcEvent,
)
from evharness.ocppj.versions import OcppVersion
from evharness.redaction import redact
from reference_backend.handlers import HANDLERS, Handler, HandlerContext
from reference_backend.persistence import Store

log = logging.getLogger("reference_backend.session")

REGISTERS = "BootNotification"

Answered = ResultReceived | ErrorReceived | CallTimedOut


class CsmsSession:
    def __init__(
        self,
        identity: str,
        version: OcppVersion,
        store: Store,
        *,
        heartbeat_interval: int = 300,
        validate_outgoing: bool = False,
        handlers: Mapping[str, Handler] | None = None,
    ) -> None:
        self.identity = identity
        self.version = version
        self.rpc = RpcEndpoint(version, validate_incoming=True, validate_outgoing=validate_outgoing)
        self.context = HandlerContext(identity, version, store, heartbeat_interval)
        self._handlers = HANDLERS[version] if handlers is None else handlers
        self._registered = False
        self.on_answer: Callable[[Answered], None] | None = None  # answers to our own CALLs

    def receive(self, text: str | bytes, now: float) -> None:
        """Take one frame from the station; answers, if any, wait in `data_to_send()`."""
        self._dispatch(self.rpc.receive(text, now), now)

    def send_call(self, action: str, payload: Payload, now: float, timeout: float = 30.0) -> OutgoingCall:
        """Queue a CSMS-initiated CALL (one outstanding at a time); its answer goes to `on_answer`."""
        call = self.rpc.send_call(action, payload, now)
        call.timeout = timeout
        return call

    def tick(self, now: float) -> None:
        """Time out our outstanding CALL if its deadline passed."""
        self._dispatch(self.rpc.tick(now), now)

    def _dispatch(self, events: list[RpcEvent], now: float) -> None:
        for event in events:
            if isinstance(event, CallReceived):
                self._answer(event, now)
            elif isinstance(event, PeerViolation):
                log.warning("%s: %s", self.identity, redact(event.description))
            elif self.on_answer is not None:
                self.on_answer(event)
            else:
                log.debug("%s: unexpected %s", self.identity, type(event).__name__)

    def data_to_send(self) -> list[str]:
        return self.rpc.data_to_send()

    def connection_lost(self) -> None:
        self.rpc.connection_lost()

    def _answer(self, call: CallReceived, now: float) -> None:
        if not call.message_id:  # a 2.1 SEND: never answered, and nothing here wants one yet
            log.debug("%s: ignored SEND %s", self.identity, call.action)
            return
        handler = self._handlers.get(call.action)
        if handler is None:
            self.rpc.send_error(call.message_id, ErrorKind.NOT_SUPPORTED, f"{call.action} is not supported")
            return
        if call.action != REGISTERS and not self._is_registered():
            self.rpc.send_error(
                call.message_id, ErrorKind.SECURITY, "unknown station: send BootNotification first"
            )
            return
        self.context.now = datetime.fromtimestamp(now, UTC)
        try:
            response = handler(self.context, call.payload)
            self.rpc.send_result(call.message_id, response, call.action)
        except Exception as exc:
            log.exception("%s: %s failed", self.identity, call.action)
            self.rpc.send_error(
                call.message_id, ErrorKind.INTERNAL, redact(f"{call.action} failed: {type(exc).__name__}")
            )
            return
        if call.action == REGISTERS:
            self._registered = True

    @property
    def registered(self) -> bool:
        """Whether this connection's station has booted (or was known) and may send anything."""
        return self._registered

    def _is_registered(self) -> bool:
        """A station is known once it booted, or if it booted (or was seeded) on an earlier connection."""
        if not self._registered:
            self.context.station_id = self.context.store.find_station_id(self.identity)
            self._registered = self.context.station_id is not None
        return self._registered
