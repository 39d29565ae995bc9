"""`evharness bench`: the capacity benchmark. Not part of the test suite; run it on a quiet machine."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from evharness.settings import Option, add_options

PART_NAMES = ("cpu", "memory", "fleet", "locust", "profile")


def _counts(text: str) -> tuple[int, ...]:
    counts = tuple(int(part) for part in text.split(",") if part.strip())
    if not counts or min(counts) < 1:
        raise ValueError("give one or more station counts, each at least 1")
    return counts


def _parts(text: str) -> tuple[str, ...]:
    parts = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = sorted(set(parts) - set(PART_NAMES))
    if unknown or not parts:
        raise ValueError(
            f"choose from {', '.join(PART_NAMES)} (unknown: {', '.join(unknown) or 'none given'})"
        )
    return parts


def _loops(text: str) -> tuple[str, ...]:
    from evharness.eventloop import EVENT_LOOPS

    loops = tuple(part.strip() for part in text.split(",") if part.strip())
    if "asyncio" not in loops or set(loops) - set(EVENT_LOOPS):
        raise ValueError(f"a comma list of {', '.join(EVENT_LOOPS)} that includes asyncio (the baseline)")
    return loops


OPTIONS = [
    Option(
        "--workdir",
        "where the benchmark's databases, logs and Locust CSVs go (its own files are replaced)",
        "var/bench",
    ),
    Option("--report", "the figures as JSON", "var/bench/bench.json"),
    Option("--html", "the report with charts, one static HTML file", "var/bench/bench.html"),
    Option(
        "--parts",
        "which measurements: cpu, memory, fleet, locust, profile (comma separated)",
        "cpu,memory,fleet,locust",
        _parts,
    ),
    Option("--session-stations", "stations running PIN/RFID sessions for the CPU figures", 100, int),
    Option("--time-scale", "simulated seconds per real second of those sessions", 300.0, float),
    Option("--ocpp-connections", "connections of the ocpp package's ChargePoint, side by side", 100, int),
    Option("--ocpp-loops", "1.6 sessions each of those connections runs", 20, int),
    Option("--raw-round-trips", "round trips of the long steady echo baseline", 30_000, int),
    Option(
        "--idle-stations",
        "idle station counts for the memory figures (comma separated)",
        "1000,10000",
        _counts,
    ),
    Option("--fleet-stations", "idle stations one machine holds, over several processes", 50_000, int),
    Option("--hold-seconds", "how long the idle stations are held before they are counted again", 5.0, float),
    Option("--locust-users", "station users per Locust worker", 100, int),
    Option("--locust-seconds", "how long each Locust run lasts", 30, int),
    Option(
        "--event-loops",
        "event loops to measure the backend and simulator on (default: asyncio, and uvloop if installed)",
        None,
        _loops,
    ),
]


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "bench",
        help="measure capacity against baselines: CPU per round trip, memory per idle station, Locust rate",
        description=__doc__,
    )
    add_options(parser, OPTIONS)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from evharness.bench.plan import BenchPlan, available_event_loops
    from evharness.bench.profile import py_spy_path
    from evharness.bench.report import render
    from evharness.bench.run import run_bench

    console = Console(width=None if Console().is_terminal else 160)  # a log keeps the table readable
    loops = args.event_loops or available_event_loops()
    if "uvloop" in loops and "uvloop" not in available_event_loops():
        console.print(
            "[red]error:[/] --event-loops uvloop: uvloop is not installed (pip install 'evharness[uvloop]')"
        )
        return 2
    if "profile" in args.parts and py_spy_path() is None:
        console.print("[red]error:[/] --parts profile needs py-spy: pip install 'evharness[profile]'")
        return 2
    plan = BenchPlan(
        workdir=Path(args.workdir),
        session_stations=args.session_stations,
        time_scale=args.time_scale,
        hold_seconds=args.hold_seconds,
        ocpp_connections=args.ocpp_connections,
        ocpp_loops=args.ocpp_loops,
        raw_round_trips=args.raw_round_trips,
        idle_counts=args.idle_stations,
        fleet_stations=args.fleet_stations,
        locust_users=args.locust_users,
        locust_seconds=args.locust_seconds,
        event_loops=loops,
    )
    figures = run_bench(plan, console.print, args.parts)
    report = figures.as_json()
    print_table(console, report["rows"])
    for path, text in (
        (Path(args.report), json.dumps(report, indent=2, ensure_ascii=False)),
        (Path(args.html), render(report)),
    ):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    console.print(f"figures written to {args.report}, the report with charts to {args.html}")
    return 0


def print_table(console: Any, rows: list[dict[str, Any]]) -> None:
    from rich.table import Table

    table = Table(title="evharness bench: figures against their baselines and targets")
    for column in ("figure", "measured", "baseline (same run)", "ratio", "target", "met"):
        table.add_column(column)
    for row in rows:
        met = {None: "", True: "[green]yes[/]", False: "[red]no[/]"}[row["met"]]
        ratio = "" if row["ratio"] is None else f"{row['ratio']:g}"
        table.add_row(row["figure"], row["value"], row["baseline"], ratio, row["target"], met)
    console.print(table)
