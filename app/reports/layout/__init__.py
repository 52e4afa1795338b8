"""The page-layout engine of the PDF writers (app/reports/pdf/): text is laid out here, not by
platypus.

A platypus table of Paragraph cells re-wraps every row several times (to measure, to split, to
draw) and keeps every page's flowables: 20 s and more for a province's 1,000-task quarter,
15 minutes and a GB for ten of them. Here each cell is wrapped once, with words measured
through a per-document cache (`text.Face`); rows go straight onto the canvas and split across
pages line by line (`table.Table`); each finished page is compressed at once so only its bytes
stay in memory (`page.PageCanvas`).

Fonts are the vendored Liberation Serif 2.1.5 (`fonts`). Everything a user wrote is drawn as
literal text (no markup is parsed) after NFC normalisation. Output is reproducible:
`invariant` mode and the creation date taken from the document's `built_at`.

reportlab internals the engine relies on
----------------------------------------
Each is checked by tests/reports/test_reportlab_internals.py, which names the one that moved.
Verified (that test and tests/reports/test_pdf.py pass) on reportlab 4.4.0, 4.4.9, 4.4.10,
4.5.1, 5.0.1 and 5.1.0, hence `reportlab>=4.4,<5.2` in pyproject.toml. Before 4.4 `TTFont` has
no `shapable` argument (4.1 to 4.3 call it `shaped`); 4.0 does not import cleanly on Python
3.11 with warnings as errors. A release past 5.1 is to be checked the same way before the
range is widened.

Private attributes:

- `Canvas._doc` — the canvas's `pdfdoc.PDFDocument`: the key of a TTFont's per-document
  subset state (`splitString`, `getSubsetInternalName`) and the holder of finished pages.
- `Canvas._code` — the current page's list of content-stream operator strings; text and
  rules are appended to it as raw operators. `showPage` gives the canvas a new list, so it is
  read again after every page.

Undocumented internals (public names, no documented contract):

- `PDFDocument.Pages.pages` — the list of finished `PDFPage`s, the newest last.
- `PDFPage.stream` — the page's operators joined into one str after `showPage`, and
  `PDFPage.Contents` — kept as given by `check_format` when set, so a page can carry its own
  already-compressed stream (`page.PageCanvas.showPage`).
- `pdfdoc.PDFStream(dictionary, content)`, `pdfdoc.PDFDictionary`, `pdfdoc.PDFName` — a
  stream whose dictionary names its `Filter` is written as given, not filtered again.
- `TTFont.face.charWidths` (code point → advance width in 1/1000 em) and
  `TTFont.face.defaultWidth` — word widths without `stringWidth`'s per-call overhead.
- `TTFont.splitString(text, doc)` → [(subset, bytes)] and
  `TTFont.getSubsetInternalName(subset, doc)` → "/F1+0": the font subsets and their
  resource names; with `asciiReadable`, subset 0 holds ASCII at its own codes, so " " is byte
  32 — the only byte word spacing (`Tw`) widens.
- `reportlab.lib.rl_accel.escapePDF(bytes)` → the str of a PDF literal string's content.
- `TTFont(..., asciiReadable=..., shapable=...)` keyword arguments.
"""

from app.reports.layout.fonts import BOLD, BOLD_ITALIC, ITALIC, REGULAR, register_fonts
from app.reports.layout.page import Doc, Geometry, PageCanvas
from app.reports.layout.table import Cell, HeaderCell, Table
from app.reports.layout.text import Face, Line, clean

__all__ = [
    "BOLD",
    "BOLD_ITALIC",
    "ITALIC",
    "REGULAR",
    "Cell",
    "Doc",
    "Face",
    "Geometry",
    "HeaderCell",
    "Line",
    "PageCanvas",
    "Table",
    "clean",
    "register_fonts",
]
