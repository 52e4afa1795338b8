"""Task queries confined to what the actor may see, and deadline bookkeeping."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, any_, func, or_, select, union
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.agencies.models import Agency
from app.auth.models import Role, User
from app.clock import now_utc
from app.db import ByDialect
from app.directives.models import Directive, Section
from app.errors import Conflict, NotFound, ValidationFailed
from app.tasks.deadlines import Deadline, parse_deadline
from app.tasks.models import Status, Task, task_coordinators
from app.tasks.standing import effective_due_column, standing_expression
from app.text import fold


def deadline_phrase(task: Task) -> str:
    """The phrase the deadline is read from: a plan's start and end columns read together."""
    parts = [p.strip() for p in (task.start_text, task.deadline_text) if p and p.strip()]
    return " ".join(parts)


def apply_deadline(task: Task, *, today: date) -> Deadline:
    """Parse the task's phrase and store kind, start, due and every due next to it."""
    reference = task.assigned_on or (task.directive.issued_on if task.directive else None) or today
    deadline = parse_deadline(deadline_phrase(task), reference=reference)
    task.deadline_kind = deadline.kind
    task.deadline_start = deadline.start
    task.deadline_due = deadline.due
    task.deadline_dues = [d.isoformat() for d in deadline.dues]
    return deadline


def coordinated_by(agency_id: int | None) -> ColumnElement[bool]:
    """The tasks `agency_id` coordinates (an index lookup, not a test of every task)."""
    coordinated = select(task_coordinators.c.task_id).where(
        task_coordinators.c.agency_id == agency_id
    )
    return Task.id.in_(coordinated)


def involving(agency_id: int | None) -> ColumnElement[bool]:
    """The tasks `agency_id` leads or coordinates, found through indexes on both databases.

    "Leads, or is in the coordinators' table" as a plain OR makes either database read
    every task: SQLite gets one list of ids from two index lookups; PostgreSQL an OR
    against an array of ids, which it answers by combining the two indexes."""
    led = select(Task.id).where(Task.lead_agency_id == agency_id)
    coordinated = select(task_coordinators.c.task_id).where(
        task_coordinators.c.agency_id == agency_id
    )
    return ByDialect(
        default=Task.id.in_(union(led, coordinated)),
        postgresql=or_(
            Task.lead_agency_id == agency_id,
            Task.id == any_(func.array(coordinated.scalar_subquery())),
        ),
    )


def agency_directive_ids(agency_id: int | None) -> Select[tuple[int]]:
    """Ids of the directives whose live tasks `agency_id` leads or coordinates.

    Two index lookups: asked through `involving`, SQLite (without statistics) prefers to
    read every live task from an index that happens to cover the directive."""
    led = select(Task.directive_id).where(
        Task.deleted_at.is_(None), Task.lead_agency_id == agency_id
    )
    coordinated = (
        select(Task.directive_id)
        .join(task_coordinators, task_coordinators.c.task_id == Task.id)
        .where(Task.deleted_at.is_(None), task_coordinators.c.agency_id == agency_id)
    )
    return union(led, coordinated)


def visible_tasks(actor: User, *, include_deleted: bool = False) -> Select[tuple[Task]]:
    """Live tasks the actor may see: a department user only its agency's (lead or coordinating).

    Deleted tasks only on request, and never for department users."""
    statement = select(Task)
    if not include_deleted or actor.role == Role.DEPARTMENT:
        statement = statement.where(Task.deleted_at.is_(None))
    if actor.role == Role.DEPARTMENT:
        statement = statement.where(involving(actor.agency_id))
    return statement


@dataclass(frozen=True)
class TaskFilters:
    """What the task list is narrowed by."""

    query: str = ""
    directive_id: int | None = None
    agency_id: int | None = None
    status: Status | None = None
    deleted: bool = False  # only soft-deleted tasks (office and admin)


def filtered_tasks(actor: User, filters: TaskFilters) -> Select[tuple[Task]]:
    """Visible tasks narrowed by `filters`, in document order."""
    statement = visible_tasks(actor, include_deleted=filters.deleted)
    if filters.deleted:
        statement = statement.where(Task.deleted_at.is_not(None))
    for word in fold(filters.query).split():
        statement = statement.where(Task.search_key.contains(word, autoescape=True))
    if filters.directive_id:
        statement = statement.where(Task.directive_id == filters.directive_id)
    if filters.agency_id:
        statement = statement.where(involving(filters.agency_id))
    if filters.status:
        statement = statement.where(Task.status == filters.status)
    return statement.options(selectinload(Task.lead_agency), selectinload(Task.directive)).order_by(
        Task.directive_id, Task.position, Task.id
    )


