"""The form of the personal API tokens page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from app.api.models import TokenScope
from app.forms import BaseForm

SCOPE_LABELS = {
    TokenScope.READ: _l("Read only"),
    TokenScope.READ_WRITE: _l("Read and write (progress reports)"),
}


class TokenForm(BaseForm):
    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=100)])
    scope = RadioField(
        _l("Scope"),
        choices=[SelectChoice(scope.value, label) for scope, label in SCOPE_LABELS.items()],
        default=TokenScope.READ.value,
        validators=[DataRequired()],
    )
