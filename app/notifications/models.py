"""In-app notifications: what a user is told, shown in the bell."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.clock import now_utc
from app.db import Base


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
