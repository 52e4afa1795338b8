"""The cover letter (Công văn) as a Word document, in the layout of Decree 30/2020/NĐ-CP
(seed 002)."""

from __future__ import annotations

from collections.abc import Sequence

from app.reports import texts
from app.reports.documents import CoverLetter
from app.reports.docx import wordml as w
from app.reports.docx.package import TEXT_PT, new_document, properties, save

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
    return w.p("", w.ppr(rule=True, exact=2, indent=(side, side, 0)))


def _text_width(text: str, size: float) -> float:
    """About how many mm `text` takes in bold Times New Roman (about half an em a letter)."""
    return len(w.clean(text)) * size * 0.16


def _letter_header(letter: CoverLetter) -> str:
    left_w, right_w = LETTER_COLUMNS
    centred = w.ppr(align="center")
    agency = list(letter.agency_lines) or [""]
    left = "".join(w.p(line, centred, w.rpr(size=AGENCY_PT)) for line in agency[:-1])
    left += w.p(agency[-1], centred, w.rpr(bold=True, size=AGENCY_PT)) + _rule(left_w, AGENCY_RULE)
    motto, motto_line = letter.motto
    right = w.p(motto, centred, w.rpr(bold=True, size=MOTTO_PT))
    right += w.p(motto_line, centred, w.rpr(bold=True, size=MOTTO_LINE_PT))
    right += _rule(right_w, _text_width(motto_line, MOTTO_LINE_PT))
    number = w.p(
        texts.NUMBER.format(number=w.clean(letter.number).strip()),
        w.ppr(align="center", before=6),
        w.rpr(size=NUMBER_PT),
    )
    subject = "".join(
        w.p(
            (texts.SUBJECT if i == 0 else "") + line,
            w.ppr(align="center", before=6 if i == 0 else 0),
            w.rpr(size=SUBJECT_PT),
        )
        for i, line in enumerate(w.lines(letter.subject))
    )
    dated = w.p(
        texts.date_in_words(w.clean(letter.place), letter.dated),
        w.ppr(align="center", before=6),
        w.rpr(italic=True),
    )
    rows = [
        w.tr(w.tc(left_w, left) + w.tc(right_w, right), keep=True),
        w.tr(w.tc(left_w, number + subject) + w.tc(right_w, dated), keep=True),
    ]
    return w.tbl(LETTER_COLUMNS, rows, borders=False)


def _recipients(recipients: Sequence[str]) -> list[str]:
    names = [w.clean(r).strip() for r in recipients if w.clean(r).strip()]
    if len(names) <= 1:
        return [
            w.p(
                f"{texts.RECIPIENTS} {names[0] if names else ''}".rstrip(),
                w.ppr(align="center", before=18, after=12),
            )
        ]
    out = [w.p(texts.RECIPIENTS, w.ppr(before=18, indent=(25, 0, 0)))]
    for index, name in enumerate(names):
        last = index == len(names) - 1
        end = "" if name[-1] in ".;,:" else ("." if last else ";")
        out.append(w.p(f"- {name}{end}", w.ppr(indent=(45, 0, 0), after=12 if last else 0)))
    return out


def _closing(letter: CoverLetter) -> str:
    left_w, right_w = CLOSING_COLUMNS
    left = w.p(
        texts.DISTRIBUTION, w.ppr(), w.rpr(bold=True, italic=True, size=DISTRIBUTION_HEAD_PT)
    )
    left += "".join(w.p(line, w.ppr(), w.rpr(size=DISTRIBUTION_PT)) for line in letter.distribution)
    centred, bold = w.ppr(align="center"), w.rpr(bold=True)
    right = "".join(w.p(line, centred, bold) for line in letter.signature_title)
    right += w.p(letter.signer, w.ppr(align="center", before=84), bold)
    return w.tbl(
        CLOSING_COLUMNS, [w.tr(w.tc(left_w, left) + w.tc(right_w, right), keep=True)], borders=False
    )


def cover_letter_docx(letter: CoverLetter) -> bytes:
    """A Công văn on portrait A4 in the Decree 30/2020/NĐ-CP layout of seed 002: agency and
    motto, number and date, V/v, Kính gửi, the body, then Nơi nhận beside the signature.
    Pages after the first carry their number centred at the top, as the decree asks."""
    document = new_document(landscape=False)
    section = document.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # an empty header on page 1
    w.page_number(section.header, TEXT_PT)
    body_ppr = w.ppr(align="both", before=6, indent=(0, 0, BODY_INDENT))
    fragments = [_letter_header(letter), *_recipients(letter.recipients)]
    fragments.extend(
        w.p(line, body_ppr) for paragraph in letter.body for line in w.lines(paragraph)
    )
    fragments.append(w.p("", w.ppr(after=6)))
    fragments.append(_closing(letter))
    properties(
        document,
        title=texts.SUBJECT + w.clean(letter.subject),
        subject=letter.number,
        author=" ".join(letter.agency_lines),
        when=letter.built_at,
    )
    return save(document, fragments, letter.built_at)
