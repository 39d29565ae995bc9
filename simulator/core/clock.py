"""Simulated time. The core never reads a clock: drivers pass `now` in, taken from one of these.

Simulated seconds are epoch seconds (OCPP timestamps are made from them); `ScaledClock` runs them
faster than real time, so a 20 kWh charge does not take real minutes. Timestamps made from simulated time
run ahead of the wall clock by (scale − 1) × the real time elapsed (45 real seconds at ×60: 44 minutes);
`wall_of` gives the real moment instead, for CSMSs that refuse timestamps in the future
(`evharness sim --timestamps wall`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

TIMESTAMPS = ("simulated", "wall")
"""What a station's message timestamps show (`--timestamps`, for `evharness sim` and Locust alike)."""


class Clock(Protocol):
    def now(self) -> float:
        """Simulated epoch seconds."""
        ...

    def real_delay(self, simulated_seconds: float) -> float | None:
        """Real seconds to wait for `simulated_seconds` to pass; None: only when told."""
        ...

    def wall_of(self, simulated: float) -> float:
        """The real (wall-clock) moment at which the simulated moment `simulated` happened."""
        ...


class ManualClock:
    """A clock that moves only when told to; for tests and in-memory pairs."""

    def __init__(self, start: float = 1_767_225_600.0) -> None:  # 2026-01-01T00:00:00Z
        self._now = start

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> float:
        self._now += seconds
        return self._now

    def set(self, moment: float) -> None:
        self._now = max(self._now, moment)

    def real_delay(self, simulated_seconds: float) -> float | None:
        return None  # time moves only when the owner advances it

    def wall_of(self, simulated: float) -> float:
        return simulated  # no real time behind it: its moments are the only ones


class ScaledClock:
    """Real time multiplied by `scale`, starting at the real wall-clock time."""

    def __init__(self, scale: float = 1.0) -> None:
        if scale <= 0:
            raise ValueError("the time scale must be positive")
        self.scale = scale
        self._epoch = time.time()
        self._origin = time.monotonic()

    def now(self) -> float:
        return self._epoch + (time.monotonic() - self._origin) * self.scale

    def real_delay(self, simulated_seconds: float) -> float:
        return max(0.0, simulated_seconds / self.scale)

    def wall_of(self, simulated: float) -> float:
        """Simulated time started at the wall-clock time and runs `scale` times faster: a moment's
        wall-clock time is the start plus the simulated time since, divided by the scale."""
        return self._epoch + (simulated - self._epoch) / self.scale


def stamp_time(clock: Clock, timestamps: str) -> Callable[[float], float] | None:
    """The station's `stamp_time` for a `TIMESTAMPS` choice: None shows simulated time, else the
    moment each timestamp shows (the wall clock's); ValueError for anything else."""
    if timestamps not in TIMESTAMPS:
        raise ValueError(f"timestamps are {' or '.join(TIMESTAMPS)}, not {timestamps!r}")
    return clock.wall_of if timestamps == "wall" else None
