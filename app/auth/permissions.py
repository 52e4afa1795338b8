"""Deny by default: a view is reachable only if it declares who may reach it.

Every view function carries an access declaration, `@public` or `@roles(...)`; the
before-request hook refuses any endpoint without one, so a forgotten decorator is a 403,
never an open page. Row-level confinement (a department sees its own agency's tasks) is the
services' job.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, current_app, request
from flask_login import current_user

from app.audit import set_actor
from app.auth.models import Role
from app.extensions import db, login_manager

F = TypeVar("F", bound=Callable[..., Any])
PUBLIC = "public"
EVERYONE = frozenset(Role)


def public(view: F) -> F:
    """Reachable without logging in (login page, static pages)."""
    view._access = PUBLIC  # type: ignore[attr-defined]
    return view


def roles(*allowed: Role) -> Callable[[F], F]:
    """Reachable by logged-in users having one of `allowed` (all roles when none given)."""
    granted = frozenset(allowed) or EVERYONE

    def mark(view: F) -> F:
        view._access = granted  # type: ignore[attr-defined]
        return view

    return mark


def access_of(endpoint: str) -> Any:
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "_access", None)


def enforce_access() -> Any:
    """Before every request: check the endpoint's declaration against the current user."""
    endpoint = request.endpoint
    if endpoint is None or endpoint == "static":
        return None
    access = access_of(endpoint)
    if access is None:
        abort(403)
    if access == PUBLIC:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.role not in access:
        abort(403)
    set_actor(db.session, current_user._get_current_object())
    return None
