"""The `reminders` job end to end: mails through a real SMTP server, the bell, exactly once."""

from __future__ import annotations

from datetime import date

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select

from app.clock import today_local
from app.notifications.models import MailOutbox, MailState, Notification
from app.notifications.outbox import undelivered_mail
from app.reminders import services
from app.reminders.models import ReminderLog
from app.reminders.services import run_reminders
from tests.reminders import points as p
from tests.reminders.conftest import BASE_URL, free_port, mail_config

AGENCY_A = "vanthu@sotn.example.vn"
MEMBER = "chuyenvien@sotn.example.vn"
AGENCY_B = "vanthu@btgh.example.vn"
LEADER = "pct@ubnd.example.vn"
OFFICE = "vanphong@ubnd.example.vn"


def run(app, db, day: date, port: int, **kwargs):
    config = mail_config(app, port, **kwargs.pop("config", {}))
    with app.app_context(), freeze_time(p.moment(day)):
        return run_reminders(db, today_local(), config=config, **kwargs)


def _count(db, model, *where) -> int:
    return db.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _logs(db, reminder_world) -> list[tuple]:
    ids = [reminder_world.due.id, reminder_world.extended.id]
    rows = db.execute(
        select(ReminderLog.task_id, ReminderLog.recipient, ReminderLog.kind, ReminderLog.occurrence)
        .where(ReminderLog.task_id.in_(ids))
        .order_by(ReminderLog.id)
    )
    return [tuple(row) for row in rows]


def test_an_agency_gets_one_mail_in_vietnamese_with_links(app, db, reminder_world, smtp):
    inbox, port = smtp
    run(app, db, p.DUE_TODAY, port)
    mails = inbox.to(AGENCY_A)
    assert len(mails) == 1
    mail = mails[0]
    rcpts = next(r for r, m in inbox.messages if m is mail)
    assert set(rcpts) == {AGENCY_A, "giamdoc@sotn.example.vn", MEMBER}
    assert mail["Subject"] == ("[Bình Định] Nhắc việc ngày 17/03/2027: Sở Thử nghiệm Nhắc việc")
    assert mail["From"] == "nhiemvu@ubnd.example.vn"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "Đến hạn hôm nay (1):" in text
    assert "1. Xây dựng kế hoạch chuyển đổi số (hạn 17/03/2027)" in text
    assert f"{BASE_URL}/tasks/{reminder_world.due.id}" in text
    assert f'href="{BASE_URL}/tasks/{reminder_world.due.id}"' in html
    # Agency B is told of its extended deadline (7 working days ahead), in its own mail.
    other = inbox.to(AGENCY_B)
    assert len(other) == 1
    assert "Còn 7 ngày làm việc đến hạn" in other[0].get_body(("plain",)).get_content()
    assert inbox.to(LEADER) == []  # nothing overdue yet
    # The bell: the department user has the reminder, linked to the task.
    note = db.scalar(select(Notification).where(Notification.user_id == reminder_world.member.id))
    assert note.link == f"/tasks/{reminder_world.due.id}"
    assert "Đến hạn hôm nay" in note.message


def test_a_second_run_sends_nothing_more(app, db, reminder_world, smtp):
    inbox, port = smtp
    first = run(app, db, p.DUE_TODAY, port)
    logs = _logs(db, reminder_world)
    notes = _count(db, Notification)
    sent = len(inbox.messages)
    second = run(app, db, p.DUE_TODAY, port)
    assert first.given > 0
    assert second.given == 0
    # What is planned again was given by the first run; escalations given once (the seeded
    # tasks are long overdue) are not even planned again.
    assert 0 < second.already_given < first.given + first.already_given
    assert second.planned < first.planned
    assert _logs(db, reminder_world) == logs
    assert _count(db, Notification) == notes
    assert len(inbox.messages) == sent


def test_leader_and_office_are_told_of_escalations_once_after_downtime(
    app, db, reminder_world, smtp
):
    inbox, port = smtp
    # The scheduler was down from before the due date to the escalation day: one catch-up
    # overdue reminder (the current weekly round), not one per missed day.
    run(app, db, p.ESCALATION, port)
    agency, leader = f"agency:{reminder_world.agency_a.id}", f"leader:{reminder_world.leader.id}"
    assert [log for log in _logs(db, reminder_world) if log[0] == reminder_world.due.id] == [
        (reminder_world.due.id, agency, "overdue", p.ESCALATION),
        (reminder_world.due.id, leader, "escalation", p.DUE),
        (reminder_world.due.id, leader, "overdue", p.ESCALATION),
        (reminder_world.due.id, "office", "escalation", p.DUE),
    ]
    leader_mail = inbox.to(LEADER)
    assert len(leader_mail) == 1
    body = leader_mail[0].get_body(("plain",)).get_content()
    assert "Quá hạn lâu (đã báo cáo lãnh đạo) (1):" in body
    assert "Quá hạn (1):" in body
    office_mail = inbox.to(OFFICE)
    assert len(office_mail) == 1
    assert "Xây dựng kế hoạch chuyển đổi số" in office_mail[0].get_body(("plain",)).get_content()
    # The rest of the week adds nothing for this task; seven days later it is reminded again.
    before = len(_logs(db, reminder_world))
    for day in (date(2027, 4, 1), date(2027, 4, 2), date(2027, 4, 5), date(2027, 4, 6)):
        run(app, db, day, port)
    assert [
        log for log in _logs(db, reminder_world)[before:] if log[0] == reminder_world.due.id
    ] == []
    run(app, db, date(2027, 4, 7), port)
    assert [
        log for log in _logs(db, reminder_world)[before:] if log[0] == reminder_world.due.id
    ] == [
        (reminder_world.due.id, agency, "overdue", date(2027, 4, 7)),
        (reminder_world.due.id, leader, "overdue", date(2027, 4, 7)),
    ]
    assert len(inbox.to(LEADER)) == 2


