"""Build a report once, keep it, render it on demand.

`build_report` freezes what a period's report says into a `ReportSnapshot`; asked again for
the same kind, period, cut-off and scope it returns the snapshot already built, whatever was
edited since, unless `rebuild=True` says to replace it on purpose (both stay in the archive).
`render` lays a snapshot's stored content out as PDF, DOCX or XLSX: the same snapshot always
gives the same bytes, so the archive needs no file storage.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload, undefer

from app.auth.models import User
from app.clock import now_utc
from app.errors import Conflict, NotFound, ValidationFailed
from app.pagination import Page
from app.periods import Period, PeriodError, parse_period
from app.reports.content import appendix_document, cover_letter_document, overdue_document
from app.reports.docx import appendix_docx, cover_letter_docx
from app.reports.gather import Progress, gather_appendix, gather_overdue
from app.reports.letters import cover_letter_content, get_template
from app.reports.models import ReportKind, ReportSnapshot
from app.reports.pdf import appendix_pdf, cover_letter_pdf, overdue_pdf
from app.reports.scope import ResolvedScope, Scope, resolve_scope
from app.reports.texts import APPENDIX_HEADING, APPENDIX_SUBTITLE, APPENDIX_TITLE, OVERDUE_TITLE
from app.reports.xlsx import appendix_xlsx, overdue_xlsx
from app.text import fold

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# format → (writer, document builder, file name prefix, mimetype)
WRITERS: dict[ReportKind, dict[str, tuple[Callable[..., bytes], Callable[..., Any], str, str]]] = {
    ReportKind.APPENDIX: {
        "pdf": (appendix_pdf, appendix_document, "phu-luc", PDF),
        "docx": (appendix_docx, appendix_document, "phu-luc", DOCX),
        "xlsx": (appendix_xlsx, appendix_document, "phu-luc", XLSX),
        "letter.pdf": (cover_letter_pdf, cover_letter_document, "cong-van", PDF),
        "letter.docx": (cover_letter_docx, cover_letter_document, "cong-van", DOCX),
    },
    ReportKind.OVERDUE: {
        "pdf": (overdue_pdf, overdue_document, "qua-han", PDF),
        "xlsx": (overdue_xlsx, overdue_document, "qua-han", XLSX),
    },
}
SETTINGS = (
    "PROVINCE_NAME",
    "REPORT_PERIODS",
    "REPORT_RECIPIENTS",
    "REPORT_SIGNER",
    "REPORT_SIGNER_TITLE",
    "REPORT_NUMBER_SUFFIX",
)
ARCHIVE_PER_PAGE = 50


def formats(kind: ReportKind) -> tuple[str, ...]:
    """The formats a snapshot of `kind` can be downloaded in."""
    return tuple(WRITERS[kind])


def _settings(settings: Mapping[str, Any] | None) -> dict[str, Any]:
    source = settings if settings is not None else current_app.config
    return {name: source[name] for name in SETTINGS}


def _as_period(value: Period | str) -> Period:
    if isinstance(value, Period):
        return value
    try:
        return parse_period(value)
    except PeriodError:
        raise ValidationFailed(
            {
                "period": [
                    _(
                        "Write a year (2024), a quarter (2024-Q1), a half (2024-H1) "
                        "or a month (2024-07)."
                    )
                ]
            }
        ) from None


def _as_day(value: date | str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValidationFailed(
            {"on": [_("Write the dates as year-month-day, for example 2024-07-31.")]}
        ) from None


def current_snapshot(session: Session, key: str) -> ReportSnapshot | None:
    return session.scalar(select(ReportSnapshot).where(ReportSnapshot.current_key == key))


def _title(kind: ReportKind, scope: ResolvedScope, province: str) -> str:
    text = OVERDUE_TITLE if kind == ReportKind.OVERDUE else APPENDIX_TITLE
    if scope.directives:
        text += f" triển khai {scope.short()}"
    if scope.agency is not None:
        text += f" do {scope.agency.name} chủ trì"
    else:
        text += f" trên địa bàn tỉnh {province}"
    return text.upper()


def _subtitle(settings: dict[str, Any], today: date) -> str:
    return APPENDIX_SUBTITLE.format(
        suffix=settings["REPORT_NUMBER_SUFFIX"], month=today.month, year=today.year
    )


def _letter_values(
    period: Period, content: dict[str, Any], scope: ResolvedScope, settings: dict[str, Any]
) -> dict[str, str]:
    def dmy(iso: str) -> str:
        return date.fromisoformat(iso).strftime("%d/%m/%Y")

    return {
        "province": settings["PROVINCE_NAME"],
        "period": period.label,
        "directive": scope.citation(),
        "directive_short": scope.short(),
        "agency": scope.agency.name if scope.agency else "",
        "cutoff_start": dmy(content["period"]["cutoff_start"]),
        "cutoff_end": dmy(content["period"]["cutoff_end"]),
        "recipients": ", ".join(settings["REPORT_RECIPIENTS"]),
    }


def _scope_content(scope: ResolvedScope) -> dict[str, Any]:
    return {
        "key": scope.scope.key,
        "label": scope.label(),
        "directive_ids": list(scope.directive_ids),
        "directives": [d.label for d in scope.directives],
        "agency_id": scope.agency.id if scope.agency else None,
        "agency": scope.agency.name if scope.agency else None,
    }


def build_report(
    session: Session,
    *,
    period: Period | str | date,
    scope: Scope,
    actor: User | None,
    rebuild: bool = False,
    today: date,
    kind: ReportKind = ReportKind.APPENDIX,
    actor_label: str = "",
    progress: Progress | None = None,
    settings: Mapping[str, Any] | None = None,
) -> ReportSnapshot:
    """The report of `period` over `scope`: the snapshot in force, or a new one.

    `period` is "2023-Q1" (or a Period) for the appendix; the day the list is drawn up on
    (a date or "2024-07-15") for the overdue report. A new snapshot is built when none is in
    force, or when `rebuild` replaces it on purpose. The caller commits."""
    config = _settings(settings)
    resolved = resolve_scope(session, scope)
    if kind == ReportKind.OVERDUE:
        on = _as_day(period) if isinstance(period, date | str) else period.end
        if on > today:
            raise ValidationFailed(
                {"on": [_("%(day)s is in the future.", day=on.strftime("%d/%m/%Y"))]}
            )
        code, cutoff = on.isoformat(), (None, on)
    else:
        if isinstance(period, date):
            raise ValidationFailed({"period": [_("Choose a period.")]})
        chosen = _as_period(period)
        start, end = chosen.cutoff(config["REPORT_PERIODS"])
        if start > today:
            raise ValidationFailed(
                {"period": [_("The period %(period)s has not started yet.", period=chosen.code)]}
            )
        code, cutoff = chosen.code, (start, end)
    key = "|".join(
        [kind.value, code, str(cutoff[0] or ""), cutoff[1].isoformat(), resolved.scope.key]
    )
    existing = current_snapshot(session, key)
    if existing is not None and not rebuild:
        existing.fresh = False
        return existing
    if kind == ReportKind.OVERDUE:
        content = gather_overdue(
            session, on=cutoff[1], scope=resolved, actor=actor, progress=progress
        )
    else:
        content = gather_appendix(
            session,
            period=chosen,
            mode=config["REPORT_PERIODS"],
            scope=resolved,
            today=today,
            progress=progress,
        )
        content["subtitle"] = _subtitle(config, today)
        content["heading"] = APPENDIX_HEADING
        template = get_template(session, chosen.kind.value)
        values = _letter_values(chosen, content, resolved, config)
        content["cover_letter"] = cover_letter_content(template, values, config)
    content["title"] = _title(kind, resolved, config["PROVINCE_NAME"])
    content["scope"] = _scope_content(resolved)
    snapshot = ReportSnapshot(
        kind=kind,
        period_code=code,
        cutoff_start=cutoff[0],
        cutoff_end=cutoff[1],
        directive_ids=list(resolved.directive_ids),
        agency_id=resolved.agency.id if resolved.agency else None,
        scope_key=resolved.scope.key,
        scope_label=content["scope"]["label"],
        title=content["title"],
        rows=content["rows"],
        built_by_id=actor.id if actor is not None else None,
        built_by_label=actor.full_name if actor is not None else actor_label,
        built_at=now_utc(),
        content=content,
        current_key=key,
    )
    snapshot.fresh = True
    try:
        if existing is not None:
            existing.current_key = None
            session.flush()
        session.add(snapshot)
        session.flush()
    except IntegrityError:
        raise Conflict(_("This report is being built by someone else; try again.")) from None
    if existing is not None:
        existing.superseded_by_id = snapshot.id
        existing.superseded_at = snapshot.built_at
        session.flush()
    return snapshot


def get_snapshot(session: Session, snapshot_id: int) -> ReportSnapshot:
    """The snapshot with this id, its content loaded, or NotFound."""
    snapshot = session.scalar(
        select(ReportSnapshot)
        .where(ReportSnapshot.id == snapshot_id)
        .options(undefer(ReportSnapshot.content))
    )
    if snapshot is None:
        raise NotFound()
    return snapshot


def archive(
    session: Session,
    *,
    page: int = 1,
    per_page: int = ARCHIVE_PER_PAGE,
    last_past_end: bool = False,
) -> Page:
    """One page of every snapshot ever built, newest first (without their content)."""
    statement = (
        select(ReportSnapshot)
        .options(selectinload(ReportSnapshot.built_by), selectinload(ReportSnapshot.agency))
        .order_by(ReportSnapshot.built_at.desc(), ReportSnapshot.id.desc())
    )
    return Page(
        page=page,
        per_page=per_page,
        last_past_end=last_past_end,
        session=session,
        select=statement,
    )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:80]


def filename(snapshot: ReportSnapshot, fmt: str) -> str:
    """An ASCII file name: "phu-luc-2023-Q1-131-nq-cp.pdf", "cong-van-2023-Q1-….docx"."""
    prefix = WRITERS[snapshot.kind][fmt][2]
    scope = _slug(snapshot.scope_label) if snapshot.scope_key != "all" else "tat-ca"
    extension = fmt.rsplit(".", 1)[-1]
    return f"{prefix}-{snapshot.period_code}-{scope}-{snapshot.id}.{extension}"


def render(snapshot: ReportSnapshot, fmt: str) -> tuple[str, str, bytes]:
    """(file name, mimetype, bytes) of the snapshot in `fmt`, laid out from its content."""
    writers = WRITERS[ReportKind(snapshot.kind)]
    if fmt not in writers:
        raise NotFound()
    writer, document, _prefix, mimetype = writers[fmt]
    body = writer(document(snapshot.content, snapshot.built_at))
    return filename(snapshot, fmt), mimetype, body
