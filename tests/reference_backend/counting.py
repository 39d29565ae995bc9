"""Count the SQL statements a piece of work sends to the database (SQLAlchemy events, not time)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from evharness.reference_backend.persistence import Store


@contextlib.contextmanager
def statements(store: Store) -> Iterator[list[str]]:
    """The statements run on the store's engines while inside (the group commit's included: flush
    before leaving to count what the work made it write)."""
    seen: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    engines = {id(e): e for e in (store.engine, store.reader)}.values()
    for engine in engines:
        sa.event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        for engine in engines:
            sa.event.remove(engine, "before_cursor_execute", note)
