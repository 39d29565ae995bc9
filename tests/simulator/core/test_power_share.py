"""A limit of the whole station shared by its EVSEs (`simulator.core.power.share`): never more than
the limit, nobody more than it wants, and what one leaves goes to the others (max-min fairness)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from evharness.simulator.core.power import share

WANTED = st.dictionaries(st.integers(1, 8), st.floats(0, 50_000), min_size=1, max_size=8)


@given(limit=st.floats(0, 100_000), wanted=WANTED)
def test_a_share_is_fair_and_keeps_to_the_limit(limit: float, wanted: dict[int, float]) -> None:
    given_out = share(limit, wanted)
    assert set(given_out) == set(wanted)
    assert sum(given_out.values()) <= limit + 1e-6
    assert all(0 <= given_out[e] <= wanted[e] + 1e-9 for e in wanted)
    short = [e for e in wanted if given_out[e] < wanted[e] - 1e-6]
    if short:  # the limit is used up, and those cut short got the most anyone got
        assert sum(given_out.values()) >= limit - 1e-6
        top = max(given_out.values())
        assert all(given_out[e] >= top - 1e-6 for e in short)
    else:
        assert all(abs(given_out[e] - wanted[e]) <= 1e-6 for e in wanted)


def test_an_ev_that_takes_little_leaves_the_rest_to_the_other() -> None:
    assert share(11_000.0, {1: 2_000.0, 2: 22_000.0}) == {1: 2_000.0, 2: 9_000.0}
    assert share(11_000.0, {1: 22_000.0, 2: 22_000.0}) == {1: 5_500.0, 2: 5_500.0}