def get_task(session: Session, actor: User, task_id: int, *, include_deleted: bool = False) -> Task:
    """The task if the actor may see it; otherwise NotFound (never reveal other agencies' rows)."""
    task = session.scalar(
        visible_tasks(actor, include_deleted=include_deleted).where(Task.id == task_id)
    )
    if task is None:
        raise NotFound()
    return task


@dataclass(frozen=True)
class TaskInput:
    """What an office user enters for a task (already shaped by the form)."""

    title: str
    outline: str | None = None
    code: str | None = None
    section_id: int | None = None
    parent_id: int | None = None
    lead_agency_id: int | None = None
    lead_text: str | None = None
    coordinator_ids: tuple[int, ...] = ()
    coordinators_text: str | None = None
    assigned_on: date | None = None
    start_text: str | None = None
    deadline_text: str | None = None
    product: str | None = None
    status: Status = Status.IN_PROGRESS
    completed_on: date | None = None


def _blank_to_none(value: str | None) -> str | None:
    return value.strip() or None if value else None


def _check_task_input(
    session: Session, directive: Directive, task: Task | None, data: TaskInput, today: date
) -> dict[str, list[str]]:
    reasons: dict[str, list[str]] = {}

    def fail(field: str, message: str) -> None:
        reasons.setdefault(field, []).append(message)

    if not data.title.strip():
        fail("title", _("A title is required."))
    _check_owners(session, data, fail)
    if data.section_id is not None:
        section = session.get(Section, data.section_id)
        if section is None or section.directive_id != directive.id:
            fail("section_id", _("Choose a section of this directive."))
    if data.parent_id is not None:
        parent = session.get(Task, data.parent_id)
        if parent is None or parent.directive_id != directive.id or parent.deleted_at:
            fail("parent_id", _("Choose a task of this directive."))
        elif task is not None and _is_self_or_descendant(parent, task):
            fail("parent_id", _("A task cannot be placed under itself or its sub-tasks."))
    if data.completed_on is not None and data.completed_on > today:
        fail("completed_on", _("The completion date cannot be in the future."))
    return reasons


def _check_owners(session: Session, data: TaskInput, fail: Callable[[str, str], None]) -> None:
    if data.lead_agency_id is not None:
        lead = session.get(Agency, data.lead_agency_id)
        if lead is None or not lead.active:
            fail("lead_agency_id", _("Choose an existing, active agency."))
    if data.lead_agency_id in data.coordinator_ids:
        fail("coordinator_ids", _("The lead agency cannot also be a coordinating agency."))
    found = session.scalars(select(Agency.id).where(Agency.id.in_(data.coordinator_ids))).all()
    if len(set(found)) != len(set(data.coordinator_ids)):
        fail("coordinator_ids", _("Choose existing agencies."))


def _is_self_or_descendant(candidate: Task, task: Task) -> bool:
    node: Task | None = candidate
    while node is not None:
        if node.id == task.id:
            return True
        node = node.parent
    return False


def check_version(task: Task, expected: int) -> None:
    """The compare of the optimistic lock, alone: Conflict unless the caller read the task at
    the version it has now (a cheap early answer; `bump_version` compares again as it writes)."""
    if task.version != expected:
        raise Conflict()


def bump_version(session: Session, task: Task, expected: int) -> None:
    """Compare-and-bump, the optimistic lock of every write to a task (the edit page, the
    API's progress report): Conflict unless the task is still at version `expected`; then its
    row is written at once — its pending changes, or only `updated_at` when it has none — by
    one UPDATE … WHERE id = :id AND version = :expected that also moves the version on
    (SQLAlchemy's version counter, app/db.py). Of two writers holding the same version one
    wins: the other's UPDATE finds no row, and it gets Conflict as well."""
    check_version(task, expected)
    if not session.is_modified(task):
        task.updated_at = now_utc()
    try:
        session.flush()
    except StaleDataError as error:
        raise Conflict() from error


