"""Deadline extensions (gia hạn): the lead agency asks, a leader decides.

A request records the due date in force and the date asked for. Approval sets
`Task.extended_due`, so the effective due date (and the task's standing) moves while the
deadline phrase and its parsed date stay as written; refusal leaves the task alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import Select, case, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.auth.models import Role, User
from app.clock import now_utc
from app.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.notifications.services import agency_users, notify, office_users
from app.tasks.deadlines import DeadlineKind
from app.tasks.models import DeadlineExtension, ExtensionState, Status, Task
from app.tasks.services import visible_tasks

MAX_REASON = 5_000
MAX_NOTE = 5_000
# Only these kinds carry a due date that can move; the others have nothing to extend.
EXTENDABLE_KINDS = (DeadlineKind.DATE, DeadlineKind.PERIOD)


def may_request(actor: User, task: Task) -> bool:
    """A department user of the lead agency, or office staff on its behalf (never a coordinator)."""
    if actor.role == Role.OFFICE:
        return True
    return (
        actor.role == Role.DEPARTMENT
        and task.lead_agency_id is not None
        and actor.agency_id == task.lead_agency_id
    )


def may_decide(actor: User) -> bool:
    """Only the chairperson and vice-chairs (role leader) decide."""
    return actor.role == Role.LEADER


def pending_extension(session: Session, task: Task) -> DeadlineExtension | None:
    """The request of this task waiting for a decision, if any."""
    return session.scalar(
        select(DeadlineExtension).where(
            DeadlineExtension.task_id == task.id,
            DeadlineExtension.state == ExtensionState.PENDING,
        )
    )


def request_blockers(task: Task) -> list[str]:
    """Why the task's deadline cannot be extended now (empty when it can)."""
    problems = []
    if task.deleted_at is not None:
        problems.append(_("The task has been deleted."))
    if task.status == Status.COMPLETED:
        problems.append(_("The task is completed: there is no deadline left to extend."))
    if task.deadline_kind not in EXTENDABLE_KINDS or task.effective_due is None:
        problems.append(
            _(
                "This task has no due date (continuous, recurring or without a computable "
                "date): there is nothing to extend."
            )
        )
    if task.lead_agency_id is None:
        problems.append(_("The task has no lead agency to ask for an extension."))
    return problems


def request_extension(
    session: Session,
    *,
    actor: User,
    task: Task,
    requested_due: date | None,
    reason: str,
    today: date,
) -> DeadlineExtension:
    """File a request for the lead agency and tell the supervising leader(s) and the office."""
    if not may_request(actor, task):
        raise Forbidden()
    reasons: dict[str, list[str]] = {}

    def fail(field: str, message: str) -> None:
        reasons.setdefault(field, []).append(message)

    for problem in request_blockers(task):
        fail("task", problem)
    text = (reason or "").strip()
    if not text:
        fail("reason", _("Give the reason for the extension."))
    elif len(text) > MAX_REASON:
        fail("reason", _("The reason is too long (at most %(n)d characters).", n=MAX_REASON))
    due = task.effective_due
    if requested_due is None:
        fail("requested_due", _("Give the requested due date."))
    else:
        if due is not None and requested_due <= due:
            fail(
                "requested_due",
                _(
                    "The requested due date must be after the due date in force (%(date)s).",
                    date=_dmy(due),
                ),
            )
        if requested_due < today:
            fail("requested_due", _("The requested due date cannot be in the past."))
    if pending_extension(session, task) is not None:
        fail("task", _("A request for this task is already waiting for a decision."))
    if reasons or requested_due is None:
        raise ValidationFailed(reasons)
    extension = DeadlineExtension(
        task=task,
        agency_id=task.lead_agency_id,
        requested_by=actor,
        requested_at=now_utc(),
        reason=text,
        previous_due=due,
        requested_due=requested_due,
        state=ExtensionState.PENDING,
    )
    session.add(extension)
    session.flush()
    agency = task.lead_agency.name if task.lead_agency else ""
    notify(
        session,
        [u for u in _deciders(session, task) + office_users(session) if u.id != actor.id],
        kind="extension_requested",
        message=_(
            "%(agency)s asks to extend the deadline of %(task)s to %(date)s.",
            agency=agency,
            task=_short(task),
            date=_dmy(requested_due),
        ),
        task=task,
        link=f"/tasks/{task.id}",
    )
    return extension


def _deciders(session: Session, task: Task) -> list[User]:
    """The lead agency's supervising leader, or every active leader when none is named."""
    lead = task.lead_agency
    if lead is not None and lead.supervisor is not None and lead.supervisor.active:
        return [lead.supervisor]
    return list(
        session.scalars(
            select(User).where(User.role == Role.LEADER, User.active.is_(True)).order_by(User.id)
        )
    )


def _decidable(actor: User, extension: DeadlineExtension) -> Task:
    if not may_decide(actor):
        raise Forbidden()
    if extension.state != ExtensionState.PENDING:
        raise ValidationFailed({"state": [_("This request has already been decided.")]})
    task = extension.task
    if task.deleted_at is not None:
        raise ValidationFailed({"task": [_("The task has been deleted.")]})
    return task


