"""`python -m bench.reminders`: the day's reminders for 100,000 open tasks of 200 agencies.

Target: computing the day's reminders (the plan, then the digests, and which of them were
given already: what `flask jobs run-once reminders --dry-run` does) takes **under 2 s**, and
the number of SMTP messages is the number of recipients (agencies, leaders, the office), not
the number of tasks. Exit status 1 when the target is missed.

The data: the page benchmark's agencies, leaders, directives and sections (bench.province),
every agency with a mailbox and two department users, and 100,000 **open** tasks (none
completed: the worst case) with deadlines as the documents write them (date 55 %, period
10 %, recurring 15 %, continuous 10 %, unspecified 10 %), dated around the two days measured:
a third of the dated tasks overdue, some by years, the rest due within the next half year;
4 % with an approved extension, 10 % naming their own leader. 70 % of the tasks have a
report for the current quarter, and the overdue tasks carry the reminder log a steady state
leaves behind (their weekly overdue reminder within the last six days for 6 in 7, the
escalation of the long-overdue ones already given). Two days are measured: an ordinary
Wednesday, and a Monday inside the quarter's report window (every task without a report
gets a report request as well: the heaviest day of the quarter).

The floor is a bare `SELECT` of the open tasks' rows the plan reads (id, agency, due date,
title, outline), fetched on a raw connection. The databases are kept under `instance/bench/`
(SQLite, `reminders.db`) and in `nhiemvu_bench_reminders` (PostgreSQL), reused while the
generator and migrations are unchanged; `--no-cache` uses throw-away ones.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from app import create_app
from app.agencies.models import Agency
from app.auth.models import User
from app.directives.models import Directive, Section
from app.extensions import db
from app.reminders.digests import build_digests
from app.reminders.models import ReminderLog
from app.reminders.plan import OVERDUE, plan_reminders
from app.reminders.services import run_reminders
from app.tasks.calendar import office_calendar
from app.tasks.deadlines import DeadlineKind, parse_deadline
from app.tasks.models import ProgressUpdate, ReviewState, Status, Task, UpdateKind
from app.text import nfc
from bench.generate import _insert, _read_meta, _write_meta
from bench.province import Province, Sizes, search_key, stamp
from bench.texts import CONTINUOUS_PHRASES, RECURRING_PHRASES, UNSPECIFIED_PHRASES

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = ROOT / "instance" / "bench"
DEFAULT_POSTGRESQL_URL = "postgresql://postgres@127.0.0.1:5432/nhiemvu_bench_reminders"
TARGET_S = 2.0
SEED = 307
# The two days measured: an ordinary Wednesday, and the first day of Quarter I/2026's report
# window (5 working days before its Decree 09 cut-off, Saturday 14/03/2026).
ORDINARY_DAY = date(2026, 4, 22)
REPORT_DAY = date(2026, 3, 9)
ANCHOR = date(2026, 4, 1)  # due dates are spread around it
KINDS = {
    DeadlineKind.DATE: 0.55,
    DeadlineKind.PERIOD: 0.10,
    DeadlineKind.RECURRING: 0.15,
    DeadlineKind.CONTINUOUS: 0.10,
    DeadlineKind.UNSPECIFIED: 0.10,
}
MEMBERS_PER_AGENCY = 2
REPORTED_SHARE = 0.7
SOURCES = ("bench/reminders.py", "bench/province.py", "bench/texts.py")


# --- data ---------------------------------------------------------------------------------------


class _World:
    """The rows, table by table (the page benchmark's people and directives, our own tasks)."""

    def __init__(self, sizes: Sizes) -> None:
        self.sizes = sizes
        self.rng = random.Random(SEED)
        self.province = Province(sizes, ANCHOR)
        self.tasks: list[dict[str, Any]] = []
        self._deadlines: dict[tuple[str, date], Any] = {}

    def agencies(self) -> Iterator[dict[str, Any]]:
        for row in self.province.agencies():
            row["email"] = f"vanthu.dv{row['id']:03d}@binhdinh.gov.vn"
            yield row

    def users(self) -> list[dict[str, Any]]:
        people = self.province.users()
        for person in people:
            person["email"] = f"{person['username']}@binhdinh.gov.vn"
        template = people[-1]
        next_id = max(p["id"] for p in people) + 1
        for agency_id in self.province.agency_ids:
            for number in range(MEMBERS_PER_AGENCY):
                people.append(
                    {
                        **template,
                        "id": next_id,
                        "username": f"dv{agency_id:03d}-{number + 1}",
                        "full_name": f"Chuyên viên {number + 1} đơn vị {agency_id:03d}",
                        "email": f"cv{number + 1}.dv{agency_id:03d}@binhdinh.gov.vn",
                        "role": "department",
                        "agency_id": agency_id,
                    }
                )
                next_id += 1
        return people

    def _deadline(self, phrase: str, assigned: date) -> Any:
        key = (phrase, assigned)
        if key not in self._deadlines:
            self._deadlines[key] = parse_deadline(phrase, reference=assigned)
        return self._deadlines[key]

    def _phrase(self, kind: DeadlineKind) -> tuple[str | None, date]:
        rng = self.rng
        if kind == DeadlineKind.DATE:
            # A third overdue (some by years), the rest due within half a year.
            offset = rng.randint(-700, -1) if rng.random() < 0.33 else rng.randint(0, 180)
            due = ANCHOR + timedelta(days=offset)
            assigned = due - timedelta(days=rng.randint(30, 400))
            return f"trước ngày {due.day}/{due.month}/{due.year}", assigned
        if kind == DeadlineKind.PERIOD:
            last = rng.choice((2024, 2025, 2026, 2026, 2027))
            return f"Giai đoạn {last - rng.randint(1, 4)}-{last}", date(last - 3, 1, 15)
        assigned = ANCHOR - timedelta(days=rng.randint(60, 900))
        pool = {
            DeadlineKind.RECURRING: RECURRING_PHRASES,
            DeadlineKind.CONTINUOUS: CONTINUOUS_PHRASES,
            DeadlineKind.UNSPECIFIED: UNSPECIFIED_PHRASES,
        }[kind]
        return rng.choice(pool), assigned

    def make_tasks(self) -> None:
        rng = self.rng
        agencies = self.province.agency_ids
        weights = [1 / k**0.6 for k in agencies]
        leaders = self.province.leader_ids
        kinds, kind_weights = list(KINDS), list(KINDS.values())
        per_directive = -(-self.sizes.tasks // self.sizes.directives)
        for index in range(self.sizes.tasks):
            task_id = index + 1
            directive = index // per_directive
            kind = rng.choices(kinds, kind_weights)[0]
            phrase, assigned = self._phrase(kind)
            deadline = self._deadline(phrase or "", assigned)
            extended = None
            if deadline.due is not None and rng.random() < 0.04:
                extended = deadline.due + timedelta(days=rng.choice((30, 60, 90)))
            values = {
                "title": nfc(self.province._title(assigned.year)),
                "outline": f"{index % 3 + 1}.{index % 97 + 1}",
                "code": None,
                "lead_text": None,
                "deadline_text": nfc(phrase),
                "product": None,
            }
            self.tasks.append(
                {
                    "id": task_id,
                    "directive_id": directive + 1,
                    "section_id": directive * 3 + index % 3 + 1,
                    "parent_id": None,
                    "position": index % per_directive,
                    **values,
                    "lead_agency_id": rng.choices(agencies, weights)[0],
                    "coordinators_text": None,
                    "supervisor_id": rng.choice(leaders) if rng.random() < 0.1 else None,
                    "assigned_on": assigned,
                    "start_text": None,
                    "deadline_kind": deadline.kind,
                    "deadline_start": deadline.start,
                    "deadline_due": deadline.due,
                    "deadline_dues": [d.isoformat() for d in deadline.dues],
                    "extended_due": extended,
                    "status": Status.PARTIAL if rng.random() < 0.15 else Status.IN_PROGRESS,
                    "completed_on": None,
                    "version": 1,
                    "deleted_at": None,
                    "search_key": search_key(Task, values),
                    "created_at": stamp(assigned),
                    "updated_at": stamp(assigned),
                }
            )

    def updates(self) -> Iterator[dict[str, Any]]:
        """A report for the current quarter on most tasks (the rest get report requests)."""
        rng = self.rng
        for task in self.tasks:
            if rng.random() >= REPORTED_SHARE:
                continue
            reported = date(2026, 1, 5) + timedelta(days=rng.randint(0, 55))
            yield {
                "task_id": task["id"],
                "agency_id": task["lead_agency_id"],
                "author_id": None,
                "reported_on": reported,
                "period": "2026-Q1",
                "status": task["status"],
                "explanation": "Đang tiếp tục triển khai theo kế hoạch.",
                "completed_on": None,
                "kind": UpdateKind.REPORT,
                "review_state": ReviewState.ACCEPTED,
                "reviewed_by_id": None,
                "reviewed_at": None,
                "review_note": None,
                "created_at": stamp(reported),
                "updated_at": stamp(reported),
            }

    def log(self) -> Iterator[dict[str, Any]]:
        """What a steady state leaves in the reminder log for the overdue tasks on each day
        measured: the weekly overdue reminder in the last six days for 6 in 7 of them, and
        the escalation of those overdue for three weeks, to the office and the leader."""
        rng = self.rng
        leaders = {a: lead for lead, ids in self.province.supervisors().items() for a in ids}
        escalated: set[int] = set()
        for day in (REPORT_DAY, ORDINARY_DAY):
            for task in self.tasks:
                due = task["extended_due"] or task["deadline_due"]
                if task["deadline_kind"] not in ("date", "period") or due is None or due >= day:
                    continue
                agency = task["lead_agency_id"]
                if rng.random() < 6 / 7:
                    occurrence = day - timedelta(rng.randint(1, 6))
                    yield self._log_row(task, f"agency:{agency}", OVERDUE, occurrence)
                if (day - due).days > 20 and task["id"] not in escalated:
                    escalated.add(task["id"])
                    leader = task["supervisor_id"] or leaders.get(agency)
                    if leader is not None:
                        yield self._log_row(task, f"leader:{leader}", "escalation", due)
                    yield self._log_row(task, "office", "escalation", due)

    @staticmethod
    def _log_row(task: dict[str, Any], recipient: str, kind: str, occurrence: date) -> dict:
        return {
            "task_id": task["id"],
            "recipient": recipient,
            "kind": kind,
            "occurrence": occurrence,
            "run_day": occurrence,
            "outbox_id": None,
            "created_at": stamp(occurrence),
        }


def _cache_key(sizes: Sizes) -> str:
    digest = hashlib.sha256(repr((sizes, SEED, ORDINARY_DAY, REPORT_DAY)).encode())
    paths = [ROOT / name for name in SOURCES]
    paths += sorted((ROOT / "migrations" / "versions").glob("*.py"))
    paths += sorted((ROOT / "app" / "tasks" / "deadlines").rglob("*.py"))
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _populate(app: Flask, sizes: Sizes) -> None:
    world = _World(sizes)
    world.make_tasks()
    engine = db.engine
    dialect = engine.dialect
    raw = engine.raw_connection()
    driver = raw.driver_connection
    sqlite = dialect.name == "sqlite"
    try:
        if sqlite:
            driver.execute("PRAGMA synchronous=OFF")
            driver.execute("BEGIN")
        _insert(driver, dialect, Agency.__table__, world.agencies())
        _insert(driver, dialect, User.__table__, world.users())
        cursor = driver.cursor()
        for leader, agencies in world.province.supervisors().items():
            ids = ", ".join(str(int(agency_id)) for agency_id in agencies)
            cursor.execute(
                f"UPDATE agencies SET supervisor_id = {int(leader)} WHERE id IN ({ids})"  # noqa: S608  (our own integers)
            )
        cursor.close()
        _insert(driver, dialect, Directive.__table__, world.province.directives())
        _insert(driver, dialect, Section.__table__, world.province.sections())
        _insert(driver, dialect, Task.__table__, world.tasks)
        _insert(driver, dialect, ProgressUpdate.__table__, world.updates())
        _insert(driver, dialect, ReminderLog.__table__, world.log())
        if sqlite:
            driver.execute("COMMIT")
        else:
            driver.commit()
    finally:
        raw.close()
    if not sqlite:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for table in ("agencies", "users", "directives", "sections", "tasks"):
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                        f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
                    )
                )
            connection.execute(text("VACUUM ANALYZE"))


