"""Read a conclusion notice (Thông báo kết luận), a directive letter, a decision's articles or
a party committee's plan into a header and tasks.

Pure (stdlib + the deadline engine): text in, frozen values out; nothing touches the database.
The text is what an office worker gets by copying out of a PDF, a Word file, a web page or a
Markdown conversion, so the reading is line based and forgiving. Everything is NFC; CRLF and
CR are line breaks; a form feed is a page break (a PDF's text, page by page): items then say
their page and their line on it, else their line in the text.

Markup that is not structure: "#" heading marks, "**"/"__"/"*" emphasis, the backslash of an
escaped number ("2\\." → "2."; other escapes such as "\\-" stay in the text as written).

Header: see ``letterhead`` (lines or a table, as Word files and law libraries lay it out).

Artefacts that are not structure: page-number lines ("2", "- 2 -", "Trang 2"); footnote bodies
(a line opening with a superscript number, with a number glued to a capital "1Quyết định …", or
"1 Quyết định …" after the long blank separator line) up to the line that ends with a full
stop (at most 8 lines, never past a bullet or a numbered line), and their markers glued to a
word ("Quyết định1", "Đề án¹"; not "m²"); "file:///" print lines.

Paragraphs. A bullet ("-", "–", "•", "*", "a)"; "+" for a sub-bullet) or a numbered line ("1.",
"2.1.", "II.", "IV-") starts a block when the line before closes a sentence (ends with . : ; !
? …) or is short, and the number is the next one (or 1, or any number for the first numbered
line: an excerpt may start at "3."): a number at the start of a wrapped line ("2024 của tỉnh
…") is text. "Điều 2." opens a decision's article. Other lines join the
block with one space, except in PDF copies (most long lines end mid-sentence; their width W is
measured): there a new paragraph needs a capital letter after a line that closes a sentence
and is shorter than 0.85 W or followed by a blank line, or after an unclosed line shorter than
0.6 W (a title, a heading without colon). Blank lines alone mean nothing in a PDF copy: they
fall inside paragraphs at random, and when one follows nearly every line they are ignored
altogether. The body ends at "Nơi nhận" or at a signature line ("TL. CHỦ TỊCH", "KT. …").

Tasks. A numbered or lettered heading that is only an organisation ("1. Sở Thông tin và
Truyền thông:", "a) Tổ đảng ở Thường trực Ủy ban Kinh tế", colon optional; "1. Sở Tài chính:
…" also makes the rest a task) owns what follows: each bullet is one task, and each plain
paragraph is one task. Organisations are recognised by their first words (``organisations``);
a heading naming a collective ("Các sở, ban, ngành và UBND các huyện …", "UBND cấp huyện") or
several organisations is ``is_group`` (a list of named organisations is read as co-leads by
the import, a collective is expanded against the agency table: neither here). An unnumbered
"Công an tỉnh:" or "- Đối với UBND các huyện:" line is an owner the same way. Outside such a
heading, a paragraph, numbered item or bullet whose subject is an organisation is a task of
that organisation: "Giao Sở Tài chính chủ trì …", "UBND tỉnh giao …", "Đề nghị …", "Yêu cầu
…", "Công an tỉnh: …" (the text after the colon), "Trên cơ sở …, các bộ, … theo chức năng …"
(owner named after an opening clause); one that ends with ":" and is followed by bullets heads
them instead ("…, Đảng đoàn Quốc hội xác định các nhiệm vụ trọng tâm sau:"); a plain one after
a heading's bullets ends that heading. The subject is not an owner when it is the issuer ("UBND
tỉnh", "Chủ tịch UBND tỉnh", "Thủ tướng Chính phủ") or reports the past ("Sở … đã …"). Inside a
heading, a task that names its own lead ("UBND thành phố Quy Nhơn … chủ trì, …") keeps the
heading as owner and gives the lead in ``lead_text``; "phối hợp (với) X" gives
``coordinators_text``. "+" sub-bullets continue a task that ends with ":". ``heading_number``
is the number of the numbered heading the task sits under ("1"; "II" or a topic's number too);
``number`` is the task's own number or letter as written ("2", "2.1", "a"), its STT. A closing
"./." becomes ".".
Not tasks: background and assessment paragraphs (no owner), topic lead-ins ending with ":"
("- Về việc …:", "Đối với các dự án …:", "Trong đó:"), numbered topics that are no
organisation ("1. Về công tác …:" ends the owner), closing formulas ("… thông báo … biết …
./.", "Trân trọng", "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc …", "… nghiêm túc
thực hiện./."), a decision's execution clause ("… chịu trách nhiệm thi hành Quyết định này",
"… căn cứ Quyết định thi hành", "Quyết định này có hiệu lực …"), addressees ("Kính gửi:" and
its list) and the distribution list.

Deadlines: ``find_deadline`` on each task's text; where it finds none, the clause is looked
for here: "(xong/hoàn thành) trước ngày [Quốc khánh] 02/9/2025" (words between "ngày" and the
date), a recurrence inside the sentence ("… thực hiện hằng năm theo …", "định kỳ 6 tháng"), and
"thường xuyên" as the task's manner, before its verb ("thường xuyên đánh giá kết quả …", "một
cách thường xuyên"; not "các nhiệm vụ thường xuyên", "chi thường xuyên": routine duties, the
budget's recurrent spending) → continuous. The reference date is the header's date, else
``reference``; with tasks and neither, ValueError (text without tasks needs no date).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.imports.parsers.letterhead import (
    BULLET,
    NUMBERED,
    NoticeHeader,
    closed,
    flatten_letterhead,
    read_header,
)
from app.imports.parsers.organisations import (
    ORG,
    VERB_WORDS,
    bare_org,
    coordinators,
    org_count,
    subject,
)
from app.imports.parsers.organisations import is_group as names_collective
from app.imports.parsers.plain import plain, squash
from app.tasks.deadlines import Deadline, DeadlineKind, find_deadline, parse_deadline

__all__ = ["NoticeHeader", "NoticeItem", "ParsedNotice", "paragraphs", "parse_notice"]

_SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_FULL_STOP = re.compile(r"\.[\"”’)]*$")
# A footnote body ends at its full stop, at a bullet or numbered line, or after this many lines.
_FOOTNOTE_LINES = 8
_PAGE_NUMBER = re.compile(r"^(?:[-–—]\s*)?\d{1,3}(?:\s*[-–—])?$|^Trang\s+\d+(?:\s*/\s*\d+)?$", re.I)
_LETTERED = re.compile(r"^([a-zđ])\)\s*(?=\S)")
_SUB_BULLET = re.compile(r"^\+\s*(?=\S)")
_ARTICLE = re.compile(r"^Điều\s+(\d{1,3})\s*[.:]\s*")
_STOP = re.compile(r"^(?:Noi nhan\b|(?:TL|KT|TM|Q)\s*\.\s*[A-Z]{2})")
_LEAD_IN = re.compile(r"^(?:Ve|Doi voi|Trong do|Cu the)\b.*:$")
_CLOSING = re.compile(
    r"\bthông báo\b.*\bbiết\b|\bthông báo (?:để|đến|cho)\b|\btrân trọng\b|^trong quá trình\b.*\b(?:khó khăn|vướng mắc)\b"
    r"|\bbiết,?\s+(?:để\s+)?(?:tổ chức\s+)?(?:triển khai\s+)?(?:thực hiện|triển khai|phối hợp"
    r"|theo dõi)\b.*\./\.\s*$|\bnghiêm túc\b.{0,40}\bthực hiện\s*\./\.\s*$"
    r"|\b(?:chịu|có) trách nhiệm\s+thi hành\b|\bcăn cứ (?:Quyết định|Chỉ thị|Nghị quyết) thi hành"
    r"|\bthi hành (?:Quyết định|Chỉ thị|Nghị quyết|Thông tư) này\b"
    r"|^(?:Quyết định|Chỉ thị|Nghị quyết|Thông tư) này có hiệu lực\b",
    re.I,
)
# The clauses looked for when the deadline reader finds none in a task (module docstring).
_DAY_CLAUSE = re.compile(
    r"(?:(?:xong|hoàn thành)\s+)?(?:trước|chậm nhất(?:\s+là)?|hạn)\s+ngày\s+"
    r"(?:[^\d.;,:]{1,30}?\s)?\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{2,4})?",
    re.I,
)
_RECURRENCE = re.compile(
    r"\b(?:định kỳ\s+)?(?:hằng|hàng|mỗi)\s+(?:năm|quý|tháng|tuần)\b"
    r"|\bđịnh kỳ\s+(?:\d+|một|hai|ba|sáu)\s+(?:tháng|năm)\b",
    re.I,
)
_DAY = re.compile(r"\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{2,4})?")
_ROUTINE = re.compile(rf"\bthường xuyên(?=\s+(?:{VERB_WORDS})\b)|\bmột cách thường xuyên\b", re.I)


@dataclass(frozen=True)
class NoticeItem:
    """One task: its owner as written, its text and the deadline found in it; ``number`` its
    own number as written (STT), ``line`` where it starts (the line of its page when ``page``
    is set: a text with page breaks)."""

    agency: str
    is_group: bool
    heading_number: str | None
    text: str
    deadline_text: str | None = None
    deadline: Deadline | None = None
    lead_text: str | None = None
    coordinators_text: str | None = None
    number: str | None = None
    page: int | None = None
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        deadline = self.deadline.to_json() if self.deadline else None
        return {
            "agency": self.agency,
            "is_group": self.is_group,
            "heading_number": self.heading_number,
            "text": self.text,
            "deadline_text": self.deadline_text,
            "deadline": deadline,
            "lead_text": self.lead_text,
            "coordinators_text": self.coordinators_text,
            "number": self.number,
            "page": self.page,
            "line": self.line,
        }


@dataclass(frozen=True)
class ParsedNotice:
    """A notice's header and its tasks in document order."""

    header: NoticeHeader
    items: tuple[NoticeItem, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"header": self.header.to_dict(), "items": [i.to_dict() for i in self.items]}


