"""The web import (office staff): upload or paste a document, check and edit the preview, then
confirm it in one transaction. Its blueprint is mounted under /directives.

The upload and its preview stay on the server (`store`) under a random token owned by
the user; the browser sends back only the edits, which are applied to the stored preview.
Confirming claims the token, so a confirmation sent twice is written once.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from app.agencies.models import Agency
from app.auth.permissions import roles
from app.clock import now_utc, today_local
from app.directives.forms import ConfirmForm
from app.directives.models import DirectiveKind
from app.errors import NotFound, ValidationFailed, human_size
from app.extensions import db
from app.forms import Flag, committing, query_args, read_query
from app.imports.edits import Edited, apply_edits, lead_value
from app.imports.forms import ConfirmImportForm, ImportForm, RebuildForm
from app.imports.mapping import column_mapping, fields_of
from app.imports.pages import (
    flagged,
    kind_label,
    result_messages,
    rows,
    shown_changes,
    shown_value,
)
from app.imports.parsers.legacy import ENCODINGS
from app.imports.preview import ImportPreview
from app.imports.services import (
    ImportFile,
    ImportOptions,
    ImportRefused,
    ImportResult,
    apply_import,
    build_preview,
    read_stream,
    unknown_agencies,
)
from app.imports.sources import _COLUMN_ERRORS, legacy_refusal, refuse_size
from app.imports.store import (
    AlreadyClaimed,
    ImportStore,
    StoredImport,
    Tombstone,
    options_to_json,
)
from app.labels import label
from app.tasks.views import EDITORS
from app.text import fold

bp = Blueprint("imports", __name__)

PREVIEW_ARGS = query_args(flagged=Flag())
PASTED = "pasted.txt"  # the name a pasted text is read under (its type: plain text)
MAX_COLUMN = 200


def _store() -> ImportStore:
    directory = current_app.config.get("IMPORT_DIR") or Path(current_app.instance_path, "imports")
    return ImportStore(Path(directory), now_utc())


def _max_bytes() -> int:
    return int(current_app.config["IMPORT_MAX_BYTES"])


def _active_agencies() -> list[Agency]:
    statement = select(Agency).where(Agency.active.is_(True)).order_by(Agency.name)
    return list(db.session.scalars(statement))


# Reading a document -------------------------------------------------------------------------


def _problem(
    error: ImportRefused, file: ImportFile, options: ImportOptions
) -> dict[str, Any] | None:
    """A refusal the preview page can help with (a column mapping, a conversion), else None."""
    if (
        options.kind != "notice"
        and file.format in ("xlsx", "docx")
        and any(marker in error.detail for marker in _COLUMN_ERRORS)
    ):
        return {"kind": "columns", "message": error.message}
    if options.convert is None:
        for encoding in ENCODINGS:
            if error.message == legacy_refusal(encoding).message:
                return {"kind": "legacy", "message": error.message, "encoding": encoding}
    return None


def _read(
    file: ImportFile, options: ImportOptions
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(the preview's JSON, None), or (None, a problem to show); other refusals raise."""
    try:
        preview = build_preview(
            db.session, file, options, today=today_local(), max_bytes=_max_bytes()
        )
    except ImportRefused as error:
        db.session.rollback()
        problem = _problem(error, file, options)
        if problem is None:
            raise
        return None, problem
    db.session.rollback()  # a preview writes nothing: end its read-only transaction
    data = preview.to_json()
    if "\\u0000" in json.dumps(data):  # a stray NUL in a text file: no database stores it
        raise ImportRefused(_("The text contains a NUL character, which is not allowed."))
    return data, None


def _uploaded(form: ImportForm) -> ImportFile:
    upload = form.upload()
    if upload is not None:
        name = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1][-200:]
        # Werkzeug has spooled the whole upload: its size is known before reading it.
        size = upload.stream.seek(0, os.SEEK_END)
        upload.stream.seek(0)
        refuse_size(size, _max_bytes())
        return read_stream(upload.stream, name, _max_bytes())
    text = (form.text.data or "").replace("\r\n", "\n")
    return ImportFile(PASTED, text.encode("utf-8"))


@bp.route("/import", methods=["GET", "POST"], endpoint="upload")
@roles(*EDITORS)
def import_document():  # type: ignore[no-untyped-def]
    """The upload (or paste) form; POST reads the document and shows its preview."""
    form = ImportForm()
    status = 200
    if form.validate_on_submit():
        options = ImportOptions(
            kind=form.kind.data or "notice",
            number=(form.number.data or "").strip() or None,
            period=(form.period.data or "").strip() or None,
            reference=form.reference.data,
            province=current_app.config.get("PROVINCE_NAME"),
        )
        try:
            file = _uploaded(form)
            preview, problem = _read(file, options)
        except ImportRefused as error:
            form.form_errors.append(error.message)
            status = 422
        else:
            stored = _store().create(
                current_user.id, file, options, preview=preview, problem=problem
            )
            return redirect(url_for("imports.preview", token=stored.token))
    elif form.errors:
        status = 400
    limit = human_size(_max_bytes())
    return render_template("imports/upload.html", form=form, limit=limit), status


