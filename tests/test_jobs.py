"""The scheduled jobs: their list and triggers, `flask jobs`, the automatic period reports, and
the file lock that lets only one process run the embedded scheduler on SQLite (the lock across
hosts, in processes of their own: tests/ops/test_scheduler_lock.py).

A live APScheduler never fires under freezegun (it freezes time.monotonic): job functions are
run directly, and triggers are asked for their next fire time."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from flask import Flask
from freezegun import freeze_time
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import jobs
from app.clock import LOCAL_TZ, today_local
from app.jobs import BY_NAME, JOBS, run_job
from app.notifications.models import Notification
from app.notifications.services import office_users
from app.ops.locks import FileSchedulerLock
from app.periods import parse_period
from app.reminders.models import ReminderLog
from app.reports.auto import due_periods
from app.reports.models import ReportSnapshot

ROOT = Path(__file__).resolve().parent.parent


# Five days before Quarter I/2023's Decree 09 cut-off ends (14/03/2023): the day its report
# builds itself; 08:00 in the province.
PERIOD_REPORT_DAY = date(2023, 3, 9)
PERIOD_REPORT_MOMENT = "2023-03-09 01:00:00"  # UTC
# A Friday, 08:00 in the province: the daily jobs have run; the next runs fall on Saturday.
FRIDAY_MOMENT = "2024-07-19 01:00:00"  # UTC


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)


def count(db: Session, model: type) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0


def test_the_one_list_of_jobs(app: Flask) -> None:
    assert [job.name for job in JOBS] == ["reminders", "period-reports"]
    reminders = BY_NAME["reminders"].trigger(app.config)
    assert isinstance(reminders, CronTrigger)
    assert str(reminders.timezone) == "Asia/Ho_Chi_Minh"
    assert BY_NAME["reminders"].schedule(app.config) == "daily 07:30 Asia/Ho_Chi_Minh"
    assert BY_NAME["period-reports"].schedule(app.config) == "daily 06:00 Asia/Ho_Chi_Minh"


def test_the_scheduler_runs_each_job_once_at_a_time(app: Flask) -> None:
    scheduler = jobs.build_scheduler(app, BackgroundScheduler)
    assert str(scheduler.timezone) == "Asia/Ho_Chi_Minh"
    # Paused: the jobs get their settings without any of them running.
    scheduler.start(paused=True)
    try:
        assert {job.id for job in scheduler.get_jobs()} == {"reminders", "period-reports"}
        for job in scheduler.get_jobs():
            assert job.coalesce is True
            assert job.max_instances == 1
            assert job.misfire_grace_time == 3600
    finally:
        scheduler.shutdown(wait=False)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Friday after the run → Saturday: the job runs every day; the reminders service
        # itself decides which days are working days.
        (local(2024, 7, 19, 8, 0), local(2024, 7, 20, 7, 30)),
        # Sunday just after the run → Monday.
        (local(2024, 7, 21, 7, 31), local(2024, 7, 22, 7, 30)),
        # Just before the run: the same morning.
        (local(2024, 7, 22, 7, 29), local(2024, 7, 22, 7, 30)),
        # 23:50 UTC on Friday is already 06:50 on Saturday in the province.
        (datetime(2024, 7, 19, 23, 50, tzinfo=UTC), local(2024, 7, 20, 7, 30)),
        # 00:45 UTC is 07:45 local: today's run is past, the next is tomorrow 00:30 UTC.
        (datetime(2024, 7, 19, 0, 45, tzinfo=UTC), datetime(2024, 7, 20, 0, 30, tzinfo=UTC)),
    ],
)
def test_reminders_fire_at_half_past_seven_in_the_province(
    app: Flask, now: datetime, expected: datetime
) -> None:
    trigger = BY_NAME["reminders"].trigger(app.config)
    assert trigger.get_next_fire_time(None, now) == expected


@pytest.mark.parametrize(
    ("name", "now", "expected"),
    [
        # Saturday morning after both runs → Sunday: the weekend is not skipped by the trigger.
        ("period-reports", local(2024, 7, 20, 6, 1), local(2024, 7, 21, 6, 0)),
        ("reminders", local(2024, 7, 20, 7, 30, 1), local(2024, 7, 21, 7, 30)),
        # Sunday night → Monday morning.
        ("period-reports", local(2024, 7, 21, 23, 59), local(2024, 7, 22, 6, 0)),
        ("reminders", local(2024, 7, 21, 23, 59), local(2024, 7, 22, 7, 30)),
        # A weekend across the year end: Sunday 31/12/2023 → Monday 01/01/2024 (a holiday).
        ("reminders", local(2023, 12, 31, 8, 0), local(2024, 1, 1, 7, 30)),
        # A weekend inside Tết 2024: Saturday 10/02 → Sunday 11/02.
        ("reminders", local(2024, 2, 10, 9, 0), local(2024, 2, 11, 7, 30)),
        # Friday evening in UTC is already Saturday in the province.
        ("period-reports", datetime(2024, 7, 19, 22, 30, tzinfo=UTC), local(2024, 7, 20, 6, 0)),
    ],
)
def test_next_fire_times_across_weekends(
    app: Flask, name: str, now: datetime, expected: datetime
) -> None:
    trigger = BY_NAME[name].trigger(app.config)
    fired = trigger.get_next_fire_time(None, now)
    assert fired == expected
    # Chained the way the scheduler chains them: a run every day, Saturday and Sunday too.
    following = [fired]
    for _ in range(6):
        following.append(trigger.get_next_fire_time(following[-1], following[-1]))
    assert [f.date() for f in following[1:]] == [
        (fired + timedelta(days=n)).date() for n in range(1, 7)
    ]
    assert {f.strftime("%H:%M %z") for f in following} == {expected.strftime("%H:%M %z")}


def test_the_scheduler_schedules_the_next_runs_in_the_province(app: Flask) -> None:
    with freeze_time("2024-07-20 00:45:00"):  # Saturday 07:45 in the province
        scheduler = jobs.build_scheduler(app, BackgroundScheduler)
        scheduler.start(paused=True)
        try:
            runs = {job.id: job.next_run_time for job in scheduler.get_jobs()}
        finally:
            scheduler.shutdown(wait=False)
    assert runs == {
        "reminders": local(2024, 7, 21, 7, 30),
        "period-reports": local(2024, 7, 21, 6, 0),
    }


def test_the_time_of_day_is_configurable(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "JOBS_REMINDERS_AT", "06:15")
    trigger = BY_NAME["reminders"].trigger(app.config)
    assert trigger.get_next_fire_time(None, local(2024, 7, 19, 23, 0)) == local(2024, 7, 20, 6, 15)


def test_flask_jobs_list(app: Flask, db: Session) -> None:
    with freeze_time(FRIDAY_MOMENT):
        result = app.test_cli_runner().invoke(args=["jobs", "list"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "name            schedule                      next run",
        "reminders       daily 07:30 Asia/Ho_Chi_Minh  2024-07-20 07:30 +0700",
        "period-reports  daily 06:00 Asia/Ho_Chi_Minh  2024-07-20 06:00 +0700",
    ]


def test_period_reports_are_due_from_days_before_the_cutoff() -> None:
    q1 = parse_period("2023-Q1")
    kinds = ("quarter", "half", "year")
    assert due_periods(date(2023, 3, 8), kinds, 5, "decree09") == []
    assert due_periods(date(2023, 3, 9), kinds, 5, "decree09") == [q1]
    # A scheduler that was down on the day catches up until the period's last day.
    assert due_periods(date(2023, 3, 31), kinds, 5, "decree09") == [q1]
    assert due_periods(date(2023, 4, 1), kinds, 5, "decree09") == []
    assert due_periods(date(2023, 3, 26), kinds, 5, "calendar") == [q1]
    assert due_periods(date(2023, 3, 25), kinds, 5, "calendar") == []
    assert due_periods(date(2023, 6, 10), kinds, 5, "decree09") == [
        parse_period("2023-H1"),
        parse_period("2023-Q2"),
    ]


def test_period_reports_build_once_and_tell_the_office(
    app: Flask, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "REPORT_AUTO_SCOPES", ("131/NQ-CP",))
    staff = office_users(db)
    assert staff
    before = count(db, ReportSnapshot), count(db, Notification)

    with freeze_time(PERIOD_REPORT_MOMENT):
        assert today_local() == PERIOD_REPORT_DAY
        text = run_job(app, "period-reports", today_local())

    snapshot = db.scalars(select(ReportSnapshot).order_by(ReportSnapshot.id.desc())).first()
    assert snapshot is not None
    assert (snapshot.period_code, snapshot.cutoff_start, snapshot.cutoff_end) == (
        "2023-Q1",
        date(2022, 12, 15),
        date(2023, 3, 14),
    )
    assert snapshot.scope_label == "131/NQ-CP"
    assert snapshot.rows == 10
    assert snapshot.current_key is not None
    assert f"đã lập báo cáo #{snapshot.id} (10 nhiệm vụ)" in text
    assert count(db, ReportSnapshot) == before[0] + 1
    notes = db.scalars(select(Notification).where(Notification.kind == "report_built")).all()
    assert sorted(note.user_id for note in notes) == sorted(user.id for user in staff)
    assert {note.link for note in notes} == {f"/reports/{snapshot.id}"}
    assert count(db, Notification) == before[1] + len(staff)

    # Run again (the next day, or twice the same day): nothing new is built or sent.
    with freeze_time("2023-03-10 01:00:00"):
        again = run_job(app, "period-reports", today_local())
    assert f"báo cáo #{snapshot.id} đã được lập" in again
    assert count(db, ReportSnapshot) == before[0] + 1
    assert count(db, Notification) == before[1] + len(staff)


# The job speaks the default language (Vietnamese), like the notifications it writes.
def test_run_once_as_of_a_date(app: Flask, db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "REPORT_AUTO_SCOPES", ("131/NQ-CP", "999/XX"))
    runner = app.test_cli_runner()
    before = count(db, ReportSnapshot), count(db, Notification)

    dry = runner.invoke(
        args=["jobs", "run-once", "period-reports", "--date", "2023-03-10", "--dry-run"]
    )
    assert dry.exit_code == 0, dry.output
    assert dry.output.splitlines() == [
        "Công việc period-reports tính đến ngày 10/03/2023 (chạy thử: không ghi gì)",
        "Bỏ qua 999/XX: không có văn bản chỉ đạo nào mang số này.",
        "Quý I năm 2023 · 131/NQ-CP: sẽ lập báo cáo và thông báo cho "
        + ", ".join(user.username for user in office_users(db))
        + ".",
    ]
    assert (count(db, ReportSnapshot), count(db, Notification)) == before

    real = runner.invoke(args=["jobs", "run-once", "period-reports", "--date", "2023-03-10"])
    assert real.exit_code == 0, real.output
    assert "Quý I năm 2023 · 131/NQ-CP: đã lập báo cáo #" in real.output
    assert count(db, ReportSnapshot) == before[0] + 1

    dry = runner.invoke(
        args=["jobs", "run-once", "period-reports", "--date", "2023-03-10", "--dry-run"]
    )
    assert "đã được lập; không cần làm gì." in dry.output

    quiet = runner.invoke(args=["jobs", "run-once", "period-reports", "--date", "2023-03-01"])
    assert quiet.output.splitlines()[-1] == "Ngày 01/03/2023 không có kỳ báo cáo nào đến hạn lập."


def test_run_once_refuses_an_unknown_job_and_a_bad_date(app: Flask) -> None:
    runner = app.test_cli_runner()
    assert runner.invoke(args=["jobs", "run-once", "tasks"]).exit_code == 2
    assert (
        runner.invoke(args=["jobs", "run-once", "reminders", "--date", "10/03/2023"]).exit_code == 2
    )


def test_reminders_call_the_reminders_service(
    app: Flask, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []

    class Summary:
        def describe(self) -> str:
            return "2 reminders planned"

    def run_reminders(session, day, *, dry_run=False, send=True):
        calls.append((day, dry_run, send))
        return Summary()

    monkeypatch.setattr("app.reminders.services.run_reminders", run_reminders)
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["jobs", "run-once", "reminders", "--date", "2024-03-01", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert dry.output.splitlines()[-1] == "2 reminders planned"
    real = runner.invoke(args=["jobs", "run-once", "reminders", "--date", "2024-03-01"])
    assert real.exit_code == 0, real.output
    assert calls == [(date(2024, 3, 1), True, False), (date(2024, 3, 1), False, True)]


HOLD_LOCK = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from app.ops.locks import FileSchedulerLock
    lock = FileSchedulerLock(Path(sys.argv[1]))
    held = lock.acquire()
    print("locked" if held else "busy", flush=True)
    if held:
        sys.stdin.read()  # hold the lock until the test closes our standard input
    """
)


