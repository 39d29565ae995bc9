"""The rules of `--processes` without processes: ranges, defaults, limits, merged metrics."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from evharness.simulator.workers import limits
from evharness.simulator.workers.parent import default_processes, spread
from evharness.simulator.workers.proxy import merge_metrics


@given(st.integers(1, 100_000), st.integers(1, 64), st.integers(1, 9999))
def test_the_ranges_cover_every_station_once_in_order(stations: int, processes: int, first: int) -> None:
    ranges = spread(stations, min(processes, stations), first)
    numbers = [n for start, count in ranges for n in range(start, start + count)]
    assert numbers == list(range(first, first + stations))
    assert max(count for _, count in ranges) - min(count for _, count in ranges) <= 1


@given(st.integers(1, 200_000), st.integers(100, 1_000_000), st.integers(1, 64))
def test_the_default_is_one_per_core_and_always_fits_under_the_limit(
    stations: int, files: int, cores: int
) -> None:
    processes = default_processes(stations, files, cores)
    assert limits.refusal(stations, processes, files) is None
    if stations <= limits.stations_per_process_max(files):
        assert processes == min(cores, -(-stations // 1000))


def test_metrics_of_the_workers_are_summed_per_labels() -> None:
    one = (
        "# HELP evharness_sim_stations Stations\n# TYPE evharness_sim_stations gauge\n"
        'evharness_sim_stations{condition="idle"} 3.0\n'
        "# HELP evharness_sim_connections WebSocket connections\n# TYPE evharness_sim_connections counter\n"
        "evharness_sim_connections_total 3.0\nevharness_sim_connections_created 1.7e9\n"
    )
    two = one.replace("3.0", "5.0").replace("1.7e9", "1.6e9")
    merged = merge_metrics([one, two])
    assert 'evharness_sim_stations{condition="idle"} 8.0' in merged
    assert "evharness_sim_connections_total 8.0" in merged
    assert "evharness_sim_connections_created 1600000000.0" in merged
    assert "# TYPE evharness_sim_connections_total counter" in merged
