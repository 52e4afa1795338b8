"""Readers for .xlsx and .docx tables: fixtures built from the YAML transcriptions of seeds 004
and 001 must parse to the same rows as the PDF text copies."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence

import pytest
from docx import Document
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from app.imports.parsers.appendix import parse_appendix
from app.imports.parsers.plan import parse_plan
from app.imports.parsers.tabular import docx_tables, render_cell, xlsx_rows
from tests.imports.parsers import test_appendix, test_plan

Cell = str | int | float | None
Merge = tuple[int, int, int, int]  # first row, first column, last row, last column (0-based)

PLAN_HEADER: list[list[Cell]] = [
    [
        "STT",
        "Nội dung công việc",
        "Mã số",
        "Cơ quan thực hiện",
        None,
        "Thời gian thực hiện",
        None,
        "Sản phẩm",
    ],
    [None, None, None, "Chủ trì", "Phối hợp", "TG bắt đầu", "TG hoàn thành", None],
    ["(A)", "(B)", "(C)", "(D)", "(E)", "(F)", "(G)", "(H)"],
]
PLAN_HEADER_MERGES = [
    (0, 0, 1, 0),
    (0, 1, 1, 1),
    (0, 2, 1, 2),
    (0, 3, 0, 4),
    (0, 5, 0, 6),
    (0, 7, 1, 7),
]
APPENDIX_HEADER: list[list[Cell]] = [
    [
        "STT",
        "Tên nhiệm vụ",
        "Thời hạn hoàn thành",
        "Tiến độ thực hiện (X)",
        None,
        "Nội dung giải trình cụ thể",
    ],
    [None, None, None, "Hoàn thành", "Đang tiếp tục thực hiện", None],
]
APPENDIX_HEADER_MERGES = [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 1, 2), (0, 3, 0, 4), (0, 5, 1, 5)]
MARKS = {"partial": ("Một phần", "X"), "completed": ("X", "-"), "in_progress": ("-", "X")}


def typed(value: str | None) -> Cell:
    """What an office user's Excel makes of what they type: numbers become numbers."""
    if value is None or not re.fullmatch(r"[1-9]\d*(?:\.\d+)?", value):
        return value
    return float(value) if "." in value else int(value)


def header(rows: list[list[Cell]], merges: list[Merge], at: int) -> tuple[list, list[Merge]]:
    return [list(r) for r in rows], [(a + at, b, c + at, d) for a, b, c, d in merges]


def plan_table(*, excel: bool) -> tuple[list[list[Cell]], list[Merge], dict[int, str]]:
    """The plan as an office lays it out: two header rows and a letters row, section rows
    merged across, the header repeated mid-table and one row's product split over two rows (a
    page break). In Excel (`excel`) numbers are typed as numbers and the codes' zeros come
    from the cell format; Word keeps the text as typed."""
    as_typed = typed if excel else (lambda value: value)
    rows, merges = header(PLAN_HEADER, PLAN_HEADER_MERGES, 0)
    formats: dict[int, str] = {}
    section = None
    for index, want in enumerate(test_plan.yaml_rows()):
        if index == 60:
            more, more_merges = header(PLAN_HEADER, PLAN_HEADER_MERGES, len(rows))
            rows += more
            merges += more_merges
        if want["section_number"] != section:
            section = want["section_number"]
            merges.append((len(rows), 1, len(rows), 7))
            rows.append([section, want["section_title"], *[None] * 6])
        code = want["code"]
        if excel and code.startswith("0"):
            formats[len(rows)] = "0" * len(code)
        product = want["product"]
        rest = None
        if want["outline"] == "1.3.1":
            product, rest = product.split("\n")
        rows.append(
            [
                as_typed(str(want["outline"])),
                want["title"],
                int(code) if excel else code,
                want["lead_text"],
                want["coordinators_text"],
                as_typed(want["start"]),
                as_typed(want["deadline"]),
                product,
            ]
        )
        if rest:
            rows.append([None] * 7 + [rest])
    return rows, merges, formats


