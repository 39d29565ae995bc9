"""The benchmark itself: the parts in one run, each figure against its baseline, with the targets."""

from __future__ import annotations

import platform
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime

import psutil

from evharness.bench.cpu import cpu_per_round_trip
from evharness.bench.figures import Figures
from evharness.bench.fleet import fleet_capacity
from evharness.bench.locust_rate import locust_rates
from evharness.bench.measure import load_average
from evharness.bench.memory import idle_memory
from evharness.bench.plan import BenchPlan
from evharness.bench.probe import raise_fd_limit
from evharness.bench.profile import backend_profile

Say = Callable[[str], None]
PARTS = {
    "cpu": cpu_per_round_trip,
    "memory": idle_memory,
    "fleet": fleet_capacity,
    "locust": locust_rates,
    "profile": backend_profile,
}
DEFAULT_PARTS = (
    "cpu",
    "memory",
    "fleet",
    "locust",
)  # profile: on request (needs py-spy, the `profile` extra)


def machine() -> dict[str, object]:
    return {
        "cpus": psutil.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "open_files_limit": raise_fd_limit(),
        "load_average_at_start": round(load_average(), 2),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def run_bench(plan: BenchPlan, say: Say, parts: tuple[str, ...] = DEFAULT_PARTS) -> Figures:
    plan.workdir.mkdir(parents=True, exist_ok=True)  # its own files are replaced, nothing else is touched
    figures = Figures()
    figures.values["machine"] = machine()
    figures.values["event_loops"] = list(plan.event_loops)
    started = time.monotonic()
    for part in parts:
        PARTS[part](plan, figures, say)
    figures.values["machine"]["load_average_at_end"] = round(load_average(), 2)
    figures.values["seconds"] = round(time.monotonic() - started, 1)
    return figures
