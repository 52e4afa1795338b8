"""The office's working calendar: public holidays plus the days the administrator adjusts."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import ValidationFailed
from app.tasks.models import CalendarDay, CalendarDayKind
from app.tasks.workdays import WorkCalendar


def office_calendar(session: Session) -> WorkCalendar:
    """WorkCalendar with this office's extra days off and make-up working days."""
    days = session.scalars(select(CalendarDay)).all()
    return WorkCalendar(
        extra_days_off=[d.day for d in days if d.kind == CalendarDayKind.OFF],
        make_up_days=[d.day for d in days if d.kind == CalendarDayKind.WORK],
    )


def list_calendar_days(session: Session) -> list[CalendarDay]:
    return list(session.scalars(select(CalendarDay).order_by(CalendarDay.day.desc())))


def add_calendar_day(
    session: Session, *, day: date, kind: CalendarDayKind, note: str
) -> CalendarDay:
    """Record an adjustment; one per day, and it must change something."""
    reasons: dict[str, list[str]] = {}
    if session.scalar(select(CalendarDay).where(CalendarDay.day == day)) is not None:
        reasons["day"] = [_("This day already has an adjustment; delete it first.")]
    else:
        public = WorkCalendar()
        if kind == CalendarDayKind.WORK and public.is_working_day(day):
            reasons["kind"] = [_("This day is already a working day.")]
        if kind == CalendarDayKind.OFF and not public.is_working_day(day):
            reasons["kind"] = [_("This day is already a day off.")]
    if reasons:
        raise ValidationFailed(reasons)
    entry = CalendarDay(day=day, kind=kind, note=note.strip())
    session.add(entry)
    session.flush()
    return entry


def delete_calendar_day(session: Session, entry: CalendarDay) -> None:
    session.delete(entry)
    session.flush()
