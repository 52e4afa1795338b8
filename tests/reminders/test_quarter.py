"""A quarter day by day, across Tết 2024: the `reminders` job runs every morning from
01/01/2024 to 31/03/2024, and each agency, leader and the office receive exactly the
reminders the rules give (no more, no fewer), on the day the rules give them.

The expectation below is worked out by hand from the rules (app/reminders/plan.py's docstring)
and the 2024 calendar, not by calling the planner. Days off in the quarter: Monday 01/01 (New
Year) and Tết, Thursday 08/02 to Wednesday 14/02 (work resumes on Thursday 15/02). Settings:
reminders 7, 3 and 1 working days before, escalation after 10 working days overdue, report
requests 5 working days before Quarter I's Decree 09 cut-off (Thursday 14/03/2024), so from
Thursday 07/03.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from freezegun import freeze_time
from sqlalchemy import select

from app.agencies.models import Agency
from app.auth.models import Role, User
from app.clock import today_local
from app.directives.models import Directive, DirectiveKind
from app.notifications.models import Notification
from app.reminders.models import ReminderLog
from app.reminders.services import run_reminders
from app.tasks.deadlines import DeadlineKind
from app.tasks.models import ProgressUpdate, Status, Task
from tests.reminders.conftest import mail_config
from tests.reminders.points import moment

# Named moments of the quarter.
NEW_YEAR = date(2024, 1, 1)  # a holiday: nothing is sent
QUARTER_END = date(2024, 3, 31)
LAST_DAY_BEFORE_TET = date(2024, 2, 7)
TET = [date(2024, 2, 8) + timedelta(days=n) for n in range(7)]  # 08/02 → 14/02, all off
FIRST_DAY_AFTER_TET = date(2024, 2, 15)
CUT_OFF = date(2024, 3, 14)  # Quarter I/2024's data cut-off (Decree 09)
REPORT_WINDOW = date(2024, 3, 7)  # 5 working days before it


def d(month: int, day: int) -> date:
    return date(2024, month, day)


def _world(db):
    leader = User(
        username="q-leader", full_name="Phó Chủ tịch Quý", role=Role.LEADER,
        email="pct.quy@example.vn", password_hash="x",
    )  # fmt: skip
    x = Agency(name="Sở Quý Một", email="so.quymot@example.vn", supervisor=leader)
    y = Agency(name="Ban Quý Hai", email="ban.quyhai@example.vn")  # no supervising leader
    member = User(
        username="q-member", full_name="Chuyên viên Sở Quý Một", role=Role.DEPARTMENT,
        email="cv.quymot@example.vn", agency=x, password_hash="x",
    )  # fmt: skip
    directive = Directive(kind=DirectiveKind.OTHER, summary="quý I/2024", issuer="UBND tỉnh")
    db.add_all([leader, x, y, member, directive])

    def task(title: str, agency: Agency, kind=DeadlineKind.DATE, **values) -> Task:
        item = Task(
            directive=directive, title=title, lead_agency=agency, deadline_kind=kind,
            assigned_on=date(2023, 12, 1), **values,
        )  # fmt: skip
        db.add(item)
        return item

    tasks = {
        # Due the day before Tết; reported for the quarter, so no report request.
        "T1": task("Trước Tết", x, deadline_due=LAST_DAY_BEFORE_TET),
        # Due on a Tết holiday: falls due on 15/02; completed that day.
        "T2": task("Giữa Tết", x, deadline_due=d(2, 12)),
        # Recurring: 20/01 (a Saturday → Monday 22/01), 20/02, 20/03.
        "T3": task(
            "Báo cáo tháng", x, DeadlineKind.RECURRING, deadline_text="Trước ngày 20 hằng tháng"
        ),
        "T4": task("Thường xuyên", x, DeadlineKind.CONTINUOUS, deadline_text="Thường xuyên"),
        # Agency Y: due 10/01, still open at the end of the quarter.
        "T5": task("Quá hạn cả quý", y, deadline_due=d(1, 10)),
    }
    db.flush()
    db.add(
        ProgressUpdate(
            task=tasks["T1"], agency_id=x.id, reported_on=d(1, 15), period="2024-Q1",
            status=Status.IN_PROGRESS, explanation="đang thực hiện",
        )
    )  # fmt: skip
    db.commit()
    return leader, x, y, member, tasks


def _expected(x: int, y: int, leader: int) -> set[tuple[str, str, str, date, date]]:
    """(task, recipient, kind, occurrence, day given), by hand."""
    ax, ay, lead = f"agency:{x}", f"agency:{y}", f"leader:{leader}"
    given: set[tuple[str, str, str, date, date]] = set()

    def add(task: str, recipients: tuple[str, ...], kind: str, occurrence: date, on: date):
        given.update((task, r, kind, occurrence, on) for r in recipients)

    # T5, due Wednesday 10/01. On 02/01 (the first working day) it is 6 working days away:
    # the 7-day reminder was missed over New Year and is given late, being the nearest ahead.
    add("T5", (ay,), "upcoming_7", d(1, 10), d(1, 2))
    add("T5", (ay,), "upcoming_3", d(1, 10), d(1, 5))
    add("T5", (ay,), "upcoming_1", d(1, 10), d(1, 9))
    add("T5", (ay,), "due_today", d(1, 10), d(1, 10))
    # Overdue from 11/01, then every 7 days; 08/02 is Tết, so that round waits for 15/02.
    for on in [d(1, 11), d(1, 18), d(1, 25), d(2, 1), d(2, 15), d(2, 22), d(2, 29)] + [
        d(3, 7), d(3, 14), d(3, 21), d(3, 28)
    ]:  # fmt: skip
        add("T5", (ay,), "overdue", on, on)
    # 10 working days overdue on 24/01; Y has no leader: the office alone.
    add("T5", ("office",), "escalation", d(1, 10), d(1, 24))
    add("T5", (ay,), "report_request", CUT_OFF, REPORT_WINDOW)

    # T1, due Wednesday 07/02, the day before Tết.
    add("T1", (ax,), "upcoming_7", LAST_DAY_BEFORE_TET, d(1, 29))
    add("T1", (ax,), "upcoming_3", LAST_DAY_BEFORE_TET, d(2, 2))
    add("T1", (ax,), "upcoming_1", LAST_DAY_BEFORE_TET, d(2, 6))
    add("T1", (ax,), "due_today", LAST_DAY_BEFORE_TET, LAST_DAY_BEFORE_TET)
    # Overdue on the first working day after Tết, weekly after; X's leader is told too.
    for on in [FIRST_DAY_AFTER_TET, d(2, 22), d(2, 29), d(3, 7), d(3, 14), d(3, 21), d(3, 28)]:
        add("T1", (ax, lead), "overdue", on, on)
    # 10 working days overdue (Tết not counted): 28/02.
    add("T1", (lead, "office"), "escalation", LAST_DAY_BEFORE_TET, d(2, 28))

    # T2, due Monday 12/02 (Tết): counted from Thursday 15/02; completed that day.
    add("T2", (ax,), "upcoming_7", d(2, 12), d(1, 30))
    add("T2", (ax,), "upcoming_3", d(2, 12), d(2, 5))
    add("T2", (ax,), "upcoming_1", d(2, 12), LAST_DAY_BEFORE_TET)
    add("T2", (ax,), "due_today", d(2, 12), FIRST_DAY_AFTER_TET)

    # T3, on the 20th of each month: 20/01 is a Saturday (due Monday 22/01).
    add("T3", (ax,), "upcoming_7", d(1, 20), d(1, 11))
    add("T3", (ax,), "upcoming_3", d(1, 20), d(1, 17))
    add("T3", (ax,), "upcoming_1", d(1, 20), d(1, 19))
    add("T3", (ax,), "due_today", d(1, 20), d(1, 22))
    # 20/02: seven working days before it, Tết skipped, is Friday 02/02.
    add("T3", (ax,), "upcoming_7", d(2, 20), d(2, 2))
    add("T3", (ax,), "upcoming_3", d(2, 20), FIRST_DAY_AFTER_TET)
    add("T3", (ax,), "upcoming_1", d(2, 20), d(2, 19))
    add("T3", (ax,), "due_today", d(2, 20), d(2, 20))
    add("T3", (ax,), "upcoming_7", d(3, 20), d(3, 11))
    add("T3", (ax,), "upcoming_3", d(3, 20), d(3, 15))
    add("T3", (ax,), "upcoming_1", d(3, 20), d(3, 19))
    add("T3", (ax,), "due_today", d(3, 20), d(3, 20))
    add("T3", (ax,), "report_request", CUT_OFF, REPORT_WINDOW)

    # T4, continuous: no due date; only the report request.
    add("T4", (ax,), "report_request", CUT_OFF, REPORT_WINDOW)
    return given


def test_a_quarter_across_tet_gives_exactly_the_reminders_due(app, db, smtp):
    inbox, port = smtp
    leader, x, y, member, tasks = _world(db)
    names = {task.id: name for name, task in tasks.items()}
    config = mail_config(app, port, REMINDER_DAYS_BEFORE=(7, 3, 1), REMINDER_ESCALATE_AFTER=10)
    config["REMINDER_REPORT_DAYS_BEFORE"] = 5
    mails_by_day: Counter[date] = Counter()
    day = NEW_YEAR
    while day <= QUARTER_END:
        before = len(inbox.to("so.quymot@example.vn"))
        with app.app_context(), freeze_time(moment(day)):
            run_reminders(db, today_local(), config=config)
        mails_by_day[day] = len(inbox.to("so.quymot@example.vn")) - before
        if day == FIRST_DAY_AFTER_TET:
            tasks["T2"].status = Status.COMPLETED
            tasks["T2"].completed_on = day
            db.commit()
        day += timedelta(days=1)

    rows = db.execute(
        select(
            ReminderLog.task_id,
            ReminderLog.recipient,
            ReminderLog.kind,
            ReminderLog.occurrence,
            ReminderLog.run_day,
        ).where(ReminderLog.task_id.in_(list(names)))
    ).all()
    got = [(names[t], r, k, o, on) for t, r, k, o, on in rows]
    assert len(got) == len(set(got))  # nothing twice
    expected = _expected(x.id, y.id, leader.id)
    assert set(got) - expected == set(), "given but not due"
    assert expected - set(got) == set(), "due but not given"

    # Nothing on a day off; agency X's mailbox gets one digest on each day it is reminded.
    assert all(mails_by_day[day] == 0 for day in [NEW_YEAR, *TET])
    x_days = {on for _t, r, _k, _o, on in expected if r == f"agency:{x.id}"}
    assert {day for day, count in mails_by_day.items() if count} == x_days
    assert set(mails_by_day.values()) <= {0, 1}
    # X's department user has each of X's reminders in the bell, each once.
    notes = db.scalars(select(Notification.task_id).where(Notification.user_id == member.id))
    assert sorted(Counter(notes).elements()) == sorted(
        tasks[t].id for t, r, *_rest in expected if r == f"agency:{x.id}"
    )
