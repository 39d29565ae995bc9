"""The composite schedule (K08, 1.6 §3.13.4) against an oracle written from the rules, for any
stack of profiles: stack levels, validFrom/validTo, Absolute/Relative/Recurring schedules with
durations, a TxProfile over the TxDefaultProfiles, every external constraint, and the least of the
purposes."""

from __future__ import annotations

import itertools
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from evharness.simulator.core.charging_profiles import (
    EXTERNAL,
    RECURRENCE,
    STATION_MAX,
    TX,
    TX_DEFAULT,
    ChargingProfile,
    Period,
    ProfileStore,
)

DAY = 86_400
NOW = 10 * DAY + 3_600  # the moment GetCompositeSchedule is asked
TX_START = NOW - 1_800
CEILING = 22_000.0
EVSE = 1
TRANSACTION = "t-1"


@st.composite
def profiles(draw: st.DrawFn, profile_id: int) -> ChargingProfile:
    purpose = draw(st.sampled_from([STATION_MAX, TX_DEFAULT, TX, EXTERNAL]))
    evse = 0 if purpose == STATION_MAX else (EVSE if purpose == TX else draw(st.sampled_from([0, EVSE])))
    kind = draw(st.sampled_from(["Absolute", "Relative", "Recurring"]))
    starts = sorted(draw(st.sets(st.integers(1, 20_000), max_size=4)))
    limits = draw(st.lists(st.integers(0, 30_000), min_size=len(starts) + 1, max_size=len(starts) + 1))
    periods = tuple(Period(float(s), float(limit)) for s, limit in zip([0, *starts], limits, strict=True))
    start = float(NOW + draw(st.integers(-2 * DAY, DAY))) if kind != "Relative" else None
    valid_from = draw(st.none() | st.integers(NOW - DAY, NOW + 20_000).map(float))
    valid_to = draw(st.none() | st.integers(NOW - 600, NOW + 2 * DAY).map(float))
    return ChargingProfile(
        id=profile_id,
        evse_id=evse,
        stack_level=draw(st.integers(0, 3)),
        purpose=purpose,
        kind=kind,
        unit="W",
        periods=periods,
        start=start,
        duration_s=draw(st.none() | st.integers(60, 30_000).map(float)),
        recurrency=draw(st.sampled_from(["Daily", "Weekly"])) if kind == "Recurring" else None,
        valid_from=valid_from,
        valid_to=valid_to,
        transaction_id=draw(st.sampled_from([None, TRANSACTION])) if purpose == TX else None,
    )


@st.composite
def stores(draw: st.DrawFn) -> ProfileStore:
    store = ProfileStore()
    for profile_id in range(draw(st.integers(0, 6))):
        store.profiles[profile_id] = draw(profiles(profile_id))  # any stack, even what install replaces
    return store


def oracle_limit(profile: ChargingProfile, at: float, anchor: float) -> float | None:
    """One profile's limit, from the rules as written (not from the code under test)."""
    if profile.valid_from is not None and at < profile.valid_from:
        return None
    if profile.valid_to is not None and at >= profile.valid_to:
        return None
    if profile.kind == "Relative" or profile.start is None:
        begins = anchor
    elif profile.kind == "Recurring":
        cycle = RECURRENCE[profile.recurrency or "Daily"]
        begins = profile.start + math.floor((at - profile.start) / cycle) * cycle
    else:
        begins = profile.start
    offset = at - begins
    if offset < 0 or (profile.duration_s is not None and offset >= profile.duration_s):
        return None
    limit = None
    for period in profile.periods:
        if period.start_s <= offset:
            limit = period.limit
    return limit


def oracle(store: ProfileStore, at: float, transaction: str | None) -> float:
    def best(purpose: str, evses: set[int], tx: str | None = None) -> float | None:
        ranked = sorted(
            (
                p
                for p in store.profiles.values()
                if p.purpose == purpose
                and p.evse_id in evses
                and (purpose != TX or p.transaction_id in (None, tx))
            ),
            key=lambda p: -p.stack_level,
        )
        for p in ranked:
            limit = oracle_limit(p, at, TX_START if transaction else NOW)
            if limit is not None:
                return limit
        return None

    tx_limit = best(TX, {EVSE}, transaction) if transaction else None
    if tx_limit is None:
        tx_limit = best(TX_DEFAULT, {EVSE})
    if tx_limit is None:
        tx_limit = best(TX_DEFAULT, {0})
    external = [
        oracle_limit(p, at, TX_START if transaction else NOW)
        for p in store.profiles.values()
        if p.purpose == EXTERNAL and p.evse_id in (0, EVSE)
    ]
    limits = [best(STATION_MAX, {0}), *external, tx_limit, CEILING]
    return min(limit for limit in limits if limit is not None)


def value_at(periods: list[tuple[float, float]], offset: float) -> float:
    return [limit for start, limit in periods if start <= offset][-1]


DURATION = 3 * DAY


@settings(max_examples=150, deadline=None)
@given(
    store=stores(),
    transaction=st.sampled_from([None, TRANSACTION]),
    offsets=st.lists(st.integers(0, DURATION - 1), min_size=1, max_size=30),
)
def test_the_composite_is_the_oracles_limit_at_every_moment(
    store: ProfileStore, transaction: str | None, offsets: list[int]
) -> None:
    start = TX_START if transaction else None
    periods = store.composite(EVSE, NOW, DURATION, transaction, start, CEILING)
    assert periods[0][0] == 0
    assert all(a[0] < b[0] and a[1] != b[1] for a, b in itertools.pairwise(periods))
    assert all(0 <= limit <= CEILING for _, limit in periods)
    boundaries = [int(offset) for offset, _ in periods]  # a period's first and last second too
    for offset in offsets + boundaries + [b - 1 for b in boundaries if b > 0]:
        assert value_at(periods, offset) == oracle(store, NOW + offset, transaction), offset


@settings(max_examples=100, deadline=None)
@given(store=stores(), offset=st.integers(0, DAY))
def test_the_limit_applied_while_charging_is_the_composites(store: ProfileStore, offset: int) -> None:
    """What `power` applies at a moment is what GetCompositeSchedule said for it."""
    periods = store.composite(EVSE, NOW, DAY + 1, TRANSACTION, TX_START, CEILING)
    applied = store.limit_w(EVSE, NOW + offset, TRANSACTION, TX_START)
    expected = value_at(periods, offset)
    assert (CEILING if applied is None else min(applied, CEILING)) == expected
