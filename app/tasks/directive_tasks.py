"""A directive's tasks: the directive list with its counts, the tasks a user sees in one,
and the tasks' side of deleting a section."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.directives.models import Directive, Section
from app.directives.services import remove_section
from app.errors import ValidationFailed
from app.tasks.models import Task
from app.tasks.services import visible_tasks
from app.text import fold


def list_directives(query: str = "", *, deleted: bool = False) -> Select[tuple[Directive, int]]:
    """Live directives with their live task counts, newest first; `query` matches folded text.
    With `deleted`, the soft-deleted ones instead, most recently deleted first."""
    task_count = (
        select(func.count(Task.id))
        .where(Task.directive_id == Directive.id, Task.deleted_at.is_(None))
        .correlate(Directive)
        .scalar_subquery()
    )
    statement = select(Directive, task_count.label("task_count"))
    if deleted:
        statement = statement.where(Directive.deleted_at.is_not(None))
    else:
        statement = statement.where(Directive.deleted_at.is_(None))
    for word in fold(query).split():
        statement = statement.where(Directive.search_key.contains(word, autoescape=True))
    if deleted:
        return statement.order_by(Directive.deleted_at.desc(), Directive.id.desc())
    return statement.order_by(
        task_count.desc(), Directive.issued_on.desc().nulls_last(), Directive.id
    )


def directive_tasks(session: Session, actor: User, directive: Directive) -> list[Task]:
    """The directive's tasks the actor may see, in document order."""
    statement = (
        visible_tasks(actor)
        .where(Task.directive_id == directive.id)
        .order_by(Task.position, Task.id)
    )
    return list(session.scalars(statement))


def live_task_count(session: Session, directive: Directive) -> int:
    """How many live tasks the directive holds (whoever may see them)."""
    statement = select(func.count(Task.id)).where(
        Task.directive_id == directive.id, Task.deleted_at.is_(None)
    )
    return session.scalar(statement) or 0


def section_task_counts(session: Session, directive: Directive) -> dict[int, int]:
    """Live tasks per section of the directive."""
    statement = (
        select(Task.section_id, func.count(Task.id))
        .where(Task.directive_id == directive.id, Task.deleted_at.is_(None))
        .group_by(Task.section_id)
    )
    return {section_id: n for section_id, n in session.execute(statement) if section_id}


def delete_section(session: Session, directive: Directive, section: Section) -> None:
    """Remove a section no live task uses; deleted tasks that still point at it lose it."""
    in_use = section_task_counts(session, directive).get(section.id, 0)
    if in_use:
        raise ValidationFailed(
            {
                "section": [
                    _(
                        "Section %(number)s still holds %(count)d tasks: move them to another "
                        "section first.",
                        number=section.number,
                        count=in_use,
                    )
                ]
            }
        )
    for task in session.scalars(select(Task).where(Task.section_id == section.id)):
        task.section = None
    remove_section(session, directive, section)
