"""Tables as the plan and appendix parsers read them: rows of cells from .xlsx/.docx files,
and the shared rules for headers, cells and text copied out of a PDF.

Readers (pure: a path or a binary file in, plain lists out; nothing is written anywhere):

* ``xlsx_rows(file, sheet=None)`` -- openpyxl in read-only mode, cached values of formulas.
  A merged range gives its top-left value to every cell it covers (so "Cơ quan thực hiện"
  heads both Chủ trì and Phối hợp, and a lead merged down several rows belongs to each row).
  Numbers and dates come back as the text an office user typed: 2022 not 2022.0, "01128"
  when the cell format pads with zeros, a date in the cell's own d/m/y order ("15/9/2022",
  "08/2022"); trailing empty cells and empty rows at the end are dropped.
* ``docx_tables(file)`` -- python-docx; every table of the body, each cell's paragraphs joined
  with line breaks. A horizontally or vertically merged cell repeats its text in every grid
  position it covers, as Word shows it.

Header rules, shared by both parsers:

* The header is the first 1-4 rows, up to the first data row: the height whose labels name
  every required field and the most fields wins, the fewest rows on a tie. A table whose first
  row is data has no header: its columns are told from the cells (``column_guess``). A column's label is its header cells top to bottom, folded (no diacritics, "đ" → "d",
  lower case), so "TG hoàn thành" under "Thời gian thực hiện" reads "thoi gian thuc hien tg
  hoan thanh". Each field claims the first unclaimed column whose label matches one of its
  patterns, fields in a fixed order so that the specific beats the general.
* A row of column letters or numbers ("(A) (B) (C)", "1 2 3") right under the header, and any
  later row that repeats a header row, is not content.
* When the header cannot be mapped, ``ValueError`` names the missing columns and lists the
  labels found. ``columns={"field": index or header label}`` maps columns explicitly.

Tables written with pipes or tabs: see `written_tables`; the columns of a table without
header: see `column_guess`.

Text rules (a PDF copy): lines are NFC, runs of spaces collapsed; blank lines and ``file://``
or ``http(s)://`` link lines are dropped; everything before the first table header is not the
table; each repetition of that header (compared line by line) becomes a ``PAGE_BREAK``. Page
numbers next to a page break are dropped: "- 12 -" and "Trang 12" always, a bare "12" only when
such numbers count the pages (a bare number could as well be an STT or a Mã số). A glyph the PDF
font lost ("B c", "ng n": an initial and a final consonant with no vowel between them, which no
Vietnamese syllable can be) is restored as "ắ", the glyph these fonts drop ("Bắc", "ngắn").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from os import PathLike
from typing import IO, Any

from app.text import fold, nfc

Row = Sequence[str | None]
FileArg = str | PathLike[str] | IO[bytes]

PAGE_BREAK = "\f"
_SPACES = re.compile(r"[ \t\u00a0]+")
_LINK = re.compile(r"^(?:file|https?)://\S*$", re.IGNORECASE)
_PAGE_NUMBER = re.compile(r"^(?:-\s*\d{1,3}\s*-|\d{1,3}|trang\s+\d{1,3}(?:\s*/\s*\d{1,3})?)$", re.I)
_COLUMN_INDEX = re.compile(r"^\(?(?:[a-z]|\d{1,2})\)?$")
_INITIAL = r"(?:[Nn]gh|[CcGgKkNnPpTt]h|[Nn]g|[Tt]r|[BbCcDdĐđGgHhKkLlMmNnPpRrSsTtVvXx])"
_FINAL = r"(?:ch|ng|nh|[cmnpt])"
_LOST_GLYPH = re.compile(rf"(?<!\S)({_INITIAL}) ({_FINAL})(?=$|[\s,.;:)])")
TERMINAL = ".:!?…"
_BULLET = re.compile(r"^[-–+•]\s")
_NUMBERED = re.compile(r"^\d{1,2}\.\s")
_PARENTHESISED = re.compile(r"^\(\d{1,2}\)\s")


# -- cells and lines ------------------------------------------------------------------------
def clean_line(value: str) -> str:
    """One line: NFC, runs of spaces collapsed, trimmed."""
    return _SPACES.sub(" ", nfc(value) or "").strip()


def cell_lines(value: object) -> list[str]:
    """A cell's non-empty lines, each cleaned."""
    if value is None:
        return []
    return [line for line in (clean_line(part) for part in str(value).splitlines()) if line]


