"""The charging lifecycle of one EVSE: plug → token → authorize → start → meter → stop → unplug.

Theory of operation (in the manner of h11's `_state.py`): an EVSE is in one `Phase`, read from its
own fields by `phase_of` (so the phase cannot drift from what the rest of the station sees). What
can happen to it is a `Happening`. `TABLE[start point][phase][happening]` gives the next phase and
the `Step`s to take, in order; a happening a phase does not list changes nothing. `Lifecycle.handle`
looks the row up and takes the steps; the steps are the only code that writes an EVSE's
transaction, and with `set_connector_state` its connectors' states.

The two OCPP families differ in one thing here, the moment a transaction begins (`StartPoint`):
1.6 starts it once a token is accepted at a plugged connector (StartTransaction, its id the CSMS's);
2.0.1 opens it at plug-in (TransactionEvent Started, TxStartPoint EVConnected) and the token then
authorizes it (E02). Everything else is common; the few other differences are data
(`VersionRules`). What a step sends is a note (`simulator.core.notes`); the codecs write it.

Where each decision comes from:
- a token: `Station.present_token` decides locally where OCPP says so (C12, C13, C15; `tokens`), else
  asks the CSMS (Authorize); an accepted token is ACCEPTED / ACCEPTED_LOCALLY, or STOP_TOKEN when it
  may end the running transaction's authorization (E07, C09.FR.03);
- the CSMS's answer to the message carrying the transaction's token is binding (1.6 §5.20,
  E01.FR.11): CONFIRMED, or REFUSED (TxCtrlr.StopTxOnInvalidId true, or nothing flowed yet), or
  REFUSED_KEEP (energy stops after MaxEnergyOnInvalidId: C15.FR.06, 1.6 §3.5.4);
- a token accepted before the cable waits TxCtrlr.EVConnectionTimeOut for it (E03.FR.05); at
  plug-in it is taken as accepted again — locally when offline, where nobody else will confirm it.
Retries and offline replay of the messages are the outbox's (`simulator.core.outbox`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from evharness.simulator.core.codec import StartPoint, Trait, VersionRules
from evharness.simulator.core.device_model import DeviceModel
from evharness.simulator.core.events import StationEvent, TransactionEnded, TransactionStarted
from evharness.simulator.core.model import (
    Connector,
    ConnectorState,
    Evse,
    PresentedToken,
    StopReason,
    Transaction,
)
from evharness.simulator.core.notes import Note, ReadingContext, TransactionNote, TxMoment
from evharness.simulator.core.sampling import sample


class Phase(Enum):
    IDLE = "idle"  # no cable, no transaction
    AUTHORIZED = "authorized"  # a token accepted before the cable: waits EVConnectionTimeOut for it
    PLUGGED = "plugged"  # a cable, no transaction (1.6 Preparing; Finishing after a transaction)
    OPEN = "open"  # a transaction without a token yet (2.0.1: opened at plug-in)
    STARTING = "starting"  # a transaction whose token the CSMS has not confirmed yet: no energy
    CHARGING = "charging"  # an authorized transaction: energy flows
    SUSPENDED = "suspended"  # the CSMS refused its token; energy stops (after MaxEnergyOnInvalidId)


class Happening(Enum):
    PLUG = "plug"  # a cable plugged into one of the EVSE's connectors
    UNPLUG = "unplug"  # a cable taken out
    ACCEPTED = "accepted"  # a token accepted by the CSMS (Authorize)
    ACCEPTED_LOCALLY = "accepted_locally"  # ... by the station itself, or by a remote start without Authorize
    STOP_TOKEN = "stop_token"  # a token that may end the running transaction's authorization
    CONFIRMED = "confirmed"  # the CSMS accepted the transaction's token
    REFUSED = "refused"  # the CSMS refused it: the transaction ends (DeAuthorized)
    REFUSED_KEEP = "refused_keep"  # refused while charging, StopTxOnInvalidId false
    STOP = "stop"  # ended by the driver, the CSMS, a reset, an unlock
    METER_DUE = "meter_due"  # SampledDataCtrlr.TxUpdatedInterval passed, or TriggerMessage MeterValues
    REPORT = "report"  # TriggerMessage TransactionEvent (2.0.1 F06)
    RATE_CHANGED = "rate_changed"  # an external limit changed the power of a charging EVSE (K12)


class Step(Enum):
    HOLD = "hold"  # keep the token for the cable (EVConnectionTimeOut, E03.FR.05)
    PASS_HELD = "pass_held"  # the held token happens again, accepted (locally when offline)
    OPEN = "open"  # open a transaction without a token: TransactionEvent Started (CablePluggedIn)
    START = "start"  # open one with the token: StartTransaction; an inoperative EVSE starts none
    AUTHORIZE = "authorize"  # give the open transaction its token: TransactionEvent Authorized/RemoteStart
    ENERGIZE = "energize"  # metering on, energy flows, connector Charging
    SUSPEND = "suspend"  # energy only up to MaxEnergyOnInvalidId from the start (1.6 §3.5.4, C15.FR.06)
    END = "end"  # the transaction ends (the happening's reason): StopTransaction / TransactionEvent Ended
    SAMPLE = "sample"  # MeterValues / TransactionEvent Updated MeterValuePeriodic
    REPORT = "report"  # TransactionEvent Updated Trigger
    RATE = "rate"  # TransactionEvent Updated ChargingRateChanged


@dataclass(frozen=True, slots=True)
class Transition:
    next: Phase  # with one connector per EVSE; a second cable can keep an EVSE PLUGGED instead of IDLE
    steps: tuple[Step, ...] = ()


P, H, S = Phase, Happening, Step
_RUNNING = (P.OPEN, P.STARTING, P.CHARGING, P.SUSPENDED)

_COMMON: dict[Phase, dict[Happening, Transition]] = {
    P.IDLE: {
        H.ACCEPTED: Transition(P.AUTHORIZED, (S.HOLD,)),
        H.ACCEPTED_LOCALLY: Transition(P.AUTHORIZED, (S.HOLD,)),
    },
    P.AUTHORIZED: {
        H.ACCEPTED: Transition(P.AUTHORIZED, (S.HOLD,)),
        H.ACCEPTED_LOCALLY: Transition(P.AUTHORIZED, (S.HOLD,)),
    },
    P.PLUGGED: {},
    P.OPEN: {},
    P.STARTING: {
        H.CONFIRMED: Transition(P.CHARGING, (S.ENERGIZE,)),
        H.REFUSED: Transition(P.PLUGGED, (S.END,)),
        H.REFUSED_KEEP: Transition(P.PLUGGED, (S.END,)),  # nothing flowed yet: nothing to keep
    },
    P.CHARGING: {
        H.STOP_TOKEN: Transition(P.PLUGGED, (S.END,)),
        H.REFUSED: Transition(P.PLUGGED, (S.END,)),
        H.REFUSED_KEEP: Transition(P.SUSPENDED, (S.SUSPEND,)),
        H.METER_DUE: Transition(P.CHARGING, (S.SAMPLE,)),
    },
    P.SUSPENDED: {
        H.CONFIRMED: Transition(P.CHARGING, (S.ENERGIZE,)),
        H.REFUSED: Transition(P.PLUGGED, (S.END,)),
        H.REFUSED_KEEP: Transition(P.PLUGGED, (S.END,)),
    },
}
for _phase in _RUNNING:
    _COMMON[_phase] |= {H.STOP: Transition(P.PLUGGED, (S.END,)), H.UNPLUG: Transition(P.IDLE, (S.END,))}


def _with(
    base: dict[Phase, dict[Happening, Transition]], **rows: dict[Happening, Transition]
) -> dict[Phase, dict[Happening, Transition]]:
    return {phase: base[phase] | rows.get(phase.name, {}) for phase in Phase}


# start point → phase → happening → transition. This is the whole lifecycle.
TABLE: dict[StartPoint, dict[Phase, dict[Happening, Transition]]] = {
    # 1.6: the transaction starts with an accepted token at a plugged connector
    StartPoint.AUTHORIZED: _with(
        _COMMON,
        IDLE={H.PLUG: Transition(P.PLUGGED)},
        AUTHORIZED={H.PLUG: Transition(P.PLUGGED, (S.PASS_HELD,))},
        PLUGGED={
            H.ACCEPTED: Transition(P.STARTING, (S.START,)),
            H.ACCEPTED_LOCALLY: Transition(P.CHARGING, (S.START, S.ENERGIZE)),
        },
        STARTING={H.METER_DUE: Transition(P.STARTING, (S.SAMPLE,))},
        SUSPENDED={H.METER_DUE: Transition(P.SUSPENDED, (S.SAMPLE,))},
    ),
    # 2.0.1: the transaction opens at plug-in; an accepted token authorizes it
    StartPoint.EV_CONNECTED: _with(
        _COMMON,
        IDLE={H.PLUG: Transition(P.OPEN, (S.OPEN,))},
        AUTHORIZED={H.PLUG: Transition(P.OPEN, (S.OPEN, S.PASS_HELD))},
        PLUGGED={H.PLUG: Transition(P.OPEN, (S.OPEN,))},  # another connector, after a transaction ended
        OPEN={
            H.ACCEPTED: Transition(P.STARTING, (S.AUTHORIZE,)),
            H.ACCEPTED_LOCALLY: Transition(P.CHARGING, (S.AUTHORIZE, S.ENERGIZE)),
            H.REPORT: Transition(P.OPEN, (S.REPORT,)),
        },
        STARTING={
            H.ACCEPTED: Transition(P.STARTING, (S.AUTHORIZE,)),
            H.ACCEPTED_LOCALLY: Transition(P.CHARGING, (S.AUTHORIZE, S.ENERGIZE)),
            H.REPORT: Transition(P.STARTING, (S.REPORT,)),
        },
        CHARGING={
            H.REPORT: Transition(P.CHARGING, (S.REPORT,)),
            H.RATE_CHANGED: Transition(P.CHARGING, (S.RATE,)),
        },
        SUSPENDED={
            H.ACCEPTED: Transition(P.STARTING, (S.AUTHORIZE,)),
            H.ACCEPTED_LOCALLY: Transition(P.CHARGING, (S.AUTHORIZE, S.ENERGIZE)),
            H.REPORT: Transition(P.SUSPENDED, (S.REPORT,)),
        },
    ),
}


def phase_of(evse: Evse) -> Phase:
    transaction = evse.transaction
    if transaction is None or transaction.ended:
        if evse.plugged:
            return P.PLUGGED
        return P.AUTHORIZED if evse.authorized_token is not None else P.IDLE
    if transaction.authorized:
        return P.CHARGING
    if transaction.refused:
        return P.SUSPENDED
    return P.STARTING if transaction.token is not None else P.OPEN


def transition(start_point: StartPoint, phase: Phase, happening: Happening) -> Transition | None:
    return TABLE[start_point][phase].get(happening)


@dataclass(frozen=True, slots=True)
class Occurrence:
    """A happening with what it carries."""

    happening: Happening
    token: PresentedToken | None = None
    reason: str = StopReason.LOCAL  # STOP, STOP_TOKEN, REFUSED…: the transaction's stop reason
    connector_id: int = 1  # PLUG: which connector


class Host(Protocol):
    """What the lifecycle needs of the station (`simulator.core.station.Station`)."""

    @property
    def identity(self) -> str: ...
    @property
    def device(self) -> DeviceModel: ...
    @property
    def connected(self) -> bool: ...
    @property
    def rules(self) -> VersionRules: ...

    def send(self, note: Note, now: float) -> None: ...
    def emit(self, event: StationEvent) -> None: ...
    def apply_power(self, evse: Evse, now: float) -> None: ...
    def set_connector_state(
        self, evse: Evse, connector: Connector, state: ConnectorState, now: float
    ) -> None: ...
    def transaction_ended(self, evse: Evse, transaction: Transaction, now: float) -> None: ...


class Lifecycle:
    """Takes the steps the table gives; the only writer of an EVSE's transaction."""

    def __init__(self, host: Host) -> None:
        self.host = host

    def handle(self, evse: Evse, occurrence: Occurrence, now: float, *, phase: Phase | None = None) -> None:
        """Take the steps of the EVSE's row for `occurrence`; `phase`: the one it was in when it
        happened, if the station already changed what `phase_of` reads (a cable plugged in)."""
        phase = phase_of(evse) if phase is None else phase
        found = transition(self.host.rules.start_point, phase, occurrence.happening)
        if found is None:
            return
        for step in found.steps:
            self._take(step, evse, occurrence, now)

    # -- the steps ------------------------------------------------------------------------------

    def _take(self, step: Step, evse: Evse, occurrence: Occurrence, now: float) -> None:
        host = self.host
        match step:
            case Step.HOLD:
                evse.authorized_token = occurrence.token
                evse.authorized_until = now + host.device.number("TxCtrlr.EVConnectionTimeOut")
            case Step.PASS_HELD:
                token, evse.authorized_token = evse.authorized_token, None
                if token is not None:
                    happening = H.ACCEPTED if host.connected else H.ACCEPTED_LOCALLY
                    self.handle(evse, Occurrence(happening, token), now)
            case Step.OPEN:
                self._open(evse, occurrence.connector_id, now)
            case Step.START:
                self._start(evse, occurrence.token, now)
            case Step.AUTHORIZE:
                self._authorize(evse, occurrence.token, now)
            case Step.ENERGIZE:
                self._energize(evse, now)
            case Step.SUSPEND:
                self._suspend(evse, now)
            case Step.END:
                if occurrence.happening is H.STOP_TOKEN and evse.transaction is not None:
                    evse.transaction.stop_token = occurrence.token  # E07.FR.02: the token that ended it
                self._end(evse, occurrence.reason, now)
            case Step.SAMPLE:
                self._transaction_note(evse, TxMoment.METER, now, ReadingContext.PERIODIC)
            case Step.REPORT:
                self._transaction_note(evse, TxMoment.TRIGGERED, now, ReadingContext.TRIGGER)
            case Step.RATE:
                self._transaction_note(evse, TxMoment.RATE_CHANGED, now, ReadingContext.OTHER)

    def _open(self, evse: Evse, connector_id: int, now: float) -> None:
        evse.meter.advance(now)
        evse.transaction = Transaction(str(uuid.uuid4()), now, evse.meter.energy_wh)
        self._transaction_note(evse, TxMoment.STARTED, now, ReadingContext.BEGIN, connector_id=connector_id)

    def _start(self, evse: Evse, token: PresentedToken | None, now: float) -> None:
        if not evse.operative:
            return
        evse.meter.advance(now)
        transaction = Transaction(f"{self.host.identity}-{now:.3f}", now, evse.meter.energy_wh, token=token)
        transaction.reservation_id, evse.reservation_id = evse.reservation_id, None
        evse.transaction = transaction
        self._transaction_note(evse, TxMoment.STARTED, now, None, token=token)

    def _authorize(self, evse: Evse, token: PresentedToken | None, now: float) -> None:
        transaction = evse.transaction
        assert transaction is not None
        transaction.token = token
        transaction.refused = False
        remote_start_id, evse.remote_start_id = evse.remote_start_id, None
        used, evse.reservation_id = evse.reservation_id, None
        transaction.reservation_id = used or transaction.reservation_id
        self._transaction_note(
            evse,
            TxMoment.AUTHORIZED,
            now,
            None,
            token=token,
            remote_start_id=remote_start_id,
            reservation_id=used,
        )

    def _energize(self, evse: Evse, now: float) -> None:
        transaction = evse.transaction
        if transaction is None:  # an inoperative EVSE started none
            return
        transaction.authorized = True
        transaction.refused = False
        self.host.emit(TransactionStarted(evse.id, transaction.key, now))
        evse.meter.advance(now)
        evse.next_meter_value_at = self.next_sample(now)
        self.host.apply_power(evse, now)
        connector = evse.connectors[1]
        if not self.host.rules.has(Trait.CONNECTOR_IS_EVSE):
            connector = next((c for c in evse.connectors.values() if c.plugged), connector)
        self.host.set_connector_state(evse, connector, ConnectorState.CHARGING, now)

    def _suspend(self, evse: Evse, now: float) -> None:
        transaction = evse.transaction
        assert transaction is not None
        transaction.authorized = False
        transaction.refused = True
        allowance = self.host.device.number("TxCtrlr.MaxEnergyOnInvalidId")
        transaction.energy_cap_wh = transaction.meter_start_wh + allowance if allowance > 0 else None
        self.host.apply_power(evse, now)

    def _end(self, evse: Evse, reason: str, now: float) -> None:
        transaction = evse.transaction
        assert transaction is not None
        rules = self.host.rules
        evse.meter.draw(0.0, now)
        evse.ev_request_w, evse.ev_limit_wh = 0.0, None
        evse.next_meter_value_at = None
        evse.next_power_review_at = None
        transaction.meter_stop_wh = evse.meter.energy_wh
        token = transaction.stop_token or transaction.token
        carried = token if rules.end_token_carried(reason) else None
        self._transaction_note(evse, TxMoment.ENDED, now, ReadingContext.END, token=carried, reason=reason)
        transaction.ended = True
        if transaction.authorized and not rules.has(Trait.ENDED_REPORTED_ON_ANSWER):
            energy = transaction.meter_stop_wh - transaction.meter_start_wh
            self.host.emit(TransactionEnded(evse.id, transaction.key, energy, reason, now))
        self.host.transaction_ended(evse, transaction, now)
        evse.transaction = None
        for connector in evse.connectors.values():
            if rules.has(Trait.FINISHES_ANY_CONNECTOR):
                if connector.id != 1 or connector.state is ConnectorState.UNAVAILABLE:
                    continue
                state = ConnectorState.FINISHING if connector.plugged else ConnectorState.AVAILABLE
            elif connector.plugged and connector.state is ConnectorState.CHARGING:
                state = ConnectorState.FINISHING
            else:
                continue
            self.host.set_connector_state(evse, connector, state, now)

    def _transaction_note(
        self,
        evse: Evse,
        moment: TxMoment,
        now: float,
        context: ReadingContext | None,
        *,
        token: PresentedToken | None = None,
        connector_id: int = 1,
        reason: str = "",
        remote_start_id: int | None = None,
        reservation_id: int | None = None,
    ) -> None:
        transaction = evse.transaction
        assert transaction is not None
        rules = self.host.rules
        note = TransactionNote(
            moment,
            evse.id,
            transaction,
            now,
            sample=None if context is None else sample(evse, now, context),
            token=token,
            connector_id=connector_id,
            seq_no=transaction.next_seq_no() if rules.has(Trait.NUMBERS_TRANSACTION_MESSAGES) else 0,
            offline=not self.host.connected,
            reason=reason,
            remote_start_id=remote_start_id,
            reservation_id=reservation_id,
            meter_stop_wh=evse.meter.energy_wh,
            cable_plugged=evse.plugged,
        )
        self.host.send(note, now)

    def next_sample(self, now: float) -> float | None:
        interval = self.host.device.number("SampledDataCtrlr.TxUpdatedInterval")
        return now + interval if interval > 0 else None


def render_markdown() -> str:
    """The table as markdown: `docs/architecture.md` holds exactly this between its markers."""
    lines = [
        "| phase | happening | 1.6 (start at authorization) | 2.0.1 / 2.1 (start at plug-in) |",
        "|---|---|---|---|",
    ]
    for phase in Phase:
        for happening in Happening:
            cells = []
            for start_point in (StartPoint.AUTHORIZED, StartPoint.EV_CONNECTED):
                found = TABLE[start_point][phase].get(happening)
                steps = ", ".join(step.value for step in found.steps) if found else ""
                cells.append(
                    "" if found is None else f"→ {found.next.value}" + (f" ({steps})" if steps else "")
                )
            if any(cells):
                lines.append(f"| {phase.value} | {happening.value} | {cells[0]} | {cells[1]} |")
    return "\n".join(lines) + "\n"
