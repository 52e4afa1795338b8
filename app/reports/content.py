"""A snapshot's stored content turned into the documents the writers lay out (pure)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from app.reports.documents import (
    AgencyCounts,
    Appendix,
    AppendixSection,
    AppendixTask,
    CoverLetter,
    OverdueGroup,
    OverdueReport,
    OverdueTask,
    Progress,
)
from app.reports.texts import APPENDIX_HEADING


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def appendix_document(content: dict[str, Any], built_at: datetime | None) -> Appendix:
    sections = tuple(
        AppendixSection(
            number=section["number"],
            title=section["title"],
            tasks=tuple(
                AppendixTask(
                    stt=row["stt"],
                    name=row["name"],
                    deadline_text=row["deadline_text"],
                    progress=Progress(row["status"]),
                    explanation=row["explanation"],
                )
                for row in section["tasks"]
            ),
        )
        for section in content["sections"]
    )
    summary = tuple(
        AgencyCounts(
            agency=entry["agency"],
            done_on_time=entry["done_on_time"],
            done_late=entry["done_late"],
            in_progress=entry["in_progress"],
            overdue=entry["overdue"],
            no_deadline=entry["no_deadline"],
        )
        for entry in content["summary"]
    )
    return Appendix(
        title=content["title"],
        subtitle=content["subtitle"],
        sections=sections,
        summary=summary,
        heading=content.get("heading", APPENDIX_HEADING),
        period_label=content["period"]["label"],
        built_at=built_at,
    )


def cover_letter_document(content: dict[str, Any], built_at: datetime | None) -> CoverLetter:
    letter = content["cover_letter"]
    return CoverLetter(
        agency_lines=tuple(letter["agency_lines"]),
        number=letter["number"],
        place=letter["place"],
        dated=_day(letter["dated"]),
        subject=letter["subject"],
        recipients=tuple(letter["recipients"]),
        body=tuple(letter["body"]),
        distribution=tuple(letter["distribution"]),
        signature_title=tuple(letter["signature_title"]),
        signer=letter["signer"],
        built_at=built_at,
    )


def overdue_document(content: dict[str, Any], built_at: datetime | None) -> OverdueReport:
    groups = tuple(
        OverdueGroup(
            agency=group["agency"],
            tasks=tuple(
                OverdueTask(
                    title=task["title"],
                    deadline_text=task["deadline_text"],
                    due=date.fromisoformat(task["due"]),
                    days_overdue=task["days_overdue"],
                    supervisor=task["supervisor"],
                    last_explanation=task["last_explanation"],
                    outline=task["outline"],
                )
                for task in group["tasks"]
            ),
        )
        for group in content["groups"]
    )
    return OverdueReport(
        title=content["title"],
        as_of=date.fromisoformat(content["as_of"]),
        groups=groups,
        built_at=built_at,
    )
