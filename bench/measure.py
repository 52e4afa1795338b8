"""Server-side timing of the busiest pages, against the raw SQL floor measured in the same run.

Requests go through Flask's test client in this process (no network, no browser): the time
measured is the application's own work for one request -- routing, the session and login,
every SQL statement, templates. The floor is the raw SQL of the overdue-by-agency count run
directly on a connection: anything a page takes beyond a few floors is overhead of the
application (N+1 queries, filtering in Python, unbounded lists).
"""

from __future__ import annotations

import gc
import os
import re
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import unquote_plus, urlencode

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Date, Engine, bindparam, event, func, select, text

from app.auth.models import Role
from app.clock import today_local
from app.extensions import db
from app.search.highlight import query_words
from app.tasks.models import Task
from bench.generate import PASSWORD, USERNAMES, Generated

TARGET_MS = 50.0
WARMUP = 3
TRACE_PLAN_SECONDS = 0.005  # --trace prints the plan of statements slower than this
DEFAULT_QUERY = "chuyển đổi số"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
FLOOR_SQL = text(
    "SELECT lead_agency_id, count(*) FROM tasks"
    " WHERE deleted_at IS NULL AND status <> 'completed'"
    " AND coalesce(extended_due, deadline_due) < :today"
    " AND deadline_kind IN ('date','period')"
    " GROUP BY lead_agency_id"
).bindparams(bindparam("today", type_=Date()))


@dataclass(frozen=True)
class Page:
    """One page to time, and who asks for it."""

    label: str
    role: Role | None  # None: the raw SQL floor
    path: str

    @property
    def shown(self) -> str:
        """The path as a person reads it (the query string decoded)."""
        return unquote_plus(self.path)


@dataclass
class Timing:
    """What one page (or the floor) measured."""

    page: Page
    samples: list[float] = field(default_factory=list)  # seconds
    statements: float = 0.0  # SQL statements per request
    sql_samples: list[float] = field(default_factory=list)  # seconds in SQL execute, per request
    size: int = 0  # bytes of the response body
    error: str | None = None  # a non-200 status or an exception

    @property
    def median_ms(self) -> float:
        return 1000 * statistics.median(self.samples) if self.samples else float("nan")

    @property
    def sql_median_ms(self) -> float:
        return 1000 * statistics.median(self.sql_samples) if self.sql_samples else float("nan")

    @property
    def p95_ms(self) -> float:
        if len(self.samples) < 2:
            return 1000 * self.samples[0] if self.samples else float("nan")
        return 1000 * statistics.quantiles(self.samples, n=20, method="inclusive")[18]

    def passed(self, target_ms: float) -> bool:
        return self.error is None and self.p95_ms <= target_ms


@dataclass
class Report:
    """Every timing of one database, with what puts them in context."""

    generated: Generated
    floor: Timing
    pages: list[Timing]
    repeat: int
    overdue: int  # open tasks past their due date, per the floor's query
    query: str
    query_matches: int  # live tasks whose search key holds every word of the query
    busy_agency_tasks: int  # tasks the department user's agency leads
    load: tuple[float, float]  # 1-minute load average before and after: other work skews timings

    @property
    def misses(self) -> list[Timing]:
        return [t for t in self.pages if not t.passed(TARGET_MS)]


def pages(busy_agency_id: int, query: str) -> list[Page]:
    """The pages the requirement names, in the order they are reported."""
    q = urlencode({"q": query})
    return [
        Page("dashboard", Role.LEADER, "/dashboard/"),
        Page("overdue list", Role.LEADER, "/dashboard/overdue"),
        Page("department's tasks (mine)", Role.DEPARTMENT, "/tasks/mine"),
        Page("task list, page 1", Role.OFFICE, "/tasks/?page=1"),
        Page("task list, one agency", Role.OFFICE, f"/tasks/?agency={busy_agency_id}"),
        Page("search", Role.OFFICE, f"/search/?{q}"),
        Page("task list search", Role.OFFICE, f"/tasks/?{q}"),
    ]


