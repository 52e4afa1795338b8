"""The one place that reads the wall clock; everything else asks here (and tests freeze it)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def now_utc() -> datetime:
    """Aware current time in UTC, for `*_at` columns."""
    return datetime.now(UTC)


def today_local() -> date:
    """Today's date in the province (Asia/Ho_Chi_Minh), for deadlines and standings."""
    return datetime.now(UTC).astimezone(LOCAL_TZ).date()


def to_local(moment: datetime) -> datetime:
    """Convert an aware (or naive-UTC, as SQLite returns it) datetime to local time for display."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_TZ)
