"""Departments report, coordinators contribute, the office accepts or returns."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.agencies.services import resolve_agency
from app.auth.models import Role
from app.notifications.models import Notification
from app.tasks.models import ProgressUpdate, ReviewState, Status, Task, UpdateKind
from tests.conftest import csrf_token, login


@pytest.fixture
def stttt_task(db):
    """The notice's first task: Sở TT&TT leads it, due "trong tháng 02 năm 2024"."""
    agency = resolve_agency(db, "Sở TT&TT")
    return db.scalars(
        select(Task).where(Task.lead_agency_id == agency.id).order_by(Task.position)
    ).first()


@pytest.fixture
def people(db, make_user, frozen):
    stttt = resolve_agency(db, "Sở TT&TT")
    return {
        "lead": make_user(Role.DEPARTMENT, "lead1", stttt),
        "office": make_user(Role.OFFICE, "office1"),
        "other": make_user(Role.DEPARTMENT, "other1", resolve_agency(db, "Sở Tài chính")),
    }


def _report(client, task, **data):
    token = csrf_token(client, f"/tasks/{task.id}")
    return client.post(f"/tasks/{task.id}/report", data={"csrf_token": token, **data})


def test_report_return_resubmit_accept(app, db, people, stttt_task):
    lead, office = app.test_client(), app.test_client()
    login(lead, "lead1")
    login(office, "office1")
    response = _report(lead, stttt_task, status="partial", explanation="Đã trình dự thảo Kế hoạch.")
    assert response.status_code == 302
    update = db.scalar(select(ProgressUpdate).where(ProgressUpdate.author_id == people["lead"].id))
    assert (update.review_state, update.kind) == (ReviewState.SUBMITTED, UpdateKind.REPORT)
    db.refresh(stttt_task)
    assert stttt_task.status == Status.IN_PROGRESS  # unchanged until the office accepts
    assert db.scalar(
        select(Notification).where(
            Notification.user_id == people["office"].id, Notification.kind == "report_submitted"
        )
    )

    token = csrf_token(office, f"/tasks/{stttt_task.id}")
    returned = office.post(
        f"/tasks/updates/{update.id}/return", data={"csrf_token": token, "reason": "Thiếu số liệu"}
    )
    assert returned.status_code == 302
    db.refresh(update)
    assert update.review_state == ReviewState.RETURNED
    assert update.review_note == "Thiếu số liệu"
    note = db.scalar(
        select(Notification).where(
            Notification.user_id == people["lead"].id, Notification.kind == "report_returned"
        )
    )
    assert "Thiếu số liệu" in note.message
    page = lead.get(f"/tasks/{stttt_task.id}").get_data(as_text=True)
    assert "Thiếu số liệu" in page
    assert 'data-testid="bell-count">1<' in page

    again = _report(
        lead,
        stttt_task,
        status="completed",
        explanation="Đã ban hành Kế hoạch.",
        completed_on="2024-02-27",
    )
    assert again.status_code == 302
    second = db.scalars(
        select(ProgressUpdate)
        .where(ProgressUpdate.review_state == ReviewState.SUBMITTED)
        .order_by(ProgressUpdate.id.desc())
    ).first()
    token = csrf_token(office, f"/tasks/{stttt_task.id}")
    assert (
        office.post(f"/tasks/updates/{second.id}/accept", data={"csrf_token": token}).status_code
        == 302
    )
    db.refresh(stttt_task)
    assert stttt_task.status == Status.COMPLETED
    assert stttt_task.completed_on.isoformat() == "2024-02-27"


def test_second_report_while_one_waits_is_refused(app, db, people, stttt_task, client):
    login(client, "lead1")
    assert _report(client, stttt_task, status="partial", explanation="một").status_code == 302
    response = _report(client, stttt_task, status="partial", explanation="hai")
    assert response.status_code == 400
    assert "hai" in response.get_data(as_text=True)  # the input is kept
    count = db.scalars(select(ProgressUpdate).where(ProgressUpdate.task_id == stttt_task.id)).all()
    assert len([u for u in count if u.review_state == ReviewState.SUBMITTED]) == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"status": "partial", "explanation": "   "}, "explanation"),
        ({"status": "completed", "explanation": "x"}, "completed_on"),
        ({"status": "completed", "explanation": "x", "completed_on": "2030-01-01"}, "completed_on"),
        ({"status": "completed", "explanation": "x", "completed_on": "31/02/2024"}, "completed_on"),
        ({"status": "bogus", "explanation": "x"}, "status"),
    ],
)
def test_bad_reports_are_refused_and_nothing_saved(db, people, stttt_task, client, data, field):
    login(client, "lead1")
    before = db.scalars(select(ProgressUpdate).where(ProgressUpdate.task_id == stttt_task.id)).all()
    response = _report(client, stttt_task, **data)
    assert response.status_code == 400
    assert "is-invalid" in response.get_data(as_text=True)
    after = db.scalars(select(ProgressUpdate).where(ProgressUpdate.task_id == stttt_task.id)).all()
    assert len(after) == len(before)


