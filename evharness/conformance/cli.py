"""`evharness conformance` runs the packaged suites; `evharness provision` sets up a CSMS for them.

    evharness conformance --csms-url ws://my-csms:9000/ocpp --ocpp-version 2.0.1 -m mandatory --report out/
    evharness provision --database-url sqlite:///var/evharness.sqlite3   # a reference backend you run
    evharness provision --print                                          # what any other CSMS must know

`evharness conformance` is a thin wrapper over pytest (`pytest --pyargs evharness.suites.conformance`):
the plugin's options are its options, anything it does not know goes to pytest as it is (`-x`, `-v`,
`--lf` …). The provisioning options are the plugin's too (`--target-config`, `--id-prefix`, same
environment variables), so one setting serves both the provisioning and the run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from evharness.conformance.options import PLUGIN_OPTIONS
from evharness.settings import Option, add_options

SUITES = {
    "conformance": "evharness.suites.conformance",
    "charging": "evharness.suites.charging",
    "all": "evharness.suites",
}

PROVISION_OPTIONS = [
    Option("--database-url", "the reference backend's database to provision (SQLAlchemy URL)"),
    Option(
        "--target-config", "YAML file: station identities, tokens and features (default: the bundled one)"
    ),
    Option("--id-prefix", "the charging suite's stations are PREFIX-0001 …", default="FEAT"),
    Option("--stations", "how many charging stations", default=40, type=int),
]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    conformance = subparsers.add_parser(
        "conformance",
        help="run the OCTT conformance suite against a CSMS (pytest underneath)",
        description="Run the packaged suites with pytest. Options it does not know go to pytest as they are.",
    )
    for option in PLUGIN_OPTIONS:  # passed on when given; the plugin reads the environment itself
        if option.flag != "--conformance-report":
            conformance.add_argument(option.flag, help=f"{option.help} (env {option.env})")
    conformance.add_argument("-k", dest="keyword", help="pytest -k: only cases whose names match")
    conformance.add_argument(
        "-m", dest="markers", help="pytest -m: only cases with these tags (TC_B_01_CSMS, block_E …)"
    )
    conformance.add_argument("--report", help="directory of the HTML report, the frame logs and junit.xml")
    conformance.add_argument(
        "--suite", choices=tuple(SUITES), default="conformance", help="which suite (default: conformance)"
    )
    conformance.set_defaults(run=run_conformance, pass_unknown=True)

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


def pytest_arguments(args: argparse.Namespace) -> list[str]:
    """The pytest command line `evharness conformance` stands for."""
    arguments = ["--pyargs", SUITES[args.suite], "-p", "no:cacheprovider"]
    for option in PLUGIN_OPTIONS:
        value = getattr(args, option.flag.lstrip("-").replace("-", "_"), None)
        if value is not None:
            arguments += [option.flag, value]
    for flag, value in (("-k", args.keyword), ("-m", args.markers)):
        if value:
            arguments += [flag, value]
    if args.report:
        arguments += ["--conformance-report", args.report, "--junitxml", str(Path(args.report) / "junit.xml")]
    return [*arguments, *args.unknown]


def run_conformance(args: argparse.Namespace) -> int:
    import pytest

    return int(pytest.main(pytest_arguments(args)))
