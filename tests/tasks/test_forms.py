"""Office staff create and edit tasks; the deadline is re-read; bad input loses nothing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.agencies.services import resolve_agency
from app.auth.models import Role
from app.directives.models import Directive
from app.tasks.models import Status, Task
from tests.conftest import csrf_token, login

FROZEN = "2024-07-15 09:00:00"


# The office user logs in on a frozen day (sessions are signed with the frozen clock).
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def moment() -> str:
    return FROZEN


def _notice(db):
    return db.scalar(select(Directive).where(Directive.summary.startswith("Ý kiến kết luận")))


def test_create_task_reads_its_deadline(office, db):
    directive = _notice(db)
    agency = resolve_agency(db, "Sở Tài chính")
    token = csrf_token(office, f"/tasks/new?directive={directive.id}")
    response = office.post(
        f"/tasks/new?directive={directive.id}",
        data={
            "csrf_token": token,
            "title": "Báo cáo kết quả thực hiện",
            "lead_agency_id": str(agency.id),
            "deadline_text": "Quý III năm 2024",
            "status": "in_progress",
            "assigned_on": "2024-01-18",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    task = db.scalar(select(Task).where(Task.title == "Báo cáo kết quả thực hiện"))
    assert task.deadline_due.isoformat() == "2024-09-30"
    assert task.deadline_kind == "date"
    assert task.lead_agency_id == agency.id


def test_unparseable_deadline_is_allowed_and_flagged_unspecified(office, db):
    task = db.scalars(select(Task).where(Task.outline == "9")).first()
    token = csrf_token(office, f"/tasks/{task.id}/edit")
    page = office.get(f"/tasks/{task.id}/edit").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    response = office.post(
        f"/tasks/{task.id}/edit",
        data={
            "csrf_token": token,
            "version": version,
            "title": task.title,
            "deadline_text": "Khi Bộ có hướng dẫn",
            "status": "partial",
            "lead_agency_id": str(task.lead_agency_id),
        },
    )
    assert response.status_code == 302
    db.refresh(task)
    assert task.deadline_text == "Khi Bộ có hướng dẫn"
    assert task.deadline_kind == "unspecified"
    assert task.deadline_due is None


def test_invalid_input_keeps_what_was_typed_and_says_why(office, db):
    task = db.scalars(select(Task).where(Task.outline == "9")).first()
    token = csrf_token(office, f"/tasks/{task.id}/edit")
    response = office.post(
        f"/tasks/{task.id}/edit",
        data={
            "csrf_token": token,
            "version": str(task.version),
            "title": "   ",
            "deadline_text": "Tháng 9/2024 (đã sửa)",
            "status": "completed",
            "completed_on": "2030-01-01",
        },
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Tháng 9/2024 (đã sửa)" in body  # the input is kept
    assert "Trường này là bắt buộc." in body
    db.refresh(task)
    assert task.deadline_text == "Tháng 6/2023"


def test_stale_form_is_refused_with_conflict(office, db):
    task = db.scalars(select(Task).where(Task.outline == "9")).first()
    token = csrf_token(office, f"/tasks/{task.id}/edit")
    stale = task.version
    task.product = "changed meanwhile"
    db.commit()
    response = office.post(
        f"/tasks/{task.id}/edit",
        data={
            "csrf_token": token,
            "version": str(stale),
            "title": "new title",
            "status": "partial",
        },
    )
    assert response.status_code == 409
    db.refresh(task)
    assert task.title != "new title"


def test_deadline_preview_fragment(office):
    response = office.get(
        "/tasks/deadline-preview",
        query_string={"deadline_text": "trong tháng 02 năm 2024", "assigned_on": "2024-01-18"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "29/02/2024" in body
    vague = office.get("/tasks/deadline-preview", query_string={"deadline_text": "Theo tiến độ"})
    assert "Không xác định được ngày" in vague.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.DEPARTMENT, Role.LEADER])
def test_only_office_and_admin_may_edit(client, db, make_user, role):
    agency = resolve_agency(db, "Sở TT&TT") if role == Role.DEPARTMENT else None
    make_user(role, "someone", agency)
    login(client, "someone")
    task = db.scalars(
        select(Task).where(Task.lead_agency_id == (agency.id if agency else Task.lead_agency_id))
    ).first()
    assert client.get(f"/tasks/{task.id}/edit").status_code == 403
    token = csrf_token(client, "/tasks/")
    response = client.post(f"/tasks/{task.id}/edit", data={"csrf_token": token, "title": "x"})
    assert response.status_code == 403
    db.refresh(task)
    assert task.title != "x"
    assert client.get("/tasks/deadline-preview?deadline_text=2024").status_code == 403


def test_completed_status_gets_a_completion_date(office, db):
    task = db.scalars(select(Task).where(Task.status == Status.PARTIAL)).first()
    token = csrf_token(office, f"/tasks/{task.id}/edit")
    office.post(
        f"/tasks/{task.id}/edit",
        data={
            "csrf_token": token,
            "version": str(task.version),
            "title": task.title,
            "status": "completed",
            "deadline_text": task.deadline_text or "",
        },
    )
    db.refresh(task)
    assert task.status == Status.COMPLETED
    assert task.completed_on.isoformat() == "2024-07-15"


def test_future_completion_date_is_refused_in_vietnamese(office, db):
    task = db.scalars(select(Task).where(Task.outline == "9")).first()
    token = csrf_token(office, f"/tasks/{task.id}/edit")
    response = office.post(
        f"/tasks/{task.id}/edit",
        data={
            "csrf_token": token,
            "version": str(task.version),
            "title": task.title,
            "status": "completed",
            "completed_on": "2030-01-01",
        },
    )
    assert response.status_code == 400
    assert "Ngày hoàn thành không thể ở tương lai." in response.get_data(as_text=True)
    db.refresh(task)
    assert task.status == Status.PARTIAL
