"""Highlight query words in the original text, diacritic-insensitively, as safe markup.

Matching is done on the folded text (as search does), but what is shown is the text as it was
written: each original character is folded on its own, and every folded character remembers
the original character it came from, so a match found in the folded text maps back to a range
of the original ("so tai chinh" marks "Sở Tài chính"; "doi" marks "Đổi", even when decomposed).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from markupsafe import Markup, escape

from app.text import fold

ELLIPSIS = "…"
MARK_OPEN = Markup("<mark>")
MARK_CLOSE = Markup("</mark>")
# How far a snippet's edge may move to avoid cutting a word in half.
SNAP = 30

Span = tuple[int, int]


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    """One character folded exactly as app.text.fold folds it, whitespace kept as it is
    (fold() collapses it, which would let a word match across a gap)."""
    decomposed = unicodedata.normalize("NFD", char)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.replace("đ", "d").replace("Đ", "D").casefold()


def query_words(query: str | None) -> list[str]:
    """The folded words of a query, each once, in the order typed."""
    return list(dict.fromkeys(fold(query).split()))


def _folded(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of its original character."""
    pieces: list[str] = []
    owners: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        pieces.append(folded)
        owners.extend([index] * len(folded))
    return "".join(pieces), owners


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:  # overlapping or touching: one mark
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def match_spans(text: str | None, query: str | None) -> list[Span]:
    """Sorted, disjoint [start, end) ranges of `text` where any query word matches."""
    words = query_words(query)
    if not text or not words:
        return []
    folded, owners = _folded(text)
    spans: list[Span] = []
    for word in words:
        found = folded.find(word)
        while found != -1:
            end = owners[found + len(word) - 1] + 1
            # Keep the marks of the last letter (decomposed input) inside the highlight.
            while end < len(text) and not _fold_char(text[end]):
                end += 1
            spans.append((owners[found], end))
            found = folded.find(word, found + 1)
    return _merge(spans)


def matches(text: str | None, query: str | None) -> bool:
    """Whether any word of the query occurs in `text` (diacritic-insensitively)."""
    key = fold(text)
    return bool(key) and any(word in key for word in query_words(query))


def _render(text: str, spans: list[Span]) -> Markup:
    pieces: list[Markup] = []
    position = 0
    for start, end in spans:
        pieces.append(escape(text[position:start]))
        pieces.append(MARK_OPEN + escape(text[start:end]) + MARK_CLOSE)
        position = end
    pieces.append(escape(text[position:]))
    return Markup("").join(pieces)


def highlight(text: str | None, query: str | None) -> Markup:
    """`text`, escaped, with every match of every query word wrapped in <mark>."""
    if not text:
        return Markup("")
    return _render(text, match_spans(text, query))


def _snap(text: str, start: int, end: int, keep: Span) -> Span:
    """Move the window's edges to word boundaries (never past the kept match) and never
    between a letter and its combining marks."""
    if start > 0 and not text[start - 1].isspace():
        limit = min(keep[0], start + SNAP)
        gap = next((i for i in range(start, limit) if text[i].isspace()), None)
        if gap is not None:
            start = gap + 1
    if end < len(text) and not text[end].isspace():
        limit = max(keep[1], end - SNAP)
        gap = next((i for i in range(end - 1, limit - 1, -1) if text[i].isspace()), None)
        if gap is not None and gap > start:
            end = gap
    while start > 0 and unicodedata.combining(text[start]):
        start -= 1
    while end < len(text) and unicodedata.combining(text[end]):
        end += 1
    return start, end


def _window(text: str, spans: list[Span], width: int) -> Span:
    if len(text) <= width:
        return 0, len(text)
    first = spans[0] if spans else (0, 0)
    # The first match about a third of the way in: some context before it, more after.
    start = max(0, min(first[0] - width // 3, len(text) - width))
    if first[1] - start > width:
        start = first[0]
    end = min(len(text), start + width)
    return _snap(text, start, end, (first[0], min(first[1], end)))


def window(text: str | None, query: str | None, width: int = 200) -> Span:
    """The [start, end) range of `text` a snippet shows: about `width` characters around the
    first match (the beginning when nothing matches)."""
    if not text:
        return 0, 0
    return _window(text, match_spans(text, query), width)


def snippet(text: str | None, query: str | None, width: int = 200) -> Markup:
    """A highlighted window of about `width` characters around the first match of a long text,
    with an ellipsis where text was left out; short texts are highlighted whole."""
    if not text:
        return Markup("")
    spans = match_spans(text, query)
    start, end = _window(text, spans, width)
    inside = [
        (max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start
    ]
    body = _render(text[start:end], inside)
    before = escape(ELLIPSIS) if start > 0 else Markup("")
    after = escape(ELLIPSIS) if end < len(text) else Markup("")
    return before + body + after
