"""A real SMTP server (aiosmtpd), and runs of the reminders in processes of their own (the
small world of agencies, people and tasks is `reminder_world`, tests/fixtures/reminders.py)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any, TypeVar

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.extensions import db as _db
from app.reminders.models import ReminderLog
from tests.conftest import make_app

BASE_URL = "https://nhiemvu.example.vn"
ROOT = Path(__file__).resolve().parents[2]
T = TypeVar("T")


@dataclass
class Inbox:
    """What the SMTP server received."""

    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for rcpts, m in self.messages if address in rcpts]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


def mail_config(app, port: int, **overrides: Any) -> dict[str, Any]:
    return {
        **app.config,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port,
        "MAIL_SENDER": "nhiemvu@ubnd.example.vn",
        "BASE_URL": BASE_URL,
        "BABEL_DEFAULT_LOCALE": "vi",
        **overrides,
    }


@pytest.fixture
def fresh_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A new database of the same kind, committed to (the processes must see the world)."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'concurrent.db'}"
        return
    name = f"nhiemvu_rem_{uuid.uuid4().hex[:8]}"
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(database_url).set(database=name).render_as_string(False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# --- runs in processes of their own (tests of concurrency and crashes) ----------------------


def migrated_app(url: str, build: Callable[[Session], T]) -> tuple[Flask, T]:
    """An app on the database `url`, migrated, with what `build` adds committed."""
    app = make_app(url)
    with app.app_context():
        upgrade()
        built = build(_db.session)
        _db.session.commit()
        _db.session.remove()
    return app, built


def start_run(
    url: str, day: date, port: int, start_at: float, *pause: str
) -> subprocess.Popen[str]:
    """`tests.reminders.concurrent_run` in a process of its own (its arguments: see there)."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.reminders.concurrent_run",
            url,
            day.isoformat(),
            str(port),
            str(start_at),
            *pause,
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finished(run: subprocess.Popen[str]) -> dict[str, int]:
    """What a run reports on its last line, once it has ended well."""
    out, err = run.communicate(timeout=120)
    assert run.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def log_keys(session: Session) -> list[Any]:
    """Every (task, recipient, kind, occurrence) the reminder log holds."""
    return list(
        session.execute(
            select(
                ReminderLog.task_id, ReminderLog.recipient, ReminderLog.kind, ReminderLog.occurrence
            )
        ).all()
    )
