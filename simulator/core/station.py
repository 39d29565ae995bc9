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

from evharness.idtokens import IdType
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
    SendReceived,
)
from evharness.redaction import redact
from simulator.core.charging_profiles import ProfileStore
from simulator.core.device_model import DeviceModel
from simulator.core.ev import EvState
from simulator.core.events import (
    Authorized,
    Booted,
    CallFailed,
    PeerViolated,
    RoundTrip,
    StationEvent,
)
from simulator.core.faults import FaultKind, Faults
from simulator.core.local_auth import AuthCache, LocalList, TokenInfo, decide_locally
from simulator.core.meter import Meter
from simulator.core.model import (
    Connector,
    ConnectorState,
    Evse,
    PresentedToken,
    StationConfig,
    Transaction,
)
from simulator.core.power import deliverable_power

if TYPE_CHECKING:
    from simulator.protocol.base import ProtocolAdapter

PayloadSource = Payload | Callable[[float], Payload]
MAX_CURRENT_VARIABLE = "ChargingStation.MaxChargingCurrent"  # the reference backend's setting
FRAME_LOG_SIZE = 64  # frames kept per station as evidence for failed expectations


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
    attempts: int = 0  # failed deliveries so far (E13, 1.6 TransactionMessageAttempts)
    restored: bool = False  # from a journal: left by an earlier run of the simulator
    not_before: float | None = None  # a retry waits MessageAttemptInterval × attempts


