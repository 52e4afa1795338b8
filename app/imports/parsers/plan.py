"""Plan tables (Kế hoạch): STT / Nội dung công việc / Mã số / Chủ trì / Phối hợp / TG bắt đầu /
TG hoàn thành / Sản phẩm, read from a PDF text copy or from table rows (.xlsx/.docx).

``parse_plan(source, columns=None)`` returns one ``PlanRow`` per numbered row, in document
order, parent rows included. Pure: no database, no Flask; output is NFC.

Rules
-----
* A Roman numeral row ("I", "II" with a title) opens a section; its title is every line up to
  the next numbered row. Rows carry the section they are in.
* STT is hierarchical ("1.1.2.8") and is kept as written. ``parent_outline`` is the nearest
  earlier row whose STT is a prefix (5.3.2.1 hangs under 5.3 when 5.3.2 is not printed). A row
  without owners (no Chủ trì, no Phối hợp) is a parent task or heading.
* ``lead_text`` / ``coordinators_text`` are the Chủ trì / Phối hợp cells as written (wrapped
  lines joined with spaces). ``leads`` / ``coordinators`` split them into names: at ";", and at
  "," or " và " when what follows starts a new organisation ("UBND", "Sở", "Cục", "các"…), so
  "Các sở, ban, ngành" and "Sở Thông tin và Truyền thông" stay whole; after a colon only the
  members are listed ("Các đơn vị đào tạo: Đại học Quy Nhơn, Cao đẳng Thống kê" → the two).
* ``start_text`` / ``deadline_text`` are TG bắt đầu / TG hoàn thành as written ("2022", "Tháng
  7/2022", "Hằng năm", "2023; 2027"). One time alone is the completion time. The deadline
  engine reads both together: ``deadline_phrase`` ("2022 2030"). The same recurring phrase in
  both cells (a merged cell) is the deadline only.
* ``product`` is the Sản phẩm cell, one line per bullet ("- …"), wrapped lines joined.

Text copied from a PDF (each cell's wrapped lines come one after another, row by row, several
short cells sometimes on one line): the repeated column header at each page break, the "(A)
(B) …" row, blank lines and ``file://`` link lines are dropped (see ``tabular``). A row starts
at a line "STT [title…]" whose number can follow the previous row (a child, or a sibling at
most 9 numbers on) and whose title starts with a capital. The title runs to the Mã số: the
first 2-6 digit word at most one edit away from the STT's digits ("1.1.2.8" → "01128"; the
printed typos "4311" and "04224" still match). After it come the owners -- lines no wider than
a Chủ trì/Phối hợp column (24 characters) without digits -- then the times, then the product.
The lead ends where a line starts with a capital after a complete phrase (not after ",", ";",
":", "và", "các" or an unfinished "Sở"/"Cục"...): "Cục Thống | kê | Các sở, ban, | ngành".

Shapes not handled in text: a row whose cells continue after a page break (the rest of the
title, owners or product would follow the repeated header; this plan never splits a row), a
plan without a Mã số column (the whole row becomes the title), a product whose first line is
short and owner-like in a row without times, a lead cell that wraps before a capital without
a trailing comma ("Cục Thống kê tỉnh Bình | Định" would start the coordinators at "Định").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

from app.imports.parsers.tabular import (
    PAGE_BREAK,
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

WHAT = "plan"
OWNER_WIDTH = 24

COLUMNS = (
    Column("outline", "STT", (r"^(?:stt|tt)\b", r"so thu tu")),
    Column("code", "Mã số", (r"\bma so\b",), required=False),
    Column("coordinators", "Phối hợp", (r"phoi hop",), required=False),
    Column(
        "lead",
        "Chủ trì",
        (r"chu tri", r"(?:co quan|don vi)(?: [a-z]+)* thuc hien", r"^co quan$"),
    ),
    Column("start", "TG bắt đầu", (r"bat dau",), required=False),
    Column(
        "deadline",
        "TG hoàn thành",
        (r"hoan thanh", r"ket thuc", r"thoi han", r"^han\b(?! che)", r"^thoi gian\b", r"tien do"),
        required=False,
    ),
    Column(
        "product",
        "Sản phẩm",
        (r"san pham", r"ket qua", r"hinh thuc van ban", r"dau ra"),
        required=False,
    ),
    Column(
        "title",
        "Nội dung công việc",
        (r"noi dung", r"nhiem vu", r"cong viec", r"chi tieu", r"ten (?:de an|du an|chuong trinh)"),
    ),
)
VOCABULARY = frozenset(
    fold(
        "STT Nội dung công việc Mã số Cơ quan thực hiện Thời gian thực hiện Sản phẩm "
        "Chủ trì Phối hợp TG bắt đầu TG hoàn thành"
    ).split()
)

# Words that open the name of an organisation or a group of them.
_HEADS = (
    "UBND|Ủy ban|Uỷ ban|Sở|Cục|Chi cục|Tổng cục|Bộ|Ban|Văn phòng|Công an|Trường|Đại học|"
    "Cao đẳng|Trung tâm|Đài|Báo|Viện|Kho bạc|Ngân hàng|Bảo hiểm|Thanh tra|Hội|Liên đoàn|"
    "Tỉnh ủy|Tỉnh đoàn|Các|các"
)
_NAME_BREAK = re.compile(rf"\s*,\s*(?=(?:{_HEADS})\b)|\s+và\s+(?=(?:{_HEADS})\b)")
_HEAD_WORD = re.compile(rf"^(?:{_HEADS})$")
_CONNECTORS = frozenset({"và", "các", "của", "với", "hoặc", "thuộc", "tại", "trong", "cấp"})
_UNFINISHED = frozenset({"so", "cuc", "ubnd", "ban", "bo", "chi", "tong", "uy", "truong"})

_TIME_CELL = (
    r"(?:Tháng\s+\d{1,2}\s*/\s*\d{4}"
    r"|Quý\s+(?:IV|I{1,3}|[1-4])(?:\s*/\s*\d{4}|\s+năm\s+\d{4})?"
    r"|[Hh][ằà]ng\s+(?:năm|quý|tháng|tuần)|[Đđ]ịnh\s+kỳ"
    r"|Thường\s+xuyên|Năm\s+\d{4}|\d{1,2}/\d{1,2}/\d{4}"
    r"|\d{4}(?:\s*[;,]\s*\d{4})*)(?![\w/])"
)
_TIME_BLOCK = re.compile(rf"(?:^|(?<=\s))({_TIME_CELL})(?:\s+({_TIME_CELL}))?")
_STT_LINE = re.compile(r"^(\d+(?:\.\d+)*)(?:\s+(.*))?$")
_SECTION_LINE = re.compile(r"^([IVXLC]+)\.?(?:\s+(.*))?$")
_CODE = re.compile(r"(?<!\S)\d{2,6}(?!\S)")


@dataclass(frozen=True)
class PlanRow:
    """One numbered row of a plan table."""

    section_number: str | None
    section_title: str | None
    outline: str
    code: str | None
    title: str
    lead_text: str | None
    leads: tuple[str, ...]
    coordinators_text: str | None
    coordinators: tuple[str, ...]
    start_text: str | None
    deadline_text: str | None
    product: str | None
    parent_outline: str | None
    page: int | None = None  # where the row is: page (a PDF) and line, or the table's row
    line: int | None = None
    unsplit: bool = False  # a text row whose cells could not be told apart (all in the title)

    @property
    def has_owners(self) -> bool:
        """False for parent rows and headings (no Chủ trì, no Phối hợp)."""
        return bool(self.lead_text or self.coordinators_text)

    @property
    def deadline_phrase(self) -> str | None:
        """Start and completion as the deadline engine reads them: "2022 2030", "Hằng năm"."""
        return " ".join(p for p in (self.start_text, self.deadline_text) if p) or None

    def to_dict(self) -> dict[str, object]:
        """Plain data (lists for the name lists)."""
        data = asdict(self)
        data["leads"] = list(self.leads)
        data["coordinators"] = list(self.coordinators)
        return data


@dataclass
class _Draft:
    section: tuple[str, str | None] | None
    outline: str
    code: str | None = None
    title: str | None = None
    lead_text: str | None = None
    coordinators_text: str | None = None
    start_text: str | None = None
    deadline_text: str | None = None
    product: str | None = None
    page: int | None = None
    line: int | None = None
    unsplit: bool = False


# In an owner cell, "các" is only ever followed by an administrative noun, so a PDF copy that
# glues the two ("UBND cáchuyện") can be split back without guessing ("cá chuyện" is no agency).
_GLUED_CAC = re.compile(
    r"\b([Cc]ác)(huyện|xã|sở|ban|ngành|phường|thị|thành|cơ|đơn|địa|tổ|hội|doanh|trường|bộ)",
)


def repair_owner_text(text: str | None) -> str | None:
    """Undo the PDF copy's gluing of "các" to the noun after it in a Chủ trì / Phối hợp cell."""
    return _GLUED_CAC.sub(r"\1 \2", text) if text else text


