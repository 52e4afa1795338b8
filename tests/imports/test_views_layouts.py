"""The preview page for documents of other layouts: where each task is, what to check, the
tasks-to-check filter, and the columns read with the form that changes them. The documents
are the corpus's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import csrf_token
from tests.imports.parsers.test_table_layouts import TT_01, TT_03
from tests.imports.test_layout_previews import corpus_text
from tests.imports.test_views import IMPORT, rebuild, rows, token_of, upload


@pytest.fixture(autouse=True)
def import_dir(app, tmp_path, monkeypatch) -> Path:
    """Each test keeps its uploads in its own directory."""
    directory = tmp_path / "imports"
    monkeypatch.setitem(app.config, "IMPORT_DIR", str(directory))
    return directory


# The clock stopped at the seeded day (conftest's `moment`) before the office logs in.
pytestmark = pytest.mark.usefixtures("frozen")


FLAG = re.compile(r'data-testid="task-flag"')
PLACE = re.compile(r'data-testid="task-place"><i class="bi bi-geo"></i> ([^<]+)</div>')


def page_of(client, token: str, query: str = "") -> str:
    response = client.get(f"{IMPORT}/{token}{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_each_task_says_where_it_is_and_what_to_check(office, db):
    text = corpus_text("notices/10_cd_149_ttg_2025.txt")
    token = token_of(upload(office, text=text, number="149/CĐ-TTg", reference="2025-08-28"))
    page = page_of(office, token)
    assert PLACE.findall(page)[:3] == ["dòng 8", "dòng 12", "dòng 14"]
    assert "Cơ quan chưa có trong danh mục: hãy chọn cơ quan đã có, hoặc tạo mới." in page
    flagged = len(FLAG.findall(page))
    assert flagged >= 1
    assert 'data-testid="count-flagged"' in page

    only = page_of(office, token, "?flagged=1")
    assert 'data-testid="show-all"' in only
    assert len(rows(only)) < len(rows(page))
    assert len(rows(only)) == len({key for _, key in rows(only)})
    # A junk filter value shows every task, as without it.
    assert len(rows(page_of(office, token, "?flagged=%27%3Cscript%3E"))) == len(rows(page))


def test_a_fixed_lead_clears_the_flag_on_the_page(office, db):
    text = corpus_text("notices/12_quangtri_6202_ubnd_kt_2023.txt")
    token = token_of(upload(office, text=text, number="6202/UBND-KT", reference="2023-11-23"))
    page = page_of(office, token)
    assert "Cơ quan chưa có trong danh mục" in page
    select = page[page.index('name="t0-lead"') :]
    lead = re.search(r'<option value="(\d+)"', select)  # any agency of the list
    data = {"csrf_token": csrf_token(office, f"{IMPORT}/{token}"), "t0-lead": lead.group(1)}
    data["t0-title"] = "Giao Sở Tài nguyên và Môi trường chủ trì"
    data["t0-deadline_text"] = "Theo lộ trình"
    response = office.post(f"{IMPORT}/{token}/confirm", data=data)
    assert response.status_code == 422  # the agency of the coordinators is still to create
    edited = response.get_data(as_text=True)
    assert "Cơ quan chưa có trong danh mục" not in edited
    assert "Thời hạn không đọc được ngày: hãy sửa nếu văn bản có ghi." in edited


def test_the_columns_read_are_shown_and_can_be_changed(office, db):
    token = token_of(upload(office, kind="appendix", text=TT_01, period="2025-05"))
    page = page_of(office, token)
    assert 'data-testid="import-columns"' in page
    assert "Tiến độ / Tình hình thực hiện</strong> ← cột 6 “TIẾN ĐỘ”" in page
    assert 'data-testid="mapping-form"' in page
    assert re.search(r'name="col-status"[^>]*>.*?<option value="5" selected>', page, re.S)
    # Read again with the explanation taken from the product's column instead.
    mapping = {"mapping": "1", "col-stt": "0", "col-name": "1", "col-explanation": "2"}
    assert rebuild(office, token, **mapping).status_code == 302
    page = page_of(office, token)
    assert "Kết quả hiện nay / Nội dung giải trình</strong> ← cột 3 “KẾT QUẢ YÊU CẦU”" in page


def test_a_table_without_header_says_its_columns_were_guessed(office, db):
    token = token_of(upload(office, kind="plan", text=TT_03))
    page = page_of(office, token)
    assert "nhận biết theo nội dung ô: hãy kiểm tra" in page
    assert "Bảng không có dòng tiêu đề" in page
    assert [action for action, _ in rows(page)] == ["create"] * 3
