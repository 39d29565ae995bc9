"""The benchmark itself: four measurements in one run, each against its baseline, with the targets."""

from __future__ import annotations

import csv
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

import loadtests
import scenarios
from evharness.backend_process import BackendProcess
from evharness.bench.children import raise_fd_limit
from evharness.bench.measure import Server, cpu_seconds, load_average, read_json_line, rss_bytes, run_child
from reference_backend.seed import seed

Say = Callable[[str], None]


@dataclass
class BenchPlan:
    workdir: Path
    session_stations: int = 100  # simulated stations running the PIN/RFID mix
    time_scale: float = 300.0  # the 60 s meter interval is 200 ms real: no MeterValues backlog
    raw_connections: int = 60
    raw_round_trips: int = 30_000
    idle_counts: tuple[int, ...] = (1000, 10_000)
    hold_seconds: float = 5.0
    locust_users: int = 100
    locust_seconds: int = 20
    locust_time_scale: float = 600.0


@dataclass
class Figures:
    values: dict[str, Any] = field(default_factory=dict)
    targets: dict[str, dict[str, Any]] = field(default_factory=dict)

    def target(self, name: str, value: float, limit: float, *, at_most: bool) -> None:
        met = value <= limit if at_most else value >= limit
        self.targets[name] = {
            "value": round(value, 3),
            "target": ("≤ " if at_most else "≥ ") + f"{limit:g}",
            "met": met,
        }


def _sqlite(path: Path) -> str:
    for leftover in path.parent.glob(path.name + "*"):
        leftover.unlink()
    return f"sqlite:///{path}"


def cpu_per_round_trip(plan: BenchPlan, figures: Figures, say: Say) -> None:
    """(1) server side: echo vs reference backend; (2) client side: raw client vs simulator.

    The baseline that the ratios use has as many connections and round trips as the session run (so both
    pay the same handshakes per round trip); a long steady one (few connections, many round trips) is
    reported beside it.
    """
    say(
        f"reference backend and simulator: {plan.session_stations} stations, "
        "PIN/RFID sessions on 1.6 and 2.0.1 …"
    )
    url = _sqlite(plan.workdir / "sessions.sqlite3")
    for name in ("pin_charging", "rfid_charging"):
        seed(url, scenarios.load(name), plan.session_stations, "BENCH")
        seed(url, scenarios.load(name), 4, "WARM")
    with BackendProcess(url) as backend:
        assert backend.pid is not None
        # warm up: the backend compiles its validators and SQL statements on first use
        run_child(["sim", backend.ocpp_url, "4", str(plan.time_scale * 10), "WARM"])
        before = cpu_seconds(backend.pid)
        sim = run_child(
            ["sim", backend.ocpp_url, str(plan.session_stations), str(plan.time_scale), "BENCH"]
        ).result
        backend_cpu = cpu_seconds(backend.pid) - before
    sim_trips = sim["round_trips"]
    backend_us = backend_cpu / sim_trips * 1e6
    sim_us = sim["cpu_s"] / sim_trips * 1e6
    say(
        f"  {sim_trips} round trips ({sim['errors']} errors): backend {backend_us:.1f} µs, "
        f"simulator {sim_us:.1f} µs CPU each"
    )

    def echo_run(connections: int, round_trips: int) -> tuple[float, float, int]:
        echo = Server.start(["echo", "0"], "ECHO")
        try:
            before = cpu_seconds(echo.process.pid)
            raw = run_child(["raw", echo.url, str(connections), str(round_trips)]).result
            echo_cpu = cpu_seconds(echo.process.pid) - before
        finally:
            echo.stop()
        trips: int = raw["round_trips"]
        return echo_cpu / trips * 1e6, raw["cpu_s"] / trips * 1e6, trips

    say(f"echo baseline: raw websockets server and client, {plan.session_stations} connections …")
    echo_us, raw_us, trips = echo_run(plan.session_stations, sim_trips)
    say(f"  {trips} round trips: echo server {echo_us:.1f} µs, raw client {raw_us:.1f} µs CPU each")
    say(f"echo, steady: {plan.raw_connections} connections, {plan.raw_round_trips} round trips …")
    steady_echo_us, steady_raw_us, steady_trips = echo_run(plan.raw_connections, plan.raw_round_trips)
    say(f"  echo server {steady_echo_us:.1f} µs, raw client {steady_raw_us:.1f} µs CPU each")
    figures.values["cpu_per_round_trip_us"] = {
        "echo_server": round(echo_us, 1),
        "reference_backend": round(backend_us, 1),
        "raw_client": round(raw_us, 1),
        "simulator": round(sim_us, 1),
        "round_trips": sim_trips,
        "connections": plan.session_stations,
        "steady_echo_server": round(steady_echo_us, 1),
        "steady_raw_client": round(steady_raw_us, 1),
        "steady_round_trips": steady_trips,
        "session_errors": sim["errors"],
        "session_failures": sim.get("failures", []),
    }
    figures.target("backend / echo CPU per round trip", backend_us / echo_us, 3, at_most=True)
    figures.target("simulator / raw client CPU per round trip", sim_us / raw_us, 2, at_most=True)


