"""Who is calling the API: a personal token (`Authorization: Bearer …`) or the browser session.

A token call is exempt from CSRF (no cookie is involved), is limited per token, and may write
only with a read-write token. A session call is the pages' own login, so its writes need the
CSRF token (`X-CSRFToken`), exactly as a form would. Tokens of a deactivated user, and revoked
tokens, are refused on the next call: the token's user is read on every call.

The token names the user through Flask-Login's request loader (`user_from_token`). Flask-Login
asks it only when the session names nobody, and a token call has no session
(`TokenCallSessions`): the token always wins over a cookie sent along. The token's last use is
recorded after the response is made (`record_token_use`), not by a commit before the view.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Request, Response, current_app, g, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_login import current_user

from app.api.errors import API_PREFIX, general, is_api_request, status_message
from app.api.models import TokenScope
from app.api.ratelimit import hit
from app.api.tokens import record_use, token_for, use_due
from app.auth.models import User
from app.clock import now_utc
from app.extensions import csrf, db, login_manager

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def is_token_call(req: Request) -> bool:
    """An API call with an `Authorization` header: its token, never a session, names the user."""
    return req.path.startswith(API_PREFIX) and "Authorization" in req.headers


def bearer_secret() -> str | None:
    """The secret of an `Authorization: Bearer` header; "" when the header is malformed."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _sep, secret = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return ""
    return secret.strip()


class TokenCallSessions(SecureCookieSessionInterface):
    """Flask's cookie sessions, except that a token call has none: a session cookie sent along
    is not read, and no cookie is set. Flask-Login therefore finds nobody in the session and
    asks the request loader, and the call's user is its token's."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if is_token_call(request):
            return self.session_class()  # empty, and never saved
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: Any, response: Response) -> None:
        if is_token_call(request):
            return
        super().save_session(app, session, response)


@login_manager.request_loader
def user_from_token(req: Request) -> User | None:
    """Flask-Login's request loader: the user of a live Bearer token, else nobody.

    Notes the token (`g.api_token`) and, at most once a minute, the use to record."""
    if not is_token_call(req):
        return None
    secret = bearer_secret()
    token = token_for(db.session, secret) if secret else None
    if token is None:
        return None
    g.api_token = token
    now = now_utc()
    if use_due(token, now):
        g.api_token_use = (token.id, now)
    return token.user


def check_token() -> Any:
    """Before every request (ahead of the access check): a token call goes on only with a live
    token (401), within the token's rate (429), and with a read-write token to write (403)."""
    if not is_api_request() or bearer_secret() is None:
        return None
    # Asking Flask-Login for the user runs `user_from_token` (the session names nobody).
    if not current_user.is_authenticated or g.get("api_token") is None:
        return general(401, status_message(401), {"WWW-Authenticate": 'Bearer realm="api"'})
    token = g.api_token
    limit = int(current_app.config.get("API_RATE_LIMIT", 300))
    allowed, retry_after = hit(token.id, limit, now_utc())
    if not allowed:
        return general(429, status_message(429), {"Retry-After": str(retry_after)})
    if request.method not in SAFE_METHODS and token.scope != TokenScope.READ_WRITE:
        return general(403, _("This token is read-only; create a read-write token to write."))
    return None


def record_token_use(response: Response) -> Response:
    """After a token call, whatever its answer: record the token's use, in a transaction of its
    own. The request is over, so what it left uncommitted is discarded first, as the end of the
    request would discard it; nothing but the use is committed here."""
    use = g.pop("api_token_use", None)
    if use is not None:
        db.session.rollback()
        record_use(db.session, *use)
        db.session.commit()
    return response


def check_session_csrf() -> None:
    """Writes through the browser session need the CSRF token, as a form does."""
    if getattr(g, "api_token", None) is None and request.method not in SAFE_METHODS:
        csrf.protect()


def select_api_locale(original: Any) -> Any:
    """API calls speak the language of `Accept-Language` (Vietnamese unless English is asked);
    pages keep the user's choice."""

    def select() -> str | None:
        if is_api_request():
            languages = current_app.config["LANGUAGES"]
            return request.accept_languages.best_match(languages, default=languages[0])
        return original() if original else None

    return select


def init_blueprint_auth(blueprint: Any) -> None:
    """Once per process: the blueprint does its own CSRF check (session calls only)."""
    blueprint.before_request(check_session_csrf)
    csrf.exempt(blueprint)


def init_app_auth(app: Flask) -> None:
    """Per app: token calls have no session, are checked before the access check and have
    their use recorded after the response; API calls pick their language."""
    app.session_interface = TokenCallSessions()
    app.before_request(check_token)
    app.after_request(record_token_use)
    babel = app.extensions["babel"]
    babel.locale_selector = select_api_locale(babel.locale_selector)
