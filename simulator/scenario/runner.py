"""A scenario as a resumable program over one station, with no I/O and no sleeps.

The runner is a generator of waits: `Sleep(until)` for simulated time, `Until(condition)` for
something the station must hear from the CSMS. The driver (`simulator.driver`) hands it the
station's events (`events_received`) and calls `step(now)` until it makes no progress, whenever the
station received a frame or time passed, and wakes it at `next_deadline()`. Every CSMS answer a
step waits for ends in a result, a CALLERROR or the RPC timeout, so no wait hangs while connected;
what the CSMS sends of its own accord (the local list) is awaited with a deadline.

Each token expectation says who decided (`decided_by`): the CSMS, or the station itself from its
local list, its cache or its offline policy — the summary counts them.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, field

from evharness.idtokens import IdType
from evharness.ocppj.vocabulary import Action, Status
from evharness.redaction import redact
from evharness.scenarios.model import (
    AwaitCost,
    AwaitCostStep,
    AwaitLocalListStep,
    BootStep,
    CertificatesStep,
    ChargeStep,
    DataTransferStep,
    EmsLimitStep,
    EvNeeds,
    EvNeedsStep,
    FaultStep,
    GoOfflineStep,
    PlugInStep,
    PresentToken,
    PresentTokenStep,
    RenewCertificate,
    RenewCertificateStep,
    Scenario,
    SecurityEventStep,
    Step,
    StopStep,
    UnplugStep,
    WaitStep,
)
from evharness.simulator.core import external_limits
from evharness.simulator.core.certificates import SignState
from evharness.simulator.core.events import (
    Authorized,
    Booted,
    CallFailed,
    DataTransferred,
    EvNegotiated,
    StationEvent,
    TransactionStarted,
)
from evharness.simulator.core.faults import FaultKind
from evharness.simulator.core.model import Own, PresentedToken
from evharness.simulator.core.notes import SecurityEvent
from evharness.simulator.core.station import Station

EVIDENCE = 8  # frames kept with each failed expectation


@dataclass(frozen=True, slots=True)
class Sleep:
    until: float


@dataclass(frozen=True, slots=True)
class Until:
    condition: Callable[[], bool]
    deadline: float | None = None  # give up waiting then (the condition is checked by the step)


Wait = Sleep | Until


@dataclass(frozen=True, slots=True)
class Expectation:
    """One thing the scenario expected of the CSMS, and what happened."""

    station: str
    step: int
    what: str
    expected: tuple[str, ...]
    actual: str
    ok: bool
    at: float
    frames: tuple[str, ...] = ()  # the station's last frames when a failed expectation was checked
    decided_by: str = "csms"  # for a token: csms, local_list, cache or offline_policy


# The station's `Authorized.source` → who decided (the scenario format's `decided_by`).
DECIDED_BY: dict[str, str] = {
    Action.Authorize: "csms",
    Action.StartTransaction: "csms",
    Action.TransactionEvent: "csms",
    "Remote": "csms",
    "LocalList": "local_list",
    "Cache": "cache",
    "Offline": "offline_policy",
    "OfflineUnknown": "offline_policy",
}


@dataclass
class ScenarioRunner:
    station: Station
    scenario: Scenario
    expectations: list[Expectation] = field(default_factory=list)
    done: bool = False
    aborted: str | None = None

    def __post_init__(self) -> None:
        self.scenario = self.scenario.for_station(self.station.identity)  # its own `{n}` codes
        self._now = 0.0
        self._program = self._run()
        self._wait: Wait | None = None
        self._started = False
        self._heard: list[StationEvent] = []  # the station's events since the current step began
        self._position = "before the first step"
        self._number = 0  # the current step
        self._judged: set[int] = set()  # ids of the CallFailed events an expectation already reported

    # -- the driver's side ----------------------------------------------------------------------

    def events_received(self, events: list[StationEvent]) -> None:
        self._heard += events

    def step(self, now: float) -> bool:
        """Run the program to its next wait if the current one is over; whether it moved (the
        driver then hands over the events that caused, and asks again)."""
        self._now = now
        if self.done:
            return False
        if not self._started:
            self._started = True
        elif self._wait is None or not self._satisfied(self._wait, now):
            return False
        self._wait = next(self._program, None)
        if self._wait is None:
            self.done = True
        return True

    def next_deadline(self) -> float | None:
        if isinstance(self._wait, Sleep):
            return self._wait.until
        return self._wait.deadline if self._wait is not None else None

    @property
    def failed(self) -> list[Expectation]:
        return [e for e in self.expectations if not e.ok]

    # -- the program ----------------------------------------------------------------------------

    def waiting_for(self, now: float) -> str:
        """Where the scenario stands and what the station waits for (a run that timed out says it)."""
        return f"{self._position}, waiting for {self.station.waiting_for(now)}"

    def _run(self) -> Generator[Wait, None, None]:
        for number, step in enumerate(self.scenario.steps, start=1):
            self._position = f"step {number} ({next(iter(type(step).model_fields))})"
            yield from self._step(number, step)
            if self.aborted:
                break
        else:
            self._position = "after the last step"
            yield Until(lambda: self.station.idle)
        self._expect_calls_answered()

    def _step(self, number: int, step: Step) -> Generator[Wait, None, None]:
        station = self.station
        self._expect_calls_answered()
        self._heard, self._number = [], number
        match step:
            case BootStep():
                yield from self._boot(number)
            case PlugInStep(plug_in=plug):
                evse, connector = (plug.evse, plug.connector) if plug else (1, 1)
                station.plug_in(evse, connector, self._now)
                yield Until(self._settled)
            case PresentTokenStep(present_token=present):
                yield from self._present_token(number, present)
            case ChargeStep(charge=charge):
                yield from self._charge(
                    number, charge.evse, charge.energy_kwh, charge.duration, charge.power_kw
                )
            case StopStep(stop=stop):
                evse, reason = (stop.evse, stop.reason) if stop else (1, "Local")
                station.stop_transaction(evse, reason, self._now)
                yield Until(self._settled)
            case UnplugStep(unplug=unplug):
                evse, connector = (unplug.evse, unplug.connector) if unplug else (1, 1)
                station.unplug(evse, connector, self._now)
                yield Until(self._settled)
            case WaitStep(wait=seconds):
                yield Sleep(self._now + seconds)
            case GoOfflineStep(go_offline=offline):
                station.inject_fault(FaultKind.GO_OFFLINE, self._now, offline.duration)
                yield Until(lambda: not station.connected)
            case FaultStep(fault=fault):
                station.inject_fault(FaultKind(fault.kind), self._now, fault.duration)
                yield Until(self._settled)
            case DataTransferStep(data_transfer=transfer):
                station.send_data_transfer(transfer.vendor, transfer.message, transfer.data, self._now)
                yield Until(self._settled)
                answers = [e.status for e in self._heard if isinstance(e, DataTransferred)]
                actual = answers[-1] if answers else "no answer"
                self._expect(number, f"DataTransfer {transfer.vendor}", tuple(transfer.expect), actual)
            case CertificatesStep(certificates=chosen):
                station.choose_certificates(**chosen.model_dump(exclude_none=True))
            case RenewCertificateStep(renew_certificate=renew):
                yield from self._renew_certificate(number, renew)
            case SecurityEventStep(security_event=event):
                station.security_event(SecurityEvent(event.type), self._now, event.tech_info)
                yield Until(self._settled)
            case EmsLimitStep(ems_limit=ems):
                if ems.release:
                    station.ems_release(ems.evse, ems.source, self._now)
                else:
                    limit = external_limits.limit_of(
                        ems.evse, ems.limit_kw, ems.limit_a, ems.source, ems.grid_critical, ems.duration
                    )
                    station.ems_limit(limit, self._now)
                yield Until(self._settled)
            case EvNeedsStep(ev_needs=needs):
                yield from self._ev_needs(number, needs)
            case AwaitLocalListStep(await_local_list=awaited):
                entries, timeout = (awaited.entries, awaited.timeout) if awaited else (1, 600.0)
                yield from self._await_local_list(number, entries, timeout)
            case AwaitCostStep(await_cost=cost):
                yield from self._await_cost(number, cost or AwaitCost())

    def _boot(self, number: int) -> Generator[Wait, None, None]:
        self.station.boot(self._now)
        outcome: list[StationEvent] = []

        def answered() -> bool:
            for event in self._heard:
                if (isinstance(event, Booted) and event.status == Status.ACCEPTED) or (
                    isinstance(event, CallFailed) and event.action == Action.BootNotification
                ):
                    outcome.append(event)
                    return True
            return False

        yield Until(answered)
        actual = self._judge(outcome[0])
        self._expect(number, "BootNotification accepted", (Status.ACCEPTED,), actual)
        if not isinstance(outcome[0], Booted):
            self.aborted = f"boot failed: {actual}"
        else:
            yield Until(self._settled)

    def _renew_certificate(self, number: int, renew: RenewCertificate) -> Generator[Wait, None, None]:
        """A03: SignCertificate, then the CertificateSigned the CSMS sends by itself (or not)."""
        own = Own(renew.which)
        certificates = self.station.certificates
        before = certificates.own.get(own)
        refused = certificates.refusals
        self.station.request_certificate(own, self._now)

        def outcome() -> str | None:
            if certificates.own.get(own) is not before:
                return "installed"
            if certificates.signing[own].state is SignState.IDLE:
                return "rejected"
            if certificates.refusals > refused:
                return "refused"
            return None

        yield Until(lambda: outcome() is not None, deadline=self._now + renew.timeout)
        self._expect(
            number, f"{renew.which} certificate renewed", tuple(renew.expect), outcome() or "no answer"
        )

    def _ev_needs(self, number: int, needs: EvNeeds) -> Generator[Wait, None, None]:
        """K17: the EV's new needs, and the CSMS's answer to them (1.6 has no such message: nothing)."""
        if not self.station.speaks_15118:
            return
        kwh, departure = needs.energy_kwh, needs.departure
        self.station.ev_renegotiate(needs.evse, self._now, energy_kwh=kwh, departure_s=departure)
        answers: list[str] = []

        def answered() -> bool:
            for event in self._heard:
                if isinstance(event, EvNegotiated) and event.action == Action.NotifyEVChargingNeeds:
                    answers.append(event.status)
                elif isinstance(event, CallFailed) and event.action == Action.NotifyEVChargingNeeds:
                    answers.append(self._judge(event))
            return bool(answers)

        yield Until(lambda: answered() or self._settled())
        actual = answers[0] if answers else "no answer"
        self._expect(number, "EV charging needs taken", tuple(needs.expect), actual)
        yield Until(self._settled)

    def _await_cost(self, number: int, cost: AwaitCost) -> Generator[Wait, None, None]:
        """The cost the CSMS told of the station's last transaction (`simulator.core.cost`)."""
        costs = self.station.costs

        def state() -> str:
            latest = costs.latest()
            return "none told" if latest is None else latest.state.value

        yield Until(lambda: state() in cost.expect, deadline=self._now + cost.timeout)
        self._expect(number, "cost of the last transaction", tuple(cost.expect), state())

    def _await_local_list(self, number: int, entries: int, timeout: float) -> Generator[Wait, None, None]:
        local_list = self.station.local_list

        def received() -> bool:
            return len(local_list.entries) >= entries

        yield Until(received, deadline=self._now + timeout)
        held = len(local_list.entries)
        actual = (
            "received" if received() else f"{held} entries (version {local_list.version}) after {timeout:g} s"
        )
        self._expect(
            number, f"local authorization list of {entries}+ entries received", ("received",), actual
        )

    def _present_token(self, number: int, present: PresentToken) -> Generator[Wait, None, None]:
        token_id, evse_id = present.token, present.evse
        token = self.scenario.token(token_id)
        expected = tuple(present.expect or token.expect)
        expected_start = tuple(present.expect_start or expected)
        presented = PresentedToken(IdType(token.type), token.code)
        self.station.present_token(evse_id, presented, self._now)
        found: list[StationEvent] = []

        def answered() -> bool:
            for event in self._heard:
                if (isinstance(event, Authorized) and event.code == token.code) or (
                    isinstance(event, CallFailed) and event.action == Action.Authorize
                ):
                    found.append(event)
                    return True
            return False

        yield Until(answered)
        actual = self._judge(found[0])
        decided_by = _decided_by(found[0])
        what = f"token {token_id} ({token.type.value}) → {' or '.join(expected)}"
        self._expect(number, what, expected, actual, decided_by)
        if present.decided_by is not None:
            self._expect(
                number, f"token {token_id} decided by", (present.decided_by,), decided_by, decided_by
            )
        evse = self.station.evses[evse_id]
        if actual != Status.ACCEPTED or not evse.plugged:
            yield Until(self._settled)
            return
        # an accepted token at a plugged EVSE starts (1.6) or authorizes (2.0.1) the transaction;
        # in memory that may all have happened already, so look at everything since the token
        started: list[StationEvent] = []

        def settled() -> bool:
            for event in self._heard:
                if (
                    isinstance(event, TransactionStarted)
                    or (isinstance(event, CallFailed) and event.action != Action.Authorize)
                    or (isinstance(event, Authorized) and event.source != Action.Authorize)
                ):
                    started.append(event)
                    return True
            return False

        def quiet() -> bool:  # no new event will come: nothing started, or it was already running
            transaction = evse.transaction
            return self._settled() and (transaction is None or transaction.authorized)

        yield Until(lambda: settled() or quiet())
        outcome = started[0] if started else None
        match outcome:
            case TransactionStarted():
                actual = Status.ACCEPTED
            case Authorized(status=status):
                actual = status
            case CallFailed():
                actual = self._judge(outcome)
            case _:
                running = evse.transaction is not None and evse.transaction.authorized
                actual = Status.ACCEPTED if running else "no transaction"
        what = f"transaction start with {token_id} → {' or '.join(expected_start)}"
        self._expect(number, what, expected_start, actual, decided_by)
        yield Until(self._settled)

    def _charge(
        self,
        number: int,
        evse_id: int,
        energy_kwh: float | None,
        duration: float | None,
        power_kw: float | None,
    ) -> Generator[Wait, None, None]:
        evse = self.station.evses[evse_id]
        transaction = evse.transaction
        if transaction is None or not transaction.authorized:
            if not self.failed:  # else the refusal that left no transaction is reported already, once
                self._expect(number, "a transaction to charge in", ("authorized",), "none")
            return
        power_w = min((power_kw * 1000.0) if power_kw else evse.max_power_w, evse.max_power_w)
        evse.meter.advance(self._now)
        if energy_kwh is not None:
            limit = evse.meter.energy_wh + energy_kwh * 1000.0
            self.station.ev_draw(evse_id, power_w, self._now, energy_limit_wh=limit)
            meter = evse.meter

            def charged() -> bool:
                """The energy is in, or it never will be (transaction over, nothing flowing)."""
                stuck = meter.power_w <= 0 and evse.next_power_review_at is None
                return meter.energy_wh >= limit - 1e-6 or evse.transaction is not transaction or stuck

            yield Until(charged)
        else:
            assert duration is not None
            self.station.ev_draw(evse_id, power_w, self._now)
            yield Sleep(self._now + duration)
        self.station.ev_draw(evse_id, 0.0, self._now)

    def _judge(self, event: StationEvent) -> str:
        """What the CSMS answered, as an expectation's `actual`; a CALL failure it reports is judged."""
        if isinstance(event, CallFailed):
            self._judged.add(id(event))
        return _describe(event)

    def _expect_calls_answered(self) -> None:
        """Every CALL of the station that failed (CALLERROR, no answer in time) and that no other
        expectation of the step judged fails an expectation of its own, unless the scenario's
        `may_fail` names its action: a CSMS that refuses a StatusNotification is seen."""
        for event in self._heard:
            if (
                isinstance(event, CallFailed)
                and id(event) not in self._judged
                and event.action not in self.scenario.may_fail
            ):
                self._judged.add(id(event))
                self._expect(self._number, f"{event.action} answered", ("answered",), _describe(event))

    def _settled(self) -> bool:
        """Everything sent and answered — or offline on purpose, where nothing will be answered."""
        return self.station.idle or not self.station.wants_connection(self._now)

    def _expect(
        self, number: int, what: str, expected: tuple[str, ...], actual: str, decided_by: str = "csms"
    ) -> None:
        ok = actual in expected
        frames = () if ok else tuple(f"{d} {text}" for d, text, _ in list(self.station.frame_log)[-EVIDENCE:])
        self.expectations.append(
            Expectation(
                self.station.identity, number, what, expected, actual, ok, self._now, frames, decided_by
            )
        )

    @staticmethod
    def _satisfied(wait: Wait, now: float) -> bool:
        if isinstance(wait, Sleep):
            return now >= wait.until
        return wait.condition() or (wait.deadline is not None and now >= wait.deadline)


def _decided_by(event: StationEvent) -> str:
    """Who decided a token: the station itself (from where), or the CSMS."""
    return DECIDED_BY.get(event.source, "csms") if isinstance(event, Authorized) else "csms"


def _describe(event: StationEvent) -> str:
    """What the CSMS answered, as an expectation's `actual`."""
    match event:
        case Booted(status=status) | Authorized(status=status):
            return status
        case CallFailed(code=code, description=description):
            return f"{code}: {redact(description)}"
    return type(event).__name__
