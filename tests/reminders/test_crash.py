"""A reminders run killed (SIGKILL) after about half the agencies' digests, then run again:
the rest arrive, none twice."""

from __future__ import annotations

import signal
import time
from collections import Counter

from sqlalchemy import func, select

from app.agencies.models import Agency
from app.auth.models import Role, User
from app.directives.models import Directive, DirectiveKind
from app.extensions import db
from app.notifications.models import MailOutbox, MailState, Notification
from app.reminders.models import ReminderLog
from app.tasks.deadlines import DeadlineKind
from app.tasks.models import Task
from tests.reminders import points as p
from tests.reminders.conftest import finished, log_keys, migrated_app, start_run

AGENCIES = 10
KILLED_IN = 6  # the run dies inside the 6th digest's transaction: 5 digests committed


def _build(session) -> dict[str, int]:
    """Ten agencies, each with a mailbox, one department user and one task due today."""
    directive = Directive(kind=DirectiveKind.OTHER, summary="thử nghiệm", issuer="UBND tỉnh")
    session.add(directive)
    users: dict[str, int] = {}
    for number in range(1, AGENCIES + 1):
        agency = Agency(name=f"Sở Thử nghiệm số {number:02d}", email=f"so{number:02d}@example.vn")
        user = User(
            username=f"crash-{number:02d}",
            full_name=f"Chuyên viên số {number:02d}",
            role=Role.DEPARTMENT,
            email=f"cv{number:02d}@example.vn",
            agency=agency,
            password_hash="x",
        )
        session.add_all([agency, user])
        session.add(
            Task(
                directive=directive,
                title=f"Nhiệm vụ số {number:02d}",
                lead_agency=agency,
                deadline_kind=DeadlineKind.DATE,
                deadline_due=p.DUE,
            )
        )
        session.flush()
        users[f"so{number:02d}@example.vn"] = user.id
    return users


def test_a_killed_run_is_finished_by_the_next_none_twice(fresh_url, smtp):
    inbox, port = smtp
    app, users = migrated_app(fresh_url, _build)

    killed = start_run(fresh_url, p.DUE_TODAY, port, time.time(), str(KILLED_IN))
    assert killed.stdout is not None
    assert killed.stdout.readline().strip() == "paused"
    killed.send_signal(signal.SIGKILL)
    killed.communicate(timeout=60)
    assert killed.returncode == -signal.SIGKILL

    with app.app_context():
        session = db.session
        half = set(session.scalars(select(ReminderLog.recipient)))
        # Five whole digests were committed before the kill; the sixth's log rows died with it.
        assert len(half) == KILLED_IN - 1
        assert session.scalar(select(func.count()).select_from(Notification)) == KILLED_IN - 1
        assert Counter(session.scalars(select(MailOutbox.state))) == {
            MailState.PENDING: KILLED_IN - 1
        }
        session.remove()
    assert inbox.messages == []  # mail leaves only after the digests: none was sent

    result = finished(start_run(fresh_url, p.DUE_TODAY, port, time.time()))
    assert result == {"given": AGENCIES - (KILLED_IN - 1), "sent": AGENCIES}

    with app.app_context():
        session = db.session
        keys = log_keys(session)
        assert len(keys) == len(set(keys)) == AGENCIES
        assert {kind for _t, _r, kind, _o in keys} == {"due_today"}
        notes = Counter(session.scalars(select(Notification.user_id)))
        assert notes == dict.fromkeys(users.values(), 1)
        assert Counter(session.scalars(select(MailOutbox.state))) == {MailState.SENT: AGENCIES}
        session.remove()
        db.engine.dispose()
    # Every agency's mailbox and user got exactly one mail: the five queued before the kill
    # and the five given by the second run.
    received = Counter(address for rcpts, _m in inbox.messages for address in rcpts)
    expected = {address: 1 for address in users}
    expected |= {address.replace("so", "cv"): 1 for address in users}
    assert received == expected
