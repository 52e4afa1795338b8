"""The base of every HTML form, the one sequence by which a view submits one, and the fields
that read query strings (webargs).

WTForms ships no Vietnamese catalogue, so its built-in messages are routed through
Flask-Babel; the msgids below are listed so that extraction puts them in our catalogue.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, NoReturn, TypeVar

from flask import flash
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from marshmallow import Schema, ValidationError, fields, missing
from webargs.flaskparser import FlaskParser

from app.errors import Conflict, ValidationFailed
from app.extensions import db
from app.pagination import MAX_PAGE

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


# Query strings -------------------------------------------------------------------------------
#
# Read with webargs, leniently as a person's typing deserves: a blank value is as good as an
# absent one (the field's default); a value that cannot be used takes the default too and is
# named, for the pages that say so (the dashboard); never an error page.


class QueryValue(fields.Field):
    """One query-string value; subclasses read a non-blank one or raise ValidationError."""

    def deserialize(self, value: Any, attr: str | None = None, data: Any = None, **kwargs: Any):  # type: ignore[no-untyped-def, override]
        if value is missing or (isinstance(value, str) and not value.strip()):
            return self.load_default
        output = self._deserialize(value, attr, data, **kwargs)
        self._validate(output)
        return output


class Text(QueryValue):
    """Text, stripped unless `strip=False`, cut at `max_length`."""

    def __init__(self, *, max_length: int | None = None, strip: bool = True, **kwargs: Any):
        super().__init__(load_default="", **kwargs)
        self.max_length, self.strip = max_length, strip

    def deserialize(self, value: Any, attr: str | None = None, data: Any = None, **kwargs: Any):  # type: ignore[no-untyped-def, override]
        if value is missing:
            return self.load_default
        text = str(value).strip() if self.strip else str(value)
        return text[: self.max_length] if self.max_length else text


class Flag(QueryValue):
    """On when the value is "1" (what the pages' check boxes send)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(load_default=False, **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> bool:
        return value == "1"


class Id(QueryValue):
    """A row id (`parse_id`), or None; with `choices`, only one of them."""

    def __init__(self, *, choices: tuple[int, ...] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("load_default", None)
        super().__init__(**kwargs)
        self.choices = choices

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> int:
        number = parse_id(value)
        if number is None or (self.choices is not None and number not in self.choices):
            raise ValidationError("Not a usable id.")
        return number


class Ids(QueryValue):
    """Row ids, repeated (?directive=1&directive=2) or comma-separated; when some cannot be
    used, the others are kept."""

    is_multiple = True  # webargs: every value of the name

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(load_default=(), **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> tuple[int, ...]:
        parts = [part.strip() for raw in value for part in str(raw).split(",")]
        numbers = [parse_id(part) for part in parts if part]
        kept = tuple(dict.fromkeys(n for n in numbers if n is not None))
        if None in numbers:
            raise ValidationError("Not usable ids.", valid_data=kept)
        return kept


class PageNumber(QueryValue):
    """`?page=`: a number from 1 to MAX_PAGE; anything else is page 1."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(load_default=1, **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> int:
        return min(parse_id(value) or 1, MAX_PAGE)


class Day(QueryValue):
    """An ISO date (2024-07-31), or None."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(load_default=None, **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> date:
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError as error:
            raise ValidationError("Not a date.") from error


class Choice(QueryValue):
    """One of `values` as sent (an enum's member when `values` is an enum), or `default`."""

    def __init__(self, values: Iterable[str] | type[enum.Enum], default: Any = None) -> None:
        super().__init__(load_default=default)
        self.enum = values if isinstance(values, type) and issubclass(values, enum.Enum) else None
        self.values = {str(v.value): v for v in self.enum} if self.enum else {v: v for v in values}  # type: ignore[union-attr]

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if value not in self.values:
            raise ValidationError("Not one of the choices.")
        return self.values[value]


def query_args(**arguments: fields.Field) -> Schema:
    """The schema of a page's query string (built once, at import)."""
    return Schema.from_dict(arguments)()


class _Unusable(Exception):
    def __init__(self, error: ValidationError) -> None:
        super().__init__(error.messages)
        self.error = error


class _LenientParser(FlaskParser):
    def handle_error(self, error: ValidationError, *args: Any, **kwargs: Any) -> NoReturn:
        raise _Unusable(error)


_parser = _LenientParser()


class QueryArgs(dict[str, Any]):
    """The values of a query string by name; `unusable`: the names whose values could not be
    used (they hold their defaults)."""

    def __init__(self, values: dict[str, Any], unusable: set[str]) -> None:
        super().__init__(values)
        self.unusable = unusable


def read_query(schema: Schema) -> QueryArgs:
    """The request's query string read by `schema` (names it does not know are ignored)."""
    try:
        return QueryArgs(_parser.parse(schema, location="query"), set())
    except _Unusable as unusable:
        error = unusable.error
        values = {name: field.load_default for name, field in schema.fields.items()}
        values.update(error.valid_data or {})
        # webargs files the messages under the location ("query").
        return QueryArgs(values, set(error.messages_dict.get("query", {})))
