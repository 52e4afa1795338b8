"""One scheduler at a time, across hosts: two `flask jobs run` on one database, one runs the
jobs and the other waits; killed, the first is replaced within a minute. On PostgreSQL the
lock is a session advisory lock, on SQLite a file lock; neither needs fcntl at import."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from app.ops.locks import AdvisoryLock, FileSchedulerLock
from app.ops.models import SchedulerHeartbeat
from tests.ops.conftest import ROOT, Running, environment, flask

RUNNING = "scheduler running here"
STANDBY = "scheduler standby"
JOB_DONE = "job reminders done"
FAILOVER_LIMIT = 60.0  # seconds: the promise


def _heartbeat_pid(url: str) -> int | None:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(select(SchedulerHeartbeat.pid))
    finally:
        engine.dispose()


def _wait_for_pid(url: str, pid: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _heartbeat_pid(url) == pid:
            return
        time.sleep(0.5)
    raise AssertionError(f"the heartbeat never came from process {pid}")


def test_two_schedulers_one_runs_the_other_takes_over(fresh_url, tmp_path, database_url):
    # Both processes share the database (and, for SQLite, the instance folder holding the
    # lock file, as two processes on one machine do). The reminders job is due at 00:00, so
    # whoever runs the jobs runs it at once (an empty database: it gives nothing).
    env = environment(fresh_url, tmp_path / "instance", JOBS_REMINDERS_AT="00:00")
    flask("db", "upgrade", env=env)
    command = [sys.executable, "-m", "flask", "jobs", "run"]
    first = Running.start(command, env)
    second = None
    try:
        first.wait_for(RUNNING, 60)
        first.wait_for(JOB_DONE, 60)
        _wait_for_pid(fresh_url, first.process.pid)
        second = Running.start(command, env)
        second.wait_for(STANDBY, 60)
        time.sleep(3)  # a standby does nothing while the first one lives
        assert RUNNING not in second.log()
        assert JOB_DONE not in second.log()

        first.process.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        took_over_at = second.wait_for(RUNNING, FAILOVER_LIMIT + 5)
        failover = took_over_at - killed_at
        print(
            f"\n[{database_url.split(':')[0].split('+')[0]}] failover after SIGKILL: {failover:.1f} s"
        )
        assert failover < FAILOVER_LIMIT
        second.wait_for(JOB_DONE, 60)  # it runs the jobs now
        _wait_for_pid(fresh_url, second.process.pid)

        second.process.send_signal(signal.SIGTERM)  # systemd stopping the unit
        assert second.process.wait(timeout=30) == 0
        second.wait_for("scheduler stopped", 5)
    finally:
        first.stop()
        if second is not None:
            second.stop()


def test_no_wait_exits_when_another_process_runs_the_scheduler(tmp_path):
    instance = tmp_path / "instance"
    env = environment(f"sqlite:///{instance / 'nhiemvu.db'}", instance)
    flask("db", "upgrade", env=env)
    holder = FileSchedulerLock(instance / "scheduler.lock")
    assert holder.acquire()
    try:
        result = flask("jobs", "run", "--no-wait", env=env, check=False)
    finally:
        holder.release()
    assert result.returncode == 1
    assert "another process already runs the scheduler" in result.stderr


@pytest.fixture
def postgresql_url(fresh_url: str) -> str:
    if not fresh_url.startswith("postgresql"):
        pytest.skip("the advisory lock is PostgreSQL's")
    return fresh_url


def test_the_advisory_lock_is_held_by_one_session(postgresql_url):
    first, second = AdvisoryLock(postgresql_url), AdvisoryLock(postgresql_url)
    try:
        assert first.acquire() is True
        assert second.acquire() is False
        assert first.alive() is True
        assert second.alive() is False
        first.release()
        assert second.acquire() is True
        assert first.acquire() is False
    finally:
        first.release()
        second.release()


def test_a_holder_whose_session_is_cut_knows_it_lost_the_lock(postgresql_url):
    holder, standby = AdvisoryLock(postgresql_url), AdvisoryLock(postgresql_url)
    admin = create_engine(postgresql_url, isolation_level="AUTOCOMMIT")
    try:
        assert holder.acquire()
        # The server ends the holder's session (a restart, a network cut, an administrator).
        with admin.connect() as connection:
            ended = connection.scalar(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE application_name = 'nhiemvu scheduler' AND datname = :db"
                ),
                {"db": make_url(postgresql_url).database},
            )
        assert ended == 1
        assert standby.acquire() is True  # released with the session
        assert holder.alive() is False  # and the old holder sees it
        assert holder.alive() is False  # for good: a new connection would not hold it
    finally:
        holder.release()
        standby.release()
        admin.dispose()


def test_the_package_imports_without_fcntl():
    # Windows has no fcntl: every module of the app must import without it.
    script = textwrap.dedent(
        """
        import importlib, pkgutil, sys
        sys.modules["fcntl"] = None  # any `import fcntl` now raises ImportError
        import app
        names = [m.name for m in pkgutil.walk_packages(app.__path__, "app.")]
        for name in names:
            importlib.import_module(name)
        print(len(names))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 100


def test_the_file_lock_is_one_per_file(tmp_path: Path):
    first, second = FileSchedulerLock(tmp_path / "a.lock"), FileSchedulerLock(tmp_path / "a.lock")
    other = FileSchedulerLock(tmp_path / "b.lock")
    try:
        assert first.acquire() is True
        assert second.acquire() is False
        assert other.acquire() is True
        assert first.alive() is True
        first.release()
        assert first.alive() is False
        assert second.acquire() is True
    finally:
        for lock in (first, second, other):
            lock.release()
