"""Text files as offices send them: decoding, and the legacy Vietnamese encodings.

Pure (stdlib only). ``decode_text(data)`` reads bytes: a BOM (UTF-8, UTF-16), UTF-16 without a
BOM (every other byte NUL), UTF-8, else Windows-1258 (the Windows Vietnamese code page, whose
tone marks are combining characters: the result is NFC).

Before Unicode, Vietnamese was typed in 8-bit font encodings, and old files still carry them:

* **TCVN3** (ABC, fonts ".VnTime"): each accented lower-case letter is one byte in A1-FF, so the
  text read as Latin-1 shows "Th«ng b¸o kÕt luËn" for "Thông báo kết luận", with "¸ µ ¶ · ¹ ª «
  ¬ ®" inside words; "ư" is the soft hyphen A0AD, which PDF copies turn into "−" ("tr−êng").
  Only Ă Â Đ Ê Ô Ơ Ư have upper-case codes; other capitals were drawn by a capitals-only font
  (".VnTimeH") from the lower-case codes, so they convert to lower case.
* **VNI** (fonts "VNI-Times"): a base letter followed by one or two mark bytes: "Thoâng baùo keát
  luaän"; "ô" is "ơ", "ö" is "ư", "ñ" is "đ".

``detect_legacy(text)`` names the encoding ("tcvn3" / "vni") when enough words carry marks
that Unicode Vietnamese never has inside a word; ``convert_legacy(text, encoding)`` converts.
Nothing converts on its own: the caller decides, because a false alarm would garble real text.
When bytes are neither UTF-8 nor UTF-16 and look legacy, ``decode_text`` reads them one
character per byte (Windows-1252, which the tables expect) instead of Windows-1258.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

TCVN3 = "tcvn3"
VNI = "vni"
ENCODINGS = (TCVN3, VNI)

# TCVN3 lower-case letters, in the order "aàáảãạ…" of _VOWELS below: (Unicode, TCVN3).
_TCVN3_PAIRS = (
    "àµ á¸ ả¶ ã· ạ¹ ă¨ ằ» ắ¾ ẳ¼ ẵ½ ặÆ â© ầÇ ấÊ ẩÈ ẫÉ ậË đ® èÌ éÐ ẻÎ ẽÏ ẹÑ êª ềÒ ếÕ ểÓ "
    "ễÔ ệÖ ì× íÝ ỉØ ĩÜ ịÞ òß óã ỏá õâ ọä ô« ồå ốè ổæ ỗç ộé ơ¬ ờê ớí ởë ỡì ợî ùï úó ủñ "
    "ũò ụô ư\xad ừõ ứø ửö ữ÷ ựù ỳú ýý ỷû ỹü ỵþ Ă¡ Â¢ Đ§ Ê£ Ô¤ Ơ¥ Ư¦"
)
_TCVN3 = {pair[1]: pair[0] for pair in _TCVN3_PAIRS.split()}
# Marks that real Vietnamese never has inside a word ("Þ" also ends Windows-1258 tones).
_TCVN3_MARKS = "¸µ¶·¹¨»¾¼½©®ª«¬§¡¢£¤¥¦\xad"
_TCVN3_WORD = re.compile(rf"[^\W\d_][{_TCVN3_MARKS}]|[{_TCVN3_MARKS}][^\W\d_]|[^\W\d_]−[^\W\d_]")

# VNI: a vowel's base letter, its modifier bytes, then one tone byte per tone (none, sắc, huyền,
# hỏi, ngã, nặng). Lower case; upper case is the same with upper-case bytes.
_VNI_VOWELS = (
    ("a", "", "aáàảãạ", ("", "ù", "ø", "û", "õ", "ï")),
    ("a", "â", "âấầẩẫậ", ("â", "á", "à", "å", "ã", "ä")),
    ("a", "ê", "ăắằẳẵặ", ("ê", "é", "è", "ú", "ü", "ë")),
    ("e", "", "eéèẻẽẹ", ("", "ù", "ø", "û", "õ", "ï")),
    ("e", "â", "êếềểễệ", ("â", "á", "à", "å", "ã", "ä")),
    ("o", "", "oóòỏõọ", ("", "ù", "ø", "û", "õ", "ï")),
    ("o", "â", "ôốồổỗộ", ("â", "á", "à", "å", "ã", "ä")),
    ("ô", "", "ơớờởỡợ", ("", "ù", "ø", "û", "õ", "ï")),
    ("u", "", "uúùủũụ", ("", "ù", "ø", "û", "õ", "ï")),
    ("ö", "", "ưứừửữự", ("", "ù", "ø", "û", "õ", "ï")),
    ("y", "", "yýỳỷỹ", ("", "ù", "ø", "û", "õ")),
)
_VNI_SINGLE = {"í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ", "ñ": "đ"}


def _vni_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for base, _modifier, letters, marks in _VNI_VOWELS:
        for letter, mark in zip(letters, marks, strict=False):
            if base + mark != letter:
                table[base + mark] = letter
    table.update(_VNI_SINGLE)
    upper = {key.upper(): value.upper() for key, value in table.items()}
    return {**table, **upper}


_VNI = _vni_table()
_VNI_PATTERN = re.compile("|".join(sorted(map(re.escape, _VNI), key=len, reverse=True)))
# Pairs no Unicode Vietnamese word holds: a vowel then a VNI mark byte ("aø", "eá", "oâ").
_VNI_WORD = re.compile(
    r"[aeiouyôöAEIOUYÔÖ][ùøûõïåäëüÙØÛÕÏÅÄËÜ]|[aeAE][âáàãêéèúÂÁÀÃÊÉÈÚ]|[oO][âÂ]"
    r"|(?<![^\W\d_])[ñÑ][^\W\d_]"
)
_WORD = re.compile(r"\S+")
_UNICODE_LETTER = re.compile("[\u0100-\u024f\u1e00-\u1eff]")


@dataclass(frozen=True)
class DecodedText:
    """The text of a file and how it was read."""

    text: str
    encoding: str  # "utf-8", "utf-16", "cp1258", or "cp1252" for legacy bytes (unconverted)
    legacy: str | None = None  # "tcvn3" / "vni" when the text looks legacy-encoded


def detect_legacy(text: str) -> str | None:
    """ "tcvn3" or "vni" when at least 2 words, and 2 % of them, look legacy-encoded."""
    words = _WORD.findall(text)
    if not words:
        return None
    counts = {
        TCVN3: sum(1 for word in words if _TCVN3_WORD.search(word)),
        VNI: sum(1 for word in words if _VNI_WORD.search(word)),
    }
    encoding = max(counts, key=lambda name: counts[name])
    hits = counts[encoding]
    return encoding if hits >= 2 and hits >= 0.02 * len(words) else None


def is_mixed(text: str) -> bool:
    """Whether more than 5 % of the lines with accented letters hold Unicode Vietnamese ones
    (beyond Latin-1: "ư", "ơ", "đ", "ộ"…, which neither legacy encoding produces)."""
    accented = [line for line in text.splitlines() if any(ord(char) > 127 for char in line)]
    unicode = sum(1 for line in accented if _UNICODE_LETTER.search(line))
    return unicode > 0.05 * len(accented)


def convert_legacy(text: str, encoding: str, *, mixed: bool | None = None) -> str:
    """The text converted from TCVN3 or VNI to Unicode (NFC); ValueError for another name.

    A line holding Unicode Vietnamese letters is kept as it is. When the document mixes both
    (`mixed`, by default `is_mixed(text)`: a Unicode header over legacy cells), only the lines
    that look legacy are converted, so "TG hoàn thành" is not read as VNI "TG hồn thành"."""
    if encoding not in ENCODINGS:
        raise ValueError(f"unknown legacy encoding {encoding!r}; use one of {', '.join(ENCODINGS)}")
    if mixed is None:
        mixed = is_mixed(text)
    marker = _TCVN3_WORD if encoding == TCVN3 else _VNI_WORD
    out = []
    for line in text.splitlines(keepends=True):
        keep = _UNICODE_LETTER.search(line) or (mixed and not marker.search(line))
        out.append(line if keep else _convert(line, encoding))
    return "".join(out)


def _convert(text: str, encoding: str) -> str:
    if encoding == TCVN3:
        # A minus sign between letters is a TCVN3 "ư" a PDF copy rendered; elsewhere a minus.
        text = re.sub(r"(?<=[^\W\d_])−(?=[^\W\d_])", "\xad", text)
        converted = "".join(_TCVN3.get(char, char) for char in text)
    else:
        converted = _VNI_PATTERN.sub(lambda match: _VNI[match.group()], text)
    return unicodedata.normalize("NFC", converted)


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.3 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.3 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def decode_text(data: bytes) -> DecodedText:
    """Bytes → text (see the module docstring); NFC, line ends kept as they are."""
    for bom, codec, name in (
        (b"\xef\xbb\xbf", "utf-8-sig", "utf-8"),
        (b"\xff\xfe", "utf-16", "utf-16"),
        (b"\xfe\xff", "utf-16", "utf-16"),
    ):
        if data.startswith(bom):
            return _decoded(data.decode(codec, errors="replace"), name)
    wide = _utf16_without_bom(data)
    if wide:
        return _decoded(data.decode(wide, errors="replace"), "utf-16")
    try:
        return _decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1258", errors="replace")
    legacy = detect_legacy(text)
    if legacy:
        return DecodedText(_one_char_per_byte(data), "cp1252", legacy)
    return DecodedText(unicodedata.normalize("NFC", text), "cp1258")


def _one_char_per_byte(data: bytes) -> str:
    """Windows-1252 (curly quotes as typed), else Latin-1: A0-FF are the same in both, and
    they are the bytes the legacy tables are written in."""
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _decoded(text: str, encoding: str) -> DecodedText:
    return DecodedText(text, encoding, detect_legacy(text))
