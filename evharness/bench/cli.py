"""`evharness bench`: the capacity benchmark. Not part of the test suite; run it on a quiet machine."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from evharness.settings import Option, add_options

OPTIONS = [
    Option(
        "--workdir",
        "where the benchmark's databases, logs and Locust CSVs go (its own files are replaced)",
        "var/bench",
    ),
    Option("--report", "the figures as JSON", "var/bench/bench.json"),
    Option("--parts", "which measurements: cpu, memory, locust (comma separated)", "cpu,memory,locust"),
    Option("--session-stations", "stations running PIN/RFID sessions for the CPU figures", 100, int),
    Option("--idle-stations", "idle station counts for the memory figures (comma separated)", "1000,10000"),
    Option("--locust-users", "station users of the one Locust worker", 100, int),
    Option("--locust-seconds", "how long the Locust worker runs", 20, int),
]


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "bench",
        help="measure capacity: CPU per round trip, memory per idle station, Locust rate",
        description=__doc__,
    )
    add_options(parser, OPTIONS)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from evharness.bench.run import BenchPlan, run_bench

    console = Console()
    parts = tuple(part.strip() for part in args.parts.split(",") if part.strip())
    unknown = set(parts) - {"cpu", "memory", "locust"}
    if unknown:
        console.print(f"[red]error:[/] --parts: unknown {', '.join(sorted(unknown))}")
        return 2
    plan = BenchPlan(
        workdir=Path(args.workdir),
        session_stations=args.session_stations,
        idle_counts=tuple(int(n) for n in args.idle_stations.split(",") if n.strip()),
        locust_users=args.locust_users,
        locust_seconds=args.locust_seconds,
    )
    figures = run_bench(plan, console.print, parts)
    table = Table(title="evharness bench: targets")
    for column in ("figure", "value", "target", "met"):
        table.add_column(column)
    for name, row in figures.targets.items():
        table.add_row(
            name, f"{row['value']:g}", row["target"], "[green]yes[/]" if row["met"] else "[red]no[/]"
        )
    console.print(table)
    report = {"figures": figures.values, "targets": figures.targets}
    Path(args.report).parent.mkdir(parents=True, exist_ok=True)
    Path(args.report).write_text(json.dumps(report, indent=2, ensure_ascii=False))
    console.print(f"figures written to {args.report}")
    return 0
