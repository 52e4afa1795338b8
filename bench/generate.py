"""The province's data (bench.province) in a database, generated once and kept between runs.

The schema comes from the app's own migrations. The rows are bulk-inserted through the
DBAPI (executemany on SQLite, COPY on PostgreSQL), each value through its column's
SQLAlchemy bind processor, so they are stored as the app stores them. No ORM objects are
built, so no journal rows are written: that is fine for a benchmark.

A full-size database takes a minute or two to generate, so it is kept: SQLite's under
`instance/bench/`, PostgreSQL's in its own database. A later run reuses it when it was made
from the same sizes, generator, parser and migrations, less than CACHE_DAYS ago (the data
are relative to the day they were made); `fresh=True` makes it anew. Timing only reads.
"""

from __future__ import annotations

import gc
import hashlib
import itertools
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import Engine, Table, create_engine, func, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from app import create_app
from app.agencies.models import Agency
from app.auth.models import User
from app.clock import today_local
from app.directives.models import Directive, Section
from app.extensions import db
from app.tasks.models import DeadlineExtension, ProgressUpdate, Task, task_coordinators
from bench.province import BUSY_AGENCY_ID, PASSWORD, SEED, USERNAMES, Province, Sizes, forget

__all__ = ["PASSWORD", "USERNAMES", "Generated", "Sizes", "Unavailable", "generate"]

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = ROOT / "instance" / "bench"
CACHE_DAYS = 7
DEFAULT_POSTGRESQL_URL = "postgresql://postgres@127.0.0.1:5432/nhiemvu_bench"
META_TABLE = "bench_meta"  # the benchmark's own note in its database: what made it, when
CHUNK = 5_000
# What the data depend on: a change to any of these makes the cached databases stale.
SOURCES = ("bench/province.py", "bench/texts.py", "bench/generate.py", "app/text.py")
SOURCE_DIRS = ("app/tasks/deadlines", "migrations/versions")
TABLES = [
    Agency.__table__,
    User.__table__,
    Directive.__table__,
    Section.__table__,
    Task.__table__,
    task_coordinators,
    DeadlineExtension.__table__,
    ProgressUpdate.__table__,
]


class Unavailable(Exception):
    """The database cannot be used (server unreachable, or not ours to empty): skip it."""


@dataclass
class Generated:
    """A populated database and the app bound to it."""

    name: str  # "SQLite" or "PostgreSQL"
    app: Flask
    location: str  # the file, or the URL without password
    seconds: float  # to generate it (when it was made, for a cached one)
    counts: dict[str, int]
    busy_agency_id: int
    busy_agency_name: str
    cached: bool = False  # reused from an earlier run
    made_on: date | None = None
    phases: dict[str, float] = field(default_factory=dict)
    cleanup: Callable[[], None] = lambda: None


def cache_key(sizes: Sizes) -> str:
    """A digest of the sizes and of every source the generated rows depend on."""
    digest = hashlib.sha256(repr((sizes, SEED)).encode())
    paths = [ROOT / name for name in SOURCES]
    paths += sorted(p for d in SOURCE_DIRS for p in (ROOT / d).rglob("*.py"))
    for path in paths:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# --- bulk inserts ----------------------------------------------------------------------------


def _chunks(rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, CHUNK)):
        yield chunk


def _insert(raw: Any, dialect: Any, table: Table, rows: Iterable[dict[str, Any]]) -> int:
    """Insert `rows` (dicts with the same keys) on the raw DBAPI connection `raw`."""
    count = 0
    quote = dialect.identifier_preparer.quote
    for chunk in _chunks(rows):
        columns = [table.c[key] for key in chunk[0]]
        processors = [c.type._cached_bind_processor(dialect) for c in columns]
        keys = [c.key for c in columns]

        def values(
            row: dict[str, Any], keys: list[str] = keys, processors: list[Any] = processors
        ) -> tuple[Any, ...]:
            return tuple(
                p(row[k]) if p is not None else row[k]
                for k, p in zip(keys, processors, strict=True)
            )

        names = ", ".join(quote(c.name) for c in columns)
        cursor = raw.cursor()
        if dialect.name == "postgresql":
            with cursor.copy(f"COPY {quote(table.name)} ({names}) FROM STDIN") as copy:
                for row in chunk:
                    copy.write_row(values(row))
        else:
            marks = ", ".join("?" * len(columns))
            cursor.executemany(
                f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})",  # noqa: S608  (our own table and column names)
                [values(row) for row in chunk],
            )
        cursor.close()
        count += len(chunk)
    return count


