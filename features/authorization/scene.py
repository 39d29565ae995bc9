"""One scenario's stations and what a step keeps for the next; the bounded poll the steps wait with."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from evharness.simulator.asyncio.live import LiveStation
from evharness.simulator.asyncio.portal import BackgroundLoop
from features.authorization.local_users import LocalUsers
from features.authorization.wire import FrameLog

WAIT_S = 10.0  # the longest a background effect (a list sync, a replay) may take on a loaded machine


@dataclass
class Charger:
    """One scenario's station: its simulated twin, what crossed the wire, what the driver was told."""

    live: LiveStation
    wire: FrameLog
    users: LocalUsers
    told: str | None = None
    delivered_wh: float = 0.0
    notes: dict[str, Any] = field(default_factory=dict)  # what a step keeps for a later one

    @property
    def identity(self) -> str:
        return self.live.identity


@dataclass
class Scene:
    loop: BackgroundLoop
    chargers: list[Charger] = field(default_factory=list)

    @property
    def charger(self) -> Charger:
        assert self.chargers, "no station in this scenario yet"
        return self.chargers[-1]

    def run(self, step: Any) -> Any:
        return self.loop.run(step)


def eventually(condition: Callable[[], bool], what: str) -> None:
    """A bounded poll: background effects (list syncs) finish soon, but not at a known moment."""
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < deadline, f"still not true after {WAIT_S} s: {what}"
        time.sleep(0.02)


def parse_settings(text: str) -> tuple[tuple[str, str], ...]:
    """`LocalAuthorizeOffline=true, AuthCacheCtrlr.Enabled=false` → the station's overrides."""
    pairs = [item.split("=", 1) for item in text.split(",") if item.strip()]
    return tuple((key.strip(), value.strip()) for key, value in pairs)
