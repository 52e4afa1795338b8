"""Watching the SQL a test's session sends, and how the database would run a statement."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import Compiled


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


def compiled(db: Session, statement: Any) -> Compiled:
    """`statement` compiled for the session's database, its literal values written in."""
    return statement.compile(db.connection(), compile_kwargs={"render_postcompile": True})


def plan(db: Session, statement: Any) -> str:
    """The plan of `statement` as the database would run it, in one string."""
    connection = db.connection()
    sql = compiled(db, statement)
    if connection.dialect.name == "sqlite":
        rows = connection.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + str(sql), tuple(sql.params[name] for name in sql.positiontup)
        )
        return " / ".join(row[-1] for row in rows)
    # On a few rows PostgreSQL may as well read ix_tasks_live_standing (on 100,000 it takes the
    # partial indexes, `python -m bench --trace`): set aside inside the test's transaction, which
    # is rolled back, it shows whether another index can serve the statement at all.
    connection.exec_driver_sql("DROP INDEX IF EXISTS ix_tasks_live_standing")
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    return " / ".join(
        row[0] for row in connection.exec_driver_sql("EXPLAIN " + str(sql), sql.params)
    )