def save_task(
    session: Session,
    *,
    directive: Directive,
    data: TaskInput,
    today: date,
    task: Task | None = None,
    expected_version: int | None = None,
) -> Task:
    """Create (task None) or update a task after checking every rule; re-reads its deadline.

    An update with `expected_version` is written by `bump_version`: a stale version is a
    Conflict, before the input is even checked."""
    editing = task is not None
    if task is not None and expected_version is not None:
        check_version(task, expected_version)
    reasons = _check_task_input(session, directive, task, data, today)
    if reasons:
        raise ValidationFailed(reasons)
    # No flush before the end: the task is written once, by the compare-and-bump below.
    with session.no_autoflush:
        if task is None:
            position = session.scalar(
                select(func.coalesce(func.max(Task.position), 0)).where(
                    Task.directive_id == directive.id
                )
            )
            task = Task(directive=directive, title=data.title, position=(position or 0) + 1)
            session.add(task)
        completed = data.status == Status.COMPLETED
        values = {
            "title": data.title.strip(),
            "outline": _blank_to_none(data.outline),
            "code": _blank_to_none(data.code),
            "section_id": data.section_id,
            "parent_id": data.parent_id,
            "lead_agency_id": data.lead_agency_id,
            "lead_text": _blank_to_none(data.lead_text),
            "coordinators_text": _blank_to_none(data.coordinators_text),
            "assigned_on": data.assigned_on or directive.issued_on or today,
            "start_text": _blank_to_none(data.start_text),
            "deadline_text": _blank_to_none(data.deadline_text),
            "product": _blank_to_none(data.product),
            "status": data.status,
            "completed_on": (data.completed_on or today) if completed else None,
        }
        for name, value in values.items():
            if getattr(task, name) != value:
                setattr(task, name, value)
        wanted = set(data.coordinator_ids)
        if {a.id for a in task.coordinators} != wanted:
            task.coordinators = list(session.scalars(select(Agency).where(Agency.id.in_(wanted))))
        apply_deadline(task, today=today)
    # An edit that changes nothing writes nothing, so it moves no version either.
    if editing and expected_version is not None and session.is_modified(task):
        bump_version(session, task, expected_version)
    else:
        session.flush()
    return task


@dataclass(frozen=True)
class AgencyTaskFilters:
    """What a department's own task list is narrowed by."""

    standing: str | None = None  # a Standing value
    directive_id: int | None = None
    due_within: int | None = None  # days from today
    involvement: str | None = None  # "lead" | "coordinating" | None for both


def agency_tasks(actor: User, filters: AgencyTaskFilters, today: date) -> Select[tuple[Task]]:
    """The tasks the actor's agency leads or coordinates, narrowed, soonest due first."""
    agency_id = actor.agency_id
    statement = visible_tasks(actor)
    if filters.involvement == "lead":
        statement = statement.where(Task.lead_agency_id == agency_id)
    elif filters.involvement == "coordinating":
        statement = statement.where(coordinated_by(agency_id))
    if filters.standing:
        statement = statement.where(standing_expression(today) == filters.standing)
    if filters.directive_id:
        statement = statement.where(Task.directive_id == filters.directive_id)
    due = effective_due_column()
    if filters.due_within is not None:
        statement = statement.where(
            Task.status != Status.COMPLETED,
            due >= today,
            due <= today + timedelta(days=filters.due_within),
        )
    return statement.options(selectinload(Task.lead_agency), selectinload(Task.directive)).order_by(
        due.is_(None), due, Task.id
    )


def soft_delete_task(task: Task) -> None:
    """Hide a task (and keep it: nothing is hard-deleted from the UI)."""
    if task.deleted_at is None:
        task.deleted_at = now_utc()


def restore_task(task: Task) -> None:
    task.deleted_at = None


def copy_to_agencies(
    session: Session, *, task: Task, agency_ids: list[int], today: date
) -> list[Task]:
    """One task per agency under `task` ("Các sở, ban, ngành" → one task each).

    The original becomes the group's parent; agencies that already have a copy under it,
    or that lead it, are skipped, so copying twice creates nothing new."""
    agencies = session.scalars(
        select(Agency).where(Agency.id.in_(agency_ids), Agency.active.is_(True))
    ).all()
    if not agencies:
        raise ValidationFailed({"agency_ids": [_("Choose at least one active agency.")]})
    taken = {child.lead_agency_id for child in task.children if child.deleted_at is None}
    taken.add(task.lead_agency_id)
    created = []
    last = session.scalar(
        select(func.coalesce(func.max(Task.position), 0)).where(
            Task.directive_id == task.directive_id
        )
    )
    for agency in sorted(agencies, key=lambda a: a.name):
        if agency.id in taken:
            continue
        last = (last or 0) + 1
        copy = Task(
            directive=task.directive,
            section_id=task.section_id,
            position=last,
            outline=task.outline,
            code=task.code,
            title=task.title,
            lead_agency=agency,
            supervisor_id=task.supervisor_id,
            assigned_on=task.assigned_on,
            start_text=task.start_text,
            deadline_text=task.deadline_text,
            product=task.product,
        )
        session.add(copy)
        copy.parent = task
        apply_deadline(copy, today=today)
        created.append(copy)
    session.flush()
    return created
