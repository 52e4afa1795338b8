"""The one list of scheduled jobs, their schedules, and `flask jobs run|list|run-once`.

Jobs run in ONE scheduler process: `flask jobs run` beside the web workers in production, or
the scheduler embedded in `make run`'s single waitress process (`NHIEMVU_EMBEDDED_SCHEDULER=1`,
set by the Makefile). Started in every gunicorn worker, APScheduler would run each job once per
worker, so web workers never start one. The scheduler lock (app/ops/locks.py: an advisory lock
on PostgreSQL, a file lock under instance/ on SQLite) lets one process run the jobs; a second
`flask jobs run` (on another host) waits as a standby and takes over when the first dies. The
holder writes a heartbeat that /healthz reads, and stops at once if it loses the lock. Each job
body is a thin, idempotent call into a service, run in its own app context and session,
committed once.
"""

from __future__ import annotations

import atexit
import logging
import os
import signal
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import click
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit import set_actor
from app.clock import LOCAL_TZ, now_utc, today_local
from app.extensions import db
from app.ops.locks import SchedulerLock, scheduler_lock
from app.ops.watchdog import Watchdog

log = logging.getLogger(__name__)

EMBEDDED_ENV = "NHIEMVU_EMBEDDED_SCHEDULER"
LOCK_NAME = "scheduler.lock"
JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600}


@dataclass(frozen=True)
class Job:
    """A named job, run daily at the time of day held in the setting `at_setting`."""

    name: str
    at_setting: str
    run: Callable[[Session, date, bool], str]

    def at(self, config: Any) -> tuple[int, int]:
        hour, minute = config[self.at_setting].split(":")
        return int(hour), int(minute)

    def trigger(self, config: Any) -> CronTrigger:
        hour, minute = self.at(config)
        return CronTrigger(hour=hour, minute=minute, timezone=LOCAL_TZ)

    def schedule(self, config: Any) -> str:
        hour, minute = self.at(config)
        return f"daily {hour:02d}:{minute:02d} Asia/Ho_Chi_Minh"


def _reminders(session: Session, day: date, dry_run: bool) -> str:
    from app.reminders.services import run_reminders

    summary = run_reminders(session, day, dry_run=dry_run, send=not dry_run)
    return summary.describe()


def _period_reports(session: Session, day: date, dry_run: bool) -> str:
    from app.reports.auto import build_period_reports

    summary = build_period_reports(session, day, settings=current_app.config, dry_run=dry_run)
    return summary.describe()


JOBS: tuple[Job, ...] = (
    Job("reminders", "JOBS_REMINDERS_AT", _reminders),
    Job("period-reports", "JOBS_PERIOD_REPORTS_AT", _period_reports),
)
BY_NAME = {job.name: job for job in JOBS}


def run_job(app: Flask, name: str, day: date, *, dry_run: bool = False) -> str:
    """Run one job as of `day` in a fresh app context and session; commit unless dry."""
    job = BY_NAME[name]
    with app.app_context():
        session = db.session
        set_actor(session, None, f"flask jobs {name}")
        try:
            text = job.run(session, day, dry_run)
            if dry_run:
                session.rollback()
            else:
                session.commit()
            return text
        except BaseException:
            session.rollback()
            raise
        finally:
            db.session.remove()


def _scheduled(app: Flask, name: str) -> None:
    """What the scheduler calls: the job as of today in the province."""
    text = run_job(app, name, today_local())
    log.info("job %s done:\n%s", name, text)


def _reminders_ran_on(app: Flask, day: date) -> bool:
    """Whether a `reminders` run for `day` gave anything (its reminder log rows)."""
    from app.reminders.models import ReminderLog

    with app.app_context():
        try:
            return (
                db.session.scalar(select(ReminderLog.id).where(ReminderLog.run_day == day).limit(1))
                is not None
            )
        finally:
            db.session.remove()


def schedule_catch_up(app: Flask, scheduler: BaseScheduler, now: datetime | None = None) -> bool:
    """Add a one-off `reminders` run, at once, when today's scheduled time has passed and no
    run for today has given anything: a scheduler started at 09:00 (or after days down)
    still reminds today, and the bell fills as soon as `make run` starts. The reminder log
    makes a second run harmless, so "nothing given today" is a safe enough test. True if
    the run was added."""
    now = (now or now_utc()).astimezone(LOCAL_TZ)
    job = BY_NAME["reminders"]
    if now.time() < time(*job.at(app.config)) or _reminders_ran_on(app, now.date()):
        return False
    scheduler.add_job(
        _scheduled,
        "date",
        run_date=now,
        args=(app, job.name),
        id=f"{job.name}-catch-up",
        name=f"{job.name} (catch-up)",
        replace_existing=True,
    )
    return True


def build_scheduler(app: Flask, kind: type[BaseScheduler]) -> BaseScheduler:
    """A scheduler of `kind` holding every job, not started."""
    scheduler = kind(timezone=LOCAL_TZ, job_defaults=dict(JOB_DEFAULTS))
    for job in JOBS:
        scheduler.add_job(
            _scheduled,
            job.trigger(app.config),
            args=(app, job.name),
            id=job.name,
            name=job.name,
            replace_existing=True,
        )
    return scheduler


def lock_path(app: Flask) -> Path:
    return Path(app.instance_path) / LOCK_NAME


def lock_for(app: Flask) -> SchedulerLock:
    """The scheduler lock of `app`'s database (advisory on PostgreSQL, a file on SQLite)."""
    return scheduler_lock(app.config["SQLALCHEMY_DATABASE_URI"], lock_path(app).parent)


