"""Progress reports: the lead agency reports, coordinators contribute, the office reviews.

A report arrives as `submitted`; the office accepts it (its status and completion date
become the task's) or returns it with a reason, and the agency must then resubmit.
A coordinating agency's contribution (ý kiến phối hợp) needs no review; the lead sees it.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import Role, User
from app.clock import now_utc
from app.errors import Forbidden, ValidationFailed
from app.notifications.services import agency_users, notify, office_users
from app.tasks.deadlines import DeadlineKind
from app.tasks.models import ProgressUpdate, ReviewState, Status, Task, UpdateKind

MAX_EXPLANATION = 200_000


def can_report(actor: User, task: Task) -> bool:
    """A department user of the lead agency reports progress."""
    return (
        actor.role == Role.DEPARTMENT
        and task.lead_agency_id is not None
        and actor.agency_id == task.lead_agency_id
        and task.deleted_at is None
    )


def is_closed(task: Task) -> bool:
    """Completed and accepted once and for all: a dated task has nothing left to report.

    Recurring and continuous tasks are reported every period, whatever their last status.
    """
    return task.status == Status.COMPLETED and task.deadline_kind in (
        DeadlineKind.DATE,
        DeadlineKind.PERIOD,
        DeadlineKind.UNSPECIFIED,
    )


def can_contribute(actor: User, task: Task) -> bool:
    """A department user of a coordinating agency adds its contribution."""
    return (
        actor.role == Role.DEPARTMENT
        and task.deleted_at is None
        and any(agency.id == actor.agency_id for agency in task.coordinators)
    )


def can_review(actor: User) -> bool:
    return actor.role in (Role.OFFICE, Role.ADMIN)


def pending_report(session: Session, task: Task) -> ProgressUpdate | None:
    """The lead agency's report waiting for review, if any."""
    return session.scalar(
        select(ProgressUpdate).where(
            ProgressUpdate.task_id == task.id,
            ProgressUpdate.kind == UpdateKind.REPORT,
            ProgressUpdate.review_state == ReviewState.SUBMITTED,
        )
    )


def _check_text(explanation: str, reasons: dict[str, list[str]]) -> str:
    text = (explanation or "").strip()
    if not text:
        reasons.setdefault("explanation", []).append(_("Explain the progress made."))
    elif len(text) > MAX_EXPLANATION:
        reasons.setdefault("explanation", []).append(
            _("The explanation is too long (at most %(n)d characters).", n=MAX_EXPLANATION)
        )
    return text


def submit_report(
    session: Session,
    *,
    actor: User,
    task: Task,
    status: Status,
    explanation: str,
    completed_on: date | None,
    today: date,
) -> ProgressUpdate:
    """Record the lead agency's report and tell the office; the task changes on acceptance."""
    if not can_report(actor, task):
        raise Forbidden()
    reasons: dict[str, list[str]] = {}
    text = _check_text(explanation, reasons)
    if status == Status.COMPLETED:
        if completed_on is None:
            reasons.setdefault("completed_on", []).append(_("Give the completion date."))
        elif completed_on > today:
            reasons.setdefault("completed_on", []).append(
                _("The completion date cannot be in the future.")
            )
    if pending_report(session, task) is not None:
        reasons.setdefault("status", []).append(
            _("A report is already waiting for the office's review.")
        )
    if is_closed(task):
        reasons.setdefault("status", []).append(
            _("The task is completed; ask the office to reopen it if it needs another report.")
        )
    if reasons:
        raise ValidationFailed(reasons)
    update = ProgressUpdate(
        task=task,
        agency_id=actor.agency_id,
        author=actor,
        reported_on=today,
        kind=UpdateKind.REPORT,
        review_state=ReviewState.SUBMITTED,
        status=status,
        explanation=text,
        completed_on=completed_on if status == Status.COMPLETED else None,
    )
    session.add(update)
    session.flush()
    agency = actor.agency.name if actor.agency else ""
    notify(
        session,
        office_users(session),
        kind="report_submitted",
        message=_("%(agency)s reported progress on: %(task)s", agency=agency, task=_short(task)),
        task=task,
        link=f"/tasks/{task.id}",
    )
    return update


def submit_contribution(
    session: Session, *, actor: User, task: Task, explanation: str, today: date
) -> ProgressUpdate:
    """Record a coordinating agency's contribution and tell the lead agency."""
    if not can_contribute(actor, task):
        raise Forbidden()
    reasons: dict[str, list[str]] = {}
    text = _check_text(explanation, reasons)
    if reasons:
        raise ValidationFailed(reasons)
    update = ProgressUpdate(
        task=task,
        agency_id=actor.agency_id,
        author=actor,
        reported_on=today,
        kind=UpdateKind.CONTRIBUTION,
        review_state=ReviewState.ACCEPTED,
        status=task.status,
        explanation=text,
    )
    session.add(update)
    session.flush()
    agency = actor.agency.name if actor.agency else ""
    notify(
        session,
        agency_users(session, task.lead_agency),
        kind="contribution",
        message=_(
            "%(agency)s added its contribution to: %(task)s", agency=agency, task=_short(task)
        ),
        task=task,
        link=f"/tasks/{task.id}",
    )
    return update


def _reviewable(actor: User, update: ProgressUpdate) -> None:
    if not can_review(actor):
        raise Forbidden()
    if update.kind != UpdateKind.REPORT or update.review_state != ReviewState.SUBMITTED:
        raise ValidationFailed({"review": [_("This report has already been reviewed.")]})


def accept_report(session: Session, *, actor: User, update: ProgressUpdate) -> Task:
    """Accept a report: its status (and completion date) become the task's."""
    _reviewable(actor, update)
    task = update.task
    update.review_state = ReviewState.ACCEPTED
    update.reviewed_by = actor
    update.reviewed_at = now_utc()
    task.status = update.status
    task.completed_on = update.completed_on if update.status == Status.COMPLETED else None
    session.flush()
    notify(
        session,
        agency_users(session, task.lead_agency),
        kind="report_accepted",
        message=_("Your report on %(task)s was accepted.", task=_short(task)),
        task=task,
        link=f"/tasks/{task.id}",
    )
    return task


def return_report(session: Session, *, actor: User, update: ProgressUpdate, reason: str) -> None:
    """Send a report back with the reason; the agency is told and must resubmit."""
    _reviewable(actor, update)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": [_("Say why the report is returned.")]})
    update.review_state = ReviewState.RETURNED
    update.reviewed_by = actor
    update.reviewed_at = now_utc()
    update.review_note = reason
    session.flush()
    task = update.task
    notify(
        session,
        agency_users(session, task.lead_agency),
        kind="report_returned",
        message=_(
            "Your report on %(task)s was returned: %(reason)s", task=_short(task), reason=reason
        ),
        task=task,
        link=f"/tasks/{task.id}",
    )


def _short(task: Task) -> str:
    prefix = f"{task.outline}. " if task.outline else ""
    title = task.title if len(task.title) <= 80 else task.title[:79] + "…"
    return prefix + title
