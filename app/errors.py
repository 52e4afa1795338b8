"""Domain errors raised by services, mapped to HTTP responses in one place."""

from __future__ import annotations

from flask import Flask, current_app, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


class DomainError(Exception):
    """Base of errors a service raises for the caller to report."""

    status_code = 400

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    """The entity does not exist (or the actor may not know it exists)."""

    status_code = 404


class Forbidden(DomainError):
    """The actor may not do this."""

    status_code = 403


class Conflict(DomainError):
    """The entity changed under the caller (stale version) or a unique value is taken."""

    status_code = 409


class ValidationFailed(DomainError):
    """Business-rule failures, collected so the user sees every problem at once."""

    status_code = 422

    def __init__(self, reasons: dict[str, list[str]]) -> None:
        super().__init__("; ".join(m for msgs in reasons.values() for m in msgs))
        self.reasons = reasons

    @property
    def messages(self) -> list[str]:
        """Every reason, whatever field it is about, in order."""
        return [message for messages in self.reasons.values() for message in messages]


def default_message(code: int) -> str:
    """What a user is told about an HTTP status when nothing more specific is known."""
    messages = {
        400: _("The request could not be understood."),
        403: _("You do not have permission to see this page."),
        404: _("The page you asked for does not exist."),
        405: _("This action is not allowed here."),
        409: _("Someone else changed this in the meantime; reload and try again."),
    }
    if code == 413:
        return too_large_message()
    return messages.get(code, _("Something went wrong."))


def human_size(n: int) -> str:
    """A size limit as people read it: 20 MB, 500 KB."""
    # Flask's form limit is 500,000 bytes: "500 KB" is how it reads.
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n / 1000:.0f} KB"


def too_large_message() -> str:
    """What a 413 says: the limits on a document uploaded and on text sent in a form."""
    limit = human_size(current_app.config["IMPORT_MAX_BYTES"])
    form = current_app.config.get("MAX_FORM_MEMORY_SIZE")
    if not form:
        return _(
            "What was sent is too large: a document to import may be at most %(limit)s.",
            limit=limit,
        )
    return _(
        "What was sent is too large. A document to import may be at most %(limit)s, and "
        "text typed or pasted into a form at most %(form)s: send a larger text as a file.",
        limit=limit,
        form=human_size(form),
    )


def register_error_handlers(app: Flask) -> None:
    """Render domain and HTTP errors as pages (the JSON API maps its own)."""

    @app.errorhandler(DomainError)
    def _domain(error: DomainError):  # type: ignore[no-untyped-def]
        message = error.message or default_message(error.status_code)
        return render_template(
            "error.html", code=error.status_code, message=message
        ), error.status_code

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):  # type: ignore[no-untyped-def]
        message = _("Your session has expired or the form was sent twice; reload and try again.")
        return render_template("error.html", code=400, message=message), 400

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):  # type: ignore[no-untyped-def]
        if error.code is not None and error.code < 400:
            return error
        message = default_message(error.code or 500)
        response = error.get_response()
        body = render_template("error.html", code=error.code, message=message)
        response.set_data(body)
        response.content_type = "text/html; charset=utf-8"
        return response


def refuse_nul_characters() -> None:
    """A NUL character is never typed by a person, and PostgreSQL cannot store one in text.

    Refused up front, for every route, with a clear message instead of a database error.
    """
    from flask import request

    values = [*request.args.values(), *(request.form.values() if request.form else ())]
    if any("\x00" in value for value in values):
        raise DomainError(_("The text contains a NUL character, which is not allowed."))
