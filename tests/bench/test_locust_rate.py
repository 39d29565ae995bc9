"""Reading a Locust run: the steady window of its history, and CPU between two moments."""

from __future__ import annotations

from evharness.bench.locust_rate import WARM_UP_ROWS, CpuSamples, steady_end, steady_start


def history(users_by_second: list[int]) -> list[tuple[float, float, float, int]]:
    return [(float(second), 10.0 * second, 10.0, users) for second, users in enumerate(users_by_second)]


def test_the_steady_window_starts_after_every_user_spawned_and_a_warm_up() -> None:
    rows = history([0, 50, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100])
    assert steady_start(rows, 100) == 2 + WARM_UP_ROWS


def test_a_short_run_keeps_at_least_its_last_half() -> None:
    rows = history([0, 100, 100, 100, 100, 100])
    assert steady_start(rows, 100) == 3


def test_a_run_whose_users_never_all_spawned_is_read_from_its_middle() -> None:
    assert steady_start(history([0, 10, 20, 30, 40, 50, 60, 70]), 100) == 4


def test_cpu_at_a_moment_is_interpolated_between_samples_and_clamped_outside() -> None:
    cpu = CpuSamples([], [(10.0, 1.0), (12.0, 2.0), (14.0, 2.5)])
    assert cpu.at(11.0) == 1.5
    assert cpu.at(13.0) == 2.25
    assert cpu.at(5.0) == 1.0
    assert cpu.at(20.0) == 2.5


def test_the_steady_window_ends_before_the_users_start_stopping() -> None:
    rows = history([0, 100, 100, 100, 100, 100, 100, 80, 40, 0])
    assert steady_end(rows, 100) == 6
    assert steady_end(history([0, 10, 20, 30]), 100) == 3  # never all ran: up to the end
