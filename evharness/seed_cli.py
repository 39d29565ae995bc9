"""`evharness seed`: provision the reference CSMS's database for a scenario (`evharness.seed`).

A tool above both the backend and the scenario format: the backend knows no scenarios. Heavy
imports (SQLAlchemy, faker) wait until the command runs, so `evharness --help` starts quickly.
"""

from __future__ import annotations

import argparse
import sys

from evharness.reference_backend.settings import DATABASE_URL, parse_bool
from evharness.settings import Option, add_options

SEED_OPTIONS = [
    DATABASE_URL,
    Option("--scenario", "scenario file, or the name of a bundled one (pin_charging, rfid_charging …)"),
    Option("--stations", "how many stations to provision", default=1, type=int),
    Option("--id-prefix", "station identities are PREFIX-0001, PREFIX-0002 …", default="SIM"),
    Option("--protocol", "OCPP version to record for the stations", choices=("1.6", "2.0.1", "2.1")),
    Option(
        "--pins-on-profile-0",
        "let the stations' local lists hold PINs though they connect without security (labs; "
        "docs/security.md) (true/false)",
        default=False,
        type=parse_bool,
    ),
]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    seed = subparsers.add_parser(
        "seed",
        help="provision the reference CSMS's database for a scenario",
        description="Create stations and the local users and identifications a scenario expects. Idempotent.",
    )
    add_options(seed, SEED_OPTIONS)
    seed.set_defaults(run=run_seed)


def run_seed(args: argparse.Namespace) -> int:
    from evharness.scenarios import ScenarioError
    from evharness.seed import seed

    if args.scenario is None:
        print("evharness seed: give --scenario (a file or a bundled name)", file=sys.stderr)
        return 2
    try:
        report = seed(
            args.database_url,
            args.scenario,
            args.stations,
            args.id_prefix,
            args.protocol,
            pins_on_profile_0=args.pins_on_profile_0,
        )
    except ScenarioError as exc:
        print(f"evharness seed: {exc}", file=sys.stderr)
        return 2
    print(report.summary())
    return 0
