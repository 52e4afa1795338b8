"""The task's optimistic lock: one compare-and-bump (`bump_version`) for the edit page and the
API, checked in the database by the UPDATE that moves the version."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from freezegun import freeze_time
from sqlalchemy import select, update

from app.errors import Conflict
from app.tasks.models import Status, Task
from app.tasks.services import TaskInput, bump_version, save_task
from tests.freeze import DASHBOARD_DAY, DASHBOARD_MOMENT


@pytest.fixture
def task(db) -> Task:
    found = db.scalars(
        select(Task)
        .where(
            Task.deleted_at.is_(None),
            Task.lead_agency_id.is_not(None),
            Task.status != Status.COMPLETED,  # saving one without a date would add the date
        )
        .order_by(Task.id)
    ).first()
    assert found is not None
    return found


def _as_input(task: Task) -> TaskInput:
    """The task's own values, as the edit form sends them back unchanged."""
    return TaskInput(
        title=task.title,
        outline=task.outline,
        code=task.code,
        section_id=task.section_id,
        parent_id=task.parent_id,
        lead_agency_id=task.lead_agency_id,
        lead_text=task.lead_text,
        coordinator_ids=tuple(a.id for a in task.coordinators),
        coordinators_text=task.coordinators_text,
        assigned_on=task.assigned_on,
        start_text=task.start_text,
        deadline_text=task.deadline_text,
        product=task.product,
        status=task.status,
        completed_on=task.completed_on,
    )


def _moved_meanwhile(db, task: Task) -> None:
    """Another request saves the task after this one read it: its version moves on in the
    database, behind the back of the object this test holds (which still says the version it
    read, so only the database can tell)."""
    db.execute(
        update(Task).where(Task.id == task.id).values(version=Task.version + 1),
        execution_options={"synchronize_session": False},
    )


def _stored_version(db, task_id: int) -> int:
    db.expire_all()
    return db.get(Task, task_id).version


@freeze_time(DASHBOARD_MOMENT)
def test_bump_moves_the_version_by_one_and_dates_the_write(db, task):
    version = task.version
    bump_version(db, task, version)
    assert task.version == version + 1
    assert _stored_version(db, task.id) == version + 1
    assert db.get(Task, task.id).updated_at.replace(tzinfo=UTC) == datetime(
        2024, 7, 15, 3, tzinfo=UTC
    )


def test_a_stale_version_is_a_conflict_and_nothing_moves(db, task):
    version = task.version
    with pytest.raises(Conflict):
        bump_version(db, task, version - 1)
    db.rollback()
    assert _stored_version(db, task.id) == version


def test_the_writer_that_loses_the_race_gets_a_conflict(db, task):
    # Both read the same version; the other one wrote first.
    version = task.version
    _moved_meanwhile(db, task)
    with pytest.raises(Conflict):
        bump_version(db, task, version)
    db.rollback()


def test_an_edit_moves_the_version_once(db, task):
    version = task.version
    data = replace(_as_input(task), product="Báo cáo đã sửa")
    save_task(db, directive=task.directive, data=data, today=DASHBOARD_DAY, task=task,
              expected_version=version)  # fmt: skip
    assert _stored_version(db, task.id) == version + 1


def test_an_edit_that_changes_nothing_moves_nothing(db, task):
    version, updated_at = task.version, task.updated_at
    save_task(db, directive=task.directive, data=_as_input(task), today=DASHBOARD_DAY, task=task,
              expected_version=version)  # fmt: skip
    assert _stored_version(db, task.id) == version
    assert db.get(Task, task.id).updated_at == updated_at


def test_an_edit_from_a_stale_form_is_a_conflict_before_its_input_is_checked(db, task):
    data = replace(_as_input(task), title="   ")  # invalid, but the version speaks first
    with pytest.raises(Conflict):
        save_task(db, directive=task.directive, data=data, today=DASHBOARD_DAY, task=task,
                  expected_version=task.version - 1)  # fmt: skip


def test_an_edit_that_loses_the_race_is_a_conflict_not_a_crash(db, task):
    version = task.version
    _moved_meanwhile(db, task)
    data = replace(_as_input(task), product="Báo cáo đã sửa")
    with pytest.raises(Conflict):
        save_task(db, directive=task.directive, data=data, today=DASHBOARD_DAY, task=task,
                  expected_version=version)  # fmt: skip
    db.rollback()
    assert db.get(Task, task.id).product != "Báo cáo đã sửa"
