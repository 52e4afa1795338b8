"""The web import: upload or paste → preview (edited) → confirm in one transaction; every bad
input refused with a clear message and nothing written; a confirmation sent twice written once."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
from docx import Document
from freezegun import freeze_time
from openpyxl import Workbook
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.agencies.models import Agency
from app.auth.models import Role
from app.directives.models import Directive
from app.tasks.models import Task
from tests.conftest import csrf_token, login
from tests.freeze import SEEDED_ON
from tests.imports.helpers import (
    APPENDIX_001,
    NOTICE_003,
    counts,
    document_text,
    to_tcvn3,
    to_vni,
)

IMPORT = "/directives/import"
ROW = re.compile(r'data-testid="import-row" data-action="(\w+)" data-key="(\w+)"')
TOKEN = re.compile(r"/directives/import/([A-Za-z0-9_-]{32})$")

# A conclusion notice naming one known agency and one that is not in the table.
SMALL_NOTICE = """THÔNG BÁO
Kết luận của Chủ tịch UBND tỉnh về thử nghiệm nhập văn bản qua trang web

Chủ tịch UBND tỉnh yêu cầu:

1. Sở Tài chính:
- Bố trí kinh phí thử nghiệm nhập văn bản, hoàn thành trong tháng 9 năm 2099.

