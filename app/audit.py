"""The journal: every change to an audited model, written by one flush listener.

Services never write journal rows themselves. Whoever commits (a view, a CLI command, a job)
names the actor once with `set_actor(session, user, label)`; the `after_flush` listener then
records, in the same transaction as the change, each changed column and collection of every
`Audited` row as old → new.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String, event, insert, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from app.clock import now_utc
from app.db import Base
from app.labels import LabelledEnum

if TYPE_CHECKING:
    from app.auth.models import User

ACTOR_KEY = "audit_actor"
HIDDEN = "•••"


class Audited:
    """Marks a model whose changes are journaled."""

    __audit_exclude__: tuple[str, ...] = ("search_key", "updated_at", "created_at", "version")
    __audit_hidden__: tuple[str, ...] = ()
    __audit_collections__: tuple[str, ...] = ()


class AuditAction(LabelledEnum):
    CREATE = "create", _l("created")
    UPDATE = "update", _l("changed")
    DELETE = "delete", _l("deleted")
    RESTORE = "restore", _l("restored")


class AuditEntry(Base):
    """One journaled change: who, when, which row, and each field's old and new value."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=now_utc, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    actor_label: Mapped[str] = mapped_column(String(120), default="")
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    changes: Mapped[dict[str, Any]] = mapped_column(default=dict)

    actor: Mapped[User | None] = relationship(lazy="joined")

    __table_args__ = ({"sqlite_autoincrement": True},)


def set_actor(session: Session, actor: User | None, label: str = "") -> None:
    """Name who the following changes belong to (a user, or a label such as 'flask seed')."""
    session.info[ACTOR_KEY] = (actor.id if actor is not None else None, label or "")


def _plain(value: Any) -> Any:
    """A JSON-safe rendering of a column value."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _column_changes(obj: Audited, state: Any, *, created: bool) -> dict[str, list[Any]]:
    changes: dict[str, list[Any]] = {}
    hidden = set(obj.__audit_hidden__)
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in obj.__audit_exclude__ or key == "id":
            continue
        history = state.attrs[key].history
        if created:
            value = getattr(obj, key)
            if value is None or value == "" or value == []:
                continue
            changes[key] = [None, HIDDEN if key in hidden else _plain(value)]
        elif history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old == new:
                continue
            if key in hidden:
                changes[key] = [HIDDEN, HIDDEN]
            else:
                changes[key] = [_plain(old), _plain(new)]
    return changes


def _collection_changes(obj: Audited, state: Any) -> dict[str, list[Any]]:
    changes: dict[str, list[Any]] = {}
    for key in obj.__audit_collections__:
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        before = [*history.unchanged, *history.deleted]
        after = [*history.unchanged, *history.added]
        changes[key] = [sorted(str(o) for o in before), sorted(str(o) for o in after)]
    return changes


def _action(changes: dict[str, list[Any]]) -> AuditAction:
    if "deleted_at" in changes:
        return AuditAction.DELETE if changes["deleted_at"][1] else AuditAction.RESTORE
    return AuditAction.UPDATE


@event.listens_for(Session, "after_flush")
def _journal(session: Session, flush_context: Any) -> None:
    """Write one AuditEntry per created, changed or deleted audited row."""
    actor_id, label = session.info.get(ACTOR_KEY, (None, ""))
    rows: list[dict[str, Any]] = []
    at = now_utc()

    def add(obj: Any, action: AuditAction, changes: dict[str, list[Any]]) -> None:
        rows.append(
            {
                "at": at,
                "actor_id": actor_id,
                "actor_label": label,
                "entity_type": type(obj).__name__,
                "entity_id": obj.id,  # identity keys are only set after this hook
                "action": action.value,
                "changes": changes,
            }
        )

    for obj in session.new:
        if isinstance(obj, Audited):
            state = inspect(obj)
            changes = _column_changes(obj, state, created=True)
            changes.update(_collection_changes(obj, state))
            add(obj, AuditAction.CREATE, changes)
    for obj in session.dirty:
        if isinstance(obj, Audited) and session.is_modified(obj):
            state = inspect(obj)
            changes = _column_changes(obj, state, created=False)
            changes.update(_collection_changes(obj, state))
            if changes:
                add(obj, _action(changes), changes)
    for obj in session.deleted:
        if isinstance(obj, Audited):
            add(obj, AuditAction.DELETE, {})
    if rows:
        session.connection().execute(insert(AuditEntry), rows)
