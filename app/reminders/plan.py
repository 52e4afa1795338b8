"""Which reminders fall due on a day: set-based SQL picks the tasks, the calendar the kinds.

Rules (``day`` is the day the job runs for; nothing is planned on a day off, the next
working day catches up):

* a due date on a day off counts from the next working day (it moves forward, never back);
* ``upcoming_K``: K working days before the due date in force, for K in REMINDER_DAYS_BEFORE.
  A reminder missed while the job was down is given late only while it is the nearest one
  still ahead: 5 working days before, an unsent ``upcoming_7`` goes out; 2 days before, only
  ``upcoming_3`` does;
* ``due_today`` on the due date;
* ``overdue`` on the first working day after it, then again once 7 days have passed since
  the last one (the next working day if that is a day off) while the task is open; its
  occurrence is the day it is given, so a catch-up run after days of downtime gives one;
* ``escalation`` once, after REMINDER_ESCALATE_AFTER working days overdue, to the
  supervising leader (the task's, else its agency's) and the office;
* ``report_request``: every open task whose lead agency has not reported on it for the
  current quarter (its Decree 09 cut-off, REPORT_PERIODS), REMINDER_REPORT_DAYS_BEFORE
  working days before the cut-off (0: never); continuous and unspecified tasks included;
* recurring tasks are reminded of each occurrence (upcoming and due today); continuous and
  unspecified deadlines are not reminded of a due date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.agencies.models import Agency
from app.reminders.models import ReminderLog
from app.reports.periods import DECREE09, Period, PeriodKind, period_containing
from app.tasks.calendar import office_calendar
from app.tasks.deadlines import Deadline, DeadlineKind, parse_deadline
from app.tasks.models import ProgressUpdate, ReviewState, Status, Task, UpdateKind
from app.tasks.workdays import WorkCalendar

DUE_TODAY = "due_today"
OVERDUE = "overdue"
ESCALATION = "escalation"
REPORT_REQUEST = "report_request"
WEEK = timedelta(days=7)
LOOK_BACK = timedelta(days=15)
DEFAULT_DAYS_BEFORE = (7, 3, 1)
DEFAULT_ESCALATE_AFTER = 10
DEFAULT_REPORT_DAYS_BEFORE = 5
DATED = (DeadlineKind.DATE, DeadlineKind.PERIOD)


def upcoming(days: int) -> str:
    return f"upcoming_{days}"


@dataclass(frozen=True, order=True)
class Reminder:
    """One task to remind its agency of, on one day."""

    agency_id: int
    task_id: int
    kind: str
    occurrence: date  # the key's date: the due date, or the overdue round's day
    due: date
    days: int  # working days left (upcoming) or overdue
    title: str
    outline: str | None
    leader_id: int | None  # supervising leader: the task's, else its agency's
    agency_leader_id: int | None  # the agency's supervising leader


@dataclass
class ReminderPlan:
    """The day's reminders, before anyone is told."""

    day: date
    reminders: list[Reminder] = field(default_factory=list)

    def by_kind(self, kind: str) -> list[Reminder]:
        return [r for r in self.reminders if r.kind == kind]


@dataclass
class _Rules:
    day: date
    calendar: WorkCalendar
    days_before: Sequence[int]
    escalate_after: int

    def __post_init__(self) -> None:
        self._cache: dict[tuple[date, bool], list[tuple[str, date, int]]] = {}

    def kinds(self, due: date, *, recurring: bool = False) -> list[tuple[str, date, int]]:
        """(kind, occurrence, days) reminders due on `day` for a task due on `due`."""
        key = (due, recurring)
        if key not in self._cache:
            self._cache[key] = self._kinds(due, recurring)
        return self._cache[key]

    def _kinds(self, due: date, recurring: bool) -> list[tuple[str, date, int]]:
        cal, day = self.calendar, self.day
        deadline = cal.next_working_day(due)
        if deadline == day:
            return [(DUE_TODAY, due, 0)]
        if deadline > day:
            left = cal.working_days_between(day, deadline)
            ahead = [k for k in self.days_before if k >= left]
            return [(upcoming(min(ahead)), due, left)] if ahead else []
        if recurring:
            return []
        late = cal.working_days_between(deadline, day)
        found = [(OVERDUE, day, late)]
        if late >= self.escalate_after:
            found.append((ESCALATION, due, late))
        return found


def _occurrence(deadline: Deadline, rules: _Rules) -> date | None:
    """The occurrence whose deadline (moved forward off days off) is today or next."""
    # An occurrence on a day off falls due on the next working day: look back past a Tết.
    earlier = deadline.occurrence_on_or_after(rules.day - LOOK_BACK)
    if earlier is not None and rules.calendar.next_working_day(earlier) >= rules.day:
        return earlier
    return deadline.occurrence_on_or_after(rules.day)


def _reminded_overdue_this_week(session: Session, day: date) -> set[int]:
    """Tasks whose overdue reminder went out in the 6 days before `day` (not today: a run
    repeated today must still see its own reminders, to skip them by their key)."""
    return set(
        session.scalars(
            select(ReminderLog.task_id)
            .where(
                ReminderLog.kind == OVERDUE,
                ReminderLog.occurrence > day - WEEK,
                ReminderLog.occurrence < day,
            )
            .distinct()
        )
    )


