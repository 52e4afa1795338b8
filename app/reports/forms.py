"""HTML forms: build a report, edit a cover-letter template."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.forms import BaseForm, optional_id, record_id
from app.reports.letters import MAX_BODY, MAX_DISTRIBUTION, MAX_SUBJECT
from app.reports.models import ReportKind


class BuildForm(BaseForm):
    """Which report, for which period (or day) and which tasks; rebuild on purpose."""

    kind = SelectField(
        _l("Report"),
        choices=[SelectChoice(k.value) for k in ReportKind],
        default=ReportKind.APPENDIX.value,
        validators=[InputRequired()],
    )
    period = StringField(_l("Period"), validators=[Optional(), Length(max=20)])
    on = DateField(_l("As of"), validators=[Optional()])
    directives = SelectMultipleField(_l("Directives"), coerce=record_id, validate_choice=False)
    agency = SelectField(_l("Lead agency"), coerce=optional_id, validate_choice=False)
    rebuild = BooleanField(_l("Replace the report already built for this period"))


class TemplateForm(BaseForm):
    """The cover letter's subject, body and distribution list."""

    subject = StringField(
        _l("Subject (after “V/v”)"), validators=[DataRequired(), Length(max=MAX_SUBJECT)]
    )
    body = TextAreaField(_l("Body"), validators=[DataRequired(), Length(max=MAX_BODY)])
    distribution = TextAreaField(
        _l("Distribution (Nơi nhận), one line each"),
        validators=[Optional(), Length(max=MAX_DISTRIBUTION)],
    )
