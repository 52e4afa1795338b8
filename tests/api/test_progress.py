"""Posting a progress report through the API: the task page's service, ETag and If-Match."""

from __future__ import annotations

from freezegun import freeze_time
from sqlalchemy import func, select

from app.api.models import TokenScope
from app.audit import AuditEntry
from app.notifications.models import Notification
from app.tasks.models import ProgressUpdate, ReviewState, Task
from tests.api.conftest import make_token
from tests.conftest import csrf_token, login

REPORT = {"status": "partial", "explanation": "Đã hoàn thành 60% khối lượng."}


def _updates(db, task_id: int) -> int:
    return db.scalar(select(func.count(ProgressUpdate.id)).where(ProgressUpdate.task_id == task_id))


def _post(api, caller, task_id, etag, body=None, **headers):
    if etag is not None:
        headers["If-Match"] = etag
    return api(
        "POST", f"/api/v1/tasks/{task_id}/progress", caller, json=body or REPORT, headers=headers
    )


@freeze_time("2024-07-15 03:00:00")
def test_lead_agency_posts_a_report_seen_on_the_task_page(db, api, client, callers, own_task):
    etag = api("GET", f"/api/v1/tasks/{own_task.id}", callers["own"]).headers["ETag"]
    response = _post(api, callers["own"], own_task.id, etag)
    assert response.status_code == 201, response.json
    body = response.json
    assert body["review_state"] == "submitted"
    assert body["status"] == "partial"
    assert body["reported_on"] == "2024-07-15"
    assert body["agency"]["id"] == own_task.lead_agency_id
    assert response.headers["ETag"] == f'"{int(etag.strip(chr(34))) + 1}"'
    update = db.get(ProgressUpdate, body["id"])
    assert update.author_id == callers["own"].user.id
    assert update.review_state == ReviewState.SUBMITTED
    # the office is told, as when the report is sent from the page
    assert db.scalar(
        select(func.count(Notification.id)).where(
            Notification.task_id == own_task.id, Notification.kind == "report_submitted"
        )
    )
    # journaled with the token's user as the actor
    entry = db.scalar(
        select(AuditEntry).where(
            AuditEntry.entity_type == "ProgressUpdate", AuditEntry.entity_id == update.id
        )
    )
    assert entry.actor_id == callers["own"].user.id
    login(client, callers["office"].user.username)
    assert REPORT["explanation"] in client.get(f"/tasks/{own_task.id}").get_data(as_text=True)


def test_stale_etag_is_412_and_missing_is_428_and_nothing_is_written(db, api, callers, own_task):
    before = _updates(db, own_task.id)
    stale = _post(api, callers["own"], own_task.id, f'"{own_task.version + 5}"')
    assert stale.status_code == 412
    assert stale.json == {
        "errors": {"_request": ["Nhiệm vụ đã thay đổi kể từ khi bạn đọc; hãy đọc lại rồi thử lại."]}
    }
    assert _post(api, callers["own"], own_task.id, None).status_code == 428
    assert _post(api, callers["own"], own_task.id, "garbage").status_code == 412
    assert _updates(db, own_task.id) == before
    db.expire_all()
    assert db.get(Task, own_task.id).version == own_task.version


def test_second_post_with_the_same_etag_is_412(db, api, callers, own_task):
    etag = f'"{own_task.version}"'
    assert _post(api, callers["own"], own_task.id, etag).status_code == 201
    assert _post(api, callers["own"], own_task.id, etag).status_code == 412


def test_business_rules_come_back_as_422_by_field(db, api, callers, own_task):
    etag = f'"{own_task.version}"'
    done = _post(
        api, callers["own"], own_task.id, etag, {"status": "completed", "explanation": "Xong"}
    )
    assert done.status_code == 422
    assert set(done.json["errors"]) == {"completed_on"}
    shape = _post(
        api, callers["own"], own_task.id, etag, {"status": "late", "explanation": "", "x": 1}
    )
    assert shape.status_code == 422
    assert set(shape.json["errors"]) == {"status", "explanation", "x"}
    not_json = api(
        "POST",
        f"/api/v1/tasks/{own_task.id}/progress",
        callers["own"],
        data="status=partial",
        headers={"If-Match": etag, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert not_json.status_code == 400
    db.expire_all()
    assert db.get(Task, own_task.id).version == own_task.version


def test_other_agency_office_and_coordinators_cannot_post(db, api, callers, own_task):
    before = _updates(db, own_task.id)
    row = {c: getattr(own_task, c) for c in ("version", "status", "completed_on", "updated_at")}
    etag = f'"{own_task.version}"'
    assert _post(api, callers["other"], own_task.id, etag).status_code == 404
    assert _post(api, callers["office"], own_task.id, etag).status_code == 403
    assert _post(api, callers["leader"], own_task.id, etag).status_code == 403
    assert _updates(db, own_task.id) == before
    db.expire_all()
    task = db.get(Task, own_task.id)
    assert {c: getattr(task, c) for c in row} == row


def test_session_calls_need_the_csrf_token_to_write(db, client, callers, own_task):
    login(client, callers["own"].user.username)
    assert client.get("/api/v1/tasks").status_code == 200  # reads need no token
    headers = {"If-Match": f'"{own_task.version}"'}
    refused = client.post(f"/api/v1/tasks/{own_task.id}/progress", json=REPORT, headers=headers)
    assert refused.status_code == 400
    assert "CSRF" in refused.json["errors"]["_request"][0]
    token = csrf_token(client, "/account/tokens/")
    accepted = client.post(
        f"/api/v1/tasks/{own_task.id}/progress",
        json=REPORT,
        headers=headers | {"X-CSRFToken": token},
    )
    assert accepted.status_code == 201


def test_token_calls_need_no_csrf_token(db, api, callers, own_task):
    secret = make_token(db, callers["own"].user, TokenScope.READ_WRITE, "ci")
    response = api(
        "POST",
        f"/api/v1/tasks/{own_task.id}/progress",
        json=REPORT,
        headers={"Authorization": f"Bearer {secret}", "If-Match": f'"{own_task.version}"'},
    )
    assert response.status_code == 201