def _try_lock(path: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-c", HOLD_LOCK, str(path)],
        cwd=ROOT,
        input="",
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


def test_only_one_process_gets_the_scheduler_lock(tmp_path: Path) -> None:
    path = tmp_path / "scheduler.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(path)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        assert _try_lock(path) == "busy"
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=60)
        holder.stdout.close()
    # The lock dies with its process: the next one gets it.
    assert _try_lock(path) == "locked"


def test_the_embedded_scheduler_starts_once(
    app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "scheduler.lock"
    monkeypatch.setattr(jobs, "lock_for", lambda _app: FileSchedulerLock(path))
    # The catch-up run is tested below, on a database of its own; the heartbeat in
    # tests/ops/test_scheduler_lock.py, in processes of their own.
    catch_ups: list[object] = []
    monkeypatch.setattr(jobs, "schedule_catch_up", lambda _app, sched: catch_ups.append(sched))
    beats: list[object] = []
    monkeypatch.setattr(jobs.Watchdog, "beat", lambda self: beats.append(self))
    first = jobs.start_embedded_scheduler(app)
    try:
        assert first is not None
        assert first.running
        assert catch_ups == [first]
        assert len(beats) == 1  # the heartbeat is written as soon as the scheduler starts
        # A second start in this process (a reloader, a second import of wsgi) finds the lock held.
        assert jobs.start_embedded_scheduler(app) is None
        assert FileSchedulerLock(path).acquire() is False
    finally:
        jobs.stop_embedded_scheduler()
    assert not first.running
    again = FileSchedulerLock(path)
    assert again.acquire() is True
    again.release()


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (local(2024, 3, 1, 7, 29), False),  # before today's run: the trigger will fire
        (local(2024, 3, 1, 7, 30), True),
        (local(2024, 3, 2, 21, 0), True),  # a Saturday: the service itself gives nothing
        (datetime(2024, 3, 1, 0, 31, tzinfo=UTC), True),  # 07:31 in the province
    ],
)
def test_a_scheduler_started_after_the_run_time_catches_up(
    app: Flask, db: Session, now: datetime, due: bool
) -> None:
    scheduler = jobs.build_scheduler(app, BackgroundScheduler)
    assert jobs.schedule_catch_up(app, scheduler, now) is due
    scheduler.start(paused=True)
    try:
        catch_up = scheduler.get_job("reminders-catch-up")
        if not due:
            assert catch_up is None
            return
        assert catch_up.args == (app, "reminders")
        assert catch_up.next_run_time == now
        assert isinstance(catch_up.trigger, DateTrigger)
    finally:
        scheduler.shutdown(wait=False)


