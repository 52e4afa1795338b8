"""Read a conclusion notice (Thông báo kết luận) or a directive letter into a header and tasks.

Pure (stdlib + the deadline engine): text in, frozen values out; nothing touches the database.
The text is what an office worker gets by copying out of a PDF or a Word file, so the reading
is line based and forgiving. Everything is NFC; CRLF, CR and form feeds are line breaks.

Header (where present, else None): ``kind`` from the title line ("THÔNG BÁO" → conclusion,
"CHỈ THỊ" → directive, …) or else from the symbol ("/TB-", "/CT-", "1239/UBND-KSTT" → an
official letter); ``number`` from "Số: 1239 /UBND-KSTT" (spaces around "/" dropped);
``issued_on`` from the place-and-date line "Bình Định, ngày 20 tháng 02 năm 2025" (a body
sentence "Ngày 18 tháng 01 năm 2024, tại …" is a meeting, not the issue date); ``issuer`` from
the upper-case lines left of the national motto, or else from a closing formula's subject
("UBND tỉnh thông báo …"); ``subject`` from "V/v …" or from the lines under the title.

Artefacts that are not structure: page-number lines ("2", "- 2 -", "Trang 2"); footnote bodies
(a line opening with a superscript number, with a number glued to a capital "1Quyết định …", or
"1 Quyết định …" after the long blank separator line) up to the line that ends with a full
stop (at most 8 lines, never past a bullet or a numbered line), and their markers glued to a
word ("Quyết định1", "Đề án¹"; not "m²"); "file:///" print lines.

Paragraphs. A bullet ("-", "–", "•", "a)"; "+" for a sub-bullet) or a numbered line ("1.",
"2.1.", "II.") starts a block when the line before closes a sentence (ends with . : ; ! ? …)
or is short, and the number is the next one (or 1): a number at the start of a wrapped line
("2024 của tỉnh …") is text. Other lines join the block with one space, except in PDF copies
(most long lines end mid-sentence; their width W is measured): there a new paragraph needs a
capital letter after a line that closes a sentence and is shorter than 0.85 W or followed by a
blank line, or after an unclosed line shorter than 0.6 W (a title, a heading without colon).
Blank lines alone mean nothing in a PDF copy: they fall inside paragraphs at random, and when
one follows nearly every line they are ignored altogether. The body ends at "Nơi nhận" or at a
signature line ("TL. CHỦ TỊCH", "KT. …", "TM. …").

Tasks. A numbered heading that is only an organisation ("1. Sở Thông tin và Truyền thông:",
colon optional; "1. Sở Tài chính: …" also makes the rest a task) owns what follows: each
bullet is one task, and each plain paragraph is one task. An organisation is recognised by its
first words (Sở, Ban, Cục, Công an, Văn phòng, UBND, Ủy ban, Tỉnh đoàn, Các sở …); a heading
naming a collective ("Các sở, ban, ngành và UBND các huyện …", "UBND cấp huyện") or several
organisations is ``is_group`` and is expanded later against the agency table, not here. An
unnumbered "Công an tỉnh:" or "- Đối với UBND các huyện:" line is an owner the same way.
Outside such a heading, a paragraph or bullet whose subject is an organisation is a task of
that organisation: "Giao Sở Tài chính chủ trì …", "UBND tỉnh giao …", "Đề nghị …", "Công an
tỉnh: …" (the text after the colon); one that ends with ":" and is followed by bullets heads
them instead; a plain one after a heading's bullets ends that heading. The subject is not an
owner when it is the issuer ("UBND tỉnh", "Chủ tịch UBND tỉnh") or reports the past ("Sở …
đã …", "đang"). Inside a heading, a task that names its own lead ("UBND thành phố Quy Nhơn …
chủ trì, …") keeps the heading as owner and gives the lead in ``lead_text``; "phối hợp với X"
gives ``coordinators_text`` (up to the next verb, ending at "(có) liên quan"). "+" sub-bullets
continue a task that ends with ":". ``heading_number`` is the number of the numbered heading
the task sits under ("1"; "II" or a topic's number too). A closing "./." becomes ".".
Not tasks: background and assessment paragraphs (no owner), topic lead-ins ending with ":"
("- Về việc …:", "Đối với các dự án …:", "Trong đó:"), numbered topics that are no
organisation ("1. Về công tác …:" ends the owner), closing formulas ("… thông báo … biết …
./.", "Trân trọng", "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc …", "… nghiêm túc
thực hiện./."), addressees ("Kính gửi:" and its list) and the distribution list.

Deadlines: ``find_deadline`` on each task's text; the reference date is the header's date,
else ``reference``; with tasks and neither, ValueError (text without tasks needs no date).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.tasks.deadlines import Deadline, find_deadline

_SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_FULL_STOP = re.compile(r"\.[\"”’)]*$")
# A footnote body ends at its full stop, at a bullet or numbered line, or after this many lines.
_FOOTNOTE_LINES = 8
_CLOSED = re.compile(r"[.:;!?…][\"”’)\]]*$")
_PAGE_NUMBER = re.compile(r"^(?:[-–—]\s*)?\d{1,3}(?:\s*[-–—])?$|^Trang\s+\d+(?:\s*/\s*\d+)?$", re.I)
_BULLET = re.compile(r"^(?:[-–—•●▪◦∙*]|[a-zđ]\))\s*(?=\S)")
_SUB_BULLET = re.compile(r"^\+\s*(?=\S)")
_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)(?:[.)]\s*|\s+)(?=\S)|^([IVX]{1,4})\.\s*(?=\S)")
_STOP = re.compile(r"^(?:Noi nhan\b|(?:TL|KT|TM|Q)\s*\.\s*[A-Z]{2})")
_LEAD_IN = re.compile(r"^(?:Ve|Doi voi|Trong do|Cu the)\b.*:$")
_MOTTO = re.compile(r"CONG HOA XA HOI CHU NGHIA VIET NAM|Doc lap\s*-\s*Tu do\s*-\s*Hanh phuc", re.I)
_NUMBER = re.compile(r"\bSo\s*:\s*(\d*)\s*/\s*([A-Z0-9][\w./-]*)")
_DATE = re.compile(
    r"([A-Z][A-Za-z ]{1,30}),\s*ngay\s+(\d{1,2})(?:\s+thang\s+|\s*[/.-]\s*)"
    r"(\d{1,2})(?:\s+nam\s+|\s*[/.-]\s*)(\d{4})"
)
_BODY_OPENS = re.compile(
    r"(?:Kinh gui|Can cu|Thuc hien|Sau khi|Vua qua|Hom nay|(?:Sang |Chieu |Toi )?[Nn]gay \d)"
)
_TITLES = {
    "THONG BAO": "conclusion",
    "THONG BAO KET LUAN": "conclusion",
    "KET LUAN": "conclusion",
    "CHI THI": "directive",
    "QUYET DINH": "decision",
    "KE HOACH": "plan",
    "NGHI QUYET": "resolution",
    "CONG VAN": "official_letter",
    "BAO CAO": "other",
    "TO TRINH": "other",
}
_SYMBOLS = {"TB": "conclusion", "CT": "directive", "QD": "decision", "KH": "plan"}
_SYMBOLS |= {"NQ": "resolution", "BC": "other", "TTr": "other"}

# Organisations by their first words (matched on the plain form, so "Ủy"/"Uỷ" both read).
_ORG = re.compile(
    r"(?:(?:So|Ban|Bo|Cuc|Chi cuc|Dai|Bao|Truong|Vien|Benh vien|Hoi|Hoi dong|Doan|Trung tam"
    r"|Lien doan|Lien minh|Mat tran|Cong ty|Tong cong ty|Chi nhanh|Cang vu|Hoc vien)\s+[A-Z]"
    r"|Van phong\s+(?:[A-Z]|UBND)|Uy ban\s|UBND\b|Cong an\b|Bo doi\b|Kho bac\b|Ngan hang\b"
    r"|Bao hiem xa hoi\b|Buu dien\b|Dien luc\b|Vien thong\b|Hai quan\b|Dang uy\b"
    r"|(?:Tinh|Huyen|Thanh|Thi) (?:doan|Doan|uy)\b|Thanh tra (?:tinh|huyen|So|Chinh phu)\b"
    r"|(?:Thu truong|Giam doc|Chu tich (?:UBND|Uy ban|Hoi))\s"
    r"|[Cc]ac (?:so|ban|nganh|co quan|don vi|dia phuong|huyen|xa|thanh vien|to chuc|hoi|doan the"
    r"|doanh nghiep|chu dau tu|phong|truong|Bo|So|Ban|Hoi|UBND|Uy ban)\b)"
)
_GIVER = re.compile(
    r"^(?:(?:(?:Pho )?Chu tich )?(?:UBND|Uy ban nhan dan) tinh,?\s+)?"
    r"(?:[Gg]iao|[Dd]e nghi|[Yy]eu cau|[Cc]hi dao)\s+(?:cho\s+)?"
)
_ISSUER_ITSELF = re.compile(r"(?:(?:Pho )?Chu tich )?(?:UBND|Uy ban nhan dan) tinh\b")
_GROUP = re.compile(r"\b(?:cac|nhung)\s|\bcap (?:tinh|huyen|xa)\b", re.I)
_VERB_WORDS = (
    "chủ trì|phối hợp|tham mưu|khẩn trương|thực hiện|triển khai|tổ chức|xây dựng|rà soát|"
    "nghiên cứu|hướng dẫn|theo dõi|kiểm tra|đôn đốc|báo cáo|tiếp tục|có trách nhiệm|"
    "chịu trách nhiệm|chỉ đạo|đề xuất|trình|bố trí|tập trung|chủ động|sớm|kịp thời|đảm bảo|"
    "bảo đảm|thẩm định|tổng hợp|cung cấp|cập nhật|phải|cần|là|được|làm|quan tâm|hoàn thành|"
    "hoàn thiện|ban hành|lập|căn cứ|tăng cường|đẩy mạnh|duy trì|vận hành|ưu tiên|đưa|tập huấn|"
    "tuyên truyền|giám sát|xử lý|giải quyết|chuẩn bị|tiếp thu|khắc phục|thống nhất|hỗ trợ|"
    "phấn đấu|tích cực|nghiêm túc|thường xuyên|liên hệ|trao đổi|phổ biến|thúc đẩy|tiến hành|"
    "khảo sát|đánh giá|bổ sung|điều chỉnh|lựa chọn|giao|yêu cầu|kết luận|đề nghị|sẽ|đã|đang|"
    "vừa|cơ bản"
)
_VERB = re.compile(rf"(?<!\w)(?:{_VERB_WORDS})(?!\w)")
_PAST = ("đã", "đang", "vừa", "cơ bản")
_COORDINATORS = re.compile(r"phối hợp(?: chặt chẽ)? với\s+", re.I)
_CLOSING = re.compile(
    r"\bthông báo\b.*\bbiết\b|\btrân trọng\b|^trong quá trình\b.*\b(?:khó khăn|vướng mắc)\b"
    r"|\bbiết,?\s+(?:để\s+)?(?:tổ chức\s+)?(?:triển khai\s+)?(?:thực hiện|triển khai|phối hợp"
    r"|theo dõi)\b.*\./\.\s*$|\bnghiêm túc\b.{0,40}\bthực hiện\s*\./\.\s*$",
    re.I,
)


def _plain_table() -> dict[int, str]:
    table = {ord("đ"): "d", ord("Đ"): "D"}
    for code in range(0xC0, 0x1F00):
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base.isascii() and base.isalpha() and chr(code) != base:
            table[code] = base
    return table


_PLAIN = _plain_table()


def _plain(text: str) -> str:
    """Each NFC character to its unaccented letter ("Đ" → "D"), case and length kept."""
    return text.translate(_PLAIN)


def _squash(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class NoticeHeader:
    """The document's own particulars; None where the text does not print them."""

    kind: str | None = None
    number: str | None = None
    issued_on: date | None = None
    issuer: str | None = None
    subject: str | None = None

    def to_dict(self) -> dict[str, Any]:
        issued_on = self.issued_on.isoformat() if self.issued_on else None
        return {
            "kind": self.kind,
            "number": self.number,
            "issued_on": issued_on,
            "issuer": self.issuer,
            "subject": self.subject,
        }