def split_names(text: str | None) -> tuple[str, ...]:
    """The organisations a Chủ trì / Phối hợp cell names, as written (see module rules)."""
    if not text:
        return ()
    if ":" in text:
        label, members = text.split(":", 1)
        text = members if members.strip() else label
    names = []
    for piece in text.split(";"):
        for name in _NAME_BREAK.split(piece):
            name = name.strip().rstrip(".,").strip()
            if name:
                names.append(name)
    return tuple(names)


def parse_plan(
    source: str | Sequence[Row],
    *,
    columns: Mapping[str, int | str] | None = None,
    origins: Sequence[tuple[int | None, int | None]] | None = None,
) -> list[PlanRow]:
    """The rows of a plan table, from its PDF text copy or from table rows (header first).

    `columns` maps fields (outline, code, title, lead, coordinators, start, deadline, product)
    to column indices or header labels when the header cannot be read. `origins` gives each
    of the rows its (page, line) in the document (by default: no page, the row's number).
    Raises ValueError for empty input, a header that names no plan columns, or a table
    without rows."""
    text = isinstance(source, str)
    return _finish(_from_text(source) if text else _from_rows(source, columns, origins))


def layout_of(rows: Sequence[Row], columns: Mapping[str, int | str] | None = None) -> Layout:
    """Where a plan table's fields are (what `parse_plan` reads them from)."""
    return locate_columns(rows, COLUMNS, what=f"{WHAT} table", columns=columns, is_data=_is_data)


