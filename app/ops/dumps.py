"""A consistent copy of the database, its row counts, and putting it back.

- PostgreSQL: `pg_dump --format=custom` run on a snapshot exported by a read-only
  REPEATABLE READ transaction, and every table counted in that same transaction, so the counts
  describe exactly what the dump holds. Restored with `pg_restore --single-transaction`: all
  or nothing.
- SQLite: the online backup API (`sqlite3.Connection.backup`) copies the file page by page
  while the app keeps running; the counts are read from the copy.

The client programs are looked up on PATH (Debian: `postgresql-client`); the password, if
the URL has one, goes to them through PGPASSWORD, never on the command line.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo
from sqlalchemy.engine import make_url

from app.ops.locks import connection_arguments


class DumpError(RuntimeError):
    """The database could not be copied or restored; the message says why."""


@dataclass(frozen=True)
class Dumped:
    """A copy of the database written to `path`, and what it holds."""

    kind: str  # "postgresql" or "sqlite"
    path: Path
    tables: dict[str, int]  # every table's row count
    revision: str | None  # alembic_version, if the schema has one


def database_kind(url: str) -> str:
    backend = make_url(url).get_backend_name()
    if backend not in ("postgresql", "sqlite"):
        raise DumpError(f"unsupported database: {backend}")
    return backend


def sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise DumpError("an in-memory SQLite database cannot be backed up")
    return Path(database)


# --- PostgreSQL ----------------------------------------------------------------------------


def _program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise DumpError(f"{name} was not found on PATH (Debian: apt install postgresql-client)")
    return path


def _client_env(url: str) -> tuple[str, dict[str, str]]:
    """A conninfo string without the password, and the environment carrying it."""
    arguments = connection_arguments(url)
    password = arguments.pop("password", None)
    env = dict(os.environ)
    if password:
        env["PGPASSWORD"] = password
    return make_conninfo(**{k: str(v) for k, v in arguments.items()}), env


def _run(command: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(  # noqa: S603  (our own arguments, no shell)
        command, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        name = Path(command[0]).name
        raise DumpError(f"{name} failed: {result.stderr.strip() or result.returncode}")
    return result.stdout


def _pg_tables(connection: psycopg.Connection[Any]) -> dict[str, int]:
    names = [
        row[0]
        for row in connection.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            " ORDER BY table_name"
        )
    ]
    counts = {}
    for name in names:
        query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(name))
        row = connection.execute(query).fetchone()
        counts[name] = int(row[0]) if row else 0
    return counts


def _pg_revision(connection: psycopg.Connection[Any], tables: dict[str, int]) -> str | None:
    if "alembic_version" not in tables:
        return None
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def dump_postgresql(url: str, target: Path) -> Dumped:
    """pg_dump (custom format) of a snapshot, with the row counts of that snapshot."""
    pg_dump = _program("pg_dump")
    conninfo, env = _client_env(url)
    try:
        connection = psycopg.connect(**connection_arguments(url))
    except psycopg.Error as error:
        raise DumpError(f"PostgreSQL unreachable: {error}") from error
    with closing(connection):
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        connection.read_only = True
        row = connection.execute("SELECT pg_export_snapshot()").fetchone()
        snapshot = row[0] if row else ""
        _run(
            [
                pg_dump,
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={target}",
                f"--dbname={conninfo}",
            ],
            env,
        )
        tables = _pg_tables(connection)
        revision = _pg_revision(connection, tables)
        connection.rollback()
    return Dumped("postgresql", target, tables, revision)


def postgresql_tables(url: str) -> dict[str, int]:
    """Every table of the database at `url` and its row count."""
    with closing(psycopg.connect(**connection_arguments(url))) as connection:
        return _pg_tables(connection)


def restore_postgresql(url: str, dump: Path) -> None:
    """pg_restore into the (empty) database at `url`, in one transaction."""
    pg_restore = _program("pg_restore")
    conninfo, env = _client_env(url)
    _run(
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={conninfo}",
            str(dump),
        ],
        env,
    )


def postgresql_dump_tables(dump: Path) -> set[str]:
    """The tables whose data a custom-format dump holds (`pg_restore --list`): the archive's
    table of contents must be readable to the end."""
    listing = _run([_program("pg_restore"), "--list", str(dump)], dict(os.environ))
    tables = set()
    for line in listing.splitlines():
        if line.startswith(";") or " TABLE DATA " not in line:
            continue
        parts = line.split(" TABLE DATA ", 1)[1].split()
        if len(parts) >= 2:
            tables.add(parts[1])
    return tables


# --- SQLite --------------------------------------------------------------------------------


@contextmanager
def _sqlite(path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(path)
    try:
        yield connection
    finally:
        connection.close()


def sqlite_tables(path: Path) -> dict[str, int]:
    """Every table of the SQLite file at `path` and its row count (none if it is absent)."""
    if not path.exists():
        return {}
    with _sqlite(path) as connection:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite~_%' ESCAPE '~' ORDER BY name"
            )
        ]
        return {
            name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]  # noqa: S608  (names read from the schema)
            for name in names
        }


def dump_sqlite(url: str, target: Path) -> Dumped:
    """A consistent copy of the SQLite database through the online backup API."""
    source = sqlite_path(url)
    if not source.exists():
        raise DumpError(f"the SQLite database {source} does not exist")
    with _sqlite(source) as live, _sqlite(target) as copy:
        live.backup(copy)
    tables = sqlite_tables(target)
    revision = None
    if "alembic_version" in tables:
        with _sqlite(target) as copy:
            row = copy.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
    return Dumped("sqlite", target, tables, revision)


def check_sqlite(path: Path) -> str:
    """SQLite's own integrity check of a copy: "ok", or what is wrong."""
    try:
        with _sqlite(path) as connection:
            rows = connection.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as error:
        return str(error)
    return "; ".join(row[0] for row in rows)


def restore_sqlite(url: str, copy: Path) -> None:
    """Put the copy in place of the (absent or empty) SQLite database at `url`."""
    target = sqlite_path(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".restoring")
    shutil.copyfile(copy, partial)
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(partial, target)


# --- either --------------------------------------------------------------------------------


def dump_database(url: str, directory: Path) -> Dumped:
    """A consistent copy of the database at `url`, written into `directory`."""
    if database_kind(url) == "postgresql":
        return dump_postgresql(url, directory / "database.pgdump")
    return dump_sqlite(url, directory / "database.sqlite3")


def database_tables(url: str) -> dict[str, int]:
    """Every table of the database at `url` and its row count."""
    if database_kind(url) == "postgresql":
        try:
            return postgresql_tables(url)
        except psycopg.Error as error:
            raise DumpError(f"PostgreSQL unreachable: {error}") from error
    return sqlite_tables(sqlite_path(url))


def restore_database(url: str, copy: Path) -> None:
    if database_kind(url) == "postgresql":
        restore_postgresql(url, copy)
    else:
        restore_sqlite(url, copy)
