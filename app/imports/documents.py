"""A document's tasks as it states them: each parser's output turned into `DraftTask` values
(one per notice item, plan row or appendix row, in document order) with the header and dates
the document prints. No database, no agency matching: that is the preview's work."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _

from app.imports.parsers import appendix as appendix_parser
from app.imports.parsers import plan as plan_parser
from app.imports.parsers.notice import NoticeHeader, NoticeItem, parse_notice
from app.imports.parsers.organisations import is_group, org_count
from app.imports.parsers.tabular import Row
from app.imports.parsers.written_tables import text_table
from app.imports.preview import (
    COLUMNS_GUESSED,
    ROW_UNSPLIT,
    STATUS_NOTE,
    ColumnUse,
    PreviewWarning,
    SourceInfo,
)

# parse_notice reads deadlines against a date; the import reads them again against its own.
_PLACEHOLDER_DAY = date(2000, 1, 1)
_TABLE_START = re.compile(r"^\s*STT\b", re.MULTILINE)
_PARTIAL_DATE = re.compile(r"ngày\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
# A sentence opening with the meeting's date: "Ngày 18 tháng 01 năm 2024, tại …", "Sáng ngày
# 18/01/2024, …" (not a citation's date wrapped onto a new line: that has no capital or comma).
_MEETING = re.compile(
    r"^\s*(?:(?:Sáng|Chiều|Tối) ngày|Ngày)\s+(\d{1,2})(?:\s+tháng\s+|/)(\d{1,2})"
    r"(?:\s+năm\s+|/)(\d{4})\s*,",
    re.MULTILINE,
)
_CITED = re.compile(
    r"(?:triển khai|thực hiện)\s+(?:các nhiệm vụ\s+(?:của\s+)?)?"
    r"(?:Nghị quyết|Quyết định|Chỉ thị|Kế hoạch|Thông báo|Công văn)\s+số\s+(\d+/[\w./-]*\w)"
)


@dataclass
class DraftTask:
    """A task as the document states it, before agencies and existing tasks are matched.

    `leads` are the lead's names to try in order (the first known agency leads); `lead_text`
    and `coordinators_text` are the cells or phrases as written; `owner_group` is a notice
    heading naming a group ("Các sở, ban, ngành …") that owns the task."""

    title: str
    outline: str | None = None
    code: str | None = None
    section: tuple[str, str] | None = None
    parent_outline: str | None = None
    leads: tuple[str, ...] = ()
    lead_text: str | None = None
    owner_group: str | None = None
    coordinators: tuple[str, ...] = ()
    coordinators_text: str | None = None
    start_text: str | None = None
    deadline_text: str | None = None
    product: str | None = None
    status: str | None = None
    explanation: str | None = None
    page: int | None = None  # where it is in the document (a PDF's page) and its line or row
    line: int | None = None
    flags: list[str] = field(default_factory=list)  # what the reader is unsure of
    status_note: str | None = None  # a status written as more than a status ("Quá hạn")


@dataclass
class Document:
    """What a file says: its header, the dates it prints, and its tasks; for a table, the
    columns its fields were read from."""

    source: SourceInfo
    header: NoticeHeader
    tasks: list[DraftTask]
    partial_date: date | None = None  # "ngày   tháng 8 năm 2022": the day left blank
    meeting_date: date | None = None  # "Ngày 18 tháng 01 năm 2024, tại …" (a notice)
    cited_number: str | None = None  # "… triển khai Nghị quyết số 131/NQ-CP" (an appendix)
    warnings: list[PreviewWarning] = field(default_factory=list)
    columns: list[ColumnUse] = field(default_factory=list)
    columns_guessed: bool = False


# -- parsing ----------------------------------------------------------------------------------
def parse_document(
    kind: str,
    source: SourceInfo,
    text: str | None,
    rows: Any,
    columns: Mapping[str, int | str] | None,
    reference: date | None,
) -> Document:
    """The `kind` parser on the file's text or tables; ValueError when it cannot read them.

    `rows` are a workbook's rows, or a Word file's tables (the first that reads is taken)."""
    if kind == "notice":
        return _notice(source, text or "", reference)
    if source.format == "xlsx":
        return _table(kind, source, "", rows, columns)
    if source.format == "docx":
        return _docx_table(kind, source, text or "", rows, columns)
    written = text_table(text or "") if rows is None else None
    if written is not None:  # a table written with pipes or tabs: read as cells
        origins = [(None, line) for line in written.lines]
        return _table(kind, source, written.head, written.rows, columns, origins=origins)
    return _table(kind, source, text or "", rows, columns)


def _notice(source: SourceInfo, text: str, reference: date | None) -> Document:
    parsed = parse_notice(text, reference=reference or _PLACEHOLDER_DAY)
    tasks = []
    for item in parsed.items:
        leads, lead_text, group = _owners(item)
        tasks.append(
            DraftTask(
                title=item.text,
                outline=item.number,
                leads=leads,
                lead_text=lead_text,
                owner_group=group,
                coordinators=plan_parser.split_names(item.coordinators_text),
                coordinators_text=item.coordinators_text,
                deadline_text=item.deadline_text,
                page=item.page,
                line=item.line,
            )
        )
    document = _document(source, parsed.header, tasks, text)
    match = _MEETING.search(text)
    if match:
        document.meeting_date = _date(int(match[3]), int(match[2]), int(match[1]))
    return document


def _owners(item: NoticeItem) -> tuple[tuple[str, ...], str | None, str | None]:
    """(leads to try in order, the lead as written, the group it names) of a notice's item.

    Several organisations named as leads ("Bộ Khoa học và Công nghệ, Bộ Thông tin và Truyền
    thông chủ trì …", also with a collective after them: "Bộ Tài chính, …, Bộ Công an và Ủy
    ban nhân dân các tỉnh …") make one task, not one per organisation: the document gives
    them one shared task, whose progress is reported once; the first known of the named ones
    is recorded as the lead and the phrase is kept as written (the office can still copy the
    task to the others). A collective alone ("Các sở, ban, ngành …") is a group task,
    expanded on request."""
    if item.lead_text:
        return plan_parser.split_names(item.lead_text), item.lead_text, None
    names = plan_parser.split_names(item.agency)
    named = tuple(name for name in names if not is_group(name))
    if item.is_group and named and org_count(item.agency) >= 2:
        return named, item.agency, None  # "Bộ A, Bộ B và UBND các tỉnh …": Bộ A leads
    if item.is_group:
        return (), item.agency, item.agency
    return (item.agency,), None, None


def _head(text: str) -> str:
    """The text above the table: the document's header and body."""
    match = _TABLE_START.search(text)
    return text[: match.start()] if match else ""


def _document(
    source: SourceInfo, header: NoticeHeader, tasks: list[DraftTask], head: str
) -> Document:
    document = Document(source=source, header=header, tasks=tasks)
    partial = _PARTIAL_DATE.search(head)
    if partial:
        document.partial_date = _date(int(partial[2]), int(partial[1]), 1)
    cited = _CITED.findall(head)
    if cited:
        document.cited_number = cited[-1]
    return document


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _header_of(head: str) -> NoticeHeader:
    if not head.strip():
        return NoticeHeader()
    return parse_notice(head, reference=_PLACEHOLDER_DAY).header


def _table(
    kind: str,
    source: SourceInfo,
    text: str,
    rows: list[Row] | None,
    columns: Mapping[str, int | str] | None,
    *,
    origins: list[tuple[int | None, int | None]] | None = None,
) -> Document:
    parser = plan_parser if kind == "plan" else appendix_parser
    if rows is not None:
        parse = plan_parser.parse_plan if kind == "plan" else appendix_parser.parse_appendix
        parsed = parse(rows, columns=columns, origins=origins)
        head = text if origins is not None else _head(text)
    else:
        parsed = parser.parse_plan(text) if kind == "plan" else parser.parse_appendix(text)
        head = _head(text)
    document = _document(source, _header_of(head), [], head)
    if rows is not None:
        layout = parser.layout_of(rows, columns)
        document.columns = [
            ColumnUse(field=name, index=index, header=layout.headers.get(name, ""))
            for name, index in sorted(layout.columns.items(), key=lambda pair: pair[1])
        ]
        document.columns_guessed = layout.guessed
        if layout.guessed:
            document.warnings.append(
                PreviewWarning(
                    COLUMNS_GUESSED,
                    _(
                        "The table has no header: its columns were told from their cells. "
                        "Check the columns read, and correct them if they are wrong."
                    ),
                )
            )
    _add_rows(document, kind, parsed)
    return document


def _docx_table(
    kind: str,
    source: SourceInfo,
    text: str,
    tables: list[list[Row]],
    columns: Mapping[str, int | str] | None,
) -> Document:
    """The first table that reads as a `kind` table; else the error of the largest one."""
    failures: list[tuple[int, ValueError]] = []
    for table in tables:
        try:
            document = _table(kind, source, "", table, columns)
        except ValueError as error:
            failures.append((len(table), error))
            continue
        head = _head(text)
        rebuilt = _document(source, _header_of(head), document.tasks, head)
        rebuilt.warnings = document.warnings
        return rebuilt
    raise max(failures, key=lambda failure: failure[0])[1]


def _add_rows(document: Document, kind: str, parsed: Sequence[Any]) -> None:
    seen: set[tuple[str, str]] = set()  # numbering may restart in each section
    for row in parsed:
        outline = row.outline if kind == "plan" else row.stt
        title = row.title if kind == "plan" else row.name
        if not title.strip():
            document.warnings.append(_skipped(outline, _("it has no title")))
            continue
        if (row.section_number or "", outline) in seen:
            document.warnings.append(_skipped(outline, _("the same number appears twice")))
            continue
        seen.add((row.section_number or "", outline))
        section = (row.section_number, row.section_title or "") if row.section_number else None
        if kind == "plan":
            document.tasks.append(
                DraftTask(
                    title=title,
                    outline=outline,
                    code=row.code,
                    section=section,
                    parent_outline=row.parent_outline,
                    leads=row.leads,
                    lead_text=row.lead_text,
                    coordinators=row.coordinators,
                    coordinators_text=row.coordinators_text,
                    start_text=row.start_text,
                    deadline_text=row.deadline_text,
                    product=row.product,
                    page=row.page,
                    line=row.line,
                    flags=[ROW_UNSPLIT] if row.unsplit else [],
                )
            )
        else:
            document.tasks.append(
                DraftTask(
                    title=title,
                    outline=outline,
                    section=section,
                    leads=plan_parser.split_names(row.lead_text),
                    lead_text=row.lead_text,
                    coordinators=plan_parser.split_names(row.coordinators_text),
                    coordinators_text=row.coordinators_text,
                    deadline_text=row.deadline_text,
                    product=row.product,
                    status=row.status,
                    explanation=row.explanation,
                    page=row.page,
                    line=row.line,
                    flags=[STATUS_NOTE] if row.status_note else [],
                    status_note=row.status_note,
                )
            )


def _skipped(outline: str, reason: str) -> PreviewWarning:
    return PreviewWarning(
        "row_skipped", _("Row %(outline)s skipped: %(reason)s.", outline=outline, reason=reason)
    )
