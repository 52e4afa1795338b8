"""The mail outbox: every mail waits here until the SMTP server has taken it.

Each row is claimed by one process before it is sent (a row left "sending" by a run that died
is claimed again after CLAIM_TIMEOUT); a failed delivery stays, with its error, for the next
run or an administrator's retry.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, case, or_, select, update
from sqlalchemy.orm import Session

from app.clock import now_utc
from app.mail import Mailer, MailError, build_message
from app.notifications.models import MailOutbox, MailState

CLAIM_TIMEOUT = timedelta(hours=1)  # a row left "sending" this long was claimed by a dead run


def _claimable(now: Any) -> Any:
    return or_(
        MailOutbox.state.in_((MailState.PENDING, MailState.FAILED)),
        and_(MailOutbox.state == MailState.SENDING, MailOutbox.claimed_at < now - CLAIM_TIMEOUT),
    )


def deliver_outbox(
    session: Session, config: Mapping[str, Any], *, only: Collection[int] | None = None
) -> tuple[int, int]:
    """Send every mail waiting in the outbox (or those of `only`), each claimed by one
    process, over one SMTP connection for the whole batch; (sent, failed)."""
    waiting = select(MailOutbox.id).where(_claimable(now_utc())).order_by(MailOutbox.id)
    if only is not None:
        waiting = waiting.where(MailOutbox.id.in_(list(only)))
    ids = list(session.scalars(waiting))
    session.commit()
    with Mailer(config) as mailer:
        return _deliver(session, config, mailer, ids)


def _deliver(
    session: Session, config: Mapping[str, Any], mailer: Mailer, ids: list[int]
) -> tuple[int, int]:
    sent = failed = 0
    for mail_id in ids:
        now = now_utc()
        claimed = session.execute(
            update(MailOutbox)
            .where(MailOutbox.id == mail_id, _claimable(now))
            .values(state=MailState.SENDING, claimed_at=now, attempts=MailOutbox.attempts + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not claimed:
            session.commit()
            continue
        mail = session.execute(
            select(
                MailOutbox.recipients,
                MailOutbox.subject,
                MailOutbox.body_text,
                MailOutbox.body_html,
            ).where(MailOutbox.id == mail_id)
        ).one()
        session.commit()
        values: dict[str, Any]
        try:
            message = build_message(
                sender=config.get("MAIL_SENDER", "nhiemvu@localhost"),
                recipients=mail.recipients.split("\n"),
                subject=mail.subject,
                text=mail.body_text,
                html=mail.body_html,
            )
            mailer.send(message)
        except MailError as error:
            values = {"state": MailState.FAILED, "last_error": str(error)[:2000]}
            failed += 1
        else:
            values = {"state": MailState.SENT, "sent_at": now_utc(), "last_error": None}
            sent += 1
        session.execute(
            update(MailOutbox)
            .where(MailOutbox.id == mail_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        session.commit()
    return sent, failed


def undelivered_mail(session: Session, limit: int = 500) -> list[MailOutbox]:
    """Mail not delivered yet (failed, waiting, or being sent), failed first, then newest."""
    failed_first = case((MailOutbox.state == MailState.FAILED, 0), else_=1)
    return list(
        session.scalars(
            select(MailOutbox)
            .where(MailOutbox.state != MailState.SENT)
            .order_by(failed_first, MailOutbox.created_at.desc(), MailOutbox.id.desc())
            .limit(limit)
        )
    )


def retry_mail(session: Session, mail: MailOutbox, config: Mapping[str, Any]) -> bool | None:
    """Try to deliver one undelivered mail now: True if the SMTP server took it, False if it
    failed again, None if another run is sending it at this moment (it is left to it)."""
    sent, failed = deliver_outbox(session, config, only=[mail.id])
    if sent:
        return True
    if failed:
        return False
    return None