# -- text -----------------------------------------------------------------------------------
def _from_text(text: str) -> list[_Draft]:
    lines = [line for line in table_lines(text, VOCABULARY, what=WHAT) if line != PAGE_BREAK]
    drafts: list[_Draft] = []
    bodies: list[list[str]] = []
    section: tuple[str, str | None] | None = None
    section_lines: list[str] | None = None
    previous: tuple[int, ...] | None = None
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        opened = _section_start(line, following, section)
        if opened is not None:
            section_lines = [opened[1]] if opened[1] else []
            section = (opened[0], None)
            continue
        outline = _row_start(line, following, previous, restart=section_lines is not None)
        if outline is not None:
            if section_lines is not None:
                section = (section[0] if section else "", join_words(section_lines))
                section_lines = None
            previous = outline_parts(outline[0])
            drafts.append(_Draft(section=section, outline=outline[0]))
            bodies.append([outline[1]] if outline[1] else [])
        elif section_lines is not None:
            section_lines.append(line)
        elif bodies:
            bodies[-1].append(line)
    if not drafts:
        raise ValueError(f"{WHAT}: no numbered rows found in the text")
    for draft, body in zip(drafts, bodies, strict=True):
        _read_body(draft, body)
    return drafts


def _section_start(
    line: str, following: str, section: tuple[str, str | None] | None
) -> tuple[str, str | None] | None:
    match = _SECTION_LINE.match(line)
    if not match:
        return None
    value = roman_value(match[1])
    expected = (roman_value(section[0]) or 0) + 1 if section else 1
    lead_in = match[2] or following
    if value != expected or not lead_in[:1].isupper():
        return None
    return match[1], match[2]


