"""The bench's table of figures: targets held against ratios or values, reported and never asserted."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from evharness.bench.figures import TARGETS, Figures, Target, ratio, rows_markdown, targets_markdown

DOCS = Path(__file__).resolve().parents[2] / "docs" / "capacity.md"


@given(st.floats(0, 1e6), st.floats(0, 1e6))
def test_a_target_is_met_on_its_side_of_the_limit_limit_included(value: float, limit: float) -> None:
    assert Target("k", "f", limit, at_most=True).met(value) is (value <= limit)
    assert Target("k", "f", limit, at_most=False).met(value) is (value >= limit)


def test_a_row_of_a_target_holds_the_ratio_by_default_and_a_value_when_given() -> None:
    figures = Figures()
    figures.add("backend_vs_echo", "backend", "600 µs", "echo 100 µs", 6.0)
    figures.add("simulator_vs_raw", "simulator", "150 µs", "raw 100 µs", 1.5)
    figures.add("idle_boot_s", "boot", "12 s", checked=12.0)
    figures.add("backend_uvloop", "no target", "500 µs", "asyncio 600 µs", 500 / 600)
    met = {row.key: (row.target, row.met) for row in figures.rows}
    assert met == {
        "backend_vs_echo": ("≤ 3", False),
        "simulator_vs_raw": ("≤ 2", True),
        "idle_boot_s": ("≤ 15", True),
        "backend_uvloop": ("", None),
    }
    assert figures.rows[3].ratio == 0.833


def test_a_baseline_that_measured_nothing_gives_no_ratio_and_no_verdict() -> None:
    assert ratio(5.0, 0.0) is None
    figures = Figures()
    figures.add("backend_vs_echo", "backend", "600 µs", "echo 0 µs", ratio(600.0, 0.0))
    assert (figures.rows[0].ratio, figures.rows[0].met) == (None, None)


def test_the_rows_render_as_markdown_with_met_and_not_met() -> None:
    figures = Figures()
    figures.add("backend_vs_echo", "backend CPU", "600 µs", "echo 100 µs", 6.0)
    figures.add("idle_errors", "errors", "0", checked=0)
    table = rows_markdown(figures.as_json()["rows"])
    assert "| backend CPU | 600 µs | echo 100 µs | 6 | ≤ 3 | **no** |" in table
    assert "| errors | 0 |  |  | ≤ 0 | yes |" in table


def test_the_docs_list_every_target_as_the_code_does() -> None:
    """docs/capacity.md shows the targets table rendered from TARGETS (regenerate it on change)."""
    text = DOCS.read_text(encoding="utf-8")
    assert targets_markdown() in text, "docs/capacity.md: paste evharness.bench.figures.targets_markdown()"
    assert len(TARGETS) == len(re.findall(r"^\| .+ \| [≤≥] [\d.]+ \|$", targets_markdown(), re.MULTILINE))
