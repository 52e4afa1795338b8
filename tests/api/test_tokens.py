"""Personal API tokens: made in the UI and shown once, stored hashed, scoped, revocable."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from freezegun import freeze_time
from sqlalchemy import func, select

from app.api.models import ApiToken, TokenScope
from app.api.tokens import hash_secret
from app.audit import AuditEntry
from app.auth.services import set_active
from app.tasks.models import ProgressUpdate, Task
from tests.api.conftest import make_token
from tests.conftest import csrf_token, login

NEW_TOKEN = re.compile(r'data-testid="new-token">([^<]+)<')


def test_token_page_creates_a_token_shown_once_and_stored_hashed(client, db, callers):
    login(client, callers["own"].user.username)
    page = client.get("/account/tokens/")
    assert page.status_code == 200
    assert "Mã truy cập API" in page.get_data(as_text=True)
    token = csrf_token(client, "/account/tokens/")
    created = client.post(
        "/account/tokens/",
        data={"csrf_token": token, "name": "Phần mềm của Sở", "scope": "read_write"},
    )
    assert created.status_code == 200
    secret = NEW_TOKEN.search(created.get_data(as_text=True)).group(1)
    stored = db.scalar(select(ApiToken).where(ApiToken.name == "Phần mềm của Sở"))
    assert stored.token_hash == hash_secret(secret)
    assert secret not in stored.token_hash
    assert stored.scope == TokenScope.READ_WRITE
    again = client.get("/account/tokens/").get_data(as_text=True)
    assert secret not in again
    assert stored.prefix in again
    assert (
        client.get("/api/v1/tasks", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 200
    )
    journal = db.scalar(
        select(AuditEntry).where(
            AuditEntry.entity_type == "ApiToken", AuditEntry.entity_id == stored.id
        )
    )
    assert journal.actor_id == callers["own"].user.id
    assert journal.changes["token_hash"] == [None, "•••"]


def test_token_page_refuses_a_missing_name_and_a_form_without_csrf(client, db, callers):
    login(client, callers["own"].user.username)
    before = db.scalar(select(ApiToken.id).order_by(ApiToken.id.desc()))
    token = csrf_token(client, "/account/tokens/")
    assert (
        client.post(
            "/account/tokens/", data={"csrf_token": token, "name": " ", "scope": "read"}
        ).status_code
        == 400
    )
    assert client.post("/account/tokens/", data={"name": "x", "scope": "read"}).status_code == 400
    assert db.scalar(select(ApiToken.id).order_by(ApiToken.id.desc())) == before


def test_revoked_token_stops_working_and_only_its_owner_revokes_it(client, db, callers, api):
    own = callers["own"]
    stored = db.scalar(select(ApiToken).where(ApiToken.token_hash == hash_secret(own.secret)))
    login(client, callers["other"].user.username)
    token = csrf_token(client, "/account/tokens/")
    assert (
        client.post(f"/account/tokens/{stored.id}/revoke", data={"csrf_token": token}).status_code
        == 404
    )
    assert api("GET", "/api/v1/tasks", own).status_code == 200
    client.post("/auth/logout", data={"csrf_token": token})
    login(client, own.user.username)
    token = csrf_token(client, "/account/tokens/")
    assert (
        client.post(f"/account/tokens/{stored.id}/revoke", data={"csrf_token": token}).status_code
        == 302
    )
    response = api("GET", "/api/v1/tasks", own)
    assert response.status_code == 401
    assert response.json == {
        "errors": {"_request": ["Cần xác thực: hãy gửi mã truy cập API hợp lệ hoặc đăng nhập."]}
    }


def test_tokens_of_a_deactivated_user_stop_working_at_once(db, callers, api):
    own = callers["own"]
    assert api("GET", "/api/v1/tasks", own).status_code == 200
    set_active(db.merge(own.user), False)
    db.commit()
    assert api("GET", "/api/v1/tasks", own).status_code == 401


def test_malformed_and_unknown_tokens_are_401(api):
    for header in ("Bearer nv_unknown", "Bearer ", "Basic abc", "Bearer " + "x" * 500):
        response = api("GET", "/api/v1/tasks", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_read_token_cannot_write(db, callers, api, own_task):
    reader = make_token(db, callers["own"].user, TokenScope.READ)
    response = api(
        "POST",
        f"/api/v1/tasks/{own_task.id}/progress",
        headers={"Authorization": f"Bearer {reader}", "If-Match": f'"{own_task.version}"'},
        json={"status": "partial", "explanation": "Đang làm"},
    )
    assert response.status_code == 403
    assert "chỉ được đọc" in response.json["errors"]["_request"][0]


def test_token_calls_set_no_cookie(callers, api):
    response = api("GET", "/api/v1/agencies", callers["office"])
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_rate_limit_per_token_answers_429_in_the_error_shape(app, callers, api, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", 3)
    codes = [api("GET", "/api/v1/agencies", callers["office"]).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = api("GET", "/api/v1/agencies", callers["office"], headers={"Accept-Language": "en"})
    assert limited.json == {
        "errors": {"_request": ["Too many requests for this token; wait a minute and try again."]}
    }
    assert int(limited.headers["Retry-After"]) <= 60
    # another token has its own window
    assert api("GET", "/api/v1/agencies", callers["leader"]).status_code == 200


def test_every_page_links_the_token_page(client, db, callers):
    login(client, callers["own"].user.username)
    page = client.get("/tasks/mine").get_data(as_text=True)
    link = re.search(r'<a [^>]*data-testid="nav-tokens"[^>]*>', page)
    assert link is not None
    assert 'href="/account/tokens/"' in link.group(0)


def _last_use(db, caller) -> datetime | None:
    db.expire_all()
    stored = db.scalar(select(ApiToken).where(ApiToken.token_hash == hash_secret(caller.secret)))
    used = stored.last_used_at
    return used.replace(tzinfo=UTC) if used is not None and used.tzinfo is None else used


def test_a_tokens_use_is_recorded_once_a_minute_whatever_the_answer(db, callers, api):
    own = callers["own"]
    start = datetime(2024, 7, 15, 3, 0, tzinfo=UTC)
    with freeze_time(start):
        assert api("GET", "/api/v1/agencies", own).status_code == 200  # a read commits nothing
    assert _last_use(db, own) == start
    with freeze_time(start + timedelta(seconds=30)):
        assert api("GET", "/api/v1/agencies", own).status_code == 200
    assert _last_use(db, own) == start  # within the minute: not written again
    with freeze_time(start + timedelta(minutes=2)):
        assert api("GET", "/api/v1/tasks/2147483647", own).status_code == 404
    assert _last_use(db, own) == start + timedelta(minutes=2)


def test_a_refused_write_commits_its_token_use_and_nothing_else(db, callers, api, own_task):
    own = callers["own"]
    version = own_task.version
    updates = db.scalar(select(func.count(ProgressUpdate.id)))
    moment = datetime(2024, 7, 15, 3, 0, tzinfo=UTC)
    with freeze_time(moment):
        # The version is bumped (flushed) before the report is checked, then refused.
        response = api(
            "POST",
            f"/api/v1/tasks/{own_task.id}/progress",
            own,
            headers={"If-Match": f'"{version}"'},
            json={"status": "completed", "explanation": "Xong"},  # without completed_on
        )
    assert response.status_code == 422, response.json
    assert _last_use(db, own) == moment
    assert db.get(Task, own_task.id).version == version
    assert db.scalar(select(func.count(ProgressUpdate.id))) == updates


def test_the_token_not_the_session_names_the_caller(client, db, callers, api, own_task):
    # A browser logged in as another agency's user sends the lead agency's token along.
    login(client, callers["other"].user.username)
    path = f"/api/v1/tasks/{own_task.id}"
    assert client.get(path).status_code == 404  # the session alone: not this agency's task
    response = api("GET", path, callers["own"])
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    # ... and the session it did not read is untouched: the pages still know the user.
    page = client.get("/tasks/mine")
    assert page.status_code == 200
    assert client.get(path).status_code == 404