def _populate(engine: Engine, province: Province, log: Callable[[str, float], None]) -> None:
    """Insert every table in dependency order, on one connection, one transaction each."""
    dialect = engine.dialect
    raw = engine.raw_connection()
    driver = raw.driver_connection
    sqlite = dialect.name == "sqlite"
    try:
        if sqlite:  # a throw-away file being filled: no need to wait for the disk
            driver.execute("PRAGMA synchronous=OFF")

        def phase(name: str, work: Callable[[], None]) -> None:
            started = time.perf_counter()
            if sqlite:
                driver.execute("BEGIN")
            work()
            if sqlite:
                driver.execute("COMMIT")
            else:
                driver.commit()
            log(name, time.perf_counter() - started)

        def people() -> None:
            _insert(driver, dialect, Agency.__table__, province.agencies())
            _insert(driver, dialect, User.__table__, province.users())
            # The leaders exist only now; agency and user ids are our own integers.
            cursor = driver.cursor()
            for leader, agencies in province.supervisors().items():
                ids = ", ".join(str(int(agency_id)) for agency_id in agencies)
                cursor.execute(
                    f"UPDATE agencies SET supervisor_id = {int(leader)} WHERE id IN ({ids})"  # noqa: S608
                )
            cursor.close()
            _insert(driver, dialect, Directive.__table__, province.directives())
            _insert(driver, dialect, Section.__table__, province.sections())

        def tasks() -> None:
            rows = list(province.tasks())
            extensions = list(province.extensions(rows))  # sets the tasks' extended_due
            _insert(driver, dialect, Task.__table__, rows)
            _insert(driver, dialect, task_coordinators, province.coordinators())
            _insert(driver, dialect, DeadlineExtension.__table__, extensions)

        phase("agencies, users, directives", people)
        phase("tasks, coordinators, extensions", tasks)
        phase(
            "progress updates",
            lambda: _insert(driver, dialect, ProgressUpdate.__table__, province.updates()),
        )
    finally:
        raw.close()


