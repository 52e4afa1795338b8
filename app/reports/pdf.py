"""PDF writers: the progress appendix (Phụ lục), the cover letter (Công văn) and the overdue report.

Text is laid out here, not by platypus. A platypus table of Paragraph cells re-wraps every row
several times (to measure, to split, to draw) and keeps every page's flowables: 20 s and more
for a province's 1,000-task quarter, 15 minutes and a GB for ten of them. Here each cell is wrapped once, with words
measured through a per-document cache; rows go straight onto the canvas and split across pages
line by line; each finished page is compressed at once so only its bytes stay in memory.

Fonts are the vendored Liberation Serif 2.1.5 (Times New Roman metrics, OFL, see fonts/LICENSE):
no base-14 font is ever referenced, so Vietnamese prints in every viewer. Everything a user
wrote is drawn as literal text (no markup is parsed) after NFC normalisation. Output is
reproducible: `invariant` mode and the creation date taken from the document's `built_at`.
"""

from __future__ import annotations

import io
import math
import re
import threading
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Final

from reportlab.graphics import renderPDF
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.rl_accel import escapePDF
from reportlab.lib.units import cm, mm
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from app.reports.documents import (
    AgencyCounts,
    Appendix,
    AppendixTask,
    CoverLetter,
    OverdueReport,
    OverdueTask,
    Progress,
)

__all__ = ["appendix_pdf", "cover_letter_pdf", "overdue_pdf", "register_fonts"]

FONT_DIR: Final = Path(__file__).with_name("fonts")
REGULAR: Final = "NhiemVuSerif"
BOLD: Final = "NhiemVuSerif-Bold"
ITALIC: Final = "NhiemVuSerif-Italic"
BOLD_ITALIC: Final = "NhiemVuSerif-BoldItalic"
_FILES: Final = {
    REGULAR: "LiberationSerif-Regular.ttf",
    BOLD: "LiberationSerif-Bold.ttf",
    ITALIC: "LiberationSerif-Italic.ttf",
    BOLD_ITALIC: "LiberationSerif-BoldItalic.ttf",
}
_registered = False
_register_lock = threading.Lock()


def register_fonts() -> None:
    """Register the Liberation Serif family with reportlab (once per process)."""
    global _registered
    with _register_lock:
        if _registered:
            return
        for name, filename in _FILES.items():
            pdfmetrics.registerFont(
                TTFont(name, str(FONT_DIR / filename), asciiReadable=True, shapable=False)
            )
        pdfmetrics.registerFontFamily(
            REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
        )
        _registered = True


# --- text -------------------------------------------------------------------------------------

