"""The dashboard's counts are kept while the tasks and the day stay the same, and only then."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.agencies.models import Agency
from app.auth.models import Role
from app.clock import now_utc
from app.directives.models import Directive
from app.tasks.deadlines import DeadlineKind
from app.tasks.models import Status, Task
from app.tasks.standing import (
    Standing,
    StandingFilters,
    cached_count_standings,
    count_standings,
    tasks_fingerprint,
)
from tests.sql import grouped, statements

DAY = date(2024, 3, 20)


def _open_task(db) -> Task:
    return db.scalars(
        select(Task)
        .where(
            Task.deleted_at.is_(None),
            Task.status != Status.COMPLETED,
            Task.deadline_kind == DeadlineKind.DATE,
            Task.lead_agency_id.is_not(None),
        )
        .order_by(Task.id)
        .limit(1)
    ).one()


def test_a_repeated_question_is_answered_without_counting_again(db):
    first = cached_count_standings(db, DAY)
    assert first == count_standings(db, DAY)
    with statements(db) as seen:
        again = cached_count_standings(db, DAY)
    assert again == first
    assert grouped(seen) == []


def test_a_changed_task_is_counted_at_once(db):
    before = cached_count_standings(db, DAY)
    task = _open_task(db)
    fingerprint = tasks_fingerprint(db)
    task.deadline_due = DAY - timedelta(days=30)
    task.extended_due = None
    task.status = Status.COMPLETED
    task.completed_on = DAY
    db.commit()
    assert tasks_fingerprint(db) != fingerprint
    with statements(db) as seen:
        after = cached_count_standings(db, DAY)
    assert grouped(seen), "the counts were not taken again after a change"
    assert after == count_standings(db, DAY)
    assert after[task.lead_agency_id].counts[Standing.DONE_LATE] == (
        before[task.lead_agency_id].counts[Standing.DONE_LATE] + 1
    )


def test_a_new_and_a_deleted_task_are_counted_at_once(db):
    task = _open_task(db)
    before = cached_count_standings(db, DAY)[task.lead_agency_id].total
    added = Task(
        directive=db.get(Directive, task.directive_id),
        title="Nhiệm vụ mới",
        lead_agency_id=task.lead_agency_id,
        deadline_text="Tháng 12/2024",
        deadline_kind=DeadlineKind.DATE,
        deadline_due=date(2024, 12, 31),
    )
    db.add(added)
    db.commit()
    assert cached_count_standings(db, DAY)[task.lead_agency_id].total == before + 1
    task.deleted_at = now_utc()
    db.commit()
    assert cached_count_standings(db, DAY)[task.lead_agency_id].total == before
    assert cached_count_standings(db, DAY) == count_standings(db, DAY)


def test_another_day_or_other_filters_are_counted_for_themselves(db):
    cached_count_standings(db, DAY)
    with statements(db) as seen:
        next_day = cached_count_standings(db, DAY + timedelta(days=1))
        directive_id = _open_task(db).directive_id
        one_directive = cached_count_standings(
            db, DAY, StandingFilters(directive_ids=(directive_id,))
        )
    assert len(grouped(seen)) == 2
    assert next_day == count_standings(db, DAY + timedelta(days=1))
    assert one_directive == count_standings(db, DAY, StandingFilters(directive_ids=(directive_id,)))


def test_a_leaders_counts_follow_the_agencies_they_supervise(db, make_user):
    leader = make_user(Role.LEADER, "pho-chu-tich")
    filters = StandingFilters(agency_supervisor_id=leader.id)
    assert cached_count_standings(db, DAY, filters) == {}
    agency = db.get(Agency, _open_task(db).lead_agency_id)
    agency.supervisor_id = leader.id
    db.commit()
    counts = cached_count_standings(db, DAY, filters)
    assert set(counts) == {agency.id}
    assert counts == count_standings(db, DAY, filters)


def test_each_caller_gets_its_own_copy(db):
    first = cached_count_standings(db, DAY)
    agency_id = next(iter(first))
    first[agency_id].counts[Standing.OVERDUE] += 1000
    first.clear()
    assert cached_count_standings(db, DAY) == count_standings(db, DAY)
