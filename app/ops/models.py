"""What operations keep in the database: the running scheduler's heartbeat."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class SchedulerHeartbeat(Base):
    """The last sign of life of the process running the jobs (one row: whichever holds the
    scheduler lock writes it), read by /healthz."""

    __tablename__ = "scheduler_heartbeats"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int]
    started_at: Mapped[datetime]
    beat_at: Mapped[datetime]