_DROPPED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2060\ufeff]")
_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_SPACES = re.compile(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_BREAK_AFTER: Final = frozenset("-/–—_")

# A laid-out line: its words (an empty word stands for an extra space typed on purpose), its
# natural width in points, whether it ends its paragraph (never justified), whether it opens
# one (takes the first-line indent).
Line = tuple[list[str], float, bool, bool]


def clean(text: str | None) -> list[str]:
    """NFC paragraphs of `text`, control characters dropped, blank paragraphs skipped."""
    if not text:
        return []
    text = _SPACES.sub(" ", _DROPPED.sub("", _BREAKS.sub("\n", text)))
    text = unicodedata.normalize("NFC", text)  # after dropping: a dropped mark may sit between
    return [p.strip(" ") for p in text.split("\n") if p.strip(" ")]


class _Face:
    """One font of the family: word widths at 1 pt (cached) and per-document encodings."""

    def __init__(self, name: str, doc: pdfdoc.PDFDocument) -> None:
        self.font = pdfmetrics.getFont(name)
        self._char_widths = self.font.face.charWidths
        self._default = self.font.face.defaultWidth
        self._widths: dict[str, float] = {}
        self._encoded: dict[str, list[tuple[int, str]]] = {}
        self._refs: dict[int, str] = {}
        self._doc = doc
        self.space = self.width(" ")
        # Where " " is encoded: Tw (word spacing) only widens the byte 32 of a simple font.
        self.space_subset = self.encode(" ")[0][0]

    def width(self, word: str) -> float:
        """Width of `word` at 1 pt; reports repeat their vocabulary, so this is mostly a hit."""
        found = self._widths.get(word)
        if found is None:
            get, default = self._char_widths.get, self._default
            found = self._widths[word] = sum(get(ord(c), default) for c in word) / 1000
        return found

    def encode(self, word: str) -> list[tuple[int, str]]:
        """`word` as (font subset, escaped PDF string) runs, cached for the document."""
        found = self._encoded.get(word)
        if found is None:
            found = self._encoded[word] = [
                (subset, escapePDF(chunk))
                for subset, chunk in self.font.splitString(word, self._doc)
            ]
        return found

    def ref(self, subset: int) -> str:
        found = self._refs.get(subset)
        if found is None:
            found = self._refs[subset] = self.font.getSubsetInternalName(subset, self._doc)
        return found

    def wrap(self, text: str | None, size: float, width: float, indent: float = 0.0) -> list[Line]:
        """Greedy line breaking of `text` into `width` points; `indent` shortens first lines."""
        lines: list[Line] = []
        space, measure = self.space, self.width
        for paragraph in clean(text):
            limit = (width - indent) / size + 1e-9
            words: list[str] = []
            used = 0.0
            first = True
            for word in paragraph.split(" "):
                if not word:
                    if words:
                        words.append("")
                        used += space
                    continue
                w = measure(word)
                if words and used + space + w > limit:
                    while words and not words[-1]:
                        words.pop()
                        used -= space
                    lines.append((words, used * size, False, first))
                    first, limit = False, width / size + 1e-9
                    words, used = [], 0.0
                if not words and w > limit:
                    # A word longer than the column (a URL, a number run): cut it by characters.
                    *whole, rest = self._cut(word, limit, width / size + 1e-9)
                    for piece in whole:
                        lines.append(([piece], measure(piece) * size, False, first))
                        first, limit = False, width / size + 1e-9
                    words, used = [rest], measure(rest)
                    continue
                used += space + w if words else w
                words.append(word)
            while words and not words[-1]:
                words.pop()
                used -= space
            if words:
                lines.append((words, used * size, True, first))
        return lines

    def _cut(self, word: str, first_limit: float, limit: float) -> list[str]:
        """Pieces of a too-wide word: after a hyphen or slash when one fits ("107/2021/NĐ-" +
        "CP"), else wherever the column ends."""
        pieces, start, used, room, after = [], 0, 0.0, first_limit, 0
        get, default = self._char_widths.get, self._default
        for i, char in enumerate(word):
            w = get(ord(char), default) / 1000
            if used + w > room and i > start:
                cut = after if after > start else i
                pieces.append(word[start:cut])
                used = sum(get(ord(c), default) for c in word[cut:i]) / 1000
                start, room = cut, limit
            used += w
            if char in _BREAK_AFTER:
                after = i + 1
        pieces.append(word[start:])
        return pieces


class _Canvas(Canvas):
    """A canvas that compresses each page as soon as it is finished.

    reportlab keeps every page's operators as text until `save()`; for a 7,000-page report that
    is hundreds of MB. Deflating at `showPage` keeps a few KB per page (and skips the ASCII85
    step reportlab would add, which only makes the file bigger and slower to write)."""

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        super().showPage()
        page = self._doc.Pages.pages[-1]
        stream = page.stream
        if isinstance(stream, str):
            page.Contents = pdfdoc.PDFStream(
                pdfdoc.PDFDictionary({"Filter": pdfdoc.PDFName("FlateDecode")}),
                zlib.compress(stream.encode("utf-8"), 6),
            )
            page.stream = None


@dataclass(frozen=True)
class _Geometry:
    size: tuple[float, float]
    top: float
    bottom: float
    left: float
    right: float


class _Doc:
    """A canvas, its faces, the current page and the raw text operators."""

    def __init__(
        self, geometry: _Geometry, title: str, built_at: datetime | None, number_size: float = 12
    ) -> None:
        register_fonts()
        self.buffer = io.BytesIO()
        self.canvas = _Canvas(
            self.buffer,
            pagesize=geometry.size,
            invariant=1,
            pageCompression=1,
            initialFontName=REGULAR,
            initialFontSize=12,
        )
        self.canvas.setTitle(title)
        self.canvas.setAuthor("nhiemvu")
        self.canvas.setCreator("nhiemvu")
        if built_at is not None:
            stamp = f"D:{built_at:%Y%m%d%H%M%S}" + _offset(built_at)
            self.canvas.setDateFormatter(lambda *_: stamp)
        pdf_doc = self.canvas._doc
        self.regular = _Face(REGULAR, pdf_doc)
        self.bold = _Face(BOLD, pdf_doc)
        self.italic = _Face(ITALIC, pdf_doc)
        self.bold_italic = _Face(BOLD_ITALIC, pdf_doc)
        self.geometry = geometry
        self.width, self.height = geometry.size
        self.top = self.height - geometry.top
        self.bottom = geometry.bottom
        self.left = geometry.left
        self.right = self.width - geometry.right
        self.number_size = number_size
        self.page = 1
        self.code: list[str] = self.canvas._code
        self.canvas.setLineWidth(0.5)

    def new_page(self) -> None:
        """Finish this page and start the next, numbered at the top centre (Decree 30: from 2)."""
        self.canvas.showPage()
        self.page += 1
        self.code = self.canvas._code
        self.canvas.setLineWidth(0.5)
        number = str(self.page)
        face = self.regular
        w = face.width(number) * self.number_size
        baseline = self.height - self.geometry.top / 2 - self.number_size / 3
        self.text(face, self.number_size, (self.width - w) / 2, baseline, [number])

    def finish(self) -> bytes:
        self.canvas.showPage()
        self.canvas.save()
        return self.buffer.getvalue()

    def text(
        self, face: _Face, size: float, x: float, y: float, words: list[str], spacing: float = 0.0
    ) -> None:
        """Draw one line of words at (x, y); `spacing` widens each space (justification)."""
        out = [f"BT 1 0 0 1 {x:.2f} {y:.2f} Tm"]
        if spacing:
            out.append(f"{spacing:.3f} Tw")
        tf = f" {size:g} Tf ("
        current, run = -1, list[str]()
        space = face.space_subset
        for i, word in enumerate(words):
            if i:
                if current != space:
                    if run:
                        out.append(f"{face.ref(current)}{tf}{''.join(run)}) Tj")
                    current, run = space, []
                run.append(" ")
            for subset, chunk in face.encode(word):
                if subset != current:
                    if run:
                        out.append(f"{face.ref(current)}{tf}{''.join(run)}) Tj")
                    current, run = subset, []
                run.append(chunk)
        if run:
            out.append(f"{face.ref(current)}{tf}{''.join(run)}) Tj")
        if spacing:
            out.append("0 Tw")
        out.append("ET")
        self.code.append(" ".join(out))

    def lines(
        self,
        face: _Face,
        size: float,
        lines: Sequence[Line],
        x: float,
        width: float,
        y: float,
        leading: float,
        align: str,
        indent: float = 0.0,
    ) -> float:
        """Draw laid-out lines from baseline `y` down; returns the baseline after the last."""
        for words, natural, last, first in lines:
            start = x + indent if first else x
            room = width - indent if first else width
            spacing = 0.0
            if align == "center":
                start += (room - natural) / 2
            elif align == "right":
                start += room - natural
            elif align == "justify" and not last and len(words) > 1:
                spacing = (room - natural) / (len(words) - 1)
            self.text(face, size, start, y, words, spacing)
            y -= leading
        return y

    def rules(self, segments: list[tuple[float, float, float, float]]) -> None:
        """Stroke straight lines (table borders) in one path."""
        if segments:
            path = " ".join(f"{a:.2f} {b:.2f} m {c:.2f} {d:.2f} l" for a, b, c, d in segments)
            self.code.append(path + " S")


def _offset(moment: datetime) -> str:
    delta = moment.utcoffset()
    if delta is None:
        return ""
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}'{abs(minutes) % 60:02d}'"


