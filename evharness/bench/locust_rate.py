"""Locust: OCPP round trips per second of the station user, against a bare websocket Locust user.

- One worker (one Locust process, headless) with N station users against the reference backend, and N bare
  websocket users (`loadtests/bare.py`) against the echo server: round trips per CPU second of the Locust
  process, over the steady part of the run.
- Two workers under one master (2N users, each worker owning its own station numbers) against one worker:
  round trips per second achieved. On a 2-core machine the backend shares the cores with the workers.

Rates come from Locust's CSV history (the `Aggregated` row scaled to the OCPP share of the requests), the
CPU from psutil samples of the worker processes at the same moments.
"""

from __future__ import annotations

import csv
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psutil

from evharness import loadtests, scenarios
from evharness.backend_process import BackendProcess
from evharness.bench.cpu import SESSION_SCENARIOS, sqlite_url
from evharness.bench.figures import Figures, ratio
from evharness.bench.measure import Server, cpu_seconds
from evharness.seed import seed

if TYPE_CHECKING:
    from evharness.bench.plan import BenchPlan

Say = Callable[[str], None]
LOCUST = [sys.executable, "-m", "locust"]
WARM_UP_ROWS = 5  # history rows (about a second each) skipped after the last user spawned


@dataclass
class CpuSamples:
    """CPU seconds of some processes, sampled together over time."""

    processes: list[psutil.Process]
    samples: list[tuple[float, float]] = field(default_factory=list)  # (wall time, summed CPU seconds)

    def take(self) -> None:
        total = 0.0
        for process in self.processes:
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                return  # a process ended: the run is over
            total += times.user + times.system
        self.samples.append((time.time(), total))

    def at(self, moment: float) -> float:
        """The CPU seconds at `moment`, interpolated between the samples around it."""
        previous = self.samples[0]
        for sample in self.samples:
            if sample[0] >= moment:
                span = sample[0] - previous[0]
                if span <= 0:
                    return sample[1]
                return previous[1] + (sample[1] - previous[1]) * (moment - previous[0]) / span
            previous = sample
        return self.samples[-1][1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def run_locust(
    locustfile: Path, host: str, users: int, seconds: int, out: Path, extra: Sequence[str], workers: int = 0
) -> dict[str, Any]:
    """Run Locust headless — one process, or a master with `workers` workers — and read its rates."""
    common = [*LOCUST, "-f", str(locustfile), "--loglevel", "WARNING", *extra]
    head = [
        *common, "--headless", "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--host", host,
        "--csv", str(out), "--csv-full-history", "--only-summary",
    ]  # fmt: skip
    worker_processes: list[subprocess.Popen[bytes]] = []
    if workers:
        port = free_port()
        head += ["--master", "--master-bind-host", "127.0.0.1", "--master-bind-port", str(port)]
        head += ["--expect-workers", str(workers)]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    main = subprocess.Popen(head, **quiet)  # type: ignore[call-overload]
    try:
        for _ in range(workers):
            command = [*common, "--worker", "--master-host", "127.0.0.1", "--master-port", str(port)]
            worker_processes.append(subprocess.Popen(command, **quiet))  # type: ignore[call-overload]
        measured = worker_processes or [main]
        cpu = CpuSamples([psutil.Process(process.pid) for process in measured])
        deadline = time.monotonic() + seconds + 120
        while main.poll() is None and time.monotonic() < deadline:
            cpu.take()
            time.sleep(0.25)
    finally:
        for process in (main, *worker_processes):  # ours, by PID
            if process.poll() is None:
                process.kill()
            process.wait()
    return _rates(out, cpu, users, seconds, workers or 1)


def steady_start(history: list[tuple[float, float, float, int]], users: int) -> int:
    """The first history row of the steady part: every user spawned, then WARM_UP_ROWS more (fewer when
    the run is short: the window keeps at least its last half)."""
    spawned = next((index for index, row in enumerate(history) if row[3] >= users), 0)
    return min(spawned + WARM_UP_ROWS, max(spawned, len(history) // 2))


def steady_end(history: list[tuple[float, float, float, int]], users: int) -> int:
    """The last history row before the users start stopping (the last row if they never all ran)."""
    running = [index for index, row in enumerate(history) if row[3] >= users]
    return running[-1] if running and running[-1] > len(history) // 2 else len(history) - 1


def _rates(out: Path, cpu: CpuSamples, users: int, seconds: int, workers: int) -> dict[str, Any]:
    history = _history(out)
    final = _final_counts(out)
    ocpp_share = final["ocpp"] / final["all"] if final["all"] else 0.0
    start_t, start_n, _, _ = history[steady_start(history, users)]
    end_t, end_n, _, _ = history[steady_end(history, users)]
    used = cpu.at(end_t) - cpu.at(start_t)
    window = max(end_t - start_t, 1e-9)
    trips = (end_n - start_n) * ocpp_share
    return {
        "users": users,
        "workers": workers,
        "seconds": seconds,
        "ocpp_round_trips": final["ocpp"],
        "failures": final["failures"],
        "round_trips_per_s_achieved": round(trips / window),
        "round_trips_per_locust_cpu_s": round(trips / max(used, 1e-9)),
        "locust_cpu_share": round(used / window, 2),
        "steady_from_s": round(start_t - history[0][0], 1),
        "series": [[round(t - history[0][0], 1), round(rate * ocpp_share, 1)] for t, _, rate, _ in history],
    }


def _history(prefix: Path) -> list[tuple[float, float, float, int]]:
    """(timestamp, requests so far, requests per second, users) of the Aggregated row, one per second."""
    rows = []
    with (prefix.parent / f"{prefix.name}_stats_history.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == "Aggregated":
                moment, done, rate = (
                    float(row[n]) for n in ("Timestamp", "Total Request Count", "Requests/s")
                )
                rows.append((moment, done, rate, int(row["User Count"])))
    if len(rows) < 2:
        raise RuntimeError(f"the Locust run {prefix.name} wrote no history")
    return rows


def _final_counts(prefix: Path) -> dict[str, int]:
    counts = {"all": 0, "ocpp": 0, "failures": 0}
    with (prefix.parent / f"{prefix.name}_stats.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == "Aggregated":
                counts["all"] = int(row["Request Count"])
                counts["failures"] = int(row["Failure Count"])
            elif row["Type"] == "OCPP":
                counts["ocpp"] += int(row["Request Count"])
    return counts


def _said(name: str, run: dict[str, Any]) -> str:
    return (
        f"  {name}: {run['ocpp_round_trips']} OCPP round trips, {run['failures']} failures; "
        f"{run['round_trips_per_s_achieved']}/s achieved, "
        f"{run['round_trips_per_locust_cpu_s']} per Locust CPU s "
        f"(Locust at {run['locust_cpu_share']:.0%} of a core)"
    )


def station_runs(plan: BenchPlan, folder: Path, say: Say) -> dict[str, dict[str, Any]]:
    """One worker with N station users, then a master with two workers of N each; a fresh backend each."""
    users, seconds = plan.locust_users, plan.locust_seconds
    extra = [
        "--id-prefix",
        "LOCUST",
        "--id-stride",
        str(users),
        "--time-scale",
        f"{plan.locust_time_scale:g}",
    ]
    runs: dict[str, dict[str, Any]] = {}
    for name, workers in (("one_worker", 0), ("two_workers", 2)):
        everyone = users * (workers or 1)
        url = sqlite_url(plan.workdir / f"locust-{name}.sqlite3")
        for scenario in SESSION_SCENARIOS:
            seed(url, scenarios.load(scenario), everyone, "LOCUST")
        shape = "two workers under one master" if workers else "one worker"
        say(f"Locust, {shape}: {everyone} station users for {seconds} s against the reference backend …")
        with BackendProcess(url) as backend:
            assert backend.pid is not None
            before = cpu_seconds(backend.pid)
            run = run_locust(
                folder / "locustfile.py", backend.ocpp_url, everyone, seconds,
                plan.workdir / f"locust-{name}", extra, workers,
            )  # fmt: skip
            run["backend_cpu_share"] = round((cpu_seconds(backend.pid) - before) / seconds, 2)
        say(_said(name, run) + f", the backend at {run['backend_cpu_share']:.0%}")
        runs[name] = run
    return runs


def locust_rates(plan: BenchPlan, figures: Figures, say: Say) -> None:
    users, seconds = plan.locust_users, plan.locust_seconds
    folder = Path(loadtests.__file__).parent
    say(f"Locust baseline: {users} bare websocket users for {seconds} s against the echo server …")
    with Server.start(["echo", "0"], "ECHO") as echo:
        bare = run_locust(folder / "bare.py", echo.url, users, seconds, plan.workdir / "locust-bare", [])
    say(_said("bare", bare))
    runs = station_runs(plan, folder, say)
    one, two = runs["one_worker"], runs["two_workers"]
    figures.values["locust"] = {"bare_websocket_user": bare, **runs}
    figures.add(
        "locust_station_vs_bare", f"one Locust worker, {users} station users (round trips per Locust CPU s)",
        f"{one['round_trips_per_locust_cpu_s']} ({one['round_trips_per_s_achieved']}/s achieved, "
        f"{one['failures']} failures)",
        f"bare websocket Locust user {bare['round_trips_per_locust_cpu_s']}",
        ratio(one["round_trips_per_locust_cpu_s"], bare["round_trips_per_locust_cpu_s"]),
    )  # fmt: skip
    figures.add(
        "locust_two_vs_one",
        f"two Locust workers under one master, {2 * users} station users, projected to a core each",
        f"{two['round_trips_per_locust_cpu_s']} per worker CPU s",
        f"one worker {one['round_trips_per_locust_cpu_s']}",
        ratio(2 * two["round_trips_per_locust_cpu_s"], one["round_trips_per_locust_cpu_s"]),
    )  # fmt: skip
    figures.add(
        "locust_two_vs_one_achieved", f"two Locust workers under one master, {2 * users} users (per s)",
        f"{two['round_trips_per_s_achieved']}/s ({two['failures']} failures; backend at "
        f"{two['backend_cpu_share']:.0%} of a core)",
        f"one worker {one['round_trips_per_s_achieved']}/s",
        ratio(two["round_trips_per_s_achieved"], one["round_trips_per_s_achieved"]),
    )  # fmt: skip
