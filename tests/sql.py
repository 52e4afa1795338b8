"""Watching the SQL a test's session sends."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.orm import Session


@contextmanager
def statements(db: Session) -> Iterator[list[str]]:
    """The SQL statements the session sends inside the block."""
    seen: list[str] = []
    connection = db.connection()

    def record(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        seen.append(statement)

    event.listen(connection, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(connection, "before_cursor_execute", record)


def grouped(seen: list[str]) -> list[str]:
    """The grouped (counting) statements among `seen`."""
    return [s for s in seen if "GROUP BY" in s.upper()]
