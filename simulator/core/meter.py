"""An EVSE's energy meter, integrated over simulated time."""

from __future__ import annotations

from dataclasses import dataclass

NOMINAL_VOLTAGE = 230.0


@dataclass(slots=True)
class Meter:
    energy_wh: float = 0.0
    power_w: float = 0.0
    phases: int = 3
    limit_wh: float | None = None  # stop drawing power once the register reaches this
    updated_at: float = 0.0
    voltage_v: float = NOMINAL_VOLTAGE

    def advance(self, now: float) -> None:
        elapsed = now - self.updated_at
        reach = self.limit_reached_at()
        self.updated_at = max(self.updated_at, now)
        if elapsed <= 0 or self.power_w <= 0:
            return
        if reach is not None and now >= reach - 1e-6:  # float time never lands exactly on it
            self.energy_wh = self.limit_wh if self.limit_wh is not None else self.energy_wh
            self.power_w = 0.0
            return
        self.energy_wh += self.power_w * elapsed / 3600.0

    def draw(self, power_w: float, now: float, limit_wh: float | None = None) -> None:
        self.advance(now)
        self.power_w = power_w
        self.limit_wh = limit_wh

    def limit_reached_at(self) -> float | None:
        """When the energy limit will be reached at the present power, if ever."""
        if self.limit_wh is None or self.power_w <= 0:
            return None
        return self.updated_at + (self.limit_wh - self.energy_wh) * 3600.0 / self.power_w

    @property
    def current_a(self) -> float:
        """Current per phase."""
        return self.power_w / (self.voltage_v * self.phases)
