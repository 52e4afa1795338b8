"""The search page: three groups, accents optional, highlights, and nothing the user may not see."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.agencies.services import resolve_agency
from app.auth.models import Role
from app.clock import now_utc
from app.directives.models import Directive
from app.search.services import search
from app.tasks.models import Task
from app.text import fold
from tests.conftest import login


def count(body: str, group: str) -> int:
    match = re.search(rf'data-testid="{group}-count">(\d+)<', body)
    assert match, f"no {group} count"
    return int(match.group(1))


def results(body: str, group: str) -> list[str]:
    """The HTML of each result of one group."""
    return re.findall(rf'data-testid="{group}-result">(.*?)</li>', body, flags=re.S)


def unmarked(html: str) -> str:
    return html.replace("<mark>", "").replace("</mark>", "")


@pytest.fixture
def department(client, db, make_user):
    """A user of Sở TT&TT."""
    make_user(Role.DEPARTMENT, "dept1", agency=resolve_agency(db, "Sở TT&TT"))
    login(client, "dept1")
    return client


def _add_task(db, title: str, agency_name: str = "Sở Tài chính", **values) -> Task:
    directive = db.scalar(select(Directive).where(Directive.number == "131/NQ-CP"))
    task = Task(
        directive=directive,
        title=title,
        position=999,
        lead_agency=resolve_agency(db, agency_name),
        **values,
    )
    db.add(task)
    db.commit()
    return task


def test_empty_query_shows_a_hint_and_no_rows(office):
    for path in ("/search/", "/search/?q=", "/search/?q=%20%20"):
        response = office.get(path)
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert 'data-testid="search-hint"' in body
        assert 'data-testid="task-result"' not in body
        assert 'data-testid="directive-result"' not in body


def test_search_needs_a_login(client):
    response = client.get("/search/?q=so")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("role", list(Role))
def test_every_role_may_search(client, db, make_user, role):
    agency = resolve_agency(db, "Sở TT&TT") if role == Role.DEPARTMENT else None
    make_user(role, "someone", agency=agency)
    login(client, "someone")
    assert client.get("/search/?q=chuyen doi so").status_code == 200


def test_accents_are_optional_and_every_word_must_match(office, db):
    body = office.get("/search/?q=so tai chinh").get_data(as_text=True)
    agencies = results(body, "agency")
    assert any("<mark>Sở</mark> <mark>Tài</mark> <mark>chính</mark>" in a for a in agencies)
    # AND: a word that is nowhere empties every group.
    body = office.get("/search/?q=so tai chinh zzqqxx").get_data(as_text=True)
    assert count(body, "directive") == count(body, "task") == count(body, "agency") == 0


def test_the_same_rows_whatever_the_accents_or_case(office):
    plain = office.get("/search/?q=chuyen doi so").get_data(as_text=True)
    accented = office.get("/search/?q=CHUYỂN ĐỔI SỐ").get_data(as_text=True)
    for group in ("directive", "task", "agency"):
        assert count(plain, group) == count(accented, group)
    assert count(plain, "task") > 0
    assert "<mark>Đổi</mark>" in plain or "<mark>đổi</mark>" in plain


def test_directive_found_by_number_issuer_and_subject(office):
    body = office.get("/search/?q=131/nq-cp").get_data(as_text=True)
    assert any("<mark>131/NQ-CP</mark>" in r for r in results(body, "directive"))
    body = office.get("/search/?q=thu tuong chinh phu 1012").get_data(as_text=True)
    assert any("1012/QĐ-TTg" in unmarked(r) for r in results(body, "directive"))


def test_agencies_are_found_by_their_aliases(office):
    body = office.get("/search/?q=pvhcc").get_data(as_text=True)
    found = results(body, "agency")
    assert len(found) == 1
    assert "Trung tâm Phục vụ hành chính công" in found[0]
    assert "<mark>PVHCC</mark>" in found[0]
    body = office.get("/search/?q=so tttt").get_data(as_text=True)
    assert any("Sở Thông tin và Truyền thông" in unmarked(a) for a in results(body, "agency"))


def test_tasks_found_by_owner_as_written_code_and_deadline_phrase(office, db):
    _add_task(db, "Nhiệm vụ thử nghiệm", lead_text="Các sở, ban, ngành quokka", code="MS-77Q")
    body = office.get("/search/?q=quokka").get_data(as_text=True)
    assert len(results(body, "task")) == 1
    assert "<mark>quokka</mark>" in results(body, "task")[0]
    body = office.get("/search/?q=ms-77q").get_data(as_text=True)
    assert "<mark>MS-77Q</mark>" in results(body, "task")[0]
    body = office.get("/search/?q=giai doan 2023-2025").get_data(as_text=True)
    assert count(body, "task") > 0
    assert any("<mark>Giai</mark> <mark>đoạn</mark>" in r for r in results(body, "task"))


def test_department_finds_nothing_of_another_agencys_task(department, db):
    _add_task(db, "Rà soát kho bạc wombatxyz", agency_name="Sở Tài chính")
    body = department.get("/search/?q=wombatxyz").get_data(as_text=True)
    assert count(body, "task") == 0
    assert results(body, "task") == []
    assert "Rà soát kho bạc" not in body


def test_department_search_is_confined_to_its_tasks(client, db, make_user):
    agency = resolve_agency(db, "Sở TT&TT")
    user = make_user(Role.DEPARTMENT, "dept1", agency=agency)
    found = search(db, user, "so").tasks
    assert found.total > 0
    for task in found.items:
        assert task.lead_agency_id == agency.id or agency in task.coordinators
    everyone = search(db, make_user(Role.OFFICE, "office1"), "so").tasks
    assert everyone.total > found.total


def test_office_finds_what_the_department_cannot(office, db):
    _add_task(db, "Rà soát kho bạc wombatxyz", agency_name="Sở Tài chính")
    body = office.get("/search/?q=wombatxyz").get_data(as_text=True)
    assert count(body, "task") == 1


def test_soft_deleted_rows_are_not_found(office, db):
    task = _add_task(db, "Nhiệm vụ sắp xóa numbat")
    directive = db.scalar(select(Directive).where(Directive.number == "1012/QĐ-TTg"))
    body = office.get("/search/?q=numbat").get_data(as_text=True)
    assert count(body, "task") == 1
    body = office.get("/search/?q=1012/qd-ttg").get_data(as_text=True)
    assert f'/directives/{directive.id}"' in body
    task.deleted_at = now_utc()
    directive.deleted_at = now_utc()
    db.commit()
    body = office.get("/search/?q=numbat").get_data(as_text=True)
    assert count(body, "task") == 0
    body = office.get("/search/?q=1012/qd-ttg").get_data(as_text=True)
    assert f'/directives/{directive.id}"' not in body


def test_user_html_in_a_task_title_is_shown_escaped(office, db):
    _add_task(db, "<script>alert('x')</script> & Đổi mới bilby")
    body = office.get("/search/?q=bilby script doi").get_data(as_text=True)
    assert "<script>alert" not in body
    found = results(body, "task")
    assert len(found) == 1
    assert "&lt;<mark>script</mark>&gt;" in found[0]
    assert "&amp;" in found[0]
    assert "<mark>Đổi</mark>" in found[0]


def test_the_query_is_escaped_back_into_the_page(office):
    body = office.get("/search/?q=<b>x</b>").get_data(as_text=True)
    assert "<b>x</b>" not in body


def test_groups_are_limited_and_paged(office, db):
    first = office.get("/search/?q=so").get_data(as_text=True)
    total = count(first, "task")
    assert total > 20
    shown = results(first, "task")
    assert len(shown) == 20
    more = re.search(r'data-testid="tasks-more" href="([^"]+)"', first)
    assert more
    link = more.group(1).replace("&amp;", "&")
    assert "tasks_page=2" in link
    second = office.get(link).get_data(as_text=True)
    assert count(second, "task") == total
    next_page = results(second, "task")
    assert 0 < len(next_page) <= 20
    assert set(next_page).isdisjoint(shown)
    # Out-of-range and garbage page numbers fall back to a valid page.
    assert office.get("/search/?q=so&tasks_page=99999").status_code == 200
    assert office.get("/search/?q=so&tasks_page=abc").status_code == 200


def test_tasks_ordered_by_directive_then_position(office, db, make_user):
    found = search(db, make_user(Role.ADMIN, "admin1"), "so", per_page=500).tasks.items
    keys = [
        (
            t.directive.issued_on is None,
            -t.directive.issued_on.toordinal() if t.directive.issued_on else 0,
            -t.directive_id,
        )
        for t in found
    ]
    assert keys == sorted(keys)
    by_directive: dict[int, list[int]] = {}
    for task in found:
        by_directive.setdefault(task.directive_id, []).append(task.position)
    for positions in by_directive.values():
        assert positions == sorted(positions)


def test_directives_newest_first(db, make_user):
    found = search(db, make_user(Role.LEADER, "leader1"), "ubnd", per_page=500).directives.items
    dates = [d.issued_on for d in found if d.issued_on]
    assert dates == sorted(dates, reverse=True)
    assert all(fold("ubnd") in d.search_key for d in found)
