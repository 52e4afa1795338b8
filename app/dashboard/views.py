"""The chairperson's pages: dashboard, overdue list (page and spreadsheet), upcoming deadlines."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.models import Role
from app.auth.permissions import roles
from app.clock import today_local
from app.dashboard.services import (
    DEFAULT_SORT,
    SORT_KEYS,
    UPCOMING_WINDOWS,
    DashboardFilters,
    ListFilters,
    filter_choices,
    overdue_tasks,
    parse_period,
    standing_dashboard,
    upcoming_tasks,
)
from app.dashboard.xlsx import XLSX_MIMETYPE, overdue_workbook
from app.extensions import db
from app.tasks.standing import Standing
from app.templating import STANDING_BADGES, label

bp = Blueprint("dashboard", __name__)
VIEWERS = (Role.LEADER, Role.OFFICE, Role.ADMIN)
EXPORT_LIMIT = 20_000  # rows in one spreadsheet: far above any real province's backlog
MAX_PAGE = 10_000


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


def _ids_arg(name: str) -> tuple[int, ...]:
    """Repeated (?directive=1&directive=2) or comma-separated ids; anything else is ignored."""
    values = (part.strip() for raw in request.args.getlist(name) for part in raw.split(","))
    return tuple(dict.fromkeys(int(v) for v in values if v.isdigit()))


def _date_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, "").strip())
    except ValueError:
        return None


def _page_arg() -> int:
    return min(max(_int_arg("page") or 1, 1), MAX_PAGE)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{format_decimal(value, format='0.0')}%"


def _standing_colour(standing: Standing) -> str:
    # The chart reuses the badge's Bootstrap colour ("text-bg-danger" → --bs-danger).
    return STANDING_BADGES[standing].split()[0].removeprefix("text-bg-")


@bp.route("/")
@roles(*VIEWERS)
def index():  # type: ignore[no-untyped-def]
    period = request.args.get("period", "").strip()
    bounds = parse_period(period) if period else None
    due_from, due_to = bounds or (_date_arg("from"), _date_arg("to"))
    filters = DashboardFilters(
        directive_ids=_ids_arg("directive"),
        leader_id=_int_arg("leader"),
        due_from=due_from,
        due_to=due_to,
    )
    sort = request.args.get("sort", DEFAULT_SORT)
    sort = sort if sort in SORT_KEYS else DEFAULT_SORT
    order = request.args.get("order", "")
    # Names read best A→Z, figures biggest first.
    descending = order == "desc" if order in ("asc", "desc") else sort != "agency"
    today = today_local()
    dashboard = standing_dashboard(
        db.session, current_user, today, filters, sort=sort, descending=descending
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
    chart = dashboard.chart_data(
        {s: _standing_colour(s) for s in Standing},
        {s: label(s) for s in Standing},
        _("No lead agency"),
    )
    return render_template(
        "dashboard/index.html",
        dashboard=dashboard,
        chart=chart,
        choices=filter_choices(db.session),
        filters=filters,
        period=period,
        period_invalid=bool(period) and bounds is None,
        sort=sort,
        descending=descending,
        sort_links=sort_links,
        standings=list(Standing),
        percent=_percent,
        today=today,
    )


def _list_filters() -> ListFilters:
    return ListFilters(agency_id=_int_arg("agency"), directive_ids=_ids_arg("directive"))


@bp.route("/overdue")
@roles(*VIEWERS)
def overdue():  # type: ignore[no-untyped-def]
    filters = _list_filters()
    today = today_local()
    page = overdue_tasks(db.session, current_user, today, filters, page=_page_arg())
    return render_template(
        "dashboard/overdue.html",
        page=page,
        filters=filters,
        choices=filter_choices(db.session),
        link_args={"agency": filters.agency_id, "directive": list(filters.directive_ids) or None},
        today=today,
    )


@bp.route("/overdue.xlsx")
@roles(*VIEWERS)
def overdue_xlsx():  # type: ignore[no-untyped-def]
    today = today_local()
    page = overdue_tasks(
        db.session, current_user, today, _list_filters(), page=1, per_page=EXPORT_LIMIT
    )
    body = overdue_workbook(page.rows, today, total=page.total)
    filename = f"qua-han-{today.isoformat()}.xlsx"
    return Response(
        body,
        mimetype=XLSX_MIMETYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.route("/upcoming")
@roles(*VIEWERS)
def upcoming():  # type: ignore[no-untyped-def]
    days = _int_arg("days")
    days = days if days in UPCOMING_WINDOWS else UPCOMING_WINDOWS[0]
    filters = _list_filters()
    today = today_local()
    page = upcoming_tasks(db.session, current_user, today, days, filters, page=_page_arg())
    return render_template(
        "dashboard/upcoming.html",
        page=page,
        days=days,
        windows=UPCOMING_WINDOWS,
        filters=filters,
        choices=filter_choices(db.session),
        link_args={
            "days": days,
            "agency": filters.agency_id,
            "directive": list(filters.directive_ids) or None,
        },
        today=today,
    )
