"""Normalisation: the form every rule is written against, with a map back to the input."""

from __future__ import annotations

import re
import unicodedata

_DASHES = {ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"}
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
_UNIT_WORD = r"(?:ngày|tuần|tháng|quý|năm)"
_HANG_RE = re.compile(rf"(?<!\w)hàng(?= (?:[0-9]+ )?{_UNIT_WORD}(?!\w))")
_QUI_RE = re.compile(r"(?<!\w)quí(?!\w)")
# Legal texts repeat a number in words after it: "ngày 15 (mười lăm)", "tháng 06 (sáu)".
_NUMBER_WORD = r"(?:không|một|mốt|hai|ba|bốn|tư|năm|lăm|nhăm|sáu|bảy|tám|chín|mười|mươi|linh|lẻ)"
_SPELLED_RE = re.compile(rf"(?<=[0-9]) ?\({_NUMBER_WORD}(?: {_NUMBER_WORD})*\)")


# Text the fast path leaves to the character loop: invisible characters, and a capital sigma
# (whose lower case depends on its position); combining marks are checked separately.
_SLOW_RE = re.compile("[" + "".join(sorted(_INVISIBLE)) + "\u03a3]")
_WORD_RE = re.compile(r"\S+")


def _fold_fast(text: str) -> tuple[str, list[int], list[int]] | None:
    """The character loop's result for the common case (NFC text), with string methods."""
    if (
        _SLOW_RE.search(text)
        or any(map(unicodedata.combining, text))
        or not unicodedata.is_normalized("NFC", text)
    ):
        return None
    lowered = text.lower()
    if len(lowered) != len(text):
        return None
    lowered = lowered.translate(_DASHES)
    words = [match.span() for match in _WORD_RE.finditer(lowered)]
    starts: list[int] = []
    for start, end in words:
        starts.extend(range(start, end))
        starts.append(end)  # the single space standing for the run of whitespace after it
    if starts:
        del starts[-1]
    folded = " ".join(lowered[start:end] for start, end in words)
    return folded, starts, [start + 1 for start in starts]


def _fold_slow(text: str) -> tuple[str, list[int], list[int]]:
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    while i < len(text):
        j = i + 1
        # A base character and its combining marks form one cluster, so NFD input composes.
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        cluster = unicodedata.normalize("NFC", text[i:j])
        if cluster.isspace():
            if chars and chars[-1] != " ":
                chars.append(" ")
                starts.append(i)
                ends.append(j)
        elif cluster not in _INVISIBLE:
            for ch in cluster:
                lower = ch.lower()
                chars.append((lower if len(lower) == 1 else ch).translate(_DASHES))
                starts.append(i)
                ends.append(j)
        i = j
    if chars and chars[-1] == " ":
        del chars[-1], starts[-1], ends[-1]
    return "".join(chars), starts, ends


def _normalise_with_map(text: str) -> tuple[str, list[int], list[int]]:
    """Normalise, keeping for each output character the span of input it came from.

    Every step is length-preserving per character cluster (or drops characters with their
    map entries) so that a match in the normalised text can be returned as written.
    """
    folded, starts, ends = _fold_fast(text) or _fold_slow(text)
    spelled = [match.span() for match in _SPELLED_RE.finditer(folded)]
    if spelled:
        drop = {i for start, end in spelled for i in range(start, end)}
        keep = [i for i in range(len(folded)) if i not in drop]
        folded = "".join(folded[i] for i in keep)
        starts = [starts[i] for i in keep]
        ends = [ends[i] for i in keep]
    if "hàng" in folded:
        folded = _HANG_RE.sub("hằng", folded)
    if "quí" in folded:
        folded = _QUI_RE.sub("quý", folded)
    return folded, starts, ends


def normalise(text: str) -> str:
    """The form every rule is written against: NFC, lower case, single spaces, '-' dashes,
    "hàng" → "hằng" before a unit of time, "quí" → "quý", and a number's repetition in words
    dropped ("ngày 15 (mười lăm)" → "ngày 15")."""
    return _normalise_with_map(text)[0]
