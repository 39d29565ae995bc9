"""Load management at the CSMS: the site limit shared by an installation's sessions, and the schedule the
CSMS gives an ISO 15118 EV that said its charging needs (2.0.1 K15-K17).

Theory of operation. A site limit (amperes per phase) is shared equally by the site's running sessions:
each station of the installation gets a TxDefaultProfile for all its EVSEs (evse 0) whose limit is the
per-session share (`share`), pushed whenever a session starts or stops. With no session running, the
whole limit is each station's: the first session starts at most at the limit. An EV's needs are
answered with a TxProfile for its transaction at what the EV can take, capped by the site share and the
station's maximum profile (`needs_profile`); the EV's own schedule is accepted when no period exceeds
the CSMS's (`within`), else refused and the CSMS sends its profile again (K15.FR.12/13).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from evharness.reference_backend.domain.charging_profiles import CONSOLE_IDS, Period, Profile, first_schedule

SITE_PROFILE_ID = CONSOLE_IDS  # the site's TxDefaultProfile on every station of the installation
SITE_STACK_LEVEL = 0
EV_PROFILE_IDS = CONSOLE_IDS + 1  # + evse id: the TxProfile answering an EV's needs on that EVSE
EV_STACK_LEVEL = 1
PHASES = {"AC_single_phase": 1, "AC_two_phase": 2, "AC_three_phase": 3}


def share(limit_a: float, sessions: int) -> float:
    """Each running session's part of the site limit, to a tenth of an ampere (rounded down)."""
    return int(limit_a * 10 / max(sessions, 1)) / 10


def site_profile(limit_a: float) -> Profile:
    """The TxDefaultProfile every station of the site gets: each of its sessions at most `limit_a`."""
    periods = (Period(0, limit_a),)
    return Profile("TxDefaultProfile", periods, evse=0, stack_level=SITE_STACK_LEVEL, kind="Relative")


def needs_profile(
    needs: dict[str, Any], evse: int, transaction_ref: str, cap_a: float | None, now: datetime
) -> Profile:
    """K15.FR.03: the TxProfile for the EV's needs (AC in amperes with its phases, DC in watts)."""
    transfer = str(needs.get("requestedEnergyTransfer", "AC_three_phase"))
    duration = _until_departure(needs, now)
    if transfer in PHASES:
        ac = needs.get("acChargingParameters", {})
        limit = float(ac.get("evMaxCurrent", cap_a or 32))
        if cap_a is not None:
            limit = min(limit, cap_a)
        period = Period(0, limit, PHASES[transfer])
        unit = "A"
    else:
        dc = needs.get("dcChargingParameters", {})
        power = dc.get("evMaxPower")
        if power is None:
            power = float(dc.get("evMaxCurrent", 0)) * float(dc.get("evMaxVoltage", 0))
        period, unit = Period(0, float(power)), "W"
    return Profile(
        "TxProfile",
        (period,),
        evse=evse,
        stack_level=EV_STACK_LEVEL,
        kind="Absolute",
        transaction_id=transaction_ref,
        unit=unit,
        start_schedule=now,
        duration=duration,
    )


def _until_departure(needs: dict[str, Any], now: datetime) -> int | None:
    departure = needs.get("departureTime")
    if not isinstance(departure, str):
        return None
    try:
        seconds = int((datetime.fromisoformat(departure.replace("Z", "+00:00")) - now).total_seconds())
    except ValueError:
        return None
    return seconds if seconds > 0 else None


def within(ev_schedule: dict[str, Any], csms_profile: dict[str, Any] | None) -> bool:
    """K15.FR.10-12: whether no period of the EV's schedule exceeds the CSMS's schedule at the same
    offset (same unit; schedules in different units, or no CSMS profile, are not compared)."""
    if csms_profile is None:
        return True
    ours = first_schedule(csms_profile)
    if ours.get("chargingRateUnit") != ev_schedule.get("chargingRateUnit"):
        return True
    ours_periods = ours.get("chargingSchedulePeriod", [])
    limits = sorted((int(p["startPeriod"]), float(p["limit"])) for p in ours_periods)
    for period in ev_schedule.get("chargingSchedulePeriod", []):
        start = int(period["startPeriod"])
        allowed = [limit for begins, limit in limits if begins <= start]
        if allowed and float(period["limit"]) > allowed[-1] + 1e-9:
            return False
    return True