def appendix_table() -> tuple[list[list[Cell]], list[Merge]]:
    """The appendix: a two-row header with "Tiến độ thực hiện (X)" over two columns, section
    rows merged across, the header repeated mid-table, task 5 split over two rows mid-sentence
    in its name and between paragraphs in its explanation."""
    rows, merges = header(APPENDIX_HEADER, APPENDIX_HEADER_MERGES, 0)
    section = None
    for want in test_appendix.yaml_tasks():
        if want["section_number"] == "III" and section != "III":
            more, more_merges = header(APPENDIX_HEADER, APPENDIX_HEADER_MERGES, len(rows))
            rows += more
            merges += more_merges
        if want["section_number"] != section:
            section = want["section_number"]
            merges.append((len(rows), 1, len(rows), 5))
            rows.append([section, want["section_title"], None, None, None, None])
        done, going = MARKS[want["status"]]
        name, explanation = want["title"], want["explanation"]
        split = None
        if want["outline"] == "5":
            words, paragraphs = name.split(" "), explanation.split("\n")
            split = [" ".join(words[20:]), "\n".join(paragraphs[1:])]
            name, explanation = " ".join(words[:20]), paragraphs[0]
        rows.append([int(want["outline"]), name, want["deadline"], done, going, explanation])
        if split:
            rows.append([None, split[0], None, None, None, split[1]])
    return rows, merges


def to_xlsx(rows: list[list[Cell]], merges: list[Merge], formats: dict[int, str] | None = None):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Kế hoạch"
    workbook.create_sheet("Ghi chú").append(["không phải bảng"])
    for row in rows:
        sheet.append(row)
    for row_index, number_format in (formats or {}).items():
        sheet.cell(row=row_index + 1, column=3).number_format = number_format
    for first_row, first_col, last_row, last_col in merges:
        sheet.merge_cells(
            f"{get_column_letter(first_col + 1)}{first_row + 1}:"
            f"{get_column_letter(last_col + 1)}{last_row + 1}"
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def to_docx(rows: list[list[Cell]], merges: list[Merge]):
    document = Document()
    document.add_paragraph("Phụ lục")
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for row, table_row in zip(rows, table.rows, strict=True):
        for value, cell in zip(row, table_row.cells, strict=True):
            if value is None:
                continue
            first, *more = str(value).split("\n")
            cell.text = first
            for line in more:
                cell.add_paragraph(line)
    for first_row, first_col, last_row, last_col in merges:
        table.cell(first_row, first_col).merge(table.cell(last_row, last_col))
    document.add_table(rows=1, cols=2).cell(0, 0).text = "Nơi nhận"
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    return buffer


def assert_plan_matches_text_import(rows: Sequence) -> None:
    """Row for row the text import (the table is built from the hand-checked YAML)."""
    from_text = parse_plan(test_plan.seed_text())
    assert len(rows) == len(from_text) == 125
    for got, want in zip(rows, from_text, strict=True):
        assert without_place(got.to_dict()) == without_place(want.to_dict()), got.outline


def without_place(row: dict) -> dict:
    """A row's fields but where it is (a table's row number; no line in a text copy)."""
    return {key: value for key, value in row.items() if key not in ("page", "line")}


# -- plan -----------------------------------------------------------------------------------
def test_plan_from_xlsx_matches_the_text_import():
    rows, merges, formats = plan_table(excel=True)
    cells = xlsx_rows(to_xlsx(rows, merges, formats), sheet="Kế hoạch")
    assert cells[3][:3] == ["I", "CÁC NHÓM NHIỆM VỤ VÀ GIẢI PHÁP", "CÁC NHÓM NHIỆM VỤ VÀ GIẢI PHÁP"]
    assert cells[7][:3] == ["1.1.2.8", cells[7][1], "01128"]
    assert_plan_matches_text_import(parse_plan(cells))


def test_plan_from_docx_matches_the_text_import():
    rows, merges, _ = plan_table(excel=False)
    tables = docx_tables(to_docx(rows, merges))
    assert len(tables) == 2
    assert tables[0][1][0] == "STT"  # a vertical merge repeats its text
    assert_plan_matches_text_import(parse_plan(tables[0]))


# -- appendix -------------------------------------------------------------------------------
def test_appendix_from_xlsx_matches_the_text_import():
    rows, merges = appendix_table()
    cells = xlsx_rows(to_xlsx(rows, merges))
    assert cells[1][3:5] == ["Hoàn thành", "Đang tiếp tục thực hiện"]
    assert cells[0][3:5] == ["Tiến độ thực hiện (X)", "Tiến độ thực hiện (X)"]
    assert [without_place(r.to_dict()) for r in parse_appendix(cells)] == [
        without_place(r.to_dict()) for r in parse_appendix(test_appendix.seed_text())
    ]


def test_appendix_from_docx_matches_the_text_import():
    rows, merges = appendix_table()
    (table, _) = docx_tables(to_docx(rows, merges))
    assert [without_place(r.to_dict()) for r in parse_appendix(table)] == [
        without_place(r.to_dict()) for r in parse_appendix(test_appendix.seed_text())
    ]


# -- cells ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "number_format", "text"),
    [
        (2022, "General", "2022"),
        (2022.0, "General", "2022"),
        (1.1, "General", "1.1"),
        (1128, "00000", "01128"),
        (0.25, "0%", "25%"),
        (3.5, "0.00", "3.50"),
        (True, "General", "TRUE"),
        (dt.datetime(2022, 9, 15), "d/m/yyyy", "15/9/2022"),
        (dt.datetime(2022, 9, 15), "dd/mm/yyyy", "15/09/2022"),
        (dt.datetime(2022, 8, 1), "mm/yyyy", "08/2022"),
        (dt.datetime(2022, 9, 15), "mm-dd-yy", "15/09/2022"),
        (dt.datetime(2022, 9, 15, 16, 30), "dd/mm/yyyy hh:mm", "15/09/2022 16:30"),
        (dt.date(2023, 3, 20), "yyyy-mm-dd", "2023-03-20"),
        ("  ", "General", None),
        (None, "General", None),
    ],
)
def test_render_cell_as_typed(value, number_format, text):
    assert render_cell(value, number_format) == text


