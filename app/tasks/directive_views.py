"""Pages of directive sources: list, detail with its journal, and the office's edits.

They live with the tasks because they show them (each directive's tasks and their counts);
the directives package below holds the records and their rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from app.audit import AuditEntry
from app.auth.permissions import roles
from app.clock import now_utc, today_local
from app.dates import short_date
from app.directives.forms import ConfirmForm, DirectiveForm, SectionForm
from app.directives.models import Directive, DirectiveKind, Section
from app.directives.services import (
    DirectiveInput,
    SectionInput,
    add_section,
    delete_directive,
    directive_journal,
    find_directive,
    get_directive,
    implements_candidates,
    ordered_sections,
    restore_directive,
    save_directive,
    update_section,
)
from app.errors import NotFound
from app.extensions import db
from app.forms import Flag, Text, query_args, read_query, submit
from app.labels import label
from app.tasks.directive_tasks import (
    delete_section,
    directive_tasks,
    list_directives,
    live_task_count,
    section_task_counts,
)
from app.tasks.views import EDITORS

bp = Blueprint("directives", __name__)
LIST_ARGS = query_args(q=Text(), deleted=Flag())

FIELD_LABELS = {
    "kind": _l("Kind"),
    "number": _l("Number"),
    "issued_on": _l("Issued on"),
    "issuer": _l("Issuer"),
    "summary": _l("Subject"),
    "signer": _l("Signed by"),
    "signer_title": _l("Signer's title"),
    "full_text": _l("Full text"),
    "implements_id": _l("Implements"),
    "deleted_at": _l("Deleted"),
}


def _is_editor() -> bool:
    return current_user.role in EDITORS


@bp.route("/")
@roles()
def index():  # type: ignore[no-untyped-def]
    args = read_query(LIST_ARGS)
    query = args["q"]
    # Deleted directives are the office's business; other roles just see the live list.
    deleted = args["deleted"] and _is_editor()
    rows = db.session.execute(list_directives(query, deleted=deleted)).all()
    return render_template(
        "directives/index.html",
        rows=rows,
        query=query,
        deleted=deleted,
        can_edit=_is_editor(),
        confirm_form=ConfirmForm(),
    )


@dataclass(frozen=True)
class JournalChange:
    """One field of a journal entry, ready to show."""

    field: str
    old: str | None
    new: str | None


def _shown(field: str, value: Any, labels: dict[int, str]) -> str | None:
    if value is None or value == "":
        return None
    if field == "kind" and value in DirectiveKind.__members__.values():
        return label(DirectiveKind(value))
    if field == "implements_id" and isinstance(value, int):
        return labels.get(value, f"#{value}")
    if field == "issued_on":
        return short_date(date.fromisoformat(value))
    if field == "deleted_at":
        return short_date(datetime.fromisoformat(value))
    return str(value)


def _journal_rows(entries: list[AuditEntry]) -> list[tuple[AuditEntry, list[JournalChange]]]:
    """Each entry with its changes in words: kinds labelled, linked directives named."""
    ids = {
        value
        for entry in entries
        for value in entry.changes.get("implements_id", [])
        if isinstance(value, int)
    }
    labels = {
        d.id: d.label for d in db.session.scalars(select(Directive).where(Directive.id.in_(ids)))
    }
    rows = []
    for entry in entries:
        changes = [
            JournalChange(
                str(FIELD_LABELS.get(field, field)),
                _shown(field, change[0], labels),
                _shown(field, change[1], labels),
            )
            for field, change in entry.changes.items()
        ]
        rows.append((entry, changes))
    return rows


@bp.route("/<int:directive_id>")
@roles()
def detail(directive_id: int):  # type: ignore[no-untyped-def]
    # The office may open a deleted directive, to see what it held and restore it.
    directive = find_directive(db.session, directive_id, include_deleted=_is_editor())
    tasks = directive_tasks(db.session, current_user, directive)
    return render_template(
        "directives/detail.html",
        directive=directive,
        tasks=tasks,
        journal=_journal_rows(directive_journal(db.session, directive)),
        can_edit=_is_editor(),
        confirm_form=ConfirmForm(),
    )


# Create and edit ----------------------------------------------------------------------------


def _fill_choices(form: DirectiveForm, directive: Directive | None) -> None:
    form.kind.choices = [SelectChoice(k.value, label(k)) for k in DirectiveKind]
    choices = [SelectChoice("", "—")]
    for other in implements_candidates(db.session, directive):
        choices.append(SelectChoice(other.id, _choice_label(other)))
    current = directive.implements if directive is not None else None
    if current is not None and current.deleted_at is not None:
        # Keep showing a link to a since-deleted directive, or saving would drop it silently.
        choices.append(
            SelectChoice(current.id, _("%(directive)s (deleted)", directive=_choice_label(current)))
        )
    form.implements_id.choices = choices


def _choice_label(directive: Directive) -> str:
    summary = directive.summary if len(directive.summary) <= 70 else directive.summary[:69] + "…"
    return f"{directive.number or _('(no number)')} — {summary}"


def _input(form: DirectiveForm) -> DirectiveInput:
    return DirectiveInput(
        kind=DirectiveKind(form.kind.data),
        summary=form.summary.data or "",
        number=form.number.data,
        issued_on=form.issued_on.data,
        issuer=form.issuer.data,
        signer=form.signer.data,
        signer_title=form.signer_title.data,
        full_text=form.full_text.data,
        implements_id=form.implements_id.data,
    )


def _save(form: DirectiveForm, directive: Directive | None):  # type: ignore[no-untyped-def]
    """Validate and save; on failure the form is shown again with every reason, input kept."""
    response = submit(
        lambda: save_directive(
            db.session, data=_input(form), today=today_local(), directive=directive
        ),
        form=form,
        success=_("The directive has been saved."),
        done=lambda saved: redirect(url_for("directives.detail", directive_id=saved.id)),
    )
    if response is not None:
        return response
    status = 400 if form.errors else 200
    return render_template("directives/form.html", form=form, directive=directive), status


@bp.route("/new", methods=["GET", "POST"])
@roles(*EDITORS)
def create():  # type: ignore[no-untyped-def]
    form = DirectiveForm()
    _fill_choices(form, None)
    if request.method == "GET":
        form.kind.data = DirectiveKind.DECISION.value
    return _save(form, None)


@bp.route("/<int:directive_id>/edit", methods=["GET", "POST"])
@roles(*EDITORS)
def edit(directive_id: int):  # type: ignore[no-untyped-def]
    directive = get_directive(db.session, directive_id)
    form = DirectiveForm(obj=directive if request.method == "GET" else None)
    _fill_choices(form, directive)
    if request.method == "GET":
        form.kind.data = directive.kind.value
    return _save(form, directive)


# Delete and restore -------------------------------------------------------------------------


@bp.route("/<int:directive_id>/delete", methods=["GET", "POST"])
@roles(*EDITORS)
def delete(directive_id: int):  # type: ignore[no-untyped-def]
    """GET asks for confirmation (saying how many tasks it holds); POST deletes."""
    directive = get_directive(db.session, directive_id)
    task_count = live_task_count(db.session, directive)
    form = ConfirmForm()
    response = submit(
        lambda: delete_directive(db.session, directive, now=now_utc()),
        form=form,
        success=lambda _none: _(
            "The directive %(directive)s has been deleted; its %(count)d tasks are kept. "
            "It can be restored from the list of deleted directives.",
            directive=directive.label,
            count=task_count,
        ),
        done=lambda _none: redirect(url_for("directives.index")),
    )
    if response is not None:
        return response
    status = 400 if request.method == "POST" else 200
    return render_template(
        "directives/delete.html", directive=directive, task_count=task_count, form=form
    ), status


@bp.route("/<int:directive_id>/restore", methods=["POST"])
@roles(*EDITORS)
def restore(directive_id: int):  # type: ignore[no-untyped-def]
    directive = find_directive(db.session, directive_id, include_deleted=True)
    return submit(
        lambda: restore_directive(db.session, directive),
        success=lambda _none: _(
            "The directive %(directive)s has been restored.", directive=directive.label
        ),
        done=lambda _none: redirect(url_for("directives.detail", directive_id=directive.id)),
    )


# Sections -----------------------------------------------------------------------------------


def _section_form(section: Section, order: int) -> SectionForm:
    form = SectionForm(prefix=f"s{section.id}", formdata=None)
    form.number.data = section.number
    form.title.data = section.title
    form.order.data = order
    return form


def _sections_page(
    directive: Directive,
    *,
    add_form: SectionForm | None = None,
    failed: tuple[int, SectionForm] | None = None,
    errors: list[str] | None = None,
    status: int = 200,
):  # type: ignore[no-untyped-def]
    sections = ordered_sections(directive)
    forms = {s.id: _section_form(s, i) for i, s in enumerate(sections, start=1)}
    if failed is not None:
        forms[failed[0]] = failed[1]
    return render_template(
        "directives/sections.html",
        directive=directive,
        sections=sections,
        forms=forms,
        add_form=add_form or SectionForm(prefix="new", formdata=None),
        counts=section_task_counts(db.session, directive),
        errors=errors or [],
        confirm_form=ConfirmForm(),
    ), status


def _section_input(form: SectionForm) -> SectionInput:
    return SectionInput(
        number=form.number.data or "", title=form.title.data or "", order=form.order.data
    )


def _to_sections(directive: Directive):  # type: ignore[no-untyped-def]
    return redirect(url_for("directives.sections", directive_id=directive.id))


@bp.route("/<int:directive_id>/sections", methods=["GET", "POST"])
@roles(*EDITORS)
def sections(directive_id: int):  # type: ignore[no-untyped-def]
    """The directive's sections; POST adds one."""
    directive = get_directive(db.session, directive_id)
    if request.method == "GET":
        return _sections_page(directive)
    form = SectionForm(prefix="new")
    response = submit(
        lambda: add_section(db.session, directive, _section_input(form)),
        form=form,
        success=_("The section has been added."),
        done=lambda _section: _to_sections(directive),
    )
    return response or _sections_page(directive, add_form=form, status=400)


