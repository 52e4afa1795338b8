"""Lists of tasks as of a day: the overdue ones (grouped by lead agency) and the upcoming ones,
paged in SQL with their last explanations fetched in one statement for the whole page; and the
choices the lists are filtered by. The dashboard shows them; the reports print the overdue list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import MappingProxyType
from typing import Any

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session, aliased

from app.agencies.models import Agency
from app.auth.models import Role, User
from app.directives.models import Directive
from app.pagination import Page
from app.tasks.models import ProgressUpdate, ReviewState, Status, Task, UpdateKind
from app.tasks.services import visible_tasks
from app.tasks.standing import UNDATED, effective_due_column, overdue_condition

# On screen and in print; the spreadsheet holds every row (the lead's decision: 500 rows,
# 666 KiB of HTML, made the page slow to build and to show).
OVERDUE_PER_PAGE = 100
UPCOMING_PER_PAGE = 100


@dataclass(frozen=True)
class Choice:
    """A value and its label, for a filter's drop-down."""

    id: int
    label: str


def filter_choices(session: Session) -> dict[str, list[Choice]]:
    """Directives that hand out tasks, agencies and vice-chairs: the filters' options."""
    directives = session.execute(
        select(Directive.id, Directive.number, Directive.summary)
        .where(Directive.deleted_at.is_(None), Directive.tasks.any())
        .order_by(Directive.issued_on.desc(), Directive.id)
    )
    agencies = session.execute(select(Agency.id, Agency.name).order_by(Agency.name))
    leaders = session.execute(
        select(User.id, User.full_name)
        .where(User.role == Role.LEADER, User.active.is_(True))
        .order_by(User.full_name)
    )
    return {
        "directives": [Choice(d.id, d.number or d.summary[:80]) for d in directives],
        "agencies": [Choice(a.id, a.name) for a in agencies],
        "leaders": [Choice(u.id, u.full_name) for u in leaders],
    }


@dataclass(frozen=True)
class ListFilters:
    """What the overdue and upcoming lists are narrowed by."""

    agency_id: int | None = None
    directive_ids: tuple[int, ...] = ()


@dataclass
class TaskRow:
    """One task of a list, as plain values (shared by the page and the spreadsheet)."""

    task_id: int
    outline: str | None
    title: str
    agency_id: int | None
    agency_name: str | None
    deadline_text: str | None
    due: date
    original_due: date | None  # the due date before an approved extension
    days: int  # days overdue (overdue list) or days left (upcoming list)
    status: Status
    supervisor_name: str | None = None
    explanation: str | None = None
    explained_on: date | None = None
    explanation_pending: bool = False  # still waiting for the office's review


@dataclass
class Group:
    """The rows of one lead agency on the page, and how many it has in all."""

    agency_id: int | None
    agency_name: str | None
    count: int
    rows: list[TaskRow] = field(default_factory=list)


class ListPage(Page):
    """One page of a list of `TaskRow`s (`rows`, its items); `group_counts`: the rows of each
    agency in all (the overdue list)."""

    group_counts: Mapping[int | None, int] = MappingProxyType({})

    @property
    def rows(self) -> list[TaskRow]:
        return self.items

    @property
    def groups(self) -> list[Group]:
        """Consecutive rows of one agency (the query orders them so)."""
        groups: list[Group] = []
        for row in self.rows:
            if not groups or groups[-1].agency_id != row.agency_id:
                count = self.group_counts.get(row.agency_id, 0)
                groups.append(Group(row.agency_id, row.agency_name, count))
            groups[-1].rows.append(row)
        return groups


def _row_columns(lead: Any, due: Any) -> tuple[Any, ...]:
    """The columns a TaskRow is read from (`lead`: the joined lead agency, `due`: the due date
    in force)."""
    return (
        Task.id,
        Task.outline,
        Task.title,
        Task.lead_agency_id,
        lead.name.label("agency_name"),
        Task.deadline_text,
        Task.deadline_due,
        Task.extended_due,
        due.label("due"),
        Task.status,
    )


def _task_row(r: Any, days: int, **more: Any) -> TaskRow:
    """The TaskRow of a result row read with `_row_columns`."""
    return TaskRow(
        task_id=r.id,
        outline=r.outline,
        title=r.title,
        agency_id=r.lead_agency_id,
        agency_name=r.agency_name,
        deadline_text=r.deadline_text,
        due=r.due,
        original_due=r.deadline_due if r.extended_due else None,
        days=days,
        status=r.status,
        **more,
    )


def _narrow(statement: Any, filters: ListFilters) -> Any:
    if filters.agency_id is not None:
        statement = statement.where(Task.lead_agency_id == filters.agency_id)
    if filters.directive_ids:
        statement = statement.where(Task.directive_id.in_(filters.directive_ids))
    return statement


def overdue_tasks(
    session: Session,
    actor: User,
    today: date,
    filters: ListFilters,
    *,
    page: int = 1,
    per_page: int = OVERDUE_PER_PAGE,
) -> ListPage:
    """Open tasks past their due date, grouped by lead agency (most overdue agencies first).

    The agencies' counts come first (one grouped statement, from an index): they order the
    groups, give the total and tell which groups the page holds; then only those groups'
    tasks are read and sorted, not the whole backlog."""
    overdue = _narrow(visible_tasks(actor).where(overdue_condition(today)), filters)
    return _OverduePage(page=page, per_page=per_page, session=session, overdue=overdue, today=today)


