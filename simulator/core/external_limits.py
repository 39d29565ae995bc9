"""External charging limits (2.0.1 K11–K13): an energy management system (EMS) or the grid operator
limits what the station may draw — the tester plays that EMS.

Theory of operation: a limit is held per EVSE (0: the whole grid connection) and source (EMS, SO,
Other: ChargingLimitSourceEnumType); each is a ChargingStationExternalConstraints profile of that
source in the station's `ProfileStore`, so GetChargingProfiles reports it (TC_K_52),
GetCompositeSchedule and the delivered power honour it, and ClearChargingProfile cannot remove it
(K10). What the tester does is a `Request`; `TABLE` says, for the state of that EVSE and source,
the next state and what the station tells the CSMS (`Tell`): NotifyChargingLimit when a limit is set
or changes by at least SmartChargingCtrlr.LimitChangeSignificance percent (K12), ClearedChargingLimit
when it is released (K13), with the schedule when NotifyChargingLimitWithSchedules is true. 1.6 has
neither message: the limit applies all the same. Nothing here knows a payload.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from evharness.simulator.core.charging_profiles import EXTERNAL, ChargingProfile, Period, ProfileStore

SOURCES = ("EMS", "SO", "Other")  # ChargingLimitSourceEnumType, CSO aside (the CSMS's own profiles)
ID_BASE = 2_000_000_000  # the profiles' ids: far above what a CSMS gives (2.1 MaxExternalConstraintsId)
SIGNIFICANCE = "SmartChargingCtrlr.LimitChangeSignificance"  # percent
WITH_SCHEDULES = "SmartChargingCtrlr.NotifyChargingLimitWithSchedules"


class LimitState(Enum):
    NONE = "none"
    SET = "set"


class Request(Enum):
    SET = "set"  # a new limit, or one that changed by at least the significance
    NUDGE = "nudge"  # a change smaller than SmartChargingCtrlr.LimitChangeSignificance
    RELEASE = "release"


class Tell(Enum):
    NOTIFY = "notify"  # NotifyChargingLimit (K12)
    CLEARED = "cleared"  # ClearedChargingLimit (K13)
    NOTHING = "nothing"


# state → request → (next state, what the CSMS is told)
TABLE: dict[LimitState, dict[Request, tuple[LimitState, Tell]]] = {
    LimitState.NONE: {
        Request.SET: (LimitState.SET, Tell.NOTIFY),
        Request.NUDGE: (LimitState.SET, Tell.NOTIFY),  # there was nothing to compare with
        Request.RELEASE: (LimitState.NONE, Tell.NOTHING),
    },
    LimitState.SET: {
        Request.SET: (LimitState.SET, Tell.NOTIFY),
        Request.NUDGE: (LimitState.SET, Tell.NOTHING),
        Request.RELEASE: (LimitState.NONE, Tell.CLEARED),
    },
}


TOLD = {
    Tell.NOTIFY: "NotifyChargingLimit",
    Tell.CLEARED: "ClearedChargingLimit",
    Tell.NOTHING: "nothing",
}


def render_markdown() -> str:
    """`TABLE` as docs/smart-charging.md shows it (docgen keeps the two equal)."""
    lines = ["| limit | the EMS | next | the CSMS hears (2.0.1) |", "|---|---|---|---|"]
    for state, row in TABLE.items():
        for request, (following, tell) in row.items():
            lines.append(f"| {state.value} | {request.value} | {following.value} | {TOLD[tell]} |")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class ExternalLimit:
    """What the EMS says: at most `limit` (in `unit`, W or A per phase) on `evse_id` from now, for
    `duration_s` (None: until released)."""

    evse_id: int
    limit: float
    unit: str = "W"
    source: str = "EMS"
    grid_critical: bool = False
    duration_s: float | None = None
    phases: int = 3

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise ValueError(f"source: one of {', '.join(SOURCES)}, not {self.source!r}")
        if self.unit not in ("W", "A"):
            raise ValueError(f"unit: W or A, not {self.unit!r}")
        if self.limit < 0:
            raise ValueError(f"limit: at least 0, not {self.limit:g}")
        if self.duration_s is not None and self.duration_s <= 0:
            raise ValueError(f"duration: more than 0 s, not {self.duration_s:g}")

    def profile(self, now: float) -> ChargingProfile:
        return ChargingProfile(
            id=profile_id(self.evse_id, self.source),
            evse_id=self.evse_id,
            stack_level=0,
            purpose=EXTERNAL,
            kind="Absolute",
            unit=self.unit,
            periods=(Period(0.0, self.limit, self.phases),),
            start=now,
            duration_s=self.duration_s,
            source=self.source,
        )


def limit_of(
    evse_id: int,
    limit_kw: float | None = None,
    limit_a: float | None = None,
    source: str = "EMS",
    grid_critical: bool = False,
    duration_s: float | None = None,
) -> ExternalLimit:
    """What a tester asks for (control API, scenario step): a limit in kW or in A per phase."""
    if (limit_kw is None) == (limit_a is None):
        raise ValueError("limit_kw or limit_a: exactly one of them")
    if limit_kw is not None:
        return ExternalLimit(evse_id, limit_kw * 1000.0, "W", source, grid_critical, duration_s)
    assert limit_a is not None
    return ExternalLimit(evse_id, limit_a, "A", source, grid_critical, duration_s)


def profile_id(evse_id: int, source: str) -> int:
    return ID_BASE + evse_id * len(SOURCES) + SOURCES.index(source)


@dataclass(frozen=True, slots=True)
class Outcome:
    tell: Tell
    profile: ChargingProfile | None  # the limit in force (NotifyChargingLimit's schedule)
    grid_critical: bool = False


def state_of(store: ProfileStore, evse_id: int, source: str) -> LimitState:
    return LimitState.SET if profile_id(evse_id, source) in store.profiles else LimitState.NONE


def set_limit(store: ProfileStore, limit: ExternalLimit, now: float, significance_percent: float) -> Outcome:
    """The EMS sets or changes a limit; whether the CSMS hears of it (K12)."""
    old = store.profiles.get(profile_id(limit.evse_id, limit.source))
    profile = limit.profile(now)
    request = Request.SET
    if old is not None and _change_percent(old, profile) < significance_percent:
        request = Request.NUDGE
    _, tell = TABLE[state_of(store, limit.evse_id, limit.source)][request]
    store.profiles[profile.id] = profile  # no room needed: the EMS's limits are not the CSMS's entries
    return Outcome(tell, profile, limit.grid_critical)


def release(store: ProfileStore, evse_id: int, source: str) -> Outcome:
    """The EMS releases its limit (K13); NOTHING when it had none there."""
    _, tell = TABLE[state_of(store, evse_id, source)][Request.RELEASE]
    store.profiles.pop(profile_id(evse_id, source), None)
    return Outcome(tell, None)


def expire(store: ProfileStore, now: float) -> list[ChargingProfile]:
    """External limits whose duration is over, removed (each is released: ClearedChargingLimit)."""
    over = [
        p
        for p in store.profiles.values()
        if p.purpose == EXTERNAL
        and p.start is not None
        and p.duration_s is not None
        and now >= p.start + p.duration_s
    ]
    for profile in over:
        del store.profiles[profile.id]
    return over


def deadline(store: ProfileStore) -> float | None:
    ends = [
        p.start + p.duration_s
        for p in store.profiles.values()
        if p.purpose == EXTERNAL and p.start is not None and p.duration_s is not None
    ]
    return min(ends, default=None)


def _change_percent(old: ChargingProfile, new: ChargingProfile) -> float:
    before, after = old.limit_w(old.start or 0.0, 0.0), new.limit_w(new.start or 0.0, 0.0)
    if before is None or after is None or before == 0:
        return 100.0
    return abs(after - before) / before * 100.0