# --- tables -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _HeaderCell:
    first: int  # first column
    last: int  # last column
    top: int  # first header row
    bottom: int  # last header row
    text: str


@dataclass
class _Cell:
    x: float
    width: float
    lines: list[Line]
    face: _Face
    align: str


class _Table:
    """A bordered table drawn row by row; rows split across pages, the header repeats."""

    PAD_X: Final = 3.0
    PAD_TOP: Final = 2.0
    PAD_BOTTOM: Final = 3.0

    def __init__(
        self,
        doc: _Doc,
        widths: Sequence[float],
        header: Sequence[_HeaderCell],
        size: float = 12,
        leading: float = 14,
    ) -> None:
        self.doc, self.size, self.leading = doc, size, leading
        self.edges = [doc.left]
        for width in widths:
            self.edges.append(self.edges[-1] + width)
        self._layout_header(header)
        self.y = doc.top
        self._page_top = doc.top
        self.baseline = leading - 0.22 * size  # from the top of a line's slot to its baseline

    def _layout_header(self, header: Sequence[_HeaderCell]) -> None:
        rows = max(cell.bottom for cell in header) + 1
        face, size = self.doc.bold, self.size
        laid = [
            (cell, face.wrap(cell.text, size, self._span(cell.first, cell.last) - 2 * self.PAD_X))
            for cell in header
        ]
        pads = self.PAD_TOP + self.PAD_BOTTOM
        heights = [0.0] * rows
        for cell, lines in laid:
            if cell.top == cell.bottom:
                heights[cell.top] = max(heights[cell.top], pads + len(lines) * self.leading)
        for cell, lines in laid:
            need = pads + len(lines) * self.leading
            have = sum(heights[cell.top : cell.bottom + 1])
            if need > have:
                heights[cell.bottom] += need - have
        self._header = laid
        self._header_rows = heights
        self.header_height = sum(heights)

    def _span(self, first: int, last: int) -> float:
        return self.edges[last + 1] - self.edges[first]

    def start(self, y: float) -> None:
        """Draw the header with its top at `y`; rows follow under it."""
        self._draw_header(y)
        self.y = self._page_top = y - self.header_height

    def _break(self) -> None:
        self.doc.new_page()
        self.start(self.doc.top)

    def _draw_header(self, top: float) -> None:
        doc, size = self.doc, self.size
        row_tops = [top]
        for height in self._header_rows:
            row_tops.append(row_tops[-1] - height)
        rules = []
        for cell, lines in self._header:
            x0, x1 = self.edges[cell.first], self.edges[cell.last + 1]
            y0, y1 = row_tops[cell.top], row_tops[cell.bottom + 1]
            rules += [(x0, y0, x1, y0), (x0, y1, x1, y1), (x0, y0, x0, y1), (x1, y0, x1, y1)]
            block = len(lines) * self.leading
            first = y0 - (y0 - y1 - block) / 2 - self.baseline
            doc.lines(
                doc.bold, size, lines, x0 + self.PAD_X, x1 - x0 - 2 * self.PAD_X, first,
                self.leading, "center",
            )  # fmt: skip
        doc.rules(rules)

    def cell(self, first: int, last: int, text: str | None, face: _Face, align: str) -> _Cell:
        """Lay out `text` in columns first..last (a span when they differ)."""
        width = self._span(first, last) - 2 * self.PAD_X
        return _Cell(self.edges[first], width, face.wrap(text, self.size, width), face, align)

    def row(self, cells: Sequence[_Cell], keep: int = 0) -> None:
        """Draw a row, splitting it across pages line by line when it does not fit.

        `keep` is how many lines of the next row must fit under this one (a group heading is
        never the last thing on a page). A row never leaves fewer than two lines on a page
        unless it has fewer."""
        pads, leading = self.PAD_TOP + self.PAD_BOTTOM, self.leading
        done = [0] * len(cells)
        first = True
        while True:
            need = max([len(c.lines) - d for c, d in zip(cells, done, strict=True)] + [1])
            fit = int((self.y - self.doc.bottom - pads) / leading + 1e-6)
            at_top = self.y == self._page_top
            extra = (keep * leading + pads) if first and keep else 0.0
            fits = need <= fit and (need * leading + pads + extra <= self.y - self.doc.bottom)
            if fits or (at_top and need <= fit):
                self._segment(cells, done, need)
                return
            if at_top or (fit >= 2 and not keep):
                count = max(fit, 1)
                self._segment(cells, done, count)
                done = [d + count for d in done]
                first = False
            self._break()

    def _segment(self, cells: Sequence[_Cell], done: list[int], count: int) -> None:
        doc, leading = self.doc, self.leading
        top = self.y
        height = self.PAD_TOP + count * leading + self.PAD_BOTTOM
        bottom = top - height
        baseline = top - self.PAD_TOP - self.baseline
        for cell, start in zip(cells, done, strict=True):
            if start < len(cell.lines):
                doc.lines(
                    cell.face, self.size, cell.lines[start : start + count], cell.x + self.PAD_X,
                    cell.width, baseline, leading, cell.align,
                )  # fmt: skip
        left, right = self.edges[0], self.edges[-1]
        rules = [(left, top, right, top), (left, bottom, right, bottom)]
        rules += [(c.x, top, c.x, bottom) for c in cells]
        rules.append((right, top, right, bottom))
        doc.rules(rules)
        self.y = bottom


