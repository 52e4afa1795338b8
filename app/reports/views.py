"""Report pages: build a period's report, the archive, downloads, cover-letter templates.

Leaders, office staff and administrators read the archive and download; only office staff
and administrators build reports and edit templates. Department users are refused outright:
the archive holds the Committee's outgoing documents, which cover every agency's tasks, and
a department already sees its own tasks live on its pages.
"""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.auth.models import Role
from app.auth.permissions import roles
from app.clock import today_local
from app.dates import short_date
from app.downloads import attachment
from app.extensions import db
from app.forms import Message, PageNumber, query_args, read_query, submit
from app.labels import label
from app.periods import PeriodKind, last_closed
from app.reports.forms import BuildForm, TemplateForm
from app.reports.letters import PLACEHOLDERS, REPORT_TYPES, get_template, save_template
from app.reports.models import ReportKind, ReportSnapshot
from app.reports.scope import Scope
from app.reports.services import (
    archive,
    build_report,
    formats,
    get_snapshot,
    render,
)
from app.tasks.lists import filter_choices
from app.tasks.models import Status
from app.tasks.standing import Standing

bp = Blueprint("reports", __name__)
VIEWERS = (Role.LEADER, Role.OFFICE, Role.ADMIN)
BUILDERS = (Role.OFFICE, Role.ADMIN)
ARCHIVE_ARGS = query_args(page=PageNumber())

KIND_LABELS = {
    ReportKind.APPENDIX: _l("Progress report (appendix)"),
    ReportKind.OVERDUE: _l("Overdue tasks"),
}
FORMAT_LABELS = {
    "pdf": _l("Appendix (PDF)"),
    "docx": _l("Appendix (Word)"),
    "xlsx": _l("Appendix (Excel)"),
    "letter.pdf": _l("Cover letter (PDF)"),
    "letter.docx": _l("Cover letter (Word)"),
}
OVERDUE_FORMAT_LABELS = {"pdf": _l("List (PDF)"), "xlsx": _l("List (Excel)")}
SUMMARY_LABELS = {
    "done_on_time": _l("Done on time"),
    "done_late": _l("Done late"),
    "in_progress": _l("In progress, within deadline"),
    "overdue": _l("Overdue"),
    "no_deadline": _l("No deadline"),
}


def _iso_day(value: str | None) -> str:
    """A stored ISO date as the office writes it (dd/mm/yyyy)."""
    return short_date(date.fromisoformat(value)) if value else ""


def _format_labels(kind: ReportKind) -> dict[str, str]:
    labels = OVERDUE_FORMAT_LABELS if kind == ReportKind.OVERDUE else FORMAT_LABELS
    return {fmt: str(labels[fmt]) for fmt in formats(kind)}


@bp.route("/")
@roles(*VIEWERS)
def index():  # type: ignore[no-untyped-def]
    page = archive(db.session, page=read_query(ARCHIVE_ARGS)["page"], last_past_end=True)
    return render_template(
        "reports/index.html",
        page=page,
        kind_labels=KIND_LABELS,
        format_labels={kind: _format_labels(kind) for kind in ReportKind},
        can_build=current_user.role in BUILDERS,
    )


def _build_form() -> BuildForm:
    form = BuildForm()
    choices = filter_choices(db.session)
    form.kind.choices = [SelectChoice(k.value, str(KIND_LABELS[k])) for k in ReportKind]
    form.directives.choices = [SelectChoice(c.id, c.label) for c in choices["directives"]]
    form.agency.choices = [SelectChoice("", _("All agencies"))] + [
        SelectChoice(c.id, c.label) for c in choices["agencies"]
    ]
    return form


def _build(form: BuildForm, today: date) -> ReportSnapshot:
    kind = ReportKind(form.kind.data)
    return build_report(
        db.session,
        period=(form.on.data or today) if kind == ReportKind.OVERDUE else form.period.data,
        scope=Scope(tuple(form.directives.data or ()), form.agency.data),
        actor=current_user,
        rebuild=bool(form.rebuild.data),
        today=today,
        kind=kind,
    )


def _built_message(snapshot: ReportSnapshot) -> Message:
    if snapshot.fresh:
        return _("The report has been built.")
    return (
        _(
            "This report was already built; here it is. Tick “Replace” to "
            "build it again from today's data."
        ),
        "info",
    )


@bp.route("/new", methods=["GET", "POST"])
@roles(*BUILDERS)
def build():  # type: ignore[no-untyped-def]
    form = _build_form()
    today = today_local()
    if request.method == "GET":
        mode = current_app.config["REPORT_PERIODS"]
        form.period.data = last_closed(today, PeriodKind.QUARTER, mode).code
        form.on.data = today
    else:
        response = submit(
            lambda: _build(form, today),
            form=form,
            success=_built_message,
            done=lambda snapshot: redirect(url_for("reports.detail", snapshot_id=snapshot.id)),
        )
        if response is not None:
            return response
    status = 400 if form.errors or form.form_errors else 200
    return render_template("reports/build.html", form=form), status


@bp.route("/<int:snapshot_id>")
@roles(*VIEWERS)
def detail(snapshot_id: int):  # type: ignore[no-untyped-def]
    snapshot = get_snapshot(db.session, snapshot_id)
    return render_template(
        "reports/detail.html",
        snapshot=snapshot,
        content=snapshot.content,
        kind_labels=KIND_LABELS,
        format_labels=_format_labels(ReportKind(snapshot.kind)),
        status_labels={status.value: label(status) for status in Status},
        standing_labels={standing.value: label(standing) for standing in Standing},
        summary_labels=SUMMARY_LABELS,
        day=_iso_day,
    )


@bp.route("/<int:snapshot_id>/download/<fmt>")
@roles(*VIEWERS)
def download(snapshot_id: int, fmt: str):  # type: ignore[no-untyped-def]
    snapshot = get_snapshot(db.session, snapshot_id)
    name, mimetype, body = render(snapshot, fmt)
    return attachment(body, name, mimetype)


@bp.route("/templates")
@roles(*BUILDERS)
def templates():  # type: ignore[no-untyped-def]
    rows = [(key, name, get_template(db.session, key)) for key, name in REPORT_TYPES.items()]
    return render_template("reports/templates.html", rows=rows)


@bp.route("/templates/<report_type>", methods=["GET", "POST"])
@roles(*BUILDERS)
def edit_template(report_type: str):  # type: ignore[no-untyped-def]
    if report_type not in REPORT_TYPES:
        abort(404)
    current = get_template(db.session, report_type)
    saved = {"subject": current.subject, "body": current.body, "distribution": current.distribution}
    form = TemplateForm(data=None if request.method == "POST" else saved)
    response = submit(
        lambda: save_template(
            db.session,
            report_type=report_type,
            subject=form.subject.data,
            body=form.body.data,
            distribution=form.distribution.data or "",
            actor=current_user,
        ),
        form=form,
        success=_("The template has been saved."),
        done=lambda _template: redirect(url_for("reports.templates")),
    )
    if response is not None:
        return response
    status = 400 if form.errors or form.form_errors else 200
    return render_template(
        "reports/template_form.html",
        form=form,
        name=REPORT_TYPES[report_type],
        template=current,
        placeholders=PLACEHOLDERS,
    ), status
