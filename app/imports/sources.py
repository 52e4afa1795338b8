"""Reading an uploaded document for an import: size and type checks, decoding, legacy text,
then the parser of its kind (`documents`).

No database. Every refusal is an `ImportRefused` whose message is for the user (Vietnamese
through flask_babel); its `detail` keeps the parser's own words.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from os import PathLike
from pathlib import Path
from typing import IO, Any

from flask_babel import gettext as _

from app.errors import DomainError
from app.imports.documents import Document, parse_document
from app.imports.parsers import appendix as appendix_parser
from app.imports.parsers import plan as plan_parser
from app.imports.parsers.docx_text import docx_paragraphs
from app.imports.parsers.legacy import (
    ENCODINGS,
    convert_legacy,
    decode_text,
    detect_legacy,
    is_mixed,
)
from app.imports.parsers.tabular import Row, docx_tables, xlsx_rows
from app.imports.preview import PreviewWarning, SourceInfo

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_NUMBERED_ROW = re.compile(r"^\d+(?:\.\d+)*\.?$")
FORMATS = ("txt", "docx", "xlsx")


class ImportRefused(DomainError):
    """The document cannot be imported as given; nothing was written."""

    status_code = 422

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


@dataclass(frozen=True)
class ImportFile:
    """An uploaded file: its name (for its type) and its bytes."""

    filename: str
    data: bytes

    @property
    def format(self) -> str:
        return Path(self.filename).suffix.lower().lstrip(".")


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def refuse_size(size: int, max_bytes: int) -> None:
    """Refuse a file over the limit (IMPORT_MAX_BYTES)."""
    if size > max_bytes:
        raise ImportRefused(
            _(
                "The file is %(size)s; files over %(limit)s are not imported.",
                size=_size(size),
                limit=_size(max_bytes),
            )
        )


def read_path(path: str | PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> ImportFile:
    """The file at `path`, refused before reading when it is over the limit."""
    path = Path(path)
    refuse_size(path.stat().st_size, max_bytes)
    return ImportFile(path.name, path.read_bytes())


def read_stream(stream: IO[bytes], filename: str, max_bytes: int = DEFAULT_MAX_BYTES) -> ImportFile:
    """An uploaded stream, read up to one byte past the limit."""
    data = stream.read(max_bytes + 1)
    refuse_size(len(data), max_bytes)
    return ImportFile(filename, data)


# -- reading ----------------------------------------------------------------------------------
def read_document(
    file: ImportFile,
    kind: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    sheet: str | int | None = None,
    columns: Mapping[str, int | str] | None = None,
    convert: str | None = None,
    reference: date | None = None,
) -> Document:
    """Check, decode and parse `file` as a `kind` document ("notice", "plan", "appendix")."""
    refuse_size(len(file.data), max_bytes)
    if convert is not None and convert not in ENCODINGS:
        raise ImportRefused(_("Unknown legacy encoding %(name)s: use tcvn3 or vni.", name=convert))
    fmt = file.format
    if fmt not in FORMATS:
        raise ImportRefused(
            _("Files of type “%(type)s” are not imported: use .txt, .docx or .xlsx.", type=fmt)
        )
    if not file.data.strip():
        raise ImportRefused(_("The file is empty."))
    source = SourceInfo(filename=file.filename, format=fmt, size=len(file.data))
    if fmt == "txt":
        decoded = decode_text(file.data)
        source.encoding = decoded.encoding
        text: str | None = decoded.text
        rows = None
        source.legacy_encoding = decoded.legacy
    elif kind == "notice":
        if fmt != "docx":
            raise ImportRefused(_("A notice is read from a .txt or .docx file."))
        text, rows = _docx(file), None
        source.legacy_encoding = detect_legacy(text)
    else:
        text, rows = _tables(file, fmt, sheet)
        source.legacy_encoding = detect_legacy(_joined(text, rows))
    if convert:
        source.converted = True
        mixed = is_mixed(_joined(text, rows))
        text = convert_legacy(text, convert, mixed=mixed) if text is not None else None
        rows = _convert_rows(rows, convert, mixed) if rows is not None else None
    if not (text or "").strip() and not rows:
        raise ImportRefused(_("The file is empty."))
    try:
        document = parse_document(kind, source, text, rows, columns, reference)
    except ValueError as error:
        raise _refusal(kind, source, rows, error) from error
    if source.legacy_encoding and not source.converted:
        document.warnings.insert(0, _legacy_warning(source.legacy_encoding))
    return document


def _cells(value: Any) -> list[str]:
    """Every cell of rows, or of a list of tables, as text."""
    if isinstance(value, list):
        return [cell for item in value for cell in _cells(item)]
    return [value] if isinstance(value, str) and value else []


def _joined(text: str | None, rows: Any) -> str:
    return "\n".join([text or "", *_cells(rows)])


def _convert_rows(rows: list[Row] | list[list[Row]], encoding: str, mixed: bool) -> Any:
    def convert(value: Any) -> Any:
        if isinstance(value, list):
            return [convert(v) for v in value]
        return convert_legacy(value, encoding, mixed=mixed) if isinstance(value, str) else value

    return convert(rows)


def _docx(file: ImportFile) -> str:
    try:
        return docx_paragraphs(io.BytesIO(file.data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ImportRefused(
            _("The file cannot be read as a Word document (.docx)."), str(error)
        ) from error


def _tables(file: ImportFile, fmt: str, sheet: str | int | None) -> tuple[str | None, Any]:
    """(text above the table, the tables: a list of tables for .docx, rows for .xlsx)."""
    if fmt == "docx":
        text = _docx(file)
        tables = docx_tables(io.BytesIO(file.data))
        if not tables:
            raise ImportRefused(
                _("The Word file holds no table: a plan or an appendix is read from its table.")
            )
        return text, tables
    try:
        sheets = _sheet_names(file)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportRefused(
            _("The file cannot be read as an Excel workbook (.xlsx)."), str(error)
        ) from error
    known = sheet is None or (
        sheet in sheets if isinstance(sheet, str) else -len(sheets) <= sheet < len(sheets)
    )
    if not known:
        raise ImportRefused(
            _(
                "The workbook has no sheet %(sheet)s; its sheets are: %(sheets)s.",
                sheet=sheet,
                sheets=", ".join(sheets),
            )
        )
    rows = xlsx_rows(io.BytesIO(file.data), 0 if sheet is None else sheet)  # not the active one
    return None, rows


def _sheet_names(file: ImportFile) -> list[str]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(file.data), read_only=True)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def _legacy_warning(encoding: str) -> PreviewWarning:
    return PreviewWarning(
        "legacy_encoding",
        _(
            "The text looks typed in the legacy %(encoding)s encoding and was not converted: "
            "import it again with the conversion from %(encoding)s to read it correctly.",
            encoding=encoding.upper(),
        ),
    )


# -- refusals ---------------------------------------------------------------------------------
def legacy_refusal(encoding: str, detail: str = "") -> ImportRefused:
    """Legacy text the parsers could not read: the conversion is what to ask for."""
    return ImportRefused(
        _(
            "The document could not be read: its text looks typed in the legacy "
            "%(encoding)s encoding. Import it again with the conversion from %(encoding)s.",
            encoding=encoding.upper(),
        ),
        detail,
    )


_COLUMN_ERRORS = (
    "header not recognised",
    "columns do not map",
    "no column headed",
    "unknown fields",
)


def _refusal(kind: str, source: SourceInfo, rows: Any, error: ValueError) -> ImportRefused:
    """The parser's ValueError as a message for the user."""
    detail = str(error)
    if source.legacy_encoding and not source.converted:
        return legacy_refusal(source.legacy_encoding, detail)
    if kind != "notice" and any(marker in detail for marker in _COLUMN_ERRORS):
        spec = plan_parser.COLUMNS if kind == "plan" else appendix_parser.COLUMNS
        expected = ", ".join(f"{c.label} ({c.field})" for c in spec if c.required)
        optional = ", ".join(f"{c.label} ({c.field})" for c in spec if not c.required)
        table = rows[0] if source.format == "docx" and rows else rows
        return ImportRefused(
            _(
                "The table's columns are not the expected ones. Expected: %(expected)s; "
                "optional: %(optional)s. Found: %(found)s. Give a column mapping "
                "(field = column header or number).",
                expected=expected,
                optional=optional,
                found=_found(table),
            ),
            detail,
        )
    if "empty" in detail:
        return ImportRefused(_("The file is empty."), detail)
    if kind == "notice":
        return ImportRefused(_("The notice could not be read: %(detail)s", detail=detail), detail)
    return ImportRefused(_("No numbered task was found in the document."), detail)


def _found(rows: Sequence[Sequence[Any]] | None) -> str:
    """The header cells found: the first rows (at most 4) before one that opens with a number."""
    seen: list[str] = []
    for row in (rows or [])[:4]:
        cells = [str(c).strip() for c in row if c is not None and str(c).strip()]
        if seen and cells and _NUMBERED_ROW.match(cells[0]):
            break
        seen += cells
    return ", ".join(f"“{s}”" for s in dict.fromkeys(seen)) or _("nothing")