def test_xlsx_rows_resolves_merges_and_picks_sheets():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["STT", "Cơ quan thực hiện", None])
    sheet.append([None, "Chủ trì", "Phối hợp"])
    sheet.append([1, "Cục Thống kê", None])
    sheet.append([2, None, None])
    sheet.merge_cells("A1:A2")
    sheet.merge_cells("B1:C1")
    sheet.merge_cells("B3:B4")  # one lead for two rows
    workbook.create_sheet("Hai").append(["x", None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert xlsx_rows(io.BytesIO(buffer.getvalue())) == [
        ["STT", "Cơ quan thực hiện", "Cơ quan thực hiện"],
        ["STT", "Chủ trì", "Phối hợp"],
        ["1", "Cục Thống kê"],
        ["2", "Cục Thống kê"],
    ]
    assert xlsx_rows(io.BytesIO(buffer.getvalue()), sheet=1) == [["x"]]
    assert xlsx_rows(io.BytesIO(buffer.getvalue()), sheet="Hai") == [["x"]]


def test_readers_take_paths(tmp_path):
    rows, merges = appendix_table()
    xlsx, docx = tmp_path / "phu-luc.xlsx", tmp_path / "phu-luc.docx"
    xlsx.write_bytes(to_xlsx(rows, merges).getvalue())
    docx.write_bytes(to_docx(rows, merges).getvalue())
    assert parse_appendix(xlsx_rows(xlsx)) == parse_appendix(docx_tables(str(docx))[0])