def _finish_postgres(engine: Engine) -> None:
    """Move the id sequences past the inserted ids, and gather statistics as autovacuum would."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in TABLES:
            if "id" not in table.c:
                continue
            # Our own table names, not input.
            last = f"(SELECT coalesce(max(id), 0) + 1 FROM {table.name})"  # noqa: S608
            connection.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), {last}, false)")
            )
        connection.execute(text("VACUUM ANALYZE"))


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table.name: connection.scalar(select(func.count()).select_from(table)) or 0
            for table in TABLES
        }


# --- the cache note --------------------------------------------------------------------------


def _read_meta(engine: Engine) -> dict[str, Any] | None:
    """What the benchmark noted when it made this database, if it did."""
    if not inspect(engine).has_table(META_TABLE):
        return None
    with engine.connect() as connection:
        row = connection.execute(
            text(f"SELECT key, made_on, seconds FROM {META_TABLE}")  # noqa: S608
        ).first()
    if row is None:
        return None
    made_on = row.made_on if isinstance(row.made_on, date) else date.fromisoformat(row.made_on)
    return {"key": row.key, "made_on": made_on, "seconds": float(row.seconds)}


def _write_meta(engine: Engine, key: str, made_on: date, seconds: float) -> None:
    with engine.begin() as connection:
        connection.execute(
            text(f"CREATE TABLE {META_TABLE} (key VARCHAR(64), made_on DATE, seconds FLOAT)")
        )
        connection.execute(
            text(f"INSERT INTO {META_TABLE} VALUES (:key, :made_on, :seconds)"),  # noqa: S608
            {"key": key, "made_on": made_on.isoformat(), "seconds": seconds},
        )


def _usable(meta: dict[str, Any] | None, key: str, today: date) -> bool:
    return meta is not None and meta["key"] == key and (today - meta["made_on"]).days < CACHE_DAYS


# --- the two databases -------------------------------------------------------------------------


@dataclass
class _Target:
    """Where one database lives, and how to get rid of what the run should not leave."""

    url: str
    location: str
    reuse: bool  # holds a usable cached database
    finish: Callable[[], None] = lambda: None  # after generating (SQLite: move into place)
    cleanup: Callable[[], None] = lambda: None  # after measuring


def _sqlite_target(key: str, today: date, *, cache: bool, fresh: bool) -> _Target:
    if not cache:
        directory = tempfile.mkdtemp(prefix="nhiemvu-bench-")
        path = Path(directory) / "bench.db"
        return _Target(
            f"sqlite:///{path}",
            str(path),
            reuse=False,
            cleanup=lambda: shutil.rmtree(directory, ignore_errors=True),
        )
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    path = CACHE_DIR / "sqlite.db"
    if path.exists() and not fresh:
        engine = create_engine(f"sqlite:///{path}")
        try:
            if _usable(_read_meta(engine), key, today):
                return _Target(f"sqlite:///{path}", str(path), reuse=True)
        finally:
            engine.dispose()
    # Generate beside it, and replace it only once complete: an interrupted run leaves
    # the previous database, or nothing, never half of one.
    partial = CACHE_DIR / "sqlite.partial.db"
    _remove_sqlite(partial)

    def finish() -> None:
        _remove_sqlite(path)
        partial.rename(path)

    return _Target(f"sqlite:///{partial}", str(path), reuse=False, finish=finish)


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def postgresql_url(value: str | None = None) -> str:
    """The URL given, or BENCH_DATABASE_URL, or the local server's nhiemvu_bench; psycopg 3."""
    url = value or os.environ.get("BENCH_DATABASE_URL") or DEFAULT_POSTGRESQL_URL
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _safe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _postgresql_target(url: str, key: str, today: date, *, cache: bool, fresh: bool) -> _Target:
    """The database at `url`: created when missing, emptied when it holds an old benchmark.

    A database holding anything else is refused: the benchmark never empties real data."""
    target = make_url(url)
    admin_url = target.set(database="postgres")
    created = False
    admin = create_engine(
        admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5}
    )
    try:
        with admin.connect() as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
            )
            if not exists:
                quoted = admin.dialect.identifier_preparer.quote(target.database)
                connection.execute(
                    text(f"CREATE DATABASE {quoted} ENCODING 'UTF8' TEMPLATE template0")
                )
                created = True
    except OperationalError as error:
        reason = str(error.orig or error).strip().splitlines()[0]
        raise Unavailable(f"PostgreSQL unreachable at {_safe(str(admin_url))}: {reason}") from error
    finally:
        admin.dispose()

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        meta = _read_meta(engine)
        if cache and not fresh and _usable(meta, key, today):
            return _Target(url, _safe(url), reuse=True)
        tables = inspect(engine).get_table_names()
        if tables and meta is None:
            raise Unavailable(
                f"{_safe(url)} holds tables that a benchmark did not make; "
                "give an empty database (--postgresql-url)"
            )
        with engine.connect() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()

    def cleanup() -> None:
        if cache:
            return
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            if created:
                quoted = admin.dialect.identifier_preparer.quote(target.database)
                connection.execute(text(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"))
        admin.dispose()
        if not created:
            engine = create_engine(url, isolation_level="AUTOCOMMIT")
            with engine.connect() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
            engine.dispose()

    return _Target(url, _safe(url), reuse=False, cleanup=cleanup)


# --- generate ----------------------------------------------------------------------------------


def generate(
    kind: str,
    sizes: Sizes,
    *,
    cache: bool = True,
    fresh: bool = False,
    postgresql: str | None = None,
    verbose: bool = True,
) -> Generated:
    """A database of `kind` ("sqlite" or "postgresql") holding `sizes` of data: the cached
    one when it matches (unless `fresh`), else generated now (and kept, when `cache`)."""
    name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[kind]
    phases: dict[str, float] = {}

    def log(phase: str, seconds: float) -> None:
        phases[phase] = seconds
        if verbose:
            print(f"  [{name}] {phase}: {seconds:.1f} s", flush=True)

    started = time.perf_counter()
    today = today_local()
    key = cache_key(sizes)
    if kind == "sqlite":
        target = _sqlite_target(key, today, cache=cache, fresh=fresh)
    else:
        target = _postgresql_target(
            postgresql_url(postgresql), key, today, cache=cache, fresh=fresh
        )

    def make_app(url: str) -> Flask:
        return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x" * 40})

    app = make_app(target.url)
    with app.app_context():
        engine = db.engine
        if not target.reuse:
            step = time.perf_counter()
            logging.disable(logging.INFO)  # Alembic configures its own INFO logging on each run
            try:
                upgrade()
            finally:
                logging.disable(logging.NOTSET)
            log("schema (migrations)", time.perf_counter() - step)
            _populate(engine, Province(sizes, today), log)
            forget()
            gc.collect()
            if kind == "postgresql":
                step = time.perf_counter()
                _finish_postgres(engine)
                log("sequences, VACUUM ANALYZE", time.perf_counter() - step)
            _write_meta(engine, key, today, time.perf_counter() - started)
            if kind == "sqlite":  # the whole database in its one file, before it is moved
                raw = engine.raw_connection()
                raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                raw.close()
        meta = _read_meta(engine) or {}
        counts = _counts(engine)
        busy_name = db.session.scalar(select(Agency.name).where(Agency.id == BUSY_AGENCY_ID))
        db.session.remove()
        engine.dispose()
    if not target.reuse:
        target.finish()
        # Write the new database out now: the disk flushing it during the timed requests
        # would slow them down.
        os.sync()
        if kind == "sqlite" and cache:  # the file moved: bind the app to where it is now
            app = make_app(f"sqlite:///{target.location}")
    return Generated(
        name=name,
        app=app,
        location=target.location,
        seconds=meta.get("seconds", time.perf_counter() - started),
        counts=counts,
        busy_agency_id=BUSY_AGENCY_ID,
        busy_agency_name=busy_name or "",
        cached=target.reuse,
        made_on=meta.get("made_on"),
        phases=phases,
        cleanup=lambda: _dispose(app, target.cleanup),
    )


def _dispose(app: Flask, cleanup: Callable[[], None]) -> None:
    with app.app_context():
        db.engine.dispose()
    cleanup()
