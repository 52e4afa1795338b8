"""Bordered tables drawn row by row: cells wrapped once, rows split across pages line by
line, the header (one or more rows, with spans) repeated on every page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from app.reports.layout.page import Doc
from app.reports.layout.text import Face, Line


@dataclass(frozen=True)
class HeaderCell:
    """A header cell spanning columns first..last and header rows top..bottom."""

    first: int  # first column
    last: int  # last column
    top: int  # first header row
    bottom: int  # last header row
    text: str


@dataclass
class Cell:
    """A body cell laid out: where it starts, how wide, its lines in their face."""

    x: float
    width: float
    lines: list[Line]
    face: Face
    align: str


class Table:
    """A bordered table drawn row by row; rows split across pages, the header repeats."""

    PAD_X: Final = 3.0
    PAD_TOP: Final = 2.0
    PAD_BOTTOM: Final = 3.0

    def __init__(
        self,
        doc: Doc,
        widths: Sequence[float],
        header: Sequence[HeaderCell],
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

    def _layout_header(self, header: Sequence[HeaderCell]) -> None:
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

    def cell(self, first: int, last: int, text: str | None, face: Face, align: str) -> Cell:
        """Lay out `text` in columns first..last (a span when they differ)."""
        width = self._span(first, last) - 2 * self.PAD_X
        return Cell(self.edges[first], width, face.wrap(text, self.size, width), face, align)

    def row(self, cells: Sequence[Cell], keep: int = 0) -> None:
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

    def _segment(self, cells: Sequence[Cell], done: list[int], count: int) -> None:
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
