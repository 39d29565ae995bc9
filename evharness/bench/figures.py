"""The benchmark's figures and the targets of issue 17, as data: one row per figure, printed, written as
JSON and rendered in the HTML report and the docs.

A row holds the figure, the baseline it is compared with (measured in the same run), their ratio, and the
target with met / not met when the issue sets one. Targets are reported, never asserted.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Target:
    key: str
    figure: str  # what is compared, as the docs and the report name it
    limit: float
    at_most: bool  # True: the ratio (or value) must be ≤ limit; False: ≥ limit

    @property
    def text(self) -> str:
        return ("≤ " if self.at_most else "≥ ") + f"{self.limit:g}"

    def met(self, value: float) -> bool:
        return value <= self.limit if self.at_most else value >= self.limit


TARGETS = (
    Target(
        "backend_vs_echo",
        "backend CPU per OCPP round trip, PIN/RFID session mix ÷ raw websockets echo server",
        3,
        True,
    ),
    Target(
        "simulator_vs_raw",
        "simulator CPU per round trip, PIN/RFID session mix ÷ raw websockets client",
        2,
        True,
    ),
    Target(
        "locust_station_vs_bare",
        "one Locust worker, station users ÷ bare websocket Locust users (round trips per CPU s)",
        0.5,
        False,
    ),
    Target(
        "locust_two_vs_one",
        "two Locust workers under one master ÷ one worker, a core each (2 × round trips per CPU s ratio)",
        1.8,
        False,
    ),
    Target("backend_kb_per_idle_station", "backend memory per idle station, KB (largest count)", 20, True),
    Target(
        "simulator_kb_per_idle_station", "simulator memory per idle station, KB (largest count)", 20, True
    ),
    Target("idle_boot_s", "stations boot, s (largest count; 10 000 in the full run)", 15, True),
    Target("idle_errors", "errors connecting and holding the idle stations (largest count)", 0, True),
    Target(
        "fleet_errors",
        "errors connecting and holding one machine's fleet of idle stations (50 000 in the full run)",
        0,
        True,
    ),
    Target(
        "backend_vs_ocpp_csms",
        "backend CPU per round trip ÷ the ocpp package's CSMS, same ocpp ChargePoint client",
        1,
        True,
    ),
    Target(
        "backend_vs_ocpp_csms_throughput",
        "backend throughput ÷ the ocpp package's CSMS, same ocpp ChargePoint client",
        1,
        False,
    ),
)
TARGET_BY_KEY = {target.key: target for target in TARGETS}


def ratio(value: float, baseline: float) -> float | None:
    """value ÷ baseline; None when the baseline measured nothing (a run too short for the CPU clock)."""
    return value / baseline if baseline > 0 else None


@dataclass
class Row:
    key: str
    figure: str
    value: str
    baseline: str = ""
    ratio: float | None = None
    target: str = ""
    met: bool | None = None


@dataclass
class Figures:
    """What one run measured: `values` (raw numbers by part, as JSON) and `rows` (the table)."""

    values: dict[str, Any] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)

    def add(
        self,
        key: str,
        figure: str,
        value: str,
        baseline: str = "",
        ratio: float | None = None,
        *,
        checked: float | None = None,
    ) -> None:
        """A row; when `key` names a target, `checked` (default: the ratio) is held against it."""
        target = TARGET_BY_KEY.get(key)
        rounded = None if ratio is None else round(ratio, 3)
        checked = ratio if checked is None else checked
        self.rows.append(
            Row(
                key=key,
                figure=figure,
                value=value,
                baseline=baseline,
                ratio=rounded,
                target=target.text if target else "",
                met=target.met(checked) if target and checked is not None else None,
            )
        )

    def as_json(self) -> dict[str, Any]:
        return {"figures": self.values, "rows": [asdict(row) for row in self.rows]}


def targets_markdown() -> str:
    """The targets as the docs show them (kept equal to this table by a test)."""
    lines = ["| figure | target |", "|---|---|"]
    lines += [f"| {target.figure} | {target.text} |" for target in TARGETS]
    return "\n".join(lines)


def rows_markdown(rows: list[dict[str, Any]]) -> str:
    """A run's rows (from its JSON) as a Markdown table, for the docs."""
    lines = [
        "| figure | measured | baseline (same run) | ratio | target | met |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        ratio = "" if row["ratio"] is None else f"{row['ratio']:g}"
        met = "" if row["met"] is None else ("yes" if row["met"] else "**no**")
        lines.append(
            f"| {row['figure']} | {row['value']} | {row['baseline']} | {ratio} | {row['target']} | {met} |"
        )
    return "\n".join(lines)
