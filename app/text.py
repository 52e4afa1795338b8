"""Text normalisation: NFC storage and a folded key for diacritic-insensitive search.

Vietnamese text arrives both precomposed (NFC) and decomposed (NFD, e.g. from macOS or PDF
copies); the two look identical but compare unequal, so everything is stored as NFC. Search
compares folded keys: NFD, combining marks dropped, "đ" → "d", casefolded, whitespace collapsed.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(value: str | None) -> str | None:
    """Return `value` in Unicode NFC (None stays None), without NUL characters.

    NUL never belongs in text and PostgreSQL refuses it; it arrives from damaged documents.
    """
    if value is None:
        return None
    return unicodedata.normalize("NFC", value.replace("\x00", ""))


def fold(value: str | None) -> str:
    """Fold text for search: no diacritics, đ → d, casefolded, single spaces."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", stripped.casefold()).strip()


def fold_join(*parts: str | None) -> str:
    """Fold several fields into one search key, separated so words never glue together."""
    return " | ".join(fold(p) for p in parts if p)


def clean_multiline(value: str | None) -> str | None:
    """NFC, strip trailing spaces on each line and blank lines at both ends."""
    if value is None:
        return None
    lines = [line.rstrip() for line in nfc(value).splitlines()]
    return "\n".join(lines).strip("\n") or None