# --- the appendix -----------------------------------------------------------------------------

_LANDSCAPE = _Geometry(landscape(A4), top=20 * mm, bottom=15 * mm, left=20 * mm, right=15 * mm)
_APPENDIX_COLUMNS: Final = (30.0, 212.0, 94.0, 56.0, 64.0)
APPENDIX_HEADER: Final = (
    "STT",
    "Tên nhiệm vụ",
    "Thời hạn hoàn thành",
    "Tiến độ thực hiện (X)",
    "Hoàn thành",
    "Đang tiếp tục thực hiện",
    "Nội dung giải trình cụ thể",
)
_MARKS: Final = {
    Progress.COMPLETED: ("X", "-"),
    Progress.PARTIAL: ("Một phần", "X"),
    Progress.IN_PROGRESS: ("-", "X"),
}
SUMMARY_HEADER: Final = (
    "STT",
    "Cơ quan chủ trì",
    "Hoàn thành đúng hạn",
    "Hoàn thành quá hạn",
    "Đang thực hiện trong hạn",
    "Quá hạn",
    "Không có thời hạn",
    "Tổng số",
)
_SERIES: Final = (
    ("Hoàn thành đúng hạn", colors.HexColor("#2e7d32")),
    ("Hoàn thành quá hạn", colors.HexColor("#9e9d24")),
    ("Đang thực hiện trong hạn", colors.HexColor("#1565c0")),
    ("Quá hạn", colors.HexColor("#c62828")),
    ("Không có thời hạn", colors.HexColor("#9e9e9e")),
)
CHART_AGENCIES: Final = 15


