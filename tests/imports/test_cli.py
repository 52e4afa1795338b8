"""`flask import notice|plan|appendix FILE` and `flask import confirm PREVIEW.json`."""

from __future__ import annotations

import json

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.agencies.models import Agency
from app.audit import AuditEntry
from app.tasks.models import Task
from tests.freeze import SEEDED_ON
from tests.imports.helpers import (
    APPENDIX_001,
    NOTICE_003,
    PLAN_004,
    counts,
    document_text,
    to_vni,
)
from tests.imports.test_services import UNKNOWN


@pytest.fixture
def run(app, db):
    """Invoke `flask import …` on the test database, on the day the demo data was seeded."""

    def invoke(*args: str, input: str | None = None):
        with freeze_time(SEEDED_ON):
            return app.test_cli_runner().invoke(args=["import", *args], input=input)

    return invoke


@pytest.fixture
def seed_path(tmp_path):
    def write(name: str, text: str | None = None) -> str:
        path = tmp_path / name
        path.write_text(document_text(name) if text is None else text, encoding="utf-8")
        return str(path)

    return write


def test_dry_run_json_prints_the_preview_and_writes_nothing(run, db, seed_path):
    before = counts(db)
    result = run("notice", seed_path(NOTICE_003), "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["kind"] == "notice"
    assert data["counts"] == {"create": 18, "update": 0, "unchanged": 20, "skip": 0}
    assert data["reference_date"] == "2024-01-18"
    assert counts(db) == before


def test_dry_run_prints_a_readable_summary(run, seed_path):
    result = run("plan", seed_path(PLAN_004), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Nhiệm vụ: 0 tạo mới, 0 cập nhật, 125 không đổi." in result.output
    assert result.output.rstrip().endswith("Chạy thử: chưa ghi gì vào cơ sở dữ liệu.")


def test_import_asks_then_writes_and_reports_what_it_wrote(run, db, seed_path):
    path = seed_path(NOTICE_003)
    before = counts(db)
    declined = run("notice", path, input="n\n")
    assert declined.exit_code == 1
    assert counts(db) == before
    result = run("notice", path, input="y\n")
    assert result.exit_code == 0, result.output
    assert "Ghi các thay đổi này?" in result.output
    assert "Đã ghi: tạo mới 18 nhiệm vụ, cập nhật 0, không đổi 20" in result.output
    entry = db.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.actor_label == "flask import notice"
    again = run("notice", path, "--yes")
    assert "Đã ghi: tạo mới 0 nhiệm vụ, cập nhật 0, không đổi 38" in again.output


def test_appendix_for_a_period_as_json(run, db, seed_path):
    result = run("appendix", seed_path(APPENDIX_001), "--period", "2023-Q2", "--yes", "--json")
    assert result.exit_code == 0, result.output
    written = json.loads(result.output[result.output.index("{") :])
    assert (written["unchanged"], written["progress_created"]) == (10, 10)


def test_unknown_agencies_abort_with_their_list_unless_asked_to_create_them(run, db, seed_path):
    path = seed_path("dulich.txt", UNKNOWN)
    before = counts(db)
    result = run("notice", path, "--on", "2024-01-18", "--yes")
    assert result.exit_code == 1
    assert "Cơ quan chưa có trong danh mục: Sở Du lịch; Sở Văn hóa và Thể thao." in result.output
    assert "--create-agencies" in result.output
    assert counts(db) == before
    created = run("notice", path, "--on", "2024-01-18", "--yes", "--create-agencies")
    assert created.exit_code == 0, created.output
    assert "Cơ quan mới: Sở Du lịch; Sở Văn hóa và Thể thao" in created.output
    assert db.scalar(select(Agency).where(Agency.name == "Sở Du lịch")) is not None


def test_confirm_writes_an_edited_preview(run, db, seed_path, tmp_path):
    dry = run(
        "notice", seed_path("dulich.txt", UNKNOWN), "--on", "2024-01-18", "--dry-run", "--json"
    )
    data = json.loads(dry.output)
    home = db.scalar(select(Agency).where(Agency.name == "Sở Nội vụ"))
    for task in data["tasks"][:2]:
        task["lead"] = {"written": "Sở Du lịch", "status": "matched", "agency_id": home.id}
    data["tasks"][1]["action"] = "skip"
    data["tasks"][2]["title"] = "Thống kê lượng khách du lịch hằng tháng."
    edited = tmp_path / "preview.json"
    edited.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run("confirm", str(edited), "--yes")
    assert result.exit_code == 0, result.output
    titles = db.scalars(
        select(Task.title).where(Task.lead_agency_id.is_not(None)).order_by(Task.id.desc()).limit(2)
    ).all()
    assert titles[0] == "Thống kê lượng khách du lịch hằng tháng."
    assert "Đã ghi: tạo mới 2 nhiệm vụ" in result.output


def test_confirm_refuses_a_broken_preview(run, tmp_path):
    broken = tmp_path / "preview.json"
    broken.write_text('{"version": 1, "kind": "memo"}', encoding="utf-8")
    result = run("confirm", str(broken), "--yes")
    assert result.exit_code == 1
    assert "Bản xem trước không hợp lệ: preview.kind" in result.output


def test_bad_input_gets_a_vietnamese_message_and_a_failing_status(
    run, db, seed_path, app, monkeypatch
):
    before = counts(db)
    empty = run("notice", seed_path("trong.txt", ""))
    assert (empty.exit_code, empty.output) == (1, "Error: Tệp không có nội dung.\n")
    no_period = run("appendix", seed_path(APPENDIX_001))
    assert "Phụ lục cần có kỳ báo cáo (ví dụ 2023-Q1)." in no_period.output
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 10_000)
    too_big = run("plan", seed_path(PLAN_004), "--dry-run")
    assert too_big.exit_code == 1
    assert "không nhập tệp lớn hơn 10 KB" in too_big.output
    assert counts(db) == before


def test_legacy_text_needs_the_conversion_flag(run, db, seed_path, tmp_path):
    path = tmp_path / "dulich.txt"
    path.write_bytes(to_vni(UNKNOWN.replace("Sở Du lịch", "Sở Tài chính")).encode("cp1252"))
    before = counts(db)
    refused = run("notice", str(path), "--on", "2024-01-18", "--yes")
    assert refused.exit_code == 1
    assert "bảng mã cũ VNI" in refused.output
    converted = run(
        "notice", str(path), "--on", "2024-01-18", "--convert-legacy", "vni", "--dry-run", "--json"
    )
    data = json.loads(converted.output)
    assert data["source"] == {
        "filename": "dulich.txt",
        "format": "txt",
        "size": path.stat().st_size,
        "encoding": "cp1252",
        "legacy_encoding": "vni",
        "converted": True,
    }
    assert data["tasks"][0]["title"].startswith("Xây dựng kế hoạch phát triển du lịch năm 2024")
    assert counts(db) == before


def test_a_workbook_with_other_headers_reads_with_column_mappings(run, seed_path, tmp_path):
    from tests.imports.test_services import ODD_COLUMNS, _workbook

    path = tmp_path / "kehoach.xlsx"
    path.write_bytes(_workbook(ODD_COLUMNS))
    refused = run("plan", str(path), "--dry-run")
    assert refused.exit_code == 1
    assert "Các cột của bảng không đúng mẫu." in refused.output
    mapped = run(
        "plan",
        str(path),
        "--subject",
        "Kế hoạch thử",
        "--column",
        "outline=TT",
        "--column",
        "title=Công việc",
        "--column",
        "lead=Đơn vị chủ trì",
        "--column",
        "deadline=3",
        "--dry-run",
        "--json",
    )
    assert mapped.exit_code == 0, mapped.output
    assert [t["lead"]["name"] for t in json.loads(mapped.output)["tasks"]] == [
        "Cục Thống kê tỉnh",
        "Sở Thông tin và Truyền thông",
    ]