def cell_text(value: object, *, multiline: bool = False) -> str | None:
    """A cell as one string (lines joined by spaces, or kept apart with `multiline`)."""
    lines = cell_lines(value)
    if not lines:
        return None
    return ("\n" if multiline else " ").join(lines)


def join_words(parts: Iterable[str]) -> str | None:
    """Wrapped fragments of one cell joined with spaces; a line ending "QĐ-" glues to the next
    ("299/QĐ-" + "UBND" → "299/QĐ-UBND"), a spaced dash does not ("kinh tế -" + "xã hội")."""
    text = ""
    for part in (clean_line(p) for p in parts):
        if not part:
            continue
        if text and re.search(r"\S-$", text) and not part.startswith("-"):
            text += part
        else:
            text = f"{text} {part}" if text else part
    return text or None


def starts_paragraph(previous: str, line: str, *, width: int | None = None) -> bool:
    """Whether `line` opens a new paragraph after `previous` in a wrapped cell.

    `width` is the longest line of that column in characters; a line under 75 % of it stops
    short, as a paragraph's last line does. A bullet ("- ", "+ ") or a numbered point ("2. ")
    opens one after a line ending in . : ; ! ? … or stopping short; "(3) " after . : ! ? … or a
    short line (after ";" it is a list run on in one paragraph); any other line after a short
    line ending a sentence."""
    previous = previous.rstrip()
    if not previous:
        return False
    end = previous[-1]
    short = width is not None and len(previous) < 0.75 * width
    if _BULLET.match(line) or _NUMBERED.match(line):
        return end in TERMINAL + ";" or short
    if _PARENTHESISED.match(line):
        return end in TERMINAL or short and end != ";"
    return short and end in TERMINAL


def append_cell(old: str | None, new: str | None) -> str | None:
    """A cell continued in the next row (split across pages): a new paragraph where
    `starts_paragraph` says so, or when the first part ends a sentence and the rest opens
    with a capital; else the two parts are one paragraph."""
    if not old or not new:
        return old or new
    last, first = old.split("\n")[-1], new.split("\n")[0]
    opens = starts_paragraph(last, first) or last[-1:] in TERMINAL and first[:1].isupper()
    return f"{old}{chr(10) if opens else ' '}{new}"


def join_paragraphs(lines: Sequence[str], *, width: int | None = None) -> str | None:
    """Wrapped lines of one cell: one output line per paragraph (see `starts_paragraph`)."""
    paragraphs: list[list[str]] = []
    for raw in lines:
        line = clean_line(raw)
        if not line:
            continue
        if paragraphs and not starts_paragraph(paragraphs[-1][-1], line, width=width):
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
    text = "\n".join(filter(None, (join_words(p) for p in paragraphs)))
    return text or None


def restore_lost_glyphs(line: str) -> str:
    """ "B c Trung bộ" → "Bắc Trung bộ" (see the module docstring)."""
    return _LOST_GLYPH.sub(r"\1ắ\2", line)


# -- a row swallowed into a section's title --------------------------------------------------
_ROW_IN_TITLE = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)\.?\s+(\S.*)$")


def split_section_title(title: str | None) -> tuple[str | None, str | None, str | None]:
    """(section title, STT, row title) of a section row's title cell that also holds the first
    row of the section, as a PDF's cells not each on their own line give it ("Nhận thức\n1.
    Xây dựng …"): the row starts at the first line opening with a number. Without such a
    line: (title, None, None)."""
    lines = (title or "").split("\n")
    for index, line in enumerate(lines[1:], 1):
        match = _ROW_IN_TITLE.match(line.strip())
        if match and match.group(2)[:1].isupper():
            rest = "\n".join([match.group(2), *lines[index + 1 :]])
            return " ".join(lines[:index]).strip() or None, match.group(1), rest
    return title, None, None


