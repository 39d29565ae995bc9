"""The load tests' own command-line arguments: each is also an EVHARNESS_ environment variable,
named as everywhere else in evharness (`--id-prefix` ↔ `EVHARNESS_ID_PREFIX`)."""

from __future__ import annotations

import logging
import sys
from typing import Any

from locust import events
from locust.argument_parser import LocustArgumentParser
from locust.env import Environment

from evharness.loadtests import final_csv  # noqa: F401  (Locust's --csv files end with the final figures)
from evharness.loadtests.settings import LoadSettings
from evharness.settings import env_name


@events.init_command_line_parser.add_listener
def add_arguments(parser: LocustArgumentParser, **_: Any) -> None:
    def option(flag: str, default: str, help: str) -> None:
        parser.add_argument(
            flag, env_var=env_name(flag), default=default, help=f"{help} (env {env_name(flag)})"
        )

    option(
        "--id-prefix",
        "SIM",
        "station identities are PREFIX-0001 …, as `evharness seed --id-prefix` made them",
    )
    option("--first-number", "1", "number of the first station identity")
    option(
        "--id-stride",
        "1000",
        "identity numbers per Locust worker: worker i uses FIRST+i×STRIDE … (most users one worker may run)",
    )
    option("--protocol", "1.6,2.0.1", "OCPP versions, comma separated; users take them round-robin")
    option("--scenario", "pin_charging,rfid_charging", "scenario files or bundled names, comma separated")
    option(
        "--scenario-weights",
        "",
        "relative weight of each scenario for the next session, comma separated (equal)",
    )
    option(
        "--time-scale",
        "600",
        "simulated seconds per real second (a 30 min charge takes 3 s at 600; keep the 60 s meter interval "
        "longer in real time than a round trip, or MeterValues queue up)",
    )
    option(
        "--timestamps",
        "simulated",
        "what message timestamps show: simulated (runs --time-scale times faster, so ahead of the wall "
        "clock) or wall (the wall clock's time of each event, for a CSMS that refuses future timestamps)",
    )
    option("--call-timeout", "10", "real seconds to wait for a CSMS answer before it counts as a timeout")
    option("--session-timeout", "60", "real seconds one charging session may take before it fails")
    option("--console-url", "http://127.0.0.1:8000", "the console API's base URL (for the console user)")
    option(
        "--outbox-dir",
        "",
        "the reference backend's --outbox-dir, same name: the console user reads its confirmation links "
        "there (unset: it cannot confirm, so it only checks that unconfirmed logins are refused)",
    )


@events.init.add_listener
def check_arguments(environment: Environment, **_: Any) -> None:
    """Refuse bad values before any user starts, with a message naming the flag and the variable."""
    if environment.parsed_options is None:
        return
    try:
        LoadSettings.from_options(environment.parsed_options)
    except ValueError as exc:
        logging.getLogger("evharness.loadtests").error("evharness load test: %s", exc)
        sys.exit(2)
