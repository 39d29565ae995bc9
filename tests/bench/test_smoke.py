"""A tiny `evharness bench` run, end to end: every figure and target row is produced, as JSON and HTML.

It checks that the figures are produced, never what they are: targets are the bench's business, not the
suite's (the figures of a full run are in docs/capacity.md). About a minute on the 2-core machine.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from evharness.bench.figures import TARGETS
from tests.test_commands import output

TINY = (
    "--session-stations", "2", "--time-scale", "3000", "--ocpp-connections", "2", "--ocpp-loops", "2",
    "--raw-round-trips", "200", "--idle-stations", "5,10", "--fleet-stations", "6", "--hold-seconds", "0.5",
    "--locust-users", "2", "--locust-seconds", "4", "--event-loops", "asyncio,uvloop",
)  # fmt: skip


def bench(*args: str, timeout: float = 280) -> subprocess.CompletedProcess[str]:
    """`evharness bench ARGS` in a process group of its own, ended whole (by its id) if it overruns."""
    environ = {name: value for name, value in os.environ.items() if not name.startswith("EVHARNESS_")}
    command = [sys.executable, "-m", "evharness", "bench", *args]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environ,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the bench, its backends and children: our group only
        stdout, stderr = process.communicate()
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


@pytest.mark.timeout(300)
def test_a_tiny_bench_writes_every_figure_as_json_and_html(tmp_path: Path) -> None:
    report, page = tmp_path / "bench.json", tmp_path / "bench.html"
    result = bench("--workdir", str(tmp_path / "work"), "--report", str(report), "--html", str(page), *TINY)
    assert result.returncode == 0, output(result)
    assert "figures against their baselines and targets" in result.stdout

    written = json.loads(report.read_text(encoding="utf-8"))
    rows = {row["key"]: row for row in written["rows"]}
    assert {target.key for target in TARGETS} <= set(rows), sorted(rows)
    assert {"backend_uvloop", "simulator_uvloop", "backend_vs_ocpp_csms_mix", "memory_5"} <= set(rows)
    for key in (target.key for target in TARGETS):
        assert rows[key]["value"], rows[key]
        assert rows[key]["target"], rows[key]

    values = written["figures"]
    cpu = values["cpu_per_round_trip"]
    runs = [*cpu["session_mix"].values(), cpu["session_mix_ocpp_csms"], *cpu["ocpp_client"].values()]
    for run in runs:
        assert run["round_trips"] > 0, run
        assert (run["errors"], run["failures"]) == (0, []), run
    assert cpu["ocpp_client"]["reference_backend"]["round_trips"] == 2 * 2 * 4
    idle = values["idle_memory"]["10"]
    assert (idle["booted"], idle["still_connected"], idle["errors"]) == (10, 10, 0), idle
    locust = values["locust"]
    for name in ("bare_websocket_user", "one_worker", "two_workers"):
        assert locust[name]["ocpp_round_trips"] > 0, locust[name]
        assert locust[name]["failures"] == 0, locust[name]
        assert locust[name]["series"], locust[name]
    assert values["machine"]["cpus"] >= 1

    html = page.read_text(encoding="utf-8")
    charts = re.findall(r'<img alt="([^"]+)" src="data:image/png;base64,', html)
    assert charts == [
        "CPU per round trip against the baselines",
        "Memory per idle station",
        "Locust rate over time",
    ]
