"""Built reports kept as frozen content, and the office's cover-letter templates."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.agencies.models import Agency
from app.audit import Audited
from app.auth.models import User
from app.clock import now_utc
from app.db import Base, TimestampMixin, str_enum


class ReportKind(enum.StrEnum):
    APPENDIX = "appendix"  # the periodic progress report's Phụ lục (and its cover letter)
    OVERDUE = "overdue"  # the chairperson's list of overdue tasks as of a day


class ReportSnapshot(Base):
    """One built report: what it said at its cut-off, frozen as JSON and rendered on demand.

    Not journaled: the row is never edited except to mark it superseded, and the journal
    would copy the whole content. `current_key` is set only on the snapshot in force for its
    kind, period, cut-off and scope (unique: one at a time); a deliberate rebuild clears it
    on the old one and points `superseded_by` at the new one. Both stay in the archive.
    """

    __tablename__ = "report_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ReportKind] = mapped_column(str_enum(ReportKind))
    # "2023-Q1", "2024-03", "2024-H1", "2024"; for an overdue report the day, "2024-07-15".
    period_code: Mapped[str] = mapped_column(String(20), index=True)
    cutoff_start: Mapped[date | None]
    cutoff_end: Mapped[date]
    # The scope: some directives and/or one lead agency; neither means every task.
    directive_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    scope_key: Mapped[str] = mapped_column(String(255))  # "all", "d:3,5", "a:7", "d:3|a:7"
    scope_label: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str] = mapped_column(Text, default="")
    rows: Mapped[int] = mapped_column(default=0)  # tasks in the report

    built_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    built_by_label: Mapped[str] = mapped_column(String(120), default="")  # "flask reports"
    built_at: Mapped[datetime] = mapped_column(default=now_utc, index=True)
    content: Mapped[dict[str, Any]] = deferred(mapped_column(JSON, nullable=False))

    current_key: Mapped[str | None] = mapped_column(String(400), unique=True)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("report_snapshots.id"))
    superseded_at: Mapped[datetime | None]

    agency: Mapped[Agency | None] = relationship()
    built_by: Mapped[User | None] = relationship()
    superseded_by: Mapped[ReportSnapshot | None] = relationship(
        remote_side="ReportSnapshot.id", back_populates="replaces"
    )
    replaces: Mapped[list[ReportSnapshot]] = relationship(back_populates="superseded_by")

    # Set on the instance `build_report` has just made (not stored): tells "built" from "found".
    fresh = False

    @property
    def is_current(self) -> bool:
        return self.superseded_by_id is None

    @property
    def builder_name(self) -> str:
        return self.built_by.full_name if self.built_by else self.built_by_label


class ReportTemplate(Audited, TimestampMixin, Base):
    """The cover letter's subject, body and distribution for one kind of periodic report.

    Texts hold simple placeholders ("{period}", "{directive}"…) filled at build time; a type
    without a row uses the built-in default."""

    __tablename__ = "report_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_type: Mapped[str] = mapped_column(String(20), unique=True)  # month|quarter|half|year
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    distribution: Mapped[str] = mapped_column(Text, default="")  # one "Nơi nhận" line per line
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    updated_by: Mapped[User | None] = relationship()
