"""Locale choice: the user's pick (kept in the session), else the configured default."""

from __future__ import annotations

from flask import current_app, has_request_context, session


def select_locale() -> str:
    if has_request_context():
        chosen = session.get("lang")
        if chosen in current_app.config["LANGUAGES"]:
            return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]
