"""Reports that compile themselves: the job `period-reports` builds each period's appendix a
few days before the period's data cut-off ends, for the configured scopes, and tells office
staff where to find it.

A period is due from `days_before` days before its cut-off's last day until the later of that
day and the period's last day, so a scheduler that was down on the day catches up. Building is
idempotent per (period, scope): `build_report` hands back the snapshot already in force.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.directives.models import Directive
from app.errors import ValidationFailed
from app.notifications.services import notify, office_users
from app.periods import Period, PeriodKind, period_containing
from app.reports.models import ReportKind, ReportSnapshot
from app.reports.scope import Scope, resolve_scope
from app.reports.services import build_report
from app.text import fold

ACTOR_LABEL = "flask jobs period-reports"
NOTIFICATION_KIND = "report_built"


@dataclass
class AutoReportsSummary:
    """What one run built (or, dry, would build), as lines a person reads."""

    lines: list[str] = field(default_factory=list)
    built: list[int] = field(default_factory=list)

    def describe(self) -> str:
        return "\n".join(self.lines)


def due_periods(day: date, kinds: Iterable[str], days_before: int, mode: str) -> list[Period]:
    """The periods of `kinds` whose automatic build window contains `day`."""
    due = []
    for kind in kinds:
        here = period_containing(day, PeriodKind(kind))
        for period in (here.previous(), here, here.next()):
            cutoff_end = period.cutoff(mode)[1]
            if cutoff_end - timedelta(days=days_before) <= day <= max(cutoff_end, period.end):
                due.append(period)
    return sorted(set(due), key=lambda p: (p.end, p.kind.value))


def configured_scopes(session: Session, numbers: Iterable[str]) -> tuple[list[Scope], list[str]]:
    """One scope per configured directive number (every task when none), and the numbers that
    name no directive."""
    numbers = list(numbers)
    if not numbers:
        return [Scope()], []
    known = {
        fold(number): directive_id
        for directive_id, number in session.execute(
            select(Directive.id, Directive.number).where(
                Directive.number.is_not(None), Directive.deleted_at.is_(None)
            )
        )
    }
    scopes, unknown = [], []
    for number in numbers:
        directive_id = known.get(fold(number))
        if directive_id is None:
            unknown.append(number)
        else:
            scopes.append(Scope((directive_id,)))
    return scopes, unknown


def _in_force(session: Session, period: Period, scope: Scope, mode: str) -> ReportSnapshot | None:
    start, end = period.cutoff(mode)
    return session.scalar(
        select(ReportSnapshot).where(
            ReportSnapshot.kind == ReportKind.APPENDIX,
            ReportSnapshot.period_code == period.code,
            ReportSnapshot.cutoff_start == start,
            ReportSnapshot.cutoff_end == end,
            ReportSnapshot.scope_key == scope.key,
            ReportSnapshot.current_key.is_not(None),
        )
    )


def _names(users: list[User]) -> str:
    return ", ".join(user.username for user in users) or _("nobody")


def build_period_reports(
    session: Session,
    day: date,
    *,
    settings: Mapping[str, Any],
    dry_run: bool = False,
) -> AutoReportsSummary:
    """Build the reports due on `day` and notify office staff of each new one (the caller
    commits). With `dry_run`, say what would be built and who told, and write nothing."""
    summary = AutoReportsSummary()
    mode = settings["REPORT_PERIODS"]
    periods = due_periods(
        day,
        settings["JOBS_PERIOD_REPORT_KINDS"],
        settings["JOBS_PERIOD_REPORTS_DAYS_BEFORE"],
        mode,
    )
    if not periods:
        summary.lines.append(
            _("No period is due for its report on %(day)s.", day=day.strftime("%d/%m/%Y"))
        )
        return summary
    scopes, unknown = configured_scopes(session, settings["REPORT_AUTO_SCOPES"])
    for number in unknown:
        summary.lines.append(_("Skipped %(number)s: no directive has this number.", number=number))
    staff = office_users(session)
    for period in periods:
        for scope in scopes:
            label = f"{period.label} · {resolve_scope(session, scope).label()}"
            if dry_run:
                summary.lines.append(_dry_line(session, period, scope, mode, label, staff))
                continue
            summary.lines.append(_build(session, period, scope, day, label, staff, summary))
    return summary


def _dry_line(
    session: Session, period: Period, scope: Scope, mode: str, label: str, staff: list[User]
) -> str:
    existing = _in_force(session, period, scope, mode)
    if existing is not None:
        return _(
            "%(label)s: report #%(id)d is already built; nothing to do.",
            label=label,
            id=existing.id,
        )
    return _(
        "%(label)s: would build the report and notify %(users)s.", label=label, users=_names(staff)
    )


def _build(
    session: Session,
    period: Period,
    scope: Scope,
    day: date,
    label: str,
    staff: list[User],
    summary: AutoReportsSummary,
) -> str:
    try:
        snapshot = build_report(
            session, period=period, scope=scope, actor=None, today=day, actor_label=ACTOR_LABEL
        )
    except ValidationFailed as error:
        return _("%(label)s: not built: %(reason)s", label=label, reason=error.message)
    if not snapshot.fresh:
        return _(
            "%(label)s: report #%(id)d is already built; nothing to do.",
            label=label,
            id=snapshot.id,
        )
    summary.built.append(snapshot.id)
    notify(
        session,
        staff,
        kind=NOTIFICATION_KIND,
        message=_("The report of %(label)s is ready in the archive.", label=label),
        link=f"/reports/{snapshot.id}",
    )
    return _(
        "%(label)s: built report #%(id)d (%(rows)d tasks); notified %(users)s.",
        label=label,
        id=snapshot.id,
        rows=snapshot.rows,
        users=_names(staff),
    )
