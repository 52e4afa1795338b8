"""Gather a report's content from the database, as it stood at the period's cut-off.

The content is plain JSON (dates as ISO strings) stored in the snapshot; `content.py` turns
it into the documents the writers lay out. What is frozen for each task of an appendix:

- the **explanation in force**: the lead agency's latest accepted progress report dated on
  or before the cut-off's last day, or filed for this very period (`ProgressUpdate.period`:
  Decree 09 reports are written after the cut-off, about the data up to it);
- the **status** at the cut-off: that report's, when the agency reported again after it;
  otherwise the task's own, unless it was completed after the cut-off (then the report's,
  or "in progress" without one);
- the **standing** on the cut-off's last day (or today, for a period still running),
  judged by `app.tasks.standing` on that status and the due date in force when the report is
  built (an extension approved after the cut-off counts: the journal is not replayed).

Tasks handed out after the cut-off (`assigned_on`) and deleted tasks are left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload

from app.auth.models import Role, User
from app.directives.models import Directive, Section
from app.periods import Period
from app.reports.scope import ResolvedScope, directive_short
from app.reports.texts import NO_AGENCY, OTHER_TASKS, roman
from app.tasks.deadlines import DeadlineKind
from app.tasks.lists import ListFilters, overdue_tasks
from app.tasks.models import ProgressUpdate, ReviewState, Status, Task, UpdateKind
from app.tasks.standing import Standing, standing

if TYPE_CHECKING:
    from sqlalchemy import Select

Progress = Callable[[int, int], None]  # (done, total)
CONTENT_VERSION = 1


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


# --- the appendix --------------------------------------------------------------------------


@dataclass(frozen=True)
class _AtCutoff:
    """What `standing()` reads of a task, as it stood at the cut-off."""

    deadline_kind: DeadlineKind
    effective_due: date | None
    status: Status
    completed_on: date | None


def _scoped(scope: ResolvedScope, cutoff_end: date) -> list[Any]:
    conditions = [
        Task.deleted_at.is_(None),
        Directive.deleted_at.is_(None),
        or_(Task.assigned_on.is_(None), Task.assigned_on <= cutoff_end),
    ]
    if scope.directives:
        conditions.append(Task.directive_id.in_(scope.directive_ids))
    if scope.agency is not None:
        conditions.append(Task.lead_agency_id == scope.agency.id)
    return conditions


def _tasks(session: Session, conditions: list[Any]) -> list[Task]:
    statement = (
        select(Task)
        .join(Directive, Directive.id == Task.directive_id)
        .outerjoin(Section, Section.id == Task.section_id)
        .where(*conditions)
        .options(joinedload(Task.lead_agency), joinedload(Task.section))
        .order_by(
            Directive.issued_on.is_(None),
            Directive.issued_on,
            Directive.id,
            Section.position.is_(None),
            Section.position,
            Section.id,
            Task.position,
            Task.outline,
            Task.id,
        )
    )
    return list(session.scalars(statement).unique())


def _accepted_reports() -> list[Any]:
    """Accepted progress reports of the lead agency (or the office's, recorded without an
    agency); the statements using this join Task."""
    return [
        ProgressUpdate.kind == UpdateKind.REPORT,
        ProgressUpdate.review_state == ReviewState.ACCEPTED,
        or_(
            Task.lead_agency_id.is_(None),
            ProgressUpdate.agency_id.is_(None),
            ProgressUpdate.agency_id == Task.lead_agency_id,
        ),
    ]


def _reports_in_force(
    session: Session, ids: Select[Any], period: Period, cutoff_end: date
) -> dict[int, Any]:
    """The report in force at the cut-off for every task that has one, in one statement."""
    ranked = (
        select(
            ProgressUpdate.id,
            ProgressUpdate.task_id,
            ProgressUpdate.status,
            ProgressUpdate.completed_on,
            ProgressUpdate.explanation,
            ProgressUpdate.reported_on,
            func.row_number()
            .over(
                partition_by=ProgressUpdate.task_id,
                order_by=(ProgressUpdate.reported_on.desc(), ProgressUpdate.id.desc()),
            )
            .label("rank"),
        )
        .join(Task, Task.id == ProgressUpdate.task_id)
        .where(
            ProgressUpdate.task_id.in_(ids),
            *_accepted_reports(),
            or_(ProgressUpdate.reported_on <= cutoff_end, ProgressUpdate.period == period.code),
        )
        .subquery()
    )
    rows = session.execute(select(ranked).where(ranked.c.rank == 1))
    return {row.task_id: row for row in rows}


def _reported_later(
    session: Session, ids: Select[Any], period: Period, cutoff_end: date
) -> set[int]:
    """Tasks with an accepted report after the cut-off (so their status has moved on)."""
    statement = (
        select(ProgressUpdate.task_id)
        .distinct()
        .join(Task, Task.id == ProgressUpdate.task_id)
        .where(
            ProgressUpdate.task_id.in_(ids),
            *_accepted_reports(),
            ProgressUpdate.reported_on > cutoff_end,
            or_(ProgressUpdate.period.is_(None), ProgressUpdate.period != period.code),
        )
    )
    return set(session.scalars(statement))


def _status_at_cutoff(
    task: Task, report: Any, reported_later: bool, cutoff_end: date
) -> tuple[Status, date | None]:
    if report is not None and reported_later:
        return report.status, report.completed_on
    if task.status == Status.COMPLETED and task.completed_on and task.completed_on > cutoff_end:
        return (report.status, report.completed_on) if report else (Status.IN_PROGRESS, None)
    return task.status, task.completed_on


def _row(
    task: Task, stt: str, report: Any, later: bool, cutoff_end: date, judged_on: date
) -> dict[str, Any]:
    status, completed_on = _status_at_cutoff(task, report, later, cutoff_end)
    frozen = _AtCutoff(task.deadline_kind, task.effective_due, status, completed_on)
    return {
        "task_id": task.id,
        "stt": stt,
        "name": task.title,
        "deadline_text": task.deadline_text or "",
        "due": _iso(task.effective_due),
        "status": status.value,
        "completed_on": _iso(completed_on),
        "standing": standing(cast(Task, frozen), judged_on).value,
        "lead_agency": task.owner_label,
        "explanation": report.explanation if report is not None else "",
        "explained_on": _iso(report.reported_on) if report is not None else None,
        "report_id": report.id if report is not None else None,
    }


def _section_key(task: Task) -> tuple[int, int | None]:
    return task.directive_id, task.section_id


def _sections(tasks: list[Task], scope: ResolvedScope) -> list[dict[str, Any]]:
    """Consecutive tasks of one (directive, section), in order. One directive keeps its own
    numbering; several are numbered I, II, … in turn, each title naming its directive."""
    directives = {d.id: d for d in scope.directives} | {t.directive_id: t.directive for t in tasks}
    several = len({t.directive_id for t in tasks}) > 1
    sections: list[dict[str, Any]] = []
    keys: list[tuple[int, int | None]] = []
    for task in tasks:
        key = _section_key(task)
        if keys and keys[-1] == key:
            continue
        keys.append(key)
        section = task.section
        if several:
            prefix = directive_short(directives[task.directive_id])
            title = f"{prefix}: {section.title}" if section else prefix
            number = roman(len(sections) + 1)
        else:
            title = section.title if section else (OTHER_TASKS if sections else "")
            number = section.number if section else ""
        sections.append({"number": number, "title": title, "tasks": []})
    return sections


def _summary(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    counts: dict[str, dict[str, Any]] = {}
    names = {
        Standing.DONE_ON_TIME: "done_on_time",
        Standing.DONE_LATE: "done_late",
        Standing.ON_TRACK: "in_progress",
        Standing.OVERDUE: "overdue",
        Standing.NO_DEADLINE: "no_deadline",
    }
    for row in rows:
        agency = row["lead_agency"] or NO_AGENCY
        entry = counts.setdefault(agency, {"agency": agency, **dict.fromkeys(names.values(), 0)})
        entry[names[Standing(row["standing"])]] += 1
    return sorted(counts.values(), key=lambda e: (e["agency"] == NO_AGENCY, e["agency"].lower()))


def gather_appendix(
    session: Session,
    *,
    period: Period,
    mode: str,
    scope: ResolvedScope,
    today: date,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """The appendix's sections, rows and counts at the period's cut-off."""
    cutoff_start, cutoff_end = period.cutoff(mode)
    judged_on = min(cutoff_end, today)
    conditions = _scoped(scope, cutoff_end)
    ids = select(Task.id).join(Directive, Directive.id == Task.directive_id).where(*conditions)
    tasks = _tasks(session, conditions)
    reports = _reports_in_force(session, ids, period, cutoff_end)
    later = _reported_later(session, ids, period, cutoff_end)
    sections = _sections(tasks, scope)
    rows: list[dict[str, Any]] = []
    current = -1
    previous_key: tuple[int, int | None] | None = None
    for number, task in enumerate(tasks, start=1):
        if _section_key(task) != previous_key:
            current += 1
            previous_key = _section_key(task)
        report = reports.get(task.id)
        row = _row(
            task, task.outline or str(number), report, task.id in later, cutoff_end, judged_on
        )
        sections[current]["tasks"].append(row)
        rows.append(row)
        if progress is not None:
            progress(number, len(tasks))
    return {
        "version": CONTENT_VERSION,
        "kind": "appendix",
        "period": {
            "code": period.code,
            "kind": period.kind.value,
            "label": period.label,
            "mode": mode,
            "cutoff_start": cutoff_start.isoformat(),
            "cutoff_end": cutoff_end.isoformat(),
            "judged_on": judged_on.isoformat(),
        },
        "sections": sections,
        "summary": _summary(rows),
        "rows": len(rows),
    }


# --- the chairperson's overdue report ------------------------------------------------------


def _viewer(actor: User | None) -> User:
    """Who the overdue list is read as: the actor, or (from the command line) the whole
    province, as an office account sees it. The stand-in is never added to the session."""
    if actor is not None and actor.role != Role.DEPARTMENT:
        return actor
    return User(username="flask-reports", full_name="flask reports", role=Role.OFFICE)


def gather_overdue(
    session: Session,
    *,
    on: date,
    scope: ResolvedScope,
    actor: User | None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Open tasks past their due date on `on`, grouped by lead agency: the dashboard's list."""
    filters = ListFilters(
        agency_id=scope.agency.id if scope.agency else None, directive_ids=scope.directive_ids
    )
    viewer = _viewer(actor)
    groups: list[dict[str, Any]] = []
    page_number, done = 1, 0
    while True:
        page = overdue_tasks(session, viewer, on, filters, page=page_number)
        for row in page.rows:
            agency = row.agency_name or NO_AGENCY
            if not groups or groups[-1]["agency_id"] != row.agency_id:
                groups.append({"agency_id": row.agency_id, "agency": agency, "tasks": []})
            groups[-1]["tasks"].append(
                {
                    "task_id": row.task_id,
                    "outline": row.outline or "",
                    "title": row.title,
                    "deadline_text": row.deadline_text or "",
                    "due": row.due.isoformat(),
                    "original_due": _iso(row.original_due),
                    "days_overdue": row.days,
                    "status": row.status.value,
                    "supervisor": row.supervisor_name or "",
                    "last_explanation": row.explanation or "",
                    "explained_on": _iso(row.explained_on),
                    "explanation_pending": row.explanation_pending,
                }
            )
        done += len(page.rows)
        if progress is not None:
            progress(done, page.total)
        if page.page >= page.pages:
            break
        page_number += 1
    return {
        "version": CONTENT_VERSION,
        "kind": "overdue",
        "as_of": on.isoformat(),
        "groups": groups,
        "rows": done,
    }
