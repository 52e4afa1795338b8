"""HTML forms of directives and their sections."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.directives.models import DirectiveKind
from app.forms import BaseForm, optional_id


class DirectiveForm(BaseForm):
    """Create or edit a directive (office staff)."""

    kind = SelectField(
        _l("Kind"),
        choices=[SelectChoice(k.value) for k in DirectiveKind],
        validators=[InputRequired()],
    )
    number = StringField(_l("Number"), validators=[Optional(), Length(max=80)])
    issued_on = DateField(_l("Issued on"), validators=[Optional()])
    issuer = StringField(_l("Issuer"), validators=[Optional(), Length(max=255)])
    summary = TextAreaField(_l("Subject"), validators=[DataRequired(), Length(max=10000)])
    signer = StringField(_l("Signed by"), validators=[Optional(), Length(max=200)])
    signer_title = TextAreaField(_l("Signer's title"), validators=[Optional(), Length(max=200)])
    full_text = TextAreaField(_l("Full text"), validators=[Optional(), Length(max=1_000_000)])
    # Checked by the service (never itself, nor a directive implementing it).
    implements_id = SelectField(_l("Implements"), coerce=optional_id, validate_choice=False)


class SectionForm(BaseForm):
    """A section of a directive: number, title and place."""

    number = StringField(_l("Section number"), validators=[DataRequired(), Length(max=20)])
    title = TextAreaField(_l("Section title"), validators=[DataRequired(), Length(max=5000)])
    order = IntegerField(_l("Order"), validators=[Optional(), NumberRange(min=1, max=9999)])


class ConfirmForm(BaseForm):
    """A POST button carrying only its CSRF token."""
