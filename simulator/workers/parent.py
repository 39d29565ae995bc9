"""The parent of `evharness sim --processes N`: start the workers, route the control API, merge the
summaries, report the workers that die (see the package's docstring for the design)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import signal
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console

from evharness.identities import station_identity
from evharness.settings import Option
from evharness.simulator.workers.limits import processes_needed
from evharness.simulator.workers.merge import Lost, merge
from evharness.simulator.workers.proxy import ControlProxy, Upstream

PER_PROCESS_MIN = 1000  # the default starts no process for fewer stations than this
CONTROL_FILE = "control.json"  # a worker's control port, written once it listens
SUMMARY_FILE = "summary.json"  # a worker's summary and raw latencies (`merge.worker_part`)
POLL_S = 0.05
STOP_GRACE_S = 60.0  # after the run timeout, real seconds a worker gets to stop before it is killed


def default_processes(stations: int, open_files: int, cores: int | None = None) -> int:
    """One per core, never one for fewer than `PER_PROCESS_MIN` stations, and as many as the
    open-files limit needs."""
    cores = cores or os.cpu_count() or 1
    return max(1, processes_needed(stations, open_files), min(cores, math.ceil(stations / PER_PROCESS_MIN)))


def spread(stations: int, processes: int, first_number: int) -> list[tuple[int, int]]:
    """(first station number, stations) of each process: contiguous ranges, sizes differing by one."""
    base, extra = divmod(stations, processes)
    ranges = []
    number = first_number
    for index in range(processes):
        count = base + (index < extra)
        ranges.append((number, count))
        number += count
    return ranges


@dataclass
class Worker:
    number: int  # 1-based
    first_number: int
    stations: int
    directory: Path
    upstream: Upstream
    process: asyncio.subprocess.Process | None = None
    exit_code: int | None = None

    def identities(self, prefix: str) -> list[str]:
        return [
            station_identity(prefix, n) for n in range(self.first_number, self.first_number + self.stations)
        ]

    def part(self) -> dict[str, Any] | None:
        path = self.directory / SUMMARY_FILE
        if not path.is_file():
            return None
        part: dict[str, Any] = json.loads(path.read_text())
        return part


@dataclass
class WorkerPlan:
    """What the parent needs of `evharness sim`'s arguments."""

    options: Sequence[Option]  # the command's options: passed to each worker by environment variable
    values: dict[str, Any]  # their values, by argparse destination
    stations: int
    first_number: int
    id_prefix: str
    processes: int
    control: tuple[str, int] | None
    run_timeout_s: float
    protocols: str
    scenarios: str
    empty: dict[str, Any]  # the summary of a fleet of no station (`merge.merge` needs one part)
    environ: dict[str, str] = field(default_factory=lambda: dict(os.environ))


def worker_environment(plan: WorkerPlan) -> dict[str, str]:
    env = dict(plan.environ)
    for option in plan.options:
        value = plan.values.get(option.flag.lstrip("-").replace("-", "_"))
        if value is None:
            env.pop(option.env, None)
        else:
            env[option.env] = str(value)
    env.pop("EVHARNESS_REPORT", None)
    stagger = plan.values.get("stagger")
    if stagger is not None:  # --stagger paces the fleet: N workers connect one station each N × stagger
        env["EVHARNESS_STAGGER"] = repr(float(stagger) * plan.processes)
    return env | {"PYTHONUNBUFFERED": "1"}


def worker_command(worker: Worker, control: bool) -> list[str]:
    command = [
        sys.executable, "-m", "evharness", "sim", "--stations", str(worker.stations),
        "--first-number", str(worker.first_number), "--processes", "1", "--worker-dir", str(worker.directory),
    ]  # fmt: skip
    if control:
        command += ["--control-host", "127.0.0.1", "--control-port", "0"]
    return command


