"""Tasks (nhiệm vụ), their progress reports, and the office's calendar adjustments."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.agencies.models import Agency
from app.audit import Audited
from app.auth.models import User
from app.clock import now_utc
from app.db import (
    Base,
    SearchKeyMixin,
    SoftDeleteMixin,
    TimestampMixin,
    VersionMixin,
    str_enum,
)
from app.directives.models import Directive, Section
from app.labels import LabelledEnum
from app.tasks.deadlines import DeadlineKind


class Status(LabelledEnum):
    IN_PROGRESS = "in_progress", _l("In progress")  # Đang tiếp tục thực hiện
    PARTIAL = "partial", _l("Partly done")  # Một phần
    COMPLETED = "completed", _l("Completed")  # Hoàn thành


# The rows of ix_tasks_open_dated: live, open, with a date or period deadline.
OPEN_DATED = "deleted_at IS NULL AND status <> 'completed' AND deadline_kind IN ('date', 'period')"

# What the standing counts read, in the order they group by (ix_tasks_standing and
# ix_tasks_live_standing).
STANDING_COLUMNS = (
    "lead_agency_id",
    "deadline_kind",
    "status",
    "deadline_due",
    "extended_due",
    "completed_on",
    "directive_id",
)

task_coordinators = Table(
    "task_coordinators",
    Base.metadata,
    Column("task_id", ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True),
    Column("agency_id", ForeignKey("agencies.id"), primary_key=True, index=True),
)


class Task(Audited, VersionMixin, SoftDeleteMixin, SearchKeyMixin, TimestampMixin, Base):
    """One task handed out by a directive, with its owners, deadline and status."""

    __tablename__ = "tasks"
    __search_fields__ = ("title", "outline", "code", "lead_text", "deadline_text", "product")
    __audit_collections__ = ("coordinators",)
    __table_args__ = (
        # Every column the standing rules read, after the two every count filters on, and
        # the directive: the dashboard's counts, the overdue list's groups and an agency's
        # directives come from the index alone. SQLite (without statistics) only picks an
        # index that starts with the `deleted_at IS NULL` every query has; PostgreSQL does not
        # take `IS NULL` as fixing that first column, so from it could not read the tasks in
        # lead agency order and hashed every group: it gets the live tasks only, in that
        # order, and groups them as they come. Each is kept empty on the other database.
        Index(
            "ix_tasks_standing",
            "deleted_at",
            *STANDING_COLUMNS,
            postgresql_where=text("false"),
        ),
        Index(
            "ix_tasks_live_standing",
            *STANDING_COLUMNS,
            postgresql_where=text("deleted_at IS NULL"),
            sqlite_where=text("0"),
        ),
        # The task list's order (rowid, the id, follows position in SQLite's index): a page
        # is read in order and the reading stops at its last row, where SQLite sorted every
        # live task. PostgreSQL reads the directive index and sorts the directive's tasks.
        Index(
            "ix_tasks_list",
            "deleted_at",
            "directive_id",
            "position",
            postgresql_where=text("false"),
        ),
        # Search finds words anywhere in search_key, which no B-tree can look up. PostgreSQL
        # answers from a trigram index (pg_trgm). SQLite has none, so it reads this narrow
        # copy of what a search needs instead of the whole table. Each index is kept empty
        # on the other database (WHERE false): PostgreSQL could not even hold long titles
        # in a B-tree.
        Index(
            "ix_tasks_search_trgm",
            "search_key",
            postgresql_using="gin",
            postgresql_ops={"search_key": "gin_trgm_ops"},
            sqlite_where=text("0"),
        ),
        Index(
            "ix_tasks_search_scan",
            "deleted_at",
            "search_key",
            "directive_id",
            "position",
            postgresql_where=text("false"),
        ),
        # The open tasks with a date or period deadline, the only ones that can be overdue
        # (a fifth of the tasks): the overdue list counts its groups and reads its rows from
        # here. Its WHERE must be the one `overdue_condition()` writes out, constants inline,
        # or neither database can tell that a query's rows are all in it. Covering what those
        # queries read, so SQLite (without statistics) prefers it to ix_tasks_standing.
        Index(
            "ix_tasks_open_dated",
            "deleted_at",
            "lead_agency_id",
            "extended_due",
            "deadline_due",
            "status",
            "deadline_kind",
            "directive_id",
            postgresql_where=text(OPEN_DATED),
            sqlite_where=text(OPEN_DATED),
        ),
        # The dashboard's counts are kept until the tasks change; whether they did is read
        # from the count and sum of the versions, which this narrow index holds
        # (`tasks_fingerprint`).
        Index("ix_tasks_version", "version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    directive_id: Mapped[int] = mapped_column(ForeignKey("directives.id"), index=True)
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)  # order within the directive
    outline: Mapped[str | None] = mapped_column(String(40))  # STT as printed: "1.1.2.8"
    code: Mapped[str | None] = mapped_column(String(40))  # mã số
    title: Mapped[str] = mapped_column(Text)

    lead_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    lead_text: Mapped[str | None] = mapped_column(Text)  # owner as written, when it says more
    coordinators_text: Mapped[str | None] = mapped_column(Text)
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    # The date the task was handed out: the reference for reading its deadline phrase.
    assigned_on: Mapped[date | None]
    start_text: Mapped[str | None] = mapped_column(String(255))  # TG bắt đầu
    deadline_text: Mapped[str | None] = mapped_column(Text)  # thời hạn, exactly as written
    deadline_kind: Mapped[DeadlineKind] = mapped_column(
        str_enum(DeadlineKind), default=DeadlineKind.UNSPECIFIED
    )
    deadline_start: Mapped[date | None]
    deadline_due: Mapped[date | None] = mapped_column(index=True)
    deadline_dues: Mapped[list[str]] = mapped_column(default=list)

    # An approved extension (gia hạn) moves the due date; the original phrase and date stay.
    extended_due: Mapped[date | None] = mapped_column(index=True)

    product: Mapped[str | None] = mapped_column(Text)  # sản phẩm
    status: Mapped[Status] = mapped_column(str_enum(Status), default=Status.IN_PROGRESS)
    completed_on: Mapped[date | None]

    directive: Mapped[Directive] = relationship(back_populates="tasks")
    section: Mapped[Section | None] = relationship()
    parent: Mapped[Task | None] = relationship(remote_side="Task.id", back_populates="children")
    children: Mapped[list[Task]] = relationship(back_populates="parent", order_by="Task.position")
    lead_agency: Mapped[Agency | None] = relationship(foreign_keys=[lead_agency_id])
    coordinators: Mapped[list[Agency]] = relationship(
        secondary=task_coordinators, order_by="Agency.name"
    )
    supervisor: Mapped[User | None] = relationship(foreign_keys=[supervisor_id])
    updates: Mapped[list[ProgressUpdate]] = relationship(
        back_populates="task",
        order_by="ProgressUpdate.reported_on.desc(), ProgressUpdate.id.desc()",
    )

    extensions: Mapped[list[DeadlineExtension]] = relationship(
        back_populates="task", order_by="DeadlineExtension.requested_at.desc()"
    )

    @property
    def effective_due(self) -> date | None:
        """The due date in force: the extended one when an extension was approved."""
        return self.extended_due or self.deadline_due

    @property
    def owner_label(self) -> str:
        if self.lead_text:
            return self.lead_text
        return self.lead_agency.name if self.lead_agency else ""

    def __str__(self) -> str:
        prefix = f"{self.outline}. " if self.outline else ""
        return f"{prefix}{self.title[:80]}"


class UpdateKind(LabelledEnum):
    REPORT = "report", _l("Progress report")  # the lead agency's progress report
    # A coordinating agency's input (ý kiến phối hợp).
    CONTRIBUTION = "contribution", _l("Coordinating contribution")


class ReviewState(LabelledEnum):
    SUBMITTED = "submitted", _l("Waiting for review")  # waiting for the office
    ACCEPTED = "accepted", _l("Accepted")
    RETURNED = "returned", _l("Returned")  # sent back with a reason; the agency must resubmit


class ProgressUpdate(Audited, TimestampMixin, Base):
    """A progress report on a task: status and the explanation (nội dung giải trình)."""

    __tablename__ = "progress_updates"
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reported_on: Mapped[date]
    period: Mapped[str | None] = mapped_column(String(20))  # "2023-Q1", when reported for one
    status: Mapped[Status] = mapped_column(str_enum(Status))
    explanation: Mapped[str] = mapped_column(Text, default="")
    completed_on: Mapped[date | None]
    kind: Mapped[UpdateKind] = mapped_column(str_enum(UpdateKind), default=UpdateKind.REPORT)
    review_state: Mapped[ReviewState] = mapped_column(
        str_enum(ReviewState), default=ReviewState.ACCEPTED
    )
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]
    review_note: Mapped[str | None] = mapped_column(Text)  # the reason a report was returned

    task: Mapped[Task] = relationship(back_populates="updates")
    agency: Mapped[Agency | None] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])


class CalendarDayKind(LabelledEnum):
    OFF = "off", _l("Extra day off")  # an extra day off decided for the year (nghỉ bù, hoán đổi)
    WORK = "work", _l("Make-up working day")  # a make-up working day (làm bù), usually a Saturday


class CalendarDay(Audited, Base):
    """An adjustment to the public-holiday calendar, edited by the administrator."""

    __tablename__ = "calendar_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    kind: Mapped[CalendarDayKind] = mapped_column(str_enum(CalendarDayKind, length=10))
    note: Mapped[str] = mapped_column(String(255), default="")


class ExtensionState(LabelledEnum):
    PENDING = "pending", _l("Pending")
    APPROVED = "approved", _l("Approved")
    REFUSED = "refused", _l("Refused")


class DeadlineExtension(Audited, TimestampMixin, Base):
    """A department's request to move a task's due date, decided by a leader."""

    __tablename__ = "deadline_extensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(default=now_utc)
    reason: Mapped[str] = mapped_column(Text)
    previous_due: Mapped[date | None]  # the due date in force when the request was made
    requested_due: Mapped[date]
    state: Mapped[ExtensionState] = mapped_column(
        str_enum(ExtensionState), default=ExtensionState.PENDING
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str | None] = mapped_column(Text)

    task: Mapped[Task] = relationship(back_populates="extensions")
    agency: Mapped[Agency | None] = relationship()
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
