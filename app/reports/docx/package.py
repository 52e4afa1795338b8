"""The Word package around the body: python-docx's template with Times New Roman, Vietnamese
proofing, the page and its margins, core properties, and bytes that do not depend on the day
they were written."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from io import BytesIO

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm
from lxml import etree

from app.reports.docx import wordml as w

FONT = "Times New Roman"
MARGINS = {"top": 20, "bottom": 20, "left": 30, "right": 15}  # mm, Decree 30/2020/NĐ-CP
TEXT_PT = 14
_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry


def utc_naive(moment: datetime | None) -> datetime | None:
    """A naive UTC datetime, as core properties are written (naive input is taken as UTC)."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


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


def new_document(*, landscape: bool) -> DocxDocument:
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


def properties(
    document: DocxDocument, *, title: str, subject: str, author: str, when: datetime | None
) -> None:
    props = document.core_properties
    props.title = w.clean(title)[:255]
    props.subject = w.clean(subject)[:255]
    props.author = w.clean(author)[:255]
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


def save(document: DocxDocument, body: Iterable[str], when: datetime | None) -> bytes:
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
