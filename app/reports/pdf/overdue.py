"""The chairperson's overdue list as a PDF: overdue tasks as of a day, grouped by lead agency."""

from __future__ import annotations

from typing import Final

from app.reports import texts
from app.reports.documents import OverdueReport, OverdueTask
from app.reports.layout import Cell, Doc, HeaderCell, Table
from app.reports.pdf.geometry import LANDSCAPE

# STT, task, deadline, due, days, supervisor (points); the explanation takes the rest.
OVERDUE_COLUMNS: Final = (30.0, 210.0, 80.0, 62.0, 48.0, 80.0)


def overdue_pdf(report: OverdueReport) -> bytes:
    """Overdue tasks as of a date, grouped by lead agency; landscape, header on every page."""
    doc = Doc(LANDSCAPE, report.title, report.built_at)
    top = doc.headings(
        [
            (doc.bold, 13, report.title, 0.85),
            (doc.italic, 12, texts.as_of(report.as_of), 1.0),
        ]
    )
    widths = [*OVERDUE_COLUMNS, doc.right - doc.left - sum(OVERDUE_COLUMNS)]
    header = [HeaderCell(i, i, 0, 0, t) for i, t in enumerate(texts.OVERDUE_HEADER_PDF)]
    table = Table(doc, widths, header, size=11, leading=13)
    table.start(top)
    for number, group in enumerate(report.groups, start=1):
        title = texts.OVERDUE_GROUP.format(agency=group.agency, n=len(group.tasks))
        table.row(
            [
                table.cell(0, 0, texts.roman(number), doc.bold, "center"),
                table.cell(1, 6, title, doc.bold, "left"),
            ],
            keep=2,
        )
        for index, task in enumerate(group.tasks, start=1):
            table.row(_overdue_cells(table, doc, index, task))
    if not report.groups:
        table.row([table.cell(0, 6, texts.NO_OVERDUE, doc.italic, "center")])
    return doc.finish()


def _overdue_cells(table: Table, doc: Doc, index: int, task: OverdueTask) -> list[Cell]:
    if task.outline:
        name = f"{task.title}\n{texts.OVERDUE_OUTLINE.format(outline=task.outline)}"
    else:
        name = task.title
    face = doc.regular
    return [
        table.cell(0, 0, str(index), face, "center"),
        table.cell(1, 1, name, face, "justify"),
        table.cell(2, 2, task.deadline_text, face, "center"),
        table.cell(3, 3, f"{task.due:%d/%m/%Y}", face, "center"),
        table.cell(4, 4, str(task.days_overdue), face, "center"),
        table.cell(5, 5, task.supervisor, face, "left"),
        table.cell(6, 6, task.last_explanation, face, "justify"),
    ]