def test_dry_run_writes_nothing_and_says_who_would_receive_what(app, db, reminder_world, smtp):
    inbox, port = smtp
    counts = (_count(db, ReminderLog), _count(db, MailOutbox), _count(db, Notification))
    summary = run(app, db, p.ESCALATION, port, dry_run=True)
    assert (_count(db, ReminderLog), _count(db, MailOutbox), _count(db, Notification)) == counts
    assert inbox.messages == []
    with app.app_context():
        text = summary.describe()
    assert "Nhắc việc ngày 31/03/2027 (chạy thử, không ghi và không gửi gì):" in text
    lines = text.splitlines()
    at = lines.index("- Sở Thử nghiệm Nhắc việc")
    assert lines[at + 1] == (
        "    thư tới: vanthu@sotn.example.vn, giamdoc@sotn.example.vn, "
        "chuyenvien@sotn.example.vn; chuông: 1 người dùng"
    )
    assert lines[at + 2 : at + 4] == [
        "    Quá hạn: 1",
        f"      • [#{reminder_world.due.id}] 1. Xây dựng kế hoạch chuyển đổi số — hạn 17/03/2027, "
        "quá hạn 10 ngày làm việc",
    ]
    leader = lines.index("- Người dùng rem-leader")
    assert lines[leader + 2 : leader + 4] == [
        "    Quá hạn lâu (đã báo cáo lãnh đạo): 1",
        f"      • [#{reminder_world.due.id}] 1. Xây dựng kế hoạch chuyển đổi số — hạn 17/03/2027, "
        "quá hạn 10 ngày làm việc",
    ]
    # What a real run then gives is what the dry run announced.
    real = run(app, db, p.ESCALATION, port)
    assert real.given == summary.given


def test_a_failed_delivery_is_retried_on_the_next_run(app, db, reminder_world, smtp):
    inbox, port = smtp
    down = run(app, db, p.DUE_TODAY, port, config={"MAIL_PORT": free_port()})
    assert down.mails_failed >= 2
    assert down.mails_sent == 0
    failed = db.scalars(select(MailOutbox).where(MailOutbox.state == MailState.FAILED)).all()
    assert failed
    assert all(m.last_error and m.attempts == 1 for m in failed)
    assert set(failed) <= set(undelivered_mail(db))  # what administrators see
    # The reminders are logged (they must not be given twice) but not sent.
    assert _logs(db, reminder_world)
    assert inbox.messages == []
    again = run(app, db, p.DUE_TODAY, port)
    assert again.given == 0
    assert again.mails_sent == down.mails_failed
    assert len(inbox.to(AGENCY_A)) == 1
    assert _count(db, MailOutbox, MailOutbox.state != MailState.SENT) == 0


def test_a_run_that_dies_halfway_is_finished_by_the_next(
    app, db, reminder_world, smtp, monkeypatch
):
    inbox, port = smtp
    real_render = services.render_digest
    calls = []

    def render_then_die(*args, **kwargs):
        calls.append(args[0].key)
        if len(calls) == 2:
            raise RuntimeError("killed")
        return real_render(*args, **kwargs)

    monkeypatch.setattr(services, "render_digest", render_then_die)
    with pytest.raises(RuntimeError, match="killed"):
        run(app, db, p.DUE_TODAY, port)
    db.rollback()
    done_first = {row[1] for row in db.execute(select(ReminderLog.task_id, ReminderLog.recipient))}
    assert calls[0] in done_first
    assert calls[1] not in done_first
    monkeypatch.setattr(services, "render_digest", real_render)
    run(app, db, p.DUE_TODAY, port)
    # Every recipient got exactly one mail, the first one's from the dying run.
    for address in (AGENCY_A, AGENCY_B):
        assert len(inbox.to(address)) == 1
    keys = db.execute(
        select(ReminderLog.task_id, ReminderLog.recipient, ReminderLog.kind, ReminderLog.occurrence)
    ).all()
    assert len(keys) == len(set(keys))


def test_user_text_cannot_inject_headers(app, db, reminder_world, smtp):
    inbox, port = smtp
    reminder_world.agency_a.name = "Sở A\r\nBcc: attacker@evil.example\r\nX-Injected: yes"
    reminder_world.agency_a.email = "vanthu@sotn.example.vn\r\nBcc: attacker@evil.example"
    db.commit()
    run(app, db, p.DUE_TODAY, port)
    assert all("attacker@evil.example" not in rcpts for rcpts, _m in inbox.messages)
    mail = inbox.to(MEMBER)[0]
    assert mail["Bcc"] is None
    assert mail["X-Injected"] is None
    assert "\n" not in mail["Subject"]