def _row_start(
    line: str, following: str, previous: tuple[int, ...] | None, *, restart: bool
) -> tuple[str, str | None] | None:
    match = _STT_LINE.match(line)
    if not match:
        return None
    parts = outline_parts(match[1])
    if parts is None or not (follows(previous, parts) or restart and parts == (1,)):
        return None
    lead_in = match[2] or following
    if not lead_in[:1].isupper():
        return None
    return match[1], match[2]


def _expected_code(outline: str) -> str:
    digits = outline.replace(".", "")
    return f"0{digits}" if len(outline.split(".")[0]) == 1 else digits


def _near(word: str, target: str) -> bool:
    """At most one insertion, deletion or substitution apart."""
    if abs(len(word) - len(target)) > 1:
        return False
    previous = list(range(len(target) + 1))
    for i, a in enumerate(word, 1):
        current = [i]
        for j, b in enumerate(target, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        previous = current
    return previous[-1] <= 1


def _find_code(outline: str, body: list[str]) -> tuple[int, re.Match[str]] | None:
    expected = _expected_code(outline)
    found = [(i, m) for i, line in enumerate(body) for m in _CODE.finditer(line)]
    for i, match in found:
        if _near(match.group(), expected):
            return i, match
    for i, match in found:  # a code unrelated to the STT: alone on its line or ending it
        if match.end() == len(body[i]) and not 1900 <= int(match.group()) <= 2100:
            return i, match
    return None


def _read_body(draft: _Draft, body: list[str]) -> None:
    located = _find_code(draft.outline, body)
    if located is None:
        draft.title = join_words(body)
        draft.unsplit = True
        return
    index, match = located
    line = body[index]
    draft.code = match.group()
    draft.title = join_words([*body[:index], line[: match.start()]])
    rest = [line[match.end() :].strip(), *body[index + 1 :]]
    owners, times, product = _split_after_code([r for r in rest if r])
    draft.lead_text, draft.coordinators_text = _split_owners(owners)
    if len(times) == 2:
        draft.start_text, draft.deadline_text = times
    elif times:
        draft.deadline_text = times[0]
    draft.product = join_paragraphs(product)


def _fragments(line: str) -> list[str]:
    """Cells that share a line: "UBND tỉnh Các sở, ban, ngành" → two, split before a word
    opening an organisation that follows a lower-case word (not a connector)."""
    words = line.split(" ")
    pieces: list[list[str]] = [[]]
    for index, word in enumerate(words):
        before = pieces[-1][-1] if pieces[-1] else ""
        opens = _HEAD_WORD.match(word) or _HEAD_WORD.match(" ".join(words[index : index + 2]))
        if (
            opens
            and word[:1].isupper()
            and before[-1:].isalpha()
            and before[:1].islower()
            and before not in _CONNECTORS
        ):
            pieces.append([])
        pieces[-1].append(word)
    return [" ".join(p) for p in pieces if p]


def _owner_like(text: str) -> bool:
    return all(
        len(piece) <= OWNER_WIDTH and not re.search(r"\d", piece) and not piece.startswith("- ")
        for piece in _fragments(text)
    )


def _split_after_code(lines: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(owner fragments, time cells, product lines) of what follows the Mã số."""
    owners: list[str] = []
    for index, line in enumerate(lines):
        joined = "\n".join(lines[index:])
        match = _TIME_BLOCK.search(joined)
        if match and match.start() < len(line) and _owner_like(line[: match.start()]):
            owners.extend(_fragments(line[: match.start()].strip()) if match.start() else [])
            times = [re.sub(r"\s+", " ", t) for t in match.groups() if t]
            return owners, times, joined[match.end() :].split("\n")
        if not _owner_like(line):
            return owners, [], lines[index:]
        owners.extend(_fragments(line))
    return owners, [], []


def _continues(previous: str, fragment: str) -> bool:
    """Whether `fragment` goes on the cell `previous` ended (see module rules)."""
    last = previous.split(" ")[-1]
    return (
        not fragment[:1].isupper()
        or previous[-1:] in ",;:-&/"
        or last in _CONNECTORS
        or fold(last) in _UNFINISHED
    )


def _split_owners(fragments: list[str]) -> tuple[str | None, str | None]:
    lead: list[str] = []
    coordinators: list[str] = []
    for fragment in fragments:
        if coordinators or lead and not _continues(lead[-1], fragment):
            coordinators.append(fragment)
        else:
            lead.append(fragment)
    return join_words(lead), join_words(coordinators)


# -- rows -----------------------------------------------------------------------------------
def _is_data(row: Row) -> bool:
    first = next((str(c).strip() for c in row if c is not None and str(c).strip()), "")
    token = first.split(" ")[0].rstrip(".")
    return outline_parts(token) is not None or roman_value(token) is not None


def _from_rows(
    rows: Sequence[Row],
    columns: Mapping[str, int | str] | None,
    origins: Sequence[tuple[int | None, int | None]] | None = None,
) -> list[_Draft]:
    what = f"{WHAT} table"
    layout = layout_of(rows, columns)
    drafts: list[_Draft] = []
    section: tuple[str, str | None] | None = None
    for index, row in numbered_data_rows(rows, layout, what=what):
        cell = {c.field: pick(row, layout, c.field) for c in COLUMNS}
        stt = (cell_text(cell["outline"]) or "").rstrip(".")
        number = stt.split(" ")[0].rstrip(".")
        if number and roman_value(number) is not None:
            title = stt[len(number) :].strip(" .") or cell_text(cell["title"], multiline=True)
            title, stt, rest = split_section_title(title)
            section = (number, cell_text(title))
            if stt is None:
                continue
            cell["title"] = rest  # the section's first row, in the title cell with it
        if not stt:
            if drafts:
                _continue_draft(drafts[-1], cell)
            continue
        page, line = origins[index] if origins is not None else (None, index + 1)
        draft = _Draft(section=section, outline=stt, page=page, line=line)
        _continue_draft(draft, cell)
        drafts.append(draft)
    if not drafts:
        raise ValueError(f"{what}: no numbered rows")
    return drafts


def _more(old: str | None, new: str | None, sep: str = " ") -> str | None:
    if not new:
        return old
    if not old:
        return new
    return f"{old}{sep}{new}"


def _continue_draft(draft: _Draft, cell: Mapping[str, str | None]) -> None:
    """Fill a row, or add a continuation row (empty STT: a cell split across pages)."""
    draft.code = _more(draft.code, cell_text(cell["code"]), "")
    draft.title = _more(draft.title, cell_text(cell["title"]))
    draft.lead_text = _more(draft.lead_text, cell_text(cell["lead"]))
    draft.coordinators_text = _more(draft.coordinators_text, cell_text(cell["coordinators"]))
    draft.start_text = _more(draft.start_text, cell_text(cell["start"]))
    draft.deadline_text = _more(draft.deadline_text, cell_text(cell["deadline"]))
    draft.product = append_cell(draft.product, cell_text(cell["product"], multiline=True))


# -- assembly -------------------------------------------------------------------------------
def _finish(drafts: list[_Draft]) -> list[PlanRow]:
    rows: list[PlanRow] = []
    seen: set[tuple[str, str]] = set()  # (section, outline): numbering may restart per section
    for draft in drafts:
        start, deadline = draft.start_text, draft.deadline_text
        if start and start == deadline and not re.search(r"\d", start):
            start = None
        parts = draft.outline.split(".")
        section = draft.section[0] if draft.section else ""
        parent = next(
            (
                ".".join(parts[:cut])
                for cut in range(len(parts) - 1, 0, -1)
                if (section, ".".join(parts[:cut])) in seen
            ),
            None,
        )
        seen.add((section, draft.outline))
        rows.append(
            PlanRow(
                section_number=draft.section[0] if draft.section else None,
                section_title=draft.section[1] if draft.section else None,
                outline=draft.outline,
                code=draft.code,
                title=draft.title or "",
                lead_text=repair_owner_text(draft.lead_text),
                leads=split_names(repair_owner_text(draft.lead_text)),
                coordinators_text=repair_owner_text(draft.coordinators_text),
                coordinators=split_names(repair_owner_text(draft.coordinators_text)),
                start_text=start,
                deadline_text=deadline,
                product=draft.product,
                parent_outline=parent,
                page=draft.page,
                line=draft.line,
                unsplit=draft.unsplit,
            )
        )
    return rows
