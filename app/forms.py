"""The base of every HTML form, and the one sequence by which a view submits one.

WTForms ships no Vietnamese catalogue, so its built-in messages are routed through
Flask-Babel; the msgids below are listed so that extraction puts them in our catalogue.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from flask import flash
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from app.errors import Conflict, ValidationFailed
from app.extensions import db

T = TypeVar("T")
#: A flashed message: its text, or (text, category); the category is "success" by default.
Message = str | tuple[str, str]

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


def attach_errors(form: FlaskForm, error: ValidationFailed) -> None:
    """Show each business-rule failure beside its field, or above the form when it has none."""
    for field, messages in error.reasons.items():
        target = getattr(form, field, None)
        if target is not None and hasattr(target, "errors"):
            target.errors = list(messages)
        else:
            form.form_errors.extend(messages)


@contextmanager
def committing() -> Iterator[None]:
    """The request's one commit, after the block; anything raised inside rolls it all back.

    The one place where what a failed write raises is turned into what the user is told."""
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def submit(
    action: Callable[[], T],
    *,
    done: Callable[[T], ResponseReturnValue],
    form: FlaskForm | None = None,
    success: Message | Callable[[T], Message | None] | None = None,
    refused: Callable[[ValidationFailed], ResponseReturnValue | None] | None = None,
    conflict: Callable[[Conflict], ResponseReturnValue] | None = None,
) -> ResponseReturnValue | None:
    """The form-submit sequence of every view: validate `form` (when given), call the service
    (`action`), commit, flash `success`, answer `done(result)`.

    A refusal (`ValidationFailed`) is rolled back and shown by `refused`, by default beside
    the form's fields; a `Conflict` is answered by `conflict` when given, else raised (the
    409 page). None means: show the form again (not sent, invalid, or refused beside it)."""
    if form is not None and not form.validate_on_submit():
        return None
    try:
        with committing():
            result = action()
            # Read before the commit expires what the message may say about the result.
            message = success(result) if callable(success) else success
    except ValidationFailed as error:
        if refused is not None:
            return refused(error)
        if form is None:
            raise
        attach_errors(form, error)
        return None
    except Conflict as error:
        if conflict is None:
            raise
        return conflict(error)
    if message:
        text, category = message if isinstance(message, tuple) else (message, "success")
        flash(text, category)
    return done(result)
