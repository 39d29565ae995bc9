"""A charging station as a state machine without I/O.

Theory of operation: the driver feeds what happened — a frame arrived (`receive`), the connection
came or went, the clock passed `next_deadline()` (`tick`), a person acted (`plug_in`,
`present_token`, `ev_draw`, `stop_transaction`, `unplug`) — always with `now` in simulated epoch
seconds. The station answers with frames (`data_to_send()`) and events (`events`). What the frames
say is the protocol adapter's job (`simulator.protocol`); this module keeps the state and the order.

Outgoing CALLs wait in the station's own queue and are handed to the RPC endpoint one at a time,
their payload built at that moment: a 1.6 StopTransaction queued while its StartTransaction is
still unanswered gets the transactionId the CSMS chose.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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
from simulator.core.events import (
    Booted,
    CallFailed,
    PeerViolated,
    RoundTrip,
    StationEvent,
)
from simulator.core.meter import NOMINAL_VOLTAGE, Meter
from simulator.core.model import (
    Connector,
    ConnectorState,
    Evse,
    PresentedToken,
    StationConfig,
)

if TYPE_CHECKING:
    from simulator.protocol.base import ProtocolAdapter

PayloadSource = Payload | Callable[[float], Payload]

# A maximum charging current (A) the CSMS may set: the reference backend's 1.6 key and 2.0.1 variable.
MAX_CURRENT_KEYS = ("MaxChargingCurrent", "ChargingStation.MaxChargingCurrent")


class CallRefused(Exception):
    """Raised by an adapter's CALL handler to answer with a CALLERROR instead of a result."""

    def __init__(self, kind: ErrorKind, description: str) -> None:
        super().__init__(description)
        self.kind = kind
        self.description = description


@dataclass(slots=True)
class QueuedCall:
    action: str
    payload: PayloadSource
    context: Any
    transactional: bool  # kept across disconnections (OCPP 1.6 §3.7, 2.0.1 E04)


