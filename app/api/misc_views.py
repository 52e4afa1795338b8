"""Directives, agencies, the caller's notifications, the report archive and standings counts."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response
from flask_login import current_user
from sqlalchemy import select

from app.agencies.models import Agency
from app.api import blp
from app.api.common import documented_errors, page_body, page_of
from app.api.schemas import (
    AgencyPageOut,
    AgencyQueryIn,
    DirectivePageOut,
    DirectiveQueryIn,
    NotificationPageOut,
    PageIn,
    ReportPageOut,
    StandingQueryIn,
    StandingsOut,
)
from app.auth.models import Role
from app.auth.permissions import roles
from app.clock import today_local
from app.downloads import attachment
from app.extensions import db
from app.notifications.models import Notification
from app.reports.models import ReportKind, ReportSnapshot
from app.reports.services import archive, formats, get_snapshot, render
from app.search.services import agency_matches
from app.tasks.directive_tasks import list_directives
from app.tasks.standing import Standing, StandingCounts, StandingFilters, count_standings
from app.text import fold

REPORT_READERS = (Role.LEADER, Role.OFFICE, Role.ADMIN)  # as the report pages


@blp.route("/directives")
@blp.arguments(DirectiveQueryIn, location="query", as_kwargs=False)
@blp.response(200, DirectivePageOut)
@documented_errors(400, 422, 429)
@roles()
def list_directives_api(args: dict[str, Any]) -> dict[str, Any]:
    """Live directives with their live task counts (as the directives page: most tasks first,
    then newest, then id); `q` ignores diacritics."""
    page = page_of(list_directives(args["q"]), args, rows=True)
    page["items"] = [
        {**_directive(directive), "task_count": count} for directive, count in page["items"]
    ]
    return page


def _directive(directive: Any) -> dict[str, Any]:
    return {
        name: getattr(directive, name)
        for name in ("id", "number", "kind", "issued_on", "issuer", "summary", "signer")
    } | {"implements_id": directive.implements_id}


@blp.route("/agencies")
@blp.arguments(AgencyQueryIn, location="query", as_kwargs=False)
@blp.response(200, AgencyPageOut)
@documented_errors(400, 422, 429)
@roles()
def list_agencies(args: dict[str, Any]) -> dict[str, Any]:
    """Active agencies by name; `q` matches names, short names and aliases without diacritics."""
    statement = agency_matches(fold(args["q"]).split())
    if args.get("kind") is not None:
        statement = statement.where(Agency.kind == args["kind"])
    return page_of(statement, args)


@blp.route("/notifications")
@blp.arguments(PageIn, location="query", as_kwargs=False)
@blp.response(200, NotificationPageOut)
@documented_errors(400, 422, 429)
@roles()
def list_notifications(args: dict[str, Any]) -> dict[str, Any]:
    """The caller's own notifications, newest first (as the bell's list)."""
    statement = (
        select(Notification)
        .where(Notification.user_id == current_user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    return page_of(statement, args)


@blp.route("/reports")
@blp.arguments(PageIn, location="query", as_kwargs=False)
@blp.response(200, ReportPageOut)
@documented_errors(400, 422, 429)
@roles(*REPORT_READERS)
def list_reports(args: dict[str, Any]) -> dict[str, Any]:
    """The report archive, newest first (leaders, office staff, administrators)."""
    page = page_body(archive(db.session, page=args["page"], per_page=args["per_page"]))
    page["items"] = [_report(s) for s in page["items"]]
    return page


def _report(snapshot: ReportSnapshot) -> dict[str, Any]:
    return {
        "id": snapshot.id,
        "kind": snapshot.kind,
        "period_code": snapshot.period_code,
        "cutoff_start": snapshot.cutoff_start,
        "cutoff_end": snapshot.cutoff_end,
        "title": snapshot.title,
        "scope_label": snapshot.scope_label,
        "rows": snapshot.rows,
        "built_at": snapshot.built_at,
        "current": snapshot.is_current,
        "formats": list(formats(ReportKind(snapshot.kind))),
    }


@blp.route("/reports/<int(min=1, max=2147483647):report_id>/download/<string:fmt>")
@blp.response(
    200,
    {"format": "binary", "type": "string"},
    content_type="application/octet-stream",
    description="The report as a PDF, Word or Excel file",
)
@documented_errors(404, 429)
@roles(*REPORT_READERS)
def download_report(report_id: int, fmt: str) -> Response:
    """One archived report in one of its formats (`pdf`, `docx`, `xlsx`, `letter.pdf`…)."""
    snapshot = get_snapshot(db.session, report_id)
    name, mimetype, body = render(snapshot, fmt)
    return attachment(body, name, mimetype)


@blp.route("/standings")
@blp.arguments(StandingQueryIn, location="query", as_kwargs=False)
@blp.response(200, StandingsOut)
@documented_errors(400, 422, 429)
@roles()
def standings(args: dict[str, Any]) -> dict[str, Any]:
    """Standing counts per lead agency as of `on` (today by default), as on the dashboard.

    A department user gets its own agency's counts only."""
    on: date = args.get("on") or today_local()
    directive = args.get("directive")
    agency_id = current_user.agency_id if current_user.role == Role.DEPARTMENT else None
    counts = count_standings(
        db.session,
        on,
        StandingFilters(directive_ids=(directive,) if directive else (), agency_id=agency_id),
    )
    agencies = {
        a.id: a for a in db.session.scalars(select(Agency).where(Agency.id.in_(list(counts))))
    }
    rows = [
        _standing_row(agencies.get(key) if key else None, counted)
        for key, counted in counts.items()
    ]
    rows.sort(
        key=lambda r: (
            r["agency"] is None,
            r["agency"].name if r["agency"] else "",
            r["agency"].id if r["agency"] else 0,
        )
    )
    total = StandingCounts()
    for counted in counts.values():
        for key, value in counted.counts.items():
            total.counts[key] += value
    return {"on": on, "agencies": rows, "total": _standing_row(None, total)}


def _standing_row(agency: Agency | None, counted: StandingCounts) -> dict[str, Any]:
    return {"agency": agency, "total": counted.total} | {
        standing.value: counted.counts[standing] for standing in Standing
    }
