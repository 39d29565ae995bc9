"""`evharness provision`: set up a CSMS for the packaged suites (conformance, charging).

    evharness provision --database-url sqlite:///var/evharness.sqlite3   # a reference backend you run
    evharness provision --print                                          # what any other CSMS must know

The options are the pytest plugin's (`--target-config`, `--id-prefix`, same environment variables),
so one setting serves both the provisioning and the run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from evharness.settings import Option, add_options

PROVISION_OPTIONS = [
    Option("--database-url", "the reference backend's database to provision (SQLAlchemy URL)"),
    Option(
        "--target-config", "YAML file: station identities, tokens and features (default: the bundled one)"
    ),
    Option("--id-prefix", "the charging suite's stations are PREFIX-0001 …", default="FEAT"),
    Option("--stations", "how many charging stations", default=40, type=int),
]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    provision = subparsers.add_parser(
        "provision",
        help="set up a CSMS for the packaged suites (the reference backend's database, or print the list)",
        description="Create the stations and tokens the conformance and charging suites expect in the "
        "reference backend's database (--database-url; idempotent), or print them for any CSMS (--print).",
    )
    add_options(provision, PROVISION_OPTIONS)
    provision.add_argument(
        "--print", action="store_true", help="print what the CSMS must know; change nothing"
    )
    provision.set_defaults(run=run_provision)


def run_provision(args: argparse.Namespace) -> int:
    from evharness.conformance.config import TargetConfigError, load
    from evharness.conformance.requirements import needs, render

    try:
        config = load(Path(args.target_config) if args.target_config else None)
    except (TargetConfigError, OSError) as exc:
        print(f"evharness provision: --target-config: {exc}", file=sys.stderr)
        return 2
    if args.print:
        sys.stdout.write(render(needs(config, args.id_prefix, args.stations)))
        return 0
    if not args.database_url:
        print("evharness provision: give --database-url (a reference backend) or --print", file=sys.stderr)
        return 2
    from evharness.conformance.provision import provision_reference_backend

    provision_reference_backend(args.database_url, config, args.id_prefix, args.stations)
    print(f"provisioned {len(config.stations)} conformance stations, {args.stations} charging stations "
          f"({args.id_prefix}-0001 …) and their tokens in {args.database_url}")  # fmt: skip
    return 0