_held: dict[str, Any] = {}


def start_embedded_scheduler(app: Flask) -> BaseScheduler | None:
    """Start the in-process scheduler of a one-process install, unless another process
    already runs one (the lock is then held elsewhere)."""
    lock = lock_for(app)
    if not lock.acquire():
        log.info("another process runs the scheduler; not starting one here")
        return None
    scheduler = build_scheduler(app, BackgroundScheduler)
    schedule_catch_up(app, scheduler)
    scheduler.start()
    watchdog = Watchdog(app, lock, lost=lambda: scheduler.shutdown(wait=False))
    watchdog.start()
    _held.update(lock=lock, scheduler=scheduler, watchdog=watchdog)
    atexit.register(stop_embedded_scheduler)
    return scheduler


def stop_embedded_scheduler() -> None:
    """Stop the embedded scheduler, if this process runs it, and release the lock."""
    watchdog = _held.pop("watchdog", None)
    if watchdog is not None:
        watchdog.stop()
    scheduler = _held.pop("scheduler", None)
    if scheduler is not None and scheduler.running:
        scheduler.shutdown(wait=False)
    lock = _held.pop("lock", None)
    if lock is not None:
        lock.release()


def next_fire_time(job: Job, config: Any, now: datetime | None = None) -> datetime | None:
    now = now or now_utc().astimezone(LOCAL_TZ)
    return job.trigger(config).get_next_fire_time(None, now)


@click.group("jobs")
def jobs_cli() -> None:
    """The scheduled jobs: run the scheduler, list the jobs, run one by hand."""


@jobs_cli.command("list")
@with_appcontext
def list_command() -> None:
    """List every job, its schedule and when it next runs."""
    config = current_app.config
    rows = [("name", "schedule", "next run")]
    for job in JOBS:
        upcoming = next_fire_time(job, config)
        rows.append(
            (job.name, job.schedule(config), f"{upcoming:%Y-%m-%d %H:%M %z}" if upcoming else "-")
        )
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        click.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


class _Stop(Exception):
    """SIGTERM (systemd stopping the unit): leave the standby loop or the scheduler."""


def _stop_on_sigterm() -> None:
    def handler(_signum: int, _frame: Any) -> None:
        raise _Stop

    signal.signal(signal.SIGTERM, handler)


def wait_for_lock(lock: SchedulerLock, retry: float, stopping: threading.Event) -> bool:
    """Standby: try the lock every `retry` seconds until it is ours (True) or `stopping`."""
    while not lock.acquire():
        if stopping.wait(retry):
            return False
    return True


@jobs_cli.command("run")
@click.option(
    "--wait/--no-wait",
    default=True,
    help="While another process holds the scheduler lock: wait as a standby and take over "
    "when it stops (default), or exit at once.",
)
@with_appcontext
def run_command(wait: bool) -> None:
    """Run the scheduler in the foreground (the one scheduler process; Ctrl+C stops it)."""
    from app.ops.logs import configure_logging

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    # The job summaries and APScheduler's own messages go to standard error.
    configure_logging(app.config)
    lock = lock_for(app)
    _stop_on_sigterm()
    try:
        if not lock.acquire():
            if not wait:
                raise click.ClickException(
                    f"another process already runs the scheduler ({lock.description})"
                )
            retry = app.config["SCHEDULER_LOCK_RETRY"]
            log.info(
                "scheduler standby: another process holds %s; trying every %s s",
                lock.description,
                retry,
            )
            wait_for_lock(lock, retry, threading.Event())
        _run_scheduler(app, lock)
    except (KeyboardInterrupt, SystemExit, _Stop):
        log.info("scheduler stopped")
    finally:
        lock.release()


def _run_scheduler(app: Flask, lock: SchedulerLock) -> None:
    """Run every job on its schedule while holding `lock` (returns when stopped)."""
    log.info(
        "scheduler running here (host %s, process %s, %s)",
        socket.gethostname(),
        os.getpid(),
        lock.description,
    )
    scheduler = build_scheduler(app, BlockingScheduler)
    for job in JOBS:
        click.echo(f"{job.name}: {job.schedule(app.config)}")
    if schedule_catch_up(app, scheduler):
        click.echo("reminders: today's run is due and has not happened; running it now")
    watchdog = Watchdog(app, lock, lost=lambda: scheduler.shutdown(wait=False))
    watchdog.start()
    try:
        scheduler.start()
    finally:
        watchdog.stop()
        if scheduler.running:
            scheduler.shutdown(wait=False)
    if watchdog.was_lost:
        raise click.ClickException("the scheduler lock was lost; exiting so it can be retaken")


@jobs_cli.command("run-once")
@click.argument("name", type=click.Choice([job.name for job in JOBS]))
@click.option(
    "--date",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Run as of this day (default: today).",
)
@click.option("--dry-run", is_flag=True, help="Print what would be done; write nothing.")
@with_appcontext
def run_once_command(name: str, on: datetime | None, dry_run: bool) -> None:
    """Run the job NAME once, now, as of --date."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    day = on.date() if on is not None else today_local()
    if dry_run:
        click.echo(
            _(
                "Job %(name)s as of %(day)s (dry run: nothing is written)",
                name=name,
                day=f"{day:%d/%m/%Y}",
            )
        )
    else:
        click.echo(_("Job %(name)s as of %(day)s", name=name, day=f"{day:%d/%m/%Y}"))
    click.echo(run_job(app, name, day, dry_run=dry_run))
