"""Four processes run the reminders job for the same day at once: each reminder once."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import func, select

from app.extensions import db
from app.notifications.models import Notification
from app.reminders.models import MailOutbox, MailState, ReminderLog
from tests.conftest import make_app
from tests.reminders import points as p
from tests.reminders.conftest import build_world

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = 4


def test_four_processes_give_each_reminder_once(fresh_url, smtp):
    inbox, port = smtp
    app = make_app(fresh_url)
    with app.app_context():
        upgrade()
        world = build_world(db.session)
        db.session.commit()
        member_id = world.member.id
        db.session.remove()
    start_at = time.time() + 4
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.reminders.concurrent_run",
                fresh_url,
                p.ESCALATION.isoformat(),
                str(port),
                str(start_at),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    results = []
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    with app.app_context():
        session = db.session
        keys = session.execute(
            select(
                ReminderLog.task_id, ReminderLog.recipient, ReminderLog.kind, ReminderLog.occurrence
            )
        ).all()
        # agency A overdue, agency B overdue, leader overdue + escalation, office escalation.
        assert len(keys) == 5
        assert sum(r["given"] for r in results) == len(keys)
        notes = session.scalar(
            select(func.count()).select_from(Notification).where(Notification.user_id == member_id)
        )
        assert notes == 1
        states = Counter(session.scalars(select(MailOutbox.state)))
        assert states == {MailState.SENT: 4}
        db.session.remove()
        db.engine.dispose()
    # One mail per recipient, whichever process sent it.
    received = Counter(address for rcpts, _m in inbox.messages for address in rcpts)
    assert received == {
        "vanthu@sotn.example.vn": 1,
        "giamdoc@sotn.example.vn": 1,
        "chuyenvien@sotn.example.vn": 1,
        "vanthu@btgh.example.vn": 1,
        "pct@ubnd.example.vn": 1,
        "vanphong@ubnd.example.vn": 1,
    }
    assert sum(r["sent"] for r in results) == 4