# The preview page ---------------------------------------------------------------------------


def _preview_page(
    stored: StoredImport,
    *,
    edited: Edited | None = None,
    confirm_form: ConfirmImportForm | None = None,
    errors: list[str] | None = None,
    status: int = 200,
):  # type: ignore[no-untyped-def]
    context: dict[str, Any] = {
        "stored": stored,
        "options": stored.import_options,
        "problem": stored.problem,
        "errors": errors or [],
        "rebuild_form": _rebuild_form(stored),
        "discard_form": ConfirmForm(),
        "directive_kinds": [(k.value, label(k)) for k in DirectiveKind],
        "shown": shown_value,
        "changes": shown_changes,
        "encodings": ENCODINGS,
    }
    options = stored.import_options
    if stored.problem is not None and stored.problem["kind"] == "columns":
        context["mapping"] = column_mapping(
            _store().file(stored), options.kind, options.sheet, dict(options.columns or {})
        )
    if stored.preview is not None:
        original = ImportPreview.from_json(stored.preview)
        shown = edited.preview if edited is not None else original
        unknown = {fold(name) for name in unknown_agencies(shown)}
        agencies = _active_agencies()
        all_rows = rows(original, shown, edited.errors if edited else {}, today_local())
        only_flagged = read_query(PREVIEW_ARGS)["flagged"] and edited is None
        if original.columns:  # the columns read, shown and editable
            chosen = {c.field: c.index for c in original.columns}
            context["mapping"] = column_mapping(
                _store().file(stored), options.kind, options.sheet, chosen
            )
        context.update(
            preview=shown,
            original=original,
            rows=flagged(all_rows) if only_flagged else all_rows,
            flagged_count=len(flagged(all_rows)),
            only_flagged=only_flagged,
            field_labels={c.field: c.label for c in fields_of(options.kind)},
            counts=shown.counts(),
            proposals=[p for p in original.new_agencies if fold(p.name) in unknown],
            kind_label=kind_label,
            agencies=agencies,
            lead_value=lead_value,
            form=confirm_form or ConfirmImportForm(formdata=None),
            general_warnings=[w for w in original.warnings if not w.task],
            legacy=shown.source.legacy_encoding and not shown.source.converted,
        )
    return render_template("imports/preview.html", **context), status


def _rebuild_form(stored: StoredImport) -> RebuildForm:
    options = stored.import_options
    form = RebuildForm(formdata=None)
    _fill_rebuild_choices(form)
    form.number.data = options.number
    form.directive_kind.data = options.directive_kind or ""
    form.subject.data = options.subject
    form.issued_on.data = options.issued_on
    form.reference.data = options.reference
    form.period.data = options.period
    return form


def _fill_rebuild_choices(form: RebuildForm) -> None:
    form.directive_kind.choices = [
        SelectChoice("", "—"),
        *(SelectChoice(k.value, label(k)) for k in DirectiveKind),
    ]


def _get(token: str) -> StoredImport:
    return _store().get(token, current_user.id)


@bp.route("/import/<token>", endpoint="preview")
@roles(*EDITORS)
def import_preview(token: str):  # type: ignore[no-untyped-def]
    """What importing the document will do, to check and edit before confirming."""
    return _preview_page(_get(token))


# Reading again with other options -----------------------------------------------------------


def _columns(options: ImportOptions) -> dict[str, int | str] | None:
    """The column mapping posted as col-<field> = column index ("" for none)."""
    known = {c.field for c in fields_of(options.kind)}
    mapping: dict[str, int | str] = {}
    for name, value in request.form.items():
        if not name.startswith("col-") or not value:
            continue
        if name[4:] not in known or not value.isdigit() or int(value) >= MAX_COLUMN:
            raise ImportRefused(_("Choose each column from the list."))
        mapping[name[4:]] = int(value)
    return mapping or None


def _rebuilt_options(options: ImportOptions, form: RebuildForm) -> ImportOptions:
    """The options with each posted field's value (a field not posted keeps its value)."""
    posted = request.form
    changes: dict[str, Any] = {}
    texts = {"number": form.number, "subject": form.subject, "period": form.period}
    for name, text_field in texts.items():
        if name in posted:
            changes[name] = (text_field.data or "").strip() or None
    for name in ("issued_on", "reference"):
        if name in posted:
            changes[name] = getattr(form, name).data
    if "convert" in posted:
        changes["convert"] = form.convert.data or None
    if "directive_kind" in posted:
        changes["directive_kind"] = form.directive_kind.data or None
    if "sheet" in posted:
        changes["sheet"] = (form.sheet.data or "").strip() or None
        changes["columns"] = None  # another sheet, other columns
    if "mapping" in posted:
        changes["columns"] = _columns(options)
    return replace(options, **changes)


