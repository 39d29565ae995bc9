"""Charging profiles at the CSMS (2.0.1 K01/K08-K10, 1.6 §3.13 Smart Charging): what the console may ask
for, checked field by field, and the CALL each becomes on OCPP 1.6 and on 2.0.1/2.1.

Theory of operation: the console speaks one vocabulary (2.0.1 words: `ChargingStationMaxProfile`,
`evse`); `set_call`, `clear_call`, `report_call` and `composite_call` check a request (InvalidInput names
the bad field, before anything is sent) and write it in the station's version. `PURPOSES` says which
action of the permission matrix each purpose needs — the one table `docs/smart-charging.md` renders.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from evharness.ocppj.timefmt import format_timestamp
from evharness.reference_backend.domain.permissions import Action
from evharness.reference_backend.domain.problems import InvalidInput

Payload = dict[str, Any]

# purpose (2.0.1 word) → (its 1.6 word, the matrix action that may set or clear it, what it is for)
PURPOSES: dict[str, tuple[str, Action, str]] = {
    "ChargingStationMaxProfile": (
        "ChargePointMaxProfile",
        Action.SET_MAX_CURRENT,
        "the station's own ceiling (evse 0 only)",
    ),
    "TxDefaultProfile": (
        "TxDefaultProfile",
        Action.SET_CHARGING_TIMES,
        "every new transaction's schedule (evse 0: each EVSE)",
    ),
    "TxProfile": (
        "TxProfile",
        Action.SET_PRIORITIES,
        "one running transaction's schedule (names its transaction)",
    ),
}
# K01.FR.22: the CSMS never sets ChargingStationExternalConstraints; it only reads them (K09).
REPORTED_ONLY = ("ChargingStationExternalConstraints",)
KINDS = ("Absolute", "Recurring", "Relative")
RECURRENCIES = ("Daily", "Weekly")
UNITS = ("A", "W")
LIMIT_SOURCES = ("EMS", "Other", "SO", "CSO")
CONSOLE_IDS = 1_000_000  # profile ids the console picks stay below; the CSMS's own profiles are above


def profile_actions(purpose: str | None) -> list[Action]:
    """The matrix actions touching profiles of `purpose` needs (None: every purpose, e.g. clear all)."""
    if purpose is None:
        return sorted({action for _, action, _ in PURPOSES.values()})
    return [purpose_of(purpose, "purpose")[1]]


def purpose_of(purpose: str, name: str) -> tuple[str, Action, str]:
    if purpose in REPORTED_ONLY:
        raise InvalidInput(name, f"{purpose} is set by the station's external limits, never by the CSMS")
    if purpose not in PURPOSES:
        raise InvalidInput(name, f"must be one of {', '.join(PURPOSES)}")
    return PURPOSES[purpose]


@dataclass(frozen=True, slots=True)
class Period:
    start: int  # seconds from the schedule's start
    limit: float
    phases: int | None = None


@dataclass(frozen=True, slots=True)
class Profile:
    """A charging profile as the console asks for it (2.0.1 words)."""

    purpose: str
    periods: tuple[Period, ...]
    evse: int = 0
    id: int | None = None  # None: the CSMS picks the next id of the station
    stack_level: int = 0
    kind: str = "Absolute"
    recurrency: str | None = None
    transaction_id: str | None = None
    unit: str = "A"
    start_schedule: datetime | None = None  # Absolute / Recurring: default now
    duration: int | None = None
    valid_from: datetime | None = None
    valid_to: datetime | None = None
    min_rate: float | None = None


def check(profile: Profile) -> None:
    """Every field of the request, each refusal naming the field (K01.FR.03/05/16/31/35/38, 1.6 §5.16)."""
    purpose_of(profile.purpose, "purpose")
    if profile.evse < 0:
        raise InvalidInput("evse", "must be 0 (the whole station) or an EVSE number")
    if profile.purpose == "ChargingStationMaxProfile" and profile.evse != 0:
        raise InvalidInput("evse", "a ChargingStationMaxProfile is for the whole station: evse 0")
    if profile.purpose == "TxProfile":
        if profile.evse == 0:
            raise InvalidInput("evse", "a TxProfile is for the EVSE of its transaction (K01.FR.16)")
        if not profile.transaction_id:
            raise InvalidInput("transaction_id", "a TxProfile names its transaction (K01.FR.03)")
    elif profile.transaction_id:
        raise InvalidInput("transaction_id", "only a TxProfile names a transaction")
    if profile.id is not None and not 0 < profile.id < CONSOLE_IDS:
        raise InvalidInput("id", f"must be between 1 and {CONSOLE_IDS - 1}")
    if not 0 <= profile.stack_level <= 1000:
        raise InvalidInput("stack_level", "must be between 0 and 1000")
    if profile.kind not in KINDS:
        raise InvalidInput("kind", f"must be one of {', '.join(KINDS)}")
    if (profile.kind == "Recurring") != (profile.recurrency is not None):
        raise InvalidInput("recurrency", "Daily or Weekly for a Recurring profile, and only then")
    if profile.recurrency is not None and profile.recurrency not in RECURRENCIES:
        raise InvalidInput("recurrency", f"must be one of {', '.join(RECURRENCIES)}")
    if profile.kind == "Relative" and profile.start_schedule is not None:
        raise InvalidInput("start_schedule", "a Relative profile starts with its transaction")
    if profile.unit not in UNITS:
        raise InvalidInput("unit", "must be A (amperes) or W (watts)")
    if profile.duration is not None and profile.duration <= 0:
        raise InvalidInput("duration", "must be a positive number of seconds")
    if profile.valid_from and profile.valid_to and profile.valid_to <= profile.valid_from:
        raise InvalidInput("valid_to", "must be after valid_from")
    check_periods(profile.periods)


def check_periods(periods: tuple[Period, ...]) -> None:
    if not periods:
        raise InvalidInput("periods", "a schedule needs at least one period")
    if periods[0].start != 0:
        raise InvalidInput("periods", "the first period starts at 0 (K01.FR.31)")
    for before, after in itertools.pairwise(periods):
        if after.start <= before.start:
            raise InvalidInput("periods", "periods are in increasing start order (K01.FR.35)")
    for period in periods:
        if period.limit < 0:
            raise InvalidInput("periods", "a limit is never negative")
        if period.phases is not None and period.phases not in (1, 2, 3):
            raise InvalidInput("periods", "phases are 1, 2 or 3")


def _periods(profile: Profile) -> list[Payload]:
    out: list[Payload] = []
    for period in profile.periods:
        item: Payload = {"startPeriod": period.start, "limit": round(period.limit, 1)}
        if period.phases is not None:
            item["numberPhases"] = period.phases
        out.append(item)
    return out


def _schedule(profile: Profile, now: datetime) -> Payload:
    schedule: Payload = {"chargingRateUnit": profile.unit, "chargingSchedulePeriod": _periods(profile)}
    if profile.kind != "Relative":
        start = profile.start_schedule or now
        schedule["startSchedule"] = format_timestamp(start.timestamp())
    if profile.duration is not None:
        schedule["duration"] = profile.duration
    if profile.min_rate is not None:
        schedule["minChargingRate"] = round(profile.min_rate, 1)
    return schedule


def _validity(profile: Profile) -> Payload:
    out: Payload = {}
    if profile.valid_from is not None:
        out["validFrom"] = format_timestamp(profile.valid_from.timestamp())
    if profile.valid_to is not None:
        out["validTo"] = format_timestamp(profile.valid_to.timestamp())
    if profile.recurrency is not None:
        out["recurrencyKind"] = profile.recurrency
    return out


def set_call(profile: Profile, profile_id: int, on_16: bool, now: datetime) -> tuple[str, Payload]:
    """K01 / 1.6 §5.16 SetChargingProfile for a checked profile, with the id the CSMS chose."""
    check(profile)
    if on_16:
        body: Payload = {
            "chargingProfileId": profile_id,
            "stackLevel": profile.stack_level,
            "chargingProfilePurpose": PURPOSES[profile.purpose][0],
            "chargingProfileKind": profile.kind,
            **_validity(profile),
            "chargingSchedule": _schedule(profile, now),
        }
        if profile.transaction_id is not None:
            if not profile.transaction_id.isdigit() or int(profile.transaction_id) > 2**31 - 1:
                raise InvalidInput("transaction_id", "is a whole number on OCPP 1.6")
            body["transactionId"] = int(profile.transaction_id)
        return "SetChargingProfile", {"connectorId": profile.evse, "csChargingProfiles": body}
    schedule = {"id": 1, **_schedule(profile, now)}
    body = {
        "id": profile_id,
        "stackLevel": profile.stack_level,
        "chargingProfilePurpose": profile.purpose,
        "chargingProfileKind": profile.kind,
        **_validity(profile),
        "chargingSchedule": [schedule],
    }
    if profile.transaction_id is not None:
        body["transactionId"] = profile.transaction_id[:36]
    return "SetChargingProfile", {"evseId": profile.evse, "chargingProfile": body}


@dataclass(frozen=True, slots=True)
class Criteria:
    """Which profiles to clear (K10) or report (K09); all None: every profile."""

    id: int | None = None
    evse: int | None = None
    purpose: str | None = None
    stack_level: int | None = None
    sources: tuple[str, ...] = ()  # report only: chargingLimitSource


def _check_criteria(criteria: Criteria, reading: bool) -> None:
    if criteria.purpose is not None and not (reading and criteria.purpose in REPORTED_ONLY):
        purpose_of(criteria.purpose, "purpose")
    if criteria.evse is not None and criteria.evse < 0:
        raise InvalidInput("evse", "must be 0 or an EVSE number")
    if criteria.stack_level is not None and criteria.stack_level < 0:
        raise InvalidInput("stack_level", "must not be negative")
    for source in criteria.sources:
        if source not in LIMIT_SOURCES:
            raise InvalidInput("sources", f"each one of {', '.join(LIMIT_SOURCES)}")


def clear_call(criteria: Criteria, on_16: bool) -> tuple[str, Payload]:
    """K10 / 1.6 §5.5 ClearChargingProfile by id or by criteria (none: every profile, K10.FR.03)."""
    _check_criteria(criteria, reading=False)
    if criteria.sources:
        raise InvalidInput("sources", "profiles are cleared by id, evse, purpose and stack level")
    if on_16:
        payload: Payload = {}
        if criteria.id is not None:
            payload["id"] = criteria.id
        if criteria.evse is not None:
            payload["connectorId"] = criteria.evse
        if criteria.purpose is not None:
            payload["chargingProfilePurpose"] = PURPOSES[criteria.purpose][0]
        if criteria.stack_level is not None:
            payload["stackLevel"] = criteria.stack_level
        return "ClearChargingProfile", payload
    if criteria.id is not None:
        return "ClearChargingProfile", {"chargingProfileId": criteria.id}
    found: Payload = {}
    if criteria.evse is not None:
        found["evseId"] = criteria.evse
    if criteria.purpose is not None:
        found["chargingProfilePurpose"] = criteria.purpose
    if criteria.stack_level is not None:
        found["stackLevel"] = criteria.stack_level
    return "ClearChargingProfile", {"chargingProfileCriteria": found} if found else {}


def report_call(criteria: Criteria, request_id: int, on_16: bool) -> tuple[str, Payload]:
    """K09 GetChargingProfiles (2.0.1 only): the station answers with ReportChargingProfiles."""
    if on_16:
        raise InvalidInput("operation", "OCPP 1.6 has no GetChargingProfiles: see the stored profiles")
    _check_criteria(criteria, reading=True)
    found: Payload = {}
    if criteria.id is not None:
        found["chargingProfileId"] = [criteria.id]
    if criteria.purpose is not None:
        found["chargingProfilePurpose"] = criteria.purpose
    if criteria.stack_level is not None:
        found["stackLevel"] = criteria.stack_level
    if criteria.sources:
        found["chargingLimitSource"] = list(criteria.sources)
    payload: Payload = {"requestId": request_id, "chargingProfile": found}
    if criteria.evse is not None:
        payload["evseId"] = criteria.evse
    return "GetChargingProfiles", payload


def composite_call(evse: int, duration: int, unit: str | None, on_16: bool) -> tuple[str, Payload]:
    """K08 / 1.6 §5.7 GetCompositeSchedule for an EVSE (0: the whole station)."""
    if evse < 0:
        raise InvalidInput("evse", "must be 0 (the whole station) or an EVSE number")
    if duration <= 0:
        raise InvalidInput("duration", "must be a positive number of seconds")
    if unit is not None and unit not in UNITS:
        raise InvalidInput("unit", "must be A (amperes) or W (watts)")
    payload: Payload = {"connectorId" if on_16 else "evseId": evse, "duration": duration}
    if unit is not None:
        payload["chargingRateUnit"] = unit
    return "GetCompositeSchedule", payload


def render_markdown() -> str:
    """`PURPOSES` as the table `docs/smart-charging.md` holds between its markers."""
    lines = ["| purpose (2.0.1) | on 1.6 | matrix action | for |", "|---|---|---|---|"]
    for purpose, (word_16, action, what) in PURPOSES.items():
        lines.append(f"| `{purpose}` | `{word_16}` | `{action.value}` | {what} |")
    return "\n".join(lines) + "\n"


WORDS_16 = {word_16: purpose for purpose, (word_16, _, _) in PURPOSES.items()}


@dataclass(frozen=True, slots=True)
class Placed:
    """Where a SetChargingProfile put its profile, read from the CALL in either version."""

    profile_id: int
    evse: int
    purpose: str  # 2.0.1 words
    stack_level: int
    transaction_ref: str | None
    profile: Payload


def placed(request: Payload, on_16: bool) -> Placed:
    """The profile of a SetChargingProfile request (1.6 words turned into 2.0.1 ones)."""
    if on_16:
        body: Payload = request["csChargingProfiles"]
        word = str(body["chargingProfilePurpose"])
        purpose, evse = WORDS_16.get(word, word), request["connectorId"]
        profile_id = body["chargingProfileId"]
    else:
        body = request["chargingProfile"]
        purpose, evse, profile_id = str(body["chargingProfilePurpose"]), request["evseId"], body["id"]
    transaction = body.get("transactionId")
    reference = None if transaction is None else str(transaction)
    return Placed(int(profile_id), int(evse), purpose, int(body["stackLevel"]), reference, dict(body))


def first_schedule(profile: Payload) -> Payload:
    """The (first) chargingSchedule of a profile in either version's shape."""
    schedule = profile.get("chargingSchedule")
    if isinstance(schedule, list):
        return dict(schedule[0]) if schedule else {}
    return dict(schedule) if isinstance(schedule, dict) else {}
