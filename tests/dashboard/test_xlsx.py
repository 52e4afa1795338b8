"""The overdue list as a spreadsheet, read back with openpyxl."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from io import BytesIO

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook

from app.dashboard.xlsx import XLSX_MIMETYPE, neutralise, overdue_workbook
from app.tasks.lists import TaskRow
from app.tasks.models import Status
from tests.fixtures.dashboard import ALPHA, BETA, FORMULA_TITLE, GAMMA, LEADER_A, LEADER_B
from tests.freeze import DASHBOARD_DAY

HEADER = [
    "Lead agency",
    "No.",
    "Task",
    "Deadline",
    "Due date in force",
    "Original due date",
    "Days overdue",
    "Status",
    "Last explanation",
    "Reported on",
    "Supervising leader",
]


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+84 912 345 678", "'+84 912 345 678"),
        ("- Rà soát văn bản", "'- Rà soát văn bản"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("Sở Tài chính", "Sở Tài chính"),
        ("1 = 1", "1 = 1"),  # only the first character matters
        (None, ""),
        ("bell\x07 inside", "bell inside"),  # characters a workbook cannot hold
    ],
)
def test_neutralise(value, safe):
    assert neutralise(value) == safe


def _sheet(body: bytes):
    return load_workbook(BytesIO(body)).worksheets[0]


def _download(client, query: str = ""):
    response = client.get(f"/dashboard/overdue.xlsx{query}")
    assert response.status_code == 200
    assert response.mimetype == XLSX_MIMETYPE
    return response


def test_download_reads_back_header_and_rows(as_user, dashboard_world):
    response = _download(as_user("office"), f"?directive={dashboard_world.directive.id}")
    disposition = response.headers["Content-Disposition"]
    assert disposition == 'attachment; filename="qua-han-2024-07-15.xlsx"'
    assert response.headers["Cache-Control"] == "private, no-store"
    sheet = _sheet(response.data)
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert sheet.freeze_panes == "A2"
    body = rows[1:]
    assert [(r[0], r[6]) for r in body] == [
        (BETA, 61),
        (BETA, 10),
        (BETA, 1),
        (ALPHA, 14),
        (GAMMA, 106),
    ]
    long_overdue = body[0]
    assert long_overdue[2] == "Nhiệm vụ beta_long_overdue"
    assert long_overdue[4] == datetime(2024, 5, 15)  # dates are dates, not text
    assert long_overdue[5] is None
    assert long_overdue[7] == "Partly done"
    assert long_overdue[8:] == ("Chờ ý kiến của Bộ.", datetime(2024, 6, 20), LEADER_B)
    extended = body[1]
    assert (extended[4], extended[5]) == (datetime(2024, 7, 5), datetime(2024, 5, 1))
    assert sheet["E2"].number_format == "DD/MM/YYYY"
    assert body[4][10] == LEADER_A


def test_a_title_starting_with_equals_is_text_not_a_formula(as_user, dashboard_world):
    body = _download(as_user("office"), f"?agency={dashboard_world.agencies[GAMMA].id}").data
    sheet = _sheet(body)
    (cell,) = [c for c in sheet["C"] if c.value and FORMULA_TITLE in str(c.value)]
    assert cell.data_type == "s"
    assert cell.value == "'" + FORMULA_TITLE
    with zipfile.ZipFile(BytesIO(body)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert re.search(r"<f[ >]", xml) is None  # no formula anywhere in the sheet


def test_download_follows_the_filters(as_user, dashboard_world):
    sheet = _sheet(_download(as_user("a"), f"?agency={dashboard_world.agencies[ALPHA].id}").data)
    titles = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles == ["Nhiệm vụ của kế hoạch khác", "Nhiệm vụ overdue"]  # 15/02, then 01/07


def test_download_of_an_empty_list_has_the_header_only(as_user, dashboard_world):
    sheet = _sheet(
        _download(
            as_user("office"),
            f"?agency={dashboard_world.agencies[BETA].id}&directive={dashboard_world.other_directive.id}",
        ).data
    )
    assert sheet.max_row == 1


def _row(**values) -> TaskRow:
    base = {
        "task_id": 1,
        "outline": "1",
        "title": "Nhiệm vụ",
        "agency_id": None,
        "agency_name": None,
        "deadline_text": "Tháng 6/2024",
        "due": date(2024, 6, 30),
        "original_due": None,
        "days": 15,
        "status": Status.IN_PROGRESS,
    }
    return TaskRow(**(base | values))


def test_a_cut_list_says_so_and_no_agency_is_named(app):
    with app.test_request_context(), force_locale("en"):
        body = overdue_workbook(
            [_row(), _row(task_id=2, outline="-", explanation="@ chờ")], DASHBOARD_DAY, total=7
        )
    rows = list(_sheet(body).iter_rows(values_only=True))
    assert rows[1][0] == "No lead agency"
    assert (rows[2][1], rows[2][8]) == ("'-", "'@ chờ")
    assert rows[-1][0] == "Only the first 2 of 7 overdue tasks are listed."
