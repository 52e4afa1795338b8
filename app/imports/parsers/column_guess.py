"""The columns of a table pasted without its header, told from their cells. Pure.

`infer_columns` is what `tabular.locate_columns` falls back on when a table's first row is
already data: the STT column holds outline numbers, the deadline column phrases the deadline
reader reads, the lead and then the coordinators columns organisations' names, a status column
status words, the title the longest texts; a remaining text column is the product (before the
deadline) or the explanation (after the status)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence

from app.imports.parsers.organisations import is_org
from app.imports.parsers.tabular import Column, Layout, Row, clean_line
from app.tasks.deadlines import DeadlineKind, parse_deadline
from app.text import fold

_OUTLINE_CELL = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?$")
_STATUS_CELL = re.compile(
    r"^(?:hoan thanh|dang (?:tiep tuc )?thuc hien|chua (?:thuc hien|trien khai|hoan thanh)"
    r"|qua han|mot phan|x)\b"
)


def _share(cells: list[str], test: Callable[[str], bool]) -> float:
    return sum(1 for cell in cells if test(cell)) / len(cells) if cells else 0.0


def _is_deadline_cell(cell: str) -> bool:
    if len(cell) > 60:
        return False
    reading = parse_deadline(cell, reference=dt.date(2000, 1, 1))
    return reading.kind is not DeadlineKind.UNSPECIFIED


def _is_org_cell(cell: str) -> bool:
    return is_org(cell) and len(cell) <= 200


def infer_columns(rows: Sequence[Row], spec: Sequence[Column], *, what: str) -> Layout:
    """Tell the columns of a table without header from their cells: the STT column holds
    outline numbers, the deadline column phrases the deadline reader reads, the lead and then
    the coordinators columns organisations' names, a status column status words, the title
    the longest texts; a remaining text column is the product (before the deadline) or the
    explanation (after the status). ValueError when no STT or no title column is found."""
    fields = {c.field for c in spec}
    width = max(len(row) for row in rows)
    data = [row for row in rows if row and _OUTLINE_CELL.match(clean_line(str(row[0] or "")))]
    columns: list[list[str]] = []
    for index in range(width):
        cells = [clean_line(str(row[index])) for row in data if index < len(row) and row[index]]
        columns.append([cell for cell in cells if cell])
    taken: dict[str, int] = {}

    def take(name: str, index: int | None) -> None:
        if name in fields and index is not None and index not in taken.values():
            taken[name] = index

    outline = next(
        (i for i, cells in enumerate(columns) if _share(cells, _OUTLINE_CELL.match) >= 0.8), None
    )
    for name in ("outline", "stt"):
        take(name, outline)
    free = [i for i in range(width) if i not in taken.values() and columns[i]]
    deadlines = [(i, _share(columns[i], _is_deadline_cell)) for i in free]
    best = max(deadlines, key=lambda pair: pair[1], default=(None, 0.0))
    if best[1] >= 0.6:
        take("deadline", best[0])
    statuses = [(i, _share(columns[i], lambda c: bool(_STATUS_CELL.match(fold(c))))) for i in free]
    best = max(statuses, key=lambda pair: pair[1], default=(None, 0.0))
    if best[1] >= 0.6 and "status" in fields:
        take("status", best[0])
    free = [i for i in free if i not in taken.values()]
    orgs = [i for i in free if _share(columns[i], _is_org_cell) >= 0.6]
    for name, index in zip(("lead", "coordinators"), orgs, strict=False):
        take(name, index)
    free = [i for i in free if i not in taken.values()]
    if free:
        title = max(free, key=lambda i: sum(map(len, columns[i])) / len(columns[i]))
        for name in ("title", "name"):
            take(name, title)
    rest = [i for i in free if i not in taken.values()]
    deadline = taken.get("deadline", width)
    for index in rest:
        take("product" if index < deadline else "explanation", index)
    missing = [c for c in spec if c.required and c.field not in taken]
    if missing:
        raise ValueError(
            f"{what}: header not recognised; missing columns: "
            + ", ".join(f"{c.label} ({c.field})" for c in missing)
            + f"; found: {', '.join(repr(clean_line(str(c))) for c in rows[0] if c)}"
        )
    return Layout(columns=taken, header=(), data_start=0, guessed=True)
