"""The progress appendix (Phụ lục) of seed 001 as a PDF: the table of tasks by section, then a
summary page per lead agency with a bar chart."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Final

from reportlab.graphics import renderPDF
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors

from app.reports import texts
from app.reports.documents import AgencyCounts, Appendix, AppendixTask
from app.reports.layout import REGULAR, Cell, Doc, Face, HeaderCell, Table
from app.reports.pdf.geometry import LANDSCAPE

# STT, name, deadline, done, going (points); the explanation takes the rest of the width.
APPENDIX_COLUMNS: Final = (30.0, 212.0, 94.0, 56.0, 64.0)
# The chart's series: the four-way standing and no deadline, in the summary's order.
SERIES: Final = tuple(
    zip(
        texts.STANDINGS,
        (
            colors.HexColor("#2e7d32"),
            colors.HexColor("#9e9d24"),
            colors.HexColor("#1565c0"),
            colors.HexColor("#c62828"),
            colors.HexColor("#9e9e9e"),
        ),
        strict=True,
    )
)
CHART_AGENCIES: Final = 15


def appendix_pdf(appendix: Appendix) -> bytes:
    """The appendix of seed 001 as landscape A4, then a summary page per lead agency."""
    doc = Doc(LANDSCAPE, appendix.title, appendix.built_at)
    top = doc.headings(
        [
            (doc.bold, 13, appendix.heading, 1.0),
            (doc.bold, 13, appendix.title, 0.85),
            (doc.italic, 12, appendix.subtitle, 0.85),
        ]
    )
    widths = [*APPENDIX_COLUMNS, doc.right - doc.left - sum(APPENDIX_COLUMNS)]
    h = texts.APPENDIX_HEADER
    header = [
        HeaderCell(0, 0, 0, 1, h[0]),
        HeaderCell(1, 1, 0, 1, h[1]),
        HeaderCell(2, 2, 0, 1, h[2]),
        HeaderCell(3, 4, 0, 0, h[3]),
        HeaderCell(3, 3, 1, 1, h[4]),
        HeaderCell(4, 4, 1, 1, h[5]),
        HeaderCell(5, 5, 0, 1, h[6]),
    ]
    table = Table(doc, widths, header)
    table.start(top)
    for section in appendix.sections:
        table.row(
            [
                table.cell(0, 0, section.number, doc.bold, "center"),
                table.cell(1, 5, section.title, doc.bold, "left"),
            ],
            keep=2,
        )
        for task in section.tasks:
            table.row(_task_cells(table, doc, task))
    if appendix.summary:
        doc.new_page()
        _summary(doc, appendix)
    return doc.finish()


def _task_cells(table: Table, doc: Doc, task: AppendixTask) -> list[Cell]:
    done, ongoing = texts.MARKS[task.progress]
    return [
        table.cell(0, 0, task.stt, doc.regular, "center"),
        table.cell(1, 1, task.name, doc.regular, "justify"),
        table.cell(2, 2, task.deadline_text, doc.regular, "center"),
        table.cell(3, 3, done, doc.regular, "center"),
        table.cell(4, 4, ongoing, doc.regular, "center"),
        table.cell(5, 5, task.explanation, doc.regular, "justify"),
    ]


def _summary(doc: Doc, appendix: Appendix) -> None:
    top = doc.headings(
        [
            (doc.bold, 13, texts.SUMMARY_TITLE_PDF, 1.0),
            (doc.italic, 12, appendix.period_label, 1.0),
        ]
    )
    numbers = 6 * [62.0]
    widths = [30.0, doc.right - doc.left - 30.0 - sum(numbers), *numbers]
    header = [HeaderCell(i, i, 0, 0, text) for i, text in enumerate(texts.SUMMARY_HEADER)]
    table = Table(doc, widths, header)
    table.start(top)
    for index, counts in enumerate(appendix.summary, start=1):
        table.row(_count_cells(table, doc.regular, str(index), counts.agency, _counts(counts)))
    totals = [sum(_counts(c)[i] for c in appendix.summary) for i in range(6)]
    table.row(_count_cells(table, doc.bold, "", texts.SUMMARY_TOTAL, totals))
    chart_height = 60 + 22 * min(len(appendix.summary), CHART_AGENCIES)
    top = table.y - 16
    if top - doc.bottom < chart_height + 14:
        doc.new_page()
        top = doc.top - 13
    _chart(doc, appendix.summary, top, chart_height)


def _counts(counts: AgencyCounts) -> list[int]:
    return [
        counts.done_on_time,
        counts.done_late,
        counts.in_progress,
        counts.overdue,
        counts.no_deadline,
        counts.total,
    ]


def _count_cells(
    table: Table, face: Face, number: str, label: str, values: list[int]
) -> list[Cell]:
    cells = [table.cell(0, 0, number, face, "center"), table.cell(1, 1, label, face, "left")]
    cells += [table.cell(i, i, str(v), face, "center") for i, v in enumerate(values, start=2)]
    return cells


def _chart(doc: Doc, summary: Sequence[AgencyCounts], top: float, height: float) -> None:
    """Stacked horizontal bars of the four-way standing, for the agencies with most tasks."""
    shown = sorted(summary, key=lambda c: (-c.total, c.agency))[:CHART_AGENCIES]
    full = doc.right - doc.left
    label_width = 220.0
    cut = len(summary) > len(shown)
    note = texts.CHART_TOP.format(n=len(shown)) if cut else texts.CHART_ALL
    y = doc.centered(doc.italic, 11, note, top, full) + 4
    drawing = Drawing(full, height)
    # The renderer starts from reportlab's default font (a base-14 one) unless told otherwise.
    drawing.initialFontName, drawing.initialFontSize = REGULAR, 9
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width, 40
    chart.width, chart.height = full - label_width - 20, height - 50
    chart.data = [
        tuple(getattr(c, attr) for c in shown)
        for attr in ("done_on_time", "done_late", "in_progress", "overdue", "no_deadline")
    ]
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.reverseDirection = 1
    chart.categoryAxis.categoryNames = [
        doc.regular.fit(c.agency, 9, label_width - 10) for c in shown
    ]
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 9
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 9
    # Whole numbers of tasks on the axis, about eight steps.
    most = max([c.total for c in shown] + [1])
    step = max(1, math.ceil(most / 8))
    chart.valueAxis.valueMin, chart.valueAxis.valueStep = 0, step
    chart.valueAxis.valueMax = step * math.ceil(most / step)
    chart.barWidth = 14
    for index, (_label, color) in enumerate(SERIES):
        chart.bars[index].fillColor = color
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.fontName, legend.fontSize = REGULAR, 9
    legend.x, legend.y = 40, 14
    legend.columnMaximum = 1
    legend.deltax = (full - 60) / len(SERIES)
    legend.alignment = "right"
    legend.colorNamePairs = [(color, label) for label, color in SERIES]
    drawing.add(legend)
    renderPDF.draw(drawing, doc.canvas, doc.left, y - height)