@dataclass
class Database:
    name: str
    app: Flask
    location: str
    cached: bool
    cleanup: Callable[[], None]


def _app(url: str) -> Flask:
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x" * 40})


def _prepare(url: str, key: str, sizes: Sizes, *, cache: bool, fresh: bool) -> bool:
    """Fill the empty (or stale) database at `url`; True when a matching one was kept."""
    app = _app(url)
    with app.app_context():
        meta = _read_meta(db.engine)
        if cache and not fresh and meta is not None and meta["key"] == key:
            db.engine.dispose()
            return True
        started = time.perf_counter()
        upgrade()
        _populate(app, sizes)
        _write_meta(db.engine, key, date.today(), time.perf_counter() - started)
        db.session.remove()
        db.engine.dispose()
    return False


def sqlite_database(sizes: Sizes, *, cache: bool, fresh: bool) -> Database:
    key = _cache_key(sizes)
    if not cache:
        directory = tempfile.mkdtemp(prefix="nhiemvu-bench-reminders-")
        path = Path(directory) / "reminders.db"
        _prepare(f"sqlite:///{path}", key, sizes, cache=False, fresh=True)
        return Database(
            "SQLite",
            _app(f"sqlite:///{path}"),
            str(path),
            False,
            lambda: shutil.rmtree(directory, ignore_errors=True),
        )
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    path = CACHE_DIR / "reminders.db"
    if fresh or (path.exists() and not _matches(f"sqlite:///{path}", key)):
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    kept = _prepare(f"sqlite:///{path}", key, sizes, cache=True, fresh=fresh)
    return Database("SQLite", _app(f"sqlite:///{path}"), str(path), kept, lambda: None)


