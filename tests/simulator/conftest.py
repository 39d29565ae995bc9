from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from evharness import scenarios
from evharness.reference_backend.persistence import Store
from evharness.seed import seed


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'pair.sqlite3'}"


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    """The reference backend's store, seeded for the bundled scenarios on stations SIM-0001…0004."""
    for name in ("pin_charging", "rfid_charging"):
        seed(database_url, scenarios.load(name), 4, "SIM")
    opened = Store.from_url(database_url)
    yield opened
    opened.dispose()