def _centered(doc: _Doc, face: _Face, size: float, text: str, y: float, width: float) -> float:
    """Centered lines from baseline `y`, `width` wide; returns the next baseline."""
    lines = face.wrap(text, size, width)
    x = doc.left + (doc.right - doc.left - width) / 2
    return doc.lines(face, size, lines, x, width, y, size * 1.2, "center")


def _headings(doc: _Doc, lines: Sequence[tuple[_Face, float, str, float]]) -> float:
    """Centered heading lines (face, size, text, share of the width) from the top of the page;
    returns where a table under them starts."""
    y = doc.top - 13
    last = y
    for face, size, text, share in lines:
        if text:
            y = _centered(doc, face, size, text, y, (doc.right - doc.left) * share)
            last = y + size * 1.2
    return last - 10


def appendix_pdf(appendix: Appendix) -> bytes:
    """The appendix of seed 001 as landscape A4, then a summary page per lead agency."""
    doc = _Doc(_LANDSCAPE, appendix.title, appendix.built_at)
    top = _headings(
        doc,
        [
            (doc.bold, 13, appendix.heading, 1.0),
            (doc.bold, 13, appendix.title, 0.85),
            (doc.italic, 12, appendix.subtitle, 0.85),
        ],
    )
    widths = [*_APPENDIX_COLUMNS, doc.right - doc.left - sum(_APPENDIX_COLUMNS)]
    h = APPENDIX_HEADER
    header = [
        _HeaderCell(0, 0, 0, 1, h[0]),
        _HeaderCell(1, 1, 0, 1, h[1]),
        _HeaderCell(2, 2, 0, 1, h[2]),
        _HeaderCell(3, 4, 0, 0, h[3]),
        _HeaderCell(3, 3, 1, 1, h[4]),
        _HeaderCell(4, 4, 1, 1, h[5]),
        _HeaderCell(5, 5, 0, 1, h[6]),
    ]
    table = _Table(doc, widths, header)
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