# -- roman numerals and outlines ------------------------------------------------------------
_ROMAN = re.compile(r"^(?=[IVXLC])(?:C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
MAX_STEP = 9


def roman_value(text: str) -> int | None:
    """The value of an upper-case Roman numeral up to 399, else None."""
    if not _ROMAN.match(text):
        return None
    total = 0
    for index, char in enumerate(text):
        value = _ROMAN_VALUES[char]
        following = _ROMAN_VALUES[text[index + 1]] if index + 1 < len(text) else 0
        total += -value if value < following else value
    return total


def outline_parts(text: str) -> tuple[int, ...] | None:
    """ "1.1.2.8" → (1, 1, 2, 8); None when not a dotted number without leading zeros."""
    if not re.fullmatch(r"[1-9]\d{0,2}(?:\.(?:[1-9]\d?|0))*", text):
        return None
    return tuple(int(part) for part in text.split("."))


def follows(previous: tuple[int, ...] | None, outline: tuple[int, ...]) -> bool:
    """Whether `outline` can come next after `previous` in a numbered table: a child, or a
    later sibling at some level, skipping at most `MAX_STEP` numbers (plans skip unused ones:
    1.1.2.8 → 1.3, 5.3.2.2 → 7). The first row can be anything."""
    if previous is None:
        return True
    for before, now in zip(previous, outline, strict=False):
        if before != now:
            return before < now <= before + MAX_STEP
    return len(outline) > len(previous) and outline[len(previous)] <= 2 * MAX_STEP


# -- text tables ----------------------------------------------------------------------------
def _words(line: str) -> list[str]:
    return fold(line).split()


def _is_header_line(line: str, vocabulary: frozenset[str]) -> bool:
    """Words of column labels, "(A) (B)" markers, or a run of column numbers "1 2 3"."""
    words = _words(line)
    if len(words) >= 3 and all(_COLUMN_INDEX.match(w) for w in words):
        return True
    return bool(words) and all(w in vocabulary or re.match(r"^\(\w{1,2}\)$", w) for w in words)


def table_lines(text: str, vocabulary: Iterable[str], *, what: str) -> list[str]:
    """The table part of a PDF text copy as clean lines, repeated headers → `PAGE_BREAK`.

    The header is the first line starting "STT" whose words all belong to `vocabulary` (the
    folded words of the column labels), with the lines after it made of such words too."""
    if not text or not text.strip():
        raise ValueError(f"{what}: the text is empty")
    vocab = frozenset(vocabulary)
    lines = [restore_lost_glyphs(clean_line(raw)) for raw in nfc(text).splitlines()]
    lines = [line for line in lines if line and not _LINK.match(line)]
    start = next(
        (
            i
            for i, line in enumerate(lines)
            if _words(line)[:1] == ["stt"] and _is_header_line(line, vocab)
        ),
        None,
    )
    if start is None:
        return lines  # rows pasted without their header
    end = start + 1
    while end < len(lines) and end - start < 16 and _is_header_line(lines[end], vocab):
        end += 1
    header = [fold(line) for line in lines[start:end]]
    out: list[str] = []
    index = end
    while index < len(lines):
        if [fold(line) for line in lines[index : index + len(header)]] == header:
            index += len(header)
            out.append(PAGE_BREAK)
        else:
            out.append(lines[index])
            index += 1
    return _drop_page_numbers(out)


def _drop_page_numbers(lines: list[str]) -> list[str]:
    """Drop "- 3 -" / "Trang 3" next to a page break, and bare numbers next to page breaks
    when they count pages (the same offset from the break's ordinal at two breaks or more):
    a bare "3" could as well be an STT or a Mã số."""
    breaks = [i for i, line in enumerate(lines) if line == PAGE_BREAK]
    drop: set[int] = set()
    offsets: dict[int, list[int]] = {}
    for ordinal, at in enumerate(breaks):
        for near in (at - 1, at + 1):
            if not 0 <= near < len(lines) or not _PAGE_NUMBER.match(lines[near]):
                continue
            if not lines[near].isdigit():
                drop.add(near)
            elif not lines[near].startswith("0"):
                offsets.setdefault(int(lines[near]) - ordinal, []).append(near)
    counted = max(offsets.values(), key=len, default=[])
    if len(counted) >= 2:
        drop.update(counted)
    return [line for i, line in enumerate(lines) if i not in drop]


# -- header mapping for rows ----------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """A field of a table: its Vietnamese label and the folded header patterns naming it."""

    field: str
    label: str
    patterns: tuple[str, ...]
    required: bool = True

    def matches(self, header: str) -> bool:
        return any(re.search(pattern, header) for pattern in self.patterns)


@dataclass(frozen=True)
class Layout:
    """Where the fields are and where the data starts; `headers` are the columns' labels as
    printed (field → label), `guessed` says the table had no header and its columns were
    told from their cells."""

    columns: dict[str, int]
    header: tuple[tuple[str, ...], ...]
    data_start: int
    headers: dict[str, str] = field(default_factory=dict)
    guessed: bool = False


def _labels(rows: Sequence[Row], height: int) -> list[str]:
    width = max((len(row) for row in rows[:height]), default=0)
    labels = []
    for col in range(width):
        parts = [row[col] for row in rows[:height] if col < len(row)]
        labels.append(fold(" ".join(str(p) for p in parts if p)))
    return labels


def _assign(labels: Sequence[str], spec: Sequence[Column]) -> dict[str, int]:
    taken: dict[str, int] = {}
    for column in spec:
        for index, label in enumerate(labels):
            if index not in taken.values() and label and column.matches(label):
                taken[column.field] = index
                break
    return taken


def is_index_row(row: Row) -> bool:
    """A row of column letters or numbers under a header: "(A) (B) (C)", "1 2 3"."""
    cells = [fold(str(c)) for c in row if c is not None and str(c).strip()]
    return len(cells) >= 3 and all(_COLUMN_INDEX.match(c) for c in cells)


def _found(rows: Sequence[Row]) -> str:
    seen = [str(c).strip() for row in rows[:4] for c in row if c is not None and str(c).strip()]
    return ", ".join(repr(s) for s in dict.fromkeys(seen)) or "nothing"


def locate_columns(
    rows: Sequence[Row],
    spec: Sequence[Column],
    *,
    what: str,
    columns: Mapping[str, int | str] | None = None,
    is_data: Callable[[Row], bool] | None = None,
) -> Layout:
    """Map the fields of `spec` to column indices from the header rows (see module rules)."""
    rows = [list(row) for row in rows if any(c is not None and str(c).strip() for c in row)]
    if not rows:
        raise ValueError(f"{what}: the table is empty")
    fields = {c.field for c in spec}
    if columns is not None:
        unknown = sorted(set(columns) - fields)
        if unknown:
            raise ValueError(f"{what}: unknown fields in columns: {', '.join(unknown)}")
        height = next((i for i, row in enumerate(rows) if is_data and is_data(row)), 1)
        labels = _labels(rows, height)
        mapping = {}
        for name, where in columns.items():
            if isinstance(where, int):
                mapping[name] = where
                continue
            wanted = fold(where)
            found = [i for i, label in enumerate(labels) if label == wanted or wanted in label]
            if not found:
                raise ValueError(f"{what}: no column headed {where!r}; found {_found(rows)}")
            mapping[name] = found[0]
        missing = [f"{c.label} ({c.field})" for c in spec if c.required and c.field not in mapping]
        if missing:
            raise ValueError(f"{what}: columns do not map {', '.join(missing)}")
    elif is_data is not None and is_data(rows[0]):
        from app.imports.parsers.column_guess import infer_columns  # it builds on this module

        return infer_columns(rows, spec, what=what)
    else:
        height, mapping = _best_header(rows, spec, what=what, is_data=is_data)
    header = tuple(_key(row) for row in rows[:height])
    start = height
    while start < len(rows) and is_index_row(rows[start]):
        start += 1
    headers = {name: _printed(rows, height, index) for name, index in mapping.items()}
    return Layout(columns=mapping, header=header, data_start=start, headers=headers)


def _printed(rows: Sequence[Row], height: int, index: int) -> str:
    """A column's header cells as printed, top to bottom, without repeats."""
    parts = [
        clean_line(str(row[index])) for row in rows[:height] if index < len(row) and row[index]
    ]
    return " / ".join(dict.fromkeys(p for p in parts if p))


def _best_header(
    rows: Sequence[Row],
    spec: Sequence[Column],
    *,
    what: str,
    is_data: Callable[[Row], bool] | None,
) -> tuple[int, dict[str, int]]:
    """The header's height (1-4 rows, stopping at the first data row) that names the most
    fields, the fewest rows on a tie; every required field must be named."""
    best: tuple[int, dict[str, int]] = (0, {})
    fallback: tuple[int, dict[str, int]] = (0, {})
    for height in range(1, min(4, len(rows)) + 1):
        if height > 1 and is_data is not None and is_data(rows[height - 1]):
            break
        mapping = _assign(_labels(rows, height), spec)
        if all(c.field in mapping for c in spec if c.required):
            if len(mapping) > len(best[1]):
                best = (height, mapping)
        elif len(mapping) > len(fallback[1]):
            fallback = (height, mapping)
    if best[1]:
        return best
    missing = [f"{c.label} ({c.field})" for c in spec if c.required and c.field not in fallback[1]]
    raise ValueError(
        f"{what}: header not recognised; missing columns: {', '.join(missing)}; "
        f"found: {_found(rows)}"
    )


def _key(row: Row) -> tuple[str, ...]:
    cells = [fold(str(c or "")) for c in row]
    while cells and not cells[-1]:
        cells.pop()
    return tuple(cells)


def numbered_data_rows(
    rows: Sequence[Row], layout: Layout, *, what: str
) -> list[tuple[int, list[str | None]]]:
    """The rows after the header, less repeated header rows and column-index rows, each with
    its index in `rows` (empty rows count: the index is the row's place in the file)."""
    kept = [
        (index, list(row))
        for index, row in enumerate(rows)
        if any(c is not None and str(c).strip() for c in row)
    ]
    out = [
        (index, row)
        for index, row in kept[layout.data_start :]
        if _key(row) not in layout.header and not is_index_row(row)
    ]
    if not out:
        raise ValueError(f"{what}: the table has a header but no rows")
    return out


def data_rows(rows: Sequence[Row], layout: Layout, *, what: str) -> list[list[str | None]]:
    """The rows after the header, less repeated header rows and column-index rows."""
    return [row for _, row in numbered_data_rows(rows, layout, what=what)]


def pick(row: Sequence[str | None], layout: Layout, field: str) -> str | None:
    """The raw cell of `field` in `row` (None when the field has no column)."""
    index = layout.columns.get(field)
    if index is None or index >= len(row):
        return None
    value = row[index]
    return None if value is None else str(value)


# -- readers --------------------------------------------------------------------------------
def _excel_date(value: dt.date, number_format: str) -> str:
    """A date in the order its cell format shows it; Excel's locale short date ("mm-dd-yy",
    format 14) and formats without a d/m/y order read day/month/year, as typed here."""
    fmt = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]|;.*', "", number_format or "").lower()
    order = [t for t in re.findall(r"y+|m+|d+", fmt.split(" ")[0]) if t]
    separator = re.search(r"[/.\-]", fmt)
    if fmt in ("mm-dd-yy", "m/d/yy", "general", "") or "mmm" in fmt or not order:
        order, separator = ["dd", "mm", "yyyy"], None
    parts = []
    for token in order:
        number = {"d": value.day, "m": value.month, "y": value.year}[token[0]]
        if token[0] == "y":
            parts.append(f"{number % 100:02d}" if len(token) <= 2 else str(number))
        else:
            parts.append(f"{number:02d}" if len(token) >= 2 else str(number))
    return (separator.group(0) if separator else "/").join(parts)


