"""Which reminders fall due on each named day (working days, extensions, weekly rounds)."""

from __future__ import annotations

from datetime import date

import pytest
from freezegun import freeze_time

from app.clock import today_local
from app.reminders.plan import plan_reminders
from app.tasks.deadlines import DeadlineKind
from app.tasks.models import ProgressUpdate, Status
from tests.reminders import points as p


def _mine(reminder_world, day: date) -> set[tuple[str, str, date]]:
    names = {reminder_world.due.id: "due", reminder_world.extended.id: "extended"}
    names |= {reminder_world.continuous.id: "continuous", reminder_world.done.id: "done"}
    with freeze_time(p.moment(day)):
        plan = plan_reminders(
            world_session(reminder_world),
            today_local(),
            days_before=(7, 3, 1),
            escalate_after=10,
            report_days_before=0,
        )
    return {(names[r.task_id], r.kind, r.occurrence) for r in plan.reminders if r.task_id in names}


def world_session(reminder_world):
    from sqlalchemy.orm import object_session

    return object_session(reminder_world.due)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (p.UPCOMING_7, {("due", "upcoming_7", p.DUE)}),
        (p.UPCOMING_3, {("due", "upcoming_3", p.DUE)}),
        (p.WEEKEND, set()),
        (p.UPCOMING_1, {("due", "upcoming_1", p.DUE)}),
        (p.DUE_TODAY, {("due", "due_today", p.DUE), ("extended", "upcoming_7", p.EXTENDED_DUE)}),
        (p.OVERDUE, {("due", "overdue", p.OVERDUE), ("extended", "upcoming_7", p.EXTENDED_DUE)}),
        (
            date(2027, 3, 22),
            {("due", "overdue", date(2027, 3, 22)), ("extended", "upcoming_7", p.EXTENDED_DUE)},
        ),
        (
            p.OVERDUE_WEEK_2,
            {("due", "overdue", p.OVERDUE_WEEK_2), ("extended", "upcoming_1", p.EXTENDED_DUE)},
        ),
        (
            p.ESCALATION,
            {
                ("due", "overdue", p.ESCALATION),
                ("due", "escalation", p.DUE),
                ("extended", "overdue", p.ESCALATION),
            },
        ),
    ],
    ids=lambda value: str(value) if isinstance(value, date) else "",
)
def test_the_reminders_of_each_day(reminder_world, day, expected):
    assert _mine(reminder_world, day) == expected


def test_a_missed_reminder_is_given_late_only_while_it_is_the_nearest(reminder_world):
    # 5 working days before: the 7-day reminder is still the next one due.
    assert _mine(reminder_world, date(2027, 3, 10)) == {("due", "upcoming_7", p.DUE)}
    assert _mine(reminder_world, date(2027, 3, 15)) == {("due", "upcoming_3", p.DUE)}


def test_a_deadline_on_a_holiday_moves_to_the_next_working_day(db, reminder_world):
    # 01/05/2027 (Labour Day, a Saturday) is followed by a day off in lieu on Monday 03/05.
    reminder_world.due.deadline_due = date(2027, 5, 1)
    db.flush()

    def of_due(day: date) -> set:
        return {item for item in _mine(reminder_world, day) if item[0] == "due"}

    assert of_due(date(2027, 4, 30)) == set()  # a holiday: nothing is sent
    assert of_due(date(2027, 5, 4)) == {("due", "due_today", date(2027, 5, 1))}
    assert of_due(date(2027, 5, 5)) == {("due", "overdue", date(2027, 5, 5))}


def test_recurring_tasks_are_reminded_of_each_occurrence(db, reminder_world):
    reminder_world.continuous.deadline_kind = DeadlineKind.RECURRING
    reminder_world.continuous.deadline_text = "Trước ngày 20 hằng tháng"
    reminder_world.continuous.assigned_on = date(2027, 1, 5)
    db.flush()

    def recurring(day: date) -> set:
        return {(k, d) for n, k, d in _mine(reminder_world, day) if n == "continuous"}

    # 20/03/2027 is a Saturday: the occurrence falls due on Monday 22/03.
    assert recurring(date(2027, 3, 11)) == {("upcoming_7", date(2027, 3, 20))}
    assert recurring(date(2027, 3, 22)) == {("due_today", date(2027, 3, 20))}
    # The next day belongs to April's occurrence, far ahead: no overdue for an occurrence.
    assert recurring(date(2027, 3, 23)) == set()
    assert recurring(date(2027, 4, 9)) == {("upcoming_7", date(2027, 4, 20))}


def test_completed_deleted_and_undated_tasks_get_nothing(db, reminder_world):
    assert not {n for n, _k, _d in _mine(reminder_world, p.DUE_TODAY)} & {"continuous", "done"}
    reminder_world.due.deleted_at = reminder_world.due.created_at
    db.flush()
    assert not {n for n, _k, _d in _mine(reminder_world, p.DUE_TODAY)} & {"due"}


def test_unreported_tasks_are_asked_for_a_report_before_the_quarter_cut_off(db, reminder_world):
    # Quarter I/2027 (Decree 09) cuts off on Sunday 14/03/2027; 5 working days before: 08/03.
    db.add(
        ProgressUpdate(
            task=reminder_world.due, agency_id=reminder_world.agency_a.id, reported_on=date(2027, 2, 1),
            period="2027-Q1", status=Status.IN_PROGRESS, explanation="đang làm",
        )
    )  # fmt: skip
    db.flush()

    def requests(day: date) -> set[tuple[int, date]]:
        with freeze_time(p.moment(day)):
            plan = plan_reminders(db, day, report_days_before=5)
        return {(r.task_id, r.occurrence) for r in plan.by_kind("report_request")}

    mine = {
        reminder_world.due.id,
        reminder_world.extended.id,
        reminder_world.continuous.id,
        reminder_world.done.id,
    }
    cut_off = date(2027, 3, 14)
    assert {t for t, _d in requests(date(2027, 3, 5))} & mine == set()
    for day in (date(2027, 3, 8), date(2027, 3, 12)):
        assert {(t, d) for t, d in requests(day) if t in mine} == {
            (reminder_world.extended.id, cut_off),
            (reminder_world.continuous.id, cut_off),
        }
    assert {t for t, _d in requests(date(2027, 3, 15))} & mine == set()
