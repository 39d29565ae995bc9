"""Memory per connected idle station, both sides, and how long the stations take to boot.

At each count, that many simulated stations (the `hold` child, 1.6 and 2.0.1 alternately, up to 200
connects in flight) connect to a fresh reference backend, boot and stay idle; held for a few seconds,
counting errors and drops. Memory is the RSS growth of the backend and of the simulator process divided by
the count; the boot time is from the first connect until every station has its BootNotification answer.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from evharness.backend_process import BackendProcess
from evharness.bench.cpu import sqlite_url
from evharness.bench.figures import Figures
from evharness.bench.measure import CHILD, read_json_line, rss_bytes

if TYPE_CHECKING:
    from evharness.bench.plan import BenchPlan

Say = Callable[[str], None]


def hold_stations(plan: BenchPlan, count: int) -> dict[str, Any]:
    url = sqlite_url(plan.workdir / f"idle-{count}.sqlite3")
    with BackendProcess(url, start_timeout=60) as backend:
        assert backend.pid is not None
        backend_before = rss_bytes(backend.pid)
        with (plan.workdir / f"hold-{count}.log").open("w") as log:
            hold = subprocess.Popen(
                [*CHILD, "hold", backend.ocpp_url, str(count), "IDLE"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True,
            )  # fmt: skip
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
                if hold.poll() is None:  # ours, by PID
                    hold.kill()
                    hold.wait()
    errors = connected["errors"] + (count - connected["booted"]) + (count - held["still_connected"])
    return {
        "booted": connected["booted"],
        "still_connected": held["still_connected"],
        "errors": errors,
        "boot_s": round(connected["connect_s"], 1),
        "backend_kb_per_station": round((backend_after - backend_before) / count / 1024, 1),
        "simulator_kb_per_station": round(
            (connected["rss_after"] - connected["rss_before"]) / count / 1024, 1
        ),
        "first_errors": connected.get("first_errors", []),
    }


def idle_memory(plan: BenchPlan, figures: Figures, say: Say) -> None:
    results: dict[str, dict[str, Any]] = {}
    for count in plan.idle_counts:
        say(f"idle stations: {count} connect, boot and stay idle …")
        results[str(count)] = one = hold_stations(plan, count)
        say(
            f"  {one['booted']}/{count} booted in {one['boot_s']:.1f} s, {one['still_connected']} still "
            f"connected after {plan.hold_seconds:g} s; backend {one['backend_kb_per_station']:.1f} KB, "
            f"simulator {one['simulator_kb_per_station']:.1f} KB per station"
        )
    figures.values["idle_memory"] = results
    largest = max(plan.idle_counts)
    top = results[str(largest)]
    for count in sorted(plan.idle_counts)[:-1]:  # the smaller counts, for the trend
        one = results[str(count)]
        figures.add(
            f"memory_{count}", f"memory per idle station, {count} stations",
            f"backend {one['backend_kb_per_station']:.1f} KB, "
            f"simulator {one['simulator_kb_per_station']:.1f} KB",
        )  # fmt: skip
    figures.add(
        "backend_kb_per_idle_station", f"backend memory per idle station, {largest} stations",
        f"{top['backend_kb_per_station']:.1f} KB", checked=top["backend_kb_per_station"],
    )  # fmt: skip
    figures.add(
        "simulator_kb_per_idle_station", f"simulator memory per idle station, {largest} stations",
        f"{top['simulator_kb_per_station']:.1f} KB", checked=top["simulator_kb_per_station"],
    )  # fmt: skip
    figures.add(
        "idle_boot_s", f"{largest} stations boot (first connect to last BootNotification answer)",
        f"{top['boot_s']:.1f} s", checked=top["boot_s"],
    )  # fmt: skip
    figures.add(
        "idle_errors", f"errors connecting and holding {largest} idle stations {plan.hold_seconds:g} s",
        str(top["errors"]), checked=top["errors"],
    )  # fmt: skip
