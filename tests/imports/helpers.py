"""Shared by the import tests: the seed documents, counts of what a database holds, and text
written in the legacy encodings (built from the converter's own tables, read backwards)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.agencies.models import Agency
from app.audit import AuditEntry
from app.directives.models import Directive, Section
from app.imports.parsers.legacy import _TCVN3, _VNI
from app.imports.services import ImportFile
from app.tasks.models import ProgressUpdate, Task

DOCUMENTS = Path("/work/shared/seeds")
APPENDIX_001 = "001_ca193f247c1d4a6b.txt"
NOTICE_003 = "003_4bd8ed71577863bd.txt"
PLAN_004 = "004_a64d85ba5af9e3d9.txt"
NOTICE_SUBJECT = (
    "Ý kiến kết luận của Chủ tịch Ủy ban nhân dân tỉnh Phạm Anh Tuấn, Trưởng Ban Chỉ đạo "
    "chuyển đổi số tỉnh Bình Định"
)


def document_text(name: str) -> str:
    path = DOCUMENTS / name
    if not path.exists():
        pytest.skip(f"seed document {path} not available")
    return path.read_text(encoding="utf-8")


def seed_file(name: str) -> ImportFile:
    return ImportFile(name, document_text(name).encode("utf-8"))


def text_file(text: str, name: str = "document.txt") -> ImportFile:
    return ImportFile(name, text.encode("utf-8"))


def counts(session) -> dict[str, int]:
    """How many rows each table an import writes holds."""
    return {
        model.__name__: session.scalar(select(func.count()).select_from(model))
        for model in (Agency, Directive, Section, Task, ProgressUpdate, AuditEntry)
    }


def to_tcvn3(text: str) -> str:
    """Unicode → TCVN3 as a .VnTime user typed it (capitals TCVN3 lacks: their small letter)."""
    table = {value: key for key, value in _TCVN3.items()}
    out = []
    for char in unicodedata.normalize("NFC", text):
        out.append(table.get(char) or table.get(char.lower(), char))
    return "".join(out)


def to_vni(text: str) -> str:
    """Unicode → VNI (VNI-Times): a base letter then its mark bytes."""
    table: dict[str, str] = {}
    for key, value in _VNI.items():
        table.setdefault(value, key)
    return "".join(table.get(char, char) for char in unicodedata.normalize("NFC", text))


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: â ê ô ă ơ ư đ precomposed, tones as
    combining bytes."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", char)
        base = "".join(c for c in decomposed if c not in _TONES)
        tones = "".join(c for c in decomposed if c in _TONES)
        out.append(unicodedata.normalize("NFC", base) + tones)
    return "".join(out).encode("cp1258")