Where = tuple[int | None, int]  # (page or None, line)


@dataclass
class _Block:
    kind: str  # "heading", "bullet", "sub", "para", "article" or "stop"
    number: str | None
    text: str
    where: Where | None = None


@dataclass(frozen=True)
class _Owner:
    agency: str
    is_group: bool
    number: str | None


@dataclass(frozen=True)
class _Found:
    owner: _Owner
    text: str
    lead: str | None
    number: str | None
    where: Where | None


# --- lines: clean text, drop markup, page numbers and footnotes -----------------------------
_EMPHASIS = re.compile(r"\*\*|__|(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")


def _unmark(line: str) -> str:
    line = re.sub(r"^\s*#{1,6}\s+", "", line)
    line = _EMPHASIS.sub(lambda m: m.group(1) or "", line)
    return re.sub(r"^(\s*\d{1,2}(?:\.\d{1,2})*)\\([.)])", r"\1\2", line)


def _lines(text: str) -> tuple[list[str], list[Where]]:
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u00a0", " ").replace("\u00ad", "")
    text = re.sub("[\u200b\u200c\u200d\ufeff]", "", text)
    pages = text.split("\f")
    paged = len(pages) > 1
    lines: list[str] = []
    where: list[Where] = []
    number = 0
    for page, content in enumerate(pages, 1):
        for in_page, raw in enumerate(re.split(r"\r\n|\r|\n", content), 1):
            number += 1
            lines.append(_unmark(raw).rstrip())
            where.append((page, in_page) if paged else (None, number))
    return lines, where


