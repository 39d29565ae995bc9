"""`evharness scenario`: list, validate and inspect scenario files."""

from __future__ import annotations

import argparse
import json
from typing import Any

from rich.console import Console
from rich.table import Table

from evharness import scenarios
from evharness.redaction import redact
from evharness.scenarios.model import Scenario
from evharness.settings import Option, add_options

STATION_OPTIONS = [  # the same names and defaults as `evharness sim` and `evharness seed`
    Option("--stations", "how many stations", 1, int),
    Option("--id-prefix", "station identities are PREFIX-0001 …", "SIM"),
    Option("--first-number", "number of the first station", 1, int),
]


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "scenario", help="list, validate and inspect scenarios", description=__doc__
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("list", help="the bundled scenarios").set_defaults(run=_list)
    check = actions.add_parser("validate", help="validate scenario files; exit 1 on the first error")
    check.add_argument("files", nargs="+")
    check.set_defaults(run=_validate)
    tokens = actions.add_parser(
        "tokens", help="the tokens a CSMS must hold for a scenario, and their statuses"
    )
    tokens.add_argument("file")
    add_options(tokens, STATION_OPTIONS)
    tokens.set_defaults(run=_tokens)
    actions.add_parser("schema", help="print the scenario format as JSON Schema").set_defaults(run=_schema)


def _list(args: argparse.Namespace) -> int:
    for name, path in sorted(scenarios.bundled().items()):
        print(f"{name:24} {scenarios.load(path).description or ''}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    for file in args.files:
        try:
            scenario = scenarios.load(file)
        except scenarios.ScenarioError as exc:
            print(f"error: {redact(str(exc))}")  # it may quote a (mistyped) PIN
            return 1
        print(f"ok: {file}: {scenario.name} ({len(scenario.tokens)} tokens, {len(scenario.steps)} steps)")
    return 0


def _tokens(args: argparse.Namespace) -> int:
    identities = [
        f"{args.id_prefix}-{n:04d}" for n in range(args.first_number, args.first_number + args.stations)
    ]
    try:
        scenario = scenarios.load(args.file)
        per_station = {identity: scenario.for_station(identity) for identity in identities}
    except ValueError as exc:  # ScenarioError is a ValueError
        print(f"error: {exc}")
        return 1
    table = Table(title=f"{scenario.name}: tokens the CSMS must hold", title_justify="left")
    for column in ("token", "type", "code", "station", "provision as", "expected status"):
        table.add_column(column)
    for index, token in enumerate(scenario.tokens):
        # a `{n}` code: one row per station, with that station's code; else one row for all
        rows = [(i, s.tokens[index]) for i, s in per_station.items()] if token.template else [("all", token)]
        for identity, held in rows:
            table.add_row(
                token.id,
                token.type.value,
                held.code,
                identity,
                token.provisioning.value,
                " or ".join(token.expect),
            )
    console = Console()
    console.print(table)
    if scenario.per_station:
        templates = ", ".join(f"{t.id} {t.template}" for t in scenario.tokens if t.template)
        console.print(f"per-station codes ({{n}} = the number its identity ends with): {templates}")
    types = scenario.station.identification_types
    if types is not None:
        console.print(f"identification types to enable at the station: {', '.join(t.value for t in types)}")
    local_auth = scenario.station.local_auth.model_dump(exclude_none=True)
    if local_auth:
        settings = ", ".join(f"{name}={str(value).lower()}" for name, value in local_auth.items())
        console.print(f"the simulated station's own settings: {settings}")
    return 0


def _schema(args: argparse.Namespace) -> int:
    print(json.dumps(Scenario.model_json_schema(), indent=2))
    return 0
