"""The station user: a Locust user that IS a simulated station (the simulator's own station core,
protocol adapters and scenario runner), over the blocking `simulator.sync` link.

Each user boots once, then runs charging sessions back to back, each from a scenario file without
its `boot` step: plug in, present tokens (refused ones first), charge, stop, unplug. What Locust sees:

- request_type "OCPP", name = the action: every round trip of the station, with its real response
  time. A CALLERROR, an answer that breaks the schema, a timeout, or an authorization status the
  scenario did not expect for that token is a failure whose message says why.
- request_type "WebSocket", name "connect": each handshake (failures: refused, unreachable), the
  reconnections after a dropped connection too: a session goes on through a drop (the station
  charges, meters and queues while it backs off, and replays once back: `simulator.sync`).
- request_type "Session", name = the scenario's name: one whole session, failed if any expectation
  of the scenario failed or it did not finish in time (`--session-timeout`).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Mapping
from typing import ClassVar

from locust import User, constant, task
from locust.env import Environment
from locust.exception import StopUser

from evharness.loadtests.identities import IdentityPool
from evharness.loadtests.sessions import OcppFailure, Scenarios, expected_statuses, failure_reason
from evharness.loadtests.settings import LoadSettings
from evharness.ocppj.versions import OcppVersion
from evharness.scenarios.model import Scenario
from evharness.simulator.core.clock import ScaledClock, stamp_time
from evharness.simulator.core.events import RoundTrip, StationEvent
from evharness.simulator.core.station import Station
from evharness.simulator.protocol import adapter_for
from evharness.simulator.scenario.runner import ScenarioRunner
from evharness.simulator.sync.transport import LinkError, SyncStationLink

REQUEST_TYPE = "OCPP"


class _RunContext:
    """What all users of one Locust environment share: settings, scenarios, the identity pool."""

    def __init__(self, environment: Environment) -> None:
        self.settings = LoadSettings.from_options(environment.parsed_options)
        self.scenarios = Scenarios(self.settings.scenarios, self.settings.weights)
        runner = environment.runner
        worker_index = int(getattr(runner, "worker_index", 0) or 0)
        self.pool = IdentityPool(
            self.settings.id_prefix, self.settings.first_number, self.settings.id_stride, worker_index
        )


_contexts: dict[int, _RunContext] = {}


def run_context(environment: Environment) -> _RunContext:
    context = _contexts.get(id(environment))
    if context is None:
        context = _contexts[id(environment)] = _RunContext(environment)
    return context


class StationClient:
    """One station and its link, reporting every round trip to Locust's request event."""

    def __init__(self, user: StationUser, identity: str, version: OcppVersion, context: _RunContext) -> None:
        settings = context.settings
        self.user = user
        self.load = context
        self.clock = ScaledClock(settings.time_scale)
        # one station runs every scenario of the run: it is built to fit them all
        config = context.scenarios.station_config(identity, settings.call_timeout_s * settings.time_scale)
        self.station = Station(identity, adapter_for(version), config, self.clock.now())
        self.station.stamp_time = stamp_time(self.clock, settings.timestamps)
        self.link = SyncStationLink(
            self.station,
            user.host or "",
            self.clock,
            on_round_trip=self._round_trip,
            on_connect=self._connected,
        )
        self._expected: Mapping[str, frozenset[str]] = {}

    # -- what the user does ---------------------------------------------------------------------

    def connect(self) -> None:
        self.link.connect()  # reported by `_connected`

    def boot(self) -> bool:
        """BootNotification until Accepted (the scenario's boot step); False if it failed."""
        return self.run_session(self.load.scenarios.boot, {}, report=False)

    def run_session(
        self, scenario: Scenario, expected: Mapping[str, frozenset[str]], *, report: bool = True
    ) -> bool:
        """Run one scenario; its round trips are reported as they happen, the session itself at the end."""
        settings = self.load.settings
        self.link.forget_events()
        runner = ScenarioRunner(self.station, scenario)
        # a scenario with `{n}` codes: this station's own codes (the runner expanded them)
        self._expected = expected_statuses(runner.scenario) if scenario.per_station else expected
        started = time.perf_counter()
        error: OcppFailure | None = None
        try:
            self.link.run(runner, settings.session_timeout_s)
        except LinkError as exc:
            error = OcppFailure(str(exc))
        if error is None and (runner.failed or runner.aborted):
            failed = runner.failed[0] if runner.failed else None
            error = OcppFailure(
                runner.aborted
                or (
                    f"step {failed.step} ({failed.what}): {failed.actual}" if failed else "expectation failed"
                )
            )
        if report:
            self._fire("Session", scenario.name, time.perf_counter() - started, error)
        return error is None

    @property
    def unsettled(self) -> bool:
        """A transaction still open, or messages still to replay (a session was cut short)."""
        open_transaction = any(evse.transaction is not None for evse in self.station.evses.values())
        return open_transaction or not self.station.idle

    def wind_down(self) -> None:
        """End what a cut-short session left open (stop, unplug, replay), on the current connection."""
        runner = ScenarioRunner(self.station, self.load.scenarios.wind_down)
        self.link.run(runner, self.load.settings.call_timeout_s)

    def close(self) -> None:
        """End a transaction left open (the user was stopped mid-session), then disconnect.

        Locust stops a user by killing its greenlet, possibly inside a blocking receive, which leaves
        that connection unusable: the station reconnects (replaying what it had queued) to wind down.
        """
        was_connected = self.link.connected
        self.link.close()
        if was_connected and self.unsettled:
            with contextlib.suppress(LinkError):
                self.link.connect()
                self.wind_down()
            self.link.close()

    # -- reporting ------------------------------------------------------------------------------

    def _round_trip(self, trip: RoundTrip, real_seconds: float, events: list[StationEvent]) -> None:
        reason = failure_reason(trip, events, self._expected)
        self._fire(REQUEST_TYPE, trip.action, real_seconds, OcppFailure(reason) if reason else None)

    def _connected(self, seconds: float, error: LinkError | None) -> None:
        self._fire("WebSocket", "connect", seconds, None if error is None else OcppFailure(str(error)))

    def _fire(self, kind: str, name: str, seconds: float, error: Exception | None) -> None:
        self.user.environment.events.request.fire(
            request_type=kind,
            name=name,
            response_time=seconds * 1000.0,
            response_length=0,
            exception=error,
            context={"station": self.station.identity},
        )


