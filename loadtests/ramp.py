"""A ramp for Locust: add it to the run with `-f loadtests/locustfile.py,loadtests/ramp.py`.

Stages are `users:seconds` pairs (`--ramp`, env EVHARNESS_RAMP), held one after the other, each
reached at `--ramp-rate` users per second (EVHARNESS_RAMP_RATE); the run ends after the last stage.
"""

from __future__ import annotations

from typing import Any

from locust import LoadTestShape, events
from locust.argument_parser import LocustArgumentParser

from evharness.loadtests.settings import parse_stages
from evharness.settings import env_name


@events.init_command_line_parser.add_listener
def _add_arguments(parser: LocustArgumentParser, **_: Any) -> None:
    parser.add_argument(
        "--ramp",
        env_var=env_name("--ramp"),
        default="10:30,50:60,100:60,0:10",
        help=f"ramp stages USERS:SECONDS, comma separated (env {env_name('--ramp')})",
    )
    parser.add_argument(
        "--ramp-rate",
        env_var=env_name("--ramp-rate"),
        default="10",
        help=f"users started (or stopped) per second between stages (env {env_name('--ramp-rate')})",
    )


class StationRamp(LoadTestShape):
    def tick(self) -> tuple[int, float] | None:
        options = self.runner.environment.parsed_options if self.runner is not None else None
        stages = parse_stages(getattr(options, "ramp", "10:30"))
        rate = float(getattr(options, "ramp_rate", "10"))
        elapsed = self.get_run_time()
        for users, seconds in stages:
            if elapsed < seconds:
                return users, rate
            elapsed -= seconds
        return None