def approve_extension(
    session: Session, *, actor: User, extension: DeadlineExtension, note: str = ""
) -> Task:
    """Approve: the requested date becomes the task's due date in force."""
    task = _decidable(actor, extension)
    due = task.effective_due
    if task.deadline_kind not in EXTENDABLE_KINDS or due is None:
        raise ValidationFailed({"task": [_("This task no longer has a due date to extend.")]})
    if extension.requested_due <= due:
        # The office changed the deadline meanwhile: approving would shorten it.
        raise ValidationFailed(
            {
                "task": [
                    _(
                        "The due date in force (%(date)s) is no longer before the requested "
                        "date; there is nothing to approve.",
                        date=_dmy(due),
                    )
                ]
            }
        )
    text = _check_note(note, required=False)
    _decide(extension, actor, ExtensionState.APPROVED, text)
    task.extended_due = extension.requested_due
    _flush(session)
    _tell_decision(
        session,
        extension,
        kind="extension_approved",
        message=_(
            "The deadline of %(task)s has been extended to %(date)s.",
            task=_short(task),
            date=_dmy(extension.requested_due),
        ),
    )
    return task


def refuse_extension(
    session: Session, *, actor: User, extension: DeadlineExtension, note: str
) -> None:
    """Refuse, with the reason; the task keeps its due date."""
    task = _decidable(actor, extension)
    text = _check_note(note, required=True)
    _decide(extension, actor, ExtensionState.REFUSED, text)
    _flush(session)
    _tell_decision(
        session,
        extension,
        kind="extension_refused",
        message=_(
            "The extension of %(task)s to %(date)s was refused: %(reason)s",
            task=_short(task),
            date=_dmy(extension.requested_due),
            reason=text or "",
        ),
    )


def _check_note(note: str, *, required: bool) -> str | None:
    text = (note or "").strip()
    if required and not text:
        raise ValidationFailed({"note": [_("Give the reason for refusing.")]})
    if len(text) > MAX_NOTE:
        raise ValidationFailed(
            {"note": [_("The note is too long (at most %(n)d characters).", n=MAX_NOTE)]}
        )
    return text or None


def _decide(
    extension: DeadlineExtension, actor: User, state: ExtensionState, note: str | None
) -> None:
    extension.state = state
    extension.decided_by = actor
    extension.decided_at = now_utc()
    extension.decision_note = note


def _flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError as error:
        # The task's version counter moved: someone saved it meanwhile.
        raise Conflict() from error


def _tell_decision(
    session: Session, extension: DeadlineExtension, *, kind: str, message: str
) -> None:
    task = extension.task
    notify(
        session,
        [*agency_users(session, task.lead_agency), extension.requested_by],
        kind=kind,
        message=message,
        task=task,
        link=f"/tasks/{task.id}",
    )


def get_extension(
    session: Session, actor: User, extension_id: int, *, for_update: bool = False
) -> DeadlineExtension:
    """A request on a live task the actor may see; NotFound otherwise.

    `for_update` locks the row (PostgreSQL) so two leaders deciding at once are serialised."""
    statement = select(DeadlineExtension).where(
        DeadlineExtension.id == extension_id,
        DeadlineExtension.task_id.in_(_visible_task_ids(actor)),
    )
    if for_update:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    extension = session.scalar(statement)
    if extension is None:
        raise NotFound()
    return extension


def _visible_task_ids(actor: User) -> Select[tuple[int]]:
    return visible_tasks(actor).with_only_columns(Task.id).order_by(None)


@dataclass(frozen=True)
class ExtensionFilters:
    """What the list of requests is narrowed by."""

    state: ExtensionState | None = None


def listed_extensions(actor: User, filters: ExtensionFilters) -> Select[tuple[DeadlineExtension]]:
    """Requests on live tasks the actor sees: pending first, then decided, newest first."""
    statement = select(DeadlineExtension).where(
        DeadlineExtension.task_id.in_(_visible_task_ids(actor))
    )
    if filters.state is not None:
        statement = statement.where(DeadlineExtension.state == filters.state)
    pending_first = case((DeadlineExtension.state == ExtensionState.PENDING, 0), else_=1)
    return statement.options(
        selectinload(DeadlineExtension.task).selectinload(Task.lead_agency),
        selectinload(DeadlineExtension.agency),
        selectinload(DeadlineExtension.requested_by),
        selectinload(DeadlineExtension.decided_by),
    ).order_by(pending_first, DeadlineExtension.requested_at.desc(), DeadlineExtension.id.desc())


@dataclass(frozen=True)
class TaskPanel:
    """What the task page's extension panel may offer the current user."""

    may_request: bool  # the user may file a request now (the form is shown)
    blockers: list[str]  # why a user who could request cannot do so now
    pending: DeadlineExtension | None
    may_decide: bool  # the user may approve or refuse the pending request


def task_panel(session: Session, actor: User, task: Task) -> TaskPanel:
    """Which extension forms the task page shows to `actor`."""
    pending = pending_extension(session, task)
    allowed = may_request(actor, task)
    blockers = request_blockers(task) if allowed else []
    if allowed and pending is not None:
        blockers.append(_("A request for this task is already waiting for a decision."))
    return TaskPanel(
        may_request=allowed and not blockers,
        blockers=blockers,
        pending=pending,
        may_decide=pending is not None and may_decide(actor) and task.deleted_at is None,
    )


def _dmy(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def _short(task: Task) -> str:
    prefix = f"{task.outline}. " if task.outline else ""
    title = task.title if len(task.title) <= 80 else task.title[:79] + "…"
    return prefix + title