def _task_cells(table: _Table, doc: _Doc, task: AppendixTask) -> list[_Cell]:
    done, ongoing = _MARKS[Progress(task.progress)]
    return [
        table.cell(0, 0, task.stt, doc.regular, "center"),
        table.cell(1, 1, task.name, doc.regular, "justify"),
        table.cell(2, 2, task.deadline_text, doc.regular, "center"),
        table.cell(3, 3, done, doc.regular, "center"),
        table.cell(4, 4, ongoing, doc.regular, "center"),
        table.cell(5, 5, task.explanation, doc.regular, "justify"),
    ]


def _summary(doc: _Doc, appendix: Appendix) -> None:
    top = _headings(
        doc,
        [
            (doc.bold, 13, "Tổng hợp tình hình thực hiện theo cơ quan chủ trì", 1.0),
            (doc.italic, 12, appendix.period_label, 1.0),
        ],
    )
    numbers = 6 * [62.0]
    widths = [30.0, doc.right - doc.left - 30.0 - sum(numbers), *numbers]
    header = [_HeaderCell(i, i, 0, 0, text) for i, text in enumerate(SUMMARY_HEADER)]
    table = _Table(doc, widths, header)
    table.start(top)
    for index, counts in enumerate(appendix.summary, start=1):
        table.row(_count_cells(table, doc.regular, str(index), counts.agency, _counts(counts)))
    totals = [sum(_counts(c)[i] for c in appendix.summary) for i in range(6)]
    table.row(_count_cells(table, doc.bold, "", "Tổng cộng", totals))
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
    table: _Table, face: _Face, number: str, label: str, values: list[int]
) -> list[_Cell]:
    cells = [table.cell(0, 0, number, face, "center"), table.cell(1, 1, label, face, "left")]
    cells += [table.cell(i, i, str(v), face, "center") for i, v in enumerate(values, start=2)]
    return cells


def _chart(doc: _Doc, summary: Sequence[AgencyCounts], top: float, height: float) -> None:
    """Stacked horizontal bars of the four-way standing, for the agencies with most tasks."""
    shown = sorted(summary, key=lambda c: (-c.total, c.agency))[:CHART_AGENCIES]
    full = doc.right - doc.left
    label_width = 220.0
    y = top
    if len(summary) > len(shown):
        note = f"Biểu đồ: {len(shown)} cơ quan chủ trì nhiều nhiệm vụ nhất"
    else:
        note = "Biểu đồ: số nhiệm vụ theo cơ quan chủ trì"
    y = _centered(doc, doc.italic, 11, note, y, full) + 4
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
        _fit(doc.regular, 9, c.agency, label_width - 10) for c in shown
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
    for index, (_label, color) in enumerate(_SERIES):
        chart.bars[index].fillColor = color
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.fontName, legend.fontSize = REGULAR, 9
    legend.x, legend.y = 40, 14
    legend.columnMaximum = 1
    legend.deltax = (full - 60) / len(_SERIES)
    legend.alignment = "right"
    legend.colorNamePairs = [(color, label) for label, color in _SERIES]
    drawing.add(legend)
    renderPDF.draw(drawing, doc.canvas, doc.left, y - height)


def _fit(face: _Face, size: float, text: str, width: float) -> str:
    text = " ".join(clean(text))
    if face.width(text) * size <= width:
        return text
    while text and face.width(text + "…") * size > width:
        text = text[:-1]
    return text.rstrip() + "…"


# --- the cover letter -------------------------------------------------------------------------

_PORTRAIT = _Geometry(A4, top=20 * mm, bottom=20 * mm, left=30 * mm, right=15 * mm)
_AGENCY_BLOCK: Final = 68 * mm  # the left column (agency, number, subject, "Nơi nhận")
_BODY_SIZE: Final = 14.0
_BODY_LEADING: Final = 17.0
_INDENT: Final = 1.27 * cm  # first line of each body paragraph
_SIGNATURE_ROOM: Final = 90.0  # between the signer's title and name: signature and seal