def _footnote_start(line: str, after_separator: bool) -> str | None:
    """The footnote's number if ``line`` opens a footnote body."""
    match = re.match(rf"([{_SUP}]+)\s*\S", line)
    if match:
        return match.group(1).translate(str.maketrans(_SUP, "0123456789"))
    match = re.match(r"(\d{1,2})(\s*)(\w)(\w)", line)
    if not match or not match.group(3).isupper() or match.group(3).isdigit():
        return None
    if match.group(2):  # "1 Quyết định …" only under the separator line
        return match.group(1) if after_separator else None
    # Glued to a capitalised word ("1Quyết định …"), not to a token such as "4G".
    return match.group(1) if match.group(4).islower() else None


def _strip_marker(kept: list[str | None], number: str) -> None:
    """Remove the nearest earlier marker of footnote ``number`` glued to a word."""
    glued = re.compile(rf"(?:(?<=[^\W\d_][^\W\d_])|(?<=[”\")]))({number})(?=[\s,.;:)”\"]|$)")
    for index in range(len(kept) - 1, -1, -1):
        line = kept[index]
        matches = list(glued.finditer(line)) if line else []
        if matches:
            last = matches[-1]
            kept[index] = line[: last.start()] + line[last.end() :]
            return


def _looks_like_a_marker(line: str) -> bool:
    """A bullet or numbered line ("- Triển khai …", "2. Sở …"), whatever comes before it."""
    bullet = BULLET.match(line)
    if bullet:
        return not line[bullet.end()].islower()
    numbered = NUMBERED.match(line)
    return bool(numbered) and line[numbered.end()].isupper()