def idle_memory(plan: BenchPlan, figures: Figures, say: Say) -> None:
    """(3) memory per connected idle station, backend and simulator, at each count."""
    results: dict[str, Any] = {}
    for count in plan.idle_counts:
        say(f"idle stations: {count} connect, boot and stay idle …")
        url = _sqlite(plan.workdir / f"idle-{count}.sqlite3")
        with BackendProcess(url, start_timeout=60) as backend:
            assert backend.pid is not None
            backend_before = rss_bytes(backend.pid)
            hold = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "evharness.bench.children",
                    "hold",
                    backend.ocpp_url,
                    str(count),
                    "IDLE",
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=(plan.workdir / f"hold-{count}.log").open("w"),
                text=True,
            )
            try:
                assert hold.stdout is not None
                assert hold.stdin is not None
                connected = read_json_line(hold.stdout, timeout=600)
                backend_after = rss_bytes(backend.pid)
                time.sleep(plan.hold_seconds)
                hold.stdin.close()
                held = read_json_line(hold.stdout, timeout=120)
                hold.wait(60)
            finally:
                if hold.poll() is None:
                    hold.kill()
                    hold.wait()
        server_kb = (backend_after - backend_before) / count / 1024
        client_kb = (connected["rss_after"] - connected["rss_before"]) / count / 1024
        errors = connected["errors"] + (count - connected["booted"]) + (count - held["still_connected"])
        say(
            f"  {connected['booted']}/{count} booted in {connected['connect_s']:.1f} s, "
            f"{held['still_connected']} still connected after {plan.hold_seconds:g} s; "
            f"backend {server_kb:.1f} KB, simulator {client_kb:.1f} KB per station"
        )
        results[str(count)] = {
            "booted": connected["booted"],
            "still_connected": held["still_connected"],
            "errors": errors,
            "connect_s": round(connected["connect_s"], 1),
            "backend_kb_per_station": round(server_kb, 1),
            "simulator_kb_per_station": round(client_kb, 1),
            "first_errors": connected.get("first_errors", []),
        }
        figures.target(f"backend KB per idle station ({count})", server_kb, 30, at_most=True)
        figures.target(f"simulator KB per idle station ({count})", client_kb, 30, at_most=True)
        figures.target(f"errors holding {count} stations", errors, 0, at_most=True)
    figures.values["idle_memory"] = results


