"""Task actions: progress reports and their review, delete, restore, copy to agencies."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from app.agencies.models import Agency
from app.auth.forms import EmptyForm
from app.auth.models import Role
from app.auth.permissions import roles
from app.clock import today_local
from app.errors import ValidationFailed
from app.extensions import db
from app.forms import submit
from app.labels import label
from app.tasks.forms import ContributionForm, CopyForm, ReportForm, ReturnForm
from app.tasks.models import ProgressUpdate, Status
from app.tasks.progress import (
    accept_report,
    can_contribute,
    can_report,
    return_report,
    submit_contribution,
    submit_report,
)
from app.tasks.services import copy_to_agencies, get_task, restore_task, soft_delete_task
from app.tasks.views import EDITORS, bp, render_detail


def _to_task(task_id: int):  # type: ignore[no-untyped-def]
    return redirect(url_for("tasks.detail", task_id=task_id))


@bp.route("/<int:task_id>/report", methods=["POST"])
@roles(Role.DEPARTMENT)
def report(task_id: int):  # type: ignore[no-untyped-def]
    task = get_task(db.session, current_user, task_id)
    if not can_report(current_user, task):
        abort(403)
    form = ReportForm()
    form.status.choices = [SelectChoice(s.value, label(s)) for s in Status]
    response = submit(
        lambda: submit_report(
            db.session,
            actor=current_user,
            task=task,
            status=Status(form.status.data),
            explanation=form.explanation.data or "",
            completed_on=form.completed_on.data,
            today=today_local(),
        ),
        form=form,
        success=_("Your report has been sent to the office for review."),
        done=lambda _update: _to_task(task.id),
    )
    return response or render_detail(task, 400, report_form=form)


@bp.route("/<int:task_id>/contribute", methods=["POST"])
@roles(Role.DEPARTMENT)
def contribute(task_id: int):  # type: ignore[no-untyped-def]
    task = get_task(db.session, current_user, task_id)
    if not can_contribute(current_user, task):
        abort(403)
    form = ContributionForm()
    response = submit(
        lambda: submit_contribution(
            db.session,
            actor=current_user,
            task=task,
            explanation=form.explanation.data or "",
            today=today_local(),
        ),
        form=form,
        success=_("Your contribution has been recorded."),
        done=lambda _update: _to_task(task.id),
    )
    return response or render_detail(task, 400, contribution_form=form)


def _update_for_review(update_id: int) -> ProgressUpdate:
    update = db.session.get(ProgressUpdate, update_id)
    if update is None or update.task.deleted_at is not None:
        abort(404)
    return update


@bp.route("/updates/<int:update_id>/accept", methods=["POST"])
@roles(*EDITORS)
def accept(update_id: int):  # type: ignore[no-untyped-def]
    update = _update_for_review(update_id)
    if not EmptyForm().validate_on_submit():
        abort(400)

    def refused(error: ValidationFailed):  # type: ignore[no-untyped-def]
        flash(" ".join(error.messages), "danger")
        return _to_task(update.task_id), 303

    return submit(
        lambda: accept_report(db.session, actor=current_user, update=update),
        success=_("The report has been accepted."),
        refused=refused,
        done=lambda _none: _to_task(update.task_id),
    )


@bp.route("/updates/<int:update_id>/return", methods=["POST"])
@roles(*EDITORS)
def return_update(update_id: int):  # type: ignore[no-untyped-def]
    update = _update_for_review(update_id)
    form = ReturnForm()
    response = submit(
        lambda: return_report(
            db.session, actor=current_user, update=update, reason=form.reason.data or ""
        ),
        form=form,
        success=_("The report has been returned to the agency."),
        done=lambda _none: _to_task(update.task_id),
    )
    return response or render_detail(update.task, 400, return_form=form)


@bp.route("/<int:task_id>/delete", methods=["POST"])
@roles(*EDITORS)
def delete(task_id: int):  # type: ignore[no-untyped-def]
    task = get_task(db.session, current_user, task_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    return submit(
        lambda: soft_delete_task(task),
        success=(
            _("The task has been deleted; it can be restored from the list of deleted tasks."),
            "info",
        ),
        done=lambda _none: redirect(url_for("directives.detail", directive_id=task.directive_id)),
    )


@bp.route("/<int:task_id>/restore", methods=["POST"])
@roles(*EDITORS)
def restore(task_id: int):  # type: ignore[no-untyped-def]
    task = get_task(db.session, current_user, task_id, include_deleted=True)
    if not EmptyForm().validate_on_submit():
        abort(400)
    return submit(
        lambda: restore_task(task),
        success=_("The task has been restored."),
        done=lambda _none: _to_task(task.id),
    )


@bp.route("/<int:task_id>/copy", methods=["GET", "POST"])
@roles(*EDITORS)
def copy(task_id: int):  # type: ignore[no-untyped-def]
    task = get_task(db.session, current_user, task_id)
    form = CopyForm()
    agencies = db.session.scalars(
        select(Agency).where(Agency.active.is_(True)).order_by(Agency.kind, Agency.name)
    ).all()
    form.agency_ids.choices = [SelectChoice(a.id, a.name) for a in agencies]
    response = submit(
        lambda: copy_to_agencies(
            db.session,
            task=task,
            agency_ids=list(form.agency_ids.data or []),
            today=today_local(),
        ),
        form=form,
        success=lambda created: _("%(n)d task(s) created, one per agency.", n=len(created)),
        done=lambda _created: _to_task(task.id),
    )
    if response is not None:
        return response
    by_kind: dict[str, list[int]] = {}
    for agency in agencies:
        by_kind.setdefault(agency.kind.value, []).append(agency.id)
    status = 400 if form.errors or form.form_errors else 200
    return render_template(
        "tasks/copy.html", form=form, task=task, agencies=agencies, by_kind=by_kind
    ), status