async def run_workers(plan: WorkerPlan, console: Console) -> dict[str, Any]:
    """Run the fleet over `plan.processes` workers; the merged summary."""
    with tempfile.TemporaryDirectory(prefix="evharness-sim-") as scratch:
        workers = []
        for index, (first, count) in enumerate(spread(plan.stations, plan.processes, plan.first_number)):
            directory = Path(scratch) / str(index + 1)
            directory.mkdir()
            workers.append(Worker(index + 1, first, count, directory, Upstream(index + 1)))
        return await _run(plan, workers, console)


async def _run(plan: WorkerPlan, workers: list[Worker], console: Console) -> dict[str, Any]:
    env = worker_environment(plan)
    for worker in workers:
        worker.process = await asyncio.create_subprocess_exec(
            *worker_command(worker, plan.control is not None), env=env, stdin=asyncio.subprocess.DEVNULL
        )
        first, last = worker.identities(plan.id_prefix)[0], worker.identities(plan.id_prefix)[-1]
        console.print(
            f"worker {worker.number}: {first} … {last} ({worker.stations} stations), pid {worker.process.pid}"
        )
    stopping = _Stopper(workers)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.signal)
    proxy: ControlProxy | None = None
    try:
        waits = [asyncio.ensure_future(_wait(worker, plan, console)) for worker in workers]
        if plan.control is not None:
            proxy = await _start_proxy(plan, workers, console)
        done, _ = await asyncio.wait(waits, timeout=plan.run_timeout_s + STOP_GRACE_S)
        if len(done) < len(waits):  # a worker outlived its own run timeout: stop it, then kill it
            stopping.signal()
            done, _ = await asyncio.wait(waits, timeout=STOP_GRACE_S)
            if len(done) < len(waits):
                stopping.signal()
            await asyncio.wait(waits)
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
        if proxy is not None:
            await proxy.stop()
    parts, lost = [plan.empty], []
    for worker in workers:
        part = worker.part()
        if part is None:
            lost.append(_lost(worker, plan))
        else:
            parts.append(part)
    return merge(parts, lost)


def _lost(worker: Worker, plan: WorkerPlan) -> Lost:
    names = worker.identities(plan.id_prefix)
    return Lost(
        worker.number, names[0], names[-1], worker.stations, worker.exit_code, plan.protocols, plan.scenarios
    )


async def _wait(worker: Worker, plan: WorkerPlan, console: Console) -> None:
    assert worker.process is not None
    worker.exit_code = await worker.process.wait()
    if worker.part() is None:
        why = _lost(worker, plan).why
        worker.upstream.down = f"died with exit code {worker.exit_code}"
        console.print(f"[red]{why}[/]", overflow="fold")
    else:
        worker.upstream.down = "finished"


async def _start_proxy(plan: WorkerPlan, workers: list[Worker], console: Console) -> ControlProxy:
    """Wait until every worker listens (or died), then serve the fleet's control API."""
    assert plan.control is not None
    for worker in workers:
        path = worker.directory / CONTROL_FILE
        while not path.is_file() and worker.exit_code is None:  # noqa: ASYNC110 (another process writes it)
            await asyncio.sleep(POLL_S)
        if path.is_file():
            worker.upstream.port = int(json.loads(path.read_text())["port"])
    owner = {
        identity: index
        for index, worker in enumerate(workers)
        for identity in worker.identities(plan.id_prefix)
    }
    proxy = ControlProxy([worker.upstream for worker in workers], owner, *plan.control)
    await proxy.start()
    url = f"{proxy.host}:{proxy.port}"
    console.print(f"control API  http://{url}/stations  ws://{url}/control")
    console.print(f"fleet page   {proxy.page_url}   metrics  {proxy.url}metrics")
    return proxy


@dataclass
class _Stopper:
    """SIGINT / SIGTERM: the first asks every worker to stop (SIGTERM: it stops its stations and
    writes its summary), the next one kills them."""

    workers: list[Worker]
    asked: int = 0

    def signal(self) -> None:
        self.asked += 1
        sent = signal.SIGTERM if self.asked == 1 else signal.SIGKILL
        for worker in self.workers:
            if worker.process is not None and worker.process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(worker.process.pid, sent)
