"""The bench's HTML report: one static file, no server, no CDN.

The table of figures with targets, the machine, and charts drawn with matplotlib (the `charts` extra) as
PNGs embedded as data URIs: CPU per round trip against the baselines, memory per idle station, the Locust
rate over time. Without matplotlib the report has the tables and says how to get the charts.
"""

from __future__ import annotations

import base64
import html
import io
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure as Chart

TARGET_COLOUR, OURS, BASELINE, ALTERNATIVE = "#c0392b", "#2e86c1", "#7f8c8d", "#27ae60"
STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 72em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: .3em .6em; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
td.met { color: #1e8449; font-weight: bold; } td.missed { color: #c0392b; font-weight: bold; }
img { max-width: 100%; display: block; margin: 1em 0; }
pre { background: #f8f8f8; padding: 1em; overflow-x: auto; font-size: 85%; }
"""


def render(report: dict[str, Any]) -> str:
    """The whole report as one HTML document (the JSON the bench writes, as input)."""
    values, rows = report["figures"], report["rows"]
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8"><title>evharness bench</title>',
        f"<style>{STYLE}</style></head><body>",
        "<h1>evharness bench</h1>",
        _machine(values),
        "<h2>Figures and targets</h2>",
        _table(rows),
        "<h2>Charts</h2>",
        *_charts(values),
        *_profile(values.get("backend_profile")),
        "<h2>Everything measured</h2>",
        f"<details><summary>JSON</summary><pre>{html.escape(json.dumps(values, indent=2))}</pre></details>",
        "</body></html>",
    ]
    return "\n".join(parts)


def _machine(values: dict[str, Any]) -> str:
    machine = values.get("machine", {})
    facts = [
        f"started {machine.get('started', '?')}",
        f"{machine.get('cpus', '?')} CPUs ({machine.get('cpu_model', '?')})",
        f"{machine.get('memory_gib', '?')} GiB",
        f"Python {machine.get('python', '?')} on {machine.get('platform', '?')}",
        f"load average {machine.get('load_average_at_start', '?')} at the start, "
        f"{machine.get('load_average_at_end', '?')} at the end",
        f"{values.get('seconds', '?')} s in all; event loops: {', '.join(values.get('event_loops', []))}",
    ]
    return "<p>" + "; ".join(html.escape(str(fact)) for fact in facts) + ".</p>"


def _table(rows: list[dict[str, Any]]) -> str:
    head = "".join(
        f"<th>{name}</th>" for name in ("figure", "measured", "baseline (same run)", "ratio", "target", "met")
    )
    lines = [f"<table><tr>{head}</tr>"]
    for row in rows:
        ratio = "" if row["ratio"] is None else f"{row['ratio']:g}"
        met = {None: ("", ""), True: ("met", "yes"), False: ("missed", "no")}[row["met"]]
        cells = [row["figure"], row["value"], row["baseline"], ratio, row["target"]]
        lines.append(
            "<tr>" + "".join(f"<td>{html.escape(str(cell))}</td>" for cell in cells)
            + f'<td class="{met[0]}">{met[1]}</td></tr>'
        )  # fmt: skip
    lines.append("</table>")
    return "\n".join(lines)


def _charts(values: dict[str, Any]) -> list[str]:
    try:
        from matplotlib.figure import Figure as Chart
    except ImportError:
        return [
            "<p>No charts: matplotlib is not installed (<code>pip install 'evharness[charts]'</code>).</p>"
        ]
    drawings: list[tuple[str, str, Callable[[Chart, Any], None]]] = [
        ("cpu_per_round_trip", "CPU per round trip against the baselines", _cpu_chart),
        ("idle_memory", "Memory per idle station", _memory_chart),
        ("locust", "Locust rate over time", _locust_chart),
    ]
    shown = []
    for key, title, draw in drawings:
        if key not in values:
            continue
        chart = Chart(figsize=(11, 4.2), layout="constrained")
        draw(chart, values[key])
        shown.append(f"<h3>{html.escape(title)}</h3>")
        shown.append(f'<img alt="{html.escape(title)}" src="data:image/png;base64,{_png(chart)}">')
    return shown or ["<p>No part with a chart was run.</p>"]


def _profile(profile: dict[str, Any] | None) -> list[str]:
    if not profile:
        return []
    shown = [
        "<h2>Where the reference backend's CPU goes (py-spy, session mix)</h2>",
        f"<p>{profile['samples']} samples; raw stacks in {html.escape(profile.get('raw', ''))}.</p>",
    ]
    for key, title in (("packages", "own time by package"), ("own", "own time by function"),
                       ("inclusive", "time with callees by function")):  # fmt: skip
        rows = "".join(
            f"<tr><td>{percent:.1f} %</td><td>{html.escape(name)}</td></tr>" for name, percent in profile[key]
        )
        shown.append(f"<h3>{title}</h3><table><tr><th>share</th><th>where</th></tr>{rows}</table>")
    return shown


def _png(chart: Chart) -> str:
    buffer = io.BytesIO()
    chart.savefig(buffer, format="png", dpi=100)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _bars(axes: Any, bars: list[tuple[str, float, str]], title: str, unit: str) -> None:
    labels = [label for label, _, _ in bars]
    heights = [value for _, value, _ in bars]
    drawn = axes.bar(labels, heights, color=[colour for _, _, colour in bars])
    axes.bar_label(drawn, fmt="%.0f", fontsize=8)
    axes.set_title(title, fontsize=10)
    axes.set_ylabel(unit)
    axes.tick_params(axis="x", labelrotation=25, labelsize=8)


def _cpu_chart(chart: Chart, cpu: dict[str, Any]) -> None:
    server, client, side = chart.subplots(1, 3)
    mix, echo = cpu["session_mix"], cpu["echo"]
    server_bars = [("echo", echo["asyncio"]["server_us"], BASELINE)]
    server_bars.append(("ocpp CSMS", cpu["session_mix_ocpp_csms"]["server_us"], BASELINE))
    client_bars = [("raw client", echo["asyncio"]["client_us"], BASELINE)]
    for loop, measured in mix.items():
        colour = OURS if loop == "asyncio" else ALTERNATIVE
        server_bars.append((f"backend\n{loop}", measured["server_us"], colour))
        client_bars.append((f"simulator\n{loop}", measured["client_us"], colour))
    if "uvloop" in echo:
        server_bars.insert(1, ("echo\nuvloop", echo["uvloop"]["server_us"], BASELINE))
    client_bars.append(("ocpp\nChargePoint", cpu["ocpp_client"]["ocpp_csms"]["client_us"], BASELINE))
    _bars(server, server_bars, "server CPU per round trip, session mix", "µs")
    server.axhline(
        3 * echo["asyncio"]["server_us"], color=TARGET_COLOUR, linestyle="--", label="target 3 × echo"
    )
    server.legend(fontsize=8)
    _bars(client, client_bars, "client CPU per round trip", "µs")
    client.axhline(
        2 * echo["asyncio"]["client_us"], color=TARGET_COLOUR, linestyle="--", label="target 2 × raw"
    )
    client.legend(fontsize=8)
    ocpp = cpu["ocpp_client"]
    _bars(
        side,
        [("ocpp CSMS", ocpp["ocpp_csms"]["server_us"], BASELINE),
         ("reference\nbackend", ocpp["reference_backend"]["server_us"], OURS)],
        "server CPU per round trip, ocpp client",
        "µs",
    )  # fmt: skip
    for index, name in enumerate(("ocpp_csms", "reference_backend")):
        side.annotate(
            f"{ocpp[name]['round_trips_per_s']}/s", (index, 0), ha="center", va="bottom", fontsize=8
        )


def _memory_chart(chart: Chart, memory: dict[str, Any]) -> None:
    axes = chart.subplots()
    counts = list(memory)
    positions = range(len(counts))
    width = 0.38
    for offset, (side, colour) in ((-width / 2, ("backend", OURS)), (width / 2, ("simulator", ALTERNATIVE))):
        heights = [memory[count][f"{side}_kb_per_station"] for count in counts]
        drawn = axes.bar([p + offset for p in positions], heights, width, label=side, color=colour)
        axes.bar_label(drawn, fmt="%.1f", fontsize=8)
    axes.axhline(20, color=TARGET_COLOUR, linestyle="--", label="target 20 KB")
    axes.set_xticks(list(positions), [f"{int(count):,} stations" for count in counts])
    axes.set_ylabel("KB per idle station (RSS growth)")
    axes.legend(fontsize=8)


def _locust_chart(chart: Chart, locust: dict[str, Any]) -> None:
    axes = chart.subplots()
    names = {
        "bare_websocket_user": ("bare websocket users, echo server", BASELINE),
        "one_worker": ("station users, one worker", OURS),
        "two_workers": ("station users, two workers", ALTERNATIVE),
    }
    for key, (label, colour) in names.items():
        if key in locust:
            series = locust[key]["series"]
            axes.plot([t for t, _ in series], [rate for _, rate in series], label=label, color=colour)
    axes.set_xlabel("seconds since the start")
    axes.set_ylabel("OCPP round trips per second")
    axes.legend(fontsize=8)
