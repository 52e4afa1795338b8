"""Tables written in text: Markdown's pipes ("| TT | Nhiệm vụ | … |") or cells separated by tabs
(pasted from a spreadsheet), read as rows of cells for the plan and appendix parsers. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.imports.parsers.tabular import clean_line

_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_EMPHASIS = re.compile(r"\*\*|__")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


@dataclass(frozen=True)
class TextTable:
    """A table found in a text: its rows of cells, each row's line (1-based), and the text
    above it (the document's header)."""

    rows: list[list[str | None]]
    lines: list[int]
    head: str


def _pipe_cells(line: str) -> list[str | None]:
    cells = re.split(r"(?<!\\)\|", line.strip()[1:-1])
    out: list[str | None] = []
    for cell in cells:
        text = _EMPHASIS.sub("", _BREAK.sub("\n", cell))
        out.append("\n".join(clean_line(part) for part in text.split("\n")).strip() or None)
    return out


def text_table(text: str) -> TextTable | None:
    """The largest table of `text` written with pipes ("| TT | Nhiệm vụ | … |", Markdown's
    rule rows "|---|" dropped, "**" dropped, "<br>" a line break in the cell) or with tabs
    (cells pasted from a spreadsheet: at least three on a line); None when there is none."""
    lines = (text or "").splitlines()
    blocks: list[tuple[int, int, str]] = []  # (first, last, kind)
    start: int | None = None
    kind = ""
    for index, line in enumerate([*lines, ""]):
        this = "pipe" if _PIPE_ROW.match(line) else "tab" if line.count("\t") >= 2 else ""
        if this and start is not None and this == kind:
            continue
        if start is not None:
            blocks.append((start, index - 1, kind))
            start = None
        if this:
            start, kind = index, this
    rows_of: list[tuple[list[list[str | None]], list[int], int]] = []
    for first, last, kind in blocks:
        rows, numbers = [], []
        for index in range(first, last + 1):
            line = lines[index]
            if kind == "pipe" and _PIPE_RULE.match(line):
                continue
            cells = (
                _pipe_cells(line)
                if kind == "pipe"
                else [clean_line(cell) or None for cell in line.split("\t")]
            )
            rows.append(cells)
            numbers.append(index + 1)
        if len(rows) >= 2:
            rows_of.append((rows, numbers, first))
    if not rows_of:
        return None
    rows, numbers, first = max(rows_of, key=lambda found: len(found[0]))
    return TextTable(rows=rows, lines=numbers, head="\n".join(lines[:first]))