@bp.route("/import/<token>/rebuild", methods=["POST"], endpoint="rebuild")
@roles(*EDITORS)
def import_rebuild(token: str):  # type: ignore[no-untyped-def]
    """Read the stored file again: converted, with a column mapping, or other details."""
    store = _store()
    stored = store.get(token, current_user.id)
    form = RebuildForm()
    _fill_rebuild_choices(form)
    back = redirect(url_for("imports.preview", token=token))
    if not form.validate_on_submit():
        for name, messages in form.errors.items():
            caption = getattr(form, name).label.text if isinstance(name, str) else ""
            for message in messages:
                flash(f"{caption}: {message}" if caption else message, "danger")
        return back
    try:
        options = _rebuilt_options(stored.import_options, form)
        preview, problem = _read(store.file(stored), options)
    except ImportRefused as error:
        flash(error.message, "danger")
        return back
    stored.options = options_to_json(options)
    stored.preview, stored.problem = preview, problem
    store.save(stored)
    flash(_("The document has been read again."), "info")
    return back


# Confirming ---------------------------------------------------------------------------------


def _already_imported(tombstone: Tombstone | None):  # type: ignore[no-untyped-def]
    return render_template("imports/done.html", tombstone=tombstone), 409


def _confirm_problems(edited: Edited, form: ConfirmImportForm) -> list[str]:
    """What the user must agree to before the preview can be written."""
    problems = []
    source = edited.preview.source
    if source.legacy_encoding and not source.converted and not form.keep_legacy.data:
        problems.append(
            _(
                "The text looks typed in the legacy %(encoding)s encoding: convert it, or tick "
                "that it reads correctly as shown.",
                encoding=source.legacy_encoding.upper(),
            )
        )
    if unknown_agencies(edited.preview) and not form.create_agencies.data:
        problems.append(
            _(
                "The document names agencies that are not in the list: tick “Create these "
                "agencies”, or choose existing agencies for those tasks."
            )
        )
    return problems


def _write(store: ImportStore, stored: StoredImport, edited: Edited, create: bool) -> ImportResult:
    """Claim the upload and write its preview as edited, in one transaction."""
    # A refusal rolls the transaction back, then gives the upload back to correct and retry.
    with store.claim(stored), committing():
        result = apply_import(
            db.session,
            edited.preview,
            today=today_local(),
            actor=current_user._get_current_object(),
            create_agencies=create,
        )
    try:
        store.finish(stored, result.directive_id)
    except OSError:  # written and committed: a tidying failure must not say otherwise
        current_app.logger.exception("import %s: could not clear the upload", stored.token)
    return result


def _place_reasons(edited: Edited, error: ValidationFailed) -> list[str]:
    """Each task's reasons go to its row; the others (the directive's) are returned."""
    keys = {t.key for t in edited.preview.tasks}
    others = []
    for key, messages in error.reasons.items():
        for message in messages:
            if key in keys:
                edited.fail(key, message)
            else:
                others.append(message)
    return others


@bp.route("/import/<token>/confirm", methods=["POST"], endpoint="confirm")
@roles(*EDITORS)
def import_confirm(token: str):  # type: ignore[no-untyped-def]
    """Write the preview as edited, in one transaction; the token is used up."""
    store = _store()
    try:
        stored = store.get(token, current_user.id)
    except NotFound:
        tombstone = store.tombstone(token, current_user.id)
        if tombstone is None:
            raise
        return _already_imported(tombstone)
    if stored.preview is None:
        return _preview_page(stored, status=409)
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        return _preview_page(stored, confirm_form=form, status=400)
    agencies = {agency.id: agency for agency in _active_agencies()}
    edited = apply_edits(ImportPreview.from_json(stored.preview), request.form, agencies)
    problems = _confirm_problems(edited, form)
    if not edited.errors and not problems:
        try:
            result = _write(store, stored, edited, bool(form.create_agencies.data))
        except AlreadyClaimed:
            return _already_imported(store.tombstone(token, current_user.id))
        except ValidationFailed as error:
            problems += _place_reasons(edited, error)
        except ImportRefused as error:
            problems.append(error.message)
        else:
            for message, category in result_messages(result):
                flash(message, category)
            return redirect(url_for("directives.detail", directive_id=result.directive_id))
    return _preview_page(stored, edited=edited, confirm_form=form, errors=problems, status=422)


@bp.route("/import/<token>/discard", methods=["POST"], endpoint="discard")
@roles(*EDITORS)
def import_discard(token: str):  # type: ignore[no-untyped-def]
    """Forget the upload; nothing is written."""
    store = _store()
    stored = store.get(token, current_user.id)
    if ConfirmForm().validate_on_submit():
        store.discard(stored)
        flash(_("The import has been cancelled: nothing was written."), "info")
    return redirect(url_for("imports.upload"))
