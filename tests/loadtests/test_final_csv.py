"""Locust's --csv files hold the run's final figures (`loadtests.final_csv`): a failure reported in the run's
last moment — here by a user as it stops, after Locust's own once-a-second CSV writer has run for the last
time — is in the failures file and counted in the stats file. Real Locust, no network."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

LOCUSTFILE = """
from locust import User, constant, task

from evharness.loadtests import options  # noqa: F401  (as every evharness locustfile does)


class LastWordUser(User):
    wait_time = constant(0.2)

    @task
    def idle(self) -> None:
        return  # nothing to do: the user only reports, as it stops

    def on_stop(self) -> None:
        self.environment.events.request.fire(
            request_type="Session", name="last word", response_time=1.0, response_length=0,
            exception=RuntimeError("said as the run ended"), context={},
        )
"""


def test_a_failure_in_the_last_moment_is_in_the_csv_files(tmp_path: Path) -> None:
    locustfile = tmp_path / "lastword.py"
    locustfile.write_text(LOCUSTFILE)
    prefix = tmp_path / "run"
    command = [sys.executable, "-m", "locust", "-f", str(locustfile), "--headless", "-u", "1", "-r", "1",
               "-t", "1s", "--csv", str(prefix), "--only-summary"]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    log = f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    assert result.returncode == 1, log  # the failure counts
    with (tmp_path / "run_failures.csv").open(encoding="utf-8") as handle:
        failures = {(row["Method"], row["Name"]): row for row in csv.DictReader(handle)}
    assert "said as the run ended" in failures[("Session", "last word")]["Error"], failures
    with (tmp_path / "run_stats.csv").open(encoding="utf-8") as handle:
        stats = {(row["Type"], row["Name"]): row for row in csv.DictReader(handle)}
    assert stats[("Session", "last word")]["Failure Count"] == "1", stats
