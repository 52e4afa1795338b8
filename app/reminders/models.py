"""The reminder log: each reminder given exactly once (its mail waits in the outbox)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import now_utc
from app.db import Base


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
