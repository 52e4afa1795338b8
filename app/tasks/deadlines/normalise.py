"""Normalisation: the form every rule is written against, with a map back to the input."""

from __future__ import annotations

import re
import unicodedata

_DASHES = {ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"}
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
_UNIT_WORD = r"(?:ngày|tuần|tháng|quý|năm)"
_HANG_RE = re.compile(rf"(?<!\w)hàng(?= (?:[0-9]+ )?{_UNIT_WORD}(?!\w))")
_QUI_RE = re.compile(r"(?<!\w)quí(?!\w)")


def _normalise_with_map(text: str) -> tuple[str, list[int], list[int]]:
    """Normalise, keeping for each output character the span of input it came from.

    Every step is length-preserving per character cluster so that a match in the normalised
    text can be returned as written in the original.
    """
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
    folded = "".join(chars)
    folded = _HANG_RE.sub("hằng", folded)
    folded = _QUI_RE.sub("quý", folded)
    return folded, starts, ends


def normalise(text: str) -> str:
    """The form every rule is written against: NFC, lower case, single spaces, '-' dashes,
    "hàng" → "hằng" before a unit of time, "quí" → "quý"."""
    return _normalise_with_map(text)[0]
