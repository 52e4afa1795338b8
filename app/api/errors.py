"""The API's one error shape, `{"errors": {field: [message]}}`, in the request's language.

marshmallow and webargs word their messages in English; each known wording is listed here
with a `_l()` msgid, so extraction puts it in the catalogue and the reply is translated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from flask import Flask, has_request_context, jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from app.errors import DomainError, ValidationFailed, default_message

API_PREFIX = "/api/"
GENERAL = "_request"  # the key of a message about the request as a whole

_FIXED = {
    "Missing data for required field.": _l("Missing data for required field."),
    "Field may not be null.": _l("Field may not be null."),
    "Unknown field.": _l("Unknown field."),
    "Invalid input type.": _l("Invalid input type."),
    "Invalid value.": _l("Invalid value."),
    "Not a valid string.": _l("Not a valid string."),
    "Not a valid utf-8 string.": _l("Not a valid utf-8 string."),
    "Not a valid integer.": _l("Not a valid integer."),
    "Not a valid number.": _l("Not a valid number."),
    "Number too large.": _l("Number too large."),
    "Not a valid date.": _l("Not a valid date."),
    "Not a valid boolean.": _l("Not a valid boolean."),
    "Not a valid list.": _l("Not a valid list."),
    "Invalid JSON body.": _l("Invalid JSON body."),
    "Invalid text.": _l("Invalid text."),
}
_PATTERNS: list[tuple[re.Pattern[str], Callable[..., str]]] = [
    (
        re.compile(r"^Must be one of: (?P<choices>.*)\.$"),
        lambda choices: _("Must be one of: %(choices)s.", choices=choices),
    ),
    (
        re.compile(
            r"^Must be greater than or equal to (?P<min>\S+) and less than or equal to (?P<max>\S+)\.$"
        ),
        lambda min, max: _("Must be between %(min)s and %(max)s.", min=min, max=max),  # noqa: A006
    ),
    (
        re.compile(r"^Must be greater than or equal to (?P<min>\S+)\.$"),
        lambda min: _("Must be at least %(min)s.", min=min),  # noqa: A006
    ),
    (
        re.compile(r"^Longer than maximum length (?P<max>\d+)\.$"),
        lambda max: _("Longer than the maximum length %(max)s.", max=max),  # noqa: A006
    ),
    (
        re.compile(r"^Shorter than minimum length (?P<min>\d+)\.$"),
        lambda min: _("Shorter than the minimum length %(min)s.", min=min),  # noqa: A006
    ),
    (
        re.compile(r"^Length must be between (?P<min>\d+) and (?P<max>\d+)\.$"),
        lambda min, max: _("Length must be between %(min)s and %(max)s.", min=min, max=max),  # noqa: A006
    ),
]


def translate(message: str) -> str:
    """A marshmallow or webargs message in the request's language (unknown ones unchanged)."""
    if message in _FIXED:
        return str(_FIXED[message])
    for pattern, render in _PATTERNS:
        match = pattern.match(message)
        if match:
            return render(**match.groupdict())
    return message


def _flatten(messages: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(field path, message) pairs of marshmallow's nested error dictionaries."""
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = str(key)
            path = f"{prefix}.{name}" if prefix else name
            yield from _flatten(value, path)
    elif isinstance(messages, list | tuple):
        for item in messages:
            yield from _flatten(item, prefix)
    else:
        yield prefix or GENERAL, translate(str(messages))


def error_body(errors: dict[str, list[str]]) -> dict[str, dict[str, list[str]]]:
    return {"errors": errors}


def error_response(
    status: int, errors: dict[str, list[str]], headers: dict[str, str] | None = None
):  # type: ignore[no-untyped-def]
    response = jsonify(error_body(errors))
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def general(status: int, message: str, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return error_response(status, {GENERAL: [message]}, headers)


_MESSAGES = {
    401: _l("Authentication is required: send a valid API token or log in."),
    412: _l("The task has changed since you read it; read it again and retry."),
    415: _l("Send the body as JSON."),
    428: _l("Send the task's ETag in an If-Match header."),
    429: _l("Too many requests for this token; wait a minute and try again."),
}


def status_message(code: int) -> str:
    if code in _MESSAGES:
        return str(_MESSAGES[code])
    return default_message(code)


def http_error(error: HTTPException):  # type: ignore[no-untyped-def]
    """Any HTTP error of an API call: validation messages by field, else one general message."""
    code = error.code or 500
    data = getattr(error, "data", None) or {}
    headers = dict(data.get("headers") or {})
    if code == 405 and isinstance(error, MethodNotAllowed) and error.valid_methods:
        headers["Allow"] = ", ".join(sorted(error.valid_methods))
    messages = data.get("messages") or data.get("errors")
    if messages:
        errors: dict[str, list[str]] = {}
        # webargs nests by location ("json", "query"): the field names are what matter.
        if isinstance(messages, dict) and set(messages) <= {
            "json",
            "query",
            "headers",
            "files",
            "form",
            "view_args",
        }:
            messages = {
                k: v
                for part in messages.values()
                for k, v in (part.items() if isinstance(part, dict) else [(GENERAL, part)])
            }
        for field, message in _flatten(messages):
            errors.setdefault(field, []).append(message)
        return error_response(code, errors, headers)
    return general(code, status_message(code), headers)


def domain_error(error: DomainError):  # type: ignore[no-untyped-def]
    if isinstance(error, ValidationFailed):
        return error_response(422, {k: list(v) for k, v in error.reasons.items()})
    return general(error.status_code, error.message or default_message(error.status_code))


def csrf_error(error: CSRFError):  # type: ignore[no-untyped-def]
    return general(400, _("The CSRF token is missing or invalid: send it as X-CSRFToken."))


def stale(error: StaleDataError):  # type: ignore[no-untyped-def]
    return general(412, status_message(412))


def is_api_request() -> bool:
    return has_request_context() and request.path.startswith(API_PREFIX)


def register_blueprint_handlers(blueprint: Any) -> None:
    """Errors raised inside API routes (and their access checks) answer in JSON."""
    blueprint.register_error_handler(HTTPException, http_error)
    blueprint.register_error_handler(DomainError, domain_error)
    blueprint.register_error_handler(CSRFError, csrf_error)
    blueprint.register_error_handler(StaleDataError, stale)


def register_app_handlers(app: Flask) -> None:
    """A URL under /api/ that matches no route (404, 405) belongs to no blueprint: the
    app-level handlers of those two codes answer JSON there and hand every other path to
    the pages' handler, so pages keep their HTML error pages."""

    def routing_error(error: HTTPException):  # type: ignore[no-untyped-def]
        if is_api_request():
            return http_error(error)
        page_handler = app.error_handler_spec[None][None].get(HTTPException)
        return page_handler(error) if page_handler else error

    app.register_error_handler(NotFound, routing_error)
    app.register_error_handler(MethodNotAllowed, routing_error)
