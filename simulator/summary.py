"""The fleet's summary: sessions, expectations held per kind, energy, latency per OCPP action."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from evharness.ocppj.errors import kind_of
from evharness.ocppj.versions import OcppVersion
from evharness.ocppj.vocabulary import Action
from evharness.shortened import shorten_json
from evharness.simulator.asyncio.fleet import FleetResult
from evharness.simulator.core.events import (
    Authorized,
    CallFailed,
    DataTransferred,
    LimitChanged,
    PeerViolated,
    ReservationChanged,
    TransactionEnded,
    TransactionStarted,
)
from evharness.simulator.scenario.runner import DECIDED_BY

# A token's first answer comes from these; StartTransaction / TransactionEvent only re-check it.
FIRST_DECISIONS = (Action.Authorize, "Remote", "LocalList", "Cache", "Offline", "OfflineUnknown")
FRAMES_SHOWN = 3  # failures whose last frames the console shows (the JSON report has them all)
TIMEOUT = "Timeout"  # the code of a CallFailed that got no answer in time (simulator.core.station)


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


def error_code_defined(version: OcppVersion, code: str) -> bool:
    """Whether a CALLERROR code exists in `version` (a 2.0.1 CSMS answering `FormationViolation`, a
    1.6-only spelling, breaks OCPP-J as much as a malformed frame); "Timeout" is the station's own."""
    return code == TIMEOUT or kind_of(version, code) is not None


def action_stats(result: FleetResult) -> dict[str, ActionStats]:
    """Every round trip's real latency and outcome, per OCPP action."""
    actions: dict[str, ActionStats] = defaultdict(ActionStats)
    for run in result.runs:
        for trip in run.station.round_trips:
            stats = actions[trip.action]
            stats.latencies_ms.append((trip.answered_at - trip.sent_at) / result.time_scale * 1000.0)
            stats.failed += not trip.ok
    return actions


def summarize(result: FleetResult) -> dict[str, Any]:
    actions = action_stats(result)
    expectations: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    authorizations = dict.fromkeys(("csms", "local_list", "cache", "offline_policy"), 0)
    failures: list[dict[str, Any]] = []
    reservations: dict[str, int] = defaultdict(
        int
    )  # Accepted, used, expired, cancelled, faulted, refused_token
    transfers: dict[str, int] = defaultdict(int)  # the CSMS's answers to the stations' DataTransfers
    costs: dict[str, int] = defaultdict(int)  # transactions by what the CSMS told of their cost at the end
    limits: dict[str, int] = defaultdict(int)  # smart charging: profiles set, external limits …
    lowest_limit_w: float | None = None
    in_force = 0
    displayed = 0
    sessions = completed = violations = 0
    energy_wh = 0.0
    for run in result.runs:
        for event in run.events:
            if isinstance(event, TransactionStarted):
                sessions += 1
            elif isinstance(event, TransactionEnded):
                completed += 1
                energy_wh += event.energy_wh
            elif isinstance(event, PeerViolated) or (
                isinstance(event, CallFailed) and not error_code_defined(run.version, event.code)
            ):
                violations += 1
            elif isinstance(event, Authorized) and event.source in FIRST_DECISIONS:
                authorizations[DECIDED_BY[event.source]] += 1
            elif isinstance(event, ReservationChanged):
                reservations[event.what] += 1
            elif isinstance(event, DataTransferred):
                transfers[event.status] += 1
            elif isinstance(event, LimitChanged):
                limits[event.what] += 1
                if event.limit_w is not None:
                    lowest_limit_w = min(event.limit_w, lowest_limit_w or event.limit_w)
        displayed += len(run.station.display.held)
        for record in run.station.costs.records.values():  # final, running (no end yet), fallback
            costs[record.state.value] += 1
        in_force += len(run.station.profiles.profiles)
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
        "timestamps": result.timestamps,
        "authorizations": authorizations,
        "reservations": dict(sorted(reservations.items())),
        "data_transfers": dict(sorted(transfers.items())),
        "costs_received": dict(sorted(costs.items())),
        "smart_charging": dict(sorted(limits.items())),
        "lowest_limit_kw": None if lowest_limit_w is None else round(lowest_limit_w / 1000.0, 2),
        "profiles_in_force_at_end": in_force,
        "display_messages_held": displayed,
        "expectations": [
            {"scenario": scenario, "what": what, "decided_by": by, "held": held, "failed": failed}
            for (scenario, what, by), (held, failed) in sorted(expectations.items())
        ],
        "actions": {action: stats.row() for action, stats in sorted(actions.items())},
        "failures": failures,
    }


