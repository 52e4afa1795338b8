"""What /healthz reports: the database answers, its schema is at the migrations' head, the
scheduler was seen lately, and mail is not piling up. Counts and ages only: no data."""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.notifications.models import MailOutbox, MailState
from app.ops.heartbeat import last_heartbeat

MISSED_BEATS = 3  # the scheduler is called stale after this many heartbeats missed
OUTBOX_MAX_AGE = timedelta(hours=1)  # mail still unsent after this long is a backlog


@dataclass(frozen=True)
class Health:
    """The checks, and the overall verdict: `fail` (503: take this instance out) when the
    database cannot serve, `degraded` (200) when only the jobs or the mail lag."""

    checks: dict[str, dict[str, Any]]

    @property
    def status(self) -> str:
        if not (self.checks["database"]["ok"] and self.checks["migrations"]["ok"]):
            return "fail"
        if not all(check["ok"] for check in self.checks.values()):
            return "degraded"
        return "ok"

    @property
    def http_status(self) -> int:
        return 503 if self.status == "fail" else 200

    def as_json(self) -> dict[str, Any]:
        return {"status": self.status, "checks": self.checks}


def _seconds(delta: timedelta) -> float:
    return round(max(delta.total_seconds(), 0.0), 1)


def _migrations(session: Session, heads: Collection[str]) -> dict[str, Any]:
    current = sorted(session.scalars(text("SELECT version_num FROM alembic_version")))
    return {"ok": current == sorted(heads), "current": current, "head": sorted(heads)}


def _scheduler(session: Session, now: datetime, heartbeat_seconds: int) -> dict[str, Any]:
    beat = last_heartbeat(session)
    limit = MISSED_BEATS * heartbeat_seconds
    if beat is None:
        return {"ok": False, "heartbeat_age_s": None, "max_age_s": limit}
    age = _seconds(now - beat.beat_at)
    return {"ok": age <= limit, "heartbeat_age_s": age, "max_age_s": limit}


def _outbox(session: Session, now: datetime) -> dict[str, Any]:
    backlog, oldest = session.execute(
        select(func.count(), func.min(MailOutbox.created_at)).where(
            MailOutbox.state != MailState.SENT
        )
    ).one()
    failed = session.scalar(
        select(func.count()).select_from(MailOutbox).where(MailOutbox.state == MailState.FAILED)
    )
    if oldest is not None and oldest.tzinfo is None:  # SQLite gives naive UTC back here
        oldest = oldest.replace(tzinfo=now.tzinfo)
    age = _seconds(now - oldest) if oldest is not None else None
    ok = not failed and (age is None or age <= OUTBOX_MAX_AGE.total_seconds())
    return {"ok": ok, "backlog": backlog, "failed": failed or 0, "oldest_age_s": age}


def check_health(
    session: Session, *, now: datetime, heads: Collection[str], heartbeat_seconds: int
) -> Health:
    """Run every check against the database; a database that does not answer fails them all."""
    started = time.perf_counter()
    try:
        session.execute(text("SELECT 1"))
        database = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
        checks = {
            "database": database,
            "migrations": _migrations(session, heads),
            "scheduler": _scheduler(session, now, heartbeat_seconds),
            "outbox": _outbox(session, now),
        }
    except SQLAlchemyError as error:
        session.rollback()
        failed = {"ok": False, "error": type(error.orig or error).__name__}
        checks = {
            "database": failed,
            "migrations": {"ok": False},
            "scheduler": {"ok": False},
            "outbox": {"ok": False},
        }
    return Health(checks)