def _get_section(directive: Directive, section_id: int) -> Section:
    section = db.session.get(Section, section_id)
    if section is None or section.directive_id != directive.id:
        raise NotFound()
    return section


@bp.route("/<int:directive_id>/sections/<int:section_id>", methods=["POST"])
@roles(*EDITORS)
def section_update(directive_id: int, section_id: int):  # type: ignore[no-untyped-def]
    directive = get_directive(db.session, directive_id)
    section = _get_section(directive, section_id)
    form = SectionForm(prefix=f"s{section.id}")
    response = submit(
        lambda: update_section(db.session, directive, section, _section_input(form)),
        form=form,
        success=_("The section has been saved."),
        done=lambda _none: _to_sections(directive),
    )
    return response or _sections_page(directive, failed=(section_id, form), status=400)


@bp.route("/<int:directive_id>/sections/<int:section_id>/delete", methods=["POST"])
@roles(*EDITORS)
def section_delete(directive_id: int, section_id: int):  # type: ignore[no-untyped-def]
    directive = get_directive(db.session, directive_id)
    section = _get_section(directive, section_id)
    return submit(
        lambda: delete_section(db.session, directive, section),
        success=_("The section has been deleted."),
        refused=lambda error: _sections_page(directive, errors=error.messages, status=400),
        done=lambda _none: _to_sections(directive),
    )
