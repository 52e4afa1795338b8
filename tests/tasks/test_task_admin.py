"""Soft delete and restore, copying a group task to agencies, the conflict page, the department page."""

from __future__ import annotations

from sqlalchemy import select

from app.agencies.models import Agency, AgencyKind
from app.agencies.services import resolve_agency
from app.audit import AuditEntry
from app.auth.models import Role
from app.tasks.models import Task
from tests.conftest import csrf_token, login


def test_soft_delete_hides_and_restore_brings_back(office, db):
    task = db.scalars(select(Task).where(Task.outline == "9")).first()
    token = csrf_token(office, f"/tasks/{task.id}")
    assert office.post(f"/tasks/{task.id}/delete", data={"csrf_token": token}).status_code == 302
    db.refresh(task)
    assert task.deleted_at is not None
    listing = office.get("/tasks/?q=chuan hoa che do bao cao").get_data(as_text=True)
    assert "Đẩy nhanh tiến độ chuẩn hóa" not in listing
    deleted = office.get("/tasks/?deleted=1&q=chuan hoa che do bao cao").get_data(as_text=True)
    assert "Đẩy nhanh tiến độ chuẩn hóa" in deleted
    assert "deleted-banner" in office.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert office.post(f"/tasks/{task.id}/restore", data={"csrf_token": token}).status_code == 302
    db.refresh(task)
    assert task.deleted_at is None
    actions = db.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.entity_type == "Task", AuditEntry.entity_id == task.id)
        .order_by(AuditEntry.id)
    ).all()
    assert actions[-2:] == ["delete", "restore"]


def test_department_never_sees_deleted_tasks(client, db, make_user):
    agency = resolve_agency(db, "Sở TT&TT")
    task = db.scalars(select(Task).where(Task.lead_agency_id == agency.id)).first()
    from app.clock import now_utc

    task.deleted_at = now_utc()
    db.commit()
    make_user(Role.DEPARTMENT, "d1", agency)
    login(client, "d1")
    assert client.get(f"/tasks/{task.id}").status_code == 404
    assert task.title[:30] not in client.get("/tasks/mine").get_data(as_text=True)


def test_copy_group_task_to_every_district(office, db):
    group = db.scalars(
        select(Task).where(Task.lead_agency_id.is_(None), Task.lead_text.is_not(None))
    ).first()
    districts = db.scalars(select(Agency).where(Agency.kind == AgencyKind.DISTRICT)).all()
    assert len(districts) == 3
    token = csrf_token(office, f"/tasks/{group.id}/copy")
    data = {"csrf_token": token, "agency_ids": [str(a.id) for a in districts]}
    assert office.post(f"/tasks/{group.id}/copy", data=data).status_code == 302
    children = db.scalars(select(Task).where(Task.parent_id == group.id)).all()
    assert sorted(c.lead_agency.name for c in children) == sorted(a.name for a in districts)
    assert {c.deadline_due for c in children} == {group.deadline_due}
    office.post(f"/tasks/{group.id}/copy", data=data)  # twice: nothing new
    assert len(db.scalars(select(Task).where(Task.parent_id == group.id)).all()) == 3


def test_copy_without_agencies_says_so(office, db):
    task = db.scalars(select(Task)).first()
    token = csrf_token(office, f"/tasks/{task.id}/copy")
    assert office.post(f"/tasks/{task.id}/copy", data={"csrf_token": token}).status_code == 400


def test_second_editor_gets_the_conflict_page_and_nothing_is_overwritten(app, db, make_user):
    make_user(Role.OFFICE, "a1")
    make_user(Role.OFFICE, "b1")
    first, second = app.test_client(), app.test_client()
    login(first, "a1")
    login(second, "b1")
    task = db.scalars(select(Task).where(Task.outline == "9")).first()
    version = str(task.version)
    token_a = csrf_token(first, f"/tasks/{task.id}/edit")
    token_b = csrf_token(second, f"/tasks/{task.id}/edit")
    base = {
        "title": task.title,
        "status": "partial",
        "version": version,
        "deadline_text": "Tháng 6/2023",
    }
    ok = first.post(
        f"/tasks/{task.id}/edit", data={**base, "csrf_token": token_a, "product": "Bản A"}
    )
    assert ok.status_code == 302
    clash = second.post(
        f"/tasks/{task.id}/edit", data={**base, "csrf_token": token_b, "product": "Bản B"}
    )
    assert clash.status_code == 409
    body = clash.get_data(as_text=True)
    assert 'data-testid="conflict"' in body
    assert "Bản A" in body
    assert "Bản B" in body
    db.refresh(task)
    assert task.product == "Bản A"


def test_department_page_counts_and_filters(client, db, make_user):
    from freezegun import freeze_time

    agency = resolve_agency(db, "Sở TT&TT")
    with freeze_time("2024-03-15 09:00:00"):
        make_user(Role.DEPARTMENT, "d1", agency)
        login(client, "d1")
        page = client.get("/tasks/mine").get_data(as_text=True)
        # "trong tháng 02 năm 2024" is overdue on 15/03/2024; "trong năm 2024" is within deadline
        assert 'data-testid="count-overdue">1<' in page
        assert 'data-testid="count-on_track">1<' in page
        overdue = client.get("/tasks/mine?standing=overdue").get_data(as_text=True)
        assert "trong tháng 02 năm 2024" in overdue
        assert "trong năm 2024" not in overdue
        coordinating = client.get("/tasks/mine?involvement=coordinating").get_data(as_text=True)
        assert "Tin học hóa toàn bộ quy trình điều tra thống kê" in coordinating  # plan 3.1.3.2
        assert client.get("/tasks/mine?within=30").status_code == 200
