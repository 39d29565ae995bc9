"""The electric vehicle behind a connector: a battery that fills, and accepts less power near full.

An ISO 15118 EV (`iso15118`) also tells the station what it needs — an energy amount and a
departure time — and answers the schedule it gets (`simulator.core.ev_negotiation`)."""

from __future__ import annotations

from dataclasses import dataclass

SCHEDULE_OUTCOMES = ("accept", "reject")


@dataclass(frozen=True, slots=True)
class EvSpec:
    battery_kwh: float = 60.0
    soc_percent: float = 20.0  # state of charge when plugged in
    max_ac_kw: float = 11.0
    max_dc_kw: float = 50.0
    taper_from_percent: float = 80.0  # above this SoC, accepted power falls linearly towards 5 %
    dc: bool = False
    iso15118: bool = False  # high-level communication: charging needs and schedules (K15–K17)
    energy_kwh: float | None = None  # the energy it asks for (None: to fill the battery)
    departure_s: float | None = None  # when it leaves, after plug-in (None: it does not say)
    schedule: str = "accept"  # accept: follows the schedule it gets; reject: answers the first
    # schedule with one of its own above the limits (TC_K_55), accepts a renegotiated one

    def __post_init__(self) -> None:
        if self.schedule not in SCHEDULE_OUTCOMES:
            raise ValueError(f"schedule: one of {', '.join(SCHEDULE_OUTCOMES)}, not {self.schedule!r}")

    @property
    def peak_w(self) -> float:
        return (self.max_dc_kw if self.dc else self.max_ac_kw) * 1000.0


@dataclass(slots=True)
class EvState:
    spec: EvSpec
    soc: float  # 0..1
    energy_mark_wh: float  # the EVSE's register when the SoC was last brought up to date
    plugged_at: float = 0.0

    @classmethod
    def plugged(cls, spec: EvSpec, register_wh: float, at: float = 0.0) -> EvState:
        return cls(spec, spec.soc_percent / 100.0, register_wh, at)

    def update(self, register_wh: float) -> None:
        delivered = max(0.0, register_wh - self.energy_mark_wh)
        self.energy_mark_wh = register_wh
        self.soc = min(1.0, self.soc + delivered / (self.spec.battery_kwh * 1000.0))

    def acceptance_w(self) -> float:
        """What the EV takes now: its maximum, tapering linearly above `taper_from_percent`."""
        peak = self.spec.peak_w
        if self.soc >= 1.0:
            return 0.0
        taper = self.spec.taper_from_percent / 100.0
        if self.soc <= taper or taper >= 1.0:
            return peak
        return peak * max(0.05, (1.0 - self.soc) / (1.0 - taper))

    @property
    def soc_percent(self) -> float:
        return self.soc * 100.0