def _excel_number(value: float | int, number_format: str) -> str:
    fmt = (number_format or "General").split(";")[0]
    if fmt.endswith("%"):
        return f"{value * 100:g}%"
    padded = re.fullmatch(r"0+", fmt)
    if padded and float(value).is_integer():
        return f"{int(value):0{len(fmt)}d}"
    decimals = re.fullmatch(r"[#,]*0\.(0+)", fmt)
    if decimals:
        return f"{value:.{len(decimals.group(1))}f}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def render_cell(value: object, number_format: str = "General") -> str | None:
    """A cell value as the text a user typed into it (see module docstring)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) or not re.search(r"[hs]", number_format.lower()):
            return _excel_date(value.date(), number_format)
        return f"{_excel_date(value.date(), number_format)} {value:%H:%M}"
    if isinstance(value, dt.date):
        return _excel_date(value, number_format)
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    if isinstance(value, int | float):
        return _excel_number(value, number_format)
    text = nfc(str(value))
    return text if text and text.strip() else None


def _merged_ranges(worksheet: Any) -> list[tuple[int, int, int, int]]:
    """(min_row, min_col, max_row, max_col) of each merged range, read from the sheet XML:
    read-only worksheets do not expose them."""
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.xml.functions import iterparse

    ranges = []
    with worksheet._get_source() as source:
        for _event, element in iterparse(source):
            if element.tag.endswith("}mergeCell"):
                min_col, min_row, max_col, max_row = range_boundaries(element.get("ref"))
                ranges.append((min_row, min_col, max_row, max_col))
            element.clear()
    return ranges


def _row_values(row: Iterable[Any]) -> list[str | None]:
    values: list[str | None] = []
    for cell in row:
        column = getattr(cell, "column", None)
        if column is None:  # an EmptyCell of the read-only reader
            values.append(None)
            continue
        values.extend([None] * (column - 1 - len(values)))
        values.append(render_cell(cell.value, cell.number_format or "General"))
    return values


def _fill_merged(rows: list[list[str | None]], ranges: Iterable[tuple[int, int, int, int]]) -> None:
    for min_row, min_col, max_row, max_col in ranges:
        top = rows[min_row - 1] if min_row - 1 < len(rows) else []
        value = top[min_col - 1] if min_col - 1 < len(top) else None
        for target in rows[min_row - 1 : max_row]:
            target.extend([None] * (max_col - len(target)))
            target[min_col - 1 : max_col] = [value] * (max_col - min_col + 1)


def xlsx_rows(file: FileArg, sheet: str | int | None = None) -> list[list[str | None]]:
    """The rows of one worksheet (the active one, or `sheet` by name or index) as text."""
    from openpyxl import load_workbook

    workbook = load_workbook(file, read_only=True, data_only=True)
    try:
        if sheet is None:
            worksheet = workbook.active
        elif isinstance(sheet, int):
            worksheet = workbook.worksheets[sheet]
        else:
            worksheet = workbook[sheet]
        rows = [_row_values(row) for row in worksheet.iter_rows()]
        _fill_merged(rows, _merged_ranges(worksheet))
    finally:
        workbook.close()
    for row in rows:
        while row and row[-1] is None:
            row.pop()
    while rows and not rows[-1]:
        rows.pop()
    return rows


def docx_tables(file: FileArg) -> list[list[list[str]]]:
    """Every table of a .docx body: rows of cell texts (paragraphs joined by line breaks)."""
    from docx import Document

    document = Document(file)
    tables = []
    for table in document.tables:
        rows = []
        for row in table.rows:
            rows.append(["\n".join(p.text for p in cell.paragraphs) for cell in row.cells])
        tables.append([[nfc(cell) or "" for cell in row] for row in rows])
    return tables
