"""CPU per round trip: the reference backend and the simulator against their baselines, same run.

- The PIN/RFID session mix (the simulator's fleet, 1.6 and 2.0.1) against the reference backend, on each
  event loop, and against the `ocpp` package's CSMS.
- The raw websockets echo server under the raw websockets client, with as many connections and round trips
  as the session run (so both pay the same handshakes per round trip), and a long steady one beside it.
- Side by side with one client: the `ocpp` package's ChargePoint (1.6 Authorize / StartTransaction /
  MeterValues / StopTransaction loop) against the `ocpp` package's CSMS and against the reference backend.

Server CPU is read with psutil around the client's run; client CPU is what the client measured over its
own load window.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evharness import scenarios
from evharness.backend_process import BackendProcess
from evharness.bench.figures import Figures, ratio
from evharness.bench.measure import Server, cpu_seconds, loop_environment, run_child
from evharness.seed import seed

if TYPE_CHECKING:
    from evharness.bench.plan import BenchPlan

Say = Callable[[str], None]
SESSION_SCENARIOS = ("pin_charging", "rfid_charging")
OCPP_CP_TOKEN = "04A2B3C4D5{n:04X}"  # the RFID scenario's accepted card (each station its own), seeded


def sqlite_url(path: Path) -> str:
    """A fresh SQLite database at `path` (the bench's own earlier file and its journals are replaced)."""
    for leftover in path.parent.glob(path.name + "*"):
        leftover.unlink()
    return f"sqlite:///{path}"


@dataclass
class Trip:
    """One measured run: server and client CPU per round trip, throughput, errors."""

    server_us: float
    client_us: float
    round_trips: int
    per_s: float
    errors: int
    failures: list[str]

    def as_json(self) -> dict[str, Any]:
        return {
            "server_us": round(self.server_us, 1),
            "client_us": round(self.client_us, 1),
            "round_trips": self.round_trips,
            "round_trips_per_s": round(self.per_s),
            "errors": self.errors,
            "failures": self.failures,
        }


def measure(server_pid: int, client: list[str], loop: str = "asyncio") -> Trip:
    """Run a client child against a running server; both sides' CPU per round trip."""
    before = cpu_seconds(server_pid)
    result = run_child(client, loop=loop).result
    server_cpu = cpu_seconds(server_pid) - before
    trips = max(int(result["round_trips"]), 1)
    return Trip(
        server_us=server_cpu / trips * 1e6,
        client_us=result["cpu_s"] / trips * 1e6,
        round_trips=trips,
        per_s=trips / max(result["wall_s"], 1e-9),
        errors=int(result["errors"]),
        failures=list(result.get("failures") or result.get("first_errors") or []),
    )


def sim_args(url: str, stations: int, scale: float, prefix: str) -> list[str]:
    return ["sim", url, str(stations), str(scale), prefix]


@contextmanager
def warm_backend(plan: BenchPlan, database: str, loop: str = "asyncio") -> Iterator[tuple[int, list[str]]]:
    """A reference backend seeded for the session mix and warmed up: its PID and the measured client."""
    url = sqlite_url(plan.workdir / database)
    for name in SESSION_SCENARIOS:
        seed(url, scenarios.load(name), plan.session_stations, "BENCH")
        seed(url, scenarios.load(name), 4, "WARM")
    with BackendProcess(url, environment=loop_environment(loop)) as backend:
        assert backend.pid is not None
        # warm up: the backend compiles its validators and SQL statements on first use
        run_child(sim_args(backend.ocpp_url, 4, plan.time_scale, "WARM"), loop=loop)
        yield backend.pid, sim_args(backend.ocpp_url, plan.session_stations, plan.time_scale, "BENCH")


def session_mix_on_backend(plan: BenchPlan, loop: str) -> Trip:
    with warm_backend(plan, f"sessions-{loop}.sqlite3", loop) as (pid, client):
        return measure(pid, client, loop)


def session_mix_on_ocpp_csms(plan: BenchPlan) -> Trip:
    with Server.start(["ocpp-csms", "0"], "OCPP-CSMS") as csms:
        run_child(sim_args(csms.url, 4, plan.time_scale, "WARM"))
        return measure(csms.process.pid, sim_args(csms.url, plan.session_stations, plan.time_scale, "BENCH"))


def echo_run(connections: int, round_trips: int, loop: str = "asyncio") -> Trip:
    with Server.start(["echo", "0"], "ECHO", loop=loop) as echo:
        return measure(echo.process.pid, ["raw", echo.url, str(connections), str(round_trips)], loop)


def ocpp_client_args(plan: BenchPlan, url: str) -> list[str]:
    return ["ocpp-cp", url, str(plan.ocpp_connections), str(plan.ocpp_loops), "OCPPCP", OCPP_CP_TOKEN]


def ocpp_client_on_ocpp_csms(plan: BenchPlan) -> Trip:
    with Server.start(["ocpp-csms", "0"], "OCPP-CSMS") as csms:
        return measure(csms.process.pid, ocpp_client_args(plan, csms.url))


def ocpp_client_on_backend(plan: BenchPlan) -> Trip:
    url = sqlite_url(plan.workdir / "ocpp-client.sqlite3")
    seed(url, scenarios.load("rfid_charging"), plan.ocpp_connections, "OCPPCP", "1.6")
    with BackendProcess(url) as backend:
        assert backend.pid is not None
        return measure(backend.pid, ocpp_client_args(plan, backend.ocpp_url))


def _us(value: float) -> str:
    return f"{value:.0f} µs"


def cpu_per_round_trip(plan: BenchPlan, figures: Figures, say: Say) -> None:
    mix: dict[str, Trip] = {}
    for loop in plan.event_loops:
        say(f"session mix, {plan.session_stations} stations (1.6, 2.0.1); backend and simulator on {loop} …")
        mix[loop] = trip = session_mix_on_backend(plan, loop)
        say(f"  {trip.round_trips} round trips ({trip.errors} errors): backend {_us(trip.server_us)}, "
            f"simulator {_us(trip.client_us)} CPU each")  # fmt: skip
    say("session mix against the ocpp package's CSMS …")
    ocpp_mix = session_mix_on_ocpp_csms(plan)
    say(
        f"  {ocpp_mix.round_trips} round trips ({ocpp_mix.errors} errors): "
        f"ocpp CSMS {_us(ocpp_mix.server_us)}"
    )
    trips = mix["asyncio"].round_trips
    say(f"echo baseline: raw websockets server and client, {plan.session_stations} connections …")
    echo = {loop: echo_run(plan.session_stations, trips, loop) for loop in plan.event_loops}
    say(
        f"  echo server {_us(echo['asyncio'].server_us)}, "
        f"raw client {_us(echo['asyncio'].client_us)} CPU each"
    )
    say(f"echo, steady: {plan.raw_connections} connections, {plan.raw_round_trips} round trips …")
    steady = echo_run(plan.raw_connections, plan.raw_round_trips)
    say(f"  echo server {_us(steady.server_us)}, raw client {_us(steady.client_us)} CPU each")
    say(f"the ocpp package's ChargePoint, {plan.ocpp_connections} connections × {plan.ocpp_loops} 1.6 "
        "sessions, against the ocpp package's CSMS and against the reference backend …")  # fmt: skip
    side = {"ocpp_csms": ocpp_client_on_ocpp_csms(plan), "reference_backend": ocpp_client_on_backend(plan)}
    for name, trip in side.items():
        say(f"  {name}: {_us(trip.server_us)} server, {_us(trip.client_us)} client CPU each, "
            f"{trip.per_s:.0f} round trips/s ({trip.errors} errors)")  # fmt: skip
    figures.values["cpu_per_round_trip"] = {
        "session_mix": {loop: trip.as_json() for loop, trip in mix.items()},
        "session_mix_ocpp_csms": ocpp_mix.as_json(),
        "echo": {loop: trip.as_json() for loop, trip in echo.items()},
        "echo_steady": steady.as_json(),
        "ocpp_client": {name: trip.as_json() for name, trip in side.items()},
        "connections": plan.session_stations,
    }
    add_rows(figures, mix, ocpp_mix, echo, side)


def add_rows(
    figures: Figures, mix: dict[str, Trip], ocpp_mix: Trip, echo: dict[str, Trip], side: dict[str, Trip]
) -> None:
    base, raw = mix["asyncio"], echo["asyncio"]
    figures.add(
        "backend_vs_echo", "backend CPU per OCPP round trip, PIN/RFID session mix",
        f"{_us(base.server_us)} ({base.round_trips} round trips, {base.errors} errors)",
        f"raw websockets echo server {_us(raw.server_us)}", ratio(base.server_us, raw.server_us),
    )  # fmt: skip
    figures.add(
        "simulator_vs_raw", "simulator CPU per round trip, PIN/RFID session mix",
        _us(base.client_us), f"raw websockets client {_us(raw.client_us)}",
        ratio(base.client_us, raw.client_us),
    )  # fmt: skip
    figures.add(
        "backend_vs_ocpp_csms_mix", "backend CPU per round trip, session mix, vs the ocpp package's CSMS",
        _us(base.server_us), f"ocpp CSMS (stores nothing) {_us(ocpp_mix.server_us)}",
        ratio(base.server_us, ocpp_mix.server_us),
    )  # fmt: skip
    if "uvloop" in mix:
        fast, fast_echo = mix["uvloop"], echo["uvloop"]
        figures.add(
            "backend_uvloop", "backend CPU per round trip on uvloop, session mix",
            f"{_us(fast.server_us)} ({fast.errors} errors)", f"on asyncio {_us(base.server_us)}",
            ratio(fast.server_us, base.server_us),
        )  # fmt: skip
        figures.add(
            "backend_uvloop_vs_echo", "backend on uvloop ÷ raw echo server on uvloop",
            _us(fast.server_us), f"echo on uvloop {_us(fast_echo.server_us)}",
            ratio(fast.server_us, fast_echo.server_us),
        )  # fmt: skip
        figures.add(
            "simulator_uvloop", "simulator CPU per round trip on uvloop, session mix",
            _us(fast.client_us), f"on asyncio {_us(base.client_us)}", ratio(fast.client_us, base.client_us),
        )  # fmt: skip
    ours, theirs = side["reference_backend"], side["ocpp_csms"]
    figures.add(
        "backend_vs_ocpp_csms", "backend CPU per round trip, ocpp ChargePoint client (1.6 session loop)",
        f"{_us(ours.server_us)} ({ours.errors} errors)", f"ocpp CSMS {_us(theirs.server_us)}",
        ratio(ours.server_us, theirs.server_us),
    )  # fmt: skip
    figures.add(
        "backend_vs_ocpp_csms_throughput", "backend throughput, ocpp ChargePoint client (1.6 session loop)",
        f"{ours.per_s:.0f} round trips/s", f"ocpp CSMS {theirs.per_s:.0f}/s", ratio(ours.per_s, theirs.per_s),
    )  # fmt: skip
    figures.add(
        "ocpp_client_vs_raw", "the ocpp package's ChargePoint CPU per round trip (against its CSMS)",
        _us(theirs.client_us), f"raw websockets client {_us(raw.client_us)}",
        ratio(theirs.client_us, raw.client_us),
    )  # fmt: skip
