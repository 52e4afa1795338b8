"""The appendix (Phụ lục) and the cover letter (Công văn) as Word documents.

python-docx supplies the package (styles, section, header/footer parts, core properties); the
body is written as WordprocessingML text and the document part parsed once with it (see
`_save`): python-docx's cell objects cost more per row the longer the table (each lookup walks
the grid), and a thousand tasks with their paragraphs, merges and run formatting take 0.5 s
this way. Every string goes through `_clean` (NFC, characters XML cannot hold dropped) and is
escaped here.

Same input, same bytes: core properties come from `built_at` (left out when it is None), the
revision is fixed and the zip entries are rewritten with one fixed timestamp (`stable_zip`).
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from io import BytesIO

from docx import Document
from docx.blkcntnr import BlockItemContainer
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm
from lxml import etree

from app.reports import texts
from app.reports.documents import Appendix, AppendixTask, CoverLetter
from app.reports.texts import DEADLINE, DONE, EXPLANATION, GOING, NAME, PROGRESS, STT

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Times New Roman"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# Widths in mm. Landscape A4 with Decree 30 margins leaves 297 - 30 - 15 = 252 mm.
APPENDIX_COLUMNS = (12, 66, 30, 20, 24, 100)
SUMMARY_COLUMNS = (12, 80, 26, 26, 28, 22, 28, 30)
MARGINS = {"top": 20, "bottom": 20, "left": 30, "right": 15}  # mm, Decree 30/2020/NĐ-CP
TABLE_PT, TEXT_PT = 12, 14

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry


# -- text and measures -----------------------------------------------------------------------
def _clean(value: str | None) -> str:
    """NFC text without the control characters an XML document cannot hold."""
    return _XML_ILLEGAL.sub("", unicodedata.normalize("NFC", value or ""))


def _lines(value: str | None) -> list[str]:
    """One entry per line (a paragraph each); empty lines kept, so text comes back whole."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _tw(mm: float) -> int:
    """Millimetres in twentieths of a point (twips), the unit of WordprocessingML widths."""
    return round(mm * 1440 / 25.4)


