"""Telling users things in the app: create, count, list, mark read."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.agencies.models import Agency
from app.auth.models import Role, User
from app.clock import now_utc
from app.notifications.models import Notification

if TYPE_CHECKING:
    from app.tasks.models import Task


def notify(
    session: Session,
    users: Iterable[User],
    *,
    kind: str,
    message: str,
    task: Task | None = None,
    task_id: int | None = None,
    link: str | None = None,
    flush: bool = True,
) -> list[Notification]:
    """One notification per distinct active user (the caller commits; a caller writing
    thousands flushes them once, with `flush=False`)."""
    created = []
    seen: set[int] = set()
    for user in users:
        if user.id in seen or not user.active:
            continue
        seen.add(user.id)
        note = Notification(
            user_id=user.id,
            kind=kind,
            message=message,
            task_id=task.id if task is not None else task_id,
            link=link,
        )
        session.add(note)
        created.append(note)
    if flush:
        session.flush()
    return created


def agency_users(session: Session, agency: Agency | None) -> list[User]:
    """The active department users of an agency."""
    if agency is None:
        return []
    return list(
        session.scalars(
            select(User).where(
                User.agency_id == agency.id, User.role == Role.DEPARTMENT, User.active.is_(True)
            )
        )
    )


def office_users(session: Session) -> list[User]:
    """Active office staff (they review reports)."""
    return list(
        session.scalars(select(User).where(User.role == Role.OFFICE, User.active.is_(True)))
    )


def unread_count(session: Session, user: User) -> int:
    return (
        session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == user.id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def recent(session: Session, user: User, limit: int = 50) -> list[Notification]:
    return list(
        session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def mark_read(session: Session, user: User, notification_id: int | None = None) -> None:
    """Mark one (or, with no id, every) unread notification of `user` as read."""
    statement = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        statement = statement.where(Notification.id == notification_id)
    session.execute(statement.values(read_at=now_utc()))