@dataclass(slots=True)
class HeldAnswer:
    """An answer to the CSMS held back by the delay_responses fault."""

    due: float
    message_id: str
    action: str
    result: Payload | None
    refusal: CallRefused | None
    follow_ups: list[Callable[[], None]]


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
                Meter(updated_at=now, phases=config.phases),
            )
            for evse_id in range(1, config.evses + 1)
        }
        self.device = DeviceModel(
            {
                "SampledDataCtrlr.TxUpdatedInterval": str(int(config.meter_interval_s)),
                **dict(config.variables),
            }
        )
        for name, value in (
            ("SecurityCtrlr.Identity", identity),
            ("ChargingStation.Model", config.model),
            ("ChargingStation.VendorName", config.vendor),
        ):
            self.device.put(name, value)
        self.device.fixed_16["NumberOfConnectors"] = str(config.evses)
        self.device.on_change = self._variable_changed
        self.local_list = LocalList(self.device.max_limit("LocalAuthListCtrlr.Entries"))
        self.auth_cache = AuthCache(self.device.max_limit("AuthCacheCtrlr.Storage"))  # bytes
        self.auth_cache.on_resize = lambda size: self.device.put("AuthCacheCtrlr.Storage", str(size))
        self.token_groups: dict[str, str | None] = {}  # code → group, from the CSMS's answers
        self.profiles = ProfileStore(
            max_stack_level=self.device.number("SmartChargingCtrlr.ProfileStackLevel")
        )
        self.faults = Faults()
        self.frame_log: deque[tuple[str, str, float]] = deque(maxlen=FRAME_LOG_SIZE)
        self.queue_revision = 0  # bumps whenever the transaction messages waiting change (for journals)
        self.restored_ids: dict[str, int] = {}  # 1.6 transactionIds learnt for journal-restored messages
        self.offline_since: float | None = None
        self.reboot_at: float | None = None
        self.reset_when_idle = False  # 2.0.1 Reset OnIdle while transactions run (B12.FR.01: Scheduled)
        self._now = now
        self._held: list[HeldAnswer] = []
        self._follow_ups: list[Callable[[], None]] = []
        self.connected = False
        self.boot_status: str | None = None
        self.heartbeat_interval = 0.0
        self.next_heartbeat_at: float | None = None
        self.next_boot_at: float | None = None
        self.events: list[StationEvent] = []
        self.round_trips: list[RoundTrip] = []
        self._queue: deque[QueuedCall] = deque()
        self._in_flight: QueuedCall | None = None

    # -- the transport's side -------------------------------------------------------------------

    def connection_made(self, now: float) -> None:
        """After an offline period longer than OfflineThreshold, report every connector again."""
        self.connected = True
        self.faults.drop_requested = False
        offline_for = None if self.offline_since is None else now - self.offline_since
        self.offline_since = None
        if (
            offline_for is not None
            and self.boot_status == "Accepted"
            and offline_for > self.device.number("OCPPCommCtrlr.OfflineThreshold")
        ):
            self.adapter.after_boot(self, now)
        if self.boot_status == "Accepted" and self.heartbeat_interval > 0:
            self.next_heartbeat_at = now + self.heartbeat_interval
        self._pump(now)

    def connection_lost(self, now: float) -> None:
        """Keep transaction messages for replay; drop the rest (a heartbeat is not worth replaying)."""
        self.connected = False
        self.offline_since = now if self.offline_since is None else self.offline_since
        self.rpc.connection_lost()
        self._held.clear()
        if self._in_flight is not None:
            self._queue.appendleft(self._in_flight)
            self._in_flight = None
        self._queue = deque(call for call in self._queue if call.transactional)
        self.next_heartbeat_at = None
        self.queue_revision += 1

    def receive(self, text: str | bytes, now: float) -> None:
        self._now = now
        shown = text if isinstance(text, str) else text.decode("utf-8", "replace")
        self.frame_log.append(("in", redact(shown), now))  # evidence for people: PINs masked
        self._handle(self.rpc.receive(text, now), now)

    def data_to_send(self) -> list[str]:
        out = self.rpc.data_to_send()
        for text in out:
            self.frame_log.append(("out", redact(text), self._now))
        return out

    def next_deadline(self) -> float | None:
        deadlines = [self.rpc.next_deadline(), self.next_heartbeat_at, self.next_boot_at, self.reboot_at]
        deadlines += [held.due for held in self._held]
        if self._queue and self._in_flight is None and self.connected:
            deadlines.append(self._queue[0].not_before)
        for evse in self.evses.values():
            deadlines.append(evse.next_meter_value_at)
            deadlines.append(evse.meter.limit_reached_at())
            deadlines.append(evse.next_power_review_at)
        present = [d for d in deadlines if d is not None]
        return min(present) if present else None

    def tick(self, now: float) -> None:
        self._now = now
        self._handle(self.rpc.tick(now), now)
        self._release_held(now)
        if self.reboot_at is not None and now >= self.reboot_at:
            self.reboot_at = None
            self._reboot(now)
        if self.next_boot_at is not None and now >= self.next_boot_at:
            self.next_boot_at = None
            self.adapter.boot(self, now)
        if self.next_heartbeat_at is not None and now >= self.next_heartbeat_at:
            self.next_heartbeat_at = now + self.heartbeat_interval
            # other traffic shows the station is alive (1.6 §4.6); never pile heartbeats up behind it
            if self.connected and self.idle:
                self.adapter.heartbeat(self, now)
        for evse in self.evses.values():
            evse.meter.advance(now)
            if evse.next_power_review_at is not None and now >= evse.next_power_review_at:
                self.apply_power(evse, now)
            if evse.next_meter_value_at is not None and now >= evse.next_meter_value_at:
                evse.next_meter_value_at = self._next_sample(now)
                self.adapter.meter_values(self, evse, now)
        self._pump(now)

    # -- what a person (or a scenario) does -----------------------------------------------------

    def boot(self, now: float) -> None:
        self.adapter.boot(self, now)

    def plug_in(self, evse_id: int, connector_id: int, now: float) -> None:
        evse, connector = self._connector(evse_id, connector_id)
        if connector.plugged:
            return
        connector.plugged = True
        if self.config.ev is not None:
            evse.meter.advance(now)
            evse.ev = EvState.plugged(self.config.ev, evse.meter.energy_wh)
        self.adapter.plug_in(self, evse, connector, now)

    def present_token(self, evse_id: int, token: PresentedToken, now: float) -> None:
        """Decide locally where the station may (C12 pre-authorize, C13/C15 offline), else ask the CSMS.

        During an authorized transaction a token is a request to stop it (E07): the transaction's own
        token stops it at once, without an Authorize (1.6 §4.1, C01.FR.25 says when two are equal);
        another token is authorized first and stops it only if it shares the group (C09.FR.03).
        """
        evse = self._evse(evse_id)
        running = evse.transaction
        if (
            running is not None
            and running.authorized
            and not running.ended
            and running.token is not None
            and same_token(token, running.token)
        ):
            self.events.append(Authorized(evse.id, token.code, "Accepted", now, "Transaction"))
            self.stop_by_token(evse, token, now)
            return
        decision = self.local_decision(token, now)
        if decision is None:
            self.adapter.present_token(self, evse, token, now)
        else:
            status, source = decision
            self.adapter.token_decided(self, evse, token, status, source, now)

    def ev_draw(self, evse_id: int, power_w: float, now: float, energy_limit_wh: float | None = None) -> None:
        """The EV asks for `power_w` until the register reaches the limit; `apply_power` decides
        what flows: only an authorized, running transaction energizes the EVSE."""
        evse = self._evse(evse_id)
        evse.ev_request_w = power_w
        evse.ev_limit_wh = energy_limit_wh
        self.apply_power(evse, now)

    def apply_power(self, evse: Evse, now: float) -> None:
        """Deliver what `simulator.core.power` allows now; look again at the next change."""
        power, review_at = deliverable_power(
            evse, self.config, self.profiles, now, self.configured_max_current_a()
        )
        limit = evse.ev_limit_wh
        transaction = evse.transaction
        if transaction is not None and not transaction.authorized and transaction.energy_cap_wh is not None:
            limit = transaction.energy_cap_wh if limit is None else min(limit, transaction.energy_cap_wh)
        evse.meter.draw(power, now, limit)
        evse.next_power_review_at = review_at

    def configured_max_current_a(self) -> float | None:
        """The maximum current the CSMS set (ChangeConfiguration MaxChargingCurrent / SetVariables
        ChargingStation.MaxChargingCurrent); None while it is 0, i.e. not set."""
        current = self.device.number(MAX_CURRENT_VARIABLE)
        return float(current) if current > 0 else None

    def power_cap_w(self, evse_id: int) -> float:
        """The most the EVSE can deliver now: its power, lowered by any maximum current."""
        evse = self._evse(evse_id)
        caps = [evse.max_power_w]
        for current in (self.config.max_current_a, self.configured_max_current_a()):
            if current is not None:
                caps.append(current * evse.meter.voltage_v * evse.meter.phases)
        return min(caps)

    def local_decision(self, token: PresentedToken, now: float) -> tuple[str, str] | None:
        """(status, source) when the station decides itself, None when it asks the CSMS."""
        return decide_locally(self.device, self.local_list, self.auth_cache, token.code, now, self.connected)

    def remember_token(self, token: PresentedToken, info: TokenInfo, now: float) -> None:
        """Cache the CSMS's answer (C10.FR.01/04, 1.6 §3.5.1), never for a token the local list
        decides (1.6 §3.5.3); a disabled list decides nothing, so its codes are cached like any
        other (the cache and the list are separate, C13/C14). The token's group is kept either way."""
        self.token_groups[token.code] = info.group
        listed = self.device.flag("LocalAuthListCtrlr.Enabled") and token.code in self.local_list.entries
        if self.device.flag("AuthCacheCtrlr.Enabled") and not listed:
            self.auth_cache.store(token.code, info, now)

    def local_list_changed(self) -> None:
        """The list's size as 2.0.1 reports it: Entries counts the entries, Storage their bytes."""
        self.device.put("LocalAuthListCtrlr.Entries", str(len(self.local_list.entries)))
        self.device.put("LocalAuthListCtrlr.Storage", str(self.local_list.size_bytes()))

    def group_of(self, code: str) -> str | None:
        """The token's group (groupIdToken / parentIdTag): the local list's, else the CSMS's last word."""
        listed = self.local_list.entries.get(code) if self.device.flag("LocalAuthListCtrlr.Enabled") else None
        return listed.group if listed is not None else self.token_groups.get(code)

    def may_stop(self, transaction: Transaction, token: PresentedToken) -> bool:
        """C09.FR.03 / 1.6 §3.10: the transaction's own token, or an accepted one of the same group."""
        if transaction.token is None or same_token(token, transaction.token):
            return transaction.token is not None
        group = self.group_of(token.code)
        return group is not None and group == self.group_of(transaction.token.code)

    def stop_by_token(self, evse: Evse, token: PresentedToken, now: float) -> None:
        """The driver ended the authorization: stop with reason Local, reporting `token` (E07.FR.02)."""
        transaction = evse.transaction
        if transaction is None or transaction.ended:
            return
        transaction.stop_token = token
        self.adapter.stop_transaction(self, evse, "Local", now)

    def token_from_wire(self, code: str, wire_type: str | None = None) -> PresentedToken:
        if wire_type is None:
            return PresentedToken(IdType.PIN if code.startswith("#") else IdType.RFID, code)
        return PresentedToken(IdType.PIN if wire_type == "KeyCode" else IdType.RFID, code)

    # -- faults (scenario steps and the control API) --------------------------------------------

    def inject_fault(self, kind: FaultKind | str, now: float, duration_s: float | None = None) -> None:
        raw = self.faults.inject(FaultKind(kind), now, duration_s)
        if raw is not None:
            self.rpc.send_raw(raw)

    def wants_connection(self, now: float) -> bool:
        """Whether the transport should be connected now (False while a go_offline fault lasts)."""
        return not self.faults.offline(now)

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
        if transactional:
            self.queue_revision += 1
        self._pump(now)

    def set_connector_state(
        self, evse: Evse, connector: Connector, state: ConnectorState, now: float
    ) -> None:
        previous = connector.state
        connector.state = state
        if previous is not state:
            self.adapter.connector_state_changed(self, evse, connector, previous, now)

    def after_answer(self, follow_up: Callable[[], None]) -> None:
        """Run `follow_up` once the answer to the CSMS's CALL being handled is on its way
        (a TriggerMessage's message, a remote start's Authorize, a reset's reboot)."""
        self._follow_ups.append(follow_up)

    def start_metering(self, evse: Evse, now: float) -> None:
        evse.meter.advance(now)
        evse.next_meter_value_at = self._next_sample(now)
        self.apply_power(evse, now)

    def stop_metering(self, evse: Evse, now: float) -> None:
        evse.meter.draw(0.0, now)
        evse.ev_request_w, evse.ev_limit_wh = 0.0, None
        evse.next_meter_value_at = None
        evse.next_power_review_at = None

    def deauthorize(self, evse: Evse, now: float) -> None:
        """The CSMS refused the token of a running transaction and StopTxOnInvalidId is false:
        energy flows on only up to MaxEnergyOnInvalidId from the start (1.6 §3.5.4, TxCtrlr)."""
        transaction = evse.transaction
        if transaction is None:
            return
        transaction.authorized = False
        allowance = self.device.number("TxCtrlr.MaxEnergyOnInvalidId")
        transaction.energy_cap_wh = transaction.meter_start_wh + allowance if allowance > 0 else None
        self.apply_power(evse, now)

    def transaction_ended(self, evse: Evse, now: float) -> None:
        """Housekeeping once a transaction ends: TxProfiles go (K01.FR.05), scheduled availability applies."""
        transaction = evse.transaction
        if transaction is not None:
            self.profiles.end_transaction(transaction.key)
        if self.reset_when_idle and all(e.transaction in (None, transaction) for e in self.evses.values()):
            self.reset_when_idle = False
            self.reset(now)
        if evse.availability_scheduled is not None:  # G03.FR.05: applied once the transaction ended
            operative, evse.availability_scheduled = evse.availability_scheduled, None
            self.set_operative(evse, operative, now)

    def set_operative(self, evse: Evse, operative: bool, now: float) -> None:
        evse.operative = operative
        for connector in evse.connectors.values():
            if not operative:
                self.set_connector_state(evse, connector, ConnectorState.UNAVAILABLE, now)
            elif connector.state is ConnectorState.UNAVAILABLE:
                state = ConnectorState.OCCUPIED if connector.plugged else ConnectorState.AVAILABLE
                self.set_connector_state(evse, connector, state, now)

    def reset(self, now: float) -> None:
        """Reboot at the next tick: transactions end, then BootNotification (B11/B12, 1.6 §5.14)."""
        self.reboot_at = now

    def boot_answered(self, status: str, interval: float, now: float) -> None:
        self.boot_status = status
        self.events.append(Booted(status, now))
        if status == "Accepted":
            self.heartbeat_interval = interval if interval > 0 else 300.0
            self.device.put("OCPPCommCtrlr.HeartbeatInterval", str(int(self.heartbeat_interval)))
            self.next_heartbeat_at = now + self.heartbeat_interval
            self.adapter.after_boot(self, now)
        else:  # Pending / Rejected: ask again after the interval (B02.FR.01, B03.FR.01)
            self.next_boot_at = now + (interval if interval > 0 else self.config.retry_boot_after_s)

    @property
    def idle(self) -> bool:
        """Nothing queued and nothing waiting for an answer."""
        return not self._queue and self._in_flight is None

    # -- internals ------------------------------------------------------------------------------

    @property
    def transactional_queue(self) -> list[QueuedCall]:
        """The transaction messages not yet answered, in flight first (what a journal keeps)."""
        head = [self._in_flight] if self._in_flight is not None and self._in_flight.transactional else []
        return head + [call for call in self._queue if call.transactional]

    def restore_queue(self, calls: list[QueuedCall]) -> None:
        """Put journal-restored transaction messages in front of anything queued since."""
        self._queue.extendleft(reversed(calls))
        self.queue_revision += 1

    def _variable_changed(self, name: str, value: str) -> None:
        if name == "OCPPCommCtrlr.HeartbeatInterval":
            self.heartbeat_interval = float(value)
            if self.next_heartbeat_at is not None:
                self.next_heartbeat_at = self._now + self.heartbeat_interval
        elif name == "SampledDataCtrlr.TxUpdatedInterval":
            for evse in self.evses.values():
                if evse.next_meter_value_at is not None:
                    evse.next_meter_value_at = self._next_sample(self._now)
        elif name == MAX_CURRENT_VARIABLE:
            for evse in self.evses.values():  # a lower limit applies at once, mid-session too
                self.apply_power(evse, self._now)

    def _next_sample(self, now: float) -> float | None:
        interval = self.device.number("SampledDataCtrlr.TxUpdatedInterval")
        return now + interval if interval > 0 else None

    def _reboot(self, now: float) -> None:
        for evse in self.evses.values():
            self.adapter.stop_transaction(self, evse, self.adapter.reset_reason, now)
        self.boot_status = None
        self.next_heartbeat_at = None
        self.adapter.boot(self, now)

    def _release_held(self, now: float) -> None:
        due = [held for held in self._held if held.due <= now]
        self._held = [held for held in self._held if held.due > now]
        for held in due:
            self._deliver(held.message_id, held.action, held.result, held.refusal)
            self._follow_ups.extend(held.follow_ups)
            self._run_follow_ups()

    def _run_follow_ups(self) -> None:
        follow_ups, self._follow_ups = self._follow_ups, []
        for follow_up in follow_ups:
            follow_up()

    def _pump(self, now: float) -> None:
        if not self.connected or self._in_flight is not None or not self._queue:
            return
        if self._queue[0].not_before is not None and now < self._queue[0].not_before:
            return
        if self._queue[0].restored and self.boot_status != "Accepted":
            # a restarted station owes these to the CSMS, but only once it is accepted (B02.FR.02)
            boot = next((c for c in self._queue if c.action == "BootNotification"), None)
            if boot is None:
                return
            self._queue.remove(boot)
            self._queue.appendleft(boot)
        queued = self._queue.popleft()
        payload = queued.payload(now) if callable(queued.payload) else queued.payload
        self._in_flight = queued
        self.rpc.send_call(queued.action, payload, now, context=queued)
        if queued.transactional:
            self.queue_revision += 1

    def _handle(self, rpc_events: list[RpcEvent], now: float) -> None:
        for event in rpc_events:
            match event:
                case CallReceived(message_id, action, payload):
                    self._answer(message_id, action, payload, now)
                case ResultReceived(call, payload, received_at):
                    self._finish(call, received_at, ok=True)
                    if not self._learn_restored(_note(call), payload):
                        self.adapter.handle_result(self, call.action, _note(call), payload, now)
                case ErrorReceived(call, code, description, _, received_at):
                    self._finish(call, received_at, ok=False)
                    self.events.append(CallFailed(call.action, code, description, now))
                    if not self._retry(call, now):
                        self.adapter.handle_failure(self, call.action, _note(call), now)
                case CallTimedOut(call):
                    self._finish(call, now, ok=False)
                    self.events.append(CallFailed(call.action, "Timeout", "no answer in time", now))
                    if not self._retry(call, now):
                        self.adapter.handle_failure(self, call.action, _note(call), now)
                case PeerViolation(description, text):
                    self.events.append(PeerViolated(description, text, now))
                case SendReceived():
                    pass  # a 2.1 SEND is never answered, and a CSMS has none to send a station
        self._pump(now)

    def _learn_restored(self, note: Any, payload: Payload) -> bool:
        from simulator.core.journal import learn

        return learn(self, note, payload)

    def _retry(self, call: OutgoingCall, now: float) -> bool:
        """E13.FR.01/02, 1.6 §4.10: a failed transaction message is sent again up to MessageAttempts
        times, waiting MessageAttemptInterval × the number of earlier attempts."""
        queued = call.context
        assert isinstance(queued, QueuedCall)
        if not queued.transactional:
            return False
        queued.attempts += 1
        if queued.attempts >= self.device.number("OCPPCommCtrlr.MessageAttempts[TransactionEvent]"):
            self.queue_revision += 1
            return False
        interval = self.device.number("OCPPCommCtrlr.MessageAttemptInterval[TransactionEvent]")
        queued.not_before = now + interval * queued.attempts
        self._queue.appendleft(queued)
        return True

    def _finish(self, call: OutgoingCall, answered_at: float, ok: bool) -> None:
        queued = call.context
        if isinstance(queued, QueuedCall) and queued.transactional:
            self.queue_revision += 1
        self._in_flight = None
        sent_at = call.sent_at if call.sent_at is not None else answered_at
        self.round_trips.append(RoundTrip(call.action, sent_at, answered_at, ok))

    def _answer(self, message_id: str, action: str, payload: Payload, now: float) -> None:
        """Answer a CSMS CALL, unless a fault says to stay silent or to answer late."""
        if self.faults.silent(now):
            return
        self._follow_ups = []
        result: Payload | None = None
        refusal: CallRefused | None = None
        try:
            result = self.adapter.handle_call(self, action, payload, now)
        except CallRefused as refused:
            refusal = refused
            self._follow_ups = []
        delay = self.faults.delay(now)
        if delay > 0:
            follow_ups, self._follow_ups = self._follow_ups, []
            self._held.append(HeldAnswer(now + delay, message_id, action, result, refusal, follow_ups))
            return
        self._deliver(message_id, action, result, refusal)
        self._run_follow_ups()

    def _deliver(
        self, message_id: str, action: str, result: Payload | None, refusal: CallRefused | None
    ) -> None:
        if refusal is not None:
            self.rpc.send_error(message_id, refusal.kind, refusal.description)
        else:
            assert result is not None
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


def same_token(a: PresentedToken, b: PresentedToken) -> bool:
    """C01.FR.25: equal value and type; the value is case-insensitive (CiString, IdTokenType)."""
    return a.id_type is b.id_type and a.code.casefold() == b.code.casefold()


def _note(call: OutgoingCall) -> Any:
    """The adapter's own context of a call, kept on the QueuedCall the RPC endpoint carries."""
    queued = call.context
    assert isinstance(queued, QueuedCall)
    return queued.context
