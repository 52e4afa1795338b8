"""A document's letterhead: issuer, number and symbol, place and date, kind, subject. Pure.

Read from lines (as a PDF or a plain copy gives them) or from a table, as Word files and
converted copies lay it out: a law library's copy separates the table's cells with lines
holding only "|" and breaks the cells' words over several lines ("ỦY BAN NHÂN / DÂN / TỈNH
ĐỒNG THÁP / -------- / |"); a Markdown copy writes each row as "| cell | cell |" with "<br>"
between a cell's lines. `flatten_letterhead` turns either into one line per cell (a law
library's) or per cell line (Markdown's), the dashes under the issuer and the motto dropped, so
the same line rules read them: no bar or dash ends up in the issuer.

Rules, in the header (at most its first 60 lines, up to the body):
``kind`` from the title line ("THÔNG BÁO" → conclusion, "QUYẾT ĐỊNH" → decision, …) or else
from the symbol ("/TB-", "/CT-", "1239/UBND-KSTT" → an official letter, "3260-KH/ĐĐQH15" → a
plan); ``number`` from "Số: 1239 /UBND-KSTT" or a party's "Số 3260-KH/ĐĐQH15" (spaces around
"/" dropped); ``issued_on`` from the place-and-date line "Bình Định, ngày 20 tháng 02 năm 2025";
``issuer`` from the upper-case lines before the national motto (or left of it on one line);
``subject`` from "V/v …", else from the lines under the title — lower case ("Ý kiến kết luận
của …") or upper case ("BAN HÀNH QUY ĐỊNH VỀ …", up to an authority line such as "ỦY BAN NHÂN
DÂN TỈNH …").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.imports.parsers.plain import plain, squash

HEADER_LINES = 60
CLOSED = re.compile(r"[.:;!?…][\"”’)\]]*$")
BULLET = re.compile(r"^(?:[-–—•●▪◦∙*]|[a-zđ]\))\s*(?=\S)")
NUMBERED = re.compile(
    r"^(\d{1,2}(?:\.\d{1,2})*)(?:\\?[.)]\s*|\s+)(?=\S)|^([IVX]{1,4})\\?[.-]\s*(?=\S)"
)
_MOTTO = re.compile(r"CONG HOA XA HOI CHU NGHIA VIET NAM|Doc lap\s*-\s*Tu do\s*-\s*Hanh phuc", re.I)
_PARTY_MOTTO = re.compile(r"^DANG CONG SAN VIET NAM$")
_NUMBER = re.compile(r"\bSo\s*:?\s*(\d*)\s*([/-])\s*([A-Z0-9][\w./-]*)")
_DATE = re.compile(
    r"([A-Z][A-Za-z ]{1,30}),\s*ngay\s+(\d{1,2})(?:\s+thang\s+|\s*[/.-]\s*)"
    r"(\d{1,2})(?:\s+nam\s+|\s*[/.-]\s*)(\d{4})"
)
_BODY_OPENS = re.compile(
    r"(?:Kinh gui|Can cu|Thuc hien|Sau khi|Vua qua|Hom nay|(?:Sang |Chieu |Toi )?[Nn]gay \d)"
)
_AUTHORITY = re.compile(
    r"^(?:UY BAN NHAN DAN|UBND|CHU TICH|BO TRUONG|THU TUONG|HOI DONG NHAN DAN|BAN THUONG VU"
    r"|BAN CHAP HANH|GIAM DOC|CHINH PHU)\b"
)
_DASHES = re.compile(r"^[_\-–—=*.]{3,}$")
_BAR = re.compile(r"^\|$")
_MARKDOWN_ROW = re.compile(r"^\|.*\|$")
_MARKDOWN_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")
TITLES = {
    "THONG BAO": "conclusion",
    "THONG BAO KET LUAN": "conclusion",
    "KET LUAN": "conclusion",
    "CHI THI": "directive",
    "QUYET DINH": "decision",
    "KE HOACH": "plan",
    "NGHI QUYET": "resolution",
    "CONG VAN": "official_letter",
    "CONG DIEN": "directive",
    "BAO CAO": "other",
    "TO TRINH": "other",
}
_SYMBOLS = {"TB": "conclusion", "CT": "directive", "QD": "decision", "KH": "plan"}
_SYMBOLS |= {"NQ": "resolution", "BC": "other", "TTr": "other", "CD": "directive"}


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


def closed(line: str) -> bool:
    return bool(CLOSED.search(line))


# --- a letterhead laid out as a table --------------------------------------------------------
_BODY_STARTS = re.compile(r"(?:Kinh gui|Can cu|Thuc hien|Sau khi|Vua qua|Hom nay)\b")


def _title_or_body(line: str) -> bool:
    text = plain(line)
    return (line.isupper() and squash(text) in TITLES) or bool(_BODY_STARTS.match(text))


def flatten_letterhead(
    lines: list[str | None], where: list[Any]
) -> tuple[list[str | None], list[Any]]:
    """The letterhead's table cells as lines (see the module docstring); `where` (each line's
    position in the document) follows: a merged cell keeps its first line's position."""
    limit = min(len(lines), HEADER_LINES)
    bars, rows = [], []
    for index in range(limit):
        line = lines[index]
        if line is None:
            continue
        if _title_or_body(line) or len(line) > 120:
            break
        if _BAR.match(line):
            bars.append(index)
        elif _MARKDOWN_ROW.match(line) or _MARKDOWN_RULE.match(line):
            rows.append(index)
    if len(bars) >= 2:
        return _law_library_cells(lines, where, bars[-1])
    if rows:
        return _markdown_cells(lines, where, set(rows))
    return lines, where


