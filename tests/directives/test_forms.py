"""Office staff create and edit directives; bad input is refused with the input kept."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import func, select

from app.audit import AuditEntry
from app.auth.models import Role
from app.directives.models import Directive, DirectiveKind
from tests.conftest import csrf_token, login


def by_number(db, number: str) -> Directive:
    return db.scalar(select(Directive).where(Directive.number == number))


def directive_count(db) -> int:
    return db.scalar(select(func.count(Directive.id)))


def form_data(token: str, **values: str) -> dict[str, str]:
    data = {
        "csrf_token": token,
        "kind": "decision",
        "number": "",
        "issued_on": "",
        "issuer": "",
        "summary": "",
        "signer": "",
        "signer_title": "",
        "full_text": "",
        "implements_id": "",
    }
    data.update(values)
    return data


def option_values(body: str, name: str) -> list[str]:
    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', body, re.S)
    assert select_html, f"no select {name}"
    return re.findall(r'<option[^>]*value="([^"]*)"', select_html.group(1))


def test_create_a_directive(office, db):
    parent = by_number(db, "131/NQ-CP")
    token = csrf_token(office, "/directives/new")
    response = office.post(
        "/directives/new",
        data=form_data(
            token,
            kind="plan",
            number=" 45/KH-UBND ",
            issued_on="2024-03-01",
            issuer="UBND tỉnh",
            summary="  Triển khai thực hiện Nghị quyết 131  ",
            signer="Nguyễn Văn A",
            signer_title="KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
            implements_id=str(parent.id),
        ),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    created = by_number(db, "45/KH-UBND")
    assert created is not None
    assert response.headers["Location"].endswith(f"/directives/{created.id}")
    assert created.kind == DirectiveKind.PLAN
    assert created.summary == "Triển khai thực hiện Nghị quyết 131"
    assert created.issued_on.isoformat() == "2024-03-01"
    assert created.implements_id == parent.id
    assert created.signer_title == "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    assert "trien khai thuc hien" in created.search_key
    entry = db.scalar(
        select(AuditEntry).where(
            AuditEntry.entity_type == "Directive", AuditEntry.entity_id == created.id
        )
    )
    assert entry.action == "create"
    page = office.get(f"/directives/{created.id}").get_data(as_text=True)
    assert "45/KH-UBND" in page
    assert 'data-testid="journal-entry" data-action="create"' in page


def test_text_is_stored_nfc(office, db):
    token = csrf_token(office, "/directives/new")
    decomposed = unicodedata.normalize("NFD", "Về chuyển đổi số")
    response = office.post("/directives/new", data=form_data(token, summary=decomposed))
    assert response.status_code == 302
    created = db.scalar(select(Directive).where(Directive.summary == "Về chuyển đổi số"))
    assert created is not None
    assert created.number is None


def test_duplicate_number_is_refused_naming_the_existing_directive(office, db):
    before = directive_count(db)
    token = csrf_token(office, "/directives/new")
    response = office.post(
        "/directives/new",
        data=form_data(token, number="131/nq-cp", summary="Một văn bản khác hẳn"),
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert 'data-testid="error-number"' in body
    error = re.search(r'data-testid="error-number">(.*?)</div>', body, re.S).group(1)
    assert "131/NQ-CP" in error
    assert "06/10/2022" in error
    assert "Một văn bản khác hẳn" in body  # input kept
    assert 'value="131/nq-cp"' in body
    assert directive_count(db) == before


def test_number_of_a_deleted_directive_is_still_taken(office, db):
    deleted = by_number(db, "1012/QĐ-TTg")
    token = csrf_token(office, f"/directives/{deleted.id}/delete")
    office.post(f"/directives/{deleted.id}/delete", data={"csrf_token": token})
    response = office.post(
        "/directives/new", data=form_data(token, number="1012/QĐ-TTg", summary="x")
    )
    assert response.status_code == 400
    assert "1012/QĐ-TTg" in re.search(
        r'data-testid="error-number">(.*?)</div>', response.get_data(as_text=True), re.S
    ).group(1)


def test_future_issue_date_is_refused(office, db):
    before = directive_count(db)
    token = csrf_token(office, "/directives/new")
    response = office.post(
        "/directives/new",
        data=form_data(token, issued_on="2999-01-01", summary="Văn bản từ tương lai"),
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert 'data-testid="error-issued_on"' in body
    assert 'value="2999-01-01"' in body
    assert "Văn bản từ tương lai" in body
    assert directive_count(db) == before


def test_empty_subject_is_refused(office, db):
    before = directive_count(db)
    token = csrf_token(office, "/directives/new")
    response = office.post(
        "/directives/new", data=form_data(token, number="77/QĐ-UBND", summary="   ")
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert 'data-testid="error-summary"' in body
    assert 'value="77/QĐ-UBND"' in body
    assert directive_count(db) == before
    assert by_number(db, "77/QĐ-UBND") is None


def test_every_failure_is_reported_at_once(office, db):
    token = csrf_token(office, "/directives/new")
    response = office.post(
        "/directives/new",
        data=form_data(token, number="131/NQ-CP", issued_on="2999-01-01", summary="ok"),
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert 'data-testid="error-number"' in body
    assert 'data-testid="error-issued_on"' in body


def test_edit_a_directive_and_see_the_change_in_its_journal(office, db):
    directive = by_number(db, "4072/QĐ-UBND")
    old_summary = directive.summary
    token = csrf_token(office, f"/directives/{directive.id}/edit")
    page = office.get(f"/directives/{directive.id}/edit").get_data(as_text=True)
    assert old_summary in page  # the form is filled in
    response = office.post(
        f"/directives/{directive.id}/edit",
        data=form_data(
            token,
            kind=directive.kind.value,
            number=directive.number,
            issued_on=directive.issued_on.isoformat(),
            issuer=directive.issuer,
            summary="Biểu mẫu báo cáo thống kê (đã sửa)",
        ),
    )
    assert response.status_code == 302
    db.refresh(directive)
    assert directive.summary == "Biểu mẫu báo cáo thống kê (đã sửa)"
    entries = db.scalars(
        select(AuditEntry).where(
            AuditEntry.entity_type == "Directive",
            AuditEntry.entity_id == directive.id,
            AuditEntry.action == "update",
        )
    ).all()
    assert entries[-1].changes["summary"] == [old_summary, directive.summary]
    detail = office.get(f"/directives/{directive.id}").get_data(as_text=True)
    journal = detail.split('data-testid="journal"')[1]
    assert "Biểu mẫu báo cáo thống kê (đã sửa)" in journal
    assert 'data-action="update"' in journal


def test_implements_never_itself_nor_a_directive_implementing_it(office, db):
    decision = by_number(db, "1012/QĐ-TTg")
    letter = by_number(db, "136/BKHCN-CĐSQG")
    assert letter.implements_id == decision.id
    page = office.get(f"/directives/{decision.id}/edit").get_data(as_text=True)
    values = option_values(page, "implements_id")
    assert str(decision.id) not in values
    assert str(letter.id) not in values
    assert str(by_number(db, "131/NQ-CP").id) in values

    token = csrf_token(office, f"/directives/{decision.id}/edit")
    for target in (letter, decision):
        response = office.post(
            f"/directives/{decision.id}/edit",
            data=form_data(
                token,
                kind=decision.kind.value,
                number=decision.number,
                summary="Đổi tóm tắt",
                implements_id=str(target.id),
            ),
        )
        assert response.status_code == 400
        body = response.get_data(as_text=True)
        assert 'data-testid="error-implements_id"' in body
        assert "Đổi tóm tắt" in body
    db.refresh(decision)
    assert decision.implements_id is None
    assert decision.summary != "Đổi tóm tắt"


def test_implements_loop_through_several_directives_is_refused(office, db):
    # 1012 ← 136 (136 implements 1012); make X implement 136, then ask 1012 to implement X.
    decision = by_number(db, "1012/QĐ-TTg")
    letter = by_number(db, "136/BKHCN-CĐSQG")
    token = csrf_token(office, "/directives/new")
    office.post(
        "/directives/new",
        data=form_data(token, number="9/KH-X", summary="cấp ba", implements_id=str(letter.id)),
    )
    third = by_number(db, "9/KH-X")
    response = office.post(
        f"/directives/{decision.id}/edit",
        data=form_data(
            token, kind="decision", number=decision.number, summary="x", implements_id=str(third.id)
        ),
    )
    assert response.status_code == 400
    db.refresh(decision)
    assert decision.implements_id is None


def test_unknown_implements_id_and_bad_date_are_refused(office, db):
    token = csrf_token(office, "/directives/new")
    response = office.post(
        "/directives/new", data=form_data(token, summary="x", implements_id="999999")
    )
    assert response.status_code == 400
    response = office.post("/directives/new", data=form_data(token, summary="x", issued_on="abc"))
    assert response.status_code == 400
    response = office.post("/directives/new", data=form_data(token, summary="x", kind="bogus"))
    assert response.status_code == 400


def test_buttons_are_shown_to_editors_only(client, db, make_user):
    directive = by_number(db, "131/NQ-CP")
    make_user(Role.LEADER, "leader1")
    login(client, "leader1")
    page = client.get(f"/directives/{directive.id}").get_data(as_text=True)
    for testid in ("edit-directive", "delete-directive", "edit-sections"):
        assert f'data-testid="{testid}"' not in page
    assert 'data-testid="new-directive"' not in client.get("/directives/").get_data(as_text=True)
    assert 'data-testid="journal"' in page  # the journal is for every reader


def test_editors_see_their_buttons_and_the_new_task_button_stays(office, db):
    directive = by_number(db, "131/NQ-CP")
    page = office.get(f"/directives/{directive.id}").get_data(as_text=True)
    for testid in ("edit-directive", "delete-directive", "edit-sections"):
        assert f'data-testid="{testid}"' in page
    assert f"/tasks/new?directive={directive.id}" in page
    assert 'data-testid="task-table"' in page
    assert 'data-testid="new-directive"' in office.get("/directives/").get_data(as_text=True)
