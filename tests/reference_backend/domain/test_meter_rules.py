"""A transaction's meter as the station said it (issue 20): the start is the station's, readings move
only the last value, and a register that goes backwards is flagged, never smoothed over."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from evharness.reference_backend.domain.metering import MeterChange, Register, meter_change, stop_problem

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


def at(minutes: int, wh: float) -> Register:
    return Register(T0 + timedelta(minutes=minutes), wh)


def test_a_lower_reading_never_moves_the_start_and_is_flagged() -> None:
    # StartTransaction meterStart 1000, then a reading of 0.1501 kWh (issue 20)
    change = meter_change(1000.0, at(0, 1000.0), [at(1, 150.1)])
    assert change.start_wh is None  # the start is known: nothing replaces it
    assert change.last == at(1, 150.1)  # what was sent
    assert change.problem is not None
    assert "backwards" in change.problem


def test_readings_move_the_last_value_to_the_latest_by_time_not_the_highest() -> None:
    change = meter_change(0.0, at(5, 500.0), [at(3, 300.0), at(4, 400.0)])  # late, older readings
    assert change.last is None  # the latest is still the one known
    assert change.problem is None


def test_a_register_reset_is_recorded_as_sent_and_flagged() -> None:
    change = meter_change(0.0, at(10, 91.0), [at(11, 30.0)])  # a reboot reset the register
    assert change.last == at(11, 30.0)
    assert change.problem == f"register went backwards: {at(10, 91.0)}, then {at(11, 30.0)}"


def test_the_start_a_started_event_gives_is_taken_once() -> None:
    first = meter_change(None, None, [at(0, 1000.0)], new_start_wh=1000.0)
    assert first.start_wh == 1000.0
    assert meter_change(1000.0, at(0, 1000.0), [], new_start_wh=5.0).start_wh is None


def test_a_stop_below_the_start_or_the_last_reading_is_a_problem() -> None:
    assert stop_problem(100.0, at(5, 500.0), at(6, 600.0)) is None
    assert stop_problem(100.0, at(5, 500.0), at(6, 85.0)) is not None
    assert stop_problem(100.0, at(5, 500.0), at(6, 400.0)) is not None
    assert stop_problem(100.0, at(5, 500.0), at(4, 400.0)) is None  # a reading after the stop says nothing


def test_changes_of_one_batch_merge_as_if_applied_one_after_the_other() -> None:
    a = MeterChange(start_wh=10.0, last=at(2, 20.0))
    b = MeterChange(start_wh=99.0, last=at(1, 15.0), problem="p")
    merged = a.then(b)
    assert merged == MeterChange(10.0, at(2, 20.0), "p")


@given(st.lists(st.floats(min_value=0, max_value=1e7, allow_nan=False), min_size=1, max_size=30))
def test_a_growing_register_never_has_a_problem_and_its_last_is_the_latest(values: list[float]) -> None:
    ordered = sorted(values)
    readings = [at(i, wh) for i, wh in enumerate(ordered)]
    change = meter_change(ordered[0], None, readings)
    assert change.problem is None
    assert change.last == readings[-1]


@given(
    st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=2, max_size=30),
    st.randoms(use_true_random=False),
)
def test_a_problem_is_flagged_exactly_when_some_reading_is_below_an_earlier_one(
    values: list[float], rnd: object
) -> None:
    readings = [at(i, wh) for i, wh in enumerate(values)]
    goes_back = any(later < earlier - 1.0 for earlier, later in itertools.pairwise(values))
    # delivered one message at a time, in a shuffled order: the verdict is the same
    order = list(readings)
    rnd.shuffle(order)  # type: ignore[attr-defined]
    last: Register | None = None
    problem = None
    for reading in order:
        change = meter_change(None, last, [reading])
        problem = problem or change.problem
        last = change.last or last
    assert last == readings[-1]
    if not goes_back:
        assert problem is None