class StatementLog:
    """Counts and times the SQL statements the engine runs (and, when tracing, records them).

    The time is that of the DBAPI execute call: close to the whole statement for sorts and
    aggregates, while SQLite may still be producing plain rows during the fetch."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.count = 0
        self.seconds = 0.0
        self.tracing = False
        self.trace: list[tuple[str, Any]] = []
        self._started = 0.0

    def _before(self, conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        self.count += 1
        if self.tracing:
            self.trace.append((statement, parameters))
        self._started = time.perf_counter()

    def _after(self, *args: Any) -> None:
        self.seconds += time.perf_counter() - self._started

    @contextmanager
    def listening(self) -> Iterator[StatementLog]:
        event.listen(self.engine, "before_cursor_execute", self._before)
        event.listen(self.engine, "after_cursor_execute", self._after)
        try:
            yield self
        finally:
            event.remove(self.engine, "before_cursor_execute", self._before)
            event.remove(self.engine, "after_cursor_execute", self._after)


def login(client: FlaskClient, username: str) -> None:
    """Log in once through the real form (scrypt is slow on purpose: once per client)."""
    match = CSRF.search(client.get("/auth/login").get_data(as_text=True))
    if match is None:
        raise RuntimeError("no CSRF token on /auth/login")
    response = client.post(
        "/auth/login",
        data={"username": username, "password": PASSWORD, "csrf_token": match.group(1)},
    )
    if response.status_code != 302 or "/auth/login" in response.headers.get("Location", ""):
        raise RuntimeError(f"login as {username} failed (HTTP {response.status_code})")


def _time_page(
    client: FlaskClient, page: Page, repeat: int, log: StatementLog, trace: bool
) -> Timing:
    timing = Timing(page)

    def get() -> tuple[int, int]:
        response = client.get(page.path)
        size = len(response.get_data())  # the whole body, inside the timed section
        response.close()
        return response.status_code, size

    try:
        for _ in range(WARMUP):
            status, _size = get()
        before = log.count
        for _ in range(repeat):
            in_sql = log.seconds
            started = time.perf_counter()
            status, timing.size = get()
            timing.samples.append(time.perf_counter() - started)
            timing.sql_samples.append(log.seconds - in_sql)
            if status != 200:
                timing.error = f"HTTP {status}"
        timing.statements = (log.count - before) / repeat
        if trace:
            log.tracing, log.trace = True, []
            get()
            log.tracing = False
            _print_trace(log.engine, page, log.trace)
    except Exception as error:  # a broken page is reported, and the other pages still run
        timing.error = f"{type(error).__name__}: {error}"[:120]
    return timing


def _print_trace(engine: Engine, page: Page, trace: list[tuple[str, Any]]) -> None:
    """Replay each SELECT of one request on a raw connection, timing execute *and* fetch (SQLite
    computes rows lazily, so the execute call alone says little), with the plan of slow ones."""
    sqlite = engine.dialect.name == "sqlite"
    explain = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN (ANALYZE, BUFFERS) "
    lines, total = [], 0.0
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement, parameters in trace:
            if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            started = time.perf_counter()
            cursor.execute(statement, parameters)
            rows = len(cursor.fetchall())
            seconds = time.perf_counter() - started
            total += seconds
            flat = " ".join(statement.split())
            lines.append(f"    {1000 * seconds:7.2f} ms {rows:6d} rows  {flat[:150]}")
            if seconds >= TRACE_PLAN_SECONDS:
                lines.append(f"      {flat}")
                cursor.execute(explain + statement, parameters)
                lines += [f"        {row[-1]}" for row in cursor.fetchall()]
    finally:
        raw.rollback()
        raw.close()
    print(
        f"\n  trace of {page.shown}: {len(trace)} statements, SELECTs replayed in {1000 * total:.1f} ms"
    )
    print("\n".join(lines))


def _time_floor(engine: Engine, today: date, repeat: int) -> tuple[Timing, int]:
    timing = Timing(Page("raw floor: overdue-by-agency count", None, "(SQL on a connection)"))
    rows: list[Any] = []
    with engine.connect() as connection:
        for _ in range(WARMUP):
            connection.execute(FLOOR_SQL, {"today": today}).all()
        for _ in range(repeat):
            started = time.perf_counter()
            rows = connection.execute(FLOOR_SQL, {"today": today}).all()
            timing.samples.append(time.perf_counter() - started)
    timing.statements = 1
    timing.sql_samples = timing.samples
    return timing, sum(row[1] for row in rows)


def _context(engine: Engine, query: str, busy_agency_id: int) -> tuple[int, int]:
    matches = select(func.count()).select_from(Task).where(Task.deleted_at.is_(None))
    for word in query_words(query):
        matches = matches.where(Task.search_key.contains(word, autoescape=True))
    busy = (
        select(func.count())
        .select_from(Task)
        .where(Task.deleted_at.is_(None), Task.lead_agency_id == busy_agency_id)
    )
    with engine.connect() as connection:
        return connection.scalar(matches) or 0, connection.scalar(busy) or 0


def measure(
    generated: Generated,
    *,
    repeat: int = 30,
    query: str = DEFAULT_QUERY,
    trace: bool = False,
    progress: Callable[[str], None] = print,
) -> Report:
    """Time every page `repeat` times (after a warm-up) and the raw floor, on one database."""
    app: Flask = generated.app
    with app.app_context():
        engine = db.engine
    # As wsgi.py does for the served app: what start-up made is set aside from the
    # garbage collector, so its full collections do not walk it during the requests.
    gc.collect()
    gc.freeze()
    today = today_local()
    load_before = os.getloadavg()[0]
    floor, overdue = _time_floor(engine, today, repeat)
    query_matches, busy_tasks = _context(engine, query, generated.busy_agency_id)
    clients: dict[Role, FlaskClient] = {}
    timings = []
    log = StatementLog(engine)
    with log.listening():
        for page in pages(generated.busy_agency_id, query):
            assert page.role is not None
            if page.role not in clients:
                clients[page.role] = app.test_client()
                login(clients[page.role], USERNAMES[page.role])
            timing = _time_page(clients[page.role], page, repeat, log, trace)
            progress(
                f"  [{generated.name}] {page.shown}: p95 {timing.p95_ms:.1f} ms"
                + (f" ({timing.error})" if timing.error else "")
            )
            timings.append(timing)
    # A second floor after the pages: the figure of record is the faster of the two, so a
    # momentary hiccup of the machine cannot flatter every ratio.
    again, _ = _time_floor(engine, today, repeat)
    if again.p95_ms < floor.p95_ms:
        floor = again
    gc.unfreeze()
    return Report(
        generated=generated,
        floor=floor,
        pages=timings,
        repeat=repeat,
        overdue=overdue,
        query=query,
        query_matches=query_matches,
        busy_agency_tasks=busy_tasks,
        load=(load_before, os.getloadavg()[0]),
    )


# --- the table -------------------------------------------------------------------------------

HEADER = (
    "page",
    "path",
    "as",
    "median ms",
    "p95 ms",
    "p95/floor",
    "SQL/req",
    "in SQL ms",
    "KiB",
    "target",
)


def _row(timing: Timing, floor_p95: float) -> tuple[str, ...]:
    page = timing.page
    ratio = timing.p95_ms / floor_p95 if floor_p95 > 0 else float("nan")
    if page.role is None:
        result = ""
        target = ""
        size = ""
    else:
        result = (
            "PASS"
            if timing.passed(TARGET_MS)
            else f"MISS{' ' + timing.error if timing.error else ''}"
        )
        target = f"{TARGET_MS:.0f} ms {result}"
        size = f"{timing.size / 1024:.0f}"
    return (
        page.label,
        page.shown,
        page.role.value if page.role else "",
        f"{timing.median_ms:.1f}",
        f"{timing.p95_ms:.1f}",
        f"{ratio:.1f}×",
        f"{timing.statements:g}",
        f"{timing.sql_median_ms:.1f}",
        size,
        target,
    )


def table(report: Report) -> str:
    """The report as a Markdown table (readable in a terminal and pastable in the README)."""
    rows = [_row(report.floor, report.floor.p95_ms)]
    rows += [_row(t, report.floor.p95_ms) for t in report.pages]
    widths = [max(len(r[i]) for r in [HEADER, *rows]) for i in range(len(HEADER))]
    numeric = {3, 4, 5, 6, 7, 8}

    def line(cells: tuple[str, ...]) -> str:
        padded = [
            c.rjust(w) if i in numeric else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "| " + " | ".join(padded) + " |"

    rule = (
        "|"
        + "|".join(
            "-" * (w + 1) + ":" if i in numeric else "-" * (w + 2) for i, w in enumerate(widths)
        )
        + "|"
    )
    return "\n".join([line(HEADER), rule, *(line(r) for r in rows)])


def summary(report: Report) -> str:
    """A heading with the data's size and context, then the table."""
    g = report.generated
    counts = g.counts
    lines = [
        f"### {g.name}: {counts.get('tasks', 0):,} tasks, {counts.get('agencies', 0):,} agencies, "
        f"{counts.get('progress_updates', 0):,} progress updates",
        "",
        (
            f"Data made on {g.made_on} in {g.seconds:.0f} s, reused ({g.location}). "
            if g.cached
            else f"Generated in {g.seconds:.0f} s ({g.location}). "
        )
        + f"{report.repeat} timed requests per page "
        f"after {WARMUP} warm-up; target p95 ≤ {TARGET_MS:.0f} ms. "
        f"{report.overdue:,} tasks overdue; the department user's agency ({g.busy_agency_name}) "
        f"leads {report.busy_agency_tasks:,}; the query “{report.query}” matches "
        f"{report.query_matches:,} tasks. Load average (1 min) {report.load[0]:.1f} before, "
        f"{report.load[1]:.1f} after measuring, on {os.cpu_count()} cores"
        + (
            " (busy: other work competed for the CPU, absolute times are inflated; the ratios "
            "to the floor, measured under the same load, hold better)."
            if max(report.load) > (os.cpu_count() or 1)
            else "."
        ),
        "",
        table(report),
    ]
    return "\n".join(lines)