def render(summary: dict[str, Any], console: Console, max_failures: int = 20) -> None:
    """The summary for a person at `console`'s width: a verdict line, who decided the tokens, the
    expectations and round trips (tables only when something ran), then each failure with its reason
    whole and the last frames of the first few, each frame shortened inside its values to one line."""
    verdict = "[bold green]PASS[/]" if summary["ok"] else "[bold red]FAIL[/]"
    console.print(
        f"\n{verdict}  {summary['stations_ok']}/{summary['stations']} stations ok · "
        f"{summary['sessions_started']} sessions started, {summary['sessions_completed']} completed · "
        f"{summary['energy_kwh']:.1f} kWh · {summary['real_seconds']:.1f} s real "
        f"(time ×{summary['time_scale']:g}, {summary.get('timestamps', 'simulated')} timestamps)"
    )
    if summary["protocol_violations_by_csms"]:
        console.print(f"[red]protocol violations by the CSMS: {summary['protocol_violations_by_csms']}[/]")
    by = summary["authorizations"]
    local = by["local_list"] + by["cache"] + by["offline_policy"]
    if by["csms"] or local:
        console.print(
            f"authorizations: {by['csms']} by the CSMS, {local} by the station itself "
            f"({by['local_list']} from its local list, {by['cache']} from its cache, "
            f"{by['offline_policy']} by its offline policy)"
        )
    for key, label in (
        ("reservations", "reservations"),
        ("data_transfers", "DataTransfer answers"),
        ("costs_received", "cost received"),  # transactions by final, running, fallback (docs/tariffs.md)
        ("smart_charging", "smart charging"),  # profiles and limits (docs/smart-charging.md)
    ):
        if summary.get(key):
            console.print(f"{label}: " + ", ".join(f"{n} {what}" for what, n in summary[key].items()))
    if summary.get("smart_charging"):
        console.print(
            f"charging profiles in force at the end: {summary['profiles_in_force_at_end']}; "
            f"lowest limit applied: {summary['lowest_limit_kw']} kW"
        )
    if summary.get("display_messages_held"):
        console.print(f"display messages held at the end: {summary['display_messages_held']}")
    if summary["expectations"]:
        console.print(_expectations(summary["expectations"]))
    if summary["actions"]:
        console.print(_round_trips(summary["actions"]))
    if summary["failures"]:
        _failures(summary["failures"], console, max_failures)


def _expectations(rows: list[dict[str, Any]]) -> Table:
    """One row per expectation; the scenario and who decided are columns only where they differ."""
    scenarios = {row["scenario"] for row in rows}
    deciders = {row["decided_by"] for row in rows}
    title = "Expectations" + (f" ({next(iter(scenarios))})" if len(scenarios) == 1 else "")
    table = Table(title=title, title_justify="left", expand=False)
    columns = [("scenario", len(scenarios) > 1), ("expectation", True), ("decided by", deciders != {"csms"})]
    shown = [name for name, wanted in columns if wanted]
    for name in shown:
        table.add_column(name, ratio=2 if name == "expectation" else 1)
    table.add_column("held", justify="right", no_wrap=True)
    table.add_column("failed", justify="right", no_wrap=True)
    keys = {"scenario": "scenario", "expectation": "what", "decided by": "decided_by"}
    for row in rows:
        failed = f"[red]{row['failed']}[/]" if row["failed"] else "0"
        table.add_row(*(row[keys[name]] for name in shown), str(row["held"]), failed)
    return table


def _round_trips(actions: dict[str, dict[str, float]]) -> Table:
    table = Table(title="OCPP round trips (real time)", title_justify="left")
    table.add_column("action", overflow="fold")
    for column in ("count", "failed", "p50 ms", "p95 ms", "p99 ms", "max ms"):
        table.add_column(column, justify="right", no_wrap=True)
    for action, row in actions.items():
        latencies = (f"{row[key]:.1f}" for key in ("p50_ms", "p95_ms", "p99_ms", "max_ms"))
        table.add_row(action, str(row["count"]), str(row["failed"]), *latencies)
    return table


def _failures(failures: list[dict[str, Any]], console: Console, limit: int) -> None:
    """Each failure as a heading and its reason (wrapped as prose, never one word per line), then the
    frames of the first few, each on one line of the console's width."""
    console.print(f"\n[bold]Failures ({len(failures)})[/]")
    for index, row in enumerate(failures[:limit]):
        expected = row["expected"]
        what = row["what"] if " → " in row["what"] else f"{row['what']} → {expected}"
        step = f"step {row['step']}" if row["step"] else "run"
        console.print(
            f"[bold]{escape(row['station'])}[/] {row['protocol']} · {escape(row['scenario'])} · {step} · "
            f"{escape(what)}",
            overflow="fold",
        )
        console.print(f"  got: [red]{escape(str(row['actual']))}[/]", overflow="fold")
        if index < FRAMES_SHOWN:
            for frame in row.get("frames", []):
                direction, _, text = frame.partition(" ")
                line = shorten_json(text, max(20, console.width - 8))
                console.print(f"    {direction:3} {line}", markup=False, highlight=False, overflow="ellipsis")
    if len(failures) > limit:
        console.print(f"… and {len(failures) - limit} more in the JSON report (--report)")
