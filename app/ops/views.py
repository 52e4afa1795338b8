"""/healthz: for the load balancer and monitoring; public, no session, no data."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from flask import Blueprint, Flask, current_app, jsonify

from app.auth.permissions import public
from app.clock import now_utc
from app.extensions import db
from app.ops.health import check_health

bp = Blueprint("ops", __name__)


def migration_heads(app: Flask) -> tuple[str, ...]:
    """The migrations' head revisions, read from the scripts once per process."""
    heads = app.extensions.get("nhiemvu_migration_heads")
    if heads is None:
        config = app.extensions["migrate"].migrate.get_config()
        heads = tuple(ScriptDirectory.from_config(config).get_heads())
        app.extensions["nhiemvu_migration_heads"] = heads
    return heads


@bp.route("/healthz")
@public
def healthz():  # type: ignore[no-untyped-def]
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    health = check_health(
        db.session,
        now=now_utc(),
        heads=migration_heads(app),
        heartbeat_seconds=app.config["SCHEDULER_HEARTBEAT"],
    )
    db.session.rollback()
    response = jsonify(health.as_json())
    response.status_code = health.http_status
    response.headers["Cache-Control"] = "no-store"
    return response
