"""Importing a document's tasks: a preview to check (and edit), then one all-or-nothing write.

    file = read_path("tb.docx", max_bytes)               # or read_stream(upload, name, …)
    preview = build_preview(session, file, ImportOptions(kind="notice"), today=today)
    preview.to_json() / ImportPreview.from_json(data)    # to a web page and back
    result = apply_import(session, preview, today=today, actor=user, create_agencies=False)
    session.commit()                                      # the caller commits, once

`build_preview` writes nothing. It reads the file (`sources`: .txt in UTF-8, UTF-16 or
Windows-1258, legacy TCVN3/VNI text detected and converted only when asked; .docx paragraphs
for a notice, tables for a plan or an appendix; .xlsx), finds the directive (by number, else
the unnumbered one of the same kind and subject), matches every task to the directive's live
tasks (`match`: by outline number, else by folded text; a group's copies by their parent
and lead agency) and says for each whether it will be created, updated (field by field,
`diff`) or is unchanged. Agencies are matched by name, short name and alias
(`agencies`); unknown ones are proposed as new agencies, created only when
`apply_import` is told to, else it refuses with their list. `apply_import` recomputes every
change against the database as it is then, from the preview as given (edits included), inside
a SAVEPOINT: any error leaves nothing of the import behind.

What the import sets, per kind (fields a document does not carry are left as they are):

* notice -- title, lead (the heading's organisation, or the one the item names, whose words
  are kept in `lead_text`), coordinators ("phối hợp với …": the phrase kept in
  `coordinators_text` only when it names a group), deadline phrase, reference date. A group
  heading ("Các sở, ban, ngành và UBND các huyện …") keeps one task without lead (the phrase
  in `lead_text`, as the office's "copy to agencies" leaves it) and gets one copy under it per
  active agency of the kinds it names (department, district …).
* plan -- outline, code, title, section, parent, lead (the first known agency of the Chủ trì
  cell; the cell kept in `lead_text` unless it is that agency's name), coordinators (the cell
  kept in `coordinators_text`), start, completion, product, reference date.
* appendix -- outline, title, section, deadline, status, and the status and explanation as
  the progress report of the given period (an existing report of that period is updated and
  keeps its date). New tasks go to `lead`, else the document's issuer, else "UBND tỉnh".

The reference date (what deadline phrases are read against, stored as `assigned_on`) is the
one given, else the document's date, a notice's meeting date ("Ngày 18 tháng 01 năm 2024, tại
…"), the document's month when its day is blank, the directive's date, the date its saved
tasks were given, and last today (each of the later ones with a warning). An appendix's tasks
take the directive's date.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from app.auth.models import User
from app.imports.apply import Applier, unknown_agencies
from app.imports.build import Previewer
from app.imports.diff import FIELDS
from app.imports.preview import ImportOptions, ImportPreview, ImportResult
from app.imports.sources import (
    DEFAULT_MAX_BYTES,
    ImportFile,
    ImportRefused,
    legacy_refusal,
    read_document,
    read_path,
    read_stream,
)
from app.periods import PeriodError, parse_period

__all__ = [
    "DEFAULT_MAX_BYTES",
    "ImportFile",
    "ImportOptions",
    "ImportPreview",
    "ImportRefused",
    "ImportResult",
    "apply_import",
    "build_preview",
    "read_path",
    "read_stream",
    "unknown_agencies",
]


def build_preview(
    session: Session,
    file: ImportFile,
    options: ImportOptions,
    *,
    today: date,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ImportPreview:
    """Read `file` as `options.kind` and say what importing it would do; writes nothing.
    Refuses (ImportRefused, a message for the user) a file it cannot read."""
    if options.kind not in FIELDS:
        raise ImportRefused(_("Unknown document kind %(kind)s.", kind=options.kind))
    period = _period(options.period) if options.kind == "appendix" else None
    document = read_document(
        file,
        options.kind,
        max_bytes=max_bytes,
        sheet=options.sheet,
        columns=options.columns,
        convert=options.convert,
        reference=options.reference,
    )
    if not document.tasks:
        legacy = document.source.legacy_encoding
        if legacy and not document.source.converted:
            raise legacy_refusal(legacy)
        raise ImportRefused(_("No task was found in the document."))
    return Previewer(session, document, options, period, today).build()


def apply_import(
    session: Session,
    preview: ImportPreview,
    *,
    today: date,
    actor: User | None = None,
    create_agencies: bool = False,
) -> ImportResult:
    """Write the preview (as edited) and say what changed; the caller commits.

    All or nothing: the writes run in a SAVEPOINT that any error rolls back. Unknown agencies
    are created only with `create_agencies`, else ImportRefused lists them; a preview whose
    tasks were deleted since, or that breaks a rule, raises ValidationFailed."""
    with session.begin_nested():
        return Applier(session, preview, today, actor, create_agencies).run()


def _period(value: str | None) -> str:
    try:
        return parse_period(value or "").code
    except PeriodError as error:
        if not value:
            raise ImportRefused(
                _("An appendix needs the reporting period it reports on (for example 2023-Q1).")
            ) from error
        raise ImportRefused(
            _(
                "Unknown period “%(period)s”: write 2023-Q1, 2023-H1, 2023-03 or 2023.",
                period=value,
            )
        ) from error
