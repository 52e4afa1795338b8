"""What the column-mapping form shows when a table's header is not recognised: the fields an
import of that kind reads, and the file's columns (their header and a sample cell)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from app.imports.parsers import appendix as appendix_parser
from app.imports.parsers import plan as plan_parser
from app.imports.parsers.legacy import decode_text
from app.imports.parsers.tabular import Column, Row, docx_tables, roman_value, xlsx_rows
from app.imports.parsers.written_tables import text_table
from app.imports.sources import ImportFile

HEADER_ROWS = 3  # header rows a table may have before its first numbered row
SAMPLE = 60  # characters of a sample cell
_NUMBERED = re.compile(r"^\d+(?:\.\d+)*\.?$")


@dataclass(frozen=True)
class FileColumn:
    """A column of the file: its 0-based index, header and a sample value."""

    index: int
    header: str
    sample: str


@dataclass(frozen=True)
class ColumnMapping:
    """The fields to map (`fields`), the file's columns and sheets, and the mapping so far."""

    fields: tuple[Column, ...]
    columns: list[FileColumn]
    sheets: list[str]
    sheet: str | None
    chosen: dict[str, int]


def fields_of(kind: str) -> tuple[Column, ...]:
    """The table fields an import of `kind` reads."""
    return plan_parser.COLUMNS if kind == "plan" else appendix_parser.COLUMNS


def _text(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _opens_data(cell: str) -> bool:
    """A row's first cell that opens a task or a section: "1", "1.2.", "II"."""
    return bool(_NUMBERED.match(cell)) or roman_value(cell.rstrip(".")) is not None


def describe_columns(rows: Sequence[Row]) -> list[FileColumn]:
    """Each column of `rows`: its header cells joined, and the first data row's cell."""
    rows = [list(r) for r in rows if any(_text(c) for c in r)]
    if not rows:
        return []
    height = next(
        (i for i, row in enumerate(rows[: HEADER_ROWS + 1]) if _opens_data(_text(row[0]))),
        1,
    )
    height = min(height, HEADER_ROWS)  # 0: a table without header
    sample_row = rows[height] if height < len(rows) else []
    width = max(len(row) for row in rows[: height + 1])
    columns = []
    for index in range(width):
        parts = [_text(row[index]) for row in rows[:height] if index < len(row)]
        header = " / ".join(dict.fromkeys(p for p in parts if p))
        sample = _text(sample_row[index]) if index < len(sample_row) else ""
        if len(sample) > SAMPLE:
            sample = sample[: SAMPLE - 1] + "…"
        columns.append(FileColumn(index, header, sample))
    return columns


def _sheet_names(data: bytes) -> list[str]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def column_mapping(
    file: ImportFile, kind: str, sheet: str | int | None, chosen: dict[str, int | str] | None
) -> ColumnMapping:
    """The mapping form's content for `file` (empty lists when the file cannot be read)."""
    sheets: list[str] = []
    rows: Sequence[Row] = []
    try:
        if file.format == "xlsx":
            sheets = _sheet_names(file.data)
            rows = xlsx_rows(io.BytesIO(file.data), 0 if sheet is None else sheet)
        elif file.format == "docx":
            tables = docx_tables(io.BytesIO(file.data))
            rows = tables[0] if tables else []
        elif file.format == "txt":
            written = text_table(decode_text(file.data).text)
            rows = written.rows if written else []
    except (zipfile.BadZipFile, KeyError, IndexError, OSError, ValueError):
        rows = []
    columns = describe_columns(rows)
    picked = {name: where for name, where in (chosen or {}).items() if isinstance(where, int)}
    if isinstance(sheet, int):
        sheet = sheets[sheet] if -len(sheets) <= sheet < len(sheets) else None
    return ColumnMapping(fields_of(kind), columns, sheets, sheet, picked)
