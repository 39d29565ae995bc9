"""Engines for the two supported databases, with SQLite set up for many threads writing at once.

SQLite transactions are ours, not pysqlite's. Left alone, pysqlite sends `BEGIN` only before the first
INSERT/UPDATE/DELETE, so a use case's reads (the permission check, "is this code known already?") ran
outside its transaction and two racing requests could both act on what they read. A plain `BEGIN`
would make the reads part of the transaction, but then the first write must upgrade a read snapshot,
and if another connection committed meanwhile SQLite fails at once with SQLITE_BUSY (busy_snapshot):
`busy_timeout` cannot help, and the console would answer 500 "database is locked". So every transaction
begins `BEGIN IMMEDIATE`: it takes the write lock first, waiting up to `busy_timeout` for it, and then
reads and writes a database nobody else is changing. Read-only work (the OCPP hot path's lookups) runs
on `read_only(engine)`, which sends no BEGIN at all: each statement reads its own snapshot and never
waits for a writer (WAL).
PostgreSQL is left as SQLAlchemy sets it up.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",  # readers (features, the console API) never block the writer
    "PRAGMA synchronous=FULL",  # a commit is on disk before it returns: an answer means stored (group commit)
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=15000",  # how long BEGIN IMMEDIATE waits for another writer (an 8 s outside lock)
)


def create_engine(url: str) -> sa.Engine:
    """An engine for `url`: `sqlite:///file.sqlite3` or `postgresql+psycopg://user:pw@host/db`."""
    engine = sa.create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _set_up_writer)
        # A dialect method, not a "begin" event listener: any engine event makes SQLAlchemy dispatch
        # on every statement (measured: +30-40 µs on a 110 µs write transaction).
        engine.dialect.do_begin = _begin_immediate  # type: ignore[method-assign]
    return engine


def read_only(engine: sa.Engine) -> sa.Engine:
    """An engine for reads of one statement each, which on SQLite never wait for the write lock.

    SQLite: a second pool whose connections stay as pysqlite makes them (no BEGIN before a SELECT), so
    each statement reads its own snapshot (WAL); never write through it. Elsewhere: `engine` itself.
    """
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return engine
    reader = sa.create_engine(engine.url)
    event.listen(reader, "connect", _set_pragmas)
    return reader


def _set_up_writer(dbapi_connection: Any, record: Any) -> None:
    dbapi_connection.isolation_level = None  # pysqlite's own BEGIN off: `_begin_immediate` sends ours
    _set_pragmas(dbapi_connection, record)


def _set_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def _begin_immediate(dbapi_connection: Any) -> None:
    dbapi_connection.execute("BEGIN IMMEDIATE")