class _OverduePage(ListPage):
    """`overdue_tasks`: the groups counted first, then only the page's groups read."""

    def _query_items(self) -> list[TaskRow]:
        session, overdue = self._session, self._query_args["overdue"]
        self.group_counts = groups = _overdue_groups(session, overdue)
        self._counted_first(sum(groups.values()))
        start, per_page = self._query_offset, self.per_page
        ranks: dict[int | None, int] = {}  # the groups on the page, in display order
        skip = 0  # rows of the page's first group shown on earlier pages
        before = 0
        for agency_id, count in groups.items():
            if before + count > start and before < start + per_page:
                if not ranks:
                    skip = start - before
                ranks[agency_id] = len(ranks)
            before += count
        today = self._query_args["today"]
        rows = _overdue_rows(session, overdue, today, ranks, skip, per_page) if ranks else []
        _attach_explanations(session, rows)
        return rows


def _overdue_groups(session: Session, overdue: Any) -> dict[int | None, int]:
    """Overdue tasks per lead agency, in the list's order: most first, then by agency name."""
    lead = aliased(Agency)
    counts = (
        overdue.with_only_columns(Task.lead_agency_id, func.count().label("tasks"))
        .group_by(Task.lead_agency_id)
        .subquery()
    )
    statement = (
        select(counts.c.lead_agency_id, counts.c.tasks)
        .outerjoin(lead, lead.id == counts.c.lead_agency_id)
        .order_by(counts.c.tasks.desc(), lead.name.is_(None), lead.name, counts.c.lead_agency_id)
    )
    return {row.lead_agency_id: row.tasks for row in session.execute(statement)}


def _overdue_rows(
    session: Session,
    overdue: Any,
    today: date,
    ranks: dict[int | None, int],
    skip: int,
    limit: int,
) -> list[TaskRow]:
    """The overdue tasks of the groups in `ranks`, in their order, soonest due first within
    each; `skip` rows of the first group were on earlier pages."""
    lead = aliased(Agency)
    agency_supervisor = aliased(User)
    task_supervisor = aliased(User)
    due = effective_due_column()
    agency_ids = [agency_id for agency_id in ranks if agency_id is not None]
    in_groups = Task.lead_agency_id.in_(agency_ids)
    whens = [(Task.lead_agency_id == agency_id, rank) for agency_id, rank in ranks.items()]
    if None in ranks:
        in_groups = or_(in_groups, Task.lead_agency_id.is_(None))
        whens.append((Task.lead_agency_id.is_(None), ranks[None]))
    statement = (
        overdue.where(in_groups)
        .with_only_columns(
            *_row_columns(lead, due),
            # The task's own supervisor is the more specific answer.
            func.coalesce(task_supervisor.full_name, agency_supervisor.full_name).label(
                "supervisor_name"
            ),
        )
        .outerjoin(lead, lead.id == Task.lead_agency_id)
        .outerjoin(agency_supervisor, agency_supervisor.id == lead.supervisor_id)
        .outerjoin(task_supervisor, task_supervisor.id == Task.supervisor_id)
        .order_by(case(*whens), due, Task.directive_id, Task.position, Task.id)
        .limit(limit)
        .offset(skip)
    )
    return [
        _task_row(r, (today - r.due).days, supervisor_name=r.supervisor_name)
        for r in session.execute(statement)
    ]


def _attach_explanations(session: Session, rows: list[TaskRow]) -> None:
    """The newest progress report of every row's task, in one statement for the page.

    Accepted and submitted reports count; a returned one does not: the office sent it back
    as not good enough, so the agency's word stands at its previous report."""
    if not rows:
        return
    newest_first = (ProgressUpdate.reported_on.desc(), ProgressUpdate.id.desc())
    ranked = (
        select(
            ProgressUpdate.task_id,
            ProgressUpdate.explanation,
            ProgressUpdate.reported_on,
            ProgressUpdate.review_state,
            func.row_number()
            .over(partition_by=ProgressUpdate.task_id, order_by=newest_first)
            .label("rank"),
        )
        .where(
            ProgressUpdate.kind == UpdateKind.REPORT,
            ProgressUpdate.review_state != ReviewState.RETURNED,
            ProgressUpdate.task_id.in_({row.task_id for row in rows}),
        )
        .subquery()
    )
    latest = {
        r.task_id: r
        for r in session.execute(
            select(
                ranked.c.task_id,
                ranked.c.explanation,
                ranked.c.reported_on,
                ranked.c.review_state,
            ).where(ranked.c.rank == 1)
        )
    }
    for row in rows:
        if update := latest.get(row.task_id):
            row.explanation = update.explanation
            row.explained_on = update.reported_on
            row.explanation_pending = update.review_state == ReviewState.SUBMITTED


def upcoming_tasks(
    session: Session,
    actor: User,
    today: date,
    days: int,
    filters: ListFilters,
    *,
    page: int = 1,
    per_page: int = UPCOMING_PER_PAGE,
) -> ListPage:
    """Open tasks due between today and today + `days` (both included), soonest first."""
    lead = aliased(Agency)
    due = effective_due_column()
    statement = _narrow(
        visible_tasks(actor).where(
            Task.status != Status.COMPLETED,
            Task.deadline_kind.not_in(UNDATED),
            due >= today,
            due <= today + timedelta(days=days),
        ),
        filters,
    )
    statement = (
        statement.with_only_columns(
            *_row_columns(lead, due),
            func.count().over().label("total"),
        )
        .outerjoin(lead, lead.id == Task.lead_agency_id)
        .order_by(due, lead.name.is_(None), lead.name, Task.directive_id, Task.position, Task.id)
    )
    return _UpcomingPage(
        page=page,
        per_page=per_page,
        last_past_end=True,
        session=session,
        select=statement,
        rows=True,
        total_column="total",
        today=today,
    )


class _UpcomingPage(ListPage):
    """`upcoming_tasks`: the statement's rows as `TaskRow`s."""

    def _query_items(self) -> list[TaskRow]:
        today = self._query_args["today"]
        return [_task_row(r, (r.due - today).days) for r in super()._query_items()]
