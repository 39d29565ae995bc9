"""A charging station as a state machine without I/O.

Theory of operation: the driver (`simulator.driver`) feeds what happened — a frame arrived
(`receive`), the connection came or went, the clock passed `next_deadline()` (`tick`), a person acted
(`plug_in`, `present_token`, `ev_draw`, `stop_transaction`, `unplug`) — always with `now` in simulated
epoch seconds. The station answers with frames (`data_to_send()`) and events (`events_received()`,
drained once by the driver; `events` keeps the history for people and tests).

The station composes small parts, each the only writer of its state: the charging lifecycle
(`lifecycle`, one transition table), the outgoing queue (`outbox`), availability, the local list,
tokens, charging profiles, the device model. Its codec (`simulator.protocol.v16` …, seen through
`simulator.core.codec.Codec`) only translates: notes into CALLs, CALLRESULTs into answers, the
CSMS's CALLs into the commands below (`StationView`) and their outcomes back into payloads.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import partial
from typing import Any, Literal

import orjson

from evharness.ocppj.errors import ErrorKind, kind_of
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
from evharness.ocppj.timefmt import restamp
from evharness.ocppj.vocabulary import Action, Status
from evharness.redaction import frame_for_people
from evharness.simulator.core import (
    availability,
    customers,
    external_limits,
    journal,
    local_list,
    resend,
    smart_charging,
)
from evharness.simulator.core.availability import AvailabilityStatus
from evharness.simulator.core.certificates import (
    Certificates,
    Choices,
    DeleteOutcome,
    InstallOutcome,
    SignedResult,
)
from evharness.simulator.core.charging_profiles import TX, ChargingProfile, ProfileStore, admissible
from evharness.simulator.core.codec import (
    CallRefused,
    Codec,
    RemoteStartResult,
    Trait,
    UnlockOutcome,
    VersionRules,
)
from evharness.simulator.core.cost import CostRecord, Costs
from evharness.simulator.core.data_transfer import TransferStatus, VendorTable
from evharness.simulator.core.device_model import DeviceModel
from evharness.simulator.core.display_messages import DisplayMessage, DisplayMessages, SetStatus
from evharness.simulator.core.ev import EvState
from evharness.simulator.core.ev_negotiation import EvSchedule, Negotiations, NegotiationState, Send, needs_of
from evharness.simulator.core.ev_negotiation import Request as NegotiationRequest
from evharness.simulator.core.events import (
    Authorized,
    Booted,
    CallFailed,
    CertificateAnswered,
    CostReceived,
    DataTransferred,
    EvNegotiated,
    LimitChanged,
    PeerViolated,
    ReservationChanged,
    RoundTrip,
    StationEvent,
    TransactionEnded,
)
from evharness.simulator.core.external_limits import ExternalLimit, Tell
from evharness.simulator.core.faults import FaultKind, Faults
from evharness.simulator.core.firmware import FirmwareHost, FirmwareUpdater, UpdateRequest, UpdateStatus
from evharness.simulator.core.lifecycle import Happening, Lifecycle, Occurrence, phase_of
from evharness.simulator.core.local_auth import AuthCache, LocalList, TokenInfo
from evharness.simulator.core.local_list import ListOutcome, ListUpdateRequest
from evharness.simulator.core.logs import LogAnswer, LogHost, LogRequest, LogUploader
from evharness.simulator.core.meter import Meter
from evharness.simulator.core.model import (
    Connector,
    ConnectorState,
    Evse,
    Own,
    PresentedToken,
    StationConfig,
    StopReason,
    Transaction,
    Use,
)
from evharness.simulator.core.monitoring import ClearResult, Monitoring, MonitorRequest, SetResult
from evharness.simulator.core.notes import (
    AuthorizeNote,
    BootAnswer,
    BootNote,
    BootReason,
    CertificateAnswer,
    CertificateStatusNote,
    ChargingLimitNote,
    ChargingProfilesNote,
    ClearedLimitNote,
    CustomerDataNote,
    DataTransferAnswer,
    DataTransferNote,
    DisplayMessagesNote,
    EvCertificateNote,
    EvNeedsNote,
    EvScheduleNote,
    FirmwareStatusNote,
    HeartbeatNote,
    LogStatusNote,
    Note,
    ReservationNote,
    RestoredNote,
    SecurityEvent,
    SecurityEventNote,
    SignCertificateNote,
    StatusAnswer,
    StatusNote,
    TokenAnswer,
    TransactionNote,
    TxMoment,
)
from evharness.simulator.core.outbox import Outbox, QueuedCall
from evharness.simulator.core.power import deliverable_power, share
from evharness.simulator.core.publishing import PublishAnswer, Publisher, PublishRequest, UnpublishAnswer
from evharness.simulator.core.reservations import ENDS, End, Reservation, Reservations, ReserveStatus
from evharness.simulator.core.smart_charging import Criteria, ReportStatus
from evharness.simulator.core.tokens import TokenMemory, same_token
from evharness.simulator.core.transfers import TransferResult, Transfers
from evharness.simulator.core.triggers import Trigger
from evharness.x509 import HashData

MAX_CURRENT_VARIABLE = "ChargingStation.MaxChargingCurrent"  # the reference backend's setting
FRAME_LOG_SIZE = 64  # frames kept per station as evidence for failed expectations
SECURITY_COMPONENT = "SecurityCtrlr."  # a change of its variables is a security event (A04)

__all__ = ["MAX_CURRENT_VARIABLE", "CallRefused", "QueuedCall", "Station", "same_token"]


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
        adapter: Codec,
        config: StationConfig,
        now: float,
        *,
        validate_outgoing: bool = False,
    ) -> None:
        self.identity = identity
        self.adapter = adapter  # this station's codec (the OCPP version it speaks)
        # None: timestamps show simulated time; else the moment they show (Clock.wall_of: the wall clock's)
        self.stamp_time: Callable[[float], float] | None = None
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
        self.tokens = TokenMemory(self.device, self.local_list, self.auth_cache)
        self.profiles = ProfileStore(
            max_stack_level=self.device.number("SmartChargingCtrlr.ProfileStackLevel"),
            max_entries=self.device.number("SmartChargingCtrlr.Entries"),
            max_periods=self.device.number("SmartChargingCtrlr.PeriodsPerSchedule"),
        )
        self.certificates = Certificates(
            identity,
            self.device.values["SecurityCtrlr.OrganizationName"],
            self.device.max_limit("SecurityCtrlr.CertificateEntries"),
        )
        self.reservations = Reservations()
        self.negotiations = Negotiations()  # ISO 15118 EVs' needs and schedules (K15–K17)
        probe = EvScheduleNote(EvSchedule(0, now, ()))
        self.speaks_15118 = adapter.action_of(probe) is not None  # 1.6 has no such messages
        self.display = DisplayMessages(self.device)
        self.vendors = VendorTable(config.data_transfer)
        self.costs = Costs(self.device)
        self.faults = Faults()
        self.outbox = Outbox()
        self.lifecycle = Lifecycle(self)
        self.transfers = Transfers()  # downloads and uploads the transport carries out
        self.firmware = FirmwareUpdater(
            FirmwareHost(
                send=self.send,
                after_answer=self.after_answer,
                security_event=self.security_event,
                reboot=self._reboot_soon,
                installed=self._firmware_installed,
                transactions_running=self._transactions_running,
                hold_new_sessions=self._hold_for_firmware,
            ),
            self.transfers,
            config.firmware,
        )
        self.publisher = Publisher(identity, self.send, self.after_answer, self.transfers, config.firmware)
        self.logs = LogUploader(
            LogHost(identity, self.send, self.after_answer, self._log_content), self.transfers, config.logs
        )
        self.customers = config.customers  # N09: what it keeps by customer identifier / certificate
        self.monitoring = Monitoring(self.send, self.device.values.get, self._known_component)
        self._held_for_firmware: set[int] = set()  # EVSEs made Unavailable until the update (L01.FR.07)
        self.frame_log: deque[tuple[str, str, float]] = deque(maxlen=FRAME_LOG_SIZE)
        self.restored_ids: dict[str, int] = {}  # 1.6 transactionIds learnt for journal-restored messages
        self.restored_transactions: dict[str, Transaction] = {}  # ran when an earlier run lost power
        self.power_lost: list[int] = []  # EVSEs whose restored transaction ends once the boot is accepted
        self.offline_since: float | None = None
        self.reboot_at: float | None = None
        self.reset_reason: str = adapter.rules.default_reset_reason
        self.reset_pending = False  # 2.0.1 Reset OnIdle while transactions run (B12.FR.01: Scheduled)
        self.reset_reported = True  # False between a CSMS Reset and the boot after it
        self.startup_reported = False  # StartupOfTheDevice once the first boot is accepted (A04)
        self._now = now
        self._held: list[HeldAnswer] = []
        self._follow_ups: list[Callable[[], None]] = []
        self._answering = False  # a CSMS's CALL is being handled: what it causes waits for the answer
        self.connected = False
        self.boot_status: str | None = None
        self.heartbeat_interval = 0.0
        self.next_heartbeat_at: float | None = None
        self.next_boot_at: float | None = None
        self.keep_history = True  # False: `events` and `round_trips` stay empty (long load runs)
        self.events: list[StationEvent] = []  # the history, for people and tests
        self.round_trips: list[RoundTrip] = []
        self._fresh_events: list[StationEvent] = []
        self._active = False  # anything happened yet (a later boot with no status is after a reset)
        self._fresh_trips: list[RoundTrip] = []

    @property
    def version(self) -> str:
        return self.adapter.version.value

    @property
    def rules(self) -> VersionRules:
        return self.adapter.rules

    # -- the driver's side ----------------------------------------------------------------------

    def connection_made(self, now: float) -> None:
        """After an offline period longer than OfflineThreshold, report every connector again."""
        self.connected = True
        self.faults.drop_requested = False
        offline_for = None if self.offline_since is None else now - self.offline_since
        self.offline_since = None
        if (
            offline_for is not None
            and self.boot_status == Status.ACCEPTED
            and offline_for > self.device.number("OCPPCommCtrlr.OfflineThreshold")
        ):
            self._report_connectors(now)
        if self.boot_status == Status.ACCEPTED and self.heartbeat_interval > 0:
            self.next_heartbeat_at = now + self.heartbeat_interval
        self._pump(now)

    def connection_lost(self, now: float) -> None:
        """Keep transaction messages for replay; drop the rest (a heartbeat is not worth replaying)."""
        self.connected = False
        self.offline_since = now if self.offline_since is None else self.offline_since
        self.rpc.connection_lost()
        self._held.clear()
        self.outbox.connection_lost()
        self.certificates.connection_lost()
        self.next_heartbeat_at = None

    def receive(self, text: str | bytes, now: float) -> None:
        self._now = now
        shown = text if isinstance(text, str) else text.decode("utf-8", "replace")
        self.frame_log.append(("in", frame_for_people("in", shown), now))  # the CSMS's secrets masked
        self._handle(self.rpc.receive(text, now), now)

    def data_to_send(self) -> list[str]:
        out = self.rpc.data_to_send()
        for text in out:
            self.frame_log.append(("out", frame_for_people("out", text), self._now))  # the tester's own
        return out

    def events_received(self) -> list[StationEvent]:
        """What happened since the last call (drained: each event is handed out once)."""
        fresh, self._fresh_events = self._fresh_events, []
        return fresh

    def round_trips_received(self) -> list[RoundTrip]:
        """The CALLs of ours answered or failed since the last call (drained)."""
        fresh, self._fresh_trips = self._fresh_trips, []
        return fresh

    def forget_history(self) -> None:
        """Drop `events` and `round_trips` (between scenarios, so long runs stay bounded)."""
        self.events.clear()
        self.round_trips.clear()

    def next_deadline(self) -> float | None:
        deadlines = [self.rpc.next_deadline(), self.next_heartbeat_at, self.next_boot_at, self.reboot_at]
        deadlines.append(self.firmware.deadline())
        deadlines.append(self.publisher.deadline())
        deadlines.append(self.logs.deadline())
        deadlines.append(self.monitoring.deadline())
        deadlines.append(self.certificates.deadline())
        deadlines.append(self.reservations.deadline())
        deadlines.append(external_limits.deadline(self.profiles))
        deadlines += [held.due for held in self._held]
        if self.connected:
            deadlines.append(self.outbox.deadline())
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
            self.boot(now)
        self.firmware.tick(now)
        self.publisher.tick(now)
        self.logs.tick(now)
        self.monitoring.tick(now)
        if self.next_heartbeat_at is not None and now >= self.next_heartbeat_at:
            self.next_heartbeat_at = now + self.heartbeat_interval
            # other traffic shows the station is alive (1.6 §4.6); never pile heartbeats up behind it
            if self.connected and self.idle:
                self.send(HeartbeatNote(), now)
        if self.boot_status == Status.ACCEPTED:
            repeat = self.device.number("SecurityCtrlr.CertSigningRepeatTimes")
            for own, csr in self.certificates.due(now, repeat):
                self.send(SignCertificateNote(own, csr), now)
        for reservation in self.reservations.expire(now):
            self._reservation_ended(reservation, End.EXPIRED, now)
        for ended in external_limits.expire(self.profiles, now):
            self.send(ClearedLimitNote(ended.evse_id, ended.source), now)
            self._limits_changed(ended.evse_id, now)
            self._limit_changed(ended.evse_id, "external_released", now)
        for evse in self.evses.values():
            evse.meter.advance(now)
            if evse.next_power_review_at is not None and now >= evse.next_power_review_at:
                self.apply_power(evse, now)
            if evse.next_meter_value_at is not None and now >= evse.next_meter_value_at:
                # sampled on a clock: a sample due while the last is still on its way is skipped
                # (connected; offline, every sample is kept for the replay). Issue 13.
                evse.next_meter_value_at = self.lifecycle.next_sample(now)
                if not (self.connected and self.outbox.sampling(evse.id)):
                    self.lifecycle.handle(evse, Occurrence(Happening.METER_DUE), now)
        self._pump(now)

    # -- what a person (or a scenario) does -----------------------------------------------------

    def boot(self, now: float) -> None:
        rebooted = self._active and self.boot_status is None
        reason = BootReason.REMOTE_RESET if rebooted else BootReason.POWER_UP
        self.send(BootNote(BootReason.FIRMWARE_UPDATE if self.firmware.rebooting else reason), now)

    def transfer_finished(self, result: TransferResult, now: float) -> None:
        """The transport carried out a transfer the station asked for (`core.transfers`)."""
        self._now = now
        self.transfers.finished(result, now)
        self._pump(now)

    def plug_in(self, evse_id: int, connector_id: int, now: float) -> None:
        evse, connector = self._connector(evse_id, connector_id)
        if connector.plugged:
            return
        if evse.authorized_until is not None and now > evse.authorized_until:
            evse.authorized_token = None  # E03.FR.05 / 1.6 ConnectionTimeOut: the authorization lapsed
        phase = phase_of(evse)
        connector.plugged = True
        if self.config.ev is not None:
            evse.meter.advance(now)
            evse.ev = EvState.plugged(self.config.ev, evse.meter.energy_wh, now)
        self.set_connector_state(evse, connector, ConnectorState.OCCUPIED, now)
        self.lifecycle.handle(evse, Occurrence(Happening.PLUG, connector_id=connector.id), now, phase=phase)

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
            self.emit(Authorized(evse.id, token.code, Status.ACCEPTED, now, "Transaction"))
            self.lifecycle.handle(evse, Occurrence(Happening.STOP_TOKEN, token), now)
            return
        decision = self.tokens.decide(token, now, self.connected)
        if decision is None:
            self.send(AuthorizeNote(evse.id, token), now)
        else:
            status, source = decision
            self._token_decided(evse, token, status, source, now)

    def ev_draw(self, evse_id: int, power_w: float, now: float, energy_limit_wh: float | None = None) -> None:
        """The EV asks for `power_w` until the register reaches the limit; `apply_power` decides
        what flows: only an authorized, running transaction energizes the EVSE."""
        evse = self._evse(evse_id)
        evse.ev_request_w = power_w
        evse.ev_limit_wh = energy_limit_wh
        self.apply_power(evse, now)

    def stop_transaction(self, evse_id: int, reason: str, now: float) -> None:
        evse = self._evse(evse_id)
        if evse.transaction is not None and not evse.transaction.ended:
            self.lifecycle.handle(evse, Occurrence(Happening.STOP, reason=reason), now)

    def unplug(self, evse_id: int, connector_id: int, now: float) -> None:
        evse, connector = self._connector(evse_id, connector_id)
        if not connector.plugged:
            return
        connector.plugged = False
        self.lifecycle.handle(evse, Occurrence(Happening.UNPLUG, reason=StopReason.EV_DISCONNECTED), now)
        evse.ev = None
        if connector.state is not ConnectorState.UNAVAILABLE:
            self.set_connector_state(evse, connector, ConnectorState.AVAILABLE, now)
        self._show_reservations(now)

    def inject_fault(self, kind: FaultKind | str, now: float, duration_s: float | None = None) -> None:
        raw = self.faults.inject(FaultKind(kind), now, duration_s)
        if raw is not None:
            self.rpc.send_raw(raw)

    def wants_connection(self, now: float) -> bool:
        """Whether the transport should be connected now (False while a go_offline fault lasts)."""
        return not self.faults.offline(now)

    # -- power ----------------------------------------------------------------------------------

    def apply_power(self, evse: Evse, now: float) -> None:
        """Deliver what `simulator.core.power` allows now; look again at the next change. A limit
        of the whole station is shared by every EVSE (`power.share`)."""
        station_limit = self.profiles.station_limit_w(now) if len(self.evses) > 1 else None
        current = self.configured_max_current_a()
        if station_limit is None:
            power, review_at = deliverable_power(evse, self.config, self.profiles, now, current)
            self._deliver_power(evse, power, review_at, now)
            return
        wanted = {
            e.id: deliverable_power(e, self.config, self.profiles, now, current, station_wide=False)
            for e in self.evses.values()
        }
        given = share(station_limit, {evse_id: power for evse_id, (power, _) in wanted.items()})
        for each in self.evses.values():
            self._deliver_power(each, given[each.id], wanted[each.id][1], now)

    def _deliver_power(self, evse: Evse, power: float, review_at: float | None, now: float) -> None:
        limit = evse.ev_limit_wh
        transaction = evse.transaction
        if transaction is not None and not transaction.authorized and transaction.energy_cap_wh is not None:
            limit = transaction.energy_cap_wh if limit is None else min(limit, transaction.energy_cap_wh)
        evse.meter.draw(power, now, limit)
        evse.next_power_review_at = review_at
        if (
            evse.ev is not None
            and evse.ev.spec.iso15118
            and self.speaks_15118
            and transaction is not None
            and transaction.authorized
            and not transaction.ended
            and self.negotiations.state(evse.id) is NegotiationState.IDLE
        ):
            self._negotiate(evse, NegotiationRequest.START, now)  # K15: the EV may draw: its needs

    def ev_renegotiate(
        self, evse_id: int, now: float, energy_kwh: float | None = None, departure_s: float | None = None
    ) -> None:
        """The ISO 15118 EV has new needs (K17): NotifyEVChargingNeeds again; `departure_s` counts
        from the plug-in. ValueError when no ISO 15118 EV charges there."""
        evse = self._evse(evse_id)
        ev = evse.ev
        if ev is None or not ev.spec.iso15118 or evse.transaction is None:
            raise ValueError(f"{self.identity} EVSE {evse_id}: no ISO 15118 EV in a transaction")
        ev.spec = replace(
            ev.spec,
            energy_kwh=ev.spec.energy_kwh if energy_kwh is None else energy_kwh,
            departure_s=ev.spec.departure_s if departure_s is None else departure_s,
        )
        self._negotiate(evse, NegotiationRequest.RENEGOTIATE, now)

    def _negotiate(self, evse: Evse, request: NegotiationRequest, now: float) -> None:
        """One step of `simulator.core.ev_negotiation` for the EV at `evse`, and what it sends."""
        ev = evse.ev
        send = self.negotiations.handle(evse.id, request)
        if ev is None or send is Send.NOTHING:
            return
        if send is Send.NEEDS:
            needs = needs_of(evse.id, ev, evse.meter.phases)
            self.negotiations.needs[evse.id] = needs
            self.send(EvNeedsNote(needs), now)
            return
        departure = self.negotiations.needs.get(evse.id)
        horizon = 86_400.0
        if departure is not None and departure.departure_at is not None:
            horizon = max(60.0, departure.departure_at - now)
        offered = self.composite_schedule(evse.id, horizon, now) or [(0.0, evse.max_power_w)]
        self.send(EvScheduleNote(self.negotiations.choose_schedule(evse.id, ev, offered, now)), now)
        self._limit_changed(evse.id, "ev_schedule", now)

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

    # -- tokens ---------------------------------------------------------------------------------

    def local_decision(self, token: PresentedToken, now: float) -> tuple[str, str] | None:
        """(status, source) when the station decides itself, None when it asks the CSMS."""
        return self.tokens.decide(token, now, self.connected)

    def remember_token(self, token: PresentedToken, info: TokenInfo, now: float) -> None:
        self.tokens.remember(token, info, now)

    def local_list_changed(self) -> None:
        local_list.sync_device(self.device, self.local_list)

    def _token_decided(self, evse: Evse, token: PresentedToken, status: str, source: str, now: float) -> None:
        """A token's status is known (from the CSMS, or locally): record it, then charge if Accepted."""
        self.emit(Authorized(evse.id, token.code, status, now, source))
        if status != Status.ACCEPTED:
            return
        running = evse.transaction
        if running is not None and running.authorized and not running.ended:
            if self.tokens.may_stop(running, token):  # E07 / C09.FR.03: a token of the same group
                self.lifecycle.handle(evse, Occurrence(Happening.STOP_TOKEN, token), now)
            return
        if self.reservations.held and not self._claim_reservation(evse, token, now):
            return
        happening = Happening.ACCEPTED if source == Action.Authorize else Happening.ACCEPTED_LOCALLY
        self.lifecycle.handle(evse, Occurrence(happening, token), now)

    # -- the lifecycle's host -------------------------------------------------------------------

    def send(self, note: Note, now: float) -> None:
        """Queue the CALL `note` becomes in this version (if any); it goes out in its turn. While a
        CSMS's CALL is being handled, what it causes waits for the answer: the answer first, then
        its consequences (one rule for every handler; OCPP-J: a CALL is answered before anything
        it caused, as a CSMS may refuse a CALL of ours while its own is unanswered)."""
        outgoing = self.adapter.action_of(note)
        if outgoing is None:
            return
        queued = QueuedCall(outgoing.action, note, outgoing.transactional)
        if self._answering:
            self._follow_ups.append(partial(self._queue, queued, now))
        else:
            self._queue(queued, now)

    def _queue(self, queued: QueuedCall, now: float) -> None:
        self.outbox.put(queued)
        self._pump(now)

    def emit(self, event: StationEvent) -> None:
        self._active = True
        if self.keep_history:
            self.events.append(event)
        self._fresh_events.append(event)

    def set_connector_state(
        self, evse: Evse, connector: Connector, state: ConnectorState, now: float
    ) -> None:
        """Available shows as Reserved on a reserved EVSE; a faulted or unavailable EVSE loses its
        reservation (2.0.1 ReservationStatusUpdate Removed)."""
        if state is ConnectorState.AVAILABLE and evse.id in self.reserved_evses():
            state = ConnectorState.RESERVED
        previous = connector.state
        connector.state = state
        if previous is not state:
            self.send(StatusNote(evse.id, connector.id, state, now, previous), now)
        if state in (ConnectorState.FAULTED, ConnectorState.UNAVAILABLE) and self.reservations.held:
            for reservation in self.reservations.evse_faulted(evse.id):
                self._reservation_ended(reservation, End.FAULTED, now)

    def transaction_ended(self, evse: Evse, transaction: Transaction, now: float) -> None:
        """Housekeeping once a transaction ends: TxProfiles go (K01.FR.05), a waiting reset or
        availability change applies (B12.FR.01, G03.FR.05)."""
        self.profiles.end_transaction(evse.id, transaction.key)
        self.negotiations.handle(evse.id, NegotiationRequest.END)
        if len(self.evses) > 1 and self.profiles.station_limit_w(now) is not None:
            self._reapply_profiles(now)  # what it drew of the station's limit goes to the others
        if self.display.held:
            self.display.transaction_ended(transaction.local_id)
        if self.reset_pending and all(e.transaction in (None, transaction) for e in self.evses.values()):
            self.reset_pending = False
            self.reset(now)
        availability.transaction_ended(evse, now, self.set_connector_state)
        self.firmware.transactions_ended(now)

    # -- commands a codec gives on the CSMS's behalf (`simulator.core.codec.StationView`) -------

    def after_answer(self, follow_up: Callable[[], None]) -> None:
        """Run `follow_up` once the answer to the CSMS's CALL being handled is on its way
        (a TriggerMessage's message, a remote start's Authorize, a reset's reboot)."""
        self._follow_ups.append(follow_up)

    def reset(self, now: float, reason: str | None = None) -> Literal["Accepted"]:
        """Reboot at the next tick: transactions end, then BootNotification (B11/B12, 1.6 §5.14)."""
        self.reset_reason = reason or self.rules.default_reset_reason
        self.reboot_at = now
        self.reset_reported = False  # ResetOrReboot once booted again (A04)
        return Status.ACCEPTED

    def _reboot_soon(self, now: float) -> None:
        self.reset(now)

    def reset_when_idle(self, now: float) -> Literal["Accepted", "Scheduled"]:
        """2.0.1 OnIdle: reboot once no transaction runs (Scheduled while one does, B12.FR.01)."""
        if any(evse.transaction is not None for evse in self.evses.values()):
            self.reset_pending = True
            return Status.SCHEDULED
        return self.reset(now)

    def remote_start(
        self,
        evse_id: int | None,
        token: PresentedToken,
        profile: ChargingProfile | None,
        now: float,
        *,
        remote_start_id: int | None = None,
        open_transactions: bool = False,
    ) -> RemoteStartResult:
        """1.6 §5.11, F01: Rejected without a free, operative EVSE (`open_transactions`: one whose
        transaction, opened at plug-in, is not yet authorized also serves); the token then goes the
        way of a presented one — authorized first when AuthorizeRemoteStart is true (F01.FR.01/02)."""
        evse = self._evse_for_start(evse_id, open_transactions)
        if evse is None or (profile is not None and not self.profiles.well_formed(profile)):
            return RemoteStartResult(Status.REJECTED)
        if profile is not None:  # K05: for the transaction about to start (or the one open there)
            bound = evse.transaction.key if evse.transaction is not None else None
            self.profiles.install(replace(profile, evse_id=evse.id, transaction_id=bound))
        if remote_start_id is not None:
            evse.remote_start_id = remote_start_id
        if self.device.flag("AuthCtrlr.AuthorizeRemoteStart"):
            self.after_answer(lambda: self.present_token(evse.id, token, now))
        else:
            self.after_answer(lambda: self._token_decided(evse, token, Status.ACCEPTED, "Remote", now))
        open_id = evse.transaction.local_id if evse.transaction is not None else None
        return RemoteStartResult(Status.ACCEPTED, open_id)

    def remote_stop(self, transaction_key: str, now: float) -> Literal["Accepted", "Rejected"]:
        for evse in self.evses.values():
            transaction = evse.transaction
            if transaction is not None and transaction.key == transaction_key:
                self.after_answer(partial(self.stop_transaction, evse.id, StopReason.REMOTE, now))
                return Status.ACCEPTED
        return Status.REJECTED

    def stop_and_unlock(self, evse_id: int, now: float) -> Literal["Unlocked", "UnknownConnector"]:
        """1.6 §5.18: a running transaction is stopped with reason UnlockCommand, then unlocked."""
        evse = self.evses.get(evse_id)
        if evse is None:
            return "UnknownConnector"
        self.stop_transaction(evse_id, StopReason.UNLOCK_COMMAND, now)
        return "Unlocked"

    def unlock_unless_charging(self, evse_id: int, connector_id: int) -> UnlockOutcome:
        """F05.FR.02: never unlock under an authorized transaction; F05.FR.04 unknown connector."""
        evse = self.evses.get(evse_id)
        if evse is None or connector_id not in evse.connectors:
            return "UnknownConnector"
        if evse.transaction is not None and evse.transaction.authorized:
            return "OngoingAuthorizedTransaction"
        return "Unlocked"

    def change_availability(
        self, evse_id: int | None, connector_id: int | None, operative: bool, now: float
    ) -> AvailabilityStatus:
        """All EVSEs (`evse_id` None), or one that has the connector; `simulator.core.availability`."""
        if evse_id is None:
            targets = list(self.evses.values())
        elif evse_id in self.evses and (
            connector_id is None or connector_id in self.evses[evse_id].connectors
        ):
            targets = [self.evses[evse_id]]
        else:
            return Status.REJECTED
        return availability.change(targets, operative, now, self.set_connector_state)

    def update_firmware(self, request: UpdateRequest, now: float) -> UpdateStatus:
        """L01, 1.6 §5.19 and SignedUpdateFirmware: `simulator.core.firmware`."""
        return self.firmware.update(request, now)

    def publish_firmware(self, request: PublishRequest, now: float) -> PublishAnswer:
        """L05: the station as a local controller, `simulator.core.publishing`."""
        return self.publisher.publish(request, now)

    def unpublish_firmware(self, checksum: str) -> UnpublishAnswer:
        return self.publisher.unpublish(checksum)

    def observe(self, name: str, value: str, now: float) -> None:
        """The tester sets a variable ("Component.Variable") as the station measured it: its monitors
        may raise an event (N07, e.g. a temperature over a threshold)."""
        if name not in self.device.values:
            raise ValueError(f"{self.identity} has no variable {name!r}")
        self._now = now
        self.device.put(name, value)
        self.monitoring.observed(name, now)
        self._pump(now)

    def set_monitor(self, request: MonitorRequest, now: float) -> tuple[SetResult, int | None]:
        return self.monitoring.set(request, now)

    def clear_monitors(self, ids: list[int]) -> list[tuple[int, ClearResult]]:
        return self.monitoring.clear(ids)

    def set_monitoring_base(self, base: str) -> bool:
        return self.monitoring.set_base(base)

    def set_monitoring_level(self, severity: int) -> bool:
        return self.monitoring.set_level(severity)

    def monitoring_report(self, request_id: int, criteria: list[str], names: list[str], now: float) -> bool:
        """N02: True when monitors match; their report follows the answer."""
        chosen = self.monitoring.report(request_id, criteria, names, now, dry_run=True)
        if chosen:

            def send_report() -> None:
                self.monitoring.report(request_id, criteria, names, now)

            self.after_answer(send_report)
        return chosen

    def customer_information(
        self, request_id: int, report: bool, clear: bool, customer: customers.Customer, now: float
    ) -> None:
        """N09/N10: after the answer, the customer's data (NotifyCustomerInformation), then forget it."""

        def follow_up() -> None:
            if report:
                data = customers.customer_data(
                    customer, self.customers, self.local_list, self.auth_cache, self.evses.values()
                )
                self.send(CustomerDataNote(request_id, data, now), now)
            if clear:
                self.customers = customers.forget(customer, self.customers, self.auth_cache)

        self.after_answer(follow_up)

    def get_log(self, request: LogRequest, now: float) -> tuple[LogAnswer, str | None]:
        """N01, 1.6 GetDiagnostics and GetLog: `simulator.core.logs`."""
        return self.logs.request(request, now)

    def update_local_list(self, request: ListUpdateRequest) -> ListOutcome:
        return local_list.update(self.device, self.local_list, request)

    def reserve(self, reservation: Reservation, now: float) -> ReserveStatus:
        """H01, 1.6 §5.13 (`simulator.core.reservations`): the reserved EVSE shows Reserved."""
        status = self.reservations.reserve(reservation, self.evses, self.device, self.config.connector_type)
        if status == Status.ACCEPTED:
            self.emit(ReservationChanged(reservation.id, reservation.evse_id, status, now))
            self._show_reservations(now)
        return status

    def cancel_reservation(self, reservation_id: int, now: float) -> bool:
        """H02, 1.6 §5.1: the EVSE is Available again; nothing more is told (no status update)."""
        evse_id = next((r.evse_id for r in self.reservations.held.values() if r.id == reservation_id), None)
        if not self.reservations.cancel(reservation_id):
            return False
        self.emit(ReservationChanged(reservation_id, evse_id, End.CANCELLED.value, now))
        self._show_reservations(now)
        return True

    def reserved_evses(self) -> set[int]:
        return self.reservations.reserved_evses(self.evses) if self.reservations.held else set()

    def set_display_message(self, message: DisplayMessage, now: float) -> SetStatus:
        return self.display.put(message, self.transaction_ongoing)

    def report_display_messages(
        self, request_id: int, ids: list[int] | None, priority: str | None, state: str | None, now: float
    ) -> bool:
        """O04: whether any message matches; they follow in NotifyDisplayMessages."""
        found = tuple(self.display.select(ids, priority, state, now))
        if found:
            self.after_answer(lambda: self.send(DisplayMessagesNote(request_id, found), now))
        return bool(found)

    def clear_display_message(self, message_id: int) -> bool:
        return self.display.clear(message_id)

    def displayed(self, now: float) -> list[DisplayMessage]:
        """The messages a driver sees now (O01.FR.11–13), in priority order."""
        self.display.drop_expired(now)
        running = {e.transaction.local_id for e in self.evses.values() if e.transaction is not None}
        return self.display.shown(now, self.display_state(), running)

    def display_state(self) -> str:
        """The station's state as a message's `state` names it (MessageStateEnumType)."""
        states = {c.state for e in self.evses.values() for c in e.connectors.values()}
        if ConnectorState.FAULTED in states:
            return "Faulted"
        if ConnectorState.CHARGING in states:
            return "Charging"
        if states == {ConnectorState.UNAVAILABLE}:
            return "Unavailable"
        return "Idle"

    def set_connector_fault(self, evse_id: int, connector_id: int, faulted: bool, now: float) -> None:
        """A connector faults (StatusNotification Faulted; its EVSE's reservation is removed) or
        recovers (Available, Occupied with a cable, Unavailable when inoperative)."""
        evse, connector = self._connector(evse_id, connector_id)
        if faulted:
            state = ConnectorState.FAULTED
        elif not evse.operative:
            state = ConnectorState.UNAVAILABLE
        else:
            state = ConnectorState.OCCUPIED if connector.plugged else ConnectorState.AVAILABLE
        self.set_connector_state(evse, connector, state, now)

    def data_transfer(self, vendor: str, message: str | None, data: object) -> tuple[TransferStatus, object]:
        """The CSMS's DataTransfer, answered from the vendor table (`simulator.core.data_transfer`)."""
        return self.vendors.answer(vendor, message, data)

    def cost_updated(self, transaction_id: str, total: Decimal, final: bool, now: float) -> bool:
        """The CSMS told a transaction's cost (2.0.1 CostUpdated, 1.6 RunningCost / FinalCost): whether
        the station took it (`simulator.core.cost`; TariffCostCtrlr.Enabled[Cost])."""
        record = (self.costs.final if final else self.costs.running)(transaction_id, total, now)
        self._cost_event(record, now)
        return record is not None

    def _cost_event(self, record: CostRecord | None, now: float) -> None:
        if record is not None:
            event = CostReceived(
                record.transaction_id, record.state.value, record.total, record.currency, record.shown, now
            )
            self.emit(event)

    def send_data_transfer(self, vendor: str, message: str | None, data: object, now: float) -> None:
        """A DataTransfer of the station's own (P02, 1.6 §4.3); its answer is a `DataTransferred`."""
        self.send(DataTransferNote(vendor, message, data), now)

    def set_charging_profile(self, profile: ChargingProfile, now: float) -> Literal["Accepted", "Rejected"]:
        if not admissible(profile, self.evses) or not self.profiles.install(profile):
            return Status.REJECTED
        self._reapply_profiles(now)
        self._limit_changed(profile.evse_id, "profile_set", now)
        evse = self.evses.get(profile.evse_id)
        if profile.purpose == TX and evse is not None and evse.ev is not None:
            self._negotiate(evse, NegotiationRequest.PROFILE, now)  # K15/K16: the EV gets its schedule
        return Status.ACCEPTED

    def clear_charging_profiles(
        self,
        profile_id: int | None,
        evse_id: int | None,
        purpose: str | None,
        stack_level: int | None,
        now: float,
    ) -> bool:
        cleared = self.profiles.clear(profile_id, evse_id, purpose, stack_level)
        self._reapply_profiles(now)
        for scope in sorted({p.evse_id for p in cleared}):
            self._limit_changed(scope, "profiles_cleared", now)
        return bool(cleared)

    def _limit_changed(self, evse_id: int, what: str, now: float) -> None:
        """A `LimitChanged` for people and the summary: the EVSE's limit now (the station's: EVSE 0)."""
        evse = self.evses.get(evse_id)
        transaction = evse.transaction if evse is not None else None
        key = None if transaction is None else transaction.key
        started = None if transaction is None else transaction.started_at
        self.emit(LimitChanged(evse_id, what, self.profiles.limit_w(evse_id, now, key, started), now))

    def ems_limit(self, limit: ExternalLimit, now: float) -> Tell:
        """An EMS or the grid operator limits `limit.evse_id` (0: the whole station): applied at
        once, and told to the CSMS as `simulator.core.external_limits` says (K12)."""
        if limit.evse_id != 0:
            self._evse(limit.evse_id)
        significance = self.device.number(external_limits.SIGNIFICANCE)
        outcome = external_limits.set_limit(self.profiles, limit, now, significance)
        if outcome.tell is Tell.NOTIFY:
            schedule = outcome.profile if self.device.flag(external_limits.WITH_SCHEDULES) else None
            self.send(ChargingLimitNote(limit.evse_id, limit.source, limit.grid_critical, schedule), now)
        self._limits_changed(limit.evse_id, now)
        self._limit_changed(limit.evse_id, "external_limit", now)
        return outcome.tell

    def ems_release(self, evse_id: int, source: str, now: float) -> Tell:
        """The EMS releases its limit on `evse_id`: ClearedChargingLimit (K13) if it had one."""
        outcome = external_limits.release(self.profiles, evse_id, source)
        if outcome.tell is Tell.CLEARED:
            self.send(ClearedLimitNote(evse_id, source), now)
            self._limit_changed(evse_id, "external_released", now)
        self._limits_changed(evse_id, now)
        return outcome.tell

    def _limits_changed(self, evse_id: int, now: float) -> None:
        """Apply the new limits; a charging EVSE whose power changed tells the CSMS (2.0.1
        TransactionEvent ChargingRateChanged)."""
        for evse in self.evses.values():
            if evse_id not in (0, evse.id) or evse.transaction is None:
                continue
            before = evse.meter.power_w
            self.apply_power(evse, now)
            if evse.meter.power_w != before:
                self.lifecycle.handle(evse, Occurrence(Happening.RATE_CHANGED), now)

    def report_charging_profiles(self, request_id: int, criteria: Criteria, now: float) -> ReportStatus:
        """GetChargingProfiles (K09): the matching profiles go in ReportChargingProfiles messages
        after the answer; NoProfiles when none matches (`simulator.core.smart_charging`)."""
        pages = smart_charging.report(request_id, criteria, list(self.profiles.profiles.values()))
        for page in pages:
            self.send(ChargingProfilesNote(page), now)
        return smart_charging.REPORT[smart_charging.found(pages)]

    def composite_schedule(
        self, evse_id: int, duration: float, now: float
    ) -> list[tuple[float, float]] | None:
        """The limits the station will apply on `evse_id` (0: the whole station) for `duration`
        seconds from now (1.6 §5.7, 2.0.1 K08); None for an EVSE it does not have."""
        if evse_id != 0 and evse_id not in self.evses:
            return None
        evse = self.evses.get(evse_id)
        transaction = evse.transaction if evse else None
        ceiling = evse.max_power_w if evse else self.config.max_power_w * len(self.evses)
        return self.profiles.composite(
            evse_id,
            now,
            duration,
            transaction.key if transaction else None,
            transaction.started_at if transaction else None,
            ceiling,
        )

    def clear_cache(self) -> bool:
        """C11.FR.04/05, 1.6 §5.4: emptied, unless the cache is disabled."""
        if not self.device.flag("AuthCacheCtrlr.Enabled"):
            return False
        self.auth_cache.clear()
        return True

    def trigger(self, trigger: Trigger, now: float) -> None:
        """F06 / 1.6 §5.17: send the requested message once the answer is on its way."""
        self.after_answer(lambda: self._triggered(trigger, now))

    # -- certificates (`simulator.core.certificates`) ------------------------------------------------

    def request_certificate(self, own: Own, now: float) -> None:
        """A02/A03: a new key and CSR, sent in a SignCertificate (unless one is on its way)."""
        self.certificates.organization = self.device.values["SecurityCtrlr.OrganizationName"]
        wait = self.device.number("SecurityCtrlr.CertSigningWaitMinimum")
        csr = self.certificates.ask(own, now, wait)
        if csr is not None:
            self.send(SignCertificateNote(own, csr), now)

    def certificate_signed(self, own: Own, chain: str, now: float) -> SignedResult:
        """A02.FR.06–09: installed when valid for the key asked for, else Rejected and reported."""
        result = self.certificates.signed(own, chain, now)
        if result.status != Status.ACCEPTED:
            event = SecurityEvent.INVALID_CHARGING_STATION_CERTIFICATE
            self.after_answer(lambda: self.security_event(event, now, result.reason))
        return result

    def install_certificate(self, use: Use, pem: str, now: float) -> tuple[InstallOutcome, str | None]:
        """M05: (status, why not); a CSMS root that will not do is a security event (1.6 TC_078)."""
        status, reason = self.certificates.install(use, pem, now)
        self.device.put("SecurityCtrlr.CertificateEntries", str(len(self.certificates.installed)))
        if status == Status.REJECTED and use is Use.CSMS_ROOT:
            event = SecurityEvent.INVALID_CSMS_CERTIFICATE
            self.after_answer(lambda: self.security_event(event, now, reason))
        return status, reason

    def delete_certificate(self, wanted: HashData) -> DeleteOutcome:
        status = self.certificates.delete(wanted)
        self.device.put("SecurityCtrlr.CertificateEntries", str(len(self.certificates.installed)))
        return status

    def choose_certificates(self, **choices: str) -> Choices:
        """The tester's outcomes (`Choices` field → value); ValueError naming a bad one."""
        for name, value in choices.items():
            self.certificates.choices.choose(name, value)
        return self.certificates.choices

    def request_ev_certificate(
        self, action: Literal["Install", "Update"], exi_request: str, now: float
    ) -> None:
        """M01/M02: the EV asks for (or to update) its contract certificate; its EXI goes to the CSMS."""
        self.send(EvCertificateNote(action, exi_request), now)

    def check_certificate_status(self, own: Own, now: float) -> bool:
        """M06: ask the CSMS for the OCSP status of an own certificate that names its responder;
        whether there was one to ask about."""
        asked = self.certificates.status_request(own)
        if asked is None:
            return False
        self.send(CertificateStatusNote(*asked), now)
        return True

    def security_event(self, event: SecurityEvent, now: float, tech_info: str | None = None) -> None:
        """A04: SecurityEventNotification."""
        self.send(SecurityEventNote(event, now, tech_info), now)

    def messages_waiting(self, transaction_key: str | None) -> bool:
        """E14: whether transaction messages (of that transaction) still wait to be delivered."""
        for call in self.outbox.transactional:
            note = call.note
            if transaction_key is None:
                return True
            if isinstance(note, TransactionNote) and note.transaction.local_id == transaction_key:
                return True
            if isinstance(note, RestoredNote) and note.link == transaction_key:
                return True
        return False

    def waiting_for(self, now: float) -> str:
        """What the station waits for now, for people (a run that timed out says it, issue 13)."""
        if not self.connected:
            what = "a connection to the CSMS"
        elif self.outbox.in_flight is not None:
            sent_at = self.rpc.in_flight_since()
            since = "" if sent_at is None else f", sent {now - sent_at:.0f} s ago"
            what = f"the answer to {self.outbox.in_flight.action}{since}"
        else:
            what = "nothing from the CSMS"
        queued = self.outbox.describe()
        return what + (f"; queued: {queued}" if queued else "")

    def transaction_ongoing(self, transaction_key: str) -> bool:
        return any(
            evse.transaction is not None and evse.transaction.local_id == transaction_key
            for evse in self.evses.values()
        )

    # -- the outbox -----------------------------------------------------------------------------

    @property
    def idle(self) -> bool:
        """Nothing queued and nothing waiting for an answer."""
        return self.outbox.idle

    @property
    def queue_revision(self) -> int:
        return self.outbox.revision

    @property
    def transactional_queue(self) -> list[QueuedCall]:
        return self.outbox.transactional

    def durable_state(self) -> dict[str, Any]:
        """What a real station keeps in non-volatile memory besides its queue (`core.journal`): the
        open transactions and the meter registers."""
        return {"running": journal.running(self.evses), "registers": journal.registers(self.evses)}

    def restore_durable_state(self, data: dict[str, Any]) -> int:
        """After a restart: the registers as they were, and the transactions that ran when power was
        lost, to be ended (PowerLoss) once the CSMS accepted the boot; how many transactions."""
        for evse_id, energy_wh in (data.get("registers") or {}).items():
            evse = self.evses.get(int(evse_id))
            if evse is not None:
                evse.meter.energy_wh = float(energy_wh)
        restored = journal.restore_running(data.get("running") or [])
        for evse_id, transaction in restored:
            evse = self.evses.get(evse_id)
            if evse is None:
                continue
            evse.transaction = transaction
            self.restored_transactions[transaction.local_id] = transaction
            self.power_lost.append(evse_id)
        return len(restored)

    def journal_entries(self) -> list[dict[str, Any]]:
        """The transaction messages still owed to the CSMS, as JSON-able entries (`core.journal`)."""
        return journal.snapshot(self.outbox.transactional, self.payload_of, self.rules)

    def restore_journal(self, entries: list[dict[str, Any]]) -> int:
        """Queue what an earlier run left unsent ahead of anything else; how many messages."""
        calls = journal.restored(entries)
        self.outbox.restore(calls)
        return len(calls)

    def payload_of(self, call: QueuedCall) -> Payload:
        """The payload of a queued CALL, built now (a restored one gets the id its start was given)."""
        if isinstance(call.note, RestoredNote):
            return journal.payload_now(call.note, self.restored_ids)
        payload = self.adapter.payload_of(call.note, self)
        if self.stamp_time is not None:
            payload = restamp(payload, self.stamp_time)
        return payload

    # -- internals ------------------------------------------------------------------------------

    def _triggered(self, trigger: Trigger, now: float) -> None:
        match trigger:
            case Trigger.BOOT:
                self.boot(now)
            case Trigger.HEARTBEAT:
                self.send(HeartbeatNote(), now)
            case Trigger.STATUS:
                self._report_connectors(now)
            case Trigger.METER_VALUES | Trigger.TRANSACTION_EVENT:
                happening = Happening.METER_DUE if trigger is Trigger.METER_VALUES else Happening.REPORT
                for evse in self.evses.values():
                    self.lifecycle.handle(evse, Occurrence(happening), now)
            case Trigger.FIRMWARE_STATUS:
                self.send(FirmwareStatusNote(*self.firmware.status_report()), now)
            case Trigger.LOG_STATUS | Trigger.DIAGNOSTICS_STATUS:
                status, request_id = self.logs.status_report()
                self.send(LogStatusNote(status, request_id, trigger is Trigger.DIAGNOSTICS_STATUS), now)
            case Trigger.SIGN_STATION_CERTIFICATE:
                self.request_certificate(Own.STATION, now)
            case Trigger.SIGN_V2G_CERTIFICATE:
                self.request_certificate(Own.V2G, now)
            case Trigger.SIGN_COMBINED_CERTIFICATE:
                self.request_certificate(Own.STATION, now)
                self.request_certificate(Own.V2G, now)

    def _claim_reservation(self, evse: Evse, token: PresentedToken, now: float) -> bool:
        """H03: a reserved EVSE takes only its reservation's tokens; the one used is remembered
        for the transaction's messages (H03.FR.09, 1.6 StartTransaction reservationId)."""
        allowed, reservation = self.reservations.claim(evse.id, token, self.tokens.group_of, self.evses)
        if not allowed:
            held = reservation.id if reservation is not None else 0
            self.emit(ReservationChanged(held, evse.id, "refused_token", now))
            return False
        if reservation is not None:
            evse.reservation_id = reservation.id
            self.emit(ReservationChanged(reservation.id, evse.id, End.USED.value, now))
            self._show_reservations(now)
        return True

    def _reservation_ended(self, reservation: Reservation, how: End, now: float) -> None:
        self.emit(ReservationChanged(reservation.id, reservation.evse_id, how.value, now))
        update = ENDS[how]
        if update is not None:
            self.send(ReservationNote(reservation.id, update), now)
        self._show_reservations(now)

    def _show_reservations(self, now: float) -> None:
        """Connectors of reserved EVSEs show Reserved, the others Available again."""
        reserved = self.reserved_evses()
        for evse in self.evses.values():
            for connector in evse.connectors.values():
                if evse.id in reserved and connector.state is ConnectorState.AVAILABLE:
                    self.set_connector_state(evse, connector, ConnectorState.RESERVED, now)
                elif evse.id not in reserved and connector.state is ConnectorState.RESERVED:
                    self.set_connector_state(evse, connector, ConnectorState.AVAILABLE, now)

    def _report_connectors(self, now: float) -> None:
        """StatusNotification of every connector (after boot, after a long offline period, F06)."""
        if self.rules.has(Trait.REPORTS_STATION_CONNECTOR):
            self.send(StatusNote(0, 0, ConnectorState.AVAILABLE, now), now)
        for evse in self.evses.values():
            connectors = (
                [evse.connectors[1]] if self.rules.has(Trait.CONNECTOR_IS_EVSE) else evse.connectors.values()
            )
            for connector in connectors:
                self.send(StatusNote(evse.id, connector.id, connector.state, now), now)

    def _boot_answered(self, status: str, interval: float, now: float) -> None:
        self.boot_status = status
        self.emit(Booted(status, now))
        if status == Status.ACCEPTED:
            self.heartbeat_interval = interval if interval > 0 else 300.0
            self.device.put("OCPPCommCtrlr.HeartbeatInterval", str(int(self.heartbeat_interval)))
            self.next_heartbeat_at = now + self.heartbeat_interval
            self._report_connectors(now)
            self.firmware.booted(now)
            self._end_lost_transactions(now)
            if not self.startup_reported:
                self.startup_reported = True
                self.security_event(SecurityEvent.STARTUP_OF_THE_DEVICE, now)
            if not self.reset_reported:
                self.reset_reported = True
                self.security_event(SecurityEvent.RESET_OR_REBOOT, now, f"Reset ({self.reset_reason})")
        else:  # Pending / Rejected: ask again after the interval (B02.FR.01, B03.FR.01)
            self.next_boot_at = now + (interval if interval > 0 else self.config.retry_boot_after_s)

    def _end_lost_transactions(self, now: float) -> None:
        """What ran when the station lost power ends now, with the register it had then (1.6
        StopTransaction reason PowerLoss, 2.0.1 TransactionEvent Ended stoppedReason PowerLoss)."""
        lost, self.power_lost = self.power_lost, []
        for evse_id in lost:
            self.stop_transaction(evse_id, StopReason.POWER_LOSS, now)

    def _variable_changed(self, name: str, value: str) -> None:
        self.monitoring.observed(name, self._now)
        if name == "OCPPCommCtrlr.HeartbeatInterval":
            self.heartbeat_interval = float(value)
            if self.next_heartbeat_at is not None:
                self.next_heartbeat_at = self._now + self.heartbeat_interval
        elif name == "SampledDataCtrlr.TxUpdatedInterval":
            for evse in self.evses.values():
                if evse.next_meter_value_at is not None:
                    evse.next_meter_value_at = self.lifecycle.next_sample(self._now)
        elif name == MAX_CURRENT_VARIABLE:
            for evse in self.evses.values():  # a lower limit applies at once, mid-session too
                self.apply_power(evse, self._now)
        if name.startswith(SECURITY_COMPONENT):  # A04: named, never its value (a password)
            self.security_event(SecurityEvent.RECONFIGURATION_OF_SECURITY_PARAMETERS, self._now, name)

    def _transactions_running(self) -> bool:
        return any(e.transaction is not None and not e.transaction.ended for e in self.evses.values())

    def _hold_for_firmware(self, now: float) -> None:
        """L01.FR.07: with AllowNewSessionsPendingFirmwareUpdate false, EVSEs without a transaction
        become Unavailable until the update's reboot."""
        if self.device.flag("ChargingStation.AllowNewSessionsPendingFirmwareUpdate"):
            return
        for evse in self.evses.values():
            if evse.transaction is None and evse.operative:
                self._held_for_firmware.add(evse.id)
                evse.operative = False
                for connector in evse.connectors.values():
                    self.set_connector_state(evse, connector, ConnectorState.UNAVAILABLE, now)

    def _known_component(self, component: str) -> bool:
        return any(name.split(".", 1)[0] == component for name in self.device.values)

    def _log_content(self, log_type: str) -> bytes:
        """The uploaded log: what the station is and holds now, then its recent frames (PINs masked)."""
        head = {
            "identity": self.identity,
            "ocpp": self.version,
            "firmware": self.config.firmware_version,
            "log_type": log_type,
            "at": self._now,
            "connectors": {
                f"{evse.id}/{c.id}": c.state.value
                for evse in self.evses.values()
                for c in evse.connectors.values()
            },
        }
        lines = [orjson.dumps(head)] + [
            orjson.dumps({"direction": direction, "at": at, "frame": text})
            for direction, text, at in self.frame_log
        ]
        return b"\n".join(lines) + b"\n"

    def _firmware_installed(self, version: str) -> None:
        self.config = replace(self.config, firmware_version=version)

    def _reapply_profiles(self, now: float) -> None:
        for evse in self.evses.values():
            if evse.transaction is not None:
                self.apply_power(evse, now)

    def _evse_for_start(self, evse_id: int | None, open_transactions: bool) -> Evse | None:
        candidates = [self.evses.get(evse_id)] if evse_id else list(self.evses.values())
        for evse in candidates:
            if evse is None or not evse.operative:
                continue
            if evse.transaction is None or (open_transactions and not evse.transaction.authorized):
                return evse
        return None

    def _reboot(self, now: float) -> None:
        for evse in self.evses.values():
            self.stop_transaction(evse.id, self.reset_reason, now)
        for evse_id in self._held_for_firmware:
            self.evses[evse_id].operative = True
            for connector in self.evses[evse_id].connectors.values():
                connector.state = ConnectorState.OCCUPIED if connector.plugged else ConnectorState.AVAILABLE
        self._held_for_firmware.clear()
        self.monitoring.rebooted()
        self.boot_status = None
        self.next_heartbeat_at = None
        self.boot(now)

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
        if not self.connected:
            return
        queued = self.outbox.take(now, booted=self.boot_status == Status.ACCEPTED)
        if queued is not None:
            self.rpc.send_call(queued.action, self.payload_of(queued), now, context=queued)

    def _handle(self, rpc_events: list[RpcEvent], now: float) -> None:
        for event in rpc_events:
            match event:
                case CallReceived(message_id, action, payload):
                    self._answer(message_id, action, payload, now)
                case ResultReceived(call, payload, received_at):
                    queued = self._finish(call, received_at, ok=True)
                    self._answered(queued, payload, now)
                case ErrorReceived(call, code, description, _, received_at):
                    queued = self._finish(call, received_at, ok=False)
                    self.emit(CallFailed(call.action, code, description, now))
                    self._failed(queued, now, kind_of(self.adapter.version, code) or ErrorKind.GENERIC)
                case CallTimedOut(call):
                    queued = self._finish(call, now, ok=False)
                    self.emit(CallFailed(call.action, "Timeout", "no answer in time", now))
                    self._failed(queued, now, None)
                case PeerViolation(description, text):
                    self.emit(PeerViolated(description, text, now))
                case SendReceived():
                    pass  # a 2.1 SEND is never answered, and a CSMS has none to send a station
        self._pump(now)

    def _answered(self, queued: QueuedCall, payload: Payload, now: float) -> None:
        """What the CSMS's CALLRESULT means for the station, in the codec's neutral words."""
        note = queued.note
        answer = self.adapter.answer_of(queued.action, payload)
        if isinstance(note, RestoredNote):  # an earlier run's message: its ids, and the end it reports
            journal.learn(note, answer, self.restored_ids)
            restored = self.restored_transactions.get(note.link or "")
            if restored is not None and restored.csms_id is None:
                restored.csms_id = self.restored_ids.get(note.link or "")
            if note.ended is not None:
                key = str(self.payload_of(queued).get("transactionId", note.link))
                self.emit(
                    TransactionEnded(note.ended.evse_id, key, note.ended.energy_wh, note.ended.reason, now)
                )
            return
        match answer, note:
            case BootAnswer(status, interval), _:
                self._boot_answered(status, interval, now)
            case TokenAnswer(info), AuthorizeNote(evse_id, token) if info is not None:
                self.tokens.remember(token, info, now)
                self._token_decided(self.evses[evse_id], token, info.status, Action.Authorize, now)
            case TokenAnswer(), TransactionNote():
                self._transaction_answered(note, answer, queued.action, now)
            case StatusAnswer(status), SignCertificateNote(own):
                self.certificates.answered(own, status == Status.ACCEPTED, now)
            case CertificateAnswer(status, data), EvCertificateNote() | CertificateStatusNote():
                self.emit(CertificateAnswered(queued.action, status, data, now))
            case DataTransferAnswer(status, data), DataTransferNote(vendor, message):
                self.emit(DataTransferred(vendor, message, status, data, now))
            case StatusAnswer(status), EvNeedsNote(needs):
                self._ev_answered(needs.evse_id, queued.action, status, now)
            case StatusAnswer(status), EvScheduleNote(chosen):
                self._ev_answered(chosen.evse_id, queued.action, status, now)

    def _ev_answered(self, evse_id: int, action: str, status: str, now: float) -> None:
        """The CSMS's answer to an EV's needs (Accepted / Processing: a TxProfile will come) or to
        its schedule; the tester sees each as an `EvNegotiated`."""
        self.negotiations.answers.append((evse_id, action, status))
        self.emit(EvNegotiated(evse_id, action, status, now))
        if action == Action.NotifyEVChargingNeeds:
            taken = status in (Status.ACCEPTED, "Processing")
            request = NegotiationRequest.ACCEPTED if taken else NegotiationRequest.REJECTED
            self._negotiate(self.evses[evse_id], request, now)

    def _transaction_answered(
        self, note: TransactionNote, answer: TokenAnswer, action: str, now: float
    ) -> None:
        """Every message that carried a token has the CSMS's answer cached (C10.FR.04); the one that
        first carried the transaction's token decides it (1.6 §5.20, E01.FR.11)."""
        transaction = note.transaction
        if answer.transaction_id is not None and self.rules.has(Trait.CSMS_ASSIGNS_TRANSACTION_ID):
            transaction.csms_id = answer.transaction_id
        if note.token is not None and answer.info is not None:
            self.tokens.remember(note.token, answer.info, now)
        ended = journal.ended_of(note, self.rules)
        if ended is not None:
            self.emit(TransactionEnded(ended.evse_id, transaction.key, ended.energy_wh, ended.reason, now))
        if answer.total_cost is not None:  # I03: the final cost came with the end's answer
            self._cost_event(self.costs.final(transaction.key, answer.total_cost, now), now)
        elif note.moment is TxMoment.ENDED:  # the fallback message; 1.6: a FinalCost may follow
            self._cost_event(self.costs.ended_without_cost(transaction.key, now), now)
        if not note.decides:
            return
        status = answer.info.status if answer.info is not None else Status.ACCEPTED
        evse = self.evses[note.evse_id]
        if status != Status.ACCEPTED:
            code = transaction.token.code if transaction.token else ""
            self.emit(Authorized(note.evse_id, code, status, now, action))
        if evse.transaction is not transaction or transaction.ended:
            return
        if status == Status.ACCEPTED:
            happening = Happening.CONFIRMED
        elif self.device.flag("TxCtrlr.StopTxOnInvalidId"):
            happening = Happening.REFUSED
        else:
            happening = Happening.REFUSED_KEEP
        self.lifecycle.handle(evse, Occurrence(happening, reason=StopReason.DEAUTHORIZED), now)

    def _failed(self, queued: QueuedCall, now: float, kind: ErrorKind | None) -> None:
        """A CALL of ours got a CALLERROR or no answer: a transaction message is retried; a
        SignCertificate counts as rejected."""
        if isinstance(queued.note, SignCertificateNote):
            self.certificates.answered(queued.note.own, False, now)
        if isinstance(queued.note, EvNeedsNote):  # no answer: the EV charges without a schedule
            self._negotiate(self.evses[queued.note.needs.evse_id], NegotiationRequest.REJECTED, now)
        self._retry(queued, now, kind)

    def _retry(self, queued: QueuedCall, now: float, kind: ErrorKind | None) -> None:
        """A failed CALL of ours (`kind`: its error, None for a timeout): a transaction message is
        retried (E13), a state report sent again with the state now (`simulator.core.resend`)."""
        attempts = self.device.number("OCPPCommCtrlr.MessageAttempts[TransactionEvent]")
        interval = self.device.number("OCPPCommCtrlr.MessageAttemptInterval[TransactionEvent]")
        if self.outbox.retry(queued, now, attempts, interval) or queued.transactional:
            return
        if not resend.worth_retrying(kind):
            return
        note = resend.refreshed(queued.note, self._connector_state, now)
        if note is not None:
            self.outbox.resend(queued, note, now, attempts, interval)  # `_handle` pumps

    def _connector_state(self, evse_id: int, connector_id: int) -> ConnectorState | None:
        if evse_id == 0:
            return ConnectorState.AVAILABLE  # 1.6 connector 0: the station as a whole
        evse = self.evses.get(evse_id)
        connector = evse.connectors.get(connector_id) if evse is not None else None
        return None if connector is None else connector.state

    def _finish(self, call: OutgoingCall, answered_at: float, ok: bool) -> QueuedCall:
        queued = call.context
        assert isinstance(queued, QueuedCall)
        self.outbox.finished(queued)
        sent_at = call.sent_at if call.sent_at is not None else answered_at
        trip = RoundTrip(call.action, sent_at, answered_at, ok)
        if self.keep_history:
            self.round_trips.append(trip)
        self._fresh_trips.append(trip)
        return queued

    def _answer(self, message_id: str, action: str, payload: Payload, now: float) -> None:
        """Answer a CSMS CALL, unless a fault says to stay silent or to answer late."""
        if self.faults.silent(now):
            return
        self._follow_ups = []
        result: Payload | None = None
        refusal: CallRefused | None = None
        self._answering = True
        try:
            result = self.adapter.answer_call(self, action, payload, now)
        except CallRefused as refused:
            refusal = refused
            self._follow_ups = []
        finally:
            self._answering = False
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
