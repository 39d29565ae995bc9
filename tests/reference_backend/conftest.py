"""Real databases, no mocks: a SQLite file per test, and PostgreSQL (pgserver) for `postgres` tests.

The `store` fixture runs each test that uses it on both; the PostgreSQL server starts once per
session and each test gets empty tables.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from evharness.reference_backend.persistence import Store
from evharness.reference_backend.persistence.tables import metadata


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'backend.sqlite3'}"


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A PostgreSQL started by `pgserver`; skipped, saying why, only if it cannot start here."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs warns about XDG_RUNTIME_DIR on bare machines
            from pgserver.postgres_server import get_server

            server = get_server(tmp_path_factory.mktemp("pg"), cleanup_mode="stop")
            uri = server.get_uri()
    except Exception as exc:
        pytest.skip(f"pgserver cannot start PostgreSQL on this machine: {type(exc).__name__}: {exc}")
    url = uri.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = sa.create_engine(url)
    metadata.create_all(engine)
    engine.dispose()
    yield url
    server.cleanup()


def _empty_tables(url: str) -> None:
    engine = sa.create_engine(url)
    names = ", ".join(table.name for table in metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, sqlite_url: str) -> str:
    if request.param == "sqlite":
        return sqlite_url
    url: str = request.getfixturevalue("postgres_url")
    _empty_tables(url)
    return url


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = Store.from_url(database_url)
    opened.create_schema()
    yield opened
    opened.dispose()
