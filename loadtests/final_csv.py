"""Locust's `--csv` files with a run's final figures.

Locust rewrites `PREFIX_stats.csv`, `PREFIX_failures.csv` and `PREFIX_exceptions.csv` once a second while
it runs, and not at the end: what happened in a run's last second is missing from them (a failure in the
summary Locust prints at exit could be absent from the failures file, a request count one second short).
At exit, after Locust has closed those files, this writes the three again from the final statistics, so
the files and the printed summary agree. Only where the files are written: a standalone run or the master.
"""

from __future__ import annotations

import atexit
import csv
from typing import Any

from locust import events
from locust.env import Environment
from locust.runners import WorkerRunner
from locust.stats import PERCENTILES_TO_REPORT, StatsCSV


@events.init.add_listener
def write_at_exit(environment: Environment, **_: Any) -> None:
    options = environment.parsed_options
    prefix = getattr(options, "csv_prefix", None) if options is not None else None
    if prefix and not isinstance(environment.runner, WorkerRunner):
        atexit.register(write_final_csv, environment, str(prefix))


def write_final_csv(environment: Environment, prefix: str) -> None:
    """The stats, failures and exceptions files of `prefix`, from `environment.stats` as they are now."""
    table = StatsCSV(environment, PERCENTILES_TO_REPORT)
    for suffix, write in (
        ("_stats.csv", table.requests_csv),
        ("_failures.csv", table.failures_csv),
        ("_exceptions.csv", table.exceptions_csv),
    ):
        with open(f"{prefix}{suffix}", "w", newline="", encoding="utf-8") as handle:
            write(csv.writer(handle))
