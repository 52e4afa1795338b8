"""The one font family of the PDFs: the vendored Liberation Serif 2.1.5 (Times New Roman
metrics, OFL, see ../fonts/LICENSE). No base-14 font is ever referenced, so Vietnamese prints
in every viewer."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Final

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR: Final = Path(__file__).parent.parent / "fonts"
REGULAR: Final = "NhiemVuSerif"
BOLD: Final = "NhiemVuSerif-Bold"
ITALIC: Final = "NhiemVuSerif-Italic"
BOLD_ITALIC: Final = "NhiemVuSerif-BoldItalic"
FILES: Final = {
    REGULAR: "LiberationSerif-Regular.ttf",
    BOLD: "LiberationSerif-Bold.ttf",
    ITALIC: "LiberationSerif-Italic.ttf",
    BOLD_ITALIC: "LiberationSerif-BoldItalic.ttf",
}
_registered = False
_register_lock = threading.Lock()


def register_fonts() -> None:
    """Register the Liberation Serif family with reportlab (once per process)."""
    global _registered
    with _register_lock:
        if _registered:
            return
        for name, filename in FILES.items():
            # asciiReadable: bytes 32-126 of the first subset are ASCII, so byte 32 is the
            # space that word spacing (Tw) widens. shapable=False: no HarfBuzz shaping.
            pdfmetrics.registerFont(
                TTFont(name, str(FONT_DIR / filename), asciiReadable=True, shapable=False)
            )
        pdfmetrics.registerFontFamily(
            REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
        )
        _registered = True
