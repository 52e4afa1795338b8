"""The cover letter (Công văn) as a PDF, laid out as Decree 30/2020/NĐ-CP (seed 002)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from reportlab.lib.units import cm, mm

from app.reports import texts
from app.reports.documents import CoverLetter
from app.reports.layout import Doc, Face, clean
from app.reports.pdf.geometry import PORTRAIT

AGENCY_BLOCK: Final = 68 * mm  # the left column (agency, number, subject, "Nơi nhận")
BODY_SIZE: Final = 14.0
BODY_LEADING: Final = 17.0
INDENT: Final = 1.27 * cm  # first line of each body paragraph
SIGNATURE_ROOM: Final = 90.0  # between the signer's title and name: signature and seal

Column = tuple[float, float]  # x and width of a column of the letter


def cover_letter_pdf(letter: CoverLetter) -> bytes:
    """A Công văn laid out as Decree 30/2020/NĐ-CP (seed 002), portrait A4."""
    doc = Doc(PORTRAIT, letter.subject, letter.built_at, number_size=13)
    left = (doc.left, AGENCY_BLOCK)
    right = (doc.left + AGENCY_BLOCK, doc.right - doc.left - AGENCY_BLOCK)
    y = _letter_head(doc, letter, left, right)
    y = _recipients(doc, letter.recipients, y)
    width = doc.right - doc.left
    for paragraph in letter.body:
        for line in doc.regular.wrap(paragraph, BODY_SIZE, width, indent=INDENT):
            if y - 4 < doc.bottom:
                doc.new_page()
                y = doc.top - BODY_SIZE
            y = doc.lines(
                doc.regular, BODY_SIZE, [line], doc.left, width, y, BODY_LEADING, "justify",
                INDENT,
            )  # fmt: skip
        y -= 6  # Decree 30: at least 6 pt between paragraphs
    _closing(doc, letter, y - 8, left, right)
    return doc.finish()


def _letter_head(doc: Doc, letter: CoverLetter, left: Column, right: Column) -> float:
    """Agency and motto side by side with their rules, then number and date on one line, then
    the subject under the number; returns the baseline for "Kính gửi"."""
    top = doc.top - 13
    y_left = top
    for index, line in enumerate(letter.agency_lines):
        issuing = index == len(letter.agency_lines) - 1  # the issuing agency, in bold
        y_left = _block(doc, doc.bold if issuing else doc.regular, 13, line, left, y_left, 15)
    if letter.agency_lines:
        name = doc.bold.width(" ".join(clean(letter.agency_lines[-1]))) * 13
        _rule(doc, left, y_left + 8, max(name / 3, 30.0))  # a third of the name's width
    y_right = _block(doc, doc.bold, 12, letter.motto[0], right, top, 15)
    y_right = _block(doc, doc.bold, 13, letter.motto[1], right, y_right, 15)
    _rule(doc, right, y_right + 8, doc.bold.width(" ".join(clean(letter.motto[1]))) * 13)
    baseline = min(y_left, y_right) - 10
    y = _block(doc, doc.regular, 13, texts.NUMBER.format(number=letter.number), left, baseline, 15)
    dated = texts.date_in_words(letter.place, letter.dated)
    _block(doc, doc.italic, 14, dated, right, baseline, 16)
    y = _block(doc, doc.regular, 12, texts.SUBJECT + letter.subject, left, y, 14)
    return y - 14


def _block(
    doc: Doc, face: Face, size: float, text: str, column: Column, y: float, leading: float
) -> float:
    """Centered, wrapped text in a column; returns the next baseline."""
    x, width = column
    return doc.lines(face, size, face.wrap(text, size, width), x, width, y, leading, "center")


def _rule(doc: Doc, column: Column, y: float, length: float) -> None:
    middle = column[0] + column[1] / 2
    doc.rules([(middle - length / 2, y, middle + length / 2, y)])


def _recipients(doc: Doc, recipients: Sequence[str], y: float) -> float:
    """ "Kính gửi:" with one recipient on its line, centred; several as a dash list under the
    first; returns the baseline for the body."""
    face, size, leading = doc.regular, BODY_SIZE, BODY_LEADING
    label = texts.RECIPIENTS
    width = doc.right - doc.left
    label_w = (face.width(label) + face.space) * size
    names = [" ".join(clean(r)) for r in recipients if clean(r)]
    if len(names) == 1 and face.width(f"{label} {names[0]}") * size <= width - 72:
        return _block(doc, face, size, f"{label} {names[0]}", (doc.left, width), y, leading) - 6
    if len(names) <= 1:
        items = names
    else:  # Decree 30: "- A;" … "- Z."
        ends = [";"] * (len(names) - 1) + ["."]
        items = [f"- {n}{'' if n[-1] in ';.,:' else e}" for n, e in zip(names, ends, strict=True)]
    widest = max([face.width(item) * size for item in items] + [0.0])
    x = max(doc.left + 36, doc.left + (width - label_w - widest) / 2)
    doc.text(face, size, x, y, [label])
    room = doc.right - x - label_w
    for item in items:
        lines = face.wrap(item, size, room)
        y = doc.lines(face, size, lines, x + label_w, room, y, leading, "left")
    return y - 6 if items else y - leading - 6


def _closing(doc: Doc, letter: CoverLetter, y: float, left: Column, right: Column) -> None:
    """The "Nơi nhận" list bottom left (bold italic heading, 11 pt lines) and the signature
    block bottom right, side by side; both move to a new page when the block does not fit."""
    where = [doc.regular.wrap(line, 11, left[1] - 6) for line in letter.distribution]
    titles = [doc.bold.wrap(line, 14, right[1]) for line in letter.signature_title]
    signature_h = sum(map(len, titles)) * 17 + SIGNATURE_ROOM + 17
    where_h = 15 + sum(map(len, where)) * 13
    if y - max(signature_h, min(where_h, 200)) < doc.bottom:
        doc.new_page()
        y = doc.top - 14
    below = y
    for lines in titles:
        below = doc.lines(doc.bold, 14, lines, right[0], right[1], below, 17, "center")
    _block(doc, doc.bold, 14, letter.signer, right, below - SIGNATURE_ROOM, 17)
    doc.text(doc.bold_italic, 12, doc.left, y, texts.DISTRIBUTION.split(" "))
    y -= 15
    for line in (line for lines in where for line in lines):
        if y - 3 < doc.bottom:  # a very long list continues on the next page
            doc.new_page()
            y = doc.top - 14
        y = doc.lines(doc.regular, 11, [line], doc.left, left[1] - 6, y, 13, "left")
