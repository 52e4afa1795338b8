"""WordprocessingML written as text: runs, paragraphs, table cells, rows and tables, each a
function returning its XML (named as the element it writes: `p` for <w:p>, `tc` for <w:tc>).

Every string goes through `clean` (NFC, characters XML cannot hold dropped) and is escaped
here; nothing else in the DOCX writers escapes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from docx.blkcntnr import BlockItemContainer
from docx.oxml import parse_xml

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def clean(value: str | None) -> str:
    """NFC text without the control characters an XML document cannot hold."""
    return _XML_ILLEGAL.sub("", unicodedata.normalize("NFC", value or ""))


def lines(value: str | None) -> list[str]:
    """One entry per line (a paragraph each); empty lines kept, so text comes back whole."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def tw(mm: float) -> int:
    """Millimetres in twentieths of a point (twips), the unit of WordprocessingML widths."""
    return round(mm * 1440 / 25.4)


def rpr(*, bold: bool = False, italic: bool = False, size: float | None = None) -> str:
    parts = []
    if bold:
        parts.append("<w:b/><w:bCs/>")
    if italic:
        parts.append("<w:i/><w:iCs/>")
    if size:
        half = round(size * 2)
        parts.append(f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>')
    return f"<w:rPr>{''.join(parts)}</w:rPr>" if parts else ""


def run(text: str, rpr: str = "") -> str:
    """A run of `text`, cleaned and escaped; tabs become <w:tab/> as Word expects."""
    text = clean(text)
    if not text:
        return ""
    pieces = (f'<w:t xml:space="preserve">{p.translate(_ESCAPES)}</w:t>' for p in text.split("\t"))
    return f"<w:r>{rpr}{'<w:tab/>'.join(pieces)}</w:r>"


def ppr(
    *,
    align: str | None = None,
    before: float = 0,
    after: float = 0,
    indent: tuple[float, float, float] | None = None,
    keep_next: bool = False,
    page_break: bool = False,
    rule: bool = False,
    exact: float | None = None,
) -> str:
    """Paragraph properties in schema order. `before`/`after`/`exact` in points, `indent`
    (left, right, first line) in mm; `rule` draws a line along the paragraph's top."""
    parts = []
    if keep_next:
        parts.append("<w:keepNext/>")
    if page_break:
        parts.append("<w:pageBreakBefore/>")
    if rule:
        parts.append(
            '<w:pBdr><w:top w:val="single" w:sz="6" w:space="0" w:color="000000"/></w:pBdr>'
        )
    line = (
        f'w:line="{round(exact * 20)}" w:lineRule="exact"'
        if exact
        else 'w:line="240" w:lineRule="auto"'
    )
    parts.append(
        f'<w:spacing w:before="{round(before * 20)}" w:after="{round(after * 20)}" {line}/>'
    )
    if indent:
        left, right, first = indent
        parts.append(
            f'<w:ind w:left="{tw(left)}" w:right="{tw(right)}" w:firstLine="{tw(first)}"/>'
        )
    if align:
        parts.append(f'<w:jc w:val="{align}"/>')
    return f"<w:pPr>{''.join(parts)}</w:pPr>"


def p(text: str = "", ppr: str = "", rpr: str = "") -> str:
    return f"<w:p>{ppr}{run(text, rpr)}</w:p>"


def tc(
    width: float, body: str, *, span: int = 1, vmerge: str | None = None, valign: str = "top"
) -> str:
    """A table cell `width` mm wide; `vmerge` is "restart" or "continue"."""
    props = f'<w:tcW w:w="{tw(width)}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if vmerge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif vmerge:
        props += "<w:vMerge/>"
    props += f'<w:vAlign w:val="{valign}"/>'
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{body or '<w:p/>'}</w:tc>"


def tr(cells: str, *, header: bool = False, keep: bool = False) -> str:
    props = ("<w:cantSplit/>" if keep or header else "") + ("<w:tblHeader/>" if header else "")
    return f"<w:tr>{f'<w:trPr>{props}</w:trPr>' if props else ''}{cells}</w:tr>"


def tbl(widths: Sequence[float], rows: Iterable[str], *, borders: bool = True) -> str:
    line = 'w:val="single" w:sz="4" w:space="0" w:color="000000"' if borders else 'w:val="nil"'
    edges = "".join(
        f"<w:{edge} {line}/>" for edge in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    grid = "".join(f'<w:gridCol w:w="{tw(w)}"/>' for w in widths)
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{tw(sum(widths))}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{edges}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        f'<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0"'
        f' w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>'
    )


PAGE_FIELD = (
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
)


def page_number(part: BlockItemContainer, size: float) -> None:
    """Replace a header's or footer's first paragraph with a centred PAGE field."""
    old = part.paragraphs[0]._p
    paragraph, run_props = ppr(align="center"), rpr(size=size)
    field = PAGE_FIELD.replace("<w:r>", f"<w:r>{run_props}")
    old.addnext(parse_xml(f'<w:p xmlns:w="{W_NS}">{paragraph}{field}</w:p>'))
    old.getparent().remove(old)
