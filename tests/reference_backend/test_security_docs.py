"""docs/security.md shows the security rules as the code holds them."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from evharness.reference_backend import security
from evharness.reference_backend.api import headers
from evharness.reference_backend.domain import security_profiles

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "security.md"
TABLES: dict[str, Callable[[], str]] = {
    "profiles": security_profiles.render_markdown,
    "tls": security.render_markdown,
    "headers": headers.render_markdown,
}


@pytest.mark.parametrize("name", TABLES)
def test_the_document_holds_the_rendered_table(name: str) -> None:
    text = DOCUMENT.read_text(encoding="utf-8")
    found = re.search(rf"<!-- {name}:start -->\n(.*?)<!-- {name}:end -->", text, re.S)
    assert found, f"docs/security.md has no <!-- {name}:start --> block"
    assert found.group(1) == TABLES[name](), f"docs/security.md: regenerate the {name} table from the code"
