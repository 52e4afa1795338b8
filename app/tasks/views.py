"""Pages of tasks, the live deadline preview, and the working calendar."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from wtforms.fields.choices import SelectChoice

from app.agencies.models import Agency
from app.audit import AuditEntry
from app.auth.forms import EmptyForm
from app.auth.models import Role
from app.auth.permissions import roles
from app.clock import today_local
from app.directives.models import Directive
from app.directives.services import get_directive
from app.extensions import db
from app.forms import (
    Choice,
    Day,
    Flag,
    Id,
    PageNumber,
    Text,
    parse_id,
    query_args,
    read_query,
    submit,
)
from app.labels import label
from app.pagination import paginate
from app.tasks.deadlines import parse_deadline
from app.tasks.forms import (
    ContributionForm,
    ReportForm,
    ReturnForm,
    TaskForm,
)
from app.tasks.models import Status, Task
from app.tasks.progress import (
    can_contribute,
    can_report,
    can_review,
    is_closed,
    pending_report,
)
from app.tasks.services import (
    AgencyTaskFilters,
    TaskFilters,
    TaskInput,
    agency_directive_ids,
    agency_tasks,
    coordinated_by,
    filtered_tasks,
    get_task,
    save_task,
)
from app.tasks.standing import (
    Standing,
    StandingCounts,
    StandingFilters,
    count_standings,
    standing,
)

bp = Blueprint("tasks", __name__)
EDITORS = (Role.OFFICE, Role.ADMIN)


LIST_ARGS = query_args(
    q=Text(),
    directive=Id(),
    agency=Id(),
    status=Choice(Status),
    deleted=Flag(),
    page=PageNumber(),
)
MINE_ARGS = query_args(
    standing=Choice(Standing),
    directive=Id(),
    within=Id(choices=(7, 30)),
    involvement=Choice(("lead", "coordinating")),
    page=PageNumber(),
)
NEW_ARGS = query_args(directive=Id())
PREVIEW_ARGS = query_args(start_text=Text(), deadline_text=Text(), assigned_on=Day())


@bp.route("/")
@roles()
def index():  # type: ignore[no-untyped-def]
    args = read_query(LIST_ARGS)
    filters = TaskFilters(
        query=args["q"],
        directive_id=args["directive"],
        agency_id=args["agency"],
        status=args["status"],
        deleted=args["deleted"] and current_user.role in EDITORS,
    )
    page = paginate(filtered_tasks(current_user, filters), page=args["page"])
    directives = db.session.scalars(
        select(Directive).where(Directive.deleted_at.is_(None), Directive.tasks.any())
    ).all()
    agencies = db.session.scalars(
        select(Agency).where(Agency.active.is_(True)).order_by(Agency.name)
    )
    return render_template(
        "tasks/index.html",
        page=page,
        filters=filters,
        directives=directives,
        agencies=agencies.all(),
        statuses=list(Status),
        today=today_local(),
    )


def render_detail(task: Task, status: int = 200, **forms: object):  # type: ignore[no-untyped-def]
    """The task page, with whichever action forms the current user may use."""
    actor = current_user
    journal = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity_type == "Task", AuditEntry.entity_id == task.id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(200)
    ).all()
    pending = pending_report(db.session, task)
    if (
        can_report(actor, task)
        and (pending is None or "report_form" in forms)
        and (not is_closed(task) or "report_form" in forms)
    ):
        report = forms.get("report_form") or ReportForm(formdata=None)
        report.status.choices = [SelectChoice(s.value, label(s)) for s in Status]
        forms["report_form"] = report
    if can_contribute(actor, task):
        forms.setdefault("contribution_form", ContributionForm(formdata=None))
    if pending is not None and can_review(actor):
        forms.setdefault("return_form", ReturnForm(formdata=None))
    today = today_local()
    return render_template(
        "tasks/detail.html",
        task=task,
        journal=journal,
        today=today,
        standing=standing(task, today),
        can_edit=actor.role in EDITORS,
        pending=pending,
        closed_for_reports=can_report(actor, task)
        and is_closed(task)
        and "report_form" not in forms,
        action_form=EmptyForm(formdata=None),
        **forms,
    ), status


@bp.route("/<int:task_id>")
@roles()
def detail(task_id: int):  # type: ignore[no-untyped-def]
    task = get_task(db.session, current_user, task_id, include_deleted=True)
    return render_detail(task)


def _fill_choices(form: TaskForm, directive: Directive, task: Task | None) -> None:
    agencies = db.session.scalars(
        select(Agency).where(Agency.active.is_(True)).order_by(Agency.name)
    ).all()
    none = [SelectChoice("", "—")]
    form.lead_agency_id.choices = none + [SelectChoice(a.id, a.name) for a in agencies]
    form.coordinator_ids.choices = [SelectChoice(a.id, a.name) for a in agencies]
    form.section_id.choices = none + [
        SelectChoice(s.id, f"{s.number}. {s.title}") for s in directive.sections
    ]
    siblings = db.session.scalars(
        select(Task)
        .where(Task.directive_id == directive.id, Task.deleted_at.is_(None))
        .order_by(Task.position)
    ).all()
    form.parent_id.choices = none + [
        SelectChoice(t.id, str(t)) for t in siblings if task is None or t.id != task.id
    ]
    form.status.choices = [SelectChoice(s.value, label(s)) for s in Status]


def _input(form: TaskForm) -> TaskInput:
    return TaskInput(
        title=form.title.data or "",
        outline=form.outline.data,
        code=form.code.data,
        section_id=form.section_id.data,
        parent_id=form.parent_id.data,
        lead_agency_id=form.lead_agency_id.data,
        lead_text=form.lead_text.data,
        coordinator_ids=tuple(form.coordinator_ids.data or ()),
        coordinators_text=form.coordinators_text.data,
        assigned_on=form.assigned_on.data,
        start_text=form.start_text.data,
        deadline_text=form.deadline_text.data,
        product=form.product.data,
        status=Status(form.status.data),
        completed_on=form.completed_on.data,
    )


def _save(form: TaskForm, directive: Directive, task: Task | None):  # type: ignore[no-untyped-def]
    """Validate and save; on failure the form is shown again with every reason, input kept."""
    response = submit(
        lambda: save_task(
            db.session,
            directive=directive,
            data=_input(form),
            today=today_local(),
            task=task,
            expected_version=parse_id(form.version.data),
        ),
        form=form,
        success=_("The task has been saved."),
        # Only edits carry a version: a conflict on a new task is the plain 409 page.
        conflict=None if task is None else lambda _error: _conflict(form, task),
        done=lambda saved: redirect(url_for("tasks.detail", task_id=saved.id)),
    )
    if response is not None:
        return response
    status = 400 if form.errors else 200
    return render_template("tasks/form.html", form=form, directive=directive, task=task), status


CONFLICT_FIELDS = (
    "title",
    "outline",
    "code",
    "deadline_text",
    "start_text",
    "product",
    "status",
    "lead_text",
    "coordinators_text",
)


def _conflict(form: TaskForm, task: Task):  # type: ignore[no-untyped-def]
    """Someone saved the task meanwhile: show both versions; overwrite nothing."""
    db.session.refresh(task)
    differences = []
    for name in CONFLICT_FIELDS:
        mine = (getattr(form, name).data or "") if hasattr(form, name) else ""
        theirs = getattr(task, name)
        theirs = theirs.value if hasattr(theirs, "value") else (theirs or "")
        if str(mine).strip() != str(theirs).strip():
            differences.append((name, mine, theirs))
    journal = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity_type == "Task", AuditEntry.entity_id == task.id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(5)
    ).all()
    return render_template(
        "tasks/conflict.html", task=task, differences=differences, journal=journal
    ), 409


@bp.route("/new", methods=["GET", "POST"])
@roles(*EDITORS)
def create():  # type: ignore[no-untyped-def]
    directive_id = read_query(NEW_ARGS)["directive"]
    if directive_id is None:
        abort(404)
    directive = get_directive(db.session, directive_id)
    form = TaskForm()
    _fill_choices(form, directive, None)
    if request.method == "GET":
        form.status.data = Status.IN_PROGRESS.value
        form.assigned_on.data = directive.issued_on
    return _save(form, directive, None)


@bp.route("/<int:task_id>/edit", methods=["GET", "POST"])
@roles(*EDITORS)
def edit(task_id: int):  # type: ignore[no-untyped-def]
    task = get_task(db.session, current_user, task_id)
    form = TaskForm(obj=task if request.method == "GET" else None)
    _fill_choices(form, task.directive, task)
    if request.method == "GET":
        form.coordinator_ids.data = [a.id for a in task.coordinators]
        form.status.data = task.status.value
        form.version.data = str(task.version)
    return _save(form, task.directive, task)


@bp.route("/deadline-preview")
@roles(*EDITORS)
def deadline_preview():  # type: ignore[no-untyped-def]
    """htmx: how the phrase being typed will be read (as the task will store it)."""
    args = read_query(PREVIEW_ARGS)
    text = " ".join(part for part in (args["start_text"], args["deadline_text"]) if part)
    deadline = parse_deadline(text, reference=args["assigned_on"] or today_local())
    return render_template("tasks/_deadline_preview.html", deadline=deadline, text=text)


@bp.route("/mine")
@roles(Role.DEPARTMENT)
def mine():  # type: ignore[no-untyped-def]
    """Nhiệm vụ của đơn vị: what the user's agency leads and coordinates, with counts."""
    today = today_local()
    args = read_query(MINE_ARGS)
    standing_arg = args["standing"]
    filters = AgencyTaskFilters(
        standing=standing_arg.value if standing_arg else None,
        directive_id=args["directive"],
        due_within=args["within"],
        involvement=args["involvement"],
    )
    page = paginate(agency_tasks(current_user, filters, today), page=args["page"], ids=Task.id)
    counts = count_standings(
        db.session, today, StandingFilters(agency_id=current_user.agency_id)
    ).get(current_user.agency_id, StandingCounts())
    coordinated = db.session.scalar(
        select(func.count(Task.id)).where(
            Task.deleted_at.is_(None), coordinated_by(current_user.agency_id)
        )
    )
    directives = db.session.scalars(
        select(Directive)
        .where(Directive.id.in_(agency_directive_ids(current_user.agency_id)))
        .order_by(Directive.issued_on.desc().nulls_last())
    ).all()
    return render_template(
        "tasks/mine.html",
        page=page,
        filters=filters,
        counts=counts,
        coordinated=coordinated,
        directives=directives,
        standings=list(Standing),
        today=today,
    )
