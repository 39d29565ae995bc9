"""`evharness scenario`: list, validate and inspect scenario files."""

from __future__ import annotations

import argparse
import json
from typing import Any

from rich.console import Console
from rich.table import Table

import scenarios
from evharness.redaction import redact
from scenarios.model import Scenario


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
    try:
        scenario = scenarios.load(args.file)
    except scenarios.ScenarioError as exc:
        print(f"error: {exc}")
        return 1
    table = Table(title=f"{scenario.name}: tokens the CSMS must hold", title_justify="left")
    for column in ("token", "type", "code", "provision as", "expected status"):
        table.add_column(column)
    for token in scenario.tokens:
        table.add_row(
            token.id, token.type.value, token.code, token.provisioning.value, " or ".join(token.expect)
        )
    console = Console()
    console.print(table)
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
