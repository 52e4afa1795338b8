"""`make run` on the demo data: the embedded scheduler, started after today's 07:30, runs the
reminders at once, and the demo users find them in the bell."""

from __future__ import annotations

import threading
from datetime import datetime, time
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from app import jobs
from app.auth.models import User
from app.clock import LOCAL_TZ
from app.extensions import db as _db
from app.notifications.models import Notification
from app.reminders.models import ReminderLog
from app.seed import load_seeds
from tests.conftest import SEEDS, make_app
from tests.freeze import SEEDED_ON
from tests.reminders.conftest import free_port


@pytest.fixture
def fresh_seeded_url(fresh_url: str) -> str:
    """A database of its own holding the demo data (a live scheduler commits to it)."""
    app = make_app(fresh_url)
    with app.app_context():
        upgrade()
        load_seeds(_db.session, SEEDS, today=SEEDED_ON)
        _db.session.commit()
        _db.session.remove()
        _db.engine.dispose()
    return fresh_url


def test_make_run_fills_the_bell_at_start(
    fresh_seeded_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The embedded scheduler, started (as by `make run`) after today's 07:30 on the demo
    data, runs the reminders at once: the demo users find them in the bell, linked to the
    tasks. Real time (a frozen clock stops APScheduler): today is whatever day it is."""
    app = make_app(fresh_seeded_url)
    app.config["MAIL_SERVER"] = "127.0.0.1"
    app.config["MAIL_PORT"] = free_port()  # nobody listens: the mail waits in the outbox
    now = datetime.now(LOCAL_TZ)
    if now.time() < time(7, 31):
        app.config["JOBS_REMINDERS_AT"] = "00:00"
    monkeypatch.setattr(jobs, "lock_path", lambda _app: tmp_path / "scheduler.lock")
    finished = threading.Event()
    real_run_job = jobs.run_job

    def run_job_and_tell(*args, **kwargs):
        try:
            return real_run_job(*args, **kwargs)
        finally:
            finished.set()

    monkeypatch.setattr(jobs, "run_job", run_job_and_tell)
    try:
        scheduler = jobs.start_embedded_scheduler(app)
        assert scheduler is not None
        assert finished.wait(timeout=120), "no catch-up run"
    finally:
        jobs.stop_embedded_scheduler()
    with app.app_context():
        session = _db.session
        department = session.scalar(select(User).where(User.username == "sotttt"))
        notes = session.scalars(
            select(Notification).where(Notification.user_id == department.id)
        ).all()
        assert notes, "the department's bell is empty"
        assert all(n.kind.startswith("reminder_") for n in notes)
        assert all(n.link == f"/tasks/{n.task_id}" for n in notes)
        assert any("Quá hạn" in n.message for n in notes)
        assert session.scalar(select(func.count()).select_from(ReminderLog).where(
            ReminderLog.run_day == now.date()
        ))  # fmt: skip
        _db.session.remove()
        _db.engine.dispose()
