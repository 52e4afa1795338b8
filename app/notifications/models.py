"""What users are told: notifications in the bell, and mail kept in the outbox until delivered."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.clock import now_utc
from app.db import Base, str_enum


class Notification(Base):
    """One message to one user, with a link to what it is about."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=now_utc, index=True)
    kind: Mapped[str] = mapped_column(String(40))  # e.g. "report_returned", "reminder_due"
    message: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(500))  # an app path, never an outside URL
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"), index=True)
    read_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


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
