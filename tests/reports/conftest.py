"""Fixtures for reports: the clock at the seeded report's day, the seeded appendix as expected,
a small world for the cut-off rules, and readers that take the written files apart again."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from freezegun import freeze_time
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.agencies.models import Agency, AgencyKind
from app.auth.models import Role, User
from app.clock import now_utc
from app.directives.models import Directive, DirectiveKind, Section
from app.tasks.deadlines import DeadlineKind as Kind
from app.tasks.models import ProgressUpdate, ReviewState, Status, Task, UpdateKind
from app.text import clean_multiline
from tests.freeze import REPORT_MOMENT

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture
def frozen() -> Iterator[None]:
    with freeze_time(REPORT_MOMENT):
        yield


@pytest.fixture
def office(make_user) -> User:
    return make_user(Role.OFFICE, "rep-office")


@pytest.fixture
def nq131(db: Session) -> Directive:
    return db.scalars(select(Directive).where(Directive.number == "131/NQ-CP")).one()


@dataclass(frozen=True)
class Expected:
    number: str
    title: str
    tasks: list[dict[str, str]]


@pytest.fixture(scope="session")
def seeded_appendix() -> list[Expected]:
    """Seed 001's appendix as transcribed in seeds/appendix_131.yaml (cleaned as the loader
    cleans it)."""
    data = yaml.safe_load((SEEDS / "appendix_131.yaml").read_text(encoding="utf-8"))
    return [
        Expected(
            section["number"],
            section["title"],
            [
                {
                    "stt": str(task["outline"]),
                    "name": clean_multiline(task["title"]),
                    "deadline_text": clean_multiline(task["deadline"]),
                    "status": task["status"],
                    "explanation": clean_multiline(task["explanation"]),
                }
                for task in section["tasks"]
            ],
        )
        for section in data["sections"]
    ]


# --- a small world for the cut-off rules -----------------------------------------------------


@dataclass
class World:
    directive: Directive
    lead: Agency
    other: Agency
    tasks: dict[str, Task] = field(default_factory=dict)


def report(
    task: Task,
    on: date,
    text: str,
    *,
    status: Status = Status.IN_PROGRESS,
    agency: Agency | None = None,
    state: ReviewState = ReviewState.ACCEPTED,
    kind: UpdateKind = UpdateKind.REPORT,
    period: str | None = None,
    completed_on: date | None = None,
) -> ProgressUpdate:
    return ProgressUpdate(
        task=task,
        agency_id=(agency.id if agency else task.lead_agency_id),
        reported_on=on,
        status=status,
        explanation=text,
        kind=kind,
        review_state=state,
        period=period,
        completed_on=completed_on,
    )


@pytest.fixture
def world(db: Session) -> World:
    """Directive 77/KH-KT (two sections) led by Sở Kiểm thử Báo cáo, reported on around the
    Quarter I/2023 cut-off (15/12/2022 → 14/03/2023)."""
    lead = Agency(name="Sở Kiểm thử Báo cáo", kind=AgencyKind.DEPARTMENT)
    other = Agency(name="Sở Phối hợp Kiểm thử", kind=AgencyKind.DEPARTMENT)
    directive = Directive(
        kind=DirectiveKind.PLAN,
        number="77/KH-KT",
        issued_on=date(2022, 11, 1),
        issuer="UBND tỉnh",
        summary="Kế hoạch kiểm thử báo cáo định kỳ",
    )
    first = Section(number="I", title="Mục thứ nhất", position=0)
    second = Section(number="II", title="Mục thứ hai", position=1)
    directive.sections.extend([second, first])  # stored out of order: position decides
    db.add_all([lead, other, directive])

    def task(key: str, position: int, section: Section | None, **values: Any) -> Task:
        values.setdefault("deadline_kind", Kind.DATE)
        values.setdefault("deadline_text", "Tháng 6/2023")
        values.setdefault("deadline_due", date(2023, 6, 30))
        values.setdefault("assigned_on", date(2022, 11, 1))
        made = Task(
            directive=directive,
            section=section,
            position=position,
            outline=str(position),
            title=f"Nhiệm vụ {key}",
            lead_agency=lead,
            **values,
        )
        db.add(made)
        return made

    tasks = {
        "reported": task("reported", 1, first),
        "late_report_only": task("late_report_only", 2, first),
        "tagged": task("tagged", 3, first),
        "overdue": task(
            "overdue", 4, second, deadline_text="Tháng 02/2023", deadline_due=date(2023, 2, 28)
        ),
        "completed_later": task(
            "completed_later", 5, second, status=Status.COMPLETED, completed_on=date(2023, 4, 2)
        ),
        "assigned_later": task("assigned_later", 6, second, assigned_on=date(2023, 4, 1)),
        "deleted": task("deleted", 7, second),
        "no_section": task("no_section", 8, None, deadline_kind=Kind.CONTINUOUS,
                           deadline_text="Thường xuyên", deadline_due=None),
    }  # fmt: skip
    db.flush()
    tasks["deleted"].deleted_at = now_utc()
    t = tasks
    db.add_all(
        [
            report(t["reported"], date(2023, 1, 10), "Đã xây dựng dự thảo.", status=Status.PARTIAL),
            # After the cut-off, for no period: the next quarter's news.
            report(t["reported"], date(2023, 3, 25), "Đã trình ký.", status=Status.PARTIAL),
            report(t["reported"], date(2023, 3, 12), "Bị trả lại.", state=ReviewState.RETURNED),
            report(t["reported"], date(2023, 3, 13), "Chờ duyệt.", state=ReviewState.SUBMITTED),
            report(t["reported"], date(2023, 3, 13), "Phối hợp.", kind=UpdateKind.CONTRIBUTION),
            report(t["reported"], date(2023, 3, 14), "Của cơ quan khác.", agency=other),
            report(t["late_report_only"], date(2023, 3, 25), "Sau ngày chốt số liệu."),
            # Filed after the cut-off but for this very quarter: it is the quarter's report.
            report(t["tagged"], date(2023, 3, 1), "Báo cáo giữa kỳ."),
            report(t["tagged"], date(2023, 3, 18), "Báo cáo Quý I.", period="2023-Q1"),
            report(
                t["completed_later"], date(2023, 2, 1), "Đang hoàn thiện.", status=Status.PARTIAL
            ),
            report(
                t["completed_later"],
                date(2023, 4, 2),
                "Đã hoàn thành.",
                status=Status.COMPLETED,
                completed_on=date(2023, 4, 2),
            ),
        ]
    )
    db.commit()
    return World(directive, lead, other, tasks)


# --- reading the written files back ----------------------------------------------------------


def squeeze(text: str) -> str:
    return " ".join(text.split())


@dataclass
class PdfTable:
    """The appendix table as read back from a PDF: each row's marks (in column order) and
    the explanation column's text, pages joined."""

    marks: dict[str, tuple[str, ...]]
    explanations: str
    names: str
    text: str


