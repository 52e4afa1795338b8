"""Text for the page: cleaning, measuring, encoding and greedy line breaking, per font."""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from reportlab.lib.rl_accel import escapePDF
from reportlab.pdfbase import pdfdoc, pdfmetrics

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


class Face:
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

    def fit(self, text: str, size: float, width: float) -> str:
        """`text` on one line within `width`, cut with "…" when it is longer."""
        text = " ".join(clean(text))
        if self.width(text) * size <= width:
            return text
        while text and self.width(text + "…") * size > width:
            text = text[:-1]
        return text.rstrip() + "…"
