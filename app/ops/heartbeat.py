"""The scheduler's heartbeat: written by the process holding the scheduler lock, read by
/healthz to tell how long ago the jobs' process was last seen alive."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.ops.models import SchedulerHeartbeat

SCHEDULER = "scheduler"


def record_heartbeat(
    session: Session, *, host: str, pid: int, started_at: datetime, now: datetime
) -> None:
    """Note that the scheduler on `host` (process `pid`) is alive at `now`; the caller commits."""
    values = {"host": host[:255], "pid": pid, "started_at": started_at, "beat_at": now}
    updated = session.execute(
        update(SchedulerHeartbeat)
        .where(SchedulerHeartbeat.name == SCHEDULER)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not updated:
        session.add(SchedulerHeartbeat(name=SCHEDULER, **values))
    session.flush()


def last_heartbeat(session: Session) -> SchedulerHeartbeat | None:
    """The latest heartbeat, if a scheduler ever ran."""
    return session.scalar(select(SchedulerHeartbeat).where(SchedulerHeartbeat.name == SCHEDULER))