def _matches(url: str, key: str) -> bool:
    engine = create_engine(url)
    try:
        meta = _read_meta(engine)
        return meta is not None and meta["key"] == key
    finally:
        engine.dispose()


class Unavailable(Exception):
    """PostgreSQL cannot be used here."""


def postgresql_database(url: str, sizes: Sizes, *, cache: bool, fresh: bool) -> Database:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix) :]
    target = make_url(url)
    admin = create_engine(
        target.set(database="postgres"),
        isolation_level="AUTOCOMMIT",
        connect_args={"connect_timeout": 5},
    )
    quoted = admin.dialect.identifier_preparer.quote(target.database)
    try:
        with admin.connect() as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
            )
            key = _cache_key(sizes)
            if exists and (fresh or not cache or not _matches(url, key)):
                engine = create_engine(url)
                tables = inspect(engine).get_table_names()
                ours = _read_meta(engine) is not None
                engine.dispose()
                if tables and not ours:
                    raise Unavailable(f"{target.database} holds tables a benchmark did not make")
                connection.execute(text(f"DROP DATABASE {quoted} WITH (FORCE)"))
                exists = False
            if not exists:
                connection.execute(
                    text(f"CREATE DATABASE {quoted} ENCODING 'UTF8' TEMPLATE template0")
                )
    except OperationalError as error:
        raise Unavailable(str(error.orig or error).strip().splitlines()[0]) from error
    kept = _prepare(url, key, sizes, cache=cache, fresh=False)

    def cleanup() -> None:
        if not cache:
            with admin.connect() as connection:
                connection.execute(text(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"))
        admin.dispose()

    safe = target.render_as_string(hide_password=True)
    return Database("PostgreSQL", _app(url), safe, kept, cleanup)


# --- measuring -----------------------------------------------------------------------------------


@dataclass
class DayFigures:
    day: date
    floor_s: float
    plan_s: float
    digests_s: float
    dry_run_s: float
    open_tasks: int
    reminders: int  # (task, kind) planned
    tasks: int  # distinct tasks reminded
    recipients: int  # digests: agencies, leaders, the office
    messages: int  # SMTP messages: digests with at least one address and something new
    addresses: int  # distinct mailboxes those messages go to
    new: int  # (task, recipient, kind) not given before
    by_kind: dict[str, int]


def _best(repeat: int, work: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _floor(app: Flask) -> int:
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(
            "SELECT id, lead_agency_id, coalesce(extended_due, deadline_due), title, outline "
            "FROM tasks WHERE deleted_at IS NULL AND status != 'completed'"
        )
        rows = cursor.fetchall()
        cursor.close()
        return len(rows)
    finally:
        raw.close()


def measure_day(app: Flask, day: date, repeat: int) -> DayFigures:
    config = {**app.config, "BABEL_DEFAULT_LOCALE": "vi"}
    with app.app_context(), app.test_request_context():
        session = db.session
        floor_s, open_tasks = _best(repeat, lambda: _floor(app))
        calendar = office_calendar(session)

        def plan() -> Any:
            session.rollback()
            return plan_reminders(session, day, calendar=calendar)

        plan_s, planned = _best(repeat, plan)
        digests_s, digests = _best(repeat, lambda: build_digests(session, planned))
        dry_s, summary = _best(
            repeat,
            lambda: run_reminders(session, day, dry_run=True, send=False, config=config),
        )
        session.rollback()
        fresh = {d.key: d for d in summary.digests}
        messages = [d for d in digests if d.key in fresh and d.addresses]
        by_kind: dict[str, int] = {}
        for reminder in planned.reminders:
            by_kind[reminder.kind] = by_kind.get(reminder.kind, 0) + 1
        figures = DayFigures(
            day=day,
            floor_s=floor_s,
            plan_s=plan_s,
            digests_s=digests_s,
            dry_run_s=dry_s,
            open_tasks=open_tasks,
            reminders=len(planned.reminders),
            tasks=len({r.task_id for r in planned.reminders}),
            recipients=len(fresh),
            messages=len(messages),
            addresses=len({a.lower() for d in messages for a in d.addresses}),
            new=summary.given,
            by_kind=by_kind,
        )
        db.session.remove()
    return figures


def report(name: str, figures: DayFigures) -> str:
    ratio = figures.dry_run_s / figures.floor_s if figures.floor_s else float("nan")
    kinds = ", ".join(f"{k} {n:,}" for k, n in sorted(figures.by_kind.items()))
    verdict = "met" if figures.dry_run_s < TARGET_S else "MISSED"
    return "\n".join(
        [
            f"{name}, {figures.day:%a %d/%m/%Y}: {figures.open_tasks:,} open tasks",
            f"  raw floor (bare SELECT of the open tasks' rows)  {figures.floor_s * 1000:8.1f} ms",
            f"  plan_reminders                                   {figures.plan_s * 1000:8.1f} ms",
            f"  build_digests                                    {figures.digests_s * 1000:8.1f} ms",
            f"  the day's reminders (dry run: plan, digests,     {figures.dry_run_s * 1000:8.1f} ms"
            f"  = {ratio:.1f}x the floor; target < {TARGET_S:.0f} s: {verdict}",
            "    already given)",
            f"  planned: {figures.reminders:,} reminders about {figures.tasks:,} tasks ({kinds})",
            f"  to give: {figures.new:,} (task, recipient, kind) not given before, to "
            f"{figures.recipients:,} recipients",
            f"  SMTP messages: {figures.messages:,} (one per recipient with a mailbox), to "
            f"{figures.addresses:,} addresses; tasks reminded: {figures.tasks:,}",
        ]
    )


def sibling_url(url: str) -> str:
    """The reminders benchmark's database beside the page benchmark's `url`."""
    target = make_url(url)
    return target.set(database=f"{target.database}_reminders").render_as_string(False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reminders", description=__doc__)
    parser.add_argument("--size", type=float, default=1.0, help="0.1: 10,000 tasks")
    parser.add_argument("--tasks", type=int, help="open tasks (overrides --size)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs (median)")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--postgresql-url",
        default=os.environ.get("BENCH_REMINDERS_DATABASE_URL", DEFAULT_POSTGRESQL_URL),
    )
    parser.add_argument("--fresh", action="store_true", help="generate again")
    parser.add_argument("--no-cache", action="store_true", help="throw-away databases")
    args = parser.parse_args(argv)
    tasks = args.tasks or max(1, round(100_000 * args.size))
    sizes = Sizes(tasks=tasks, agencies=200, updates=0, directives=50)
    command = "python -m bench.reminders " + " ".join(argv if argv is not None else sys.argv[1:])
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"nhiemvu reminders benchmark: {command.strip()} (load average {load})", flush=True)
    missed = False
    for kind in [n.strip() for n in args.databases.split(",") if n.strip()]:
        started = time.perf_counter()
        try:
            if kind == "sqlite":
                database = sqlite_database(sizes, cache=not args.no_cache, fresh=args.fresh)
            else:
                database = postgresql_database(
                    args.postgresql_url, sizes, cache=not args.no_cache, fresh=args.fresh
                )
        except Unavailable as reason:
            print(f"\n{kind}: skipped: {reason}")
            continue
        how = "reused" if database.cached else f"generated in {time.perf_counter() - started:.0f} s"
        print(f"\n== {database.name} ({database.location}, {how})", flush=True)
        try:
            for day in (ORDINARY_DAY, REPORT_DAY):
                figures = measure_day(database.app, day, args.repeat)
                print(report(database.name, figures), flush=True)
                missed |= figures.dry_run_s >= TARGET_S
        finally:
            with database.app.app_context():
                db.engine.dispose()
            database.cleanup()
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"\nload average at the end: {load}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