def locust_rate(
    locustfile: Path, host: str, users: int, seconds: int, out: Path, *extra: str
) -> dict[str, Any]:
    """Run one Locust process headless; its OCPP round trips per second, achieved and per CPU second.

    The rate is taken over the steady part of the run (after the spawn and a warm-up) from Locust's
    CSV history, the CPU from psutil samples of the Locust process at the same moments.
    """
    command = [
        sys.executable, "-m", "locust", "-f", str(locustfile), "--headless", "-u", str(users),
        "-r", str(users), "-t", f"{seconds}s", "--host", host, "--csv", str(out), "--csv-full-history",
        "--only-summary", "--loglevel", "WARNING", *extra,
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ps = psutil.Process(process.pid)
    samples: list[tuple[float, float]] = []  # (wall time, Locust CPU seconds)
    while process.poll() is None:
        try:
            times = ps.cpu_times()
            samples.append((time.time(), times.user + times.system))
        except psutil.NoSuchProcess:
            break
        time.sleep(0.25)
    history = _history(out)
    final = _final_counts(out)
    ocpp_share = final["ocpp"] / final["all"] if final["all"] else 0.0
    start_t, start_n = history[min(3, len(history) - 1)]  # after the spawn second and some warm-up
    end_t, end_n = history[-1]
    cpu = _cpu_at(samples, end_t) - _cpu_at(samples, start_t)
    window = max(end_t - start_t, 1e-9)
    trips = (end_n - start_n) * ocpp_share
    return {
        "users": users,
        "seconds": seconds,
        "ocpp_round_trips": final["ocpp"],
        "failures": final["failures"],
        "round_trips_per_s_achieved": round(trips / window),
        "round_trips_per_locust_cpu_s": round(trips / max(cpu, 1e-9)),
        "locust_cpu_share": round(cpu / window, 2),
    }


def locust_worker(plan: BenchPlan, figures: Figures, say: Say) -> None:
    """(4) OCPP round trips per second of one Locust process running the station user, and of a bare
    websocket Locust user against the echo server (the baseline)."""
    users, seconds = plan.locust_users, plan.locust_seconds
    folder = Path(loadtests.__file__).parent
    say(
        f"one Locust worker, baseline: {users} bare websocket users for {seconds} s against the echo server …"
    )
    echo = Server.start(["echo", "0"], "ECHO")
    try:
        bare = locust_rate(folder / "bare.py", echo.url, users, seconds, plan.workdir / "bare")
    finally:
        echo.stop()
    say(
        f"  {bare['ocpp_round_trips']} round trips, {bare['failures']} failures; "
        f"{bare['round_trips_per_s_achieved']}/s achieved, "
        f"{bare['round_trips_per_locust_cpu_s']} per Locust CPU s"
    )
    say(f"one Locust worker: {users} station users for {seconds} s against the reference backend …")
    url = _sqlite(plan.workdir / "locust.sqlite3")
    for name in ("pin_charging", "rfid_charging"):
        seed(url, scenarios.load(name), users, "LOCUST")
    with BackendProcess(url) as backend:
        assert backend.pid is not None
        backend_before = cpu_seconds(backend.pid)
        station = locust_rate(
            folder / "locustfile.py", backend.ocpp_url, users, seconds, plan.workdir / "locust",
            "--id-prefix", "LOCUST", "--time-scale", f"{plan.locust_time_scale:g}",
        )  # fmt: skip
        station["backend_cpu_share"] = round((cpu_seconds(backend.pid) - backend_before) / seconds, 2)
    say(
        f"  {station['ocpp_round_trips']} OCPP round trips, {station['failures']} failures; "
        f"{station['round_trips_per_s_achieved']}/s achieved, {station['round_trips_per_locust_cpu_s']} per "
        f"Locust CPU s (Locust at {station['locust_cpu_share']:.0%} of a core, the backend at "
        f"{station['backend_cpu_share']:.0%})"
    )
    figures.values["locust_worker"] = {"station_user": station, "bare_websocket_user": bare}
    figures.target(
        "Locust worker OCPP round trips per CPU second",
        station["round_trips_per_locust_cpu_s"],
        5000,
        at_most=False,
    )
    figures.values["locust_worker"]["station_vs_bare"] = round(
        station["round_trips_per_locust_cpu_s"] / max(bare["round_trips_per_locust_cpu_s"], 1), 2
    )


def _history(prefix: Path) -> list[tuple[float, float]]:
    rows = []
    with (prefix.parent / f"{prefix.name}_stats_history.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == "Aggregated":
                rows.append((float(row["Timestamp"]), float(row["Total Request Count"])))
    if len(rows) < 2:
        raise RuntimeError("the Locust run wrote no history")
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


def _cpu_at(samples: list[tuple[float, float]], moment: float) -> float:
    """The process's CPU seconds at `moment`, interpolated between the samples around it."""
    previous = samples[0]
    for sample in samples:
        if sample[0] >= moment:
            span = sample[0] - previous[0]
            if span <= 0:
                return sample[1]
            return previous[1] + (sample[1] - previous[1]) * (moment - previous[0]) / span
        previous = sample
    return samples[-1][1]


def run_bench(plan: BenchPlan, say: Say, parts: tuple[str, ...] = ("cpu", "memory", "locust")) -> Figures:
    plan.workdir.mkdir(parents=True, exist_ok=True)  # its own files are replaced, nothing else is touched
    figures = Figures()
    figures.values["machine"] = {
        "cpus": psutil.cpu_count(),
        "open_files_limit": raise_fd_limit(),
        "load_average_at_start": round(load_average(), 2),
        "python": sys.version.split()[0],
    }
    started = time.monotonic()
    if "cpu" in parts:
        cpu_per_round_trip(plan, figures, say)
    if "memory" in parts:
        idle_memory(plan, figures, say)
    if "locust" in parts:
        locust_worker(plan, figures, say)
    figures.values["machine"]["load_average_at_end"] = round(load_average(), 2)
    figures.values["seconds"] = round(time.monotonic() - started, 1)
    return figures
