"""HTML forms of the account administration pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from app.forms import BaseForm, optional_id

EMAIL = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Not a valid email address."))


class UserEditForm(BaseForm):
    """An account's name, email, role and agency (the username never changes)."""

    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("Email"), validators=[Optional(), Length(max=255), EMAIL])
    role = SelectField(_l("Role"), validators=[DataRequired()])
    agency = SelectField(_l("Agency"), coerce=optional_id, validate_choice=False)


class UserCreateForm(UserEditForm):
    """A new account; its password is generated, never typed."""

    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(),
            Length(max=80),
            Regexp(
                r"^[A-Za-z0-9._-]+$",
                message=_l(
                    "Use only letters without accents, digits, dots, dashes and underscores."
                ),
            ),
        ],
    )
