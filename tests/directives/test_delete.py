"""Soft delete and restore of directives, journaled; read-only roles can change nothing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.agencies.services import resolve_agency
from app.audit import AuditEntry
from app.auth.models import Role
from app.directives.models import Directive, Section
from app.tasks.models import Task
from tests.conftest import csrf_token, login


def by_number(db, number: str) -> Directive:
    return db.scalar(select(Directive).where(Directive.number == number))


def live_tasks(db, directive: Directive) -> int:
    return db.scalar(
        select(func.count(Task.id)).where(
            Task.directive_id == directive.id, Task.deleted_at.is_(None)
        )
    )


def journal(db, directive: Directive) -> list[str]:
    return list(
        db.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.entity_type == "Directive", AuditEntry.entity_id == directive.id)
            .order_by(AuditEntry.id)
        )
    )


def test_delete_asks_first_and_says_how_many_tasks_it_holds(office, db):
    directive = by_number(db, "131/NQ-CP")
    response = office.get(f"/directives/{directive.id}/delete")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    count = re.search(r'data-testid="task-count"[^>]*>(\d+)<', body).group(1)
    assert int(count) == live_tasks(db, directive) == 10
    db.refresh(directive)
    assert directive.deleted_at is None  # GET changes nothing


def test_soft_delete_then_restore_is_journaled_and_keeps_the_tasks(office, db):
    directive = by_number(db, "131/NQ-CP")
    sections = len(directive.sections)
    token = csrf_token(office, f"/directives/{directive.id}/delete")
    response = office.post(f"/directives/{directive.id}/delete", data={"csrf_token": token})
    assert response.status_code == 302
    db.refresh(directive)
    assert directive.deleted_at is not None
    assert live_tasks(db, directive) == 10  # deleting a directive deletes nothing else
    assert len(directive.sections) == sections

    link = f'href="/directives/{directive.id}"'
    assert link not in office.get("/directives/").get_data(as_text=True)
    deleted = office.get("/directives/?deleted=1").get_data(as_text=True)
    assert link in deleted
    assert f"/directives/{directive.id}/restore" in deleted
    # The office can still open it, with a restore button.
    page = office.get(f"/directives/{directive.id}")
    assert page.status_code == 200
    assert 'data-testid="deleted-banner"' in page.get_data(as_text=True)
    # Editing needs a live directive.
    assert office.get(f"/directives/{directive.id}/edit").status_code == 404

    response = office.post(f"/directives/{directive.id}/restore", data={"csrf_token": token})
    assert response.status_code == 302
    db.refresh(directive)
    assert directive.deleted_at is None
    assert journal(db, directive)[-2:] == ["delete", "restore"]
    assert link in office.get("/directives/").get_data(as_text=True)
    page = office.get(f"/directives/{directive.id}").get_data(as_text=True)
    assert 'data-action="restore"' in page
    assert 'data-action="delete"' in page


def test_deleted_directives_are_hidden_from_other_roles(client, db, make_user):
    directive = by_number(db, "131/NQ-CP")
    directive.deleted_at = directive.created_at
    db.commit()
    make_user(Role.LEADER, "leader1")
    login(client, "leader1")
    listing = client.get("/directives/?deleted=1").get_data(as_text=True)
    assert f'href="/directives/{directive.id}"' not in listing
    assert 'data-testid="restore"' not in listing
    assert client.get(f"/directives/{directive.id}").status_code == 404


def _snapshot(db, directive: Directive) -> tuple:
    db.refresh(directive)
    sections = db.scalars(
        select(Section.number, Section.title, Section.position).where(
            Section.directive_id == directive.id
        )
    ).all()
    return (
        directive.number,
        directive.summary,
        directive.issued_on,
        directive.implements_id,
        directive.deleted_at,
        sorted(sections),
        len(journal(db, directive)),
    )


@pytest.mark.parametrize("role", [Role.DEPARTMENT, Role.LEADER])
def test_read_only_roles_get_403_on_every_write_and_nothing_changes(client, db, make_user, role):
    directive = by_number(db, "131/NQ-CP")
    gone = by_number(db, "1012/QĐ-TTg")
    gone.deleted_at = gone.created_at
    db.commit()
    section = directive.sections[0]
    agency = resolve_agency(db, "Sở TT&TT") if role == Role.DEPARTMENT else None
    make_user(role, "reader", agency=agency)
    login(client, "reader")
    token = csrf_token(client, "/directives/")
    before = _snapshot(db, directive)
    before_gone = _snapshot(db, gone)
    count = db.scalar(select(func.count(Directive.id)))
    fields = {"csrf_token": token, "kind": "decision", "summary": "hacked", "number": "1/X"}
    section_fields = {"csrf_token": token, "new-number": "IX", "new-title": "hacked"}
    row_fields = {"csrf_token": token, f"s{section.id}-number": "Z", f"s{section.id}-title": "z"}
    requests = [
        ("get", "/directives/new", {}),
        ("post", "/directives/new", fields),
        ("get", f"/directives/{directive.id}/edit", {}),
        ("post", f"/directives/{directive.id}/edit", fields),
        ("get", f"/directives/{directive.id}/delete", {}),
        ("post", f"/directives/{directive.id}/delete", {"csrf_token": token}),
        ("post", f"/directives/{gone.id}/restore", {"csrf_token": token}),
        ("get", f"/directives/{directive.id}/sections", {}),
        ("post", f"/directives/{directive.id}/sections", section_fields),
        ("post", f"/directives/{directive.id}/sections/{section.id}", row_fields),
        ("post", f"/directives/{directive.id}/sections/{section.id}/delete", {"csrf_token": token}),
    ]
    for method, path, data in requests:
        response = getattr(client, method)(path, data=data)
        assert response.status_code == 403, (method, path)
    assert _snapshot(db, directive) == before
    assert _snapshot(db, gone) == before_gone
    assert db.scalar(select(func.count(Directive.id))) == count


def test_delete_and_restore_need_post(office, db):
    directive = by_number(db, "131/NQ-CP")
    assert office.get(f"/directives/{directive.id}/restore").status_code == 405


def test_unknown_directive_on_write_endpoints_is_404(office):
    assert office.get("/directives/999999/edit").status_code == 404
    assert office.get("/directives/999999/delete").status_code == 404
    token = csrf_token(office, "/directives/")
    assert office.post("/directives/999999/restore", data={"csrf_token": token}).status_code == 404