2. Sở Du lịch thử nghiệm:
- Rà soát quy trình tiếp nhận văn bản trong quý IV năm 2099.
"""
LEGACY_NOTICE = """1. Sở Thông tin và Truyền thông:
- Nghiên cứu, hoàn chỉnh dự thảo kế hoạch chuyển đổi số năm 2024, trình ban hành trong tháng 02 năm 2024.
- Phối hợp với Sở Nội vụ đề xuất các biện pháp nâng cao chất lượng đội ngũ công chức.
2. Công an tỉnh:
- Thường xuyên theo dõi, kiểm tra việc bảo đảm an toàn thông tin mạng.
"""


@pytest.fixture(autouse=True)
def import_dir(app, tmp_path, monkeypatch) -> Path:
    """Each test keeps its uploads in its own directory."""
    directory = tmp_path / "imports"
    monkeypatch.setitem(app.config, "IMPORT_DIR", str(directory))
    return directory


# The office user logs in on the seeded day (sessions are signed with the frozen clock).
pytestmark = pytest.mark.usefixtures("frozen")


def _token(client) -> str:
    return csrf_token(client, IMPORT)


def upload(client, *, kind: str = "notice", text: str = "", file=None, **fields):
    """POST the import form: pasted `text`, or `file` = (name, bytes).

    The body is encoded here, in memory: the test client would spool a large one to a
    temporary file that it never closes."""
    data: dict[str, object] = {"csrf_token": _token(client), "kind": kind, "text": text, **fields}
    if file is not None:
        data["file"] = FileStorage(io.BytesIO(file[1]), filename=file[0])
    boundary, body = encode_multipart(data)
    content_type = f"multipart/form-data; boundary={boundary}"
    return client.post(IMPORT, data=body, content_type=content_type)


def token_of(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    match = TOKEN.search(response.headers["Location"])
    assert match, response.headers["Location"]
    return match.group(1)


def rows(page: str) -> list[tuple[str, str]]:
    """(action, key) of each task row of a preview page, in order."""
    return ROW.findall(page)


def confirm(client, token: str, **fields):
    data = {"csrf_token": csrf_token(client, f"{IMPORT}/{token}"), **fields}
    return client.post(f"{IMPORT}/{token}/confirm", data=data)


def rebuild(client, token: str, **fields):
    data = {"csrf_token": csrf_token(client, f"{IMPORT}/{token}"), **fields}
    return client.post(f"{IMPORT}/{token}/rebuild", data=data)


def stored_files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.glob("*")) if directory.exists() else []


def _workbook(rows_: list[list[object]]) -> bytes:
    workbook = Workbook()
    for row in rows_:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _docx_without_table() -> bytes:
    document = Document()
    document.add_paragraph("KẾ HOẠCH thực hiện chuyển đổi số năm 2024")
    document.add_paragraph("1. Xây dựng kho dữ liệu dùng chung của tỉnh.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# -- the whole journey on the real notice -----------------------------------------------------
def test_seed_003_pasted_previewed_edited_confirmed_then_reimported(office, db):
    text = document_text(NOTICE_003)
    directive_id = db.scalar(
        select(Directive.id).where(Directive.summary.startswith("Ý kiến kết luận của Chủ tịch"))
    )
    tasks_before = db.scalar(select(func.count(Task.id)).where(Task.directive_id == directive_id))

    token = token_of(upload(office, text=text))
    page = office.get(f"{IMPORT}/{token}").get_data(as_text=True)
    listed = rows(page)
    assert len(listed) == 38  # the 20 tasks of the notice, and the group's items per agency
    assert [a for a, _ in listed].count("unchanged") == 20
    assert [a for a, _ in listed].count("create") == 18
    assert page.count('data-testid="group-copy"') == 18
    assert 'data-testid="count-create">18 tạo mới' in page
    assert "trong tháng 02 năm 2024" in page
    assert "29/02/2024" in page
    assert "Các sở, ban, ngành và UBND các huyện, thị xã, thành phố" in page
    assert 'data-testid="new-agencies"' not in page

    # Correct the first task's title a little and skip the first copy, then confirm.
    first_copy = next(i for i, (action, _) in enumerate(listed) if action == "create")
    title = html.unescape(re.search(r'name="t0-title"[^>]*>([^<]*)</textarea>', page).group(1))
    edited_title = title.replace("Nghiên cứu, tiếp thu", "Nghiên cứu và tiếp thu")
    assert edited_title != title
    response = confirm(office, token, **{"t0-title": edited_title, f"t{first_copy}-skip": "y"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/directives/{directive_id}")
    shown = office.get(response.headers["Location"]).get_data(as_text=True)
    assert "17 nhiệm vụ tạo mới, 1 cập nhật, 19 không đổi, 1 bỏ qua" in shown
    assert "Đã thay đổi: “Nghiên cứu và tiếp thu" in shown
    assert "(Tên nhiệm vụ)" in shown

    db.expire_all()
    tasks_after = db.scalar(select(func.count(Task.id)).where(Task.directive_id == directive_id))
    assert tasks_after == tasks_before + 17
    assert db.scalar(select(func.count(Task.id)).where(Task.title == edited_title)) == 1

    # The same document again: the edited title goes back, the skipped copy is offered again.
    page = office.get(f"{IMPORT}/{token_of(upload(office, text=text))}").get_data(as_text=True)
    again = rows(page)
    assert again[0][0] == "update"
    assert again[first_copy][0] == "create"
    assert [a for a, _ in again].count("unchanged") == 36
    assert (
        '<del class="text-danger-emphasis"> và</del><ins class="text-success-emphasis">,</ins>'
        in page
    )
    token = re.search(r"/directives/import/([A-Za-z0-9_-]{32})/confirm", page).group(1)
    assert confirm(office, token).status_code == 302

    # And once more: nothing left to do, nothing duplicated.
    before = counts(db)
    page = office.get(f"{IMPORT}/{token_of(upload(office, text=text))}").get_data(as_text=True)
    assert {a for a, _ in rows(page)} == {"unchanged"}
    token = re.search(r"/directives/import/([A-Za-z0-9_-]{32})/confirm", page).group(1)
    response = confirm(office, token)
    assert response.status_code == 302
    assert "0 nhiệm vụ tạo mới, 0 cập nhật, 38 không đổi" in office.get(
        response.headers["Location"]
    ).get_data(as_text=True)
    db.expire_all()
    assert counts(db) == before


def test_an_appendix_shows_each_tasks_status_and_explanation(office, db):
    text = document_text(APPENDIX_001)
    before = counts(db)
    token = token_of(upload(office, kind="appendix", text=text, period="2023-Q1"))
    page = office.get(f"{IMPORT}/{token}").get_data(as_text=True)
    assert [a for a, _ in rows(page)] == ["unchanged"] * 10
    assert "Tình trạng và giải trình" in page
    assert page.count('data-testid="task-status"') == 10
    assert "báo cáo kỳ 2023-Q1" in page
    response = confirm(office, token)
    assert response.status_code == 302
    db.expire_all()
    assert counts(db) == before


# -- agencies, and confirming twice -----------------------------------------------------------
def test_an_unknown_agency_is_proposed_and_created_only_when_ticked(office, db):
    before = counts(db)
    token = token_of(upload(office, text=SMALL_NOTICE, number="71/TB-UBND"))
    page = office.get(f"{IMPORT}/{token}").get_data(as_text=True)
    assert 'data-testid="new-agencies"' in page
    assert "Sở Du lịch thử nghiệm" in page
    assert [a for a, _ in rows(page)] == ["create", "create"]

    refused = confirm(office, token)
    assert refused.status_code == 422
    assert "Tạo các cơ quan này" in refused.get_data(as_text=True)
    db.expire_all()
    assert counts(db) == before

    response = confirm(office, token, create_agencies="y")
    assert response.status_code == 302
    db.expire_all()
    agency = db.scalar(select(Agency).where(Agency.name == "Sở Du lịch thử nghiệm"))
    assert agency is not None
    directive = db.scalar(select(Directive).where(Directive.number == "71/TB-UBND"))
    assert {t.lead_agency.name for t in directive.tasks} == {"Sở Tài chính", agency.name}
    flashed = office.get(response.headers["Location"]).get_data(as_text=True)
    assert "Sở Du lịch thử nghiệm" in flashed  # "New agencies created: …"

    # The same confirmation sent again is refused, and writes nothing.
    after = counts(db)
    again = confirm(office, token, create_agencies="y")
    assert again.status_code == 409
    assert 'data-testid="import-done"' in again.get_data(as_text=True)
    db.expire_all()
    assert counts(db) == after


def test_a_new_agency_can_be_matched_to_an_existing_one_instead(office, db):
    token = token_of(upload(office, text=SMALL_NOTICE, number="72/TB-UBND"))
    page = office.get(f"{IMPORT}/{token}").get_data(as_text=True)
    assert 'value="new" selected' in page
    culture = db.scalar(select(Agency).where(Agency.name == "Sở Tài chính"))
    other = db.scalar(select(Agency).where(Agency.active.is_(True), Agency.id != culture.id))
    response = confirm(office, token, **{"t1-lead": str(other.id)})
    assert response.status_code == 302  # no new agency left: no box to tick
    db.expire_all()
    assert db.scalar(select(Agency).where(Agency.name == "Sở Du lịch thử nghiệm")) is None
    directive = db.scalar(select(Directive).where(Directive.number == "72/TB-UBND"))
    assert {t.lead_agency_id for t in directive.tasks} == {culture.id, other.id}


def test_bad_edits_are_shown_in_their_row_and_nothing_is_written(office, db):
    token = token_of(upload(office, text=SMALL_NOTICE, number="73/TB-UBND"))
    before = counts(db)
    response = confirm(
        office, token, create_agencies="y", **{"t0-title": "  ", "t1-lead": "99999999"}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert page.count('data-testid="row-error"') == 2
    assert "Hãy nhập tên nhiệm vụ." in page
    db.expire_all()
    assert counts(db) == before
    # The upload is still there, to correct and confirm.
    assert confirm(office, token, create_agencies="y").status_code == 302


def test_another_users_upload_is_not_found(office, app, db, make_user):
    token = token_of(upload(office, text=SMALL_NOTICE))
    make_user(Role.ADMIN, "import-admin")
    other = app.test_client()
    with freeze_time(SEEDED_ON):
        login(other, "import-admin")
        assert other.get(f"{IMPORT}/{token}").status_code == 404
        response = other.post(
            f"{IMPORT}/{token}/confirm",
            data={"csrf_token": csrf_token(other, IMPORT), "create_agencies": "y"},
        )
    assert response.status_code == 404


def test_a_discarded_upload_is_gone(office, import_dir):
    token = token_of(upload(office, text=SMALL_NOTICE))
    assert stored_files(import_dir)
    response = office.post(
        f"{IMPORT}/{token}/discard", data={"csrf_token": csrf_token(office, f"{IMPORT}/{token}")}
    )
    assert response.status_code == 302
    assert stored_files(import_dir) == []
    assert office.get(f"{IMPORT}/{token}").status_code == 404


def test_an_upload_expires_after_a_day(office, client):
    token = token_of(upload(office, text=SMALL_NOTICE))
    with freeze_time("2025-04-01 01:00:00"):
        assert client.get(f"{IMPORT}/{token}").status_code == 404


# -- refusals: each clear, none writing anything ----------------------------------------------
@pytest.mark.parametrize(
    ("kind", "file", "message"),
    [
        ("notice", ("trong.txt", b""), "Tệp không có nội dung."),
        ("notice", ("trong.txt", b"   \n\n "), "Tệp không có nội dung."),
        ("plan", ("kehoach.docx", _docx_without_table()), "Tệp Word không có bảng"),
        ("notice", ("anh.pdf", b"%PDF-1.4 ..."), "Không nhập được tệp loại “pdf”"),
        ("plan", ("hong.xlsx", b"PK\x03\x04 not a workbook"), "Excel"),
    ],
)
def test_unreadable_files_are_refused_clearly(office, db, import_dir, kind, file, message):
    before = counts(db)
    response = upload(office, kind=kind, file=file)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'data-testid="import-error"' in page
    assert message in page
    assert stored_files(import_dir) == []
    db.expire_all()
    assert counts(db) == before


def test_the_form_asks_for_a_file_or_a_text_and_an_appendix_period(office):
    response = upload(office)
    assert response.status_code == 400
    assert "Hãy chọn tệp hoặc dán nội dung văn bản." in response.get_data(as_text=True)
    response = upload(office, kind="appendix", text="1. Nhiệm vụ")
    assert response.status_code == 400
    assert "2023-Q1" in response.get_data(as_text=True)


def test_a_file_over_20_mb_is_refused_with_the_limit(office, app, db, import_dir):
    limit = app.config["IMPORT_MAX_BYTES"]
    assert limit == 20 * 1024 * 1024
    before = counts(db)
    response = upload(office, file=("lon.txt", b"a" * (limit + 200_000)))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "20.2 MB" in page
    assert "20.0 MB" in page
    assert stored_files(import_dir) == []
    # Bigger than the request limit: Werkzeug's 413, as a page that says the limit.
    response = upload(office, file=("rat-lon.txt", b"a" * (limit + 2 * 1024 * 1024)))
    assert response.status_code == 413
    assert "20 MB" in response.get_data(as_text=True)
    db.expire_all()
    assert counts(db) == before


def test_a_pasted_text_over_the_form_limit_gets_a_clear_page(office, db):
    response = upload(office, text="Nội dung " * 60_000)
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "500 KB" in page
    assert "gửi dưới dạng tệp" in page


# -- tables with other columns ----------------------------------------------------------------
ODD_PLAN = [
    ["Thứ tự", "Việc cần làm", "Đơn vị làm", "Khi nào xong"],
    ["1", "Xây dựng kho dữ liệu thống kê dùng chung", "Sở Tài chính", "Quý IV năm 2099"],
    ["2", "Đào tạo cán bộ phụ trách thống kê", "Sở Nội vụ", "Năm 2099"],
]


def test_a_workbook_with_unknown_columns_asks_for_a_mapping(office, db):
    response = upload(office, kind="plan", file=("kehoach.xlsx", _workbook(ODD_PLAN)))
    token = token_of(response)
    page = office.get(f"{IMPORT}/{token}").get_data(as_text=True)
    assert 'data-testid="import-problem"' in page
    assert 'data-testid="mapping-form"' in page
    assert "Cột 2: Việc cần làm" in page
    assert rows(page) == []
    assert 'data-testid="import-confirm"' not in page

    mapping = {"mapping": "1", "col-outline": "0", "col-title": "1", "col-lead": "2"}
    response = rebuild(office, token, **mapping, **{"col-deadline": "3"})
    assert response.status_code == 302
    page = office.get(f"{IMPORT}/{token}").get_data(as_text=True)
    assert [a for a, _ in rows(page)] == ["create", "create"]
    assert "Xây dựng kho dữ liệu thống kê dùng chung" in page
    assert "31/12/2099" in page

    # The workbook names no directive: its subject is asked for, then the import goes through.
    assert confirm(office, token).status_code == 422
    subject = "Kế hoạch thống kê thử nghiệm"
    rebuild(office, token, subject=subject, directive_kind="plan", number="9/KH-UBND")
    response = confirm(office, token)
    assert response.status_code == 302
    db.expire_all()
    directive = db.scalar(select(Directive).where(Directive.number == "9/KH-UBND"))
    assert directive.summary == subject
    assert sorted(t.outline for t in directive.tasks) == ["1", "2"]


def test_a_wrong_mapping_is_refused_and_the_form_stays(office):
    token = token_of(upload(office, kind="plan", file=("kehoach.xlsx", _workbook(ODD_PLAN))))
    response = rebuild(office, token, mapping="1", **{"col-title": "1"})
    assert response.status_code == 302
    page = office.get(f"{IMPORT}/{token}").get_data(as_text=True)
    assert 'data-testid="mapping-form"' in page
    assert rebuild(office, token, mapping="1", **{"col-nothing": "1"}).status_code == 302
    assert rebuild(office, token, mapping="1", **{"col-title": "abc"}).status_code == 302


# -- legacy encodings -------------------------------------------------------------------------
def test_legacy_tcvn3_text_is_flagged_then_converted_on_request(office, db):
    data = to_tcvn3(LEGACY_NOTICE).encode("cp1252")
    token = token_of(upload(office, file=("tb-cu.txt", data), number="74/TB-UBND"))
    page = office.get(f"{IMPORT}/{token}").get_data(as_text=True)
    assert "TCVN3" in page
    assert 'data-testid="convert-tcvn3"' in page
    assert rows(page) == []  # unreadable as it is: nothing is guessed

    response = rebuild(office, token, convert="tcvn3", subject="Kết luận thử nghiệm bảng mã cũ")
    assert response.status_code == 302
    page = office.get(f"{IMPORT}/{token}").get_data(as_text=True)
    assert 'data-testid="legacy-converted"' in page
    assert "Nghiên cứu, hoàn chỉnh dự thảo kế hoạch chuyển đổi số năm 2024" in page
    assert len(rows(page)) == 3
    assert confirm(office, token).status_code == 302


def test_legacy_cells_warn_and_need_a_decision_before_confirming(office, db):
    workbook = _workbook(
        [
            ["STT", "Nội dung công việc", "Chủ trì", "TG hoàn thành"],
            ["1", to_vni("Rà soát chế độ báo cáo thống kê cấp tỉnh"), "Sở Nội vụ", "2099"],
            ["2", to_vni("Cập nhật cơ sở dữ liệu dùng chung"), "Sở Nội vụ", "2099"],
        ]
    )
    response = upload(office, kind="plan", file=("kh.xlsx", workbook), number="10/KH-UBND")
    token = token_of(response)
    rebuild(office, token, subject="Kế hoạch thử bảng mã VNI", directive_kind="plan")
    page = office.get(f"{IMPORT}/{token}").get_data(as_text=True)
    assert 'data-testid="legacy-warning"' in page
    assert "Raø soaùt" in page
    before = counts(db)
    refused = confirm(office, token)
    assert refused.status_code == 422
    assert "VNI" in refused.get_data(as_text=True)
    db.expire_all()
    assert counts(db) == before

    rebuild(office, token, convert="vni")
    page = office.get(f"{IMPORT}/{token}").get_data(as_text=True)
    assert "Rà soát chế độ báo cáo thống kê cấp tỉnh" in page
    assert confirm(office, token).status_code == 302


# -- who may -----------------------------------------------------------------------------------
@pytest.mark.parametrize("role", [Role.DEPARTMENT, Role.LEADER])
def test_only_the_office_and_administrators_import(client, db, make_user, role):
    agency = db.scalar(select(Agency).where(Agency.name == "Sở Tài chính"))
    make_user(role, "import-other", agency if role == Role.DEPARTMENT else None)
    login(client, "import-other")
    assert client.get(IMPORT).status_code == 403
    response = client.post(
        IMPORT,
        data={"csrf_token": csrf_token(client, "/notifications/"), "kind": "notice", "text": "x"},
    )
    assert response.status_code == 403
    listing = client.get("/directives/").get_data(as_text=True)
    assert 'data-testid="import-directive"' not in listing


def test_the_directive_list_offers_the_import_to_the_office(office):
    listing = office.get("/directives/").get_data(as_text=True)
    assert 'data-testid="import-directive"' in listing
    assert "Nhập từ văn bản" in listing


def test_a_stray_nul_character_in_a_file_never_reaches_the_database(office, db):
    data = SMALL_NOTICE.replace("Bố trí kinh phí", "Bố trí\x00 kinh phí").encode("utf-8")
    token = token_of(upload(office, file=("tb.txt", data), number="79/TB-UBND"))
    assert confirm(office, token, create_agencies="y").status_code == 302
    db.expire_all()
    directive = db.scalar(select(Directive).where(Directive.number == "79/TB-UBND"))
    assert all("\x00" not in task.title for task in directive.tasks)
