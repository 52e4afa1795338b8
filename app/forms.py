"""The base of every HTML form: WTForms' own messages come from our catalogue.

WTForms ships no Vietnamese catalogue, so its built-in messages are routed through
Flask-Babel; the msgids below are listed so that extraction puts them in our catalogue.
"""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from app.errors import ValidationFailed

WTFORMS_MESSAGES = (
    _l("This field is required."),
    _l("Not a valid date value."),
    _l("Not a valid integer value."),
    _l("Not a valid choice."),
    _l("Invalid Choice: could not coerce."),
    _l("'%(value)s' is not a valid choice for this field."),
    _l("Field must be at least %(min)d character long."),
    _l("Field must be at least %(min)d characters long."),
    _l("Field cannot be longer than %(max)d character."),
    _l("Field cannot be longer than %(max)d characters."),
    _l("Field must be between %(min)d and %(max)d characters long."),
)


#: Row ids are SQL INTEGERs; a larger number posted by hand must be a form error, not a crash.
MAX_ID = 2_147_483_647


def record_id(value: object) -> int:
    """Coerce a posted row id; ValueError (a field error in WTForms) if it cannot be one."""
    number = int(value)  # type: ignore[call-overload]
    if not 1 <= number <= MAX_ID:
        raise ValueError(value)
    return number


def parse_id(raw: str | None) -> int | None:
    """A row id read from a query string: ASCII digits in range, else None ("²".isdigit())."""
    raw = (raw or "").strip()
    if raw.isascii() and raw.isdigit() and 0 < int(raw) <= MAX_ID:
        return int(raw)
    return None


def optional_id(value: object) -> int | None:
    """`record_id`, or None for an empty choice."""
    return None if value in (None, "", "None") else record_id(value)


class _Translations:
    """The interface WTForms expects, answered by Flask-Babel."""

    def gettext(self, string: str) -> str:
        return gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        # Both forms are plain catalogue entries: Vietnamese has a single plural form.
        return gettext(singular if n == 1 else plural)


class BaseForm(FlaskForm):
    """FlaskForm whose validation messages follow the user's language."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form: object) -> _Translations:
            return _Translations()


def attach_errors(form: BaseForm, error: ValidationFailed) -> None:
    """Show each business-rule failure beside its field, or above the form when it has none."""
    for field, messages in error.reasons.items():
        target = getattr(form, field, None)
        if target is not None and hasattr(target, "errors"):
            target.errors = list(messages)
        else:
            form.form_errors.extend(messages)
