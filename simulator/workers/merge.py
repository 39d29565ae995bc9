"""The workers' summaries as one: what a single process running every station would have printed.

Counts are summed (nested counts too, so a count a later summary adds is summed without a change
here), the expectations summed per row, the round-trip percentiles computed again from every
worker's raw latencies, the failures of every station kept as they are; the run took as long as its
slowest worker. A worker that died left no summary: its stations count as stations, none as ok, and
one failure row names them and the exit code.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from evharness.simulator.summary import ActionStats

LATENCIES = "latencies"  # the worker's raw latencies per action, beside its summary
KEPT = ("time_scale", "timestamps")  # the same in every worker
SLOWEST = ("real_seconds",)


@dataclass(frozen=True)
class Lost:
    """A worker that exited without a summary."""

    number: int  # 1-based, as printed
    first: str  # its first and last station identities
    last: str
    stations: int
    exit_code: int | None
    protocols: str
    scenarios: str

    @property
    def why(self) -> str:
        return (
            f"worker process {self.number} (stations {self.first} … {self.last}) died with exit code"
            f" {self.exit_code}; its {self.stations} station(s)' results are lost"
        )

    def failure(self) -> dict[str, Any]:
        return {
            "station": f"{self.first} … {self.last}",
            "protocol": self.protocols,
            "scenario": self.scenarios,
            "step": None,
            "expected": "scenario completes",
            "actual": self.why,
            "what": "run",
            "frames": [],
        }


def worker_part(summary: dict[str, Any], actions: dict[str, ActionStats]) -> dict[str, Any]:
    """What a worker writes: its summary and the raw latencies the percentiles are computed from."""
    raw = {
        name: {"latencies_ms": stats.latencies_ms, "failed": stats.failed} for name, stats in actions.items()
    }
    return {"summary": summary, LATENCIES: raw}


def _sum(values: list[Any]) -> Any:
    first = values[0]
    if isinstance(first, bool):
        return all(values)
    if isinstance(first, int | float):
        return sum(values)
    if isinstance(first, dict):
        keys = sorted({key for value in values for key in value})
        return {key: _sum([value[key] for value in values if key in value]) for key in keys}
    if isinstance(first, list):
        return [item for value in values for item in value]
    return first


def _expectations(parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows: dict[tuple[str, str, str], dict[str, Any]] = {}
    for part in parts:
        for row in part["expectations"]:
            key = (row["scenario"], row["what"], row["decided_by"])
            if key in rows:
                rows[key]["held"] += row["held"]
                rows[key]["failed"] += row["failed"]
            else:
                rows[key] = dict(row)
    return [rows[key] for key in sorted(rows)]


def _actions(parts: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    actions: dict[str, ActionStats] = defaultdict(ActionStats)
    for part in parts:
        for name, raw in part[LATENCIES].items():
            actions[name].latencies_ms.extend(raw["latencies_ms"])
            actions[name].failed += raw["failed"]
    return {name: stats.row() for name, stats in sorted(actions.items())}


def merge(parts: list[dict[str, Any]], lost: list[Lost]) -> dict[str, Any]:
    """One summary of the workers' parts (`worker_part`; at least one: an empty fleet's stands in when
    every worker died) and the workers lost."""
    summaries = [part["summary"] for part in parts]
    keys = list(summaries[0]) + sorted({k for s in summaries for k in s} - set(summaries[0]))
    merged: dict[str, Any] = {}
    for key in keys:
        values = [summary[key] for summary in summaries if key in summary]
        if key in KEPT:
            merged[key] = values[0]
        elif key in SLOWEST:
            merged[key] = max(values)
        else:
            merged[key] = _sum(values)
    merged["energy_kwh"] = round(merged["energy_kwh"], 3)
    merged["expectations"] = _expectations(summaries)
    merged["actions"] = _actions(parts)
    merged["stations"] += sum(worker.stations for worker in lost)
    merged["failures"] += [worker.failure() for worker in lost]
    merged["ok"] = merged["ok"] and not lost
    return merged
