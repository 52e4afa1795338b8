"""The chairperson's pages: dashboard, overdue list (page and spreadsheet), upcoming deadlines."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from babel.numbers import get_decimal_symbol
from flask import Blueprint, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.auth.models import Role
from app.auth.permissions import roles
from app.clock import today_local
from app.dashboard.services import (
    DEFAULT_SORT,
    SORT_KEYS,
    UPCOMING_WINDOWS,
    DashboardFilters,
    parse_period,
    standing_dashboard,
    unknown_filters,
)
from app.dashboard.xlsx import XLSX_MIMETYPE, overdue_workbook
from app.downloads import attachment
from app.errors import DomainError
from app.extensions import db
from app.forms import parse_id
from app.labels import label
from app.tasks.badges import STANDING_BADGES
from app.tasks.lists import (
    OVERDUE_PER_PAGE,
    ListFilters,
    filter_choices,
    overdue_tasks,
    upcoming_tasks,
)
from app.tasks.standing import Standing

bp = Blueprint("dashboard", __name__)
VIEWERS = (Role.LEADER, Role.OFFICE, Role.ADMIN)
EXPORT_LIMIT = 20_000  # rows in one spreadsheet: far above any real province's backlog
MAX_PAGE = 10_000

# What the user is told about a query-string value that cannot be used, by parameter.
PROBLEMS = {
    "directive": _l("The chosen directive does not exist or has been deleted."),
    "leader": _l("The chosen supervising leader does not exist."),
    "agency": _l("The chosen agency does not exist."),
    "period": _l(
        "Write a year (2024), a quarter (2024-Q1), a half (2024-H1) or a month (2024-07)."
    ),
    "from": _l("Write the dates as year-month-day, for example 2024-07-31."),
    "to": _l("Write the dates as year-month-day, for example 2024-07-31."),
    "window": _l("The first due date is after the last one."),
    "days": _l("Choose one of the windows offered."),
}


class _Args:
    """The query string read leniently: each value that cannot be used is noted by name."""

    def __init__(self) -> None:
        self.problems: set[str] = set()

    def id(self, name: str) -> int | None:
        raw = request.args.get(name, "").strip()
        if not raw:
            return None
        value = parse_id(raw)
        if value is None:
            self.problems.add(name)
        return value

    def ids(self, name: str) -> tuple[int, ...]:
        """Repeated (?directive=1&directive=2) or comma-separated ids."""
        parts = [p.strip() for raw in request.args.getlist(name) for p in raw.split(",")]
        values = [parse_id(part) for part in parts if part]
        if None in values:
            self.problems.add(name)
        return tuple(dict.fromkeys(v for v in values if v is not None))

    def date(self, name: str) -> date | None:
        raw = request.args.get(name, "").strip()
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            self.problems.add(name)
            return None

    def check(self, **ids: Any) -> None:
        """Note the ids that name nothing (in one query each at most)."""
        if "directive" in self.problems:  # an unreadable one: no need to look the rest up
            ids.pop("directive_ids", None)
        self.problems |= unknown_filters(db.session, **ids)

    def messages(self) -> list[str]:
        return list(
            dict.fromkeys(str(PROBLEMS[name]) for name in PROBLEMS if name in self.problems)
        )


def _page_arg() -> int:
    return min(parse_id(request.args.get("page", "")) or 1, MAX_PAGE)


def _percent_formatter() -> Callable[[float | None], str]:
    """Percentages with one decimal in the locale's way ("62,5%" in Vietnamese).

    The values come rounded to one decimal (`on_time_percent`), so only the decimal sign
    differs from Python's own formatting: it is looked up once per page, not in each of the
    table's two hundred cells (Babel's `format_decimal` costs ~40 µs a call)."""
    sign = get_decimal_symbol(get_locale())

    def percent(value: float | None) -> str:
        return "—" if value is None else f"{value:.1f}".replace(".", sign) + "%"

    return percent


def _standing_colour(standing: Standing) -> str:
    # The chart reuses the badge's Bootstrap colour ("text-bg-danger" → --bs-danger).
    return STANDING_BADGES[standing].split()[0].removeprefix("text-bg-")


@bp.route("/")
@roles(*VIEWERS)
def index():  # type: ignore[no-untyped-def]
    args = _Args()
    period = request.args.get("period", "").strip()
    bounds = parse_period(period) if period else None
    if period and bounds is None:
        args.problems.add("period")
    # A period, when given, replaces the from/until dates.
    due_from, due_to = bounds or (args.date("from"), args.date("to"))
    if due_from and due_to and due_from > due_to:
        args.problems.add("window")
    filters = DashboardFilters(
        directive_ids=args.ids("directive"),
        leader_id=args.id("leader"),
        due_from=due_from,
        due_to=due_to,
    )
    args.check(directive_ids=filters.directive_ids, leader_id=filters.leader_id)
    sort = request.args.get("sort", DEFAULT_SORT)
    sort = sort if sort in SORT_KEYS else DEFAULT_SORT
    order = request.args.get("order", "")
    # Names read best A→Z, figures biggest first.
    descending = order == "desc" if order in ("asc", "desc") else sort != "agency"
    today = today_local()
    problems = args.messages()
    # Figures under a filter that could not be applied would be read as filtered: none then.
    dashboard = (
        None
        if problems
        else standing_dashboard(
            db.session, current_user, today, filters, sort=sort, descending=descending
        )
    )
    link_args: dict[str, Any] = {
        "directive": list(filters.directive_ids) or None,
        "leader": filters.leader_id,
        "period": period if bounds else None,
        "from": None if bounds or not due_from else due_from.isoformat(),
        "to": None if bounds or not due_to else due_to.isoformat(),
    }
    sort_links = {}
    for key in SORT_KEYS:
        default_order = "asc" if key == "agency" else "desc"
        flipped = "asc" if descending else "desc"
        next_order = flipped if key == sort else default_order
        sort_links[key] = url_for("dashboard.index", **link_args, sort=key, order=next_order)
    chart = dashboard and dashboard.chart_data(
        {s: _standing_colour(s) for s in Standing},
        {s: label(s) for s in Standing},
        _("No lead agency"),
    )
    page = render_template(
        "dashboard/index.html",
        dashboard=dashboard,
        chart=chart,
        choices=filter_choices(db.session),
        filters=filters,
        period=period,
        problems=problems,
        invalid=args.problems,
        sort=sort,
        descending=descending,
        sort_links=sort_links,
        standings=list(Standing),
        percent=_percent_formatter(),
        # Each agency's row links to its task list and its overdue list: the two paths are
        # built once and the agency appended, not built by `url_for` in each row.
        tasks_url=url_for("tasks.index"),
        overdue_url=url_for("dashboard.overdue"),
        today=today,
    )
    return page, 400 if problems else 200


def _list_filters(args: _Args) -> ListFilters:
    filters = ListFilters(agency_id=args.id("agency"), directive_ids=args.ids("directive"))
    args.check(agency_id=filters.agency_id, directive_ids=filters.directive_ids)
    return filters


@bp.route("/overdue")
@roles(*VIEWERS)
def overdue():  # type: ignore[no-untyped-def]
    args = _Args()
    filters = _list_filters(args)
    today = today_local()
    problems = args.messages()
    page = (
        None
        if problems
        else overdue_tasks(
            db.session, current_user, today, filters, page=_page_arg(), per_page=OVERDUE_PER_PAGE
        )
    )
    body = render_template(
        "dashboard/overdue.html",
        page=page,
        filters=filters,
        problems=problems,
        invalid=args.problems,
        choices=filter_choices(db.session),
        link_args={"agency": filters.agency_id, "directive": list(filters.directive_ids) or None},
        today=today,
    )
    return body, 400 if problems else 200


@bp.route("/overdue.xlsx")
@roles(*VIEWERS)
def overdue_xlsx():  # type: ignore[no-untyped-def]
    args = _Args()
    filters = _list_filters(args)
    if problems := args.messages():
        raise DomainError(" ".join(problems))
    today = today_local()
    page = overdue_tasks(db.session, current_user, today, filters, page=1, per_page=EXPORT_LIMIT)
    body = overdue_workbook(page.rows, today, total=page.total)
    return attachment(body, f"qua-han-{today.isoformat()}.xlsx", XLSX_MIMETYPE)


@bp.route("/upcoming")
@roles(*VIEWERS)
def upcoming():  # type: ignore[no-untyped-def]
    args = _Args()
    days = args.id("days")
    if days is not None and days not in UPCOMING_WINDOWS:
        args.problems.add("days")
    days = days if days in UPCOMING_WINDOWS else UPCOMING_WINDOWS[0]
    filters = _list_filters(args)
    today = today_local()
    problems = args.messages()
    page = (
        None
        if problems
        else upcoming_tasks(db.session, current_user, today, days, filters, page=_page_arg())
    )
    body = render_template(
        "dashboard/upcoming.html",
        page=page,
        days=days,
        windows=UPCOMING_WINDOWS,
        filters=filters,
        problems=problems,
        invalid=args.problems,
        choices=filter_choices(db.session),
        link_args={
            "days": days,
            "agency": filters.agency_id,
            "directive": list(filters.directive_ids) or None,
        },
        today=today,
    )
    return body, 400 if problems else 200
