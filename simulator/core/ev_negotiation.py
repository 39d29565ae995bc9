"""An ISO 15118 EV's charging needs and schedule (2.0.1 K15–K17): a small state machine per EVSE.

Theory of operation: when a transaction of an ISO 15118 EV may draw energy, the EV says what it
needs (energy amount, departure time, its current and power limits) and the station sends it to the
CSMS in NotifyEVChargingNeeds (K15). The CSMS answers Accepted or Processing — a TxProfile
for the transaction follows (SetChargingProfile) — or Rejected: the EV charges without
a schedule of its own (the station's limits hold all the same). Each TxProfile the EV gets (the
first, or a renegotiated one: K16) is handed to the EV; it answers with the schedule it will follow,
which the station sends in NotifyEVChargingSchedule (K15, K17): the limits it got (its own
maximum below them), or — when the tester chose `schedule: reject` — a schedule above them (its
maximum, and at least 10 % over each limit: TC_K_55), for the first schedule only. The EV may
renegotiate (K17): new needs, sent again. `TABLE` says, for each state and `Request`, the next
state and what the station sends (`Send`). Nothing here knows a payload.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from evharness.simulator.core.ev import EvState
from evharness.simulator.core.meter import NOMINAL_VOLTAGE


class NegotiationState(Enum):
    IDLE = "idle"  # no ISO 15118 session, or not yet energized
    NEEDS_SENT = "needs_sent"  # NotifyEVChargingNeeds on its way
    WAITING = "waiting"  # the CSMS took the needs (Accepted / Processing): a TxProfile will come
    SCHEDULED = "scheduled"  # the EV has a schedule and told the CSMS (NotifyEVChargingSchedule)
    UNSCHEDULED = "unscheduled"  # the CSMS rejected the needs: the EV charges within the limits


class Request(Enum):
    START = "start"  # the transaction may draw energy
    ACCEPTED = "accepted"  # NotifyEVChargingNeeds answered Accepted or Processing
    REJECTED = "rejected"  # ... Rejected (or not answered)
    PROFILE = "profile"  # a TxProfile for the transaction was installed
    RENEGOTIATE = "renegotiate"  # the EV has new needs (K17)
    END = "end"  # the transaction ended or the EV left


class Send(Enum):
    NOTHING = "nothing"
    NEEDS = "needs"  # NotifyEVChargingNeeds
    SCHEDULE = "schedule"  # NotifyEVChargingSchedule


S, R = NegotiationState, Request
_ENDS = {R.END: (S.IDLE, Send.NOTHING)}
# state → request → (next state, what the station sends)
TABLE: dict[NegotiationState, dict[Request, tuple[NegotiationState, Send]]] = {
    S.IDLE: {R.START: (S.NEEDS_SENT, Send.NEEDS), R.RENEGOTIATE: (S.IDLE, Send.NOTHING)} | _ENDS,
    S.NEEDS_SENT: {
        R.ACCEPTED: (S.WAITING, Send.NOTHING),
        R.REJECTED: (S.UNSCHEDULED, Send.NOTHING),
        R.PROFILE: (S.SCHEDULED, Send.SCHEDULE),  # the profile came before the answer was read
        R.RENEGOTIATE: (S.NEEDS_SENT, Send.NEEDS),
    }
    | _ENDS,
    S.WAITING: {R.PROFILE: (S.SCHEDULED, Send.SCHEDULE), R.RENEGOTIATE: (S.NEEDS_SENT, Send.NEEDS)} | _ENDS,
    S.SCHEDULED: {
        R.PROFILE: (S.SCHEDULED, Send.SCHEDULE),  # renegotiated by the CSMS (K16)
        R.RENEGOTIATE: (S.NEEDS_SENT, Send.NEEDS),  # by the EV (K17)
    }
    | _ENDS,
    S.UNSCHEDULED: {
        R.PROFILE: (S.SCHEDULED, Send.SCHEDULE),
        R.RENEGOTIATE: (S.NEEDS_SENT, Send.NEEDS),
    }
    | _ENDS,
}


SENT = {Send.NOTHING: "", Send.NEEDS: "NotifyEVChargingNeeds", Send.SCHEDULE: "NotifyEVChargingSchedule"}


def render_markdown() -> str:
    """`TABLE` as docs/smart-charging.md shows it (docgen keeps the two equal)."""
    lines = ["| state | request | next | the station sends |", "|---|---|---|---|"]
    for state, row in TABLE.items():
        for request, (following, send) in row.items():
            lines.append(f"| {state.value} | {request.value} | {following.value} | {SENT[send]} |")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class Needs:
    """What the EV needs (2.0.1 ChargingNeedsType), in neutral words."""

    evse_id: int
    energy_wh: float
    departure_at: float | None
    dc: bool
    min_current_a: float
    max_current_a: float
    max_voltage_v: float
    max_power_w: float
    soc_percent: float
    capacity_wh: float


@dataclass(frozen=True, slots=True)
class EvSchedule:
    """The schedule the EV will follow (NotifyEVChargingSchedule): W from `time_base` on."""

    evse_id: int
    time_base: float
    periods: tuple[tuple[float, float], ...]  # (offset s, W)


MIN_CURRENT_A = 6.0  # IEC 61851: below 6 A an AC EV does not charge
MAX_VOLTAGE_V = {False: 400.0, True: 500.0}  # AC three-phase, DC


def needs_of(evse_id: int, ev: EvState, phases: int, energy_wh: float | None = None) -> Needs:
    spec = ev.spec
    wanted = energy_wh
    if wanted is None:
        wanted = (
            spec.energy_kwh * 1000.0
            if spec.energy_kwh is not None
            else (1 - ev.soc) * spec.battery_kwh * 1000
        )
    departure = None if spec.departure_s is None else ev.plugged_at + spec.departure_s
    volts = MAX_VOLTAGE_V[spec.dc]
    per_phase = spec.peak_w / (volts if spec.dc else NOMINAL_VOLTAGE * phases)
    return Needs(
        evse_id,
        max(0.0, wanted),
        departure,
        spec.dc,
        MIN_CURRENT_A,
        per_phase,
        volts,
        spec.peak_w,
        ev.soc_percent,
        spec.battery_kwh * 1000.0,
    )


@dataclass
class Negotiations:
    states: dict[int, NegotiationState] = field(default_factory=dict)
    needs: dict[int, Needs] = field(default_factory=dict)  # the last needs sent, per EVSE
    schedules: dict[int, EvSchedule] = field(default_factory=dict)  # the last schedule the EV chose
    offers: dict[int, int] = field(default_factory=dict)  # schedules offered in this session
    answers: list[tuple[int, str, str]] = field(default_factory=list)  # (EVSE, action, status)

    def state(self, evse_id: int) -> NegotiationState:
        return self.states.get(evse_id, S.IDLE)

    def handle(self, evse_id: int, request: Request) -> Send:
        following, send = TABLE[self.state(evse_id)].get(request, (self.state(evse_id), Send.NOTHING))
        self.states[evse_id] = following
        if request is R.END:
            self.offers.pop(evse_id, None)
        return send

    def choose_schedule(
        self, evse_id: int, ev: EvState, offered: list[tuple[float, float]], now: float
    ) -> EvSchedule:
        """The EV's answer to the limits it was offered (`offered`: the composite schedule)."""
        self.offers[evse_id] = self.offers.get(evse_id, 0) + 1
        peak = ev.spec.peak_w
        if ev.spec.schedule == "reject" and self.offers[evse_id] == 1:
            wanted = [(offset, max(peak, limit * 1.1)) for offset, limit in offered]
        else:
            wanted = [(offset, min(limit, peak)) for offset, limit in offered]
        periods = tuple(p for i, p in enumerate(wanted) if i == 0 or p[1] != wanted[i - 1][1])
        chosen = EvSchedule(evse_id, now, periods)
        self.schedules[evse_id] = chosen
        return chosen
