"""A run's mail leaves over one SMTP connection with one login, not one per message; a
message the server refuses fails alone, a server that hangs up is called again once, a
refused login fails the batch without trying it again for every message."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from freezegun import freeze_time
from sqlalchemy import select

from app.clock import today_local
from app.notifications.models import MailOutbox, MailState
from app.reminders.services import run_reminders
from tests.reminders import points as p
from tests.reminders.conftest import Inbox, free_port, mail_config

LOGIN, PASSWORD = "nhiemvu", "smtp-password-42"
# On the escalation day the world's run sends four digests: agency A, agency B, the
# supervising leader, the office.
DIGESTS = 4


@dataclass
class CountingInbox(Inbox):
    """An inbox that also notes each connection (by the client's port) and each login, and
    can refuse a message or hang up after one."""

    logins: list[tuple[str, bool]] = field(default_factory=list)
    refuse_recipient: str | None = None
    hang_up_after: int | None = None
    peers: list[Any] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if session.peer not in self.peers:
            self.peers.append(session.peer)
        if self.refuse_recipient in envelope.rcpt_tos:
            return "554 5.6.0 message refused"
        reply = await super().handle_DATA(server, session, envelope)
        if self.hang_up_after is not None and len(self.messages) == self.hang_up_after:
            server.loop.call_soon(server.transport.close)
        return reply

    def authenticate(self, server, session, envelope, mechanism, data) -> AuthResult:  # type: ignore[no-untyped-def]
        good = isinstance(data, LoginPassword) and (data.login, data.password) == (
            LOGIN.encode(),
            PASSWORD.encode(),
        )
        self.logins.append((mechanism, good))
        return AuthResult(success=good, handled=False)  # aiosmtpd answers 235 or 535


@pytest.fixture
def server() -> Iterator[tuple[CountingInbox, int]]:
    inbox = CountingInbox()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=inbox.authenticate,
        auth_require_tls=False,  # a test server on the loopback; production uses TLS
        auth_exclude_mechanism=["LOGIN"],  # PLAIN only: one attempt per login
    )
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


def _run(app, db, port: int, password: str = PASSWORD):
    config = mail_config(app, port, MAIL_USERNAME=LOGIN, MAIL_PASSWORD=password)
    with app.app_context(), freeze_time(p.moment(p.ESCALATION)):
        return run_reminders(db, today_local(), config=config)


def _states(db) -> dict[str, MailState]:
    return {
        row.subject: row.state for row in db.execute(select(MailOutbox.subject, MailOutbox.state))
    }


def test_a_run_sends_over_one_connection_with_one_login(app, db, reminder_world, server):
    inbox, port = server
    summary = _run(app, db, port)
    assert summary.mails_sent == DIGESTS
    assert len(inbox.messages) == DIGESTS
    assert len(inbox.peers) == 1
    assert [good for _mechanism, good in inbox.logins] == [True]


def test_a_refused_message_fails_alone(app, db, reminder_world, server):
    inbox, port = server
    inbox.refuse_recipient = "vanthu@btgh.example.vn"  # agency B's digest
    summary = _run(app, db, port)
    assert (summary.mails_sent, summary.mails_failed) == (DIGESTS - 1, 1)
    failed = db.scalar(select(MailOutbox).where(MailOutbox.state == MailState.FAILED))
    assert "Ban Thử nghiệm Gia hạn" in failed.subject
    assert "554" in failed.last_error
    assert len(inbox.peers) == 1  # the connection carried on after the refusal
    assert len(inbox.logins) == 1


def test_a_server_that_hangs_up_is_called_again_once(app, db, reminder_world, server):
    inbox, port = server
    inbox.hang_up_after = 1
    summary = _run(app, db, port)
    assert (summary.mails_sent, summary.mails_failed) == (DIGESTS, 0)
    assert len(inbox.messages) == DIGESTS
    assert len(inbox.peers) == 2
    assert [good for _mechanism, good in inbox.logins] == [True, True]


def test_a_refused_login_fails_the_batch_at_once(app, db, reminder_world, server):
    inbox, port = server
    summary = _run(app, db, port, password="wrong")
    assert (summary.mails_sent, summary.mails_failed) == (0, DIGESTS)
    assert inbox.messages == []
    assert [good for _mechanism, good in inbox.logins] == [False]  # tried once, not 4 times
    errors = set(db.scalars(select(MailOutbox.last_error)))
    assert len(errors) == 1
    assert "SMTPAuthenticationError" in errors.pop()
    # The next run, with the right password, delivers them all, again over one connection.
    again = _run(app, db, port)
    assert again.mails_sent == DIGESTS
    assert set(_states(db).values()) == {MailState.SENT}
    assert len(inbox.peers) == 1
