"""Administrators see the mail that was not delivered, with its attempts and last error, and
can retry one at once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.notifications.models import MailOutbox, MailState
from tests.conftest import csrf_token, login
from tests.reminders.conftest import free_port


@pytest.fixture
def failed(db) -> MailOutbox:
    mail = MailOutbox(
        kind="agency",
        recipients="vanthu@sotn.example.vn\ngiamdoc@sotn.example.vn",
        subject="[Bình Định] Nhắc việc ngày 17/03/2027: Sở Thử nghiệm",
        body_text="Nhắc việc",
        body_html="<p>Nhắc việc</p>",
        state=MailState.FAILED,
        attempts=2,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
    )
    sent = MailOutbox(
        kind="leader", recipients="pct@example.vn", subject="Đã gửi xong", body_text="x",
        body_html="x", state=MailState.SENT, attempts=1,
    )  # fmt: skip
    db.add_all([mail, sent])
    db.commit()
    return mail


def _admin(app, make_user):
    make_user(Role.ADMIN, "outbox-admin")
    client = app.test_client()
    login(client, "outbox-admin")
    return client


def test_the_page_lists_undelivered_mail_with_its_error(app, db, make_user, failed):
    client = _admin(app, make_user)
    # Administrators reach it from their notifications page.
    assert 'href="/notifications/outbox"' in client.get("/notifications/").get_data(as_text=True)
    page = client.get("/notifications/outbox")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Thư chưa gửi được" in html
    assert "Sở Thử nghiệm" in html
    assert "vanthu@sotn.example.vn<br>giamdoc@sotn.example.vn" in html
    assert "ConnectionRefusedError: [Errno 111] Connection refused" in html
    assert 'data-state="failed"' in html
    assert "Đã gửi xong" not in html  # delivered mail is not listed


def test_other_roles_are_refused(app, db, make_user, failed):
    make_user(Role.OFFICE, "outbox-office")
    client = app.test_client()
    login(client, "outbox-office")
    assert client.get("/notifications/outbox").status_code == 403
    assert "/notifications/outbox" not in client.get("/notifications/").get_data(as_text=True)
    token = csrf_token(client, "/notifications/")
    retry = client.post(f"/notifications/outbox/{failed.id}/retry", data={"csrf_token": token})
    assert retry.status_code == 403
    db.refresh(failed)
    assert failed.attempts == 2


def test_retry_now_delivers_the_mail(app, db, make_user, failed, smtp, monkeypatch):
    inbox, port = smtp
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    client = _admin(app, make_user)
    token = csrf_token(client, "/notifications/outbox")
    # Without the CSRF token nothing happens.
    assert client.post(f"/notifications/outbox/{failed.id}/retry").status_code == 400
    assert inbox.messages == []
    response = client.post(
        f"/notifications/outbox/{failed.id}/retry",
        data={"csrf_token": token},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Đã gửi thư." in response.get_data(as_text=True)
    assert [sorted(rcpts) for rcpts, _m in inbox.messages] == [
        ["giamdoc@sotn.example.vn", "vanthu@sotn.example.vn"]
    ]
    db.expire_all()
    mail = db.scalar(select(MailOutbox).where(MailOutbox.id == failed.id))
    assert (mail.state, mail.attempts, mail.last_error) == (MailState.SENT, 3, None)
    assert 'data-state="failed"' not in response.get_data(as_text=True)
    # A delivered mail cannot be retried (it is not in the list any more).
    again = client.post(f"/notifications/outbox/{failed.id}/retry", data={"csrf_token": token})
    assert again.status_code == 404
    assert len(inbox.messages) == 1


def test_retry_now_that_fails_again_says_why(app, db, make_user, failed, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())
    client = _admin(app, make_user)
    token = csrf_token(client, "/notifications/outbox")
    response = client.post(
        f"/notifications/outbox/{failed.id}/retry",
        data={"csrf_token": token},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "Gửi lại không thành công: ConnectionRefusedError" in html
    db.expire_all()
    mail = db.scalar(select(MailOutbox).where(MailOutbox.id == failed.id))
    assert (mail.state, mail.attempts) == (MailState.FAILED, 3)