class Station:
    def __init__(
        self,
        identity: str,
        adapter: ProtocolAdapter,
        config: StationConfig,
        now: float,
        *,
        validate_outgoing: bool = False,
    ) -> None:
        self.identity = identity
        self.adapter = adapter
        self.config = config
        self.rpc = RpcEndpoint(
            adapter.version, call_timeout=config.call_timeout_s, validate_outgoing=validate_outgoing
        )
        self.evses: dict[int, Evse] = {
            evse_id: Evse(
                evse_id,
                {c: Connector(c) for c in range(1, config.connectors_per_evse + 1)},
                config.max_power_w,
                Meter(updated_at=now),
            )
            for evse_id in range(1, config.evses + 1)
        }
        self.connected = False
        self.boot_status: str | None = None
        self.heartbeat_interval = 0.0
        self.next_heartbeat_at: float | None = None
        self.next_boot_at: float | None = None
        self.configuration: dict[str, str] = {}
        self.events: list[StationEvent] = []
        self.round_trips: list[RoundTrip] = []
        self._queue: deque[QueuedCall] = deque()
        self._in_flight: QueuedCall | None = None

    # -- the transport's side -------------------------------------------------------------------

    def connection_made(self, now: float) -> None:
        self.connected = True
        self._pump(now)

    def connection_lost(self, now: float) -> None:
        """Keep transaction messages for replay; drop the rest (a heartbeat is not worth replaying)."""
        self.connected = False
        self.rpc.connection_lost()
        if self._in_flight is not None:
            self._queue.appendleft(self._in_flight)
            self._in_flight = None
        self._queue = deque(call for call in self._queue if call.transactional)
        self.next_heartbeat_at = None

    def receive(self, text: str | bytes, now: float) -> None:
        self._handle(self.rpc.receive(text, now), now)

    def data_to_send(self) -> list[str]:
        return self.rpc.data_to_send()

    def next_deadline(self) -> float | None:
        deadlines = [self.rpc.next_deadline(), self.next_heartbeat_at, self.next_boot_at]
        for evse in self.evses.values():
            deadlines.append(evse.next_meter_value_at)
            deadlines.append(evse.meter.limit_reached_at())
        present = [d for d in deadlines if d is not None]
        return min(present) if present else None

    def tick(self, now: float) -> None:
        self._handle(self.rpc.tick(now), now)
        if self.next_boot_at is not None and now >= self.next_boot_at:
            self.next_boot_at = None
            self.adapter.boot(self, now)
        if self.next_heartbeat_at is not None and now >= self.next_heartbeat_at:
            self.next_heartbeat_at = now + self.heartbeat_interval
            if self.connected:
                self.adapter.heartbeat(self, now)
        for evse in self.evses.values():
            evse.meter.advance(now)
            if evse.next_meter_value_at is not None and now >= evse.next_meter_value_at:
                evse.next_meter_value_at = now + self.config.meter_interval_s
                self.adapter.meter_values(self, evse, now)

    # -- what a person (or a scenario) does -----------------------------------------------------

    def boot(self, now: float) -> None:
        self.adapter.boot(self, now)

    def plug_in(self, evse_id: int, connector_id: int, now: float) -> None:
        evse, connector = self._connector(evse_id, connector_id)
        if connector.plugged:
            return
        connector.plugged = True
        self.adapter.plug_in(self, evse, connector, now)

    def present_token(self, evse_id: int, token: PresentedToken, now: float) -> None:
        self.adapter.present_token(self, self._evse(evse_id), token, now)

    def ev_draw(self, evse_id: int, power_w: float, now: float, energy_limit_wh: float | None = None) -> None:
        """The EV draws `power_w` (capped by the EVSE) until the register reaches the limit.

        Only an authorized, running transaction energizes the EVSE: otherwise nothing flows.
        """
        evse = self._evse(evse_id)
        transaction = evse.transaction
        energized = transaction is not None and transaction.authorized and not transaction.ended
        evse.meter.draw(min(power_w, self.power_cap_w(evse_id)) if energized else 0.0, now, energy_limit_wh)

    def power_cap_w(self, evse_id: int) -> float:
        """The EVSE's power limit, lowered by a maximum current the CSMS configured (MAX_CURRENT_KEYS)."""
        evse = self._evse(evse_id)
        for key in MAX_CURRENT_KEYS:
            text = self.configuration.get(key)
            if text is not None and text.replace(".", "", 1).isdigit():
                return min(evse.max_power_w, float(text) * NOMINAL_VOLTAGE * evse.meter.phases)
        return evse.max_power_w

    def stop_transaction(self, evse_id: int, reason: str, now: float) -> None:
        evse = self._evse(evse_id)
        if evse.transaction is not None and not evse.transaction.ended:
            self.adapter.stop_transaction(self, evse, reason, now)

    def unplug(self, evse_id: int, connector_id: int, now: float) -> None:
        evse, connector = self._connector(evse_id, connector_id)
        if not connector.plugged:
            return
        connector.plugged = False
        self.adapter.unplug(self, evse, connector, now)

    # -- used by the adapters -------------------------------------------------------------------

    def send(
        self,
        action: str,
        payload: PayloadSource,
        now: float,
        *,
        context: Any = None,
        transactional: bool = False,
    ) -> None:
        self._queue.append(QueuedCall(action, payload, context, transactional))
        self._pump(now)

    def set_connector_state(
        self, evse: Evse, connector: Connector, state: ConnectorState, now: float
    ) -> None:
        previous = connector.state
        connector.state = state
        if previous is not state:
            self.adapter.connector_state_changed(self, evse, connector, previous, now)

    def start_metering(self, evse: Evse, now: float) -> None:
        evse.meter.advance(now)
        evse.next_meter_value_at = now + self.config.meter_interval_s

    def stop_metering(self, evse: Evse, now: float) -> None:
        evse.meter.draw(0.0, now)
        evse.next_meter_value_at = None

    def boot_answered(self, status: str, interval: float, now: float) -> None:
        self.boot_status = status
        self.events.append(Booted(status, now))
        if status == "Accepted":
            self.heartbeat_interval = interval if interval > 0 else 300.0
            self.next_heartbeat_at = now + self.heartbeat_interval
            self.adapter.after_boot(self, now)
        else:  # Pending / Rejected: ask again after the interval (B02.FR.01, B03.FR.01)
            self.next_boot_at = now + (interval if interval > 0 else self.config.retry_boot_after_s)

    @property
    def idle(self) -> bool:
        """Nothing queued and nothing waiting for an answer."""
        return not self._queue and self._in_flight is None

    # -- internals ------------------------------------------------------------------------------

    def _pump(self, now: float) -> None:
        if not self.connected or self._in_flight is not None or not self._queue:
            return
        queued = self._queue.popleft()
        payload = queued.payload(now) if callable(queued.payload) else queued.payload
        self._in_flight = queued
        self.rpc.send_call(queued.action, payload, now, context=queued)

    def _handle(self, rpc_events: list[RpcEvent], now: float) -> None:
        for event in rpc_events:
            match event:
                case CallReceived(message_id, action, payload):
                    self._answer(message_id, action, payload, now)
                case ResultReceived(call, payload, received_at):
                    self._finish(call, received_at, ok=True)
                    self.adapter.handle_result(self, call.action, _note(call), payload, now)
                case ErrorReceived(call, code, description, _, received_at):
                    self._finish(call, received_at, ok=False)
                    self.events.append(CallFailed(call.action, code, description, now))
                    self.adapter.handle_failure(self, call.action, _note(call), now)
                case CallTimedOut(call):
                    self._finish(call, now, ok=False)
                    self.events.append(CallFailed(call.action, "Timeout", "no answer in time", now))
                    self.adapter.handle_failure(self, call.action, _note(call), now)
                case PeerViolation(description, text):
                    self.events.append(PeerViolated(description, text, now))
        self._pump(now)

    def _finish(self, call: OutgoingCall, answered_at: float, ok: bool) -> None:
        self._in_flight = None
        sent_at = call.sent_at if call.sent_at is not None else answered_at
        self.round_trips.append(RoundTrip(call.action, sent_at, answered_at, ok))

    def _answer(self, message_id: str, action: str, payload: Payload, now: float) -> None:
        try:
            result = self.adapter.handle_call(self, action, payload, now)
        except CallRefused as refusal:
            self.rpc.send_error(message_id, refusal.kind, refusal.description)
            return
        self.rpc.send_result(message_id, result, action)

    def _evse(self, evse_id: int) -> Evse:
        try:
            return self.evses[evse_id]
        except KeyError:
            raise ValueError(f"{self.identity} has no EVSE {evse_id} (it has {len(self.evses)})") from None

    def _connector(self, evse_id: int, connector_id: int) -> tuple[Evse, Connector]:
        evse = self._evse(evse_id)
        try:
            return evse, evse.connectors[connector_id]
        except KeyError:
            raise ValueError(f"{self.identity} EVSE {evse_id} has no connector {connector_id}") from None


def _note(call: OutgoingCall) -> Any:
    """The adapter's own context of a call, kept on the QueuedCall the RPC endpoint carries."""
    queued = call.context
    assert isinstance(queued, QueuedCall)
    return queued.context
