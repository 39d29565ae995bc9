"""One machine, many idle stations (issue 17: 50 000): the `hold` child in several processes.

A process holds at most as many stations as its open-files hard limit allows (`simulator.workers.limits`),
and loopback gives at most `EPHEMERAL_PORTS` connections to one server address and port. When one
reference backend process can hold every station (open files and ports), the stations connect to it;
otherwise each simulator process gets an echo server of its own (`children.echo`, which accepts
BootNotification) as a stand-in CSMS — the figure says which. Memory is the RSS growth of the
simulator processes over all their stations; the boot time is the slowest process's.
"""

from __future__ import annotations

import math
import subprocess
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evharness.backend_process import BackendProcess
from evharness.bench.cpu import sqlite_url
from evharness.bench.figures import Figures
from evharness.bench.measure import CHILD, Server, read_json_line
from evharness.simulator.workers.limits import hard_limit, processes_needed, stations_per_process_max

if TYPE_CHECKING:
    from evharness.bench.plan import BenchPlan

Say = Callable[[str], None]
EPHEMERAL_PORTS = 28_232  # Linux's default ip_local_port_range (32768–60999): connections per destination


def local_ports() -> int:
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(high) - int(low) + 1
    except (OSError, ValueError):
        return EPHEMERAL_PORTS


def one_backend_holds(stations: int) -> bool:
    return stations <= min(stations_per_process_max(hard_limit()), local_ports())


def fleet_processes(stations: int) -> int:
    return max(processes_needed(stations, hard_limit()), math.ceil(stations / local_ports()))


def hold_fleet(plan: BenchPlan, stations: int) -> dict[str, Any]:
    processes = fleet_processes(stations)
    against_backend = one_backend_holds(stations)
    counts = [stations // processes + (i < stations % processes) for i in range(processes)]
    with ExitStack() as stack:
        if against_backend:
            backend = stack.enter_context(
                BackendProcess(sqlite_url(plan.workdir / "fleet.sqlite3"), start_timeout=60)
            )
            urls = [backend.ocpp_url] * processes
        else:
            echoes = [stack.enter_context(Server.start(["echo", "0"], "ECHO")) for _ in counts]
            urls = [echo.url for echo in echoes]
        holds = []
        for index, (url, count) in enumerate(zip(urls, counts, strict=True)):
            log = stack.enter_context((plan.workdir / f"fleet-{index + 1}.log").open("w"))
            hold = subprocess.Popen(
                [*CHILD, "hold", url, str(count), f"F{index + 1}"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True,
            )  # fmt: skip
            stack.callback(_stop, hold)
            holds.append(hold)
        connected = []
        for hold in holds:
            assert hold.stdout is not None
            connected.append(read_json_line(hold.stdout, timeout=1200))
        held = []
        for hold in holds:
            assert hold.stdin is not None
            hold.stdin.close()
            assert hold.stdout is not None
            held.append(read_json_line(hold.stdout, timeout=300))
    booted = sum(one["booted"] for one in connected)
    still = sum(one["still_connected"] for one in held)
    errors = sum(one["errors"] for one in held) + (stations - booted) + (booted - still)
    grown = sum(one["rss_after"] - one["rss_before"] for one in connected)
    return {
        "stations": stations,
        "processes": processes,
        "csms": "the reference backend" if against_backend else f"{processes} raw echo servers (stand-in)",
        "booted": booted,
        "still_connected": still,
        "errors": errors,
        "boot_s": round(max(one["connect_s"] for one in connected), 1),
        "simulator_kb_per_station": round(grown / stations / 1024, 1),
        "first_errors": [error for one in connected for error in one.get("first_errors", [])][:3],
    }


def _stop(hold: subprocess.Popen[str]) -> None:
    if hold.poll() is None:  # ours, by PID
        hold.kill()
        hold.wait()


def fleet_capacity(plan: BenchPlan, figures: Figures, say: Say) -> None:
    say(f"fleet: {plan.fleet_stations} idle stations over {fleet_processes(plan.fleet_stations)} processes …")
    one = hold_fleet(plan, plan.fleet_stations)
    figures.values["fleet"] = one
    say(
        f"  {one['booted']}/{one['stations']} booted in {one['boot_s']:.1f} s against {one['csms']}, "
        f"{one['still_connected']} still connected; simulator {one['simulator_kb_per_station']:.1f} KB"
        " per station"
    )
    figures.add(
        "fleet_errors",
        f"idle stations held by one machine ({one['processes']} simulator processes, against {one['csms']})",
        f"{one['still_connected']} of {one['stations']} ({one['errors']} errors; booted in"
        f" {one['boot_s']:.1f} s, {one['simulator_kb_per_station']:.1f} KB per station)",
        checked=one["errors"],
    )
