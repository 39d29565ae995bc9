"""`evharness sim`: run N simulated stations through scenarios against any CSMS."""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from evharness import eventloop, scenarios
from evharness.identities import station_identity
from evharness.ocppj.versions import OcppVersion
from evharness.redaction import redact
from evharness.settings import Option, add_options
from evharness.simulator import template as templates
from evharness.simulator.asyncio.control import ControlServer
from evharness.simulator.asyncio.fleet import FleetPlan, FleetResult, StationRun, run_fleet
from evharness.simulator.core.clock import TIMESTAMPS, ScaledClock
from evharness.simulator.security import SecurityProfile
from evharness.simulator.summary import action_stats, render, summarize
from evharness.simulator.watch import Watch
from evharness.simulator.workers import limits, merge, parent


def _csv(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


OPTIONS = [
    Option(
        "--csms-url",
        "the CSMS's OCPP-J endpoint; {identity} in it stands for the station identity, else it is appended",
        "ws://127.0.0.1:9000/ocpp",
    ),
    Option("--protocol", "OCPP version(s), comma-separated: 1.6, 2.0.1, 2.1", "2.0.1"),
    Option("--stations", "how many stations", 1, int),
    Option("--scenario", "scenario file(s) or bundled name(s), comma-separated", "pin_charging"),
    Option("--id-prefix", "station identities are PREFIX-0001 …", "SIM"),
    Option("--first-number", "number of the first station", 1, int),
    Option("--time-scale", "simulated seconds per real second", 60.0, float),
    Option(
        "--timestamps",
        "what message timestamps show: simulated time (runs --time-scale times faster, so ahead of the"
        " wall clock) or the wall clock's time of each event",
        "simulated",
        choices=TIMESTAMPS,
    ),
    Option("--call-timeout", "real seconds to wait for a CSMS answer", 30.0, float),
    Option("--stagger", "real seconds between two stations' connects", 0.01, float),
    Option("--run-timeout", "give up after this many real seconds", 600.0, float),
    Option("--connect-attempts", "a station gives up after this many failed connects in a row", 8, int),
    Option("--report", "also write the summary as JSON to this file"),
    Option(
        "--progress-interval",
        "off a terminal, print a progress line every this many real seconds (0: never)",
        10.0,
        float,
    ),
    Option(
        "--template",
        "station template (bundled name or YAML file) instead of the scenario's station"
        " (the scenario's local_auth still applies)",
    ),
    Option("--state-dir", "keep each station's journal here: queued messages, open transactions, meters"),
    Option(
        "--security-profile", "OCPP security profile 0-3 (1: Basic auth, 2: TLS + Basic, 3: mTLS)", 0, int
    ),
    Option("--password", "Basic-auth password of every station (profiles 1, 2; username = identity)"),
    Option("--tls-ca", "CA certificate(s) to verify the CSMS with (profiles 2, 3; default: system CAs)"),
    Option("--tls-cert", "station client certificate, PEM (profile 3)"),
    Option("--tls-key", "station client key, PEM (profile 3)"),
    Option(
        "--control-port", "serve the control API on this port (0: any free port); stations stay on", None, int
    ),
    Option("--control-host", "interface of the control API", "127.0.0.1"),
    Option(
        "--processes",
        "worker processes the stations are spread over, with one summary and one control API"
        " (0: one per core, at most one per 1000 stations, at least as many as the open-files limit needs)",
        0,
        int,
    ),
    eventloop.EVENT_LOOP,
]


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "sim", help="run simulated stations against a CSMS", description=__doc__
    )
    add_options(parser, OPTIONS)
    parser.add_argument("--worker-dir", help=argparse.SUPPRESS)  # a worker of --processes (simulator.workers)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    console = Console(stderr=False)
    try:
        versions = [OcppVersion.parse(v) for v in _csv(args.protocol)]
        loaded = [scenarios.load(name) for name in _csv(args.scenario)]
        template = templates.load(args.template) if args.template else None
        security = SecurityProfile(
            args.security_profile, args.password, args.tls_ca, args.tls_cert, args.tls_key
        )
        for number in range(args.first_number, args.first_number + args.stations):
            for scenario in loaded:  # each station's own `{n}` codes are valid there
                scenario.for_station(station_identity(args.id_prefix, number))
    except ValueError as exc:  # ScenarioError is a ValueError
        console.print(f"[red]error:[/] {redact(str(exc))}")  # a scenario error may quote a PIN
        return 2
    if args.stations < 1:
        console.print("[red]error:[/] --stations must be at least 1")
        return 2
    if args.processes < 0:
        console.print("[red]error:[/] --processes must be 0 (one per core) or more")
        return 2
    open_files = limits.raise_open_files()
    processes = min(args.stations, args.processes or parent.default_processes(args.stations, open_files))
    refused = limits.refusal(args.stations, processes, open_files)
    if refused is not None:
        console.print(f"[red]error:[/] {refused}")
        return 2
    plan = FleetPlan(
        csms_url=args.csms_url,
        versions=versions,
        scenarios=loaded,
        stations=args.stations,
        id_prefix=args.id_prefix,
        first_number=args.first_number,
        call_timeout_s=args.call_timeout,
        stagger_s=args.stagger,
        connect_attempts=max(1, args.connect_attempts),
        template=template,
        security=security,
        state_dir=args.state_dir,
        keep_running=args.control_port is not None,
        timestamps=args.timestamps,
    )
    worker = Path(args.worker_dir) if args.worker_dir else None
    spread = f" over {processes} processes" if processes > 1 else ""
    if worker is None:
        console.print(
            f"evharness sim: {args.stations} station(s) {args.id_prefix}-{args.first_number:04d}… "
            f"→ {args.csms_url} (OCPP {', '.join(v.value for v in versions)}; "
            f"{', '.join(s.name for s in loaded)}; time ×{args.time_scale:g}, {args.timestamps} timestamps)"
            + spread
        )
    control = (args.control_host, args.control_port) if args.control_port is not None else None
    try:
        if processes > 1:
            empty = summarize(FleetResult([], args.time_scale, 0.0, timestamps=args.timestamps))
            summary = eventloop.run(
                parent.run_workers(_worker_plan(args, processes, control, versions, loaded, empty), console),
                args.event_loop,
            )
        else:
            watch = Watch(console, args.progress_interval, label=f"worker {worker.name}: " if worker else "")
            result = eventloop.run(
                _run_with_progress(plan, args.time_scale, args.run_timeout, console, watch, control, worker),
                args.event_loop,
            )
            summary = summarize(result)
            if worker is not None:  # the parent prints the fleet's summary
                written = worker / f"{parent.SUMMARY_FILE}.partial"
                written.write_text(json.dumps(merge.worker_part(summary, action_stats(result))))
                written.replace(worker / parent.SUMMARY_FILE)
                return 0 if summary["ok"] else 1
    except eventloop.EventLoopUnavailable as exc:
        console.print(f"[red]error:[/] {exc}")
        return 2
    render(summary, console)
    if args.report:
        Path(args.report).write_text(json.dumps(summary, indent=2))
        console.print(f"report written to {args.report}")
    return 0 if summary["ok"] else 1