_Column = tuple[float, float]  # x and width of a column of the letter


def administrative_date(place: str, dated: date | None) -> str:
    """Place and date in words, as Decree 30 writes them: "Bình Định, ngày 20 tháng 02 năm 2025";
    without a date, room to write it in at signing."""
    if dated is None:
        return f"{place}, ngày … tháng … năm …"
    return f"{place}, ngày {dated:%d} tháng {dated:%m} năm {dated.year}"


def cover_letter_pdf(letter: CoverLetter) -> bytes:
    """A Công văn laid out as Decree 30/2020/NĐ-CP (seed 002), portrait A4."""
    doc = _Doc(_PORTRAIT, letter.subject, letter.built_at, number_size=13)
    left = (doc.left, _AGENCY_BLOCK)
    right = (doc.left + _AGENCY_BLOCK, doc.right - doc.left - _AGENCY_BLOCK)
    y = _letter_head(doc, letter, left, right)
    y = _recipients(doc, letter.recipients, y)
    width = doc.right - doc.left
    for paragraph in letter.body:
        for line in doc.regular.wrap(paragraph, _BODY_SIZE, width, indent=_INDENT):
            if y - 4 < doc.bottom:
                doc.new_page()
                y = doc.top - _BODY_SIZE
            y = doc.lines(
                doc.regular, _BODY_SIZE, [line], doc.left, width, y, _BODY_LEADING, "justify",
                _INDENT,
            )  # fmt: skip
        y -= 6  # Decree 30: at least 6 pt between paragraphs
    _closing(doc, letter, y - 8, left, right)
    return doc.finish()


def _letter_head(doc: _Doc, letter: CoverLetter, left: _Column, right: _Column) -> float:
    """Agency and motto side by side with their rules, then number and date on one line, then
    the subject under the number; returns the baseline for "Kính gửi"."""
    top = doc.top - 13
    y_left = top
    for index, line in enumerate(letter.agency_lines):
        issuing = index == len(letter.agency_lines) - 1  # the issuing agency, in bold
        y_left = _block(doc, doc.bold if issuing else doc.regular, 13, line, left, y_left, 15)
    if letter.agency_lines:
        name = doc.bold.width(" ".join(clean(letter.agency_lines[-1]))) * 13
        _rule(doc, left, y_left + 8, max(name / 3, 30.0))  # a third of the name's width
    y_right = _block(doc, doc.bold, 12, letter.motto[0], right, top, 15)
    y_right = _block(doc, doc.bold, 13, letter.motto[1], right, y_right, 15)
    _rule(doc, right, y_right + 8, doc.bold.width(" ".join(clean(letter.motto[1]))) * 13)
    baseline = min(y_left, y_right) - 10
    y = _block(doc, doc.regular, 13, f"Số: {letter.number}", left, baseline, 15)
    dated = administrative_date(letter.place, letter.dated)
    _block(doc, doc.italic, 14, dated, right, baseline, 16)
    y = _block(doc, doc.regular, 12, f"V/v {letter.subject}", left, y, 14)
    return y - 14


def _block(
    doc: _Doc, face: _Face, size: float, text: str, column: _Column, y: float, leading: float
) -> float:
    """Centered, wrapped text in a column; returns the next baseline."""
    x, width = column
    return doc.lines(face, size, face.wrap(text, size, width), x, width, y, leading, "center")


def _rule(doc: _Doc, column: _Column, y: float, length: float) -> None:
    middle = column[0] + column[1] / 2
    doc.rules([(middle - length / 2, y, middle + length / 2, y)])


