"""Vietnamese text without its marks, character for character, for the parsers' patterns.

`plain("Ủy ban")` is "Uy ban": each NFC character becomes its unaccented letter ("Đ" → "D"), so
a pattern matched on the plain form gives positions that are valid in the original text (unlike
`app.text.fold`, which also changes case and length)."""

from __future__ import annotations

import unicodedata


def _plain_table() -> dict[int, str]:
    table = {ord("đ"): "d", ord("Đ"): "D"}
    for code in range(0xC0, 0x1F00):
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base.isascii() and base.isalpha() and chr(code) != base:
            table[code] = base
    return table


_PLAIN = _plain_table()


def plain(text: str) -> str:
    """Each NFC character to its unaccented letter ("Đ" → "D"), case and length kept."""
    return text.translate(_PLAIN)


def squash(text: str) -> str:
    """Runs of whitespace collapsed to one space, trimmed."""
    return " ".join(text.split())
