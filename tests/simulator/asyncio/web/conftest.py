"""A running fleet with its control port, against the reference backend, for the page and metrics tests.

Everything runs on one background loop (`BackgroundLoop`): the backend on free ports with a SQLite file
seeded for the bundled PIN and RFID scenarios, stations SIM-0001 (1.6) and SIM-0002 (2.0.1) staying
connected after `boot_only`, and the control server. Simulated time runs 120× real time.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import CancelledError
from dataclasses import dataclass
from typing import Any

import pytest

from evharness import scenarios
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.persistence import Store
from evharness.reference_backend.settings import BackendSettings
from evharness.simulator.asyncio.control import ControlServer
from evharness.simulator.asyncio.fleet import FleetPlan, StationRun, run_fleet
from evharness.simulator.asyncio.portal import BackgroundLoop
from evharness.simulator.core.clock import ScaledClock

SCALE = 120.0
RFID = "04A2B3C4D50001"  # an accepted card of the bundled rfid_charging scenario, seeded


@dataclass
class RunningFleet:
    loop: BackgroundLoop
    backend: BackendServer
    control: ControlServer
    runs: list[StationRun]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.control.port}"

    def get(self, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(self.base + path, headers=headers)
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read()

    def state(self, identity: str) -> dict[str, Any]:
        found: dict[str, Any] = json.loads(self.get(f"/stations/{identity}")[2])
        return found

    def until_booted(self) -> None:
        deadline = time.monotonic() + 20
        while any(run.station.boot_status != "Accepted" for run in self.runs):
            assert time.monotonic() < deadline, "the stations did not boot"
            time.sleep(0.02)


@pytest.fixture
def running_fleet(store: Store, database_url: str) -> Iterator[RunningFleet]:
    with BackgroundLoop("fleet-pages") as loop:
        backend = BackendServer(
            BackendSettings(ocpp_port=0, api_port=0, database_url=database_url, log_level="warning")
        )
        loop.run(backend.start())
        plan = FleetPlan(
            csms_url=backend.ocpp_url,
            versions=[OcppVersion.V16, OcppVersion.V201],
            scenarios=[scenarios.load("boot_only")],
            stations=2,
            keep_running=True,
        )
        started: asyncio.Future[tuple[ControlServer, list[StationRun]]] = loop.loop.create_future()

        async def serve(runs: list[StationRun]) -> Any:
            control = ControlServer([run.link for run in runs])
            await control.start()
            started.set_result((control, runs))
            return control.stop

        async def fleet() -> None:
            await run_fleet(plan, ScaledClock(SCALE), SCALE, on_start=serve, timeout_s=600)

        task = asyncio.run_coroutine_threadsafe(fleet(), loop.loop)

        async def wait() -> tuple[ControlServer, list[StationRun]]:
            return await started

        control, runs = loop.run(wait())
        running = RunningFleet(loop, backend, control, runs)
        running.until_booted()
        try:
            yield running
        finally:
            task.cancel()
            with contextlib.suppress(CancelledError):
                task.result(10)
            loop.run(backend.stop())