def _recipients(doc: _Doc, recipients: Sequence[str], y: float) -> float:
    """ "Kính gửi:" with one recipient on its line, centred; several as a dash list under the
    first; returns the baseline for the body."""
    face, size, leading = doc.regular, _BODY_SIZE, _BODY_LEADING
    label = "Kính gửi:"
    width = doc.right - doc.left
    label_w = (face.width(label) + face.space) * size
    names = [" ".join(clean(r)) for r in recipients if clean(r)]
    if len(names) == 1 and face.width(f"{label} {names[0]}") * size <= width - 72:
        return _block(doc, face, size, f"{label} {names[0]}", (doc.left, width), y, leading) - 6
    if len(names) <= 1:
        items = names
    else:  # Decree 30: "- A;" … "- Z."
        ends = [";"] * (len(names) - 1) + ["."]
        items = [f"- {n}{'' if n[-1] in ';.,:' else e}" for n, e in zip(names, ends, strict=True)]
    widest = max([face.width(item) * size for item in items] + [0.0])
    x = max(doc.left + 36, doc.left + (width - label_w - widest) / 2)
    doc.text(face, size, x, y, [label])
    room = doc.right - x - label_w
    for item in items:
        lines = face.wrap(item, size, room)
        y = doc.lines(face, size, lines, x + label_w, room, y, leading, "left")
    return y - 6 if items else y - leading - 6


def _closing(doc: _Doc, letter: CoverLetter, y: float, left: _Column, right: _Column) -> None:
    """The "Nơi nhận" list bottom left (bold italic heading, 11 pt lines) and the signature
    block bottom right, side by side; both move to a new page when the block does not fit."""
    where = [doc.regular.wrap(line, 11, left[1] - 6) for line in letter.distribution]
    titles = [doc.bold.wrap(line, 14, right[1]) for line in letter.signature_title]
    signature_h = sum(map(len, titles)) * 17 + _SIGNATURE_ROOM + 17
    where_h = 15 + sum(map(len, where)) * 13
    if y - max(signature_h, min(where_h, 200)) < doc.bottom:
        doc.new_page()
        y = doc.top - 14
    below = y
    for lines in titles:
        below = doc.lines(doc.bold, 14, lines, right[0], right[1], below, 17, "center")
    _block(doc, doc.bold, 14, letter.signer, right, below - _SIGNATURE_ROOM, 17)
    doc.text(doc.bold_italic, 12, doc.left, y, ["Nơi", "nhận:"])
    y -= 15
    for line in (line for lines in where for line in lines):
        if y - 3 < doc.bottom:  # a very long list continues on the next page
            doc.new_page()
            y = doc.top - 14
        y = doc.lines(doc.regular, 11, [line], doc.left, left[1] - 6, y, 13, "left")


# --- the overdue report -----------------------------------------------------------------------

OVERDUE_HEADER: Final = (
    "STT",
    "Nhiệm vụ",
    "Thời hạn",
    "Hạn xử lý",
    "Số ngày quá hạn",
    "Lãnh đạo theo dõi",
    "Giải trình gần nhất",
)
_OVERDUE_COLUMNS: Final = (30.0, 210.0, 80.0, 62.0, 48.0, 80.0)


def overdue_pdf(report: OverdueReport) -> bytes:
    """Overdue tasks as of a date, grouped by lead agency; landscape, header on every page."""
    doc = _Doc(_LANDSCAPE, report.title, report.built_at)
    top = _headings(
        doc,
        [
            (doc.bold, 13, report.title, 0.85),
            (doc.italic, 12, f"Tính đến ngày {report.as_of:%d/%m/%Y}", 1.0),
        ],
    )
    widths = [*_OVERDUE_COLUMNS, doc.right - doc.left - sum(_OVERDUE_COLUMNS)]
    header = [_HeaderCell(i, i, 0, 0, t) for i, t in enumerate(OVERDUE_HEADER)]
    table = _Table(doc, widths, header, size=11, leading=13)
    table.start(top)
    for number, group in enumerate(report.groups, start=1):
        title = f"{group.agency} ({len(group.tasks)} nhiệm vụ)"
        table.row(
            [
                table.cell(0, 0, _roman(number), doc.bold, "center"),
                table.cell(1, 6, title, doc.bold, "left"),
            ],
            keep=2,
        )
        for index, task in enumerate(group.tasks, start=1):
            table.row(_overdue_cells(table, doc, index, task))
    if not report.groups:
        table.row([table.cell(0, 6, "Không có nhiệm vụ quá hạn.", doc.italic, "center")])
    return doc.finish()


def _overdue_cells(table: _Table, doc: _Doc, index: int, task: OverdueTask) -> list[_Cell]:
    name = f"{task.title}\n(Mục {task.outline})" if task.outline else task.title
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


def _roman(number: int) -> str:
    out = []
    for value, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)
