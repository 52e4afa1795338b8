"""The home page and small pages that belong to no domain."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for

from app.auth.permissions import roles

bp = Blueprint("main", __name__)


@bp.route("/")
@roles()
def index():  # type: ignore[no-untyped-def]
    return redirect(url_for("tasks.index"))