def _horizon(rules: _Rules) -> date:
    """The furthest due date an upcoming reminder can be about today."""
    return rules.calendar.add_working_days(rules.day, max(rules.days_before, default=0)) + WEEK


def plan_reminders(
    session: Session,
    day: date,
    *,
    days_before: Sequence[int] | None = None,
    escalate_after: int | None = None,
    report_days_before: int | None = None,
    calendar: WorkCalendar | None = None,
) -> ReminderPlan:
    """The reminders due on `day`, one row per (task, kind); nothing on a day off. The
    settings default to REMINDER_DAYS_BEFORE and REMINDER_ESCALATE_AFTER of the app."""
    config = current_app.config if has_app_context() else {}
    if days_before is None:
        days_before = config.get("REMINDER_DAYS_BEFORE", DEFAULT_DAYS_BEFORE)
    if escalate_after is None:
        escalate_after = config.get("REMINDER_ESCALATE_AFTER", DEFAULT_ESCALATE_AFTER)
    if report_days_before is None:
        report_days_before = config.get("REMINDER_REPORT_DAYS_BEFORE", DEFAULT_REPORT_DAYS_BEFORE)
    period_mode = config.get("REPORT_PERIODS", DECREE09)
    plan = ReminderPlan(day)
    calendar = calendar or office_calendar(session)
    if not calendar.is_working_day(day):
        return plan
    rules = _Rules(day, calendar, tuple(days_before), escalate_after)
    due = func.coalesce(Task.extended_due, Task.deadline_due)
    columns = (
        Task.id,
        Task.lead_agency_id,
        due.label("due"),
        Task.title,
        Task.outline,
        func.coalesce(Task.supervisor_id, Agency.supervisor_id),
        Agency.supervisor_id,
    )
    open_tasks = (
        select(*columns)
        .join(Agency, Agency.id == Task.lead_agency_id)
        .where(Task.deleted_at.is_(None), Task.status != Status.COMPLETED)
    )
    dated = open_tasks.where(Task.deadline_kind.in_(DATED), due <= _horizon(rules))
    recent = _reminded_overdue_this_week(session, day)
    for task_id, agency_id, due_on, title, outline, leader, agency_leader in session.execute(dated):
        for kind, occurrence, days in rules.kinds(due_on):
            if kind == OVERDUE and task_id in recent:
                continue
            plan.reminders.append(
                Reminder(
                    agency_id, task_id, kind, occurrence, due_on, days, title, outline,
                    leader, agency_leader,
                )
            )  # fmt: skip
    recurring = open_tasks.add_columns(Task.deadline_text, Task.assigned_on).where(
        Task.deadline_kind == DeadlineKind.RECURRING
    )
    for row in session.execute(recurring):
        task_id, agency_id, _due, title, outline, leader, agency_leader, text, assigned = row
        occurrence_due = _occurrence(parse_deadline(text, reference=assigned or day), rules)
        if occurrence_due is None:
            continue
        for kind, occurrence, days in rules.kinds(occurrence_due, recurring=True):
            plan.reminders.append(
                Reminder(
                    agency_id, task_id, kind, occurrence, occurrence_due, days, title, outline,
                    leader, agency_leader,
                )
            )  # fmt: skip
    if report_days_before:
        _report_requests(session, plan, open_tasks, rules, report_days_before, period_mode)
    plan.reminders.sort()
    return plan


def current_period(day: date, mode: str = DECREE09) -> Period:
    """The quarter whose data cut-off `day` falls in (Decree 09: 15/12 → 14/03 is Q1)."""
    period = period_containing(day, PeriodKind.QUARTER)
    while period.cutoff(mode)[1] < day:
        period = period.next()
    while period.previous().cutoff(mode)[1] >= day:
        period = period.previous()
    return period


def _report_requests(
    session: Session, plan: ReminderPlan, open_tasks: Any, rules: _Rules, days: int, mode: str
) -> None:
    """Open tasks whose lead agency has not reported in the current quarter, from `days`
    working days before its cut-off to the cut-off itself (a missed day is caught up)."""
    period = current_period(rules.day, mode)
    first, last = period.cutoff(mode)
    if not rules.calendar.add_working_days(last, -days) <= rules.day <= last:
        return
    reported = (
        select(ProgressUpdate.id)
        .where(
            ProgressUpdate.task_id == Task.id,
            ProgressUpdate.kind == UpdateKind.REPORT,
            ProgressUpdate.review_state != ReviewState.RETURNED,
            or_(
                ProgressUpdate.period == period.code,
                ProgressUpdate.reported_on.between(first, last),
            ),
        )
        .exists()
    )
    left = rules.calendar.working_days_between(rules.day, last)
    for task_id, agency_id, _due, title, outline, leader, agency_leader in session.execute(
        open_tasks.where(~reported)
    ):
        plan.reminders.append(
            Reminder(
                agency_id, task_id, REPORT_REQUEST, last, last, left, title, outline,
                leader, agency_leader,
            )
        )  # fmt: skip
