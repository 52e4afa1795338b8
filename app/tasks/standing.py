"""A task's standing: the official four-way classification of Government Office reports.

- **done on time** (hoàn thành đúng hạn): completed, on or before the due date;
- **done late** (hoàn thành quá hạn): completed after the due date;
- **on track** (chưa hoàn thành, trong hạn): not completed, the due date not yet passed;
- **overdue** (chưa hoàn thành, quá hạn): not completed and the due date has passed;
- plus **no deadline** for tasks with nothing to be late against: continuous ("Thường
  xuyên") and unspecified deadlines ("Theo lộ trình …"), and recurrences without a calendar
  anchor ("định kỳ hai năm một lần").

How the due date is chosen:
- an approved extension (gia hạn) replaces the due date; the original stays on record;
- a date or a period: the last due date named (the end of "Giai đoạn 2023-2025"; 2027 for
  "2023; 2027": the task is open until its last step is done);
- recurring: the occurrence current on the day judged. An open recurring task is judged
  against the occurrence due on or after today, so it is on track; lateness of a single
  occurrence shows in its period's progress report, not here. A completed recurring task
  completed its current occurrence: done on time.
- "Một phần" (partial) is not completed.
- a completed task without a completion date is counted on time (the seeded appendix records
  "Hoàn thành" without a date; nothing says it was late).

`standing()` judges one task in Python; `count_standings()` counts many in one SQL statement.
Both implement the rules above and are property-tested against each other.
`cached_count_standings()` keeps the counts of the dashboard, recounting only when a task has
changed (see `tasks_fingerprint`) or the day has.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    bindparam,
    case,
    func,
    literal,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session

from app.agencies.models import Agency
from app.labels import LabelledEnum
from app.tasks.deadlines import DeadlineKind as Kind
from app.tasks.models import Status, Task


class Standing(LabelledEnum):
    DONE_ON_TIME = "done_on_time", _l("Done on time")
    DONE_LATE = "done_late", _l("Done late")
    ON_TRACK = "on_track", _l("In progress, within deadline")
    OVERDUE = "overdue", _l("Overdue")
    NO_DEADLINE = "no_deadline", _l("No deadline")


UNDATED = (Kind.CONTINUOUS, Kind.UNSPECIFIED)
# Kinds with a single due date that can pass: only these are ever overdue.
DUE_KINDS = (Kind.DATE, Kind.PERIOD)


def standing(task: Task, today: date) -> Standing:
    """The standing of one task on `today`."""
    due = task.effective_due
    if task.deadline_kind in UNDATED or due is None:
        return Standing.NO_DEADLINE
    if task.status == Status.COMPLETED:
        if task.deadline_kind == Kind.RECURRING:
            return Standing.DONE_ON_TIME
        done = task.completed_on
        return Standing.DONE_ON_TIME if done is None or done <= due else Standing.DONE_LATE
    if task.deadline_kind == Kind.RECURRING or due >= today:
        return Standing.ON_TRACK
    return Standing.OVERDUE


def effective_due_column() -> ColumnElement[date]:
    """SQL for Task.effective_due: the extended due date when there is one."""
    return func.coalesce(Task.extended_due, Task.deadline_due)


def standing_expression(today: date) -> ColumnElement[str]:
    """The same rules as `standing()`, as a SQL CASE over the tasks table."""
    completed = Task.status == Status.COMPLETED
    recurring = Task.deadline_kind == Kind.RECURRING
    due = effective_due_column()
    on_time = or_(Task.completed_on.is_(None), Task.completed_on <= due)
    return case(
        (or_(Task.deadline_kind.in_(UNDATED), due.is_(None)), Standing.NO_DEADLINE),
        (and_(completed, recurring), Standing.DONE_ON_TIME),
        (and_(completed, on_time), Standing.DONE_ON_TIME),
        (completed, Standing.DONE_LATE),
        (or_(recurring, due >= today), Standing.ON_TRACK),
        else_=literal(Standing.OVERDUE.value),
    )


@dataclass(frozen=True)
class StandingFilters:
    """What the counts are narrowed by."""

    directive_ids: tuple[int, ...] = ()
    agency_id: int | None = None
    supervisor_id: int | None = None  # the task's own supervisor
    # The vice-chair overseeing the lead agency (Agency.supervisor_id), whoever the task names.
    agency_supervisor_id: int | None = None
    # A window on the effective due date, both ends included; undated tasks fall outside it.
    due_from: date | None = None
    due_to: date | None = None


@dataclass
class StandingCounts:
    """The counts of one agency (or of every agency, for the total)."""

    counts: dict[Standing, int] = field(default_factory=lambda: dict.fromkeys(Standing, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def with_deadline(self) -> int:
        return self.total - self.counts[Standing.NO_DEADLINE]

    @property
    def on_time_percent(self) -> float | None:
        """Share of tasks with a deadline that are done on time or still within it."""
        if not self.with_deadline:
            return None
        good = self.counts[Standing.DONE_ON_TIME] + self.counts[Standing.ON_TRACK]
        return round(100 * good / self.with_deadline, 1)


def overdue_condition(today: date) -> ColumnElement[bool]:
    """The tasks `standing_expression` calls overdue, as plain conditions an index can serve:
    open, a date or period deadline, and its due date in force before `today`.

    The constants are written into the statement, as `OPEN_DATED` has them: a database sees
    that the rows are all in the partial index ix_tasks_open_dated only from the values
    themselves (SQLite never from a bound parameter; PostgreSQL not in a generic plan)."""
    return and_(
        Task.status != literal(Status.COMPLETED, Task.status.type, literal_execute=True),
        Task.deadline_kind.in_(
            bindparam(
                None,
                list(DUE_KINDS),
                type_=Task.deadline_kind.type,
                expanding=True,
                literal_execute=True,
            )
        ),
        effective_due_column() < today,
    )


def count_standings(
    session: Session, today: date, filters: StandingFilters | None = None
) -> dict[int | None, StandingCounts]:
    """Standing counts per lead agency (None: tasks without one), in one SQL statement.

    The statement groups by lead agency, deadline kind and status (`ix_tasks_standing` on
    SQLite, `ix_tasks_live_standing` on PostgreSQL hold them and the dates, in that order, so
    the tasks are counted from the index alone, group after group, without sorting) and
    counts in each group only what those do not settle: the tasks without a due date, and
    those past it (completed after it, or still open when it is over). The rules are then
    applied once per group here, instead of a CASE per standing per task in SQL.
    """
    filters = filters or StandingFilters()
    due = effective_due_column()
    completed = Task.status == Status.COMPLETED
    past = or_(
        and_(completed, Task.completed_on > due),
        and_(Task.status != Status.COMPLETED, due < today),
    )
    statement = (
        select(
            Task.lead_agency_id,
            # As plain strings: the members compare equal to them (StrEnum), and three thousand
            # groups need not each go through the Enum types' lookups.
            type_coerce(Task.deadline_kind, String),
            type_coerce(Task.status, String),
            func.count().label("tasks"),
            func.count().filter(due.is_(None)).label("undated"),
            func.count().filter(past).label("past"),
        )
        .where(Task.deleted_at.is_(None))
        .group_by(Task.lead_agency_id, Task.deadline_kind, Task.status)
    )
    if filters.directive_ids:
        statement = statement.where(Task.directive_id.in_(filters.directive_ids))
    if filters.agency_id is not None:
        statement = statement.where(Task.lead_agency_id == filters.agency_id)
    if filters.supervisor_id is not None:
        statement = statement.where(Task.supervisor_id == filters.supervisor_id)
    if filters.agency_supervisor_id is not None:
        # A subquery keeps it one statement and the grouping on the tasks table alone.
        supervised = select(Agency.id).where(Agency.supervisor_id == filters.agency_supervisor_id)
        statement = statement.where(Task.lead_agency_id.in_(supervised))
    if filters.due_from is not None:
        statement = statement.where(due >= filters.due_from)
    if filters.due_to is not None:
        statement = statement.where(due <= filters.due_to)
    result: dict[int | None, StandingCounts] = {}
    # Through the connection: plain rows, without the ORM's per-row work on 3,000 groups.
    rows = session.connection().execute(statement).all()
    for agency_id, kind, status, tasks, undated, past in rows:
        if agency_id not in result:
            result[agency_id] = StandingCounts()
        _add_group(result[agency_id].counts, kind, status, tasks, undated, past)
    return result


def _add_group(
    counts: dict[Standing, int], kind: str, status: str, tasks: int, undated: int, past: int
) -> None:
    """Add one group's tasks (same kind and status) to `counts`, by the rules of `standing()`.

    `past` counts the group's tasks completed after their due date (completed) or whose due
    date is over (open); tasks without a due date are never among them."""
    if kind in UNDATED:
        counts[Standing.NO_DEADLINE] += tasks
        return
    counts[Standing.NO_DEADLINE] += undated
    dated = tasks - undated
    if status == Status.COMPLETED:
        if kind == Kind.RECURRING:  # its current occurrence is the one completed
            counts[Standing.DONE_ON_TIME] += dated
        else:
            counts[Standing.DONE_LATE] += past
            counts[Standing.DONE_ON_TIME] += dated - past
    elif kind == Kind.RECURRING:  # judged against the occurrence still to come
        counts[Standing.ON_TRACK] += dated
    else:
        counts[Standing.OVERDUE] += past
        counts[Standing.ON_TRACK] += dated - past


# The counts of the last few (day, filters, state of the tasks) asked for, per process.
_COUNTS_CACHE: dict[tuple[Any, ...], dict[int | None, StandingCounts]] = {}
_COUNTS_CACHE_SIZE = 64
_COUNTS_LOCK = threading.Lock()


def tasks_fingerprint(session: Session) -> tuple[int, int, int]:
    """What changes whenever the tasks do, read in a scan of one narrow index.

    Every change to a task goes through the ORM, which bumps its `version` (optimistic
    locking): an edit, a status set by a progress report, an extension, a soft delete or a
    restore adds one to the sum of the versions; a new task adds one to the count and raises
    the highest id (tasks are never deleted from the database). So equal fingerprints mean the
    same tasks, as this session sees them."""
    table = Task.__table__
    connection = session.connection()
    count, versions = connection.execute(
        select(func.count(), func.coalesce(func.sum(table.c.version), 0)).select_from(table)
    ).one()
    top = connection.execute(select(func.max(table.c.id))).scalar()
    return int(count), int(versions), int(top or 0)


def cached_count_standings(
    session: Session, today: date, filters: StandingFilters | None = None
) -> dict[int | None, StandingCounts]:
    """`count_standings`, answered from memory while the tasks and the day stay the same.

    The dashboard counts every live task (~30 ms at 100,000 tasks) for each leader who opens
    it, while the tasks change a few times an hour; the fingerprint costs a sixth of that.
    Nothing is kept across processes, and a change committed by another process changes the
    fingerprint every process reads, so no process shows counts older than the data it reads.
    The agencies a leader supervises are part of the key, as they are now (the counts filter
    on them, and agencies are no tasks)."""
    filters = filters or StandingFilters()
    supervised: tuple[int, ...] = ()
    if filters.agency_supervisor_id is not None:
        supervised = tuple(
            session.scalars(
                select(Agency.id)
                .where(Agency.supervisor_id == filters.agency_supervisor_id)
                .order_by(Agency.id)
            )
        )
    bind = session.get_bind()
    key = (
        id(getattr(bind, "engine", bind)),
        tasks_fingerprint(session),
        today,
        filters,
        supervised,
    )
    with _COUNTS_LOCK:
        cached = _COUNTS_CACHE.get(key)
    if cached is None:
        cached = count_standings(session, today, filters)
        with _COUNTS_LOCK:
            if len(_COUNTS_CACHE) >= _COUNTS_CACHE_SIZE:
                _COUNTS_CACHE.clear()
            _COUNTS_CACHE[key] = cached
    # The callers may add to what they get: they get their own copy.
    return {agency: StandingCounts(dict(c.counts)) for agency, c in cached.items()}


def clear_counts_cache() -> None:
    """Forget every cached count (tests that roll the database back use it)."""
    with _COUNTS_LOCK:
        _COUNTS_CACHE.clear()
