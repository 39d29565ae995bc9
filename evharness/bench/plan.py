"""What one bench run measures, and how much of it (the parts read it; the CLI builds it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from evharness.eventloop import EventLoopUnavailable, loop_factory


def available_event_loops() -> tuple[str, ...]:
    """asyncio, and uvloop when it is installed (the `uvloop` extra)."""
    try:
        loop_factory("uvloop")
    except EventLoopUnavailable:
        return ("asyncio",)
    return ("asyncio", "uvloop")


@dataclass
class BenchPlan:
    workdir: Path
    session_stations: int = 100  # simulated stations running the PIN/RFID mix
    time_scale: float = 300.0  # the 60 s meter interval is 200 ms real: no MeterValues backlog
    raw_connections: int = 60
    raw_round_trips: int = 30_000
    ocpp_connections: int = 100  # the ocpp package's ChargePoint, side by side
    ocpp_loops: int = 20  # 1.6 Authorize / StartTransaction / MeterValues / StopTransaction loops each
    idle_counts: tuple[int, ...] = (1000, 10_000)
    hold_seconds: float = 5.0
    fleet_stations: int = 50_000  # one machine's idle fleet, over several processes (`bench.fleet`)
    locust_users: int = 100
    locust_seconds: int = 30
    locust_time_scale: float = 600.0
    event_loops: tuple[str, ...] = field(default_factory=available_event_loops)
