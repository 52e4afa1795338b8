"""The workbook writers, read back with openpyxl and from the sheet XML (never the writer's own
constants: the expected texts are written out here)."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from datetime import datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from app.dashboard import xlsx as dashboard_xlsx
from app.imports.parsers.appendix import parse_appendix
from app.imports.parsers.tabular import xlsx_rows
from app.reports import xlsx as reports_xlsx
from app.reports.documents import AppendixSection, AppendixTask, Progress
from app.reports.xlsx import appendix_xlsx, overdue_xlsx, pieces
from tests.reports.seed_appendix import (
    VIETNAMESE,
    appendix_131,
    big_appendix,
    one_task_appendix,
    overdue_report,
    seed_sections,
)

FORMULAS = ['=HYPERLINK("http://x.example","bấm")', "+1", "-x", "@x"]


def _book(body: bytes):
    return load_workbook(BytesIO(body))


def _header_row(sheet) -> int:
    return next(c.row for c in sheet["A"] if c.value == "STT")


def _tasks(sheet) -> list[tuple]:
    """Rows below the two header rows that hold a task (an STT and a name)."""
    top = _header_row(sheet) + 2
    return [row for row in sheet.iter_rows(min_row=top, values_only=True) if row[0] and row[1]]


def _merged(sheet) -> set[str]:
    return {str(r) for r in sheet.merged_cells.ranges}


def _sheet_xml(body: bytes, number: int = 1) -> str:
    with zipfile.ZipFile(BytesIO(body)) as archive:
        return archive.read(f"xl/worksheets/sheet{number}.xml").decode()


@pytest.fixture(scope="module")
def seed_xlsx() -> bytes:
    return appendix_xlsx(appendix_131())


@pytest.fixture(scope="module")
def sheet(seed_xlsx):
    return _book(seed_xlsx)["Phụ lục"]


# -- the appendix sheet -------------------------------------------------------------------------
def test_two_sheets(seed_xlsx):
    assert _book(seed_xlsx).sheetnames == ["Phụ lục", "Tổng hợp"]


def test_titles_above_the_table(sheet):
    top = _header_row(sheet)
    titles = [sheet.cell(row=r, column=1).value for r in range(1, top)]
    assert titles[:3] == [
        "Phụ lục",
        "Tình hình, tiến độ thực hiện các nhiệm vụ triển khai Nghị quyết số 131/NQ-CP trên "
        "địa bàn tỉnh Bình Định",
        "(Kèm theo Công văn số      /UBND-KSTT ngày     tháng 03 năm 2023 của Chủ tịch UBND tỉnh)",
    ]
    assert sheet["A1"].font.b
    assert sheet["A2"].font.b
    assert sheet["A3"].font.i
    assert {"A1:F1", "A2:F2", "A3:F3"} <= _merged(sheet)


def test_two_header_rows_with_their_merges(sheet):
    top = _header_row(sheet)
    first = [c.value for c in sheet[top]]
    second = [c.value for c in sheet[top + 1]]
    assert first == [
        "STT",
        "Tên nhiệm vụ",
        "Thời hạn hoàn thành",
        "Tiến độ thực hiện (X)",
        None,
        "Nội dung giải trình cụ thể",
    ]
    assert second == [None, None, None, "Hoàn thành", "Đang tiếp tục thực hiện", None]
    a, b = top, top + 1
    assert {f"A{a}:A{b}", f"B{a}:B{b}", f"C{a}:C{b}", f"D{a}:E{a}", f"F{a}:F{b}"} <= _merged(sheet)
    assert all(c.font.b for c in sheet[top] + sheet[top + 1] if c.value)


def test_print_setup_landscape_a4_header_rows_repeated(sheet):
    top = _header_row(sheet)
    assert sheet.print_title_rows == f"${top}:${top + 1}"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.freeze_panes == f"A{top + 2}"


def test_times_new_roman_wrapped_and_sensible_widths(sheet):
    cells = [c for row in sheet.iter_rows(min_row=_header_row(sheet)) for c in row if c.value]
    assert {c.font.name for c in cells} == {"Times New Roman"}
    assert all(c.alignment.wrap_text for c in cells)
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDEF"]
    stt, name, deadline, done, going, explanation = widths
    assert explanation > name > deadline > stt
    assert min(done, going) > stt


def test_section_rows_merged_across_in_bold(sheet):
    rows = [c.row for c in sheet["A"] if str(c.value or "").startswith(("I.", "II.", "III."))]
    assert [sheet.cell(row=r, column=1).value for r in rows] == [
        f"{s['number']}. {s['title']}" for s in seed_sections()
    ]
    for row in rows:
        assert f"A{row}:F{row}" in _merged(sheet)
        assert sheet.cell(row=row, column=1).font.b


def test_seed_appendix_round_trip_word_for_word(sheet):
    status = {("Một phần", "X"): "partial", ("X", "-"): "completed", ("-", "X"): "in_progress"}
    got = [(r[0], r[1], r[2], status[(r[3], r[4])], r[5]) for r in _tasks(sheet)]
    expected = [
        (t["outline"], t["title"], t["deadline"], t["status"], t["explanation"])
        for s in seed_sections()
        for t in s["tasks"]
    ]
    assert len(got) == 10
    assert got == expected


def test_the_appendix_importer_reads_the_export_back(seed_xlsx):
    rows = xlsx_rows(BytesIO(seed_xlsx))
    top = next(i for i, row in enumerate(rows) if row and row[0] == "STT")
    parsed = parse_appendix(rows[top:])
    assert [(r.section_number, r.stt, r.name, r.status, r.explanation) for r in parsed] == [
        (s["number"], t["outline"], t["title"], t["status"], t["explanation"])
        for s in seed_sections()
        for t in s["tasks"]
    ]


def test_progress_marks_sit_in_their_columns():
    tasks = tuple(
        AppendixTask(str(i), f"Nhiệm vụ {p.value}", "Tháng 6/2023", p)
        for i, p in enumerate(Progress, start=1)
    )
    body = appendix_xlsx(appendix_131(sections=(AppendixSection("I", "Nhóm", tasks),)))
    marks = {r[1]: (r[3], r[4]) for r in _tasks(_book(body)["Phụ lục"])}
    assert marks == {
        "Nhiệm vụ completed": ("X", "-"),
        "Nhiệm vụ partial": ("Một phần", "X"),
        "Nhiệm vụ in_progress": ("-", "X"),
    }


@pytest.mark.parametrize("name", FORMULAS)
def test_formula_like_names_are_text(name):
    body = appendix_xlsx(one_task_appendix(AppendixTask("1", name, name, Progress.PARTIAL, name)))
    sheet = _book(body)["Phụ lục"]
    (row,) = [r for r in sheet.iter_rows(min_row=_header_row(sheet) + 2) if r[0].value == "1"]
    for cell in (row[1], row[2], row[5]):
        assert cell.data_type == "s"
        assert cell.value == "'" + name
    assert re.search(r"<f[ >]", _sheet_xml(body)) is None


def test_every_vietnamese_letter_comes_back_in_nfc():
    decomposed = unicodedata.normalize("NFD", VIETNAMESE)
    task = AppendixTask("1", decomposed, decomposed, Progress.COMPLETED, VIETNAMESE)
    sheet = _book(appendix_xlsx(one_task_appendix(task, title=decomposed)))["Phụ lục"]
    (row,) = _tasks(sheet)
    assert row[1] == row[2] == row[5] == VIETNAMESE
    assert sheet["A2"].value == VIETNAMESE


def test_a_20000_character_explanation_is_intact():
    explanation = ("Ủy ban nhân dân tỉnh đã chỉ đạo triển khai.\n" * 500)[:20_000]
    task = AppendixTask("1", "Nhiệm vụ", "Thường xuyên", Progress.IN_PROGRESS, explanation)
    (row,) = _tasks(_book(appendix_xlsx(one_task_appendix(task)))["Phụ lục"])
    assert row[5] == explanation


def test_text_past_a_cells_limit_goes_on_continuation_rows():
    explanation = "\n".join(f"{i}. Giải trình dòng {i} " + "x" * 80 for i in range(800))
    assert len(explanation) > 2 * 32_767
    task = AppendixTask("7", "Nhiệm vụ dài", "Tháng 6/2023", Progress.PARTIAL, explanation)
    sheet = _book(appendix_xlsx(one_task_appendix(task)))["Phụ lục"]
    start = next(c.row for c in sheet["A"] if c.value == "7")
    rows = list(sheet.iter_rows(min_row=start, values_only=True))
    assert len(rows) == 3
    assert [r[0] for r in rows] == ["7", None, None]  # STT only on the task's first row
    assert all(len(r[5]) <= 32_767 for r in rows)
    assert "\n".join(r[5] for r in rows) == explanation


def test_pieces_without_line_ends_cut_mid_line():
    text = "a" * 70_000
    parts = pieces(text)
    assert "".join(parts) == text
    assert max(len(p) for p in parts) < 32_767


def test_summary_sheet(seed_xlsx):
    sheet = _book(seed_xlsx)["Tổng hợp"]
    rows = [r for r in sheet.iter_rows(values_only=True) if any(v is not None for v in r)]
    assert rows[0][0] == "Tổng hợp tình hình thực hiện nhiệm vụ theo cơ quan chủ trì"
    assert rows[1:] == [
        (
            "STT",
            "Cơ quan chủ trì",
            "Hoàn thành đúng hạn",
            "Hoàn thành quá hạn",
            "Đang thực hiện trong hạn",
            "Quá hạn",
            "Không có thời hạn",
            "Tổng số",
        ),
        (1, "Văn phòng UBND tỉnh", 4, 1, 2, 1, 0, 8),
        (2, "Sở Thông tin và Truyền thông", 2, 0, 1, 0, 2, 5),
        ("Tổng cộng", None, 6, 1, 3, 1, 2, 13),
    ]
    assert sheet.page_setup.paperSize == 9


def test_same_appendix_same_bytes_dated_from_built_at(seed_xlsx):
    assert appendix_xlsx(appendix_131()) == seed_xlsx
    properties = _book(seed_xlsx).properties
    assert (properties.created, properties.modified) == (datetime(2023, 3, 20, 2, 30),) * 2
    assert properties.title.startswith("Tình hình, tiến độ")
    with zipfile.ZipFile(BytesIO(seed_xlsx)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2023, 3, 20, 2, 30, 0)}


def test_without_built_at_still_the_same_bytes():
    first = appendix_xlsx(appendix_131(built_at=None))
    assert appendix_xlsx(appendix_131(built_at=None)) == first
    # openpyxl's reader would make up today's date for missing ones: read the XML itself
    with zipfile.ZipFile(BytesIO(first)) as archive:
        core = archive.read("docProps/core.xml").decode()
    assert "dcterms:created" not in core
    assert "dcterms:modified" not in core


def test_a_thousand_tasks_write_and_read_back():
    big = big_appendix()
    tasks = [t for section in big.sections for t in section.tasks]
    rows = _tasks(_book(appendix_xlsx(big))["Phụ lục"])

    def escaped(text: str) -> str:  # the random words include "-" and "+": kept as text
        return "'" + text if text[:1] in "=+-@" else text

    assert [(r[0], r[1], r[2], r[5]) for r in rows] == [
        (t.stt, escaped(t.name), t.deadline_text, escaped(t.explanation)) for t in tasks
    ]


# -- the overdue report ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def overdue_sheet():
    return _book(overdue_xlsx(overdue_report()))["Quá hạn"]


def test_overdue_grouped_by_agency(overdue_sheet):
    rows = list(overdue_sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Danh sách nhiệm vụ quá hạn"
    assert rows[1][0] == "Tính đến ngày 15/07/2024"
    top = _header_row(overdue_sheet)
    assert list(rows[top - 1]) == [
        "STT",
        "Nhiệm vụ",
        "Thời hạn",
        "Hạn hoàn thành",
        "Số ngày quá hạn",
        "Lãnh đạo theo dõi",
        "Giải trình gần nhất",
    ]
    body = rows[top:]
    assert body == [
        ("Sở Tài chính", None, None, None, None, None, None),
        (
            1,
            "Tham mưu bố trí kinh phí số hóa hồ sơ",
            "Tháng 5/2024",
            datetime(2024, 5, 31),
            45,
            "Nguyễn Tuấn Thanh",
            "Đang chờ ý kiến của Bộ Tài chính.\nDự kiến quý III.",
        ),
        (
            2,
            '\'=HYPERLINK("http://example.com","bấm")',
            "Trước ngày 30/6/2024",
            datetime(2024, 6, 30),
            15,
            None,
            None,
        ),
        ("Sở Thông tin và Truyền thông", None, None, None, None, None, None),
        (
            3,
            "Hoàn thiện Hệ thống thông tin báo cáo của tỉnh",
            "Tháng 6/2023",
            datetime(2023, 6, 30),
            381,
            "Lâm Hải Giang",
            "'- Đã kết nối thử nghiệm.",
        ),
    ]
    groups = [top + 1, top + 4]
    for row in groups:
        assert f"A{row}:G{row}" in _merged(overdue_sheet)
        assert overdue_sheet.cell(row=row, column=1).font.b


def test_overdue_due_dates_are_date_cells(overdue_sheet):
    dates = [c for c in overdue_sheet["D"] if isinstance(c.value, datetime)]
    assert len(dates) == 3
    assert {c.number_format for c in dates} == {"DD/MM/YYYY"}
    assert {c.data_type for c in overdue_sheet["E"] if isinstance(c.value, int)} == {"n"}


def test_overdue_print_setup(overdue_sheet):
    top = _header_row(overdue_sheet)
    assert overdue_sheet.print_title_rows == f"${top}:${top}"
    assert overdue_sheet.page_setup.orientation == "landscape"


def test_same_overdue_report_same_bytes():
    assert overdue_xlsx(overdue_report()) == overdue_xlsx(overdue_report())
    assert re.search(r"<f[ >]", _sheet_xml(overdue_xlsx(overdue_report()))) is None


# -- one neutralise for every export ---------------------------------------------------------
def test_the_dashboard_uses_the_shared_neutralise():
    assert dashboard_xlsx.neutralise is reports_xlsx.neutralise
    assert dashboard_xlsx.XLSX_MIMETYPE is reports_xlsx.XLSX_MIMETYPE
