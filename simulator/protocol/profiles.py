"""Charging profiles between JSON and `simulator.core.charging_profiles`, for 1.6, 2.0.1 and 2.1.

1.6 nests one schedule under `chargingSchedule` with `chargingProfileId`; 2.0.1/2.1 carry a list of
schedules under `chargingSchedule` with `id`. The station uses the first schedule (K01.FR.?
allows up to three for ISO 15118; a simulated EV negotiates none).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from evharness.ocppj.timefmt import format_timestamp, parse_timestamp
from evharness.ocppj.vocabulary import Status
from simulator.core.charging_profiles import PURPOSES, ChargingProfile, Period
from simulator.core.codec import StationView
from simulator.core.meter import NOMINAL_VOLTAGE


def _moment(text: str | None) -> float | None:
    return None if text is None else parse_timestamp(text).timestamp()


def parse(raw: Mapping[str, Any], evse_id: int) -> ChargingProfile | None:
    """The profile, or None for a purpose the station does not implement."""
    purpose = PURPOSES.get(raw["chargingProfilePurpose"])
    if purpose is None:
        return None
    schedule = raw["chargingSchedule"]
    if isinstance(schedule, list):
        schedule = schedule[0]
    periods = tuple(
        Period(float(p["startPeriod"]), float(p.get("limit", 0.0)), int(p.get("numberPhases", 3)))
        for p in sorted(schedule["chargingSchedulePeriod"], key=lambda p: p["startPeriod"])
    )
    transaction = raw.get("transactionId")
    return ChargingProfile(
        id=int(raw["chargingProfileId"] if "chargingProfileId" in raw else raw["id"]),
        evse_id=evse_id,
        stack_level=int(raw["stackLevel"]),
        purpose=purpose,
        kind=raw["chargingProfileKind"],
        unit=schedule["chargingRateUnit"],
        periods=periods,
        start=_moment(schedule.get("startSchedule")),
        duration_s=float(schedule["duration"]) if "duration" in schedule else None,
        recurrency=raw.get("recurrencyKind"),
        valid_from=_moment(raw.get("validFrom")),
        valid_to=_moment(raw.get("validTo")),
        transaction_id=None if transaction is None else str(transaction),
    )


def period_limits(periods: list[tuple[float, float]], unit: str, phases: int) -> list[tuple[int, float]]:
    """Composite periods (offset s, W) as (startPeriod, limit in `unit`: A per phase or W)."""
    return [
        (int(offset), round(watts / (NOMINAL_VOLTAGE * phases) if unit == "A" else watts, 1))
        for offset, watts in periods
    ]


def schedule_start(now: float) -> str:
    return format_timestamp(now)


def clear(
    view: StationView,
    profile_id: int | None,
    evse_id: int | None,
    purpose: str | None,
    stack_level: int | None,
    now: float,
) -> Literal["Accepted", "Unknown"]:
    """ClearChargingProfile (1.6 §5.5, K10): Accepted when any profile matched, else Unknown."""
    mapped = PURPOSES.get(purpose) if purpose else None
    cleared = view.clear_charging_profiles(profile_id, evse_id, mapped, stack_level, now)
    return Status.ACCEPTED if cleared else Status.UNKNOWN


def limits(
    view: StationView, evse_id: int, duration: int, unit: str, now: float
) -> list[tuple[int, float]] | None:
    """GetCompositeSchedule (1.6 §5.7, K08): (startPeriod, limit) for `duration` seconds from now in
    `unit`; None for an EVSE the station lacks (answered Rejected)."""
    periods = view.composite_schedule(evse_id, duration, now)
    return None if periods is None else period_limits(periods, unit, view.config.phases)
