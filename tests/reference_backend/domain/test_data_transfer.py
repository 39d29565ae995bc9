"""The backend's DataTransfer vendor table: its answers, and the docs show it as it is."""

from __future__ import annotations

import re
from pathlib import Path

from evharness.reference_backend.domain.data_transfer import answer, render_markdown

DOC = Path(__file__).resolve().parents[3] / "docs" / "reservations.md"


def test_unknown_vendor_then_unknown_message_then_the_row() -> None:
    assert answer("com.nobody", "Echo", "x") == ("UnknownVendorId", None)
    assert answer("org.evharness", None, "x") == ("UnknownMessageId", None)
    assert answer("org.evharness", "Echo", {"a": 1}) == ("Accepted", {"a": 1})


def test_the_docs_show_the_vendor_table() -> None:
    found = re.search(r"<!-- vendors:start -->\n(.*?)<!-- vendors:end -->", DOC.read_text(), re.S)
    assert found is not None
    assert found.group(1) == render_markdown()
