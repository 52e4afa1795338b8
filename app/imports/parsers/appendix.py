"""Progress appendices (Phụ lục "Tình hình, tiến độ thực hiện các nhiệm vụ…"): STT / Tên nhiệm vụ
/ Thời hạn hoàn thành / Tiến độ thực hiện (X): Hoàn thành, Đang tiếp tục thực hiện / Nội dung
giải trình cụ thể, grouped under Roman-numeral sections; read from a PDF text copy or from
table rows (.xlsx/.docx).

``parse_appendix(source, columns=None)`` returns one ``AppendixRow`` per task, in document
order. Pure: no database, no Flask; output is NFC.

Rules
-----
* A Roman numeral row ("I Về cải cách…") opens a section; its title runs to the next task.
* ``status``: "Một phần" under Hoàn thành → ``partial`` (whatever the other column says); X
  under Hoàn thành → ``completed`` (X under both → ``partial``); X only under Đang tiếp tục
  thực hiện → ``in_progress``; no mark → None. "-" is an empty mark.
* ``deadline_text`` is the Thời hạn hoàn thành cell on one line ("Giai đoạn 2023-2025",
  "Theo lộ trình Nghị định số 107/2021/NĐ-CP"); "QĐ-" at a line end glues to "TTg".
* ``name`` and ``explanation`` keep one line per paragraph: a numbered point ("2. "), a bullet
  ("- "), "(3) " after a sentence end, or any line after a sentence-ending line that stops
  short of the column (under 75 % of its widest line) starts one; wrapped lines are joined
  with spaces.

Text copied from a PDF: the repeated header at each page break, blank lines and page numbers
are dropped (see ``tabular``). A task starts at a line holding its STT (a number that can
follow the previous one, then a capitalised name). Its cells come in column order: name lines,
deadline lines, the status line ("Một phần X", "X -", "- X", possibly after the deadline's
last line: "Tháng 12/2022 Một phần X"), explanation lines. The deadline is the run of short
lines (at most 22 characters) before the status, from the first one opening like a deadline
("Giai đoạn", "Tháng", "Theo", "Thường xuyên", "Quý", "Năm", "Trước", "Trong", "Hằng"…, else a
date not ending a sentence). A status "Một phần" or "X" alone may get its second mark from
the next line. When a task crosses a page, the next page repeats the cells' rest in column
order: more name (only if the name stopped mid-sentence on a line at least 70 % as wide as the
name column's widest), then more explanation. The split is after the first sentence-ending line
whose next line fits how the explanation stopped (a lower-case continuation if it stopped
mid-sentence, a capital or a numbered point if not) and whose name part fits the name
column's width.

Shapes not handled in text: a deadline or status cell split across pages; a lone "X" whose
column cannot be told (read as Hoàn thành); a name that stops mid-sentence on a short line at a
page break (its rest is read as explanation); a name ending with a paragraph when the
explanation also stopped at a sentence end (the name's later paragraphs go to explanation).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field

from app.imports.parsers.tabular import (
    PAGE_BREAK,
    TERMINAL,
    Column,
    Layout,
    Row,
    append_cell,
    cell_text,
    follows,
    join_paragraphs,
    join_words,
    locate_columns,
    numbered_data_rows,
    outline_parts,
    pick,
    roman_value,
    split_section_title,
    table_lines,
)
from app.text import fold

WHAT = "appendix"
DEADLINE_WIDTH = 22
COMPLETED, PARTIAL, IN_PROGRESS = "completed", "partial", "in_progress"

COLUMNS = (
    Column("stt", "STT", (r"^(?:stt|tt)\b", r"so thu tu")),
    Column(
        "deadline",
        "Thời hạn hoàn thành",
        (
            r"thoi han",
            r"^han\b(?! che)",
            r"han hoan thanh",
            r"thoi gian (?:hoan thanh|thuc hien)",
            r"^thoi gian\b",
        ),
        False,
    ),
    Column(
        "in_progress",
        "Đang tiếp tục thực hiện (X)",
        (r"dang (tiep tuc )?thuc hien", r"tiep tuc"),
        False,
    ),
    Column("completed", "Hoàn thành (X)", (r"hoan thanh",), False),
    Column(
        "status",
        "Tiến độ / Tình hình thực hiện",
        (r"tien do", r"trang thai", r"tinh hinh thuc hien", r"muc do hoan thanh"),
        False,
    ),
    Column("coordinators", "Phối hợp", (r"phoi hop",), False),
    Column(
        "lead",
        "Cơ quan chủ trì / thực hiện",
        (r"chu tri", r"(?:co quan|don vi)(?: [a-z,]+)* thuc hien", r"^co quan$"),
        False,
    ),
    Column(
        "product",
        "Sản phẩm / Kết quả yêu cầu",
        (r"san pham", r"ket qua (?:yeu cau|dau ra|du kien)", r"^ket qua$"),
        False,
    ),
    Column(
        "explanation",
        "Kết quả hiện nay / Nội dung giải trình",
        (r"giai trinh", r"ghi chu", r"ket qua", r"tinh hinh"),
        False,
    ),
    Column("name", "Tên nhiệm vụ", (r"ten nhiem vu", r"nhiem vu", r"noi dung", r"cong viec")),
)
VOCABULARY = frozenset(
    fold(
        "STT Tên nhiệm vụ Thời hạn hoàn thành Tiến độ thực hiện Nội dung giải trình cụ thể "
        "Hoàn thành Đang tiếp tục thực hiện"
    ).split()
)

PROGRESS = frozenset({"completed", "in_progress", "status", "explanation"})
_STT_LINE = re.compile(r"^(\d+(?:\.\d+)*)(?:\s+(.*))?$")
_SECTION_LINE = re.compile(r"^([IVXLC]+)\.?(?:\s+(.*))?$")
_STATUS = re.compile(r"(?:^|\s)(Một phần|X|-)\s+(X|-)$|(?:^|\s)(Một phần|X)$")
_DEADLINE_WORD = re.compile(
    r"^(?:Giai đoạn|Tháng|Theo|Thường xuyên|Quý|Năm|Trước|Trong|Hằng|Hàng|Định kỳ|Đến|Từ|"
    r"Ngày|Chậm nhất|Cuối|Đầu|Sau|Khi|Kể từ)\b"
)
_MARKER = re.compile(r"^(?:\d{1,2}\.\s|\(\d{1,2}\)\s|[-–+•]\s)")


@dataclass(frozen=True)
class AppendixRow:
    """One task of a progress appendix with its reported status; the owners and product when
    the table has those columns; `status_note` the status as written when it says more than
    the status ("Quá hạn", "Chưa thực hiện"); where the row is (page, line or table row)."""

    section_number: str | None
    section_title: str | None
    stt: str
    name: str
    deadline_text: str | None
    status: str | None
    explanation: str | None
    lead_text: str | None = None
    coordinators_text: str | None = None
    product: str | None = None
    status_note: str | None = None
    page: int | None = None
    line: int | None = None

    def to_dict(self) -> dict[str, object]:
        """Plain data."""
        return asdict(self)


@dataclass
class _Task:
    section: tuple[str, str | None] | None
    stt: str
    name: list[str] = field(default_factory=list)
    deadline: list[str] = field(default_factory=list)
    status: str | None = None
    marked: bool = False  # the status line has been read
    first_mark: str | None = None  # a lone first mark, when the second is on the next line
    explanation: list[str] = field(default_factory=list)
    pages: list[list[str]] = field(default_factory=list)  # rest of the cells after a break


# A status written in words, in one column (its start is read; the rest is the note).
_STATUS_WORDS = (
    (re.compile(r"^hoan thanh mot phan\b|^mot phan\b"), PARTIAL, False),
    (re.compile(r"^(?:da )?hoan thanh\b"), COMPLETED, False),
    (
        re.compile(r"^dang (?:tiep tuc )?(?:thuc hien|trien khai)\b|^tiep tuc thuc hien\b"),
        IN_PROGRESS,
        False,
    ),
    (re.compile(r"^chua (?:thuc hien|trien khai|hoan thanh)\b"), IN_PROGRESS, True),
    (re.compile(r"^qua han\b|^cham (?:tien do|so voi)\b|^tre han\b"), IN_PROGRESS, True),
)


def status_in_words(cell: str | None) -> tuple[str | None, str | None]:
    """(status, note) of a one-column status: "Hoàn thành" → completed; "Đang (tiếp tục) thực
    hiện" → in progress; "Hoàn thành một phần" → partial; "Chưa thực hiện", "Quá hạn" → in
    progress with the words as the note (overdue is a standing the system computes, not a
    status); anything else → (None, None)."""
    text = fold(cell)
    for pattern, status, noted in _STATUS_WORDS:
        if pattern.match(text):
            return status, (cell_text(cell) if noted else None)
    if text in ("x",):
        return COMPLETED, None
    return None, None


def status_of(completed: str | None, in_progress: str | None) -> str | None:
    """The status from the two marks (see module rules)."""
    done, going = fold(completed), fold(in_progress)
    if done == "mot phan":
        return PARTIAL
    if done == "x":
        return PARTIAL if going == "x" else COMPLETED
    return IN_PROGRESS if going == "x" else None


def parse_appendix(
    source: str | Sequence[Row],
    *,
    columns: Mapping[str, int | str] | None = None,
    origins: Sequence[tuple[int | None, int | None]] | None = None,
) -> list[AppendixRow]:
    """The tasks of a progress appendix, from its PDF text copy or from table rows.

    `columns` maps fields (stt, name, deadline, completed, in_progress, status, lead,
    coordinators, product, explanation) to column indices or header labels when the header
    cannot be read; `origins` gives each row its (page, line) in the document (by default no
    page and the row's number). Raises ValueError for empty input, a header that names no
    appendix columns, or a table without rows."""
    if isinstance(source, str):
        return _from_text(source)
    return _from_rows(source, columns, origins)


def layout_of(rows: Sequence[Row], columns: Mapping[str, int | str] | None = None) -> Layout:
    """Where an appendix table's fields are (what `parse_appendix` reads them from): besides
    STT and name, a column of progress (the X marks, a status in words, or an explanation)."""
    what = f"{WHAT} table"
    layout = locate_columns(rows, COLUMNS, what=what, columns=columns, is_data=_is_data)
    if not PROGRESS & set(layout.columns):
        raise ValueError(
            f"{what}: header not recognised; missing columns: "
            + ", ".join(f"{c.label} ({c.field})" for c in COLUMNS if c.field in PROGRESS)
            + f" (one of them); found: {', '.join(repr(h) for h in layout.headers.values())}"
        )
    return layout


# -- text -----------------------------------------------------------------------------------
def _from_text(text: str) -> list[AppendixRow]:
    lines = table_lines(text, VOCABULARY, what=WHAT)
    tasks: list[_Task] = []
    section: tuple[str, str | None] | None = None
    section_lines: list[str] | None = None
    previous: tuple[int, ...] | None = None
    for index, line in enumerate(lines):
        following = next((x for x in lines[index + 1 :] if x != PAGE_BREAK), "")
        opened = _section_start(line, following, section)
        if opened is not None:
            section, section_lines = (opened[0], None), [opened[1]] if opened[1] else []
            continue
        parts, rest = _task_start(line, following, previous, restart=section_lines is not None)
        if parts is not None:
            if section_lines is not None and section is not None:
                section, section_lines = (section[0], join_words(section_lines)), None
            previous = parts
            tasks.append(_Task(section=section, stt=".".join(map(str, parts))))
            if rest:
                _feed(tasks[-1], rest)
        elif section_lines is not None:
            if line != PAGE_BREAK:
                section_lines.append(line)
        elif tasks:
            _feed(tasks[-1], line)
    if not tasks:
        raise ValueError(f"{WHAT}: no numbered tasks found in the text")
    name_width = max((len(x) for t in tasks for x in t.name), default=0)
    for task in tasks:
        for page in task.pages:
            _share_page(task, page, name_width)
    explanation_width = max((len(x) for t in tasks for x in t.explanation), default=0)
    return [
        AppendixRow(
            section_number=task.section[0] if task.section else None,
            section_title=task.section[1] if task.section else None,
            stt=task.stt,
            name=join_paragraphs(task.name, width=name_width) or "",
            deadline_text=join_words(task.deadline),
            status=task.status,
            explanation=join_paragraphs(task.explanation, width=explanation_width),
        )
        for task in tasks
    ]


def _section_start(
    line: str, following: str, section: tuple[str, str | None] | None
) -> tuple[str, str | None] | None:
    match = _SECTION_LINE.match(line)
    if not match:
        return None
    expected = (roman_value(section[0]) or 0) + 1 if section else 1
    lead_in = match[2] or following
    if roman_value(match[1]) != expected or not lead_in[:1].isupper():
        return None
    return match[1], match[2]


def _task_start(
    line: str, following: str, previous: tuple[int, ...] | None, *, restart: bool
) -> tuple[tuple[int, ...] | None, str | None]:
    match = _STT_LINE.match(line)
    parts = outline_parts(match[1]) if match else None
    if match is None or parts is None:
        return None, None
    if not (follows(previous, parts) or restart and parts == (1,)):
        return None, None
    if not (match[2] or following)[:1].isupper():
        return None, None
    return parts, match[2]


def _feed(task: _Task, line: str) -> None:
    """One more line of the task, in cell order: name, deadline + status, explanation."""
    if line == PAGE_BREAK:
        if task.marked:
            task.pages.append([])
        return
    if task.pages:
        task.pages[-1].append(line)
        return
    if task.first_mark is not None:
        mark, task.first_mark = task.first_mark, None
        if line in ("X", "-"):
            task.status = status_of(mark, line)
            return
    if task.marked:
        task.explanation.append(line)
        return
    match = _STATUS.search(line)
    if match is None:
        task.name.append(line)
        return
    done, going = (match[1], match[2]) if match[1] else (match[3], None)
    task.status, task.marked = status_of(done, going), True
    task.first_mark = None if going else done
    before = line[: match.start()].strip()
    _split_deadline(task, before)


def _split_deadline(task: _Task, before_status: str) -> None:
    """Move the deadline lines from the end of the name lines (see module rules)."""
    lines = [*task.name, before_status] if before_status else list(task.name)
    run = len(lines)
    while run > 0 and len(lines[run - 1]) <= DEADLINE_WIDTH:
        run -= 1
    short = range(run, len(lines))
    start = next((i for i in short if _DEADLINE_WORD.match(lines[i])), None)
    if start is None:
        start = next(
            (i for i in short if lines[i][:1].isdigit() and not lines[i].endswith(".")), None
        )
    if start is None:
        start = len(lines) - 1 if lines and (before_status or run < len(lines)) else len(lines)
    task.name, task.deadline = lines[:start], lines[start:]


def _share_page(task: _Task, page: list[str], name_width: int) -> None:
    """Split the lines a task continues with after a page break into name and explanation."""
    last = task.name[-1] if task.name else ""
    name_open = bool(last) and last[-1] not in TERMINAL + ";)" and len(last) >= 0.7 * name_width
    if not name_open:
        task.explanation.extend(page)
        return
    told = task.explanation[-1] if task.explanation else ""
    explanation_open = bool(told) and told[-1] not in TERMINAL
    for cut in range(1, len(page) + 1):
        if any(len(line) > name_width + 2 for line in page[:cut]):
            break
        if page[cut - 1][-1] not in TERMINAL:
            continue
        if cut < len(page):
            opens = page[cut][:1].isupper() or bool(_MARKER.match(page[cut]))
            if opens == explanation_open:
                continue
        task.name.extend(page[:cut])
        task.explanation.extend(page[cut:])
        return
    task.explanation.extend(page)


# -- rows -----------------------------------------------------------------------------------
def _is_data(row: Row) -> bool:
    first = next((str(c).strip() for c in row if c is not None and str(c).strip()), "")
    token = first.split(" ")[0].rstrip(".")
    return outline_parts(token) is not None or roman_value(token) is not None


def _from_rows(
    rows: Sequence[Row],
    columns: Mapping[str, int | str] | None,
    origins: Sequence[tuple[int | None, int | None]] | None = None,
) -> list[AppendixRow]:
    what = f"{WHAT} table"
    layout = layout_of(rows, columns)
    drafts: list[dict[str, str | None]] = []
    places: list[tuple[int | None, int | None]] = []
    section: tuple[str, str | None] = ("", None)
    for index, row in numbered_data_rows(rows, layout, what=what):
        cell = {c.field: pick(row, layout, c.field) for c in COLUMNS}
        stt = (cell_text(cell["stt"]) or "").rstrip(".")
        number = stt.split(" ")[0].rstrip(".")
        if number and roman_value(number) is not None:
            title = stt[len(number) :].strip(" .") or cell_text(cell["name"], multiline=True)
            title, stt, rest = split_section_title(title)
            section = (number, cell_text(title))
            if stt is None:
                continue
            cell["name"] = rest  # the section's first row, in the title cell with it
        if not stt and not drafts:
            continue
        if stt:
            drafts.append({"section_number": section[0] or None, "section_title": section[1]})
            drafts[-1]["stt"] = stt
            places.append(origins[index] if origins is not None else (None, index + 1))
        _fill(drafts[-1], cell)
    if not drafts:
        raise ValueError(f"{what}: no numbered tasks")
    out = []
    for draft, (page, line) in zip(drafts, places, strict=True):
        status, note = _status(draft)
        out.append(
            AppendixRow(
                section_number=draft["section_number"],
                section_title=draft["section_title"],
                stt=draft["stt"] or "",
                name=draft.get("name") or "",
                deadline_text=draft.get("deadline"),
                status=status,
                explanation=draft.get("explanation"),
                lead_text=draft.get("lead"),
                coordinators_text=draft.get("coordinators"),
                product=draft.get("product"),
                status_note=note,
                page=page,
                line=line,
            )
        )
    return out


def _status(draft: Mapping[str, str | None]) -> tuple[str | None, str | None]:
    """The status from the X columns, else from a status written in words."""
    marked = status_of(draft.get("completed"), draft.get("in_progress"))
    if marked is not None or not draft.get("status"):
        return marked, None
    return status_in_words(draft.get("status"))


def _fill(draft: dict[str, str | None], cell: Mapping[str, str | None]) -> None:
    """Fill a task, or add a continuation row (empty STT: cells split across pages)."""
    for name in ("name", "explanation", "product"):
        draft[name] = append_cell(draft.get(name), cell_text(cell[name], multiline=True))
    for name in ("deadline", "lead", "coordinators", "status"):
        value = cell_text(cell[name])
        if value:
            draft[name] = join_words([draft.get(name) or "", value])
    for mark in ("completed", "in_progress"):
        value = cell_text(cell[mark])
        if value and fold(value) not in ("-", ""):
            draft[mark] = value
