"""The appendix and the overdue report as workbooks, and what every export shares.

Shared with the dashboard's list (app/dashboard/xlsx.py): `neutralise` (user text that a
spreadsheet would read as a formula), the date format, column widths and the print set-up.

Every user string goes through `neutralise`, so a task named "=HYPERLINK(…)" is stored as
text. A cell holds at most 32,767 characters: longer text goes on continuation rows (empty
STT), the way a table carried over to the next page is read back. Same input, same bytes:
workbook properties come from `built_at` and the zip entries carry one fixed timestamp.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from io import BytesIO
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from app.reports import texts
from app.reports.documents import Appendix, AppendixTask, OverdueReport
from app.reports.docx import stable_zip, utc_naive
from app.reports.texts import DEADLINE, DONE, EXPLANATION, GOING, NAME, PROGRESS, STT
from app.text import nfc

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these is read as a formula by spreadsheet programs (CSV/formula
# injection); tab and carriage return are added to the four of the rule for the same reason.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "DD/MM/YYYY"
CELL_LIMIT = 32_767  # characters a cell can hold in Excel

APPENDIX_WIDTHS = (6, 45, 16, 11, 13, 80)  # characters, as the DOCX's proportions
SUMMARY_WIDTHS = (6, 40, 13, 13, 15, 10, 13, 10)
OVERDUE_WIDTHS = (6, 60, 20, 13, 10, 24, 60)
_DATES = re.compile(rb"<dcterms:(created|modified)\b[^>]*>[^<]*</dcterms:\1>")

FONT = "Times New Roman"
_thin = Side(style="thin")
GRID = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
PLAIN, BOLD = Font(name=FONT, size=12), Font(name=FONT, size=12, bold=True)
TITLE, ITALIC = Font(name=FONT, size=13, bold=True), Font(name=FONT, size=13, italic=True)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
TOP_CENTRE = Alignment(horizontal="center", vertical="top", wrap_text=True)
TOP_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)
TOP_JUSTIFY = Alignment(horizontal="justify", vertical="top", wrap_text=True)


# -- shared with every export ---------------------------------------------------------------
def neutralise(value: str | None) -> str:
    """Text safe for a cell: a leading apostrophe before a formula start; illegal chars dropped."""
    text = ILLEGAL_CHARACTERS_RE.sub("", value or "")
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def set_widths(sheet: Worksheet, widths: Sequence[float]) -> None:
    """Column widths in characters, from column A."""
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def print_setup(sheet: Worksheet, title_rows: str, *, landscape: bool = True) -> None:
    """A4, one page wide, `title_rows` ("5:6") repeated on every page, numbered pages."""
    sheet.print_title_rows = title_rows
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    # Decree 30/2020/NĐ-CP margins (inches): top and bottom 20 mm, left 30 mm, right 15 mm.
    sheet.page_margins = PageMargins(left=1.18, right=0.59, top=0.79, bottom=0.79)
    sheet.oddFooter.center.text = "&P"


def _no_dates(name: str, data: bytes) -> bytes:
    """Core properties without created/modified (openpyxl cannot leave them out)."""
    if name != "docProps/core.xml":
        return data
    return _DATES.sub(b"", data)


def workbook_bytes(workbook: Workbook, built_at: datetime | None, **properties: str) -> bytes:
    """The .xlsx bytes, dated `built_at` throughout (no dates at all without it);
    `properties` such as title, subject.

    openpyxl's own `save` stamps the current time as the modification date: not used."""
    props = workbook.properties
    moment = utc_naive(built_at)
    props.created = props.modified = moment or datetime(1980, 1, 1)  # dropped below if None
    props.creator, props.lastModifiedBy, props.language = "", None, "vi-VN"
    for name, value in properties.items():
        setattr(props, name, ILLEGAL_CHARACTERS_RE.sub("", nfc(value) or "")[:255] or None)
    buffer = BytesIO()
    with ZipFile(buffer, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(workbook, archive).save()
    return stable_zip(buffer.getvalue(), built_at, None if moment else _no_dates)


def _text(value: str | None) -> str:
    """NFC text with "\n" line ends."""
    return (nfc(value) or "").replace("\r\n", "\n").replace("\r", "\n")


def pieces(value: str | None, limit: int = CELL_LIMIT - 1) -> list[str]:
    """`value` cut to fit cells (room left for neutralise's apostrophe), at line ends when
    a line end falls in the second half of a piece, else mid-line."""
    text, out = _text(value), []
    while len(text) > limit:
        cut = text.rfind("\n", limit // 2, limit)
        if cut == -1:
            out.append(text[:limit])
            text = text[limit:]
        else:
            out.append(text[:cut])
            text = text[cut + 1 :]
    out.append(text)
    return out


def _put(sheet: Worksheet, row: int, column: int, value: Any, font: Font, align: Alignment) -> None:
    cell = sheet.cell(row=row, column=column, value=value)
    cell.font, cell.alignment, cell.border = font, align, GRID


def _lines_needed(text: str, chars_per_line: float) -> int:
    per_line = max(1, int(chars_per_line))
    return sum(max(1, -(-len(line) // per_line)) for line in text.split("\n"))


def _band(
    sheet: Worksheet, row: int, text: str, widths: Sequence[float], font: Font, *, grid: bool
) -> None:
    """`text` merged across the columns of `widths` on `row`: a title (centred, no grid) or a
    section or group row. Merged cells never grow to fit their text, so the row is given the
    height the text needs (Times New Roman at 12-13 pt is a little wider than a width unit)."""
    value = neutralise(_text(text))
    cell = sheet.cell(row=row, column=1, value=value or None)
    cell.font = font
    cell.alignment = TOP_LEFT if grid else CENTRE
    if grid:
        for column in range(1, len(widths) + 1):
            sheet.cell(row=row, column=column).border = GRID
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(widths))
    lines = _lines_needed(value, sum(widths) * 0.85)
    if lines > 1 or not grid:
        sheet.row_dimensions[row].height = 17 * lines + 2


def _titles(sheet: Worksheet, lines: Iterable[tuple[str, Font]], widths: Sequence[float]) -> int:
    """Centred title rows; returns the next free row (after a blank one)."""
    row = 0
    for row, (text, font) in enumerate(lines, start=1):
        _band(sheet, row, text, widths, font, grid=False)
    return row + 2


# -- the appendix ---------------------------------------------------------------------------
def _appendix_header(sheet: Worksheet, top: int) -> None:
    """Two header rows: "Tiến độ thực hiện (X)" over its two columns, the rest merged down."""
    labels = {1: STT, 2: NAME, 3: DEADLINE, 4: PROGRESS, 6: EXPLANATION}
    for column in range(1, len(APPENDIX_WIDTHS) + 1):
        for row in (top, top + 1):
            _put(sheet, row, column, None, BOLD, CENTRE)
    for column, label in labels.items():
        sheet.cell(row=top, column=column, value=label)
    sheet.cell(row=top + 1, column=4, value=DONE)
    sheet.cell(row=top + 1, column=5, value=GOING)
    for column in (1, 2, 3, 6):
        sheet.merge_cells(start_row=top, start_column=column, end_row=top + 1, end_column=column)
    sheet.merge_cells(start_row=top, start_column=4, end_row=top, end_column=5)


class Mark(str):
    """Text of our own (an "X", a "-"): written as is, never neutralised."""

    __slots__ = ()


def _record(sheet: Worksheet, row: int, cells: Sequence[tuple[Any, Alignment]]) -> int:
    """One record from `row` on; returns the next free row.

    User text is neutralised and, past a cell's limit, carried on continuation rows whose
    other cells stay empty (so STT marks where a record starts)."""
    split = [
        pieces(value) if isinstance(value, str) and not isinstance(value, Mark) else [value]
        for value, _align in cells
    ]
    height = max(len(parts) for parts in split)
    for offset in range(height):
        for column, ((_value, align), parts) in enumerate(zip(cells, split, strict=True), 1):
            value = parts[offset] if offset < len(parts) else None
            if isinstance(value, str) and not isinstance(value, Mark):
                value = neutralise(value)
            _put(sheet, row + offset, column, value if value != "" else None, PLAIN, align)
    return row + height


def _task_rows(sheet: Worksheet, row: int, task: AppendixTask) -> int:
    """The task's row (and continuation rows for text past a cell's limit); the next row."""
    done, going = texts.MARKS[task.progress]
    cells = [
        (task.stt, TOP_CENTRE),
        (task.name, TOP_JUSTIFY),
        (task.deadline_text, TOP_CENTRE),
        (Mark(done), TOP_CENTRE),
        (Mark(going), TOP_CENTRE),
        (task.explanation, TOP_JUSTIFY),
    ]
    return _record(sheet, row, cells)


def _summary_sheet(workbook: Workbook, appendix: Appendix) -> None:
    sheet = workbook.create_sheet(texts.SUMMARY_SHEET)
    set_widths(sheet, SUMMARY_WIDTHS)
    top = _titles(sheet, [(texts.SUMMARY_TITLE, TITLE)], SUMMARY_WIDTHS)
    for column, label in enumerate(texts.SUMMARY_HEADER, start=1):
        _put(sheet, top, column, label, BOLD, CENTRE)
    fields = ("done_on_time", "done_late", "in_progress", "overdue", "no_deadline", "total")
    row = top
    for row, counts in enumerate(appendix.summary, start=top + 1):
        _put(sheet, row, 1, row - top, PLAIN, TOP_CENTRE)
        _put(sheet, row, 2, neutralise(_text(counts.agency)), PLAIN, TOP_LEFT)
        for column, field in enumerate(fields, start=3):
            _put(sheet, row, column, getattr(counts, field), PLAIN, TOP_CENTRE)
    row += 1
    _put(sheet, row, 1, texts.SUMMARY_TOTAL, BOLD, CENTRE)
    _put(sheet, row, 2, None, BOLD, CENTRE)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
    for column, field in enumerate(fields, start=3):
        total = sum(getattr(counts, field) for counts in appendix.summary)
        _put(sheet, row, column, total, BOLD, CENTRE)
    sheet.freeze_panes = sheet.cell(row=top + 1, column=1)
    print_setup(sheet, f"{top}:{top}")


def appendix_xlsx(appendix: Appendix) -> bytes:
    """The appendix as a workbook: sheet "Phụ lục" laid out as the DOCX (titles, two header
    rows repeated on every printed page, section rows, one row per task), then "Tổng hợp"
    with the counts per agency."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = texts.APPENDIX_HEADING
    set_widths(sheet, APPENDIX_WIDTHS)
    titles = [(appendix.heading, TITLE), (appendix.title, TITLE), (appendix.subtitle, ITALIC)]
    top = _titles(sheet, titles, APPENDIX_WIDTHS)
    _appendix_header(sheet, top)
    row = top + 2
    for section in appendix.sections:
        label = texts.section_label(_text(section.number), _text(section.title))
        _band(sheet, row, label, APPENDIX_WIDTHS, BOLD, grid=True)
        row += 1
        for task in section.tasks:
            row = _task_rows(sheet, row, task)
    sheet.freeze_panes = sheet.cell(row=top + 2, column=1)
    print_setup(sheet, f"{top}:{top + 1}")
    _summary_sheet(workbook, appendix)
    return workbook_bytes(
        workbook, appendix.built_at, title=appendix.title, subject=appendix.period_label
    )


# -- the overdue report ---------------------------------------------------------------------
def overdue_xlsx(report: OverdueReport) -> bytes:
    """Overdue tasks as of a day, grouped by lead agency: a group row per agency, then its
    tasks numbered on through the report, the due date a real date cell."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = texts.OVERDUE_SHEET
    set_widths(sheet, OVERDUE_WIDTHS)
    as_of = texts.as_of(report.as_of)
    top = _titles(sheet, [(report.title, TITLE), (as_of, ITALIC)], OVERDUE_WIDTHS)
    for column, label in enumerate(texts.OVERDUE_HEADER, start=1):
        _put(sheet, top, column, label, BOLD, CENTRE)
    row, number = top + 1, 0
    for group in report.groups:
        _band(sheet, row, group.agency, OVERDUE_WIDTHS, BOLD, grid=True)
        row += 1
        for task in group.tasks:
            number += 1
            cells = [
                (number, TOP_CENTRE),
                (task.title, TOP_JUSTIFY),
                (task.deadline_text, TOP_CENTRE),
                (task.due, TOP_CENTRE),
                (task.days_overdue, TOP_CENTRE),
                (task.supervisor, TOP_LEFT),
                (task.last_explanation, TOP_JUSTIFY),
            ]
            next_row = _record(sheet, row, cells)
            sheet.cell(row=row, column=4).number_format = DATE_FORMAT
            row = next_row
    sheet.freeze_panes = sheet.cell(row=top + 1, column=1)
    print_setup(sheet, f"{top}:{top}")
    return workbook_bytes(workbook, report.built_at, title=report.title, subject=as_of)
