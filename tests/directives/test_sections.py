"""A directive's sections: add, rename, reorder, and delete only when no live task uses it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.clock import now_utc
from app.directives.models import Directive, Section
from app.tasks.models import Task
from tests.conftest import csrf_token


@pytest.fixture
def resolution(db) -> Directive:
    return db.scalar(select(Directive).where(Directive.number == "131/NQ-CP"))


def order(db, directive: Directive) -> list[str]:
    return list(
        db.scalars(
            select(Section.number)
            .where(Section.directive_id == directive.id)
            .order_by(Section.position, Section.id)
        )
    )


def test_sections_page_lists_them_with_their_task_counts(office, resolution):
    response = office.get(f"/directives/{resolution.id}/sections")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.count('data-testid="section-row"') == 3
    assert "Về nâng cao hiệu quả thực thi thủ tục hành chính" in body


def test_add_a_section_at_the_end_and_at_a_place(office, db, resolution):
    path = f"/directives/{resolution.id}/sections"
    token = csrf_token(office, path)
    response = office.post(
        path, data={"csrf_token": token, "new-number": "IV", "new-title": "Khác"}
    )
    assert response.status_code == 302
    assert order(db, resolution) == ["I", "II", "III", "IV"]
    response = office.post(
        path,
        data={"csrf_token": token, "new-number": "0", "new-title": "Chung", "new-order": "1"},
    )
    assert response.status_code == 302
    assert order(db, resolution) == ["0", "I", "II", "III", "IV"]


def test_rename_and_move_a_section(office, db, resolution):
    third = next(s for s in resolution.sections if s.number == "III")
    path = f"/directives/{resolution.id}/sections/{third.id}"
    token = csrf_token(office, f"/directives/{resolution.id}/sections")
    response = office.post(
        path,
        data={
            "csrf_token": token,
            f"s{third.id}-number": "III",
            f"s{third.id}-title": "Tiêu đề mới",
            f"s{third.id}-order": "1",
        },
    )
    assert response.status_code == 302
    db.refresh(third)
    assert third.title == "Tiêu đề mới"
    assert order(db, resolution) == ["III", "I", "II"]


def test_duplicate_or_empty_section_number_is_refused_with_input_kept(office, db, resolution):
    first = next(s for s in resolution.sections if s.number == "I")
    token = csrf_token(office, f"/directives/{resolution.id}/sections")
    response = office.post(
        f"/directives/{resolution.id}/sections/{first.id}",
        data={"csrf_token": token, f"s{first.id}-number": "ii", f"s{first.id}-title": "Giữ lại"},
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert 'data-testid="error-number"' in body
    assert "Giữ lại" in body
    db.refresh(first)
    assert first.number == "I"
    response = office.post(
        f"/directives/{resolution.id}/sections",
        data={"csrf_token": token, "new-number": "", "new-title": "Không số"},
    )
    assert response.status_code == 400
    assert "Không số" in response.get_data(as_text=True)
    assert order(db, resolution) == ["I", "II", "III"]


def test_a_section_holding_live_tasks_cannot_be_deleted(office, db, resolution):
    first = next(s for s in resolution.sections if s.number == "I")
    token = csrf_token(office, f"/directives/{resolution.id}/sections")
    response = office.post(
        f"/directives/{resolution.id}/sections/{first.id}/delete", data={"csrf_token": token}
    )
    assert response.status_code == 400
    assert 'data-testid="section-error"' in response.get_data(as_text=True)
    assert order(db, resolution) == ["I", "II", "III"]


def test_an_empty_section_is_deleted_and_deleted_tasks_let_go_of_it(office, db, resolution):
    section = Section(number="IV", title="Tạm", position=3)
    resolution.sections.append(section)
    task = Task(directive=resolution, title="Đã xóa", position=99, section=section)
    task.deleted_at = now_utc()
    db.add(task)
    db.commit()
    token = csrf_token(office, f"/directives/{resolution.id}/sections")
    response = office.post(
        f"/directives/{resolution.id}/sections/{section.id}/delete", data={"csrf_token": token}
    )
    assert response.status_code == 302
    assert order(db, resolution) == ["I", "II", "III"]
    db.refresh(task)
    assert task.section_id is None


def test_a_section_of_another_directive_is_404(office, db, resolution):
    other = db.scalar(select(Section).where(Section.directive_id != resolution.id))
    token = csrf_token(office, f"/directives/{resolution.id}/sections")
    response = office.post(
        f"/directives/{resolution.id}/sections/{other.id}/delete", data={"csrf_token": token}
    )
    assert response.status_code == 404
