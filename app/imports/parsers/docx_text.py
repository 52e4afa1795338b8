"""The text of a Word (.docx) file as an office worker reads it, for the notice parser.

Paragraphs come out in document order, one per line, with the numbering the reader sees:
numbers typed into the text stay as typed, and Word's automatic list numbering ("%1." in a
numbering definition, or a bullet) is written in front of the paragraph as "1. " or "- ".
Tables are read row by row, cell by cell (the header of an official letter is a two-column
table); headers, footers (page numbers) and text boxes are left out.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import IO, Any

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

_BULLETS = "-–—+•*"
_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


def docx_paragraphs(file: str | os.PathLike[str] | IO[bytes]) -> str:
    """The paragraphs of a .docx in order, one per line, list numbering written out."""
    document = docx.Document(os.fspath(file) if isinstance(file, os.PathLike) else file)
    numbering = _Numbering(document)
    return "\n".join(numbering.label(p) + p.text for p in _paragraphs(document))


def _paragraphs(container: Any) -> Iterator[Paragraph]:
    for block in container.iter_inner_content():
        if isinstance(block, Table):
            seen: set[int] = set()
            for row in block.rows:
                for cell in row.cells:
                    if id(cell._tc) not in seen:  # a merged cell repeats along its span
                        seen.add(id(cell._tc))
                        yield from _paragraphs(cell)
        else:
            yield block


def _format(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (value - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        out = ""
        for number, numeral in _ROMAN:
            while value >= number:
                out, value = out + numeral, value - number
        return out.upper() if fmt == "upperRoman" else out
    return str(value)


class _Numbering:
    """Renders Word's automatic list labels, counting per list and level."""

    def __init__(self, document: Any) -> None:
        try:
            self.root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            self.root = None
        self.counters: dict[str, list[int]] = {}

    def label(self, paragraph: Paragraph) -> str:
        num_id, level = self._num_pr(paragraph)
        lvl = self._level(num_id, level) if num_id else None
        if lvl is None:
            return ""
        fmt = self._val(lvl, "w:numFmt") or "decimal"
        text = self._val(lvl, "w:lvlText") or ""
        if fmt == "bullet":
            return (text if text and text in _BULLETS else "-") + " "
        counters = self.counters.setdefault(num_id, [0] * 9)
        start = int(self._val(lvl, "w:start") or 1)
        counters[level] = counters[level] + 1 if counters[level] else start
        counters[level + 1 :] = [0] * (8 - level)
        for depth in range(level + 1):
            text = text.replace(f"%{depth + 1}", _format(counters[depth] or 1, fmt))
        return f"{text} " if text else ""

    def _num_pr(self, paragraph: Paragraph) -> tuple[str | None, int]:
        style = paragraph.style
        candidates = [paragraph._p.pPr]
        while style is not None:
            candidates.append(style.element.pPr)
            style = style.base_style
        for ppr in candidates:
            num_pr = ppr.numPr if ppr is not None else None
            if num_pr is not None and num_pr.numId is not None:
                level = num_pr.ilvl.val if num_pr.ilvl is not None else 0
                return str(num_pr.numId.val), min(int(level), 8)
        return None, 0

    def _level(self, num_id: str, level: int) -> Any:
        if self.root is None or num_id == "0":
            return None
        for num in self.root.iterchildren(qn("w:num")):
            if num.get(qn("w:numId")) == num_id:
                abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
                break
        else:
            return None
        for abstract in self.root.iterchildren(qn("w:abstractNum")):
            if abstract.get(qn("w:abstractNumId")) == abstract_id:
                for lvl in abstract.iterchildren(qn("w:lvl")):
                    if lvl.get(qn("w:ilvl")) == str(level):
                        return lvl
        return None

    @staticmethod
    def _val(lvl: Any, tag: str) -> str | None:
        child = lvl.find(qn(tag))
        return child.get(qn("w:val")) if child is not None else None
