"""The four-way standing: the per-task rules, and the one-statement SQL count equal to them."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.agencies.models import Agency
from app.directives.models import Directive, DirectiveKind
from app.tasks.deadlines import DeadlineKind as Kind
from app.tasks.models import Status, Task
from app.tasks.standing import Standing, StandingFilters, count_standings, standing

TODAY = date(2024, 7, 15)


def _task(
    kind=Kind.DATE, due=TODAY, status=Status.IN_PROGRESS, completed_on=None, extended=None
) -> Task:
    return Task(
        title="t",
        deadline_kind=kind,
        deadline_due=due,
        extended_due=extended,
        status=status,
        completed_on=completed_on,
    )


@pytest.mark.parametrize(
    ("task", "expected"),
    [
        (_task(status=Status.COMPLETED, completed_on=TODAY), Standing.DONE_ON_TIME),
        (_task(status=Status.COMPLETED, completed_on=TODAY + timedelta(1)), Standing.DONE_LATE),
        (_task(status=Status.COMPLETED, completed_on=None), Standing.DONE_ON_TIME),
        (_task(due=TODAY), Standing.ON_TRACK),  # due today is not yet late
        (_task(due=TODAY - timedelta(1)), Standing.OVERDUE),
        (_task(due=TODAY - timedelta(1), status=Status.PARTIAL), Standing.OVERDUE),
        (_task(kind=Kind.PERIOD, due=date(2025, 12, 31)), Standing.ON_TRACK),
        (_task(due=TODAY - timedelta(9), extended=TODAY + timedelta(9)), Standing.ON_TRACK),
        (
            _task(
                due=TODAY - timedelta(9),
                extended=TODAY,
                status=Status.COMPLETED,
                completed_on=TODAY,
            ),
            Standing.DONE_ON_TIME,
        ),
        (_task(kind=Kind.CONTINUOUS, due=None), Standing.NO_DEADLINE),
        (_task(kind=Kind.UNSPECIFIED, due=None, status=Status.COMPLETED), Standing.NO_DEADLINE),
        (_task(kind=Kind.RECURRING, due=None), Standing.NO_DEADLINE),
        (_task(kind=Kind.RECURRING, due=date(2022, 12, 31)), Standing.ON_TRACK),
        (
            _task(kind=Kind.RECURRING, due=date(2022, 12, 31), status=Status.COMPLETED),
            Standing.DONE_ON_TIME,
        ),
    ],
)
def test_standing_rules(task, expected):
    assert standing(task, TODAY) == expected


def test_seeded_appendix_standings_on_the_report_date(db):
    """On 20/03/2023 (the appendix), "Tháng 12/2022" partial is overdue, "Tháng 6/2023" on track."""
    counts = count_standings(db, date(2023, 3, 20), _directive_filter(db, "131/NQ-CP"))
    (only,) = counts.values()  # every task is led by UBND tỉnh
    assert only.counts[Standing.OVERDUE] == 1  # task 2, "Tháng 12/2022", partial
    assert only.counts[Standing.ON_TRACK] == 3  # tasks 1, 9, 10
    assert only.counts[Standing.NO_DEADLINE] == 6  # Thường xuyên / Theo lộ trình / Theo tiến độ
    assert only.with_deadline == 4
    assert only.on_time_percent == 75.0


def _directive_filter(db, number: str) -> StandingFilters:
    directive = db.scalar(select(Directive).where(Directive.number == number))
    return StandingFilters(directive_ids=(directive.id,))


tasks_strategy = st.lists(
    st.tuples(
        st.sampled_from(list(Kind)),
        st.one_of(st.none(), st.dates(date(2022, 1, 1), date(2026, 12, 31))),
        st.sampled_from(list(Status)),
        st.one_of(st.none(), st.dates(date(2022, 1, 1), date(2026, 12, 31))),
        st.integers(0, 2),
        st.one_of(st.none(), st.dates(date(2022, 1, 1), date(2026, 12, 31))),
    ),
    min_size=1,
    max_size=25,
)


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(rows=tasks_strategy, today=st.dates(date(2022, 1, 1), date(2026, 12, 31)))
def test_sql_counts_equal_the_per_task_function(db, rows, today):
    lead_ids = db.scalars(select(Agency.id).order_by(Agency.id).limit(3)).all()
    nested = db.begin_nested()
    try:
        directive = Directive(kind=DirectiveKind.OTHER, summary="property", issuer="x")
        db.add(directive)
        tasks = []
        for kind, due, status, completed_on, lead, extended in rows:
            task = Task(
                directive=directive,
                title="p",
                deadline_kind=kind,
                deadline_due=due,
                extended_due=extended,
                status=status,
                completed_on=completed_on,
                lead_agency_id=lead_ids[lead],
            )
            db.add(task)
            tasks.append(task)
        db.flush()
        expected: dict[int | None, Counter] = {}
        for task in tasks:
            expected.setdefault(task.lead_agency_id, Counter())[standing(task, today)] += 1
        got = count_standings(db, today, StandingFilters(directive_ids=(directive.id,)))
        assert {k: {s: n for s, n in v.counts.items() if n} for k, v in got.items()} == {
            k: dict(v) for k, v in expected.items()
        }
    finally:
        nested.rollback()