MARKS = ("X", "-", "Một phần")
EXPLANATION_HEADER = "Nội dung giải trình cụ thể"


def read_pdf_appendix(body: bytes) -> PdfTable:
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(body))
    pages: list[list[tuple[float, float, str]]] = []
    for page in reader.pages:
        fragments: list[tuple[float, float, str]] = []

        def visit(part, cm, tm, font, size, fragments=fragments):  # type: ignore[no-untyped-def]
            if part.strip():
                fragments.append((round(tm[4] + cm[4], 1), round(tm[5] + cm[5], 1), part))

        page.extract_text(visitor_text=visit)
        pages.append(fragments)
    width = float(reader.pages[0].mediabox.width)
    every = [fragment for fragments in pages for fragment in fragments]
    # Left-aligned columns start every line at the same x: the most frequent left edge in
    # each half of the page is the task-name column and the explanation column.
    left = Counter(x for x, _y, _t in every if x < width / 2).most_common(1)[0][0]
    right = Counter(x for x, _y, _t in every if x > width / 2).most_common(1)[0][0]
    marks: dict[str, tuple[str, ...]] = {}
    explanations: list[str] = []
    names: list[str] = []
    for fragments in pages:
        for x, _y, part in fragments:
            if x >= right - 0.5 and part.strip() != EXPLANATION_HEADER:
                explanations.append(part)
            elif left - 0.5 <= x < left + 0.5:
                names.append(part)
        for x, y, part in fragments:
            if x < left - 0.5 and part.strip().isdigit():
                row = sorted(
                    (fx, t.strip())
                    for fx, fy, t in fragments
                    if abs(fy - y) < 0.6 and left < fx < right and t.strip() in MARKS
                )
                if row:  # the summary page numbers its rows too, without marks
                    marks[part.strip()] = tuple(t for _x, t in row)
    text = "\n".join(part for _x, _y, part in every)
    return PdfTable(marks, squeeze(" ".join(explanations)), squeeze(" ".join(names)), text)


def read_docx_rows(body: bytes) -> tuple[list[str], dict[str, list[str]]]:
    """Section rows ("I. …") and task rows (STT → cells) of the DOCX appendix's first table."""
    from docx import Document

    table = Document(BytesIO(body)).tables[0]
    sections: list[str] = []
    rows: dict[str, list[str]] = {}
    for row in table.rows[2:]:
        cells = [cell.text for cell in row.cells]
        if len(set(cells)) == 1:
            sections.append(cells[0])
        else:
            rows[cells[0]] = cells
    return sections, rows


def read_xlsx_rows(body: bytes) -> tuple[list[str], dict[str, list[Any]]]:
    """Section rows and task rows (STT → values) of the workbook's first sheet."""
    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(body)).worksheets[0]
    merged = {r.min_row for r in sheet.merged_cells.ranges if r.max_col - r.min_col >= 5}
    sections: list[str] = []
    rows: dict[str, list[Any]] = {}
    started = False
    for index, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if values[0] == "STT":
            started = True
            continue
        if not started or values[0] is None:
            continue
        if index in merged:
            sections.append(str(values[0]))
        else:
            rows[str(values[0])] = list(values[:6])
    return sections, rows
