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
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from app.agencies.models import Agency
from app.periods import DECREE09, Period, PeriodKind, period_containing
from app.reminders.models import ReminderLog
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
        # Working days in (d, day] for each d walked back so far: one walk serves every due
        # date, however old, instead of a count per due date.
        self._back: dict[date, int] = {self.day: 0}
        self._walked = self.day

    def kinds(self, due: date, *, recurring: bool = False) -> list[tuple[str, date, int]]:
        """(kind, occurrence, days) reminders due on `day` for a task due on `due`."""
        key = (due, recurring)
        if key not in self._cache:
            self._cache[key] = self._kinds(due, recurring)
        return self._cache[key]

    def window(self) -> dict[date, list[tuple[str, date, int]]]:
        """The due dates not yet past whose tasks are reminded today, with their kinds."""
        cal, day = self.calendar, self.day
        first = cal.add_working_days(day, -1) + timedelta(days=1)
        last = cal.add_working_days(day, max(self.days_before, default=0))
        found = {}
        due = first
        while due <= last:
            if kinds := self.kinds(due):
                found[due] = kinds
            due += timedelta(days=1)
        return found

    def _late(self, deadline: date) -> int:
        """Working days from `deadline` (before `day`) to `day`."""
        while self._walked > deadline:
            count = self._back[self._walked] + self.calendar.is_working_day(self._walked)
            self._walked -= timedelta(days=1)
            self._back[self._walked] = count
        return self._back[deadline]

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
        late = self._late(deadline)
        found = [(OVERDUE, day, late)]
        if late >= self.escalate_after:
            found.append((ESCALATION, due, late))
        return found


def _order(reminder: Reminder) -> tuple[int, int, str]:
    return (reminder.agency_id, reminder.task_id, reminder.kind)


def _occurrence(deadline: Deadline, rules: _Rules) -> date | None:
    """The occurrence whose deadline (moved forward off days off) is today or next."""
    # An occurrence on a day off falls due on the next working day: look back past a Tết.
    earlier = deadline.occurrence_on_or_after(rules.day - LOOK_BACK)
    if earlier is not None and rules.calendar.next_working_day(earlier) >= rules.day:
        return earlier
    return deadline.occurrence_on_or_after(rules.day)


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
    _dated(session, plan, open_tasks, rules, due)
    _recurring(session, plan, open_tasks, rules)
    if report_days_before:
        _report_requests(session, plan, open_tasks, rules, report_days_before, period_mode)
    plan.reminders.sort(key=_order)
    return plan


def _dated(session: Session, plan: ReminderPlan, open_tasks: Any, rules: _Rules, due: Any) -> None:
    """Date and period deadlines: the calendar, not each task, decides which due dates are
    reminded of today, and the database returns only the tasks that get a reminder."""
    day = rules.day
    window = rules.window()
    last_overdue = rules.calendar.add_working_days(day, -1)  # due on or before: overdue
    escalate_from = rules.calendar.add_working_days(day, -rules.escalate_after)
    # Outer joins on the two small sets of log rows at stake, not a correlated probe per
    # task: PostgreSQL costs correlated probes so high that it JIT-compiles the query, which
    # then takes seconds.
    recent = (
        select(ReminderLog.task_id)
        .where(
            ReminderLog.kind == OVERDUE,
            ReminderLog.occurrence > day - WEEK,
            ReminderLog.occurrence < day,
        )
        .distinct()
        .subquery("recent")
    )
    # The office's digest is given last (digests go in key order: agency, leader, office),
    # so its log row means the escalation reached everyone; a crash in between leaves it due.
    escalated = (
        select(ReminderLog.task_id, ReminderLog.occurrence)
        .where(ReminderLog.recipient == "office", ReminderLog.kind == ESCALATION)
        .subquery("escalated")
    )
    was_reminded = recent.c.task_id.is_not(None)
    was_escalated = escalated.c.task_id.is_not(None)
    fresh_overdue = or_(~was_reminded, and_(due <= escalate_from, ~was_escalated))
    dated = (
        open_tasks.add_columns(was_reminded, was_escalated)
        .outerjoin(recent, recent.c.task_id == Task.id)
        .outerjoin(escalated, and_(escalated.c.task_id == Task.id, escalated.c.occurrence == due))
        .where(Task.deadline_kind.in_(DATED))
        .where(or_(due.in_(list(window)), and_(due <= last_overdue, fresh_overdue)))
    )
    for row in session.execute(dated):
        task_id, agency_id, due_on, title, outline, leader_id, agency_leader, was, done = row
        for kind, occurrence, days in rules.kinds(due_on):
            if (kind == OVERDUE and was) or (kind == ESCALATION and done):
                continue
            plan.reminders.append(
                Reminder(
                    agency_id, task_id, kind, occurrence, due_on, days, title, outline,
                    leader_id, agency_leader,
                )
            )  # fmt: skip


def _recurring(session: Session, plan: ReminderPlan, open_tasks: Any, rules: _Rules) -> None:
    """Recurring tasks: each distinct phrase is read once, and only the tasks whose current
    occurrence is reminded of today are fetched."""
    phrases = session.scalars(
        select(Task.deadline_text)
        .where(
            Task.deleted_at.is_(None),
            Task.status != Status.COMPLETED,
            Task.deadline_kind == DeadlineKind.RECURRING,
        )
        .distinct()
    )
    occurrences: dict[str | None, date] = {}
    for phrase in phrases:
        occurrence_due = _occurrence(parse_deadline(phrase, reference=rules.day), rules)
        if occurrence_due is not None and rules.kinds(occurrence_due, recurring=True):
            occurrences[phrase] = occurrence_due
    if occurrences:
        recurring = open_tasks.add_columns(Task.deadline_text).where(
            Task.deadline_kind == DeadlineKind.RECURRING,
            Task.deadline_text.in_(list(occurrences)),
        )
        for row in session.execute(recurring):
            task_id, agency_id, _due, title, outline, leader_id, agency_leader, phrase = row
            occurrence_due = occurrences[phrase]
            for kind, occurrence, days in rules.kinds(occurrence_due, recurring=True):
                plan.reminders.append(
                    Reminder(
                        agency_id, task_id, kind, occurrence, occurrence_due, days, title,
                        outline, leader_id, agency_leader,
                    )
                )  # fmt: skip


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
    # Uncorrelated: the database gathers the reported tasks once (a hashed set) instead of
    # probing each task's updates; task_id is never NULL, so NOT IN is exact.
    reported = select(ProgressUpdate.task_id).where(
        ProgressUpdate.kind == UpdateKind.REPORT,
        ProgressUpdate.review_state != ReviewState.RETURNED,
        or_(
            ProgressUpdate.period == period.code,
            ProgressUpdate.reported_on.between(first, last),
        ),
    )
    left = rules.calendar.working_days_between(rules.day, last)
    for task_id, agency_id, _due, title, outline, leader, agency_leader in session.execute(
        open_tasks.where(Task.id.not_in(reported))
    ):
        plan.reminders.append(
            Reminder(
                agency_id, task_id, REPORT_REQUEST, last, last, left, title, outline,
                leader, agency_leader,
            )
        )  # fmt: skip
