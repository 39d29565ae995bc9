"""External limits as their table says (K11–K13): each state and request, what the CSMS is told,
and the limit in the profile store."""

from __future__ import annotations

import pytest

from evharness.simulator.core import external_limits
from evharness.simulator.core.charging_profiles import EXTERNAL, ProfileStore
from evharness.simulator.core.external_limits import TABLE, ExternalLimit, LimitState, Request, Tell

ROWS = [(state, request) for state, row in TABLE.items() for request in row]


def store_in(state: LimitState) -> ProfileStore:
    store = ProfileStore()
    if state is LimitState.SET:
        external_limits.set_limit(store, ExternalLimit(1, 10_000.0), 0.0, 10)
    assert external_limits.state_of(store, 1, "EMS") is state
    return store


@pytest.mark.parametrize(("state", "request_"), ROWS, ids=lambda v: v.value)
def test_each_row(state: LimitState, request_: Request) -> None:
    store = store_in(state)
    if request_ is Request.RELEASE:
        outcome = external_limits.release(store, 1, "EMS")
    else:
        limit = 10_500.0 if request_ is Request.NUDGE else 4_000.0  # 5 % or 60 % from 10 kW
        outcome = external_limits.set_limit(store, ExternalLimit(1, limit), 0.0, 10)
    following, tell = TABLE[state][request_]
    assert outcome.tell is tell
    assert external_limits.state_of(store, 1, "EMS") is following


def test_a_limit_is_an_external_constraints_profile_of_its_source() -> None:
    store = ProfileStore()
    external_limits.set_limit(store, ExternalLimit(0, 16, "A", "SO", True, 600.0), 100.0, 0)
    (profile,) = store.profiles.values()
    assert (profile.purpose, profile.source, profile.evse_id, profile.start) == (EXTERNAL, "SO", 0, 100.0)
    assert store.limit_w(1, 200.0, "t-1", 0.0) == pytest.approx(16 * 690)
    assert store.clear() == []  # the CSMS cannot clear it (K10)
    assert external_limits.deadline(store) == 700.0
    assert external_limits.expire(store, 699.0) == []
    assert [p.id for p in external_limits.expire(store, 700.0)] == [profile.id]
    assert store.profiles == {}


def test_sources_hold_their_own_limits_and_the_least_applies() -> None:
    store = ProfileStore()
    external_limits.set_limit(store, ExternalLimit(1, 7_000.0, source="EMS"), 0.0, 0)
    external_limits.set_limit(store, ExternalLimit(0, 5_000.0, source="SO"), 0.0, 0)
    assert store.limit_w(1, 1.0, "t", 0.0) == 5_000.0
    assert external_limits.release(store, 0, "SO").tell is Tell.CLEARED
    assert store.limit_w(1, 1.0, "t", 0.0) == 7_000.0
    assert external_limits.release(store, 0, "SO").tell is Tell.NOTHING


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"source": "CSO"}, "source"),
        ({"unit": "kW"}, "unit"),
        ({"limit": -1.0}, "limit"),
        ({"duration_s": 0.0}, "duration"),
    ],
)
def test_bad_input_names_the_field(fields: dict[str, object], named: str) -> None:
    with pytest.raises(ValueError, match=named):
        ExternalLimit(**{"evse_id": 1, "limit": 1.0, **fields})  # type: ignore[arg-type]
