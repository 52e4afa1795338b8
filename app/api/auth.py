"""Who is calling the API: a personal token (`Authorization: Bearer …`) or the browser session.

A token call is exempt from CSRF (no cookie is involved), is limited per token, and may write
only with a read-write token. A session call is the pages' own login, so its writes need the
CSRF token (`X-CSRFToken`), exactly as a form would. Tokens of a deactivated user, and revoked
tokens, are refused on the next call: the token's user is read on every call.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g, request
from flask_babel import gettext as _

from app.api.errors import general, is_api_request, status_message
from app.api.models import TokenScope
from app.api.ratelimit import hit
from app.api.tokens import token_for
from app.clock import now_utc
from app.extensions import csrf, db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def bearer_secret() -> str | None:
    """The secret of an `Authorization: Bearer` header; "" when the header is malformed."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _sep, secret = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return ""
    return secret.strip()


def authenticate_token() -> Any:
    """Before every request (ahead of the access check): a Bearer token names the user."""
    if not is_api_request():
        return None
    secret = bearer_secret()
    if secret is None:
        return None
    token = token_for(db.session, secret, now=now_utc()) if secret else None
    if token is None:
        db.session.rollback()
        return general(401, status_message(401), {"WWW-Authenticate": 'Bearer realm="api"'})
    db.session.commit()  # last_used_at, when it moved
    limit = int(current_app.config.get("API_RATE_LIMIT", 300))
    allowed, retry_after = hit(token.id, limit, now_utc())
    if not allowed:
        return general(429, status_message(429), {"Retry-After": str(retry_after)})
    if request.method not in SAFE_METHODS and token.scope != TokenScope.READ_WRITE:
        return general(403, _("This token is read-only; create a read-write token to write."))
    g.api_token = token
    # Flask-Login's current user for this request only: no session cookie is read or set.
    g._login_user = token.user
    return None


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
    """Per app: tokens are read before the access check; API calls pick their language."""
    app.before_request(authenticate_token)
    babel = app.extensions["babel"]
    babel.locale_selector = select_api_locale(babel.locale_selector)
