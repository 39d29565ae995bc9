"""Many stations in one event loop, each with its scenario, started in a staggered way."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from evharness.identities import station_identity
from evharness.ocppj.versions import OcppVersion
from evharness.scenarios.model import Scenario
from evharness.simulator.asyncio.transport import FrameHook, StationLink
from evharness.simulator.backoff import Backoff, OcppBackoff
from evharness.simulator.core.clock import Clock, stamp_time
from evharness.simulator.core.events import StationEvent
from evharness.simulator.core.station import Station
from evharness.simulator.journal_file import JournalFile
from evharness.simulator.protocol import adapter_for
from evharness.simulator.scenario.runner import Expectation, ScenarioRunner
from evharness.simulator.scenario.station_config import station_config
from evharness.simulator.security import SecurityProfile
from evharness.simulator.template import StationTemplate


@dataclass
class StationRun:
    identity: str
    version: OcppVersion
    scenario: Scenario
    link: StationLink
    runner: ScenarioRunner
    error: str | None = None
    finished: bool = False

    @property
    def station(self) -> Station:
        return self.link.station

    @property
    def expectations(self) -> list[Expectation]:
        return self.runner.expectations

    @property
    def events(self) -> list[StationEvent]:
        return self.station.events

    @property
    def ok(self) -> bool:
        return self.error is None and self.runner.done and not self.runner.failed and not self.runner.aborted


@dataclass
class FleetPlan:
    csms_url: str
    versions: Sequence[OcppVersion]
    scenarios: Sequence[Scenario]
    stations: int
    id_prefix: str = "SIM"
    first_number: int = 1
    call_timeout_s: float = 30.0  # real seconds
    stagger_s: float = 0.01  # real seconds between connects
    connect_attempts: int = 8  # failed connects in a row before a station gives up
    validate_outgoing: bool = False
    template: StationTemplate | None = None  # replaces each scenario's `station:` block but its local_auth
    security: SecurityProfile = field(default_factory=SecurityProfile)
    state_dir: str | None = None  # per-station journals: what a station keeps across a restart
    ocpp_backoff: bool = True  # reconnect per OCPPCommCtrlr.RetryBackOff* (else a fixed fast back-off)
    keep_running: bool = False  # stay connected after the scenario (driven by the control API)
    timestamps: str = "simulated"  # or "wall": message timestamps show the wall clock (Clock.wall_of)


@dataclass
class FleetResult:
    runs: list[StationRun]
    time_scale: float
    real_seconds: float
    extra: dict[str, float] = field(default_factory=dict)
    timestamps: str = "simulated"  # what the stations' message timestamps showed (FleetPlan.timestamps)

    @property
    def ok(self) -> bool:
        return all(run.ok for run in self.runs)


def build_runs(
    plan: FleetPlan, clock: Clock, scale: float, on_frame: FrameHook | None = None
) -> list[StationRun]:
    """Stations get versions and scenarios round-robin, so 20 stations × 2 × 2 cover every pair."""
    combos = list(itertools.product(plan.versions, plan.scenarios))
    runs = []
    for index in range(plan.stations):
        version, scenario = combos[index % len(combos)]
        identity = station_identity(plan.id_prefix, plan.first_number + index)
        timeout = plan.call_timeout_s * scale
        config = station_config(scenario, plan.template, identity, timeout)
        station = Station(
            identity, adapter_for(version), config, clock.now(), validate_outgoing=plan.validate_outgoing
        )
        station.stamp_time = stamp_time(clock, plan.timestamps)
        runner = ScenarioRunner(station, scenario)
        link = StationLink(
            station,
            plan.csms_url,
            clock,
            runner,
            backoff=OcppBackoff(station) if plan.ocpp_backoff else Backoff(),
            on_frame=on_frame,
            max_connect_attempts=plan.connect_attempts,
            security=plan.security,
            journal=JournalFile(plan.state_dir, identity) if plan.state_dir else None,
            keep_running=plan.keep_running,
        )
        runs.append(StationRun(identity, version, scenario, link, runner))
    return runs


async def run_fleet(
    plan: FleetPlan,
    clock: Clock,
    scale: float,
    *,
    on_progress: Callable[[StationRun], None] | None = None,
    timeout_s: float | None = None,
    on_start: Callable[[list[StationRun]], Awaitable[Callable[[], Awaitable[None]]]] | None = None,
    stop: asyncio.Event | None = None,
) -> FleetResult:
    """Run every station until all are done, `timeout_s` passed or `stop` is set (SIGTERM);
    `on_start` (e.g. the control API) gets the runs and returns its closer."""
    runs = build_runs(plan, clock, scale)
    started = time.monotonic()
    close = await on_start(runs) if on_start is not None else None

    async def one(index: int, run: StationRun) -> None:
        await asyncio.sleep(index * plan.stagger_s)
        try:
            await run.link.run()
        except ConnectionError as exc:
            run.error = str(exc)
        run.finished = True
        if on_progress is not None:
            on_progress(run)

    tasks = [asyncio.create_task(one(i, run)) for i, run in enumerate(runs)]
    everything: asyncio.Future[Any] = asyncio.ensure_future(asyncio.wait(tasks))
    waits: set[asyncio.Future[Any]] = {everything}
    if stop is not None:
        waits.add(asyncio.ensure_future(stop.wait()))
    try:
        await asyncio.wait(waits, timeout=timeout_s, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiting in waits:
            waiting.cancel()
        if close is not None:
            await close()
    pending = {task for task in tasks if not task.done()}
    stopped = stop is not None and stop.is_set()
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    for run in runs:
        if not run.finished and not (plan.keep_running or stopped):
            stood = run.runner.waiting_for(clock.now())
            run.error = f"did not finish within {timeout_s:g} s (last error: {run.link.last_error}); {stood}"
        elif not run.finished:
            run.finished = True
    return FleetResult(runs, scale, time.monotonic() - started, timestamps=plan.timestamps)
