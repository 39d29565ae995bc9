"""The fleet's summary: sessions, expectations held per kind, energy, latency per OCPP action."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.table import Table

from evharness.ocppj.vocabulary import Action
from simulator.asyncio.fleet import FleetResult
from simulator.core.events import Authorized, PeerViolated, TransactionEnded, TransactionStarted
from simulator.scenario.runner import DECIDED_BY

# A token's first answer comes from these; StartTransaction / TransactionEvent only re-check it.
FIRST_DECISIONS = (Action.Authorize, "Remote", "LocalList", "Cache", "Offline", "OfflineUnknown")


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return 0.0
    rank = max(0, min(len(sorted_values) - 1, round(fraction * len(sorted_values) + 0.5) - 1))
    return sorted_values[rank]


@dataclass
class ActionStats:
    latencies_ms: list[float] = field(default_factory=list)
    failed: int = 0

    def row(self) -> dict[str, float]:
        ordered = sorted(self.latencies_ms)
        return {
            "count": len(ordered),
            "failed": self.failed,
            "p50_ms": round(percentile(ordered, 0.50), 2),
            "p95_ms": round(percentile(ordered, 0.95), 2),
            "p99_ms": round(percentile(ordered, 0.99), 2),
            "max_ms": round(ordered[-1], 2) if ordered else 0.0,
        }


def summarize(result: FleetResult) -> dict[str, Any]:
    actions: dict[str, ActionStats] = defaultdict(ActionStats)
    expectations: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    authorizations = dict.fromkeys(("csms", "local_list", "cache", "offline_policy"), 0)
    failures: list[dict[str, Any]] = []
    sessions = completed = violations = 0
    energy_wh = 0.0
    for run in result.runs:
        for trip in run.station.round_trips:
            stats = actions[trip.action]
            stats.latencies_ms.append((trip.answered_at - trip.sent_at) / result.time_scale * 1000.0)
            stats.failed += not trip.ok
        for event in run.events:
            if isinstance(event, TransactionStarted):
                sessions += 1
            elif isinstance(event, TransactionEnded):
                completed += 1
                energy_wh += event.energy_wh
            elif isinstance(event, PeerViolated):
                violations += 1
            elif isinstance(event, Authorized) and event.source in FIRST_DECISIONS:
                authorizations[DECIDED_BY[event.source]] += 1
        for expectation in run.expectations:
            counts = expectations[(run.scenario.name, expectation.what, expectation.decided_by)]
            counts[0 if expectation.ok else 1] += 1
            if not expectation.ok:
                failures.append(
                    {
                        "station": run.identity,
                        "protocol": run.version.value,
                        "scenario": run.scenario.name,
                        "step": expectation.step,
                        "expected": " or ".join(expectation.expected),
                        "actual": expectation.actual,
                        "what": expectation.what,
                        "decided_by": expectation.decided_by,
                        "frames": list(expectation.frames),
                    }
                )
        problem = run.error or run.runner.aborted or (None if run.runner.done else "scenario did not finish")
        if problem:
            failures.append(
                {
                    "station": run.identity,
                    "protocol": run.version.value,
                    "scenario": run.scenario.name,
                    "step": None,
                    "expected": "scenario completes",
                    "actual": problem,
                    "what": "run",
                    "frames": [f"{d} {text}" for d, text, _ in list(run.station.frame_log)[-8:]],
                }
            )
    return {
        "ok": result.ok,
        "stations": len(result.runs),
        "stations_ok": sum(run.ok for run in result.runs),
        "sessions_started": sessions,
        "sessions_completed": completed,
        "energy_kwh": round(energy_wh / 1000.0, 3),
        "protocol_violations_by_csms": violations,
        "real_seconds": round(result.real_seconds, 2),
        "time_scale": result.time_scale,
        "authorizations": authorizations,
        "expectations": [
            {"scenario": scenario, "what": what, "decided_by": by, "held": held, "failed": failed}
            for (scenario, what, by), (held, failed) in sorted(expectations.items())
        ],
        "actions": {action: stats.row() for action, stats in sorted(actions.items())},
        "failures": failures,
    }


def render(summary: dict[str, Any], console: Console, max_failures: int = 20) -> None:
    verdict = "[bold green]PASS[/]" if summary["ok"] else "[bold red]FAIL[/]"
    console.print(
        f"\n{verdict}  {summary['stations_ok']}/{summary['stations']} stations ok · "
        f"{summary['sessions_started']} sessions started, {summary['sessions_completed']} completed · "
        f"{summary['energy_kwh']:.1f} kWh · {summary['real_seconds']:.1f} s real "
        f"(time ×{summary['time_scale']:g})"
    )
    by = summary["authorizations"]
    local = by["local_list"] + by["cache"] + by["offline_policy"]
    console.print(
        f"authorizations: {by['csms']} by the CSMS, {local} by the station itself "
        f"({by['local_list']} from its local list, {by['cache']} from its cache, "
        f"{by['offline_policy']} by its offline policy)"
    )
    table = Table(title="Expectations", title_justify="left")
    for column in ("scenario", "expectation", "decided by", "held", "failed"):
        table.add_column(column, justify="right" if column in ("held", "failed") else "left")
    for row in summary["expectations"]:
        failed = f"[red]{row['failed']}[/]" if row["failed"] else "0"
        table.add_row(row["scenario"], row["what"], row["decided_by"], str(row["held"]), failed)
    console.print(table)
    latency = Table(title="OCPP round trips (real time)", title_justify="left")
    for column in ("action", "count", "failed", "p50 ms", "p95 ms", "p99 ms", "max ms"):
        latency.add_column(column, justify="left" if column == "action" else "right")
    for action, row in summary["actions"].items():
        latency.add_row(
            action,
            str(row["count"]),
            str(row["failed"]),
            f"{row['p50_ms']:.1f}",
            f"{row['p95_ms']:.1f}",
            f"{row['p99_ms']:.1f}",
            f"{row['max_ms']:.1f}",
        )
    console.print(latency)
    if summary["failures"]:
        shown = summary["failures"][:max_failures]
        failures = Table(title=f"Failures ({len(summary['failures'])})", title_justify="left")
        for column in ("station", "protocol", "scenario", "step", "expectation", "expected", "actual"):
            failures.add_column(column)
        for row in shown:
            failures.add_row(
                row["station"],
                row["protocol"],
                row["scenario"],
                str(row["step"] or "-"),
                row["what"],
                row["expected"],
                f"[red]{row['actual']}[/]",
            )
        console.print(failures)
        for row in shown[:3]:
            if row.get("frames"):
                console.print(f"[bold]{row['station']}[/] step {row['step'] or '-'}: last frames")
                for frame in row["frames"]:
                    console.print(f"  {frame[:200]}", markup=False, highlight=False)
