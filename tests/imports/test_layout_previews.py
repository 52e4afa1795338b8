"""Previews of documents from other provinces: where each task is, what the clerk should
check, the columns read, owners of a progress appendix, and re-imports that leave what a
document does not carry. The documents are the corpus's (bench/corpus, shared corpus)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from app.audit import set_actor
from app.imports.preview import (
    COLUMNS_GUESSED,
    DEADLINE_UNREAD,
    NEW,
    NO_LEAD,
    STATUS_NOTE,
    UNKNOWN_AGENCY,
    AgencyRef,
    ImportPreview,
)
from app.imports.services import ImportFile, ImportOptions, apply_import, build_preview
from app.tasks.models import Task
from tests.freeze import SEEDED_ON
from tests.imports.helpers import counts
from tests.imports.parsers.test_table_layouts import TT_01, TT_03, TT_04

CORPUS = Path(__file__).resolve().parents[2] / "bench" / "corpus"


def corpus_text(name: str) -> str:
    """A corpus file's document text (its provenance line left out)."""
    return (CORPUS / name).read_text(encoding="utf-8").split("\n", 1)[1]


def preview(db, text: str, options: ImportOptions, name: str = "doc.txt") -> ImportPreview:
    return build_preview(db, ImportFile(name, text.encode("utf-8")), options, today=SEEDED_ON)


def write(db, the_preview: ImportPreview):
    set_actor(db, None, "test import")
    result = apply_import(db, the_preview, today=SEEDED_ON, create_agencies=True)
    db.flush()
    return result


def test_a_notice_item_keeps_its_number_as_stt_and_says_its_line(db):
    result = preview(
        db,
        corpus_text("notices/10_cd_149_ttg_2025.txt"),
        ImportOptions(kind="notice", reference=date(2025, 8, 28), number="149/CĐ-TTg"),
    )
    # "UBND các tỉnh, thành phố trực thuộc Trung ương" names provinces: no copies to districts
    assert [(t.outline, t.line) for t in result.tasks] == [
        ("1", 8),
        ("2", 12),
        ("3", 14),
        ("4", 16),
        ("5", 18),
        ("6", 20),
    ]
    first = result.tasks[0]
    assert first.lead_text.startswith("Bộ Tài chính, Ngân hàng Nhà nước Việt Nam, Bộ Công an")
    assert first.lead.written == "Bộ Tài chính"  # co-leads: the first named one leads
    assert first.deadline["due"] == "2025-09-02"
    assert UNKNOWN_AGENCY in first.flags  # a ministry is not in a province's agency list
    assert json.loads(json.dumps(result.to_json()))["tasks"][0]["line"] == 8


def test_a_progress_appendix_in_pipes_reads_owners_statuses_and_columns(db):
    options = ImportOptions(kind="appendix", period="2025-05", reference=date(2025, 5, 25))
    result = preview(db, TT_01, options, "phuluc.txt")
    assert [(c.field, c.index, c.header) for c in result.columns][:3] == [
        ("stt", 0, "TT"),
        ("name", 1, "NHIỆM VỤ"),
        ("product", 2, "KẾT QUẢ YÊU CẦU"),
    ]
    assert [(t.section, t.outline, t.line) for t in result.tasks] == [
        ("I", "1", 7),
        ("I", "3", 8),
        ("III", "25", 10),
    ]
    overdue = result.tasks[2]
    assert (overdue.lead.written, overdue.lead.status) == ("Bộ Công an", NEW)
    assert overdue.status == "in_progress"
    assert STATUS_NOTE in overdue.flags
    assert any(w.code == "status_note" and w.task == overdue.key for w in result.warnings)
    assert overdue.progress.explanation == "Đang chuẩn bị hồ sơ."
    assert overdue.product == "Báo cáo Chính phủ"

    # Confirmed, then imported again: nothing changes, nothing is added twice.
    options = ImportOptions(
        kind="appendix",
        period="2025-05",
        reference=date(2025, 5, 25),
        number="71/NQ-CP",
        subject="Phụ lục 1: Danh mục nhiệm vụ thực hiện Nghị quyết 71/NQ-CP",
    )
    write(db, preview(db, TT_01, options, "phuluc.txt"))
    before = counts(db)
    again = preview(db, TT_01, options, "phuluc.txt")
    assert {t.action for t in again.tasks} == {"unchanged"}
    write(db, again)
    assert counts(db) == before


def test_a_table_without_header_is_read_with_its_columns_guessed_and_flagged(db):
    result = preview(db, TT_03, ImportOptions(kind="plan", subject="NQ 03 PL II"), "pl2.txt")
    assert result.columns_guessed is True
    assert any(w.code == COLUMNS_GUESSED for w in result.warnings)
    assert [t.outline for t in result.tasks] == ["127", "128", "129"]
    assert result.tasks[1].lead.written == "Bộ Thông tin và Truyền thông"


def test_a_reimport_leaves_what_the_table_does_not_carry(db):
    """Phụ lục I's rows saved with a deadline; the same rows read again from the table, which
    has no time column and no section row: the deadlines and sections stay."""
    options = ImportOptions(kind="plan", subject="NQ 03 PL I", reference=date(2025, 1, 9))
    first = preview(db, TT_04, options, "pl1.txt")
    directive_id = write(db, first).directive_id
    task = db.query(Task).filter(Task.directive_id == directive_id, Task.outline == "11.1").one()
    task.deadline_text = "2030"
    db.flush()
    rows_only = "\n".join(line for line in TT_04.splitlines() if "Đến năm 2030" not in line)
    again = preview(db, rows_only, options, "pl1.txt")
    assert [c.field for c in again.columns] == ["outline", "title", "product", "lead"]
    assert {t.action for t in again.tasks} == {"unchanged"}


def test_flags_follow_the_task_as_it_stands(db):
    result = preview(db, TT_04, ImportOptions(kind="plan", subject="NQ 03 PL I"), "pl1.txt")
    parent = next(t for t in result.tasks if t.outline == "11")
    assert NO_LEAD in parent.flags
    child = next(t for t in result.tasks if t.outline == "11.1")
    assert child.flags == []
    child.lead = AgencyRef("Bộ Thông tin và Truyền thông", NEW, None, "Bộ Thông tin")
    assert child.seen_flags() == [UNKNOWN_AGENCY]
    child.lead = None
    child.lead_text = None
    child.deadline_text, child.deadline = "Theo lộ trình", {"kind": "unspecified"}
    assert child.seen_flags() == [NO_LEAD, DEADLINE_UNREAD]
