"""The appendix (Phụ lục) as a Word document: the progress table with its two header rows
repeated on every page, then the summary per lead agency."""

from __future__ import annotations

from app.reports import texts
from app.reports.documents import Appendix, AppendixTask
from app.reports.docx import wordml as w
from app.reports.docx.package import new_document, properties, save
from app.reports.texts import DEADLINE, DONE, EXPLANATION, GOING, NAME, PROGRESS, STT

# Widths in mm. Landscape A4 with Decree 30 margins leaves 297 - 30 - 15 = 252 mm.
APPENDIX_COLUMNS = (12, 66, 30, 20, 24, 100)
SUMMARY_COLUMNS = (12, 80, 26, 26, 28, 22, 28, 30)
TABLE_PT = 12


def _cell_lines(width: float, text: str | None, align: str, *, bold: bool = False) -> str:
    ppr, rpr = w.ppr(align=align, before=2, after=2), w.rpr(bold=bold, size=TABLE_PT)
    return w.tc(width, "".join(w.p(line, ppr, rpr) for line in w.lines(text)))


def _appendix_header() -> list[str]:
    ppr, rpr = w.ppr(align="center", before=2, after=2), w.rpr(bold=True, size=TABLE_PT)
    cols = APPENDIX_COLUMNS
    first = [
        w.tc(cols[0], w.p(STT, ppr, rpr), vmerge="restart", valign="center"),
        w.tc(cols[1], w.p(NAME, ppr, rpr), vmerge="restart", valign="center"),
        w.tc(cols[2], w.p(DEADLINE, ppr, rpr), vmerge="restart", valign="center"),
        w.tc(cols[3] + cols[4], w.p(PROGRESS, ppr, rpr), span=2, valign="center"),
        w.tc(cols[5], w.p(EXPLANATION, ppr, rpr), vmerge="restart", valign="center"),
    ]
    second = [
        w.tc(cols[0], w.p("", ppr), vmerge="continue", valign="center"),
        w.tc(cols[1], w.p("", ppr), vmerge="continue", valign="center"),
        w.tc(cols[2], w.p("", ppr), vmerge="continue", valign="center"),
        w.tc(cols[3], w.p(DONE, ppr, rpr), valign="center"),
        w.tc(cols[4], w.p(GOING, ppr, rpr), valign="center"),
        w.tc(cols[5], w.p("", ppr), vmerge="continue", valign="center"),
    ]
    return [w.tr("".join(first), header=True), w.tr("".join(second), header=True)]


def _task_row(task: AppendixTask) -> str:
    cols = APPENDIX_COLUMNS
    done, going = texts.MARKS[task.progress]
    return w.tr(
        _cell_lines(cols[0], task.stt, "center")
        + _cell_lines(cols[1], task.name, "both")
        + _cell_lines(cols[2], task.deadline_text, "center")
        + _cell_lines(cols[3], done, "center")
        + _cell_lines(cols[4], going, "center")
        + _cell_lines(cols[5], task.explanation, "both")
    )


def _summary(appendix: Appendix) -> list[str]:
    ppr_head = w.ppr(align="center", before=2, after=2)
    bold = w.rpr(bold=True, size=TABLE_PT)
    head = "".join(
        w.tc(width, w.p(label, ppr_head, bold), valign="center")
        for width, label in zip(SUMMARY_COLUMNS, texts.SUMMARY_HEADER, strict=True)
    )
    rows = [w.tr(head, header=True)]
    cols = SUMMARY_COLUMNS
    for index, counts in enumerate(appendix.summary, start=1):
        numbers = (counts.done_on_time, counts.done_late, counts.in_progress, counts.overdue)
        numbers += (counts.no_deadline, counts.total)
        cells = _cell_lines(cols[0], str(index), "center") + _cell_lines(
            cols[1], counts.agency, "left"
        )
        cells += "".join(
            _cell_lines(width, str(n), "center") for width, n in zip(cols[2:], numbers, strict=True)
        )
        rows.append(w.tr(cells, keep=True))
    totals = [
        sum(getattr(c, field) for c in appendix.summary)
        for field in ("done_on_time", "done_late", "in_progress", "overdue", "no_deadline", "total")
    ]
    cells = w.tc(
        cols[0] + cols[1],
        w.p(texts.SUMMARY_TOTAL, w.ppr(align="center", before=2, after=2), bold),
        span=2,
    )
    cells += "".join(
        _cell_lines(width, str(n), "center", bold=True)
        for width, n in zip(cols[2:], totals, strict=True)
    )
    rows.append(w.tr(cells, keep=True))
    title = w.p(
        texts.SUMMARY_TITLE,
        w.ppr(align="center", after=12, page_break=True, keep_next=True),
        w.rpr(bold=True),
    )
    return [title, w.tbl(SUMMARY_COLUMNS, rows)]


def appendix_docx(appendix: Appendix) -> bytes:
    """The appendix on landscape A4: heading, title, subtitle, then the progress table
    (two header rows repeated on every page) and, when given, the per-agency summary."""
    document = new_document(landscape=True)
    w.page_number(document.sections[0].footer, TABLE_PT)
    centred = w.ppr(align="center")
    fragments = [
        w.p(appendix.heading, centred, w.rpr(bold=True)),
        w.p(appendix.title, centred, w.rpr(bold=True)),
        w.p(appendix.subtitle, w.ppr(align="center", after=12), w.rpr(italic=True)),
    ]
    rows = _appendix_header()
    span = sum(APPENDIX_COLUMNS)
    section_ppr = w.ppr(align="left", before=2, after=2, keep_next=True)
    section_rpr = w.rpr(bold=True, size=TABLE_PT)
    for section in appendix.sections:
        text = texts.section_label(w.clean(section.number), w.clean(section.title))
        label = w.p(text, section_ppr, section_rpr)
        rows.append(w.tr(w.tc(span, label, span=len(APPENDIX_COLUMNS)), keep=True))
        rows.extend(_task_row(task) for task in section.tasks)
    fragments.append(w.tbl(APPENDIX_COLUMNS, rows))
    if appendix.summary:
        fragments.extend(_summary(appendix))
    properties(
        document,
        title=appendix.title,
        subject=appendix.period_label,
        author="",
        when=appendix.built_at,
    )
    return save(document, fragments, appendix.built_at)
