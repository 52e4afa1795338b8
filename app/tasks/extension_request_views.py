"""Deadline extensions: requests by the lead agency (or the office), decisions by leaders."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.models import Role, User
from app.auth.permissions import roles
from app.clock import today_local
from app.extensions import db
from app.forms import Choice, PageNumber, query_args, read_query, submit
from app.pagination import paginate
from app.tasks.extension_request_forms import DecisionForm, ExtensionRequestForm
from app.tasks.extension_requests import (
    ExtensionFilters,
    TaskPanel,
    approve_extension,
    get_extension,
    listed_extensions,
    may_request,
    refuse_extension,
    request_extension,
    task_panel,
)
from app.tasks.models import ExtensionState, Task
from app.tasks.services import get_task

bp = Blueprint("extensions", __name__)
LIST_ARGS = query_args(state=Choice(ExtensionState), page=PageNumber())


@bp.app_template_global()
def extension_panel(task: Task, user: User, today: date) -> dict[str, object]:
    """For `extensions/_task_panel.html`: what the user may do, and the empty forms."""
    panel: TaskPanel = task_panel(db.session, user, task)
    return {
        "panel": panel,
        "request_form": ExtensionRequestForm(formdata=None) if panel.may_request else None,
        "decision_form": DecisionForm(formdata=None) if panel.may_decide else None,
        "earliest": _earliest(task, today),
    }


def _earliest(task: Task, today: date) -> date:
    """The first date a request may name: after the due date in force, not in the past."""
    due = task.effective_due
    return max(today, due + timedelta(days=1)) if due else today


def _back_to(task_id: int, anchor: str = "extensions"):  # type: ignore[no-untyped-def]
    return redirect(url_for("tasks.detail", task_id=task_id, _anchor=anchor))


def _flash_failure(task_id: int, messages: list[str]):  # type: ignore[no-untyped-def]
    """Validation failures go back to the task page, each message flashed."""
    for message in messages:
        flash(message, "danger")
    return _back_to(task_id), 303


def _form_messages(form: ExtensionRequestForm | DecisionForm) -> list[str]:
    return [
        f"{form[name].label.text}: {message}" for name, ms in form.errors.items() for message in ms
    ]


@bp.route("/task/<int:task_id>/request", methods=["POST"], endpoint="request_extension")
@roles(Role.DEPARTMENT, Role.OFFICE)
def request_view(task_id: int):  # type: ignore[no-untyped-def]
    task = get_task(db.session, current_user, task_id)
    if not may_request(current_user, task):
        abort(403)
    form = ExtensionRequestForm()
    if not form.validate_on_submit():
        return _flash_failure(task.id, _form_messages(form))
    return submit(
        lambda: request_extension(
            db.session,
            actor=current_user,
            task=task,
            requested_due=form.requested_due.data,
            reason=form.reason.data or "",
            today=today_local(),
        ),
        success=_("Your request for an extension has been sent to the leaders."),
        refused=lambda error: _flash_failure(task.id, error.messages),
        done=lambda _extension: _back_to(task.id),
    )


def _decision(extension_id: int, approve: bool):  # type: ignore[no-untyped-def]
    extension = get_extension(db.session, current_user, extension_id, for_update=True)
    task_id = extension.task_id
    form = DecisionForm()
    if not form.validate_on_submit():
        return _flash_failure(task_id, _form_messages(form))
    decide = approve_extension if approve else refuse_extension
    return submit(
        lambda: decide(
            db.session, actor=current_user, extension=extension, note=form.note.data or ""
        ),
        success=_("The extension has been approved.")
        if approve
        else (_("The extension has been refused."), "info"),
        refused=lambda error: _flash_failure(task_id, error.messages),
        done=lambda _none: _back_to(task_id),
    )


@bp.route("/<int:extension_id>/approve", methods=["POST"])
@roles(Role.LEADER)
def approve(extension_id: int):  # type: ignore[no-untyped-def]
    return _decision(extension_id, approve=True)


@bp.route("/<int:extension_id>/refuse", methods=["POST"])
@roles(Role.LEADER)
def refuse(extension_id: int):  # type: ignore[no-untyped-def]
    return _decision(extension_id, approve=False)


@bp.route("/")
@roles(Role.LEADER, Role.OFFICE, Role.ADMIN)
def index():  # type: ignore[no-untyped-def]
    args = read_query(LIST_ARGS)
    filters = ExtensionFilters(state=args["state"])
    page = paginate(listed_extensions(current_user, filters), page=args["page"])
    return render_template(
        "extensions/index.html", page=page, filters=filters, states=list(ExtensionState)
    )
