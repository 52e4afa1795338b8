"""The chairperson's pages: dashboard, overdue list (page and spreadsheet), upcoming deadlines."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from babel.numbers import get_decimal_symbol
from flask import Blueprint, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import Schema

from app.auth.models import Role
from app.auth.permissions import roles
from app.clock import today_local
from app.dashboard.services import (
    DEFAULT_SORT,
    SORT_KEYS,
    UPCOMING_WINDOWS,
    DashboardFilters,
    standing_dashboard,
    unknown_filters,
)
from app.dashboard.xlsx import XLSX_MIMETYPE, overdue_workbook
from app.downloads import attachment
from app.errors import DomainError
from app.extensions import db
from app.forms import (
    Choice,
    Day,
    Id,
    Ids,
    PageNumber,
    Text,
    query_args,
    read_query,
)
from app.labels import label
from app.periods import Period, PeriodError, parse_period
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


LIST_ARGS = {"agency": Id(), "directive": Ids(), "page": PageNumber()}
INDEX_ARGS = query_args(
    directive=Ids(),
    leader=Id(),
    period=Text(),
    sort=Choice(SORT_KEYS, default=DEFAULT_SORT),
    order=Choice(("asc", "desc")),
    **{"from": Day(), "to": Day()},
)
OVERDUE_ARGS = query_args(**LIST_ARGS)
UPCOMING_ARGS = query_args(days=Id(choices=UPCOMING_WINDOWS), **LIST_ARGS)


class _Args:
    """The query string read by `schema`: each value that cannot be used is noted by name."""

    def __init__(self, schema: Schema) -> None:
        self.values = read_query(schema)
        self.problems: set[str] = set(self.values.unusable)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def check(self, **ids: Any) -> None:
        """Note the ids that name nothing (in one query each at most)."""
        if "directive" in self.problems:  # an unreadable one: no need to look the rest up
            ids.pop("directive_ids", None)
        self.problems |= unknown_filters(db.session, **ids)

    def messages(self) -> list[str]:
        return list(
            dict.fromkeys(str(PROBLEMS[name]) for name in PROBLEMS if name in self.problems)
        )


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
    args = _Args(INDEX_ARGS)
    period = args["period"]
    chosen: Period | None = None
    if period:
        try:
            chosen = parse_period(period)
        except PeriodError:
            args.problems.add("period")
    if chosen is not None:
        # A period replaces the from/until dates: they are not read.
        due_from, due_to = chosen.start, chosen.end
        args.problems -= {"from", "to"}
    else:
        due_from, due_to = args["from"], args["to"]
    if due_from and due_to and due_from > due_to:
        args.problems.add("window")
    filters = DashboardFilters(
        directive_ids=args["directive"],
        leader_id=args["leader"],
        due_from=due_from,
        due_to=due_to,
    )
    args.check(directive_ids=filters.directive_ids, leader_id=filters.leader_id)
    sort, order = args["sort"], args["order"]
    # Names read best A→Z, figures biggest first.
    descending = order == "desc" if order else sort != "agency"
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
        "period": period if chosen else None,
        "from": None if chosen or not due_from else due_from.isoformat(),
        "to": None if chosen or not due_to else due_to.isoformat(),
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
    filters = ListFilters(agency_id=args["agency"], directive_ids=args["directive"])
    args.check(agency_id=filters.agency_id, directive_ids=filters.directive_ids)
    return filters


@bp.route("/overdue")
@roles(*VIEWERS)
def overdue():  # type: ignore[no-untyped-def]
    args = _Args(OVERDUE_ARGS)
    filters = _list_filters(args)
    today = today_local()
    problems = args.messages()
    page = (
        None
        if problems
        else overdue_tasks(
            db.session, current_user, today, filters, page=args["page"], per_page=OVERDUE_PER_PAGE
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
    args = _Args(OVERDUE_ARGS)
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
    args = _Args(UPCOMING_ARGS)
    days = args["days"] or UPCOMING_WINDOWS[0]
    filters = _list_filters(args)
    today = today_local()
    problems = args.messages()
    page = (
        None
        if problems
        else upcoming_tasks(db.session, current_user, today, days, filters, page=args["page"])
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
