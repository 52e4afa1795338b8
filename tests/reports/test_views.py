"""The report pages: build, archive, downloads, templates; who may do what."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from freezegun import freeze_time
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.agencies.services import resolve_agency
from app.auth.models import Role
from app.reports.models import ReportSnapshot, ReportTemplate
from tests.conftest import csrf_token, login


@pytest.fixture
def as_role(app, db, make_user, frozen):
    """A logged-in client (English pages: the messages are asserted by their msgids)."""

    def make(role: Role, agency=None):
        user = make_user(role, f"rep-{role.value}", agency)
        client = app.test_client()
        assert login(client, user.username).status_code == 302
        with client.session_transaction() as session:
            session["lang"] = "en"
        return client

    return make


def _post(client, path: str, data: dict, *, follow: bool = False):
    token = csrf_token(client, "/reports/templates" if "templates" in path else "/reports/new")
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=follow)


def _count(db) -> int:
    return db.scalar(select(func.count()).select_from(ReportSnapshot))


def test_the_build_page_offers_the_last_closed_quarter(as_role):
    page = as_role(Role.OFFICE).get("/reports/new").get_data(as_text=True)
    # On 20/03/2023 Quarter I's cut-off (14/03) is over: it is the one to report on.
    assert 'value="2023-Q1"' in page
    assert "131/NQ-CP" in page


def test_office_builds_then_finds_then_rebuilds_on_purpose(as_role, db, nq131):
    client = as_role(Role.OFFICE)
    data = {"kind": "appendix", "period": "2023-Q1", "directives": str(nq131.id)}
    response = _post(client, "/reports/new", data)
    assert response.status_code == 302
    first = int(re.search(r"/reports/(\d+)$", response.location)[1])
    page = client.get(response.location).get_data(as_text=True)
    assert "The report has been built." in page
    assert page.count('data-testid="row"') == 10
    assert "Về nâng cao hiệu quả thực thi thủ tục hành chính" in page
    assert "15/12/2022 – 14/03/2023" in page

    again = _post(client, "/reports/new", data, follow=True).get_data(as_text=True)
    assert "This report was already built" in again
    assert _count(db) == 1

    response = _post(client, "/reports/new", data | {"rebuild": "y"})
    second = int(re.search(r"/reports/(\d+)$", response.location)[1])
    assert second != first
    archive = client.get("/reports/").get_data(as_text=True)
    assert archive.count('data-testid="snapshot"') == 2
    assert "Test office" in archive  # who built them
    old = client.get(f"/reports/{first}").get_data(as_text=True)
    assert 'data-testid="replaced"' in old
    assert f"/reports/{second}" in old


def test_the_overdue_list_is_built_as_of_a_day(as_role, nq131):
    client = as_role(Role.ADMIN)
    data = {"kind": "overdue", "on": "2023-03-20", "directives": str(nq131.id)}
    response = _post(client, "/reports/new", data, follow=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    # Task 2 ("Tháng 12/2022", partly done) is overdue on 20/03/2023.
    assert page.count('data-testid="row"') == 1
    assert "Tổ chức kiện toàn Bộ phận Một cửa các cấp" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "appendix", "period": "2023-Q5"}, "Write a year (2024)"),
        ({"kind": "appendix", "period": ""}, "Write a year (2024)"),
        ({"kind": "appendix", "period": "2023-Q3"}, "The period 2023-Q3 has not started yet."),
        ({"kind": "overdue", "on": "2023-03-21"}, "21/03/2023 is in the future."),
        ({"kind": "appendix", "period": "2023-Q1", "directives": "999999"}, "does not exist"),
        ({"kind": "appendix", "period": "2023-Q1", "agency": "999999"}, "does not exist"),
        ({"kind": "weekly", "period": "2023-Q1"}, "Not a valid choice"),
    ],
)
def test_what_cannot_be_built_is_said_beside_the_field(as_role, db, data, message):
    response = _post(as_role(Role.OFFICE), "/reports/new", data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _count(db) == 0


def test_a_build_without_the_csrf_token_is_refused(as_role, db):
    client = as_role(Role.OFFICE)
    response = client.post("/reports/new", data={"kind": "appendix", "period": "2023-Q1"})
    assert response.status_code == 400
    assert _count(db) == 0


def test_leaders_read_and_download_but_do_not_build(as_role, app, db, nq131):
    _post(
        as_role(Role.OFFICE),
        "/reports/new",
        {"kind": "appendix", "period": "2023-Q1", "directives": nq131.id},
    )
    snapshot = db.scalars(select(ReportSnapshot)).one()
    leader = as_role(Role.LEADER)
    assert leader.get("/reports/").status_code == 200
    assert "build-link" not in leader.get("/reports/").get_data(as_text=True)
    assert leader.get("/reports/new").status_code == 403
    response = leader.get(f"/reports/{snapshot.id}/download/xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="phu-luc-2023-Q1-131-nq-cp-{snapshot.id}.xlsx"'
    )
    sheet = load_workbook(BytesIO(response.data)).worksheets[0]
    assert any(
        "NGHỊ QUYẾT SỐ 131/NQ-CP" in str(c)
        for row in sheet.iter_rows(values_only=True)
        for c in row
    )
    letter = leader.get(f"/reports/{snapshot.id}/download/letter.pdf")
    assert letter.status_code == 200
    assert letter.data.startswith(b"%PDF")
    assert leader.get(f"/reports/{snapshot.id}/download/exe").status_code == 404
    assert leader.get("/reports/999999").status_code == 404


def test_departments_are_refused(as_role, db, nq131):
    _post(
        as_role(Role.OFFICE),
        "/reports/new",
        {"kind": "appendix", "period": "2023-Q1", "directives": nq131.id},
    )
    snapshot = db.scalars(select(ReportSnapshot)).one()
    department = as_role(Role.DEPARTMENT, resolve_agency(db, "UBND tỉnh"))
    for path in ("/reports/", f"/reports/{snapshot.id}", f"/reports/{snapshot.id}/download/pdf"):
        assert department.get(path).status_code == 403
    home = department.get("/tasks/").get_data(as_text=True)
    assert 'data-testid="nav-reports"' not in home


def test_the_navigation_links_to_reports(as_role):
    page = as_role(Role.LEADER).get("/tasks/").get_data(as_text=True)
    assert 'data-testid="nav-reports"' in page


def test_office_edits_a_template_and_the_next_build_uses_it(as_role, db, nq131):
    client = as_role(Role.OFFICE)
    form = client.get("/reports/templates/quarter").get_data(as_text=True)
    assert "báo cáo tình hình, tiến độ thực hiện {directive_short} trong {period}" in form
    assert "{cutoff_end}" in form  # the placeholders are listed
    data = {
        "subject": "báo cáo {directive_short} {period}",
        "body": "Đoạn một {province}.\r\n\r\nĐoạn hai.",
        "distribution": "- Như trên;\r\n- Lưu: VT, KSTT.",
    }
    response = _post(client, "/reports/templates/quarter", data, follow=True)
    assert "The template has been saved." in response.get_data(as_text=True)
    saved = db.scalars(select(ReportTemplate)).one()
    assert (saved.report_type, saved.body) == ("quarter", "Đoạn một {province}.\n\nĐoạn hai.")
    _post(client, "/reports/new", {"kind": "appendix", "period": "2023-Q1", "directives": nq131.id})
    letter = db.scalars(select(ReportSnapshot)).one().content["cover_letter"]
    assert letter["subject"] == "báo cáo Nghị quyết số 131/NQ-CP Quý I năm 2023"
    assert letter["body"] == ["Đoạn một Bình Định.", "Đoạn hai."]


def test_a_template_with_an_unknown_placeholder_is_refused(as_role, db):
    data = {"subject": "{period}", "body": "{periode}", "distribution": ""}
    response = _post(as_role(Role.ADMIN), "/reports/templates/month", data)
    assert response.status_code == 400
    assert "Unknown placeholder: {periode}." in response.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(ReportTemplate)) == 0


def test_unknown_template_type_is_not_found(as_role):
    assert as_role(Role.OFFICE).get("/reports/templates/weekly").status_code == 404


def test_the_archive_pages(as_role, db, nq131):
    client = as_role(Role.OFFICE)
    for month in range(1, 4):
        with freeze_time(f"2023-03-20 0{month + 3}:00:00"):
            _post(
                client,
                "/reports/new",
                {"kind": "appendix", "period": f"2023-0{month}", "directives": nq131.id},
            )
    with freeze_time("2023-03-20 07:00:00"):
        page = client.get("/reports/?page=99").get_data(as_text=True)  # past the end: the last
    assert page.count('data-testid="snapshot"') == 3
    assert "3 built" in page
