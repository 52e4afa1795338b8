"""The page: a canvas that compresses each page when it is finished, and a document that
writes lines of text and rules onto it as raw PDF operators."""

from __future__ import annotations

import io
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from app.reports.layout.fonts import BOLD, BOLD_ITALIC, ITALIC, REGULAR, register_fonts
from app.reports.layout.text import Face, Line


class PageCanvas(Canvas):
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
class Geometry:
    """Page size and margins, in points."""

    size: tuple[float, float]
    top: float
    bottom: float
    left: float
    right: float


class Doc:
    """A canvas, its faces, the current page and the raw text operators."""

    def __init__(
        self, geometry: Geometry, title: str, built_at: datetime | None, number_size: float = 12
    ) -> None:
        register_fonts()
        self.buffer = io.BytesIO()
        self.canvas = PageCanvas(
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
        self.regular = Face(REGULAR, pdf_doc)
        self.bold = Face(BOLD, pdf_doc)
        self.italic = Face(ITALIC, pdf_doc)
        self.bold_italic = Face(BOLD_ITALIC, pdf_doc)
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
        self, face: Face, size: float, x: float, y: float, words: list[str], spacing: float = 0.0
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
        face: Face,
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

    def centered(self, face: Face, size: float, text: str, y: float, width: float) -> float:
        """Centered lines from baseline `y`, `width` wide; returns the next baseline."""
        lines = face.wrap(text, size, width)
        x = self.left + (self.right - self.left - width) / 2
        return self.lines(face, size, lines, x, width, y, size * 1.2, "center")

    def headings(self, lines: Sequence[tuple[Face, float, str, float]]) -> float:
        """Centered heading lines (face, size, text, share of the width) from the top of the
        page; returns where a table under them starts."""
        y = self.top - 13
        last = y
        for face, size, text, share in lines:
            if text:
                y = self.centered(face, size, text, y, (self.right - self.left) * share)
                last = y + size * 1.2
        return last - 10


def _offset(moment: datetime) -> str:
    delta = moment.utcoffset()
    if delta is None:
        return ""
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}'{abs(minutes) % 60:02d}'"
