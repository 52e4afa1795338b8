"""What a report says, independent of how it is printed.

The service fills these from a frozen snapshot; the PDF, DOCX and XLSX writers only lay them
out. Every string is NFC text as people wrote it: writers escape what their format needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from app.reports.texts import APPENDIX_HEADING, MOTTO


class Progress(StrEnum):
    """The "Tiến độ thực hiện (X)" columns of the appendix."""

    COMPLETED = "completed"  # X under "Hoàn thành"
    PARTIAL = "partial"  # "Một phần" under "Hoàn thành"
    IN_PROGRESS = "in_progress"  # X under "Đang tiếp tục thực hiện"


@dataclass(frozen=True)
class AppendixTask:
    """One row: STT, task name, deadline as written, progress, explanation."""

    stt: str
    name: str
    deadline_text: str
    progress: Progress
    explanation: str = ""


@dataclass(frozen=True)
class AppendixSection:
    """A Roman-numeral group ("I", "Về cải cách thủ tục hành chính…") and its rows."""

    number: str
    title: str
    tasks: tuple[AppendixTask, ...]


@dataclass(frozen=True)
class AgencyCounts:
    """The four-way standing of one lead agency's tasks (plus those without a deadline)."""

    agency: str
    done_on_time: int = 0
    done_late: int = 0
    in_progress: int = 0
    overdue: int = 0
    no_deadline: int = 0

    @property
    def total(self) -> int:
        return (
            self.done_on_time + self.done_late + self.in_progress + self.overdue + self.no_deadline
        )


@dataclass(frozen=True)
class Appendix:
    """The progress-report appendix (Phụ lục) of seed 001.

    `title` is the bold heading ("TÌNH HÌNH, TIẾN ĐỘ THỰC HIỆN CÁC NHIỆM VỤ …"), `subtitle` the
    italic line under it ("(Kèm theo Công văn số …/UBND-… ngày … của Chủ tịch UBND tỉnh)").
    `summary` feeds the summary page (counts per agency and, in the PDF, a bar chart).
    `built_at` is recorded as the document's creation date, so the same snapshot always gives
    the same bytes.
    """

    title: str
    subtitle: str
    sections: tuple[AppendixSection, ...]
    summary: tuple[AgencyCounts, ...] = ()
    heading: str = APPENDIX_HEADING
    period_label: str = ""
    built_at: datetime | None = None


@dataclass(frozen=True)
class CoverLetter:
    """A Công văn in the layout of Decree 30/2020/NĐ-CP (seed 002)."""

    agency_lines: tuple[str, ...]  # ("ỦY BAN NHÂN DÂN", "TỈNH BÌNH ĐỊNH")
    number: str  # "…/UBND-KSTT" (the number is written in when the letter is signed)
    place: str  # "Bình Định"
    dated: date | None  # None: "ngày … tháng … năm …" left for the signing day
    subject: str  # after "V/v"
    recipients: tuple[str, ...]  # after "Kính gửi:"
    body: tuple[str, ...]  # paragraphs
    distribution: tuple[str, ...]  # "Nơi nhận:" lines, "- Như trên;" …
    signature_title: tuple[str, ...]  # ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    signer: str
    motto: tuple[str, str] = MOTTO
    built_at: datetime | None = None


@dataclass(frozen=True)
class OverdueTask:
    title: str
    deadline_text: str
    due: date
    days_overdue: int
    supervisor: str = ""
    last_explanation: str = ""
    outline: str = ""


@dataclass(frozen=True)
class OverdueGroup:
    agency: str
    tasks: tuple[OverdueTask, ...]


@dataclass(frozen=True)
class OverdueReport:
    """The chairperson's overdue report: overdue tasks as of a date, grouped by agency."""

    title: str
    as_of: date
    groups: tuple[OverdueGroup, ...] = field(default=())
    built_at: datetime | None = None
