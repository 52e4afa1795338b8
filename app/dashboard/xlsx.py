"""The overdue list as a spreadsheet, built from the same rows as the page."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from app.labels import label
from app.reports.xlsx import DATE_FORMAT, neutralise, print_setup, set_widths
from app.reports.xlsx import XLSX_MIMETYPE as XLSX_MIMETYPE  # the views' import
from app.tasks.lists import TaskRow


def _columns() -> list[tuple[str, float]]:
    """Headers and widths (in characters), in the page's order."""
    return [
        (_("Lead agency"), 30),
        (_("No."), 8),
        (_("Task"), 60),
        (_("Deadline"), 20),
        (_("Due date in force"), 13),
        (_("Original due date"), 13),
        (_("Days overdue"), 10),
        (_("Status"), 14),
        (_("Last explanation"), 60),
        (_("Reported on"), 13),
        (_("Supervising leader"), 24),
    ]


def _values(row: TaskRow, no_agency: str) -> list[Any]:
    return [
        neutralise(row.agency_name or no_agency),
        neutralise(row.outline),
        neutralise(row.title),
        neutralise(row.deadline_text),
        row.due,
        row.original_due,
        row.days,
        label(row.status),
        neutralise(row.explanation),
        row.explained_on,
        neutralise(row.supervisor_name),
    ]


def overdue_workbook(rows: list[TaskRow], today: date, total: int | None = None) -> bytes:
    """An .xlsx of the overdue rows: bold frozen header, one row per task, agency in column A.

    `total` above the number of rows adds a closing line saying the list was cut."""
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = neutralise(_("Overdue"))[:31]
    columns = _columns()
    sheet.append([header for header, _width in columns])
    set_widths(sheet, [width for _header, width in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    no_agency = _("No lead agency")
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for row in rows:
        sheet.append(_values(row, no_agency))
        for cell in sheet[sheet.max_row]:
            cell.alignment = wrap if cell.column in (1, 3, 9) else top
            if isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
    sheet.auto_filter.ref = sheet.dimensions
    if total is not None and total > len(rows):
        note = _(
            "Only the first %(shown)d of %(total)d overdue tasks are listed.",
            shown=len(rows),
            total=total,
        )
        sheet.append([note])
    print_setup(sheet, "1:1")
    workbook.properties.title = f"{_('Overdue')} {today.isoformat()}"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