def utc_naive(moment: datetime | None) -> datetime | None:
    """A naive UTC datetime, as core properties are written (naive input is taken as UTC)."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


# -- WordprocessingML as text --------------------------------------------------------------
def _rpr(*, bold: bool = False, italic: bool = False, size: float | None = None) -> str:
    parts = []
    if bold:
        parts.append("<w:b/><w:bCs/>")
    if italic:
        parts.append("<w:i/><w:iCs/>")
    if size:
        half = round(size * 2)
        parts.append(f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>')
    return f"<w:rPr>{''.join(parts)}</w:rPr>" if parts else ""


def _run(text: str, rpr: str = "") -> str:
    """A run of `text`, cleaned and escaped; tabs become <w:tab/> as Word expects."""
    text = _clean(text)
    if not text:
        return ""
    pieces = (f'<w:t xml:space="preserve">{p.translate(_ESCAPES)}</w:t>' for p in text.split("\t"))
    return f"<w:r>{rpr}{'<w:tab/>'.join(pieces)}</w:r>"


def _ppr(
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
            f'<w:ind w:left="{_tw(left)}" w:right="{_tw(right)}" w:firstLine="{_tw(first)}"/>'
        )
    if align:
        parts.append(f'<w:jc w:val="{align}"/>')
    return f"<w:pPr>{''.join(parts)}</w:pPr>"


def _p(text: str = "", ppr: str = "", rpr: str = "") -> str:
    return f"<w:p>{ppr}{_run(text, rpr)}</w:p>"


def _tc(
    width: float, body: str, *, span: int = 1, vmerge: str | None = None, valign: str = "top"
) -> str:
    """A table cell `width` mm wide; `vmerge` is "restart" or "continue"."""
    props = f'<w:tcW w:w="{_tw(width)}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if vmerge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif vmerge:
        props += "<w:vMerge/>"
    props += f'<w:vAlign w:val="{valign}"/>'
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{body or '<w:p/>'}</w:tc>"


def _tr(cells: str, *, header: bool = False, keep: bool = False) -> str:
    props = ("<w:cantSplit/>" if keep or header else "") + ("<w:tblHeader/>" if header else "")
    return f"<w:tr>{f'<w:trPr>{props}</w:trPr>' if props else ''}{cells}</w:tr>"


def _tbl(widths: Sequence[float], rows: Iterable[str], *, borders: bool = True) -> str:
    line = 'w:val="single" w:sz="4" w:space="0" w:color="000000"' if borders else 'w:val="nil"'
    edges = "".join(
        f"<w:{edge} {line}/>" for edge in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    grid = "".join(f'<w:gridCol w:w="{_tw(w)}"/>' for w in widths)
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{_tw(sum(widths))}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{edges}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        f'<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0"'
        f' w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>'
    )


PAGE_FIELD = (
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
)


def _page_number(part: BlockItemContainer, size: float) -> None:
    """Replace a header's or footer's first paragraph with a centred PAGE field."""
    old = part.paragraphs[0]._p
    ppr, rpr = _ppr(align="center"), _rpr(size=size)
    field = PAGE_FIELD.replace("<w:r>", f"<w:r>{rpr}")
    old.addnext(parse_xml(f'<w:p xmlns:w="{W_NS}">{ppr}{field}</w:p>'))
    old.getparent().remove(old)


# -- the package ---------------------------------------------------------------------------
def _fonts(document: DocxDocument) -> None:
    """Times New Roman for every script, Vietnamese proofing, no spacing between paragraphs.

    The template's defaults name theme fonts, which Word prefers to explicit ones: they go."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    for style_rpr in (rpr, document.styles["Normal"].element.get_or_add_rPr()):
        fonts = style_rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = style_rpr.makeelement(qn("w:rFonts"), {})
            style_rpr.insert(0, fonts)
        fonts.attrib.clear()
        for script in ("ascii", "hAnsi", "eastAsia", "cs"):
            fonts.set(qn(f"w:{script}"), FONT)
    rpr.find(qn("w:sz")).set(qn("w:val"), str(TEXT_PT * 2))
    rpr.find(qn("w:szCs")).set(qn("w:val"), str(TEXT_PT * 2))
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "vi-VN")
    spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")