class StationUser(User):
    """A simulated charging station. Subclass it in a locustfile; set `wait_time` and weights there."""

    abstract = True
    wait_time = constant(0)
    reconnect_delay_s: ClassVar[float] = 1.0

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        self.load = run_context(environment)
        self.offset, self.identity = self.load.pool.acquire()
        protocols = self.load.settings.protocols
        self.client = StationClient(self, self.identity, protocols[self.offset % len(protocols)], self.load)
        self.booted = False

    def on_start(self) -> None:
        self._ensure_ready()

    def on_stop(self) -> None:
        self.client.close()
        self.load.pool.release(self.offset)

    @task
    def charging_session(self) -> None:
        if not self._ensure_ready():
            return
        scenarios_ = self.load.scenarios
        index = scenarios_.pick()
        self.client.run_session(scenarios_.sessions[index], scenarios_.expected[index])

    def _ensure_ready(self) -> bool:
        """Connected, booted and settled (a session cut short by a broken connection is ended first);
        on failure wait a little (the failure is already reported)."""
        try:
            if not self.client.link.connected:
                self.booted = False
                self.client.connect()
            if not self.booted:
                self.booted = self.client.boot()
            if self.booted and self.client.unsettled:
                self.client.wind_down()
        except LinkError as exc:
            if exc.final:  # the CSMS refused this station (HTTP 4xx): retrying will not change that
                raise StopUser from None
        ready = self.booted and self.client.link.connected
        if not ready:  # the station's clock runs on meanwhile: it charges, meters and queues
            self.client.link.wait_offline(self.reconnect_delay_s)
        return ready
