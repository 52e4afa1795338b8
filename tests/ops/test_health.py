"""/healthz: what a load balancer and monitoring read. Public, no session, no data; 503 only
when this instance cannot serve (database, schema), 200 "degraded" when the jobs or the mail
lag behind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alembic.script import ScriptDirectory
from freezegun import freeze_time
from sqlalchemy import text

from app.notifications.models import MailOutbox, MailState
from app.ops.heartbeat import record_heartbeat
from tests.conftest import make_app

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 08:00 in the province


def _heads(app) -> list[str]:
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
        return sorted(ScriptDirectory.from_config(config).get_heads())


def _beat(db, seconds_ago: float) -> None:
    moment = NOW - timedelta(seconds=seconds_ago)
    record_heartbeat(db, host="sched-1", pid=4242, started_at=moment, now=moment)
    db.commit()


def _health(client):
    with freeze_time(NOW):
        response = client.get("/healthz")
    return response, response.get_json()


def test_a_healthy_instance(app, client, db):
    _beat(db, 20)
    response, body = _health(client)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers  # no session for the load balancer
    assert body["status"] == "ok"
    checks = body["checks"]
    assert set(checks) == {"database", "migrations", "scheduler", "outbox"}
    assert checks["database"]["ok"] is True
    assert checks["migrations"] == {"ok": True, "current": _heads(app), "head": _heads(app)}
    assert checks["scheduler"] == {"ok": True, "heartbeat_age_s": 20.0, "max_age_s": 90}
    assert checks["outbox"] == {"ok": True, "backlog": 0, "failed": 0, "oldest_age_s": None}
    # Counts and ages only: no host, process or any of the data.
    assert "sched-1" not in response.get_data(as_text=True)
    assert "4242" not in response.get_data(as_text=True)


def test_a_scheduler_never_seen_or_silent_is_degraded_not_down(client, db):
    response, body = _health(client)
    assert (response.status_code, body["status"]) == (200, "degraded")
    assert body["checks"]["scheduler"] == {"ok": False, "heartbeat_age_s": None, "max_age_s": 90}
    _beat(db, 91)  # three heartbeats of 30 s missed
    response, body = _health(client)
    assert (response.status_code, body["status"]) == (200, "degraded")
    assert body["checks"]["scheduler"]["heartbeat_age_s"] == 91.0


def test_mail_piling_up_is_reported(client, db):
    _beat(db, 5)
    db.add(
        MailOutbox(
            kind="agency", recipients="vanthu@example.vn", subject="Nhắc việc", body_text="t",
            body_html="t", state=MailState.PENDING, created_at=NOW - timedelta(minutes=30),
        )
    )  # fmt: skip
    db.commit()
    _response, body = _health(client)
    assert body["status"] == "ok"  # queued half an hour ago: the run is still sending
    assert body["checks"]["outbox"] == {
        "ok": True,
        "backlog": 1,
        "failed": 0,
        "oldest_age_s": 1800.0,
    }
    db.add(
        MailOutbox(
            kind="leader", recipients="pct@example.vn", subject="Nhắc việc", body_text="t",
            body_html="t", state=MailState.FAILED, attempts=1, last_error="refused",
            created_at=NOW - timedelta(minutes=5),
        )
    )  # fmt: skip
    db.commit()
    response, body = _health(client)
    assert (response.status_code, body["status"]) == (200, "degraded")
    assert body["checks"]["outbox"]["failed"] == 1
    assert body["checks"]["outbox"]["backlog"] == 2


def test_a_schema_behind_the_code_takes_the_instance_out(app, client, db):
    _beat(db, 5)
    db.execute(text("UPDATE alembic_version SET version_num = '70d6ec94ee1e'"))
    db.commit()
    response, body = _health(client)
    assert (response.status_code, body["status"]) == (503, "fail")
    assert body["checks"]["migrations"] == {
        "ok": False,
        "current": ["70d6ec94ee1e"],
        "head": _heads(app),
    }


def test_an_unreachable_database_answers_503(tmp_path):
    # Nothing listens on port 1: the connection is refused at once.
    app = make_app("postgresql+psycopg://nhiemvu@127.0.0.1:1/nhiemvu")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "fail"
    assert body["checks"]["database"] == {"ok": False, "error": "OperationalError"}
