"""The queries rewritten for speed give the rows the plain formulations give.

Each rewrite (the overdue condition, the department's visibility through indexes, the
overdue list read group by group, the search page counted in the same statement) is checked
against the obvious query or the per-task rule, on generated rows, on both databases.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, or_, select, text
from sqlalchemy.orm import selectinload

from app.agencies.models import Agency
from app.auth.models import Role
from app.directives.models import Directive, DirectiveKind
from app.extensions import db as _db
from app.pagination import _IdsPage
from app.search.services import _page, _task_page, task_matches
from app.tasks.deadlines import DeadlineKind as Kind
from app.tasks.lists import ListFilters, overdue_tasks
from app.tasks.models import OPEN_DATED, Status, Task
from app.tasks.services import agency_directive_ids, involving, visible_tasks
from app.tasks.standing import (
    Standing,
    effective_due_column,
    overdue_condition,
    standing,
    standing_expression,
)
from tests.sql import compiled, plan

TODAY = date(2024, 7, 15)
TODAY_AT = datetime(2024, 7, 1, tzinfo=UTC)  # when the deleted ones were deleted
PROPERTY = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
task_rows = st.lists(
    st.tuples(
        st.sampled_from(list(Kind)),
        st.one_of(st.none(), st.dates(date(2023, 1, 1), date(2025, 12, 31))),
        st.sampled_from(list(Status)),
        st.one_of(st.none(), st.dates(date(2023, 1, 1), date(2025, 12, 31))),
        st.integers(0, 3),  # lead: one of three agencies, or none (3)
        st.one_of(st.none(), st.dates(date(2023, 1, 1), date(2025, 12, 31))),
        st.booleans(),  # deleted
    ),
    min_size=1,
    max_size=20,
)


def _directive(db) -> Directive:
    directive = Directive(kind=DirectiveKind.OTHER, summary="fast queries", issuer="x")
    db.add(directive)
    return directive


def _agencies(db) -> list[int]:
    return list(db.scalars(select(Agency.id).order_by(Agency.id).limit(3)))


def _add_tasks(db, directive, rows, leads) -> list[Task]:
    tasks = []
    for position, (kind, due, status, completed_on, lead, extended, deleted) in enumerate(rows):
        task = Task(
            directive=directive,
            title=f"nhiệm vụ {position}",
            position=position,
            deadline_kind=kind,
            deadline_due=due,
            extended_due=extended,
            status=status,
            completed_on=completed_on,
            lead_agency_id=leads[lead] if lead < len(leads) else None,
            deleted_at=TODAY_AT if deleted else None,
        )
        db.add(task)
        tasks.append(task)
    db.flush()
    return tasks


@PROPERTY
@given(rows=task_rows, today=st.dates(date(2023, 1, 1), date(2025, 12, 31)))
def test_overdue_condition_is_the_overdue_standing(db, rows, today):
    nested = db.begin_nested()
    try:
        directive = _directive(db)
        tasks = _add_tasks(db, directive, rows, _agencies(db))
        mine = Task.directive_id == directive.id
        by_condition = set(db.scalars(select(Task.id).where(mine, overdue_condition(today))))
        by_case = set(
            db.scalars(select(Task.id).where(mine, standing_expression(today) == "overdue"))
        )
        by_rule = {t.id for t in tasks if standing(t, today) == Standing.OVERDUE}
        assert by_condition == by_case == by_rule
    finally:
        nested.rollback()


@PROPERTY
@given(rows=task_rows, coordinated=st.lists(st.tuples(st.integers(0, 19), st.integers(0, 2))))
def test_involving_is_lead_or_coordinator(db, rows, coordinated):
    nested = db.begin_nested()
    try:
        directive = _directive(db)
        leads = _agencies(db)
        tasks = _add_tasks(db, directive, rows, leads)
        agencies = {a.id: a for a in db.scalars(select(Agency).where(Agency.id.in_(leads)))}
        for index, agency in coordinated:
            task = tasks[index % len(tasks)]
            if (
                task.lead_agency_id != leads[agency]
                and agencies[leads[agency]] not in task.coordinators
            ):
                task.coordinators.append(agencies[leads[agency]])
        db.flush()
        mine = Task.directive_id == directive.id
        for agency_id in leads:
            plain = or_(
                Task.lead_agency_id == agency_id, Task.coordinators.any(Agency.id == agency_id)
            )
            expected = set(db.scalars(select(Task.id).where(mine, plain)))
            assert set(db.scalars(select(Task.id).where(mine, involving(agency_id)))) == expected
            live = select(Task.directive_id).where(Task.deleted_at.is_(None), plain)
            assert set(db.scalars(agency_directive_ids(agency_id))) == set(db.scalars(live))
    finally:
        nested.rollback()


def test_department_sees_exactly_its_lead_and_coordinated_tasks(db, make_user):
    one, two, three = db.scalars(select(Agency).order_by(Agency.id).limit(3)).all()
    user = make_user(Role.DEPARTMENT, "fast-dept", agency=one)
    directive = _directive(db)
    db.flush()
    mine = directive.id
    led = Task(directive_id=mine, title="led", lead_agency_id=one.id)
    helped = Task(directive_id=mine, title="helped", lead_agency_id=two.id, coordinators=[one])
    other = Task(directive_id=mine, title="other", lead_agency_id=two.id, coordinators=[three])
    gone = Task(directive_id=mine, title="gone", lead_agency_id=one.id, deleted_at=TODAY_AT)
    db.add_all([led, helped, other, gone])
    db.flush()
    seen = set(db.scalars(visible_tasks(user).where(Task.directive_id == mine)))
    assert seen == {led, helped}


def _overdue_world(db, groups: list[int], extra_none: int) -> Directive:
    """`groups[i]` overdue tasks led by agency i (and `extra_none` without a lead)."""
    directive = _directive(db)
    leads = list(db.scalars(select(Agency.id).order_by(Agency.id).limit(len(groups))))
    position = 0
    for lead, count in [*zip(leads, groups, strict=True), (None, extra_none)]:
        for n in range(count):
            position += 1
            db.add(
                Task(
                    directive=directive,
                    title=f"quá hạn {position}",
                    position=position,
                    deadline_kind=Kind.DATE,
                    deadline_due=TODAY - timedelta(days=1 + (n * 7) % 11),
                    lead_agency_id=lead,
                )
            )
    db.flush()
    return directive


def test_overdue_pages_read_group_by_group_join_up_to_the_whole_list(db, make_user):
    directive = _overdue_world(db, [3, 5, 1, 3], extra_none=2)
    leader = make_user(Role.LEADER, "fast-leader")
    filters = ListFilters(directive_ids=(directive.id,))
    whole = overdue_tasks(db, leader, TODAY, filters, per_page=1000)
    assert whole.total == 14
    counts = [group.count for group in whole.groups]
    assert counts == sorted(counts, reverse=True)  # most overdue agencies first
    equal = [g for g in whole.groups if g.count == 3]  # a tie: by agency name
    assert [g.agency_name for g in equal] == sorted(g.agency_name for g in equal)
    for group in whole.groups:  # soonest due first within each agency
        dues = [row.due for row in group.rows]
        assert dues == sorted(dues)
    expected = [row.task_id for row in whole.rows]
    for per_page in range(1, 16):
        got = []
        for page in range(1, -(-14 // per_page) + 1):
            listed = overdue_tasks(db, leader, TODAY, filters, page=page, per_page=per_page)
            assert (listed.total, listed.page) == (14, page)
            for group in listed.groups:
                assert group.count == whole.group_counts[group.agency_id]
            got += [row.task_id for row in listed.rows]
        assert got == expected, per_page
    stale = overdue_tasks(db, leader, TODAY, filters, page=99, per_page=4)
    assert stale.page == 4
    assert [row.task_id for row in stale.rows] == expected[12:]


def test_search_task_page_equals_counting_apart(db, make_user):
    directive = _directive(db)
    for position in range(23):
        db.add(
            Task(
                directive=directive,
                title=f"Chuyển đổi số bước {position}" if position % 4 else "Việc khác",
                position=position,
            )
        )
    db.flush()
    office = make_user(Role.OFFICE, "fast-office")
    words = ["chuyen", "doi", "so", "buoc"]
    for per_page in (1, 5, 17, 20, 100):
        for page in (1, 2, 3, 4, 50):
            fast = _task_page(db, office, words, page, per_page)
            plain = _page(db, task_matches(office, words), page, per_page)
            assert (fast.total, fast.page) == (plain.total, plain.page)
            assert [t.id for t in fast.items] == [t.id for t in plain.items]
    nothing = _task_page(db, office, ["khongcodau"], 3, 20)
    assert (nothing.items, nothing.total, nothing.page) == ([], 0, 1)


def test_overdue_condition_writes_out_the_open_dated_index_predicate(db):
    # The partial index serves only queries whose WHERE holds its predicate, constants and all.
    statement = select(Task.id).where(Task.deleted_at.is_(None), overdue_condition(TODAY))
    sql = str(compiled(db, statement)).replace("tasks.", "").replace("!=", "<>")
    for term in OPEN_DATED.split(" AND "):
        assert term in sql, term


def test_overdue_count_reads_the_open_dated_index(db, make_user):
    _overdue_world(db, [2, 1], extra_none=1)
    leader = make_user(Role.LEADER, "fast-plan-leader")
    overdue = visible_tasks(leader).where(overdue_condition(TODAY))
    counted = overdue.with_only_columns(Task.lead_agency_id, func.count()).group_by(
        Task.lead_agency_id
    )
    assert "ix_tasks_open_dated" in plan(db, counted)
    by_directive = counted.where(Task.directive_id.in_([1, 2]))
    assert "ix_tasks_open_dated" in plan(db, by_directive)


def test_postgresql_plans_each_statement_for_its_values(db):
    # psycopg prepares repeated statements; PostgreSQL's generic plan for them, made without
    # the values, doubled the search's time (app.db._plan_for_the_values).
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("a PostgreSQL session setting")
    assert db.scalar(text("SHOW plan_cache_mode")) == "force_custom_plan"


def test_pages_by_ids_equal_plain_pages(app, db, make_user):
    directive = _directive(db)
    for position in range(23):
        due = date(2024, 7, 1) + timedelta(days=position % 5) if position % 7 else None
        db.add(
            Task(
                directive=directive,
                title=f"việc {position}",
                position=position,
                deadline_kind=Kind.DATE if due else Kind.UNSPECIFIED,
                deadline_due=due,
            )
        )
    db.flush()
    office = make_user(Role.OFFICE, "fast-pages")
    due = effective_due_column()
    statement = (
        visible_tasks(office)
        .where(Task.directive_id == directive.id)
        .options(selectinload(Task.lead_agency))
        .order_by(due.is_(None), due, Task.id)
    )
    with app.test_request_context():
        for per_page in (1, 4, 10, 23, 50):
            for page in range(1, 27):
                args = {"page": page, "per_page": per_page, "max_per_page": None}
                fast = _IdsPage(select=statement, key=Task.id, page=page, per_page=per_page)
                plain = _db.paginate(statement, error_out=False, **args)
                assert (fast.page, fast.total) == (plain.page, plain.total) == (page, 23)
                assert [t.id for t in fast.items] == [t.id for t in plain.items], (per_page, page)
