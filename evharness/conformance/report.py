"""The one-page HTML conformance report: case id, title, verdict, duration, a link to the frame log."""

from __future__ import annotations

import html
import re
import time
from collections import Counter
from pathlib import Path
from typing import Protocol

from evharness.redaction import redact

VERDICT_COLOURS = {
    "PASS": "#1a7f37",
    "FAIL": "#cf222e",
    "ERROR": "#cf222e",
    "NOT APPLICABLE": "#6e7781",
    "SKIPPED": "#9a6700",
}


class ReportRow(Protocol):
    case_id: str
    title: str
    nodeid: str
    verdict: str
    duration: float
    reason: str
    log: str


def _file_name(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")[:150] + ".log"


def write(directory: Path, rows: list[ReportRow], started: float) -> Path:
    """Write `index.html` and `logs/*.log` under `directory`; the report's path."""
    logs = directory / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    body = []
    for row in sorted(rows, key=lambda r: (r.nodeid.split("::")[0], r.case_id)):
        name = _file_name(row.nodeid)
        text = redact(
            f"{row.case_id}  {row.title}\n{row.nodeid}\nverdict: {row.verdict} ({row.duration:.2f} s)\n"
            + (f"\n{row.reason}\n" if row.reason else "")
            + f"\nOCPP frames (time since the first frame):\n{row.log or '(no frames)'}\n"
        )
        (logs / name).write_text(text, encoding="utf-8")
        colour = VERDICT_COLOURS.get(row.verdict, "#000")
        reason = html.escape(redact(row.reason.splitlines()[0])[:200]) if row.reason else ""
        body.append(
            f"<tr><td><code>{html.escape(row.case_id)}</code></td><td>{html.escape(row.title)}</td>"
            f'<td style="color:{colour};font-weight:bold">{html.escape(row.verdict)}</td>'
            f"<td>{row.duration:.2f} s</td><td>{reason}</td>"
            f'<td><a href="logs/{html.escape(name)}">log</a></td></tr>'
        )
    counts = Counter(row.verdict for row in rows)
    summary = ", ".join(f"{verdict}: {count}" for verdict, count in sorted(counts.items()))
    when = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(started))
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>evharness conformance report</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}}</style></head>
<body><h1>evharness conformance report</h1>
<p>Run started {when}. {len(rows)} test cases — {html.escape(summary)}.</p>
<table><tr><th>case</th><th>title</th><th>verdict</th><th>duration</th><th>reason</th><th>frames</th></tr>
{chr(10).join(body)}
</table></body></html>
"""
    path = directory / "index.html"
    path.write_text(page, encoding="utf-8")
    return path
