"""The journal: one mechanism records every change, old → new, in the change's transaction."""

from __future__ import annotations

from sqlalchemy import select

from app.audit import AuditEntry, set_actor
from app.auth.models import Role
from app.clock import now_utc
from app.tasks.models import Status, Task


def _entries(db, task):
    return db.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity_type == "Task", AuditEntry.entity_id == task.id)
        .order_by(AuditEntry.id)
    ).all()


def test_change_is_journaled_with_old_and_new_value_and_actor(db, make_user):
    actor = make_user(Role.OFFICE, "office1")
    task = db.scalars(select(Task).where(Task.status == Status.PARTIAL)).first()
    before = len(_entries(db, task))
    set_actor(db, actor)
    task.status = Status.COMPLETED
    db.flush()
    entries = _entries(db, task)
    assert len(entries) == before + 1
    entry = entries[-1]
    assert entry.action == "update"
    assert entry.actor_id == actor.id
    assert entry.changes == {"status": ["partial", "completed"]}


def test_journal_entry_rolls_back_with_the_change(db):
    task = db.scalars(select(Task)).first()
    before = len(_entries(db, task))
    nested = db.begin_nested()
    task.title = task.title + " (sửa)"
    db.flush()
    assert len(_entries(db, task)) == before + 1
    nested.rollback()
    assert len(_entries(db, task)) == before


def test_soft_delete_and_restore_are_journaled(db):
    task = db.scalars(select(Task)).first()
    task.deleted_at = now_utc()
    db.flush()
    task.deleted_at = None
    db.flush()
    actions = [e.action for e in _entries(db, task)][-2:]
    assert actions == ["delete", "restore"]


def test_collection_changes_are_journaled(db):
    from app.agencies.services import resolve_agency

    task = db.scalars(select(Task).where(~Task.coordinators.any())).first()
    task.coordinators.append(resolve_agency(db, "Sở Tài chính"))
    db.flush()
    assert _entries(db, task)[-1].changes["coordinators"] == [[], ["Sở Tài chính"]]


def test_seeding_journaled_creation(db):
    task = db.scalars(select(Task)).first()
    first = _entries(db, task)[0]
    assert first.action == "create"
    assert first.actor_label == "test seed"
    assert first.changes["title"][1] == task.title


def test_password_values_never_reach_the_journal(db, make_user):
    user = make_user(Role.OFFICE, "office1")
    user.set_password("another long password")
    db.flush()
    entry = db.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity_type == "User", AuditEntry.entity_id == user.id)
        .order_by(AuditEntry.id.desc())
    ).first()
    assert entry.changes["password_hash"] == ["•••", "•••"]
