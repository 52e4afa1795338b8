"""Four processes run the reminders job for the same day at once: each reminder once."""

from __future__ import annotations

import time
from collections import Counter

from sqlalchemy import func, select

from app.extensions import db
from app.notifications.models import MailOutbox, MailState, Notification
from tests.fixtures.reminders import build_world
from tests.reminders import points as p
from tests.reminders.conftest import finished, log_keys, migrated_app, start_run

PROCESSES = 4


def test_four_processes_give_each_reminder_once(fresh_url, smtp):
    inbox, port = smtp
    app, member_id = migrated_app(fresh_url, lambda session: build_world(session).member.id)
    start_at = time.time() + 4
    runs = [start_run(fresh_url, p.ESCALATION, port, start_at) for _ in range(PROCESSES)]
    results = [finished(run) for run in runs]
    with app.app_context():
        session = db.session
        keys = log_keys(session)
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
