"""Tasks: the list with filters, one task (with its ETag), and the lead agency's progress report."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import request
from flask_login import current_user
from flask_smorest import abort
from marshmallow import ValidationError

from app.api import blp
from app.api.common import documented_errors, page_of
from app.api.errors import general, status_message
from app.api.schemas import ProgressIn, ProgressOut, TaskDetailOut, TaskPageOut, TaskQueryIn
from app.auth.models import Role
from app.auth.permissions import roles
from app.clock import today_local
from app.errors import Conflict, Forbidden
from app.extensions import db
from app.tasks.models import Task
from app.tasks.progress import can_report, submit_report
from app.tasks.services import TaskFilters, bump_version, filtered_tasks, get_task
from app.tasks.standing import effective_due_column, standing, standing_expression


def task_out(task: Task, today: date) -> dict[str, Any]:
    """A task as the API shows it: the deadline phrase beside what it was read as."""
    return {
        "id": task.id,
        "directive": task.directive,
        "section": str(task.section) if task.section else None,
        "parent_id": task.parent_id,
        "outline": task.outline,
        "code": task.code,
        "title": task.title,
        "lead_agency": task.lead_agency,
        "lead_text": task.lead_text,
        "coordinators": list(task.coordinators),
        "coordinators_text": task.coordinators_text,
        "deadline": {
            "text": task.deadline_text,
            "start_text": task.start_text,
            "kind": task.deadline_kind,
            "start": task.deadline_start,
            "due": task.deadline_due,
            "dues": list(task.deadline_dues or []),
            "extended_due": task.extended_due,
            "effective_due": task.effective_due,
        },
        "product": task.product,
        "status": task.status,
        "completed_on": task.completed_on,
        "standing": standing(task, today),
        "version": task.version,
    }


def etag(task: Task) -> str:
    return f'"{task.version}"'


@blp.route("/tasks")
@blp.arguments(TaskQueryIn, location="query", as_kwargs=False)
@blp.response(200, TaskPageOut)
@documented_errors(400, 422, 429)
@roles()
def list_tasks(args: dict[str, Any]) -> dict[str, Any]:
    """Tasks the caller may see (a department: those its agency leads or coordinates).

    In document order (directive, position, id). `standing` is judged today; `due_from` and
    `due_to` bound the due date in force; `q` ignores diacritics ("dau tu" finds "đầu tư").
    """
    today = today_local()
    statement = filtered_tasks(
        current_user,
        TaskFilters(
            query=args["q"],
            directive_id=args.get("directive"),
            agency_id=args.get("agency"),
            status=args.get("status"),
        ),
    )
    if args.get("standing") is not None:
        statement = statement.where(standing_expression(today) == args["standing"])
    due = effective_due_column()
    if args.get("due_from") is not None:
        statement = statement.where(due >= args["due_from"])
    if args.get("due_to") is not None:
        statement = statement.where(due <= args["due_to"])
    page = page_of(statement, args)
    page["items"] = [task_out(task, today) for task in page["items"]]
    return page


@blp.route("/tasks/<int(min=1, max=2147483647):task_id>")
@blp.response(200, TaskDetailOut, headers={"ETag": {"schema": {"type": "string"}}})
@documented_errors(404, 429)
@roles()
def get_one_task(task_id: int):  # type: ignore[no-untyped-def]
    """One task with its progress reports; `ETag` is its version, for `If-Match` on writes."""
    task = get_task(db.session, current_user, task_id)
    body = task_out(task, today_local())
    body["updates"] = visible_updates(task)
    return body, 200, {"ETag": etag(task)}


def visible_updates(task: Task) -> list[Any]:
    """Every report and contribution on the task (the task page shows them all to whoever
    may see the task)."""
    return list(task.updates)


IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "description": "The task's ETag, as read from GET /tasks/{task_id}.",
    "schema": {"type": "string"},
}


@blp.route("/tasks/<int(min=1, max=2147483647):task_id>/progress", methods=["POST"])
@blp.response(201, ProgressOut, headers={"ETag": {"schema": {"type": "string"}}})
@blp.doc(
    parameters=[IF_MATCH],
    requestBody={"required": True, "content": {"application/json": {"schema": ProgressIn}}},
)
@documented_errors(400, 404, 412, 422, 428, 429)
@roles(Role.DEPARTMENT)
def post_progress(task_id: int):  # type: ignore[no-untyped-def]
    """The lead agency's progress report, sent to the office for review (as on the task page).

    Needs a read-write token (or the session and `X-CSRFToken`) and `If-Match` with the
    task's ETag: a stale one gets 412, none 428. The report moves the task's version.
    """
    task = get_task(db.session, current_user, task_id)
    if not can_report(current_user, task):
        raise Forbidden()
    expected = _if_match()
    if expected is None:
        return general(428, status_message(428))
    # Read after the access checks: someone else's task is 404 whatever the body says.
    data = _progress_body()
    # The task service's compare-and-bump: of two calls holding the same ETag, one wins.
    try:
        bump_version(db.session, task, expected)
    except Conflict:
        db.session.rollback()
        return general(412, status_message(412))
    update_row = submit_report(
        db.session,
        actor=current_user,
        task=task,
        status=data["status"],
        explanation=data["explanation"],
        completed_on=data.get("completed_on"),
        today=today_local(),
    )
    db.session.commit()
    return update_row, 201, {"ETag": etag(task), "Location": f"/api/v1/tasks/{task.id}"}


PROGRESS_IN = ProgressIn()


def _progress_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if body is None:
        abort(400, messages={"json": ["Invalid JSON body."]})
    try:
        return PROGRESS_IN.load(body)
    except ValidationError as error:
        abort(422, messages={"json": error.messages})
    raise AssertionError("unreachable")


def _if_match() -> int | None:
    """The version named by If-Match; -1 for a value that names none (never matches)."""
    raw = request.headers.get("If-Match")
    if raw is None or not raw.strip():
        return None
    value = raw.strip()
    if value.startswith("W/"):
        value = value[2:]
    value = value.strip('"')
    if value.isascii() and value.isdigit() and len(value) < 10:
        return int(value)
    return -1
