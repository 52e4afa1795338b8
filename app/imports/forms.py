"""HTML forms of the web import: the upload (or paste), reading it again, and the confirmation.

The per-task edits of the preview are read by `edits`, not by a form class: their
number follows the document."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from app.directives.models import DirectiveKind
from app.forms import BaseForm

KINDS = (
    SelectChoice("notice", _l("Conclusion notice or directive letter: one task per item")),
    SelectChoice("plan", _l("Plan: a table of numbered tasks")),
    SelectChoice("appendix", _l("Progress appendix: each task's status for a period")),
)
LEGACY_CHOICES = (
    SelectChoice("", _l("No conversion")),
    SelectChoice("tcvn3", "TCVN3 (ABC, .VnTime)"),
    SelectChoice("vni", "VNI (VNI-Times)"),
)
PERIOD_HELP = _l("For example 2023-Q1, 2023-H1, 2023-03 or 2023.")


class ImportForm(BaseForm):
    """A document to import: a file, or its text pasted, with what the file may not say."""

    kind = SelectField(_l("Kind of document"), choices=KINDS, validators=[InputRequired()])
    file = FileField(_l("File (.txt, .docx or .xlsx)"))
    text = TextAreaField(_l("Or paste the document's text"), validators=[Optional()])
    number = StringField(_l("Directive number"), validators=[Optional(), Length(max=80)])
    period = StringField(_l("Reporting period"), validators=[Optional(), Length(max=20)])
    reference = DateField(_l("Read deadlines from"), validators=[Optional()])

    def upload(self) -> FileStorage | None:
        """The uploaded file, when one was chosen."""
        data = self.file.data
        return data if isinstance(data, FileStorage) and data.filename else None

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        pasted = bool((self.text.data or "").strip())
        if self.upload() is None and not pasted:
            self.form_errors.append(_("Choose a file or paste the document's text."))
            valid = False
        elif self.upload() is not None and pasted:
            self.form_errors.append(_("Send either a file or pasted text, not both."))
            valid = False
        if self.kind.data == "appendix" and not (self.period.data or "").strip():
            self.period.errors = [
                *self.period.errors,
                _("An appendix needs the reporting period it reports on (for example 2023-Q1)."),
            ]
            valid = False
        return valid


class RebuildForm(BaseForm):
    """Read the stored file again with other options; a field left out keeps its value."""

    # Checked in `validate` only when posted: a field left out keeps its value.
    convert = SelectField(_l("Convert legacy text"), choices=LEGACY_CHOICES, validate_choice=False)
    number = StringField(_l("Directive number"), validators=[Optional(), Length(max=80)])
    directive_kind = SelectField(
        _l("Kind of directive"),
        choices=[SelectChoice("", "—"), *(SelectChoice(k.value) for k in DirectiveKind)],
        validate_choice=False,
    )
    subject = TextAreaField(_l("Subject"), validators=[Optional(), Length(max=10000)])
    issued_on = DateField(_l("Issued on"), validators=[Optional()])
    reference = DateField(_l("Read deadlines from"), validators=[Optional()])
    period = StringField(_l("Reporting period"), validators=[Optional(), Length(max=20)])
    sheet = StringField(_l("Sheet"), validators=[Optional(), Length(max=100)])

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        for select in (self.convert, self.directive_kind):
            allowed = {str(choice[0]) for choice in select.iter_choices()}
            if select.raw_data and select.data not in allowed:
                select.errors = [*select.errors, _("Not a valid choice.")]
                valid = False
        return valid


class ConfirmImportForm(BaseForm):
    """Confirm the preview as edited; some previews need an explicit agreement."""

    create_agencies = BooleanField(_l("Create these agencies"))
    keep_legacy = BooleanField(_l("The text reads correctly: import it without converting"))
