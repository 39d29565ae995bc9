"""Charging profiles between JSON and `simulator.core.charging_profiles`, for 1.6, 2.0.1 and 2.1.

1.6 nests one schedule under `chargingSchedule` with `chargingProfileId`; 2.0.1/2.1 carry a list of
schedules under `chargingSchedule` with `id`. The station uses the first schedule (K01.FR.?
allows up to three for ISO 15118; a simulated EV negotiates none).
"""

from __future__ import annotations

from evharness.ocppj.frames import Payload
from evharness.ocppj.timefmt import format_timestamp, parse_timestamp
from simulator.core.charging_profiles import PURPOSES, ChargingProfile, Period
from simulator.core.codec import StationView
from simulator.core.meter import NOMINAL_VOLTAGE


def _moment(text: str | None) -> float | None:
    return None if text is None else parse_timestamp(text).timestamp()


def parse(raw: Payload, evse_id: int) -> ChargingProfile | None:
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


def periods_json(periods: list[tuple[float, float]], unit: str, phases: int) -> list[Payload]:
    """Composite periods (offset s, W) as chargingSchedulePeriod in `unit` (A per phase or W)."""
    out: list[Payload] = []
    for offset, watts in periods:
        limit = watts / (NOMINAL_VOLTAGE * phases) if unit == "A" else watts
        out.append({"startPeriod": int(offset), "limit": round(limit, 1)})
    return out


def schedule_start(now: float) -> str:
    return format_timestamp(now)


def clear(
    view: StationView,
    profile_id: int | None,
    evse_id: int | None,
    purpose: str | None,
    stack_level: int | None,
    now: float,
) -> Payload:
    """ClearChargingProfile (1.6 §5.5, K10): Accepted when any profile matched, else Unknown."""
    mapped = PURPOSES.get(purpose) if purpose else None
    cleared = view.clear_charging_profiles(profile_id, evse_id, mapped, stack_level, now)
    return {"status": "Accepted" if cleared else "Unknown"}


def schedule(view: StationView, evse_id: int, request: Payload, now: float) -> Payload | None:
    """The composite schedule's common fields (1.6 §5.7, K08): `duration`, `chargingRateUnit` and
    `chargingSchedulePeriod` for the request's `duration` seconds from now, in its unit (W if it
    names none); None for an EVSE the station lacks (answered Rejected)."""
    duration, unit = request["duration"], request.get("chargingRateUnit", "W")
    periods = view.composite_schedule(evse_id, duration, now)
    if periods is None:
        return None
    return {
        "duration": duration,
        "chargingRateUnit": unit,
        "chargingSchedulePeriod": periods_json(periods, unit, view.config.phases),
    }