def _without_artefacts(
    lines: list[str], where: list[Where]
) -> tuple[list[str | None], list[Where]]:
    """Content lines stripped, None for blank lines; page numbers and footnotes removed.
    Each kept line keeps its place in the document (the second list)."""
    kept: list[str | None] = []
    kept_where: list[Where] = []
    after_separator = False
    footnote_left = 0  # lines a footnote body may still take: it ends at a full stop
    for raw, place in zip(lines, where, strict=True):
        line = raw.strip()
        if footnote_left and not _looks_like_a_marker(line):
            footnote_left = 0 if line and _FULL_STOP.search(line) else footnote_left - 1
            continue
        footnote_left = 0
        if not line:
            after_separator = after_separator or len(raw) >= 10 or bool(re.match(r"_{5,}$", raw))
            kept.append(None)
            kept_where.append(place)
            continue
        number = _footnote_start(line, after_separator)
        after_separator = False
        if number is not None:
            _strip_marker(kept, number)
            footnote_left = 0 if _FULL_STOP.search(line) else _FOOTNOTE_LINES
        elif _PAGE_NUMBER.match(line) or line.lower().startswith("file:///"):
            continue
        else:
            kept.append(re.sub(rf"(?<![mM])[{_SUP}]+", "", line))
            kept_where.append(place)
    return kept, kept_where


# --- blocks: join wrapped lines into bullets, headings and paragraphs ----------------------


