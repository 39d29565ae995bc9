"""Charging profiles between JSON and `simulator.core.charging_profiles`, for 1.6, 2.0.1 and 2.1.

1.6 nests one schedule under `chargingSchedule` with `chargingProfileId`; 2.0.1/2.1 carry a list of
schedules under `chargingSchedule` with `id`. The station uses the first schedule (2.0.1 allows up
to three for ISO 15118; the simulated EV takes the first). `write_201` gives a profile back in
2.0.1's words (ReportChargingProfiles, NotifyChargingLimit).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from evharness.ocppj.payloads import v201 as wire
from evharness.ocppj.timefmt import format_timestamp, parse_timestamp
from evharness.simulator.core.charging_profiles import (
    EXTERNAL,
    PURPOSES,
    STATION_MAX,
    TX,
    TX_DEFAULT,
    ChargingProfile,
    Period,
)
from evharness.simulator.core.codec import StationView
from evharness.simulator.core.meter import NOMINAL_VOLTAGE
from evharness.simulator.core.smart_charging import CLEAR, ClearStatus, Found


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
        for p in schedule["chargingSchedulePeriod"]  # in the CSMS's order: `well_formed` checks it
    )
    transaction = raw.get("transactionId")
    minimum = schedule.get("minChargingRate")
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
        schedule_id=int(schedule.get("id", 1)),
        min_rate=None if minimum is None else float(minimum),
    )


NAMES_201: dict[str, wire.ChargingProfilePurposeEnumType] = {
    STATION_MAX: "ChargingStationMaxProfile",
    TX_DEFAULT: "TxDefaultProfile",
    TX: "TxProfile",
    EXTERNAL: "ChargingStationExternalConstraints",
}


def schedule_201(profile: ChargingProfile) -> wire.ChargingScheduleType:
    periods: list[wire.ChargingSchedulePeriodType] = [
        {"startPeriod": int(p.start_s), "limit": p.limit, "numberPhases": p.phases} for p in profile.periods
    ]
    schedule: wire.ChargingScheduleType = {
        "id": profile.schedule_id,
        "chargingRateUnit": cast(wire.ChargingRateUnitEnumType, profile.unit),
        "chargingSchedulePeriod": periods,
    }
    if profile.start is not None:
        schedule["startSchedule"] = format_timestamp(profile.start)
    if profile.duration_s is not None:
        schedule["duration"] = int(profile.duration_s)
    if profile.min_rate is not None:
        schedule["minChargingRate"] = profile.min_rate
    return schedule


def write_201(profile: ChargingProfile) -> wire.ChargingProfileType:
    """The profile as a 2.0.1 ChargingProfileType, as the CSMS (or the EMS) gave it."""
    written: wire.ChargingProfileType = {
        "id": profile.id,
        "stackLevel": profile.stack_level,
        "chargingProfilePurpose": NAMES_201[profile.purpose],
        "chargingProfileKind": cast(wire.ChargingProfileKindEnumType, profile.kind),
        "chargingSchedule": [schedule_201(profile)],
    }
    if profile.recurrency is not None:
        written["recurrencyKind"] = cast(wire.RecurrencyKindEnumType, profile.recurrency)
    if profile.valid_from is not None:
        written["validFrom"] = format_timestamp(profile.valid_from)
    if profile.valid_to is not None:
        written["validTo"] = format_timestamp(profile.valid_to)
    if profile.transaction_id is not None:
        written["transactionId"] = profile.transaction_id
    return written


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
) -> ClearStatus:
    """ClearChargingProfile (1.6 §5.5, K10): Accepted when any profile matched, else Unknown
    (`simulator.core.smart_charging.CLEAR`)."""
    mapped = PURPOSES.get(purpose) if purpose else None
    cleared = view.clear_charging_profiles(profile_id, evse_id, mapped, stack_level, now)
    return CLEAR[Found.SOME if cleared else Found.NONE]


def limits(
    view: StationView, evse_id: int, duration: int, unit: str, now: float
) -> list[tuple[int, float]] | None:
    """GetCompositeSchedule (1.6 §5.7, K08): (startPeriod, limit) for `duration` seconds from now in
    `unit`; None for an EVSE the station lacks (answered Rejected)."""
    periods = view.composite_schedule(evse_id, duration, now)
    return None if periods is None else period_limits(periods, unit, view.config.phases)
