"""The single-scheduler lock: whoever holds it runs the jobs; everyone else waits.

- PostgreSQL: a session advisory lock (`pg_try_advisory_lock`) held on a connection of its
  own for the life of the process. The server releases it when that session ends, however it
  ends: a clean exit, a SIGKILL (the socket closes at once), or a host that vanished (the
  keepalive settings below make the server drop the session within about a minute). So two
  `flask jobs run` on two hosts never both hold it. Advisory locks belong to one database:
  two installs on one server do not collide.
- SQLite: a file lock (`filelock`: flock on POSIX, msvcrt on Windows) on
  `instance/scheduler.lock`; SQLite lives on one machine, and so does its lock.

`alive()` tells the holder whether it still holds the lock: a PostgreSQL session that broke
(server restart, network cut) lost it, and the scheduler must stop before someone else
takes over.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from pathlib import Path
from typing import Any, Protocol

import psycopg
from filelock import FileLock, Timeout
from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

# A fixed 64-bit key, the same in every process of every release.
ADVISORY_KEY = int.from_bytes(hashlib.sha256(b"nhiemvu:scheduler").digest()[:8], "big", signed=True)
# libpq: give up on a silent server after 30 s; probe an idle connection after 30 s.
CLIENT_KEEPALIVE = {
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
    "tcp_user_timeout": 30_000,
    "connect_timeout": 10,
}
# The server side of the same session: a dead client is noticed after 30 + 3 × 10 s.
SERVER_KEEPALIVE = (
    "SET tcp_keepalives_idle = 30",
    "SET tcp_keepalives_interval = 10",
    "SET tcp_keepalives_count = 3",
)


class SchedulerLock(Protocol):
    """What the scheduler needs of a lock."""

    description: str

    def acquire(self) -> bool:
        """Take the lock if it is free; False if another process holds it."""

    def alive(self) -> bool:
        """Whether this process still holds the lock."""

    def release(self) -> None:
        """Give it up (also safe when not held)."""


class FileSchedulerLock:
    """An exclusive lock on a file, held while this object holds it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.description = f"file lock {path}"
        self._lock = FileLock(str(path), timeout=0, thread_local=False)

    def acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            return False
        return True

    def alive(self) -> bool:
        return self._lock.is_locked

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release(force=True)


def connection_arguments(url: str) -> dict[str, Any]:
    """psycopg.connect() keyword arguments for a SQLAlchemy PostgreSQL URL."""
    parsed = make_url(url)
    arguments: dict[str, Any] = {
        "host": parsed.host,
        "port": parsed.port,
        "user": parsed.username,
        "password": parsed.password,
        "dbname": parsed.database,
    }
    arguments.update({key: value for key, value in parsed.query.items() if isinstance(value, str)})
    return {key: value for key, value in arguments.items() if value is not None}


class AdvisoryLock:
    """A PostgreSQL session advisory lock on a connection of its own (not from the pool: a
    pooled connection could be handed back and reused, or silently replaced)."""

    def __init__(self, url: str, key: int = ADVISORY_KEY) -> None:
        self.url = url
        self.key = key
        self.description = f"PostgreSQL advisory lock {key} on {make_url(url).database}"
        self._connection: Any = None
        self._held = False

    def _connect(self) -> Any:
        connection = psycopg.connect(
            **connection_arguments(self.url), **CLIENT_KEEPALIVE, autocommit=True
        )
        for statement in SERVER_KEEPALIVE:
            connection.execute(statement)
        connection.execute("SET application_name = 'nhiemvu scheduler'")
        return connection

    def acquire(self) -> bool:
        try:
            if self._connection is None or self._connection.closed:
                self._connection = self._connect()
            row = self._connection.execute(
                "SELECT pg_try_advisory_lock(%s)", (self.key,)
            ).fetchone()
        except psycopg.Error as error:
            log.warning("scheduler lock: PostgreSQL unreachable (%s)", error)
            self._close()
            return False
        self._held = bool(row and row[0])
        return self._held

    def alive(self) -> bool:
        """The session that took the lock still answers (a broken session released it, and
        a new connection would not hold it: once lost, it stays lost)."""
        if not self._held or self._connection is None:
            return False
        try:
            row = self._connection.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND pid = pg_backend_pid()"
            ).fetchone()
        except psycopg.Error as error:
            log.error("scheduler lock: the session holding it broke (%s)", error)
            self._held = False
            self._close()
            return False
        self._held = bool(row and row[0])
        return self._held

    def release(self) -> None:
        if self._held and self._connection is not None:
            # A session that is gone took the lock with it.
            with contextlib.suppress(psycopg.Error):
                self._connection.execute("SELECT pg_advisory_unlock(%s)", (self.key,))
        self._held = False
        self._close()

    def _close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            finally:
                self._connection = None


def scheduler_lock(database_url: str, instance_path: Path) -> SchedulerLock:
    """The lock fitting the database: advisory on PostgreSQL, a file under instance/ else."""
    if make_url(database_url).get_backend_name() == "postgresql":
        return AdvisoryLock(database_url)
    return FileSchedulerLock(instance_path / "scheduler.lock")