def _worker_plan(
    args: argparse.Namespace,
    processes: int,
    control: tuple[str, int] | None,
    versions: list[OcppVersion],
    loaded: list[scenarios.Scenario],
    empty: dict[str, Any],
) -> parent.WorkerPlan:
    return parent.WorkerPlan(
        options=OPTIONS,
        values=vars(args),
        stations=args.stations,
        first_number=args.first_number,
        id_prefix=args.id_prefix,
        processes=processes,
        control=control,
        run_timeout_s=args.run_timeout,
        protocols=", ".join(v.value for v in versions),
        scenarios=", ".join(s.name for s in loaded),
        empty=merge.worker_part(empty, {}),
    )


async def _run_with_progress(
    plan: FleetPlan,
    scale: float,
    limit_s: float,
    console: Console,
    watch: Watch,
    control: tuple[str, int] | None = None,
    worker: Path | None = None,
) -> FleetResult:
    clock = ScaledClock(scale)
    columns = (
        TextColumn("stations"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[failed]} failed"),
        TimeElapsedColumn(),
    )
    stop = asyncio.Event()  # SIGINT / SIGTERM: stop the stations and print the summary
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    bar = console.is_terminal and worker is None  # the workers of --processes draw no bar
    with Progress(*columns, console=console, transient=True, disable=not bar) as progress:
        task = progress.add_task("stations", total=plan.stations, failed=0)
        failed = 0

        def done(run: StationRun) -> None:
            nonlocal failed
            failed += not run.ok
            progress.update(task, advance=1, failed=failed)

        async def start(runs: list[StationRun]) -> Callable[[], Awaitable[None]]:
            stop_watching = watch.start(runs)
            server = None if control is None else ControlServer([run.link for run in runs], *control)
            if server is not None and worker is not None:  # the parent serves the fleet's control API
                await server.start()
                (worker / parent.CONTROL_FILE).write_text(json.dumps({"port": server.port}))
            elif server is not None:
                await server.start()
                url = f"{server.host}:{server.port}"
                console.print(f"control API  http://{url}/stations  ws://{url}/control")
                console.print(f"fleet page   {server.page_url}   metrics  {server.url}metrics")

            async def close() -> None:
                stop_watching()
                watch.look(runs)  # what happened since the last look
                if server is not None:
                    await server.stop()

            return close

        result = await run_fleet(
            plan, clock, scale, on_progress=done, timeout_s=limit_s, on_start=start, stop=stop
        )
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.remove_signal_handler(signum)
    return result
