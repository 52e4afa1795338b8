"""Helpers for the tests that run the app as an installation runs it: `flask` commands and
servers in processes of their own, each on a database of its own."""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]
# Variables of the developer's own shell that must not reach the processes under test.
CLEARED = ("DATABASE_URL", "SECRET_KEY", "INSTANCE_PATH", "FLASK_APP", "LOG_FORMAT", "PROXY_COUNT")


def free_port() -> int:
    """A free TCP port on the loopback: from TEST_PORTS ("5160-5179") when set (a shared
    machine's range), else one the system picks."""
    span = os.environ.get("TEST_PORTS")
    candidates = range(0, 1)
    if span:
        low, _, high = span.partition("-")
        candidates = range(int(low), int(high) + 1)
    for port in candidates:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError(f"no free port in {span}")


def make_database(database_url: str, directory: Path) -> tuple[str, str | None]:
    """A new empty database of the same kind as `database_url`: (URL, name to drop)."""
    if database_url.startswith("sqlite"):
        return f"sqlite:///{directory / 'nhiemvu.db'}", None
    name = f"nhiemvu_ops_{uuid.uuid4().hex[:8]}"
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(database_url).set(database=name).render_as_string(False), name


def drop_database(database_url: str, name: str) -> None:
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def fresh_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A new, empty database of the kind under test (dropped afterwards)."""
    url, name = make_database(database_url, tmp_path)
    try:
        yield url
    finally:
        if name:
            drop_database(database_url, name)


def environment(url: str, instance: Path, **extra: str) -> dict[str, str]:
    """The environment of an installation: its database, its instance folder."""
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(
        FLASK_APP="wsgi",
        DATABASE_URL=url,
        INSTANCE_PATH=str(instance),
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


def flask(
    *args: str, env: dict[str, str], input: str | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """`flask ARGS` in a process of its own, as an operator would type it."""
    result = subprocess.run(
        [sys.executable, "-m", "flask", *args],
        cwd=ROOT,
        env=env,
        input=input,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if check:
        assert result.returncode == 0, f"flask {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result


@dataclass
class Running:
    """A process whose standard error (its log) is read line by line as it comes."""

    process: subprocess.Popen[str]
    lines: list[tuple[float, str]] = field(default_factory=list)
    _queue: queue.Queue[tuple[float, str]] = field(default_factory=queue.Queue)
    _reader: threading.Thread | None = None

    @classmethod
    def start(cls, command: list[str], env: dict[str, str]) -> Running:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        running = cls(process)
        running._reader = threading.Thread(target=running._read, daemon=True)
        running._reader.start()
        return running

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self._queue.put((time.monotonic(), line.rstrip("\n")))

    def wait_for(self, needle: str, timeout: float) -> float:
        """When (time.monotonic) a line containing `needle` was logged; fails after
        `timeout` seconds."""
        for moment, line in self.lines:
            if needle in line:
                return moment
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                moment, line = self._queue.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None and self._queue.empty():
                    break
                continue
            self.lines.append((moment, line))
            if needle in line:
                return moment
        raise AssertionError(f"no {needle!r} in the log:\n{self.log()}")

    def drain(self) -> None:
        while not self._queue.empty():
            self.lines.append(self._queue.get())

    def log(self) -> str:
        self.drain()
        return "\n".join(line for _moment, line in self.lines)

    def stop(self) -> None:
        """End the process (if it still runs) and close its pipe."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
        if self._reader is not None:
            self._reader.join(timeout=10)
        if self.process.stderr is not None:
            self.process.stderr.close()
