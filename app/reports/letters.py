"""The cover letter's texts: the office's templates, their placeholders, and the filled letter.

Templates use plain placeholders in braces, not Jinja: office staff edit them, and a
template must never be able to run code or reach the application. Only the names below
are replaced; saving a template that names another one is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.errors import ValidationFailed
from app.periods import PeriodKind
from app.reports.models import ReportTemplate
from app.reports.texts import agency_lines
from app.text import clean_multiline

PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")
PLACEHOLDERS = {
    "province": _l("the province's name (Bình Định)"),
    "period": _l("the period as written in reports (Quý I năm 2023)"),
    "directive": _l(
        "the directives reported on, cited in full (Nghị quyết số 131/NQ-CP ngày 06 tháng 10 "
        "năm 2022 của Chính phủ)"
    ),
    "directive_short": _l("the directives reported on, by number (Nghị quyết số 131/NQ-CP)"),
    "agency": _l("the lead agency when the report is limited to one, else nothing"),
    "cutoff_start": _l("the first day of the data (15/12/2022)"),
    "cutoff_end": _l("the last day of the data (14/03/2023)"),
    "recipients": _l("the addressees (Văn phòng Chính phủ)"),
}
REPORT_TYPES = {
    PeriodKind.MONTH.value: _l("Monthly report"),
    PeriodKind.QUARTER.value: _l("Quarterly report"),
    PeriodKind.HALF.value: _l("Half-year report"),
    PeriodKind.YEAR.value: _l("Yearly report"),
}
MAX_SUBJECT = 1_000
MAX_BODY = 20_000
MAX_DISTRIBUTION = 2_000

DEFAULT_SUBJECT = "báo cáo tình hình, tiến độ thực hiện {directive_short} trong {period}"
DEFAULT_BODY = (
    "Ủy ban nhân dân tỉnh {province} báo cáo tình hình, tiến độ thực hiện các nhiệm vụ triển "
    "khai {directive} trong {period} (số liệu tính từ ngày {cutoff_start} đến ngày "
    "{cutoff_end}) tại Phụ lục kèm theo Công văn này.\n\n"
    "Ủy ban nhân dân tỉnh {province} trân trọng báo cáo {recipients} xem xét, tổng hợp theo "
    "quy định./."
)
# Seed 001's "Nơi nhận", as the office writes it.
DEFAULT_DISTRIBUTION = "\n".join(
    (
        "- Như trên;",
        "- CT, các PCT UBND tỉnh;",
        "- Các sở, ban, ngành thuộc tỉnh;",
        "- Các cơ quan TW đóng trên địa bàn tỉnh;",
        "- UBND các huyện, TX, TP;",
        "- LĐ, CV VP UBND tỉnh;",
        "- Tổ CCHC của VP UBND tỉnh;",
        "- Lưu: VT, KSTT.",
    )
)


@dataclass(frozen=True)
class LetterTemplate:
    """The three texts of a template, saved or built in."""

    report_type: str
    subject: str
    body: str
    distribution: str
    saved: ReportTemplate | None = None


def get_template(session: Session, report_type: str) -> LetterTemplate:
    """The office's template for `report_type`, or the built-in one if none was saved."""
    row = session.scalar(select(ReportTemplate).where(ReportTemplate.report_type == report_type))
    if row is None:
        return LetterTemplate(report_type, DEFAULT_SUBJECT, DEFAULT_BODY, DEFAULT_DISTRIBUTION)
    return LetterTemplate(report_type, row.subject, row.body, row.distribution, row)


def _unknown_placeholders(text: str) -> list[str]:
    return sorted({name for name in PLACEHOLDER.findall(text) if name not in PLACEHOLDERS})


def save_template(
    session: Session, *, report_type: str, subject: str, body: str, distribution: str, actor: User
) -> ReportTemplate:
    """Save the office's template for one report type, after checking its placeholders."""
    texts = {
        "subject": (" ".join((subject or "").split()), MAX_SUBJECT),
        "body": (clean_multiline(body) or "", MAX_BODY),
        "distribution": (clean_multiline(distribution) or "", MAX_DISTRIBUTION),
    }
    reasons: dict[str, list[str]] = {}
    if report_type not in REPORT_TYPES:
        reasons.setdefault("report_type", []).append(_("Unknown report type."))
    for field, (text, limit) in texts.items():
        if field != "distribution" and not text:
            reasons.setdefault(field, []).append(_("This field is required."))
        if len(text) > limit:
            reasons.setdefault(field, []).append(_("Too long (at most %(n)d characters).", n=limit))
        if unknown := _unknown_placeholders(text):
            reasons.setdefault(field, []).append(
                _(
                    "Unknown placeholder: %(names)s.",
                    names=", ".join("{" + name + "}" for name in unknown),
                )
            )
    if reasons:
        raise ValidationFailed(reasons)
    row = session.scalar(select(ReportTemplate).where(ReportTemplate.report_type == report_type))
    if row is None:
        row = ReportTemplate(report_type=report_type)
        session.add(row)
    row.subject, row.body, row.distribution = (texts[f][0] for f in texts)
    row.updated_by = actor
    session.flush()
    return row


def fill(text: str, values: dict[str, str]) -> str:
    """Replace the known placeholders; anything else in braces stays as written."""
    return PLACEHOLDER.sub(lambda m: values.get(m[1], m[0]), text)


def paragraphs(text: str) -> tuple[str, ...]:
    """A body's paragraphs: one per non-blank line."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def cover_letter_content(
    template: LetterTemplate, values: dict[str, str], settings: dict[str, Any]
) -> dict[str, Any]:
    """The letter's fields (CoverLetter's, as JSON), frozen with the snapshot."""
    province = settings["PROVINCE_NAME"]
    return {
        "agency_lines": agency_lines(province),
        "number": f"…/{settings['REPORT_NUMBER_SUFFIX']}",
        "place": province,
        "dated": None,  # written in on the signing day
        "subject": fill(template.subject, values),
        "recipients": list(settings["REPORT_RECIPIENTS"]),
        "body": list(paragraphs(fill(template.body, values))),
        "distribution": list(paragraphs(fill(template.distribution, values))),
        "signature_title": list(settings["REPORT_SIGNER_TITLE"]),
        "signer": settings["REPORT_SIGNER"],
    }