def _new_document(*, landscape: bool) -> DocxDocument:
    document = Document()
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:  # the template's picture of an empty page
            del package.rels[rel_id]
    _fonts(document)
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS["top"]), Mm(MARGINS["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS["left"]), Mm(MARGINS["right"])
    section.header_distance = section.footer_distance = Mm(10)
    return document


def _properties(
    document: DocxDocument, *, title: str, subject: str, author: str, when: datetime | None
) -> None:
    props = document.core_properties
    props.title = _clean(title)[:255]
    props.subject = _clean(subject)[:255]
    props.author = _clean(author)[:255]
    props.comments = props.keywords = props.last_modified_by = ""
    props.language = "vi-VN"
    props.revision = 1
    moment = utc_naive(when)
    if moment is None:  # no moment to record: no dates at all rather than today's
        for name in ("dcterms:created", "dcterms:modified"):
            element = props._element.find(qn(name))
            if element is not None:
                props._element.remove(element)
    else:
        props.created = props.modified = moment


def stable_zip(
    data: bytes, when: datetime | None, edit: Callable[[str, bytes], bytes] | None = None
) -> bytes:
    """The same package with every entry stamped `when` (UTC; 1980-01-01 without one), each
    entry's bytes passed through `edit(name, data)` when given.

    python-docx and openpyxl stamp entries with the current time, so two saves differ."""
    moment = utc_naive(when)
    stamp = moment.timetuple()[:6] if moment and moment.year >= 1980 else _EPOCH
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever the platform, with plain rw-r--r-- rights
            info.external_attr = 0o644 << 16
            content = source.read(entry)
            target.writestr(info, edit(entry.filename, content) if edit else content)
    return out.getvalue()


def _save(document: DocxDocument, body: Iterable[str], when: datetime | None) -> bytes:
    """The package with `body` (WordprocessingML fragments) before the section properties.

    The document part is re-parsed from text with the body spliced in: moving a large parsed
    tree into the template's tree costs lxml seconds (a namespace fix-up per node), parsing
    the whole part costs a tenth of a second. `document` is stale afterwards."""
    part = document.part
    xml = etree.tostring(part.element, encoding="unicode")
    head, sect_pr, tail = xml.rpartition("<w:sectPr")  # the body's own, always last
    part._element = parse_xml(f"{head}{''.join(body)}{sect_pr}{tail}")
    buffer = BytesIO()
    document.save(buffer)
    return stable_zip(buffer.getvalue(), when)


# -- the appendix ---------------------------------------------------------------------------
def _cell_lines(width: float, text: str | None, align: str, *, bold: bool = False) -> str:
    ppr, rpr = _ppr(align=align, before=2, after=2), _rpr(bold=bold, size=TABLE_PT)
    return _tc(width, "".join(_p(line, ppr, rpr) for line in _lines(text)))


def _appendix_header() -> list[str]:
    ppr, rpr = _ppr(align="center", before=2, after=2), _rpr(bold=True, size=TABLE_PT)
    w = APPENDIX_COLUMNS
    first = [
        _tc(w[0], _p(STT, ppr, rpr), vmerge="restart", valign="center"),
        _tc(w[1], _p(NAME, ppr, rpr), vmerge="restart", valign="center"),
        _tc(w[2], _p(DEADLINE, ppr, rpr), vmerge="restart", valign="center"),
        _tc(w[3] + w[4], _p(PROGRESS, ppr, rpr), span=2, valign="center"),
        _tc(w[5], _p(EXPLANATION, ppr, rpr), vmerge="restart", valign="center"),
    ]
    second = [
        _tc(w[0], _p("", ppr), vmerge="continue", valign="center"),
        _tc(w[1], _p("", ppr), vmerge="continue", valign="center"),
        _tc(w[2], _p("", ppr), vmerge="continue", valign="center"),
        _tc(w[3], _p(DONE, ppr, rpr), valign="center"),
        _tc(w[4], _p(GOING, ppr, rpr), valign="center"),
        _tc(w[5], _p("", ppr), vmerge="continue", valign="center"),
    ]
    return [_tr("".join(first), header=True), _tr("".join(second), header=True)]


def _task_row(task: AppendixTask) -> str:
    w = APPENDIX_COLUMNS
    done, going = texts.MARKS[task.progress]
    return _tr(
        _cell_lines(w[0], task.stt, "center")
        + _cell_lines(w[1], task.name, "both")
        + _cell_lines(w[2], task.deadline_text, "center")
        + _cell_lines(w[3], done, "center")
        + _cell_lines(w[4], going, "center")
        + _cell_lines(w[5], task.explanation, "both")
    )


def _summary(appendix: Appendix) -> list[str]:
    ppr_head = _ppr(align="center", before=2, after=2)
    bold = _rpr(bold=True, size=TABLE_PT)
    head = "".join(
        _tc(width, _p(label, ppr_head, bold), valign="center")
        for width, label in zip(SUMMARY_COLUMNS, texts.SUMMARY_HEADER, strict=True)
    )
    rows = [_tr(head, header=True)]
    w = SUMMARY_COLUMNS
    for index, counts in enumerate(appendix.summary, start=1):
        numbers = (counts.done_on_time, counts.done_late, counts.in_progress, counts.overdue)
        numbers += (counts.no_deadline, counts.total)
        cells = _cell_lines(w[0], str(index), "center") + _cell_lines(w[1], counts.agency, "left")
        cells += "".join(
            _cell_lines(width, str(n), "center") for width, n in zip(w[2:], numbers, strict=True)
        )
        rows.append(_tr(cells, keep=True))
    totals = [
        sum(getattr(c, field) for c in appendix.summary)
        for field in ("done_on_time", "done_late", "in_progress", "overdue", "no_deadline", "total")
    ]
    cells = _tc(
        w[0] + w[1], _p(texts.SUMMARY_TOTAL, _ppr(align="center", before=2, after=2), bold), span=2
    )
    cells += "".join(
        _cell_lines(width, str(n), "center", bold=True)
        for width, n in zip(w[2:], totals, strict=True)
    )
    rows.append(_tr(cells, keep=True))
    title = _p(
        texts.SUMMARY_TITLE,
        _ppr(align="center", after=12, page_break=True, keep_next=True),
        _rpr(bold=True),
    )
    return [title, _tbl(SUMMARY_COLUMNS, rows)]


def appendix_docx(appendix: Appendix) -> bytes:
    """The appendix on landscape A4: heading, title, subtitle, then the progress table
    (two header rows repeated on every page) and, when given, the per-agency summary."""
    document = _new_document(landscape=True)
    _page_number(document.sections[0].footer, TABLE_PT)
    centred = _ppr(align="center")
    fragments = [
        _p(appendix.heading, centred, _rpr(bold=True)),
        _p(appendix.title, centred, _rpr(bold=True)),
        _p(appendix.subtitle, _ppr(align="center", after=12), _rpr(italic=True)),
    ]
    rows = _appendix_header()
    span = sum(APPENDIX_COLUMNS)
    section_ppr = _ppr(align="left", before=2, after=2, keep_next=True)
    section_rpr = _rpr(bold=True, size=TABLE_PT)
    for section in appendix.sections:
        text = texts.section_label(_clean(section.number), _clean(section.title))
        label = _p(text, section_ppr, section_rpr)
        rows.append(_tr(_tc(span, label, span=len(APPENDIX_COLUMNS)), keep=True))
        rows.extend(_task_row(task) for task in section.tasks)
    fragments.append(_tbl(APPENDIX_COLUMNS, rows))
    if appendix.summary:
        fragments.extend(_summary(appendix))
    _properties(
        document,
        title=appendix.title,
        subject=appendix.period_label,
        author="",
        when=appendix.built_at,
    )
    return _save(document, fragments, appendix.built_at)


# -- the cover letter -------------------------------------------------------------------------
LETTER_COLUMNS = (65, 100)  # header table: agency | motto; portrait text width is 165 mm
CLOSING_COLUMNS = (80, 85)  # Nơi nhận | signature
AGENCY_PT, MOTTO_PT, MOTTO_LINE_PT, NUMBER_PT, SUBJECT_PT = 13, 12, 13, 13, 12
DISTRIBUTION_HEAD_PT, DISTRIBUTION_PT = 12, 11
CELL_MARGIN = 1.9  # mm, Word's default left and right cell margin
AGENCY_RULE = 20  # mm: Decree 30 asks for a third to a half of the line above it
BODY_INDENT = 12.7  # mm, first line


def _rule(cell_width: float, length: float) -> str:
    """A centred line `length` mm long: an empty paragraph with a top border, indented."""
    inner = cell_width - 2 * CELL_MARGIN
    side = max(0.0, (inner - min(length, inner)) / 2)
    return _p("", _ppr(rule=True, exact=2, indent=(side, side, 0)))


def _text_width(text: str, size: float) -> float:
    """About how many mm `text` takes in bold Times New Roman (about half an em a letter)."""
    return len(_clean(text)) * size * 0.16


def _letter_header(letter: CoverLetter) -> str:
    left_w, right_w = LETTER_COLUMNS
    centred = _ppr(align="center")
    agency = list(letter.agency_lines) or [""]
    left = "".join(_p(line, centred, _rpr(size=AGENCY_PT)) for line in agency[:-1])
    left += _p(agency[-1], centred, _rpr(bold=True, size=AGENCY_PT)) + _rule(left_w, AGENCY_RULE)
    motto, motto_line = letter.motto
    right = _p(motto, centred, _rpr(bold=True, size=MOTTO_PT))
    right += _p(motto_line, centred, _rpr(bold=True, size=MOTTO_LINE_PT))
    right += _rule(right_w, _text_width(motto_line, MOTTO_LINE_PT))
    number = _p(
        texts.NUMBER.format(number=_clean(letter.number).strip()),
        _ppr(align="center", before=6),
        _rpr(size=NUMBER_PT),
    )
    subject = "".join(
        _p(
            (texts.SUBJECT if i == 0 else "") + line,
            _ppr(align="center", before=6 if i == 0 else 0),
            _rpr(size=SUBJECT_PT),
        )
        for i, line in enumerate(_lines(letter.subject))
    )
    dated = _p(
        texts.date_in_words(_clean(letter.place), letter.dated),
        _ppr(align="center", before=6),
        _rpr(italic=True),
    )
    rows = [
        _tr(_tc(left_w, left) + _tc(right_w, right), keep=True),
        _tr(_tc(left_w, number + subject) + _tc(right_w, dated), keep=True),
    ]
    return _tbl(LETTER_COLUMNS, rows, borders=False)


def _recipients(recipients: Sequence[str]) -> list[str]:
    names = [_clean(r).strip() for r in recipients if _clean(r).strip()]
    if len(names) <= 1:
        return [
            _p(
                f"{texts.RECIPIENTS} {names[0] if names else ''}".rstrip(),
                _ppr(align="center", before=18, after=12),
            )
        ]
    out = [_p(texts.RECIPIENTS, _ppr(before=18, indent=(25, 0, 0)))]
    for index, name in enumerate(names):
        last = index == len(names) - 1
        end = "" if name[-1] in ".;,:" else ("." if last else ";")
        out.append(_p(f"- {name}{end}", _ppr(indent=(45, 0, 0), after=12 if last else 0)))
    return out


def _closing(letter: CoverLetter) -> str:
    left_w, right_w = CLOSING_COLUMNS
    left = _p(texts.DISTRIBUTION, _ppr(), _rpr(bold=True, italic=True, size=DISTRIBUTION_HEAD_PT))
    left += "".join(_p(line, _ppr(), _rpr(size=DISTRIBUTION_PT)) for line in letter.distribution)
    centred, bold = _ppr(align="center"), _rpr(bold=True)
    right = "".join(_p(line, centred, bold) for line in letter.signature_title)
    right += _p(letter.signer, _ppr(align="center", before=84), bold)
    return _tbl(
        CLOSING_COLUMNS, [_tr(_tc(left_w, left) + _tc(right_w, right), keep=True)], borders=False
    )


def cover_letter_docx(letter: CoverLetter) -> bytes:
    """A Công văn on portrait A4 in the Decree 30/2020/NĐ-CP layout of seed 002: agency and
    motto, number and date, V/v, Kính gửi, the body, then Nơi nhận beside the signature.
    Pages after the first carry their number centred at the top, as the decree asks."""
    document = _new_document(landscape=False)
    section = document.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # an empty header on page 1
    _page_number(section.header, TEXT_PT)
    body_ppr = _ppr(align="both", before=6, indent=(0, 0, BODY_INDENT))
    fragments = [_letter_header(letter), *_recipients(letter.recipients)]
    fragments.extend(_p(line, body_ppr) for paragraph in letter.body for line in _lines(paragraph))
    fragments.append(_p("", _ppr(after=6)))
    fragments.append(_closing(letter))
    _properties(
        document,
        title=texts.SUBJECT + _clean(letter.subject),
        subject=letter.number,
        author=" ".join(letter.agency_lines),
        when=letter.built_at,
    )
    return _save(document, fragments, letter.built_at)
