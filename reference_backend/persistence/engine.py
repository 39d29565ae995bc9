"""Engines for the two supported databases, with SQLite set up for a busy single writer."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",  # readers (features, the console API) never block the writer
    "PRAGMA synchronous=NORMAL",  # safe with WAL; a crash loses at most the last commits
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
)


def create_engine(url: str) -> sa.Engine:
    """An engine for `url`: `sqlite:///file.sqlite3` or `postgresql+psycopg://user:pw@host/db`."""
    engine = sa.create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _set_sqlite_pragmas)
    return engine


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()
