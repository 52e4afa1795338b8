"""HTML forms of agency administration."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from app.forms import BaseForm, optional_id


class AgencyForm(BaseForm):
    """Create or edit an agency."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=255)])
    short_name = StringField(_l("Short name"), validators=[Optional(), Length(max=120)])
    kind = SelectField(_l("Kind"), validators=[DataRequired()])
    aliases = TextAreaField(_l("Other ways it is written"), validators=[Optional()])
    email = EmailField(
        _l("Official email"),
        validators=[
            Optional(),
            Length(max=255),
            Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Not a valid email address.")),
        ],
    )
    supervisor_id = SelectField(_l("Supervising leader"), coerce=optional_id, validate_choice=False)