def _measure(lines: list[str | None]) -> float | None:
    """The line width of a PDF copy (most long lines end mid-sentence), else None."""
    long = [line for line in lines if line and len(line) >= 40]
    open_ = sorted(len(line) for line in long if not closed(line))
    if len(open_) < 5 or len(open_) < 0.5 * len(long):
        return None
    return float(open_[(3 * len(open_)) // 4])


def _blank_lines_mean_something(lines: list[str | None]) -> bool:
    """False when a copy puts a blank line after (nearly) every line, as some PDFs do."""
    after = [lines[i + 1] is None for i in range(len(lines) - 1) if lines[i] is not None]
    return not after or sum(after) <= 0.75 * len(after)


class _Reflow:
    """Build blocks line by line, remembering the line before and the heading numbers."""

    def __init__(self, width: float | None, gaps: bool) -> None:
        self.width = width
        self.gaps = gaps
        self.blocks: list[_Block] = []
        self.previous: str | None = None
        self.gap = False
        self.top = 0
        self.numbered = False  # a numbered item has been seen
        self.where: Where | None = None

    def short(self, line: str, share: float) -> bool:
        return self.width is None or len(line) < share * self.width

    def boundary(self) -> bool:
        prev = self.previous
        return prev is None or closed(prev) or self.short(prev, 0.85)

    def add(self, kind: str, number: str | None, text: str) -> None:
        self.blocks.append(_Block(kind, number, text, self.where))

    def feed(self, line: str | None, where: Where | None = None) -> None:
        if line is None:
            self.gap = self.gaps
            return
        self.where = where
        if _STOP.match(plain(line)):
            self.add("stop", None, "")
        elif not self.marker(line):
            self.continue_or_start(line)
        self.previous, self.gap = line, False

    def marker(self, line: str) -> bool:
        if not self.boundary():
            return False
        article = _ARTICLE.match(line)
        if article:
            self.add("article", None, line[article.end() :])
            return True
        numbered = NUMBERED.match(line)
        if numbered and line[numbered.end()].isupper() and self.in_sequence(numbered):
            number = numbered.group(1) or numbered.group(2)
            self.add("heading", number, line[numbered.end() :])
            return True
        for kind, pattern in (("sub", _SUB_BULLET), ("bullet", BULLET)):
            match = pattern.match(line)
            if match and not line[match.end()].islower():
                lettered = _LETTERED.match(line)
                self.add(kind, lettered.group(1) if lettered else None, line[match.end() :])
                return True
        return False

    def in_sequence(self, numbered: re.Match[str]) -> bool:
        if numbered.group(2):  # a Roman section restarts the numbering
            self.top = 0
            return True
        first = int(numbered.group(1).split(".")[0])
        if "." in numbered.group(1):
            return first in (self.top, self.top + 1) or not self.numbered
        if first in (1, self.top + 1) or not self.numbered:  # an excerpt may start at "3."
            self.top, self.numbered = first, True
            return True
        return False

    def continue_or_start(self, line: str) -> None:
        last = self.blocks[-1] if self.blocks else None
        if last is None or last.kind == "stop" or self.starts_paragraph(line, last):
            self.add("para", None, line)
        else:
            joiner = "" if re.search(r"\S-$", last.text) else " "
            last.text = f"{last.text}{joiner}{line}" if last.text else line

    def starts_paragraph(self, line: str, last: _Block) -> bool:
        prev = self.previous or ""
        if not last.text or not (line[0].isupper() or line[0] in '“"('):
            return False
        if self.width is None:
            return True
        if closed(prev):
            return self.gap or self.short(prev, 0.85)
        heading_ends = last.kind == "heading" and bare_org(last.text, closed=_CLOSED) is not None
        return self.short(prev, 0.85 if heading_ends else 0.6)


_CLOSED = re.compile(r"[.:;!?…][\"”’)\]]*$")


def _blocks(lines: list[str | None], where: list[Where] | None = None) -> list[_Block]:
    reflow = _Reflow(_measure(lines), _blank_lines_mean_something(lines))
    for index, line in enumerate(lines):
        reflow.feed(line, where[index] if where else None)
    for block in reflow.blocks:
        block.text = squash(block.text)
    return reflow.blocks


def _read(text: str) -> tuple[NoticeHeader, list[_Block]]:
    lines, where = _without_artefacts(*_lines(text))
    lines, where = flatten_letterhead(lines, where)
    header, start = read_header(lines)
    return header, _blocks(lines[start:], where[start:])


def paragraphs(text: str) -> list[str]:
    """The body as blocks of joined lines, markers kept ("1. …", "- …"), artefacts removed."""
    _, blocks = _read(text)
    marks = {"bullet": "- ", "sub": "+ "}
    out = []
    for block in blocks:
        if block.kind == "stop":
            break
        prefix = f"{block.number}. " if block.kind == "heading" else marks.get(block.kind, "")
        out.append(prefix + block.text)
    return out


# --- owners and tasks ------------------------------------------------------------------------


def _bare_org(text: str) -> str | None:
    return bare_org(text, closed=_CLOSED)


def _owner_line(text: str) -> str | None:
    """The organisation of a line such as "Công an tỉnh:" or "Đối với UBND các huyện:"."""
    if not text.endswith(":"):
        return None
    prefix = re.match(r"(?:Doi voi|Giao)\s+", plain(text))
    return _bare_org(text[prefix.end() :] if prefix else text)


def _subject_org(text: str) -> tuple[str, str] | None:
    """(organisation, task text) when ``text`` gives its task to an organisation."""
    found = subject(text)
    if found is None:
        return None
    colon = text.find(":", found.start)
    if colon > 0 and (name := _bare_org(text[found.start : colon])):
        rest = text[colon + 1 :].strip()
        return (name, rest) if rest else None
    return found.name, text


def _is_group(agency: str) -> bool:
    return names_collective(agency) or org_count(agency) >= 2


class _Tasks:
    """Walk the blocks, keeping the current owner, and collect the tasks."""

    def __init__(self, blocks: list[_Block]) -> None:
        self.blocks = blocks
        self.owner: _Owner | None = None
        self.owner_has_bullets = False
        self.found: list[_Found] = []
        self.open_item = False  # the last block was a task ending with ":"
        self.section: str | None = None  # the number of the numbered heading we are under

    def run(self) -> list[_Found]:
        for index, block in enumerate(self.blocks):
            if block.kind == "stop":
                break
            nxt = self.blocks[index + 1] if index + 1 < len(self.blocks) else None
            if _CLOSING.search(block.text):
                self.owner, self.open_item = None, False
            elif block.kind == "heading":
                self.heading(block, nxt)
            elif block.kind == "sub" and self.open_item:
                last = self.found[-1]
                self.found[-1] = _Found(
                    last.owner, f"{last.text} {block.text}", last.lead, last.number, last.where
                )
            else:
                self.paragraph(block, nxt)
        return self.found

    def add(self, owner: _Owner, text: str, lead: str | None, block: _Block) -> None:
        text = re.sub(r"\./\.$", ".", text)  # the document's end mark is not the task's
        self.found.append(_Found(owner, text, lead, block.number, block.where))
        self.open_item = text.endswith(":")

    def heading(self, block: _Block, nxt: _Block | None) -> None:
        head, _, rest = block.text.partition(":")
        name = _bare_org(head if rest.strip() else block.text)
        self.owner, self.owner_has_bullets, self.open_item = None, False, False
        self.section = block.number
        if name is None:
            self.paragraph(block, nxt)
            return
        self.owner = _Owner(name, _is_group(name), block.number)
        if rest.strip():
            self.add(self.owner, rest.strip(), None, block)

    def paragraph(self, block: _Block, nxt: _Block | None) -> None:
        self.open_item = False
        number = self.section
        text = block.text
        if block.kind != "heading" and (name := _owner_line(text)):
            self.owner, self.owner_has_bullets = _Owner(name, _is_group(name), number), False
            return
        if block.kind == "bullet" and block.number and nxt is not None and nxt.kind == "bullet":
            name = _bare_org(text)
            if name is not None:  # "a) Tổ đảng ở Thường trực …" heading the bullets after it
                self.owner = _Owner(name, _is_group(name), number)
                self.owner_has_bullets = False
                return
        if not text or _LEAD_IN.match(plain(text)):
            return
        found = _subject_org(text)
        closes = block.kind in ("para", "article") and found is not None and self.owner_has_bullets
        if self.owner is not None and not closes:
            lead = found[0] if found and found[0] != self.owner.agency else None
            self.add(self.owner, found[1] if found else text, lead, block)
            self.owner_has_bullets |= block.kind in ("bullet", "sub")
            return
        self.owner = None
        if found is None:
            return
        owner = _Owner(found[0], _is_group(found[0]), number)
        if text.endswith(":") and nxt is not None and nxt.kind == "bullet":
            self.owner, self.owner_has_bullets = owner, False
            return
        if found[1].endswith(":"):  # a lead-in ("…, X yêu cầu:") whatever follows it
            return
        self.add(owner, found[1], None, block)


def _closing_issuer(blocks: list[_Block]) -> str | None:
    """The subject of "UBND tỉnh thông báo … biết …", for notices whose header lost it."""
    for block in blocks:
        match = re.match(r"(.{2,60}?)\s+thông báo\b", block.text)
        if match and _CLOSING.search(block.text) and ORG.match(plain(match.group(1))):
            return match.group(1)
    return None


# --- deadlines ------------------------------------------------------------------------------


def find_task_deadline(text: str, on: date) -> tuple[str, Deadline] | None:
    """The deadline clause of a task and its reading (see the module docstring), or None."""
    hit = find_deadline(text, reference=on)
    if hit is not None:
        return hit
    candidates = []
    for pattern in (_DAY_CLAUSE, _RECURRENCE, _ROUTINE):
        for match in pattern.finditer(text):
            phrase = match.group().strip()
            deadline = parse_deadline(phrase, reference=on)
            if deadline.kind is DeadlineKind.UNSPECIFIED and pattern is _DAY_CLAUSE:
                # "trước ngày Quốc khánh 02/9/2025": the reader reads the date as written
                phrase = _DAY.search(phrase).group()  # type: ignore[union-attr]
                deadline = parse_deadline(phrase, reference=on)
            if deadline.kind is not DeadlineKind.UNSPECIFIED:
                candidates.append((match.start(), phrase, deadline))
                break
    if not candidates:
        return None
    _, phrase, deadline = min(candidates, key=lambda candidate: candidate[0])
    return phrase, deadline


def parse_notice(text: str, *, reference: date | None = None) -> ParsedNotice:
    """Read a notice's header and tasks; the module docstring gives the rules."""
    header, blocks = _read(text or "")
    if header.issuer is None and (issuer := _closing_issuer(blocks)):
        header = NoticeHeader(header.kind, header.number, header.issued_on, issuer, header.subject)
    found = _Tasks(blocks).run()
    on = header.issued_on or reference
    if found and on is None:
        raise ValueError(
            "The notice prints no date and no reference date was given: "
            "pass reference= (the meeting's or the notice's date) to read its deadlines."
        )
    items = []
    for task in found:
        hit = find_task_deadline(task.text, on) if on else None
        page, line = task.where if task.where else (None, None)
        items.append(
            NoticeItem(
                agency=task.owner.agency,
                is_group=task.owner.is_group,
                heading_number=task.owner.number,
                text=task.text,
                deadline_text=hit[0] if hit else None,
                deadline=hit[1] if hit else None,
                lead_text=task.lead,
                coordinators_text=coordinators(task.text),
                number=task.number,
                page=page,
                line=line,
            )
        )
    return ParsedNotice(header=header, items=tuple(items))
