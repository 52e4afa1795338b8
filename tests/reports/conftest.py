"""Fixtures for reports: the clock at the seeded report's day, the seeded appendix as expected
and readers that take the written files apart again (the small world for the cut-off rules is
`report_world`, tests/fixtures/reports.py)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import Role, User
from app.directives.models import Directive
from app.text import clean_multiline
from tests.freeze import REPORT_MOMENT

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture
def moment() -> str:
    return REPORT_MOMENT


@pytest.fixture
def office_user(make_user) -> User:
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
