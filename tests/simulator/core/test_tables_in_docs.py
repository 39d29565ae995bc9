"""The firmware and log-upload tables in docs/firmware-diagnostics.md are the code's `TABLE`s, rendered."""

from __future__ import annotations

import re
from enum import Enum
from pathlib import Path
from typing import Any

import pytest

from evharness.simulator.core import firmware, logs

DOC = Path(__file__).resolve().parents[3] / "docs" / "firmware-diagnostics.md"


def render(table: dict[Any, dict[Any, tuple[Any, tuple[Enum, ...], Enum]]]) -> str:
    lines = ["| state | happening | next | reported | effect |", "|---|---|---|---|---|"]
    for state, row in table.items():
        for happening, (next_state, statuses, effect) in row.items():
            reported = ", ".join(s.value for s in statuses) or "—"
            lines.append(
                f"| {state.value} | {happening.value} | {next_state.value} | {reported} | {effect.value} |"
            )
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("name", "table"), [("firmware", firmware.TABLE), ("logs", logs.TABLE)])
def test_the_doc_holds_the_table(name: str, table: Any) -> None:
    marked = re.search(
        f"<!-- {name}:start -->\n(.*?)<!-- {name}:end -->", DOC.read_text(encoding="utf-8"), re.S
    )
    assert marked, f"docs/firmware-diagnostics.md has no {name}:start/end block"
    assert marked.group(1) == render(table), f"regenerate the {name} table in docs/firmware-diagnostics.md"