def _law_library_cells(
    lines: list[str | None], where: list[Any], last_bar: int
) -> tuple[list[str | None], list[Any]]:
    out: list[str | None] = []
    out_where: list[Any] = []
    cell: list[str] = []
    first: Any = None

    def close() -> None:
        if cell:
            out.append(squash(" ".join(cell)))
            out_where.append(first)
        cell.clear()

    for index in range(last_bar + 1):
        line = lines[index]
        if line is None or _DASHES.match(line):
            continue
        if _BAR.match(line):
            close()
            continue
        if not cell:
            first = where[index]
        cell.append(line)
    close()
    return out + lines[last_bar + 1 :], out_where + where[last_bar + 1 :]


def _markdown_cells(
    lines: list[str | None], where: list[Any], rows: set[int]
) -> tuple[list[str | None], list[Any]]:
    out: list[str | None] = []
    out_where: list[Any] = []
    for index, line in enumerate(lines):
        if index not in rows:
            out.append(line)
            out_where.append(where[index])
            continue
        if line is None or _MARKDOWN_RULE.match(line):
            continue
        for cell in re.split(r"(?<!\\)\|", line.strip().strip("|")):
            for part in re.split(r"<br\s*/?>", cell, flags=re.I):
                part = part.strip()
                if part and not _DASHES.match(part):
                    out.append(part)
                    out_where.append(where[index])
    return out, out_where


# --- reading the header ------------------------------------------------------------------------
def read_header(lines: list[str | None]) -> tuple[NoticeHeader, int]:
    """Read the header block; return it and the index of the first body line."""
    found: dict[str, Any] = {}
    issuer: list[str] = []
    index = 0
    while index < min(len(lines), HEADER_LINES):
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
    text = plain(line)
    motto = _MOTTO.search(text)
    if motto:
        left = line[: motto.start()].strip()
        if left and left.isupper() and "kind" not in found:
            issuer.append(left)
        found.setdefault("motto", True)
        return 1
    if _PARTY_MOTTO.match(text):
        found.setdefault("motto", True)
        return 1
    if _number_and_date(line, text, found):
        return 1
    title = TITLES.get(squash(text)) if line.isupper() else None
    if title and "kind" not in found:
        found["kind"] = title
        return 1 + _subject(lines, index + 1, found, strip=None, upper=True)
    if re.match(r"V/v\b", text, re.I):
        return _subject(lines, index, found, strip=re.compile(r"^V/v\s*:?\s*", re.I))
    if re.match(r"Kinh gui\b", text):
        return _addressees(lines, index)
    if _DASHES.match(line) or _BAR.match(line):
        return 1
    started = {"number", "issued_on", "kind"} & set(found)
    if line.isupper() and len(line) <= 60 and not NUMBERED.match(line) and not started:
        issuer.append(line)
        return 1
    return 0


def _number_and_date(line: str, text: str, found: dict[str, Any]) -> bool:
    number = _NUMBER.search(text)
    if number:
        symbol = line[number.start(3) : number.end(3)].rstrip(".,")
        if number.group(1):
            found["number"] = f"{number.group(1)}{number.group(2)}{symbol}"
        code = re.search(r"[A-Za-z]+", plain(symbol))  # "2019/QĐ-UBND" → "QD"
        found["symbol_kind"] = _SYMBOLS.get(code.group() if code else "", "official_letter")
    start = number.end() if number else 0
    dated = _DATE.search(text, start)
    if dated and text[start : dated.start()].strip():
        dated = None
    if dated:
        day, month, year = (int(dated.group(g)) for g in (2, 3, 4))
        try:
            found["issued_on"] = date(year, month, day)
        except ValueError:
            found["issued_on"] = None
    return bool(number or dated)


def _subject(
    lines: list[str | None],
    index: int,
    found: dict[str, Any],
    *,
    strip: re.Pattern[str] | None,
    upper: bool = False,
) -> int:
    """Collect subject lines from ``index`` (at most six) up to the body."""
    parts: list[str] = []
    cursor = index
    while cursor < len(lines) and len(parts) < 6:
        line = lines[cursor]
        if line is None:
            cursor += 1
            continue
        if parts and not _runs_on(parts[-1], line, lines[index:cursor], upper=upper):
            break
        if not parts and upper and _AUTHORITY.match(plain(line)):
            break
        parts.append(line)
        cursor += 1
    subject = squash(" ".join(parts))
    if strip is not None:
        subject = strip.sub("", subject)
    if subject:
        found["subject"] = subject
    return max(cursor - index, 1)


def _runs_on(previous: str, line: str, before: list[str | None], *, upper: bool) -> bool:
    """Whether ``line`` continues a subject: PDF copies put blank lines inside it too."""
    blanks = 0
    for earlier in reversed(before):
        if earlier is not None:
            break
        blanks += 1
    text = plain(line)
    if _BODY_OPENS.match(text) or _NUMBER.search(text) or _AUTHORITY.match(text):
        return False
    if line.isupper():
        return upper and previous.isupper() and blanks == 0 and not closed(previous)
    if line[0].islower():
        return True
    if NUMBERED.match(line) or BULLET.match(line) or closed(line) or len(line) > 100:
        return False
    return blanks == 0 or (blanks == 1 and not closed(previous))


def _addressees(lines: list[str | None], index: int) -> int:
    """The "Kính gửi: …" line and the bullet list of addressees under it."""
    cursor = index + 1
    while cursor < len(lines):
        line = lines[cursor]
        if line is not None and not (BULLET.match(line) and len(line.split()) <= 20):
            break
        cursor += 1
    return cursor - index