def test_no_catch_up_once_today_has_been_reminded(app: Flask, db: Session) -> None:
    from app.reminders.services import run_reminders

    with freeze_time("2024-03-01 01:00:00"), app.app_context():
        summary = run_reminders(db, today_local(), send=False)
    assert summary.given > 0  # the demo data have overdue tasks on 01/03/2024
    scheduler = jobs.build_scheduler(app, BackgroundScheduler)
    assert jobs.schedule_catch_up(app, scheduler, local(2024, 3, 1, 9, 0)) is False
    assert jobs.schedule_catch_up(app, scheduler, local(2024, 3, 4, 9, 0)) is True


def test_run_once_reminders_dry_run_prints_a_readable_plan(app: Flask, db: Session) -> None:
    from app.notifications.models import MailOutbox

    before = count(db, ReminderLog), count(db, MailOutbox), count(db, Notification)
    result = app.test_cli_runner().invoke(
        args=["jobs", "run-once", "reminders", "--date", "2024-03-01", "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:2] == [
        "Công việc reminders tính đến ngày 01/03/2024 (chạy thử: không ghi gì)",
        "Nhắc việc ngày 01/03/2024 (chạy thử, không ghi và không gửi gì):",
    ]
    assert "- Sở Thông tin và Truyền thông" in lines
    at = lines.index("- Sở Thông tin và Truyền thông")
    assert lines[at + 1] == "    thư tới: không có địa chỉ thư; chuông: 1 người dùng"
    assert lines[at + 2].startswith("    Quá hạn: ")
    assert lines[at + 3].startswith("      • [#")
    assert "ngày làm việc" in lines[at + 3]
    assert "- Văn phòng UBND tỉnh" in lines
    assert (count(db, ReminderLog), count(db, MailOutbox), count(db, Notification)) == before
