"""The reminder log (exactly once) and the mail outbox (retried until delivered)."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import now_utc
from app.db import Base, str_enum


class ReminderLog(Base):
    """One reminder given: written before sending, its key makes a second one impossible."""

    __tablename__ = "reminder_log"
    __table_args__ = (
        UniqueConstraint("task_id", "recipient", "kind", "occurrence", name="uq_reminder_log_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    # Who was told: "agency:<id>" (its mailbox and department users), "leader:<user id>", "office".
    recipient: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))  # upcoming_7, due_today, overdue, escalation
    # The due date reminded of (the overdue reminder: the day of its weekly round).
    occurrence: Mapped[date]
    run_day: Mapped[date]  # the day the job ran for
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("mail_outbox.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)


class MailState(enum.StrEnum):
    PENDING = "pending"  # waiting for its first attempt
    SENDING = "sending"  # claimed by one process
    FAILED = "failed"  # the last attempt failed; retried on the next run
    SENT = "sent"


class MailOutbox(Base):
    """One email to send, kept until the SMTP server accepted it."""

    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=now_utc, index=True)
    kind: Mapped[str] = mapped_column(String(20))  # agency, leader, office
    recipients: Mapped[str] = mapped_column(Text)  # addresses, one per line
    subject: Mapped[str] = mapped_column(String(255))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    state: Mapped[MailState] = mapped_column(
        str_enum(MailState), default=MailState.PENDING, index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
