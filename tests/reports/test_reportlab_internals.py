"""The reportlab internals the layout engine relies on (listed in app/reports/layout/__init__.py),
each checked on its own: when a reportlab release moves one, the failing test names it.

The PDF tests (test_pdf.py) would fail too, but somewhere deep in a layout; these say what to
look at first. pyproject.toml pins the reportlab versions they were verified against.
"""

from __future__ import annotations

import inspect
import zlib
from io import BytesIO

import pytest
import reportlab
from pypdf import PdfReader
from reportlab.lib import rl_accel
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from app.reports.layout import REGULAR, Doc, Geometry, register_fonts

RL = f"reportlab {reportlab.Version}"


def moved(what: str, expected: str) -> str:
    return f"{RL}: {what} changed: the layout engine expects {expected} (app/reports/layout/)"


@pytest.fixture
def canvas() -> Canvas:
    return Canvas(BytesIO(), invariant=1)


@pytest.fixture
def font() -> TTFont:
    register_fonts()
    return pdfmetrics.getFont(REGULAR)


def test_canvas_doc(canvas):
    assert isinstance(getattr(canvas, "_doc", None), pdfdoc.PDFDocument), moved(
        "Canvas._doc", "the canvas's pdfdoc.PDFDocument"
    )


def test_canvas_code(canvas):
    code = getattr(canvas, "_code", None)
    assert isinstance(code, list), moved("Canvas._code", "a list of operator strings")
    canvas.setLineWidth(3)
    appended = moved("Canvas._code", "drawing operators appended to it as str")
    assert code, appended
    assert code[-1] == "3 w", appended
    canvas.showPage()
    new_list = moved("Canvas._code", "a new list for each page after showPage()")
    assert isinstance(canvas._code, list), new_list
    assert canvas._code is not code, new_list


def test_pdfdocument_pages_pages(canvas):
    canvas.showPage()
    pages = getattr(getattr(canvas._doc, "Pages", None), "pages", None)
    listed = moved("PDFDocument.Pages.pages", "the list of finished pages")
    assert isinstance(pages, list), listed
    assert len(pages) == 1, listed
    assert isinstance(pages[-1], pdfdoc.PDFPage), moved(
        "PDFDocument.Pages.pages", "PDFPage objects, the newest last"
    )


def test_pdfpage_stream(canvas):
    canvas.setLineWidth(3)
    canvas.showPage()
    stream = canvas._doc.Pages.pages[-1].stream
    joined = moved("PDFPage.stream", "the page's operators joined into one str after showPage()")
    assert isinstance(stream, str), joined
    assert "\n3 w\n" in stream, joined


def test_pdfpage_contents_and_pdfstream_keep_a_stream_compressed_by_the_caller(canvas):
    marker = "0 0 m 1 1 l S % nhiemvu"
    canvas._code.append(marker)
    canvas.showPage()
    page = canvas._doc.Pages.pages[-1]
    assert hasattr(page, "Contents"), moved("PDFPage.Contents", "an attribute of PDFPage")
    dictionary = pdfdoc.PDFDictionary({"Filter": pdfdoc.PDFName("FlateDecode")})
    stream = pdfdoc.PDFStream(dictionary, zlib.compress(page.stream.encode("utf-8")))
    kept = moved("pdfdoc.PDFStream(dictionary, content)", "its two first arguments kept as given")
    assert stream.dictionary is dictionary, kept
    assert isinstance(stream.content, bytes), kept
    page.Contents, page.stream = stream, None
    canvas.save()
    data = canvas.getpdfdata()
    content = PdfReader(BytesIO(data)).pages[0].get_contents().get_data().decode("latin-1")
    assert marker in content, moved(
        "PDFPage.Contents / PDFStream",
        "a Contents set before save() written as is, and a stream naming its Filter not "
        "filtered again",
    )


def test_ttfont_face_charwidths(font):
    widths = getattr(getattr(font, "face", None), "charWidths", None)
    assert isinstance(widths, dict), moved("TTFont.face.charWidths", "a dict of code point → width")
    expected = pdfmetrics.stringWidth("ư", REGULAR, 1000)
    assert widths.get(ord("ư")) == pytest.approx(expected), moved(
        "TTFont.face.charWidths", "widths in 1/1000 em, as stringWidth() measures them"
    )


def test_ttfont_face_defaultwidth(font):
    assert isinstance(getattr(font.face, "defaultWidth", None), int | float), moved(
        "TTFont.face.defaultWidth", "the width of a character the font lacks, a number"
    )


def test_ttfont_splitstring(font, canvas):
    doc = canvas._doc
    assert font.splitString(" ", doc) == [(0, b" ")], moved(
        "TTFont.splitString", "[(subset, bytes)], with ' ' as byte 32 of subset 0"
    )
    runs = font.splitString("Đường", doc)
    shaped = moved("TTFont.splitString", "[(subset, bytes)]")
    assert runs, shaped
    assert all(isinstance(s, int) for s, _b in runs), shaped
    assert all(isinstance(b, bytes) for _s, b in runs), shaped


def test_ttfont_getsubsetinternalname(font, canvas):
    font.splitString("a", canvas._doc)
    name = font.getSubsetInternalName(0, canvas._doc)
    assert str(name).startswith("/F"), moved(
        "TTFont.getSubsetInternalName", 'a font resource name such as "/F1+0"'
    )


def test_rl_accel_escapepdf():
    assert rl_accel.escapePDF(b"(a)\\") == "\\(a\\)\\\\", moved(
        "reportlab.lib.rl_accel.escapePDF", "bytes in, the escaped str of a PDF string out"
    )


def test_ttfont_keyword_arguments():
    parameters = inspect.signature(TTFont.__init__).parameters
    for name in ("asciiReadable", "shapable"):
        assert name in parameters, moved(f"TTFont(..., {name}=...)", "the keyword argument")


def test_the_engine_end_to_end_on_this_reportlab():
    """The pieces together: a page of text written by the engine reads back."""
    doc = Doc(Geometry((400.0, 200.0), 20, 20, 20, 20), "t", None)
    doc.text(doc.regular, 12, 30, 150, ["Đường", "phố"], spacing=2.0)
    doc.new_page()
    doc.text(doc.bold, 12, 30, 150, ["Hai"])
    pages = PdfReader(BytesIO(doc.finish())).pages
    assert [" ".join(p.extract_text().split()) for p in pages] == ["Đường phố", "2 Hai"], RL
