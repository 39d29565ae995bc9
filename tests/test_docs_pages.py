"""docs/pages.md and docs/metrics.md say what the code has: the console pages, the metrics, and a
Grafana dashboard whose queries name only metrics that exist."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from evharness.prometheus import render_markdown, sample_names
from evharness.reference_backend.metrics import METRICS as CSMS_METRICS
from evharness.reference_backend.web.pages import render_markdown as render_pages
from evharness.simulator.asyncio.web.metrics import METRICS as SIM_METRICS

DOCS = Path(__file__).resolve().parent.parent / "docs"


def block(document: str, name: str) -> str:
    text = (DOCS / document).read_text(encoding="utf-8")
    found = re.search(rf"<!-- {name}:start -->\n(.*?)<!-- {name}:end -->", text, re.S)
    assert found, f"docs/{document} has no <!-- {name}:start --> … <!-- {name}:end --> block"
    return found.group(1)


@pytest.mark.parametrize(
    ("document", "name", "rendered"),
    [
        ("pages.md", "console-pages", render_pages()),
        ("metrics.md", "csms-metrics", render_markdown(CSMS_METRICS)),
        ("metrics.md", "sim-metrics", render_markdown(SIM_METRICS)),
    ],
)
def test_the_docs_show_the_tables_of_the_code(document: str, name: str, rendered: str) -> None:
    assert block(document, name) == rendered, f"docs/{document}: regenerate the {name} table from the code"


def test_the_dashboard_queries_only_metrics_that_exist() -> None:
    dashboard = json.loads((DOCS / "grafana" / "evharness-dashboard.json").read_text(encoding="utf-8"))
    known = sample_names(CSMS_METRICS) | sample_names(SIM_METRICS)
    used = set()
    for panel in dashboard["panels"]:
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            used |= set(re.findall(r"\bevharness_\w+", target["expr"]))
    assert used <= known, used - known
    unused = [m.shown for m in CSMS_METRICS + SIM_METRICS if not sample_names([m]) & used]
    assert not unused, f"the dashboard shows nothing of {unused}"


def test_the_pictures_the_docs_show_exist() -> None:
    for document in ("pages.md",):
        for picture in re.findall(r"\]\((images/[^)]+)\)", (DOCS / document).read_text(encoding="utf-8")):
            assert (DOCS / picture).is_file(), picture