@dataclass(frozen=True)
class NoticeItem:
    """One task: its owner as written, its text and the deadline found in it."""

    agency: str
    is_group: bool
    heading_number: str | None
    text: str
    deadline_text: str | None = None
    deadline: Deadline | None = None
    lead_text: str | None = None
    coordinators_text: str | None = None

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
        }


@dataclass(frozen=True)
class ParsedNotice:
    """A notice's header and its tasks in document order."""

    header: NoticeHeader
    items: tuple[NoticeItem, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"header": self.header.to_dict(), "items": [i.to_dict() for i in self.items]}


@dataclass
class _Block:
    kind: str  # "heading", "bullet", "sub", "para" or "stop"
    number: str | None
    text: str


@dataclass(frozen=True)
class _Owner:
    agency: str
    is_group: bool
    number: str | None


# --- lines: clean text, drop page numbers and footnotes ------------------------------------


def _lines(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u00a0", " ").replace("\u00ad", "")
    text = re.sub("[\u200b\u200c\u200d\ufeff]", "", text)
    return [line.rstrip() for line in text.splitlines()]


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
    bullet = _BULLET.match(line)
    if bullet:
        return not line[bullet.end()].islower()
    numbered = _NUMBERED.match(line)
    return bool(numbered) and line[numbered.end()].isupper()


def _without_artefacts(lines: list[str]) -> list[str | None]:
    """Content lines stripped, None for blank lines; page numbers and footnotes removed."""
    kept: list[str | None] = []
    after_separator = False
    footnote_left = 0  # lines a footnote body may still take: it ends at a full stop
    for raw in lines:
        line = raw.strip()
        if footnote_left and not _looks_like_a_marker(line):
            footnote_left = 0 if line and _FULL_STOP.search(line) else footnote_left - 1
            continue
        footnote_left = 0
        if not line:
            after_separator = after_separator or len(raw) >= 10 or bool(re.match(r"_{5,}$", raw))
            kept.append(None)
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
    return kept


# --- header ---------------------------------------------------------------------------------


def _header(lines: list[str | None]) -> tuple[NoticeHeader, int]:
    """Read the header block; return it and the index of the first body line."""
    found: dict[str, Any] = {}
    issuer: list[str] = []
    index = 0
    while index < min(len(lines), 60):
        line = lines[index]
        used = 1 if line is None else _header_line(line, lines, index, found, issuer)
        if used == 0:
            break
        index += used
    if not found and not issuer:
        index = 0
    kind = found.get("kind") or found.get("symbol_kind")
    header = NoticeHeader(
        kind=kind,
        number=found.get("number"),
        issued_on=found.get("issued_on"),
        issuer=" ".join(issuer) or None,
        subject=found.get("subject"),
    )
    return header, index


def _header_line(
    line: str, lines: list[str | None], index: int, found: dict[str, Any], issuer: list[str]
) -> int:
    """Lines consumed by the header element at ``index``; 0 when the body begins there."""
    plain = _plain(line)
    motto = _MOTTO.search(plain)
    if motto:
        left = line[: motto.start()].strip()
        if left and left.isupper() and "kind" not in found:
            issuer.append(left)
        return 1
    if _number_and_date(line, plain, found):
        return 1
    title = _TITLES.get(_squash(plain)) if line.isupper() else None
    if title and "kind" not in found:
        found["kind"] = title
        return 1 + _subject(lines, index + 1, found, strip=None)
    if re.match(r"V/v\b", plain, re.I):
        return _subject(lines, index, found, strip=re.compile(r"^V/v\s*:?\s*", re.I))
    if re.match(r"Kinh gui\b", plain):
        return _addressees(lines, index)
    if re.fullmatch(r"[_\-=*.]{3,}", line):
        return 1
    if line.isupper() and len(line) <= 60 and not _NUMBERED.match(line) and not found:
        issuer.append(line)
        return 1
    return 0


def _number_and_date(line: str, plain: str, found: dict[str, Any]) -> bool:
    number = _NUMBER.search(plain)
    if number:
        symbol = line[number.start(2) : number.end(2)].rstrip(".,")
        if number.group(1):
            found["number"] = f"{number.group(1)}/{symbol}"
        code = re.split(r"[-/]", _plain(symbol))[0]
        found["symbol_kind"] = _SYMBOLS.get(code, "official_letter")
    start = number.end() if number else 0
    dated = _DATE.search(plain, start)
    if dated and plain[start : dated.start()].strip():
        dated = None
    if dated:
        day, month, year = (int(dated.group(g)) for g in (2, 3, 4))
        try:
            found["issued_on"] = date(year, month, day)
        except ValueError:
            found["issued_on"] = None
    return bool(number or dated)


def _subject(
    lines: list[str | None], index: int, found: dict[str, Any], *, strip: re.Pattern[str] | None
) -> int:
    """Collect subject lines from ``index`` (at most six) up to the body."""
    parts: list[str] = []
    cursor = index
    while cursor < len(lines) and len(parts) < 6:
        line = lines[cursor]
        if line is None:
            cursor += 1
            continue
        if parts and not _runs_on(parts[-1], line, lines[index:cursor]):
            break
        parts.append(line)
        cursor += 1
    subject = _squash(" ".join(parts))
    if strip is not None:
        subject = strip.sub("", subject)
    if subject:
        found["subject"] = subject
    return max(cursor - index, 1)


def _runs_on(previous: str, line: str, before: list[str | None]) -> bool:
    """Whether ``line`` continues a subject: PDF copies put blank lines inside it too."""
    blanks = 0
    for earlier in reversed(before):
        if earlier is not None:
            break
        blanks += 1
    plain = _plain(line)
    if _BODY_OPENS.match(plain) or _NUMBER.search(plain) or line.isupper():
        return False
    if line[0].islower():
        return True
    if _NUMBERED.match(line) or _BULLET.match(line) or _closed(line) or len(line) > 100:
        return False
    return blanks == 0 or (blanks == 1 and not _closed(previous))


def _addressees(lines: list[str | None], index: int) -> int:
    """The "Kính gửi: …" line and the bullet list of addressees under it."""
    cursor = index + 1
    while cursor < len(lines):
        line = lines[cursor]
        if line is not None and not (_BULLET.match(line) and len(line.split()) <= 20):
            break
        cursor += 1
    return cursor - index


# --- blocks: join wrapped lines into bullets, headings and paragraphs ----------------------


def _closed(line: str) -> bool:
    return bool(_CLOSED.search(line))


def _measure(lines: list[str | None]) -> float | None:
    """The line width of a PDF copy (most long lines end mid-sentence), else None."""
    long = [line for line in lines if line and len(line) >= 40]
    open_ = sorted(len(line) for line in long if not _closed(line))
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

    def short(self, line: str, share: float) -> bool:
        return self.width is None or len(line) < share * self.width

    def boundary(self) -> bool:
        prev = self.previous
        return prev is None or _closed(prev) or self.short(prev, 0.85)

    def feed(self, line: str | None) -> None:
        if line is None:
            self.gap = self.gaps
            return
        if _STOP.match(_plain(line)):
            self.blocks.append(_Block("stop", None, ""))
        elif not self.marker(line):
            self.continue_or_start(line)
        self.previous, self.gap = line, False

    def marker(self, line: str) -> bool:
        if not self.boundary():
            return False
        numbered = _NUMBERED.match(line)
        if numbered and line[numbered.end()].isupper() and self.in_sequence(numbered):
            number = numbered.group(1) or numbered.group(2)
            self.blocks.append(_Block("heading", number, line[numbered.end() :]))
            return True
        for kind, pattern in (("sub", _SUB_BULLET), ("bullet", _BULLET)):
            match = pattern.match(line)
            if match and not line[match.end()].islower():
                self.blocks.append(_Block(kind, None, line[match.end() :]))
                return True
        return False

    def in_sequence(self, numbered: re.Match[str]) -> bool:
        if numbered.group(2):  # a Roman section restarts the numbering
            self.top = 0
            return True
        first = int(numbered.group(1).split(".")[0])
        if "." in numbered.group(1):
            return first in (self.top, self.top + 1)
        if first in (1, self.top + 1):
            self.top = first
            return True
        return False

    def continue_or_start(self, line: str) -> None:
        last = self.blocks[-1] if self.blocks else None
        if last is None or last.kind == "stop" or self.starts_paragraph(line, last):
            self.blocks.append(_Block("para", None, line))
        else:
            joiner = "" if re.search(r"\S-$", last.text) else " "
            last.text = f"{last.text}{joiner}{line}" if last.text else line

    def starts_paragraph(self, line: str, last: _Block) -> bool:
        prev = self.previous or ""
        if not last.text or not (line[0].isupper() or line[0] in '“"('):
            return False
        if self.width is None:
            return True
        if _closed(prev):
            return self.gap or self.short(prev, 0.85)
        heading_ends = last.kind == "heading" and _bare_org(last.text) is not None
        return self.short(prev, 0.85 if heading_ends else 0.6)


def _blocks(lines: list[str | None]) -> list[_Block]:
    reflow = _Reflow(_measure(lines), _blank_lines_mean_something(lines))
    for line in lines:
        reflow.feed(line)
    for block in reflow.blocks:
        block.text = _squash(block.text)
    return reflow.blocks


def paragraphs(text: str) -> list[str]:
    """The body as blocks of joined lines, markers kept ("1. …", "- …"), artefacts removed."""
    lines = _without_artefacts(_lines(text))
    _, start = _header(lines)
    marks = {"bullet": "- ", "sub": "+ "}
    out = []
    for block in _blocks(lines[start:]):
        if block.kind == "stop":
            break
        prefix = f"{block.number}. " if block.kind == "heading" else marks.get(block.kind, "")
        out.append(prefix + block.text)
    return out


# --- owners and tasks ------------------------------------------------------------------------


def _bare_org(text: str) -> str | None:
    """``text`` (a colon allowed at its end) as an organisation's name, or None."""
    name = text.rstrip(" :").strip()
    plain = _plain(name)
    if not _ORG.match(plain) or _ISSUER_ITSELF.match(plain) or _CLOSED.search(name):
        return None
    if len(name.split()) > 20 or _VERB.search(name) or ":" in name:
        return None
    return name


def _owner_line(text: str) -> str | None:
    """The organisation of a line such as "Công an tỉnh:" or "Đối với UBND các huyện:"."""
    if not text.endswith(":"):
        return None
    prefix = re.match(r"(?:Doi voi|Giao)\s+", _plain(text))
    return _bare_org(text[prefix.end() :] if prefix else text)


def _subject_org(text: str) -> tuple[str, str] | None:
    """(organisation, task text) when ``text`` opens with an organisation as its subject."""
    giver = _GIVER.match(_plain(text))
    start = giver.end() if giver else 0
    if not _ORG.match(_plain(text), start):
        return None
    colon = text.find(":", start)
    if colon > 0 and (name := _bare_org(text[start:colon])):
        rest = text[colon + 1 :].strip()
        return (name, rest) if rest else None
    verb = _VERB.search(text, start)
    if verb is None or verb.group() in _PAST:
        return None
    name = text[start : verb.start()].strip(" ,")
    if not name or len(name.split()) > 16 or re.search(r"[.;:(]", name):
        return None
    if _ISSUER_ITSELF.match(_plain(name)):
        return None
    return name, text


def _is_group(agency: str) -> bool:
    plain = _plain(agency)
    if _GROUP.search(plain):
        return True
    parts = re.split(r",\s*|\s+va\s+", plain)
    return sum(1 for part in parts if _ORG.match(part)) >= 2


def _coordinators(text: str) -> str | None:
    match = _COORDINATORS.search(text)
    if match is None:
        return None
    rest = text[match.end() :]
    stops = [m.start() for m in (_VERB.search(rest), re.search(r"[;.:(]", rest)) if m]
    phrase = rest[: min(stops, default=len(rest))]
    related = re.search(r"liên quan", phrase)
    if related:
        phrase = phrase[: related.end()]
    return phrase.strip(" ,") or None


class _Tasks:
    """Walk the blocks, keeping the current owner, and collect the tasks."""

    def __init__(self, blocks: list[_Block]) -> None:
        self.blocks = blocks
        self.owner: _Owner | None = None
        self.owner_has_bullets = False
        self.found: list[tuple[_Owner, str, str | None]] = []
        self.open_item = False  # the last block was a task ending with ":"
        self.section: str | None = None  # the number of the numbered heading we are under

    def run(self) -> list[tuple[_Owner, str, str | None]]:
        for index, block in enumerate(self.blocks):
            if block.kind == "stop":
                break
            nxt = self.blocks[index + 1] if index + 1 < len(self.blocks) else None
            if _CLOSING.search(block.text):
                self.owner, self.open_item = None, False
            elif block.kind == "heading":
                self.heading(block, nxt)
            elif block.kind == "sub" and self.open_item:
                owner, text, lead = self.found[-1]
                self.found[-1] = (owner, f"{text} {block.text}", lead)
            else:
                self.paragraph(block, nxt)
        return self.found

    def add(self, owner: _Owner, text: str, lead: str | None) -> None:
        text = re.sub(r"\./\.$", ".", text)  # the document's end mark is not the task's
        self.found.append((owner, text, lead))
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
            self.add(self.owner, rest.strip(), None)

    def paragraph(self, block: _Block, nxt: _Block | None) -> None:
        self.open_item = False
        number = self.section
        text = block.text
        if block.kind != "heading" and (name := _owner_line(text)):
            self.owner, self.owner_has_bullets = _Owner(name, _is_group(name), number), False
            return
        if not text or _LEAD_IN.match(_plain(text)):
            return
        subject = _subject_org(text)
        closes = block.kind == "para" and subject is not None and self.owner_has_bullets
        if self.owner is not None and not closes:
            lead = subject[0] if subject and subject[0] != self.owner.agency else None
            self.add(self.owner, subject[1] if subject else text, lead)
            self.owner_has_bullets |= block.kind in ("bullet", "sub")
            return
        self.owner = None
        if subject is None:
            return
        owner = _Owner(subject[0], _is_group(subject[0]), number)
        if text.endswith(":") and nxt is not None and nxt.kind == "bullet":
            self.owner, self.owner_has_bullets = owner, False
            return
        self.add(owner, subject[1], None)


def _closing_issuer(blocks: list[_Block]) -> str | None:
    """The subject of "UBND tỉnh thông báo … biết …", for notices whose header lost it."""
    for block in blocks:
        match = re.match(r"(.{2,60}?)\s+thông báo\b", block.text)
        if match and _CLOSING.search(block.text) and _ORG.match(_plain(match.group(1))):
            return match.group(1)
    return None


def parse_notice(text: str, *, reference: date | None = None) -> ParsedNotice:
    """Read a notice's header and tasks; the module docstring gives the rules."""
    lines = _without_artefacts(_lines(text or ""))
    header, start = _header(lines)
    blocks = _blocks(lines[start:])
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
    for owner, task, lead in found:
        hit = find_deadline(task, reference=on) if on else None
        items.append(
            NoticeItem(
                agency=owner.agency,
                is_group=owner.is_group,
                heading_number=owner.number,
                text=task,
                deadline_text=hit[0] if hit else None,
                deadline=hit[1] if hit else None,
                lead_text=lead,
                coordinators_text=_coordinators(task),
            )
        )
    return ParsedNotice(header=header, items=tuple(items))