def test_huge_nfd_explanation_with_markup_is_stored_and_escaped(db, people, stttt_task, client):
    import unicodedata

    login(client, "lead1")
    text = unicodedata.normalize("NFD", "Nội dung giải trình <script>alert(1)</script> ") * 2500
    assert len(text) > 100_000
    assert _report(client, stttt_task, status="partial", explanation=text).status_code == 302
    update = db.scalars(
        select(ProgressUpdate)
        .where(ProgressUpdate.task_id == stttt_task.id)
        .order_by(ProgressUpdate.id.desc())
    ).first()
    assert unicodedata.is_normalized("NFC", update.explanation)
    page = client.get(f"/tasks/{stttt_task.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_other_agency_cannot_report_and_nothing_changes(db, people, stttt_task, client):
    login(client, "other1")
    token = csrf_token(client, "/tasks/")
    response = client.post(
        f"/tasks/{stttt_task.id}/report",
        data={
            "csrf_token": token,
            "status": "completed",
            "explanation": "x",
            "completed_on": "2024-03-01",
        },
    )
    assert response.status_code == 404
    assert not db.scalars(
        select(ProgressUpdate).where(ProgressUpdate.task_id == stttt_task.id)
    ).all()


def test_coordinating_agency_contributes_and_the_lead_is_told(db, people, make_user, client):
    noi_vu = resolve_agency(db, "Sở Nội vụ")
    task = db.scalars(select(Task).where(Task.coordinators.any(id=noi_vu.id))).first()
    make_user(Role.DEPARTMENT, "noivu1", noi_vu)
    lead_user = make_user(Role.DEPARTMENT, "leadx", task.lead_agency)
    login(client, "noivu1")
    token = csrf_token(client, f"/tasks/{task.id}")
    assert (
        client.post(
            f"/tasks/{task.id}/report",
            data={"csrf_token": token, "status": "partial", "explanation": "x"},
        ).status_code
        == 403
    )
    response = client.post(
        f"/tasks/{task.id}/contribute",
        data={"csrf_token": token, "explanation": "Đã cử cán bộ phối hợp."},
    )
    assert response.status_code == 302
    update = db.scalars(select(ProgressUpdate).where(ProgressUpdate.task_id == task.id)).one()
    assert update.kind == UpdateKind.CONTRIBUTION
    assert db.scalar(select(Notification).where(Notification.user_id == lead_user.id))


def test_only_office_reviews(db, people, stttt_task, client):
    login(client, "lead1")
    _report(client, stttt_task, status="partial", explanation="x")
    update = db.scalars(select(ProgressUpdate).where(ProgressUpdate.task_id == stttt_task.id)).one()
    token = csrf_token(client, f"/tasks/{stttt_task.id}")
    assert (
        client.post(f"/tasks/updates/{update.id}/accept", data={"csrf_token": token}).status_code
        == 403
    )
    db.refresh(update)
    assert update.review_state == ReviewState.SUBMITTED


def test_return_needs_a_reason(app, db, people, stttt_task):
    lead, office = app.test_client(), app.test_client()
    login(lead, "lead1")
    login(office, "office1")
    _report(lead, stttt_task, status="partial", explanation="x")
    update = db.scalars(select(ProgressUpdate).where(ProgressUpdate.task_id == stttt_task.id)).one()
    token = csrf_token(office, f"/tasks/{stttt_task.id}")
    response = office.post(
        f"/tasks/updates/{update.id}/return", data={"csrf_token": token, "reason": " "}
    )
    assert response.status_code == 400
    db.refresh(update)
    assert update.review_state == ReviewState.SUBMITTED


def test_no_new_report_on_a_completed_dated_task(app, db, people, stttt_task):
    stttt_task.status = Status.COMPLETED
    stttt_task.completed_on = stttt_task.deadline_due
    db.commit()
    lead = app.test_client()
    login(lead, "lead1")
    page = lead.get(f"/tasks/{stttt_task.id}").get_data(as_text=True)
    assert 'data-testid="report-form"' not in page
    assert 'data-testid="closed-for-reports"' in page
    before = db.scalar(select(func.count()).select_from(ProgressUpdate))
    response = _report(lead, stttt_task, status="partial", explanation="Bổ sung.")
    assert response.status_code == 400  # the form again, with the reason
    assert "Văn phòng mở lại" in response.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(ProgressUpdate)) == before
