"""The appendix parser against seed 001 (Phụ lục, Nghị quyết 131/NQ-CP) and its YAML."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import yaml

from app.imports.parsers.appendix import AppendixRow, parse_appendix, status_of

ROOT = Path(__file__).resolve().parents[3]
SEED_TEXT = Path("/work/shared/seeds/001_ca193f247c1d4a6b.txt")
APPENDIX_YAML = ROOT / "seeds" / "appendix_131.yaml"


def seed_text() -> str:
    if not SEED_TEXT.exists():
        pytest.skip(f"seed document {SEED_TEXT} not available")
    return SEED_TEXT.read_text(encoding="utf-8")


def yaml_tasks() -> list[dict]:
    """The YAML tasks, each with its section number and title."""
    data = yaml.safe_load(APPENDIX_YAML.read_text(encoding="utf-8"))
    return [
        {**task, "section_number": section["number"], "section_title": section["title"]}
        for section in data["sections"]
        for task in section["tasks"]
    ]


def as_yaml(row: AppendixRow) -> dict:
    """A parsed row in the YAML's terms."""
    return {
        "section_number": row.section_number,
        "section_title": row.section_title,
        "outline": row.stt,
        "title": row.name,
        "deadline": row.deadline_text,
        "status": row.status,
        "explanation": row.explanation,
    }


@pytest.fixture(scope="module")
def parsed() -> list[AppendixRow]:
    return parse_appendix(seed_text())


def test_every_task_matches_the_yaml_field_by_field(parsed):
    expected = yaml_tasks()
    assert [r.stt for r in parsed] == [str(t["outline"]) for t in expected]
    for row, want in zip(parsed, expected, strict=True):
        assert as_yaml(row) == {key: want[key] for key in as_yaml(row)}, row.stt


def test_precision_and_recall_against_the_yaml(parsed, capsys):
    expected = {str(t["outline"]): t for t in yaml_tasks()}
    exact = [
        r
        for r in parsed
        if r.stt in expected and as_yaml(r) == {k: expected[r.stt][k] for k in as_yaml(r)}
    ]
    precision, recall = len(exact) / len(parsed), len(exact) / len(expected)
    with capsys.disabled():
        print(f"\nappendix 001: tasks exact in every field P={precision:.3f} R={recall:.3f}")
    assert (precision, recall) == (1.0, 1.0)


def test_sections_and_statuses(parsed):
    sections = [r.section_number for r in parsed]
    assert sections == ["I"] + ["II"] * 6 + ["III"] * 3
    assert [r.status for r in parsed] == ["partial", "partial"] + ["completed"] * 6 + [
        "partial",
        "partial",
    ]


def test_a_task_split_across_pages_is_joined_back(parsed):
    task = parsed[4]  # name and explanation both continue after the page break
    assert task.name.endswith("cung cấp dịch vụ công trực tuyến.")
    assert task.explanation.startswith("Hiện nay, đã hoàn thành xong việc kết nối")
    assert "về dân cư. Văn phòng Ủy ban nhân dân tỉnh" in task.explanation
    assert "STT" not in task.name
    assert "Tên nhiệm vụ" not in task.explanation


def test_a_name_with_two_paragraphs(parsed):
    assert parsed[9].name.split("\n")[1].startswith("Trường hợp chưa có phân hệ")


@pytest.mark.parametrize(
    ("completed", "in_progress", "status"),
    [
        ("Một phần", "X", "partial"),
        ("X", "-", "completed"),
        ("x", None, "completed"),
        ("-", "X", "in_progress"),
        ("X", "X", "partial"),
        (None, "-", None),
    ],
)
def test_status_of(completed, in_progress, status):
    assert status_of(completed, in_progress) == status


def test_output_is_nfc_and_plain_data():
    rows = parse_appendix(unicodedata.normalize("NFD", seed_text()))
    assert len(rows) == 10
    data = rows[0].to_dict()
    assert data["deadline_text"] == "Giai đoạn 2023-2025"
    assert all(unicodedata.is_normalized("NFC", v) for v in data.values() if isinstance(v, str))


def test_page_numbers_are_not_content():
    text = seed_text()
    header = "STT Tên nhiệm vụ \nThời hạn \nhoàn thành \n"
    pages = text.split(f" {header}")
    numbered = pages[0] + "".join(f"{n}\n {header}{page}" for n, page in enumerate(pages[1:], 2))
    assert parse_appendix(numbered) == parse_appendix(text)


def test_marks_on_separate_lines_and_windows_line_ends():
    text = seed_text().replace("Một phần X \n", "Một phần \nX \n").replace("\n", "\r\n")
    assert text.count("Một phần \r\nX") == 4
    assert parse_appendix(text) == parse_appendix(seed_text())


# -- bad input ------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["", " \n\t"])
def test_empty_text_is_refused(text):
    with pytest.raises(ValueError, match="empty"):
        parse_appendix(text)


def test_text_without_tasks_is_refused():
    with pytest.raises(ValueError, match="no numbered tasks"):
        parse_appendix("Phụ lục\nkhông có bảng")


def test_unexpected_columns_name_what_is_missing_and_what_was_found():
    rows = [["STT", "Nội dung", "Đơn vị tính"], ["1", "Việc", "%"]]
    with pytest.raises(ValueError, match="header not recognised") as caught:
        parse_appendix(rows)
    message = str(caught.value)
    assert "Hoàn thành (X) (completed)" in message
    assert "Tiến độ / Tình hình thực hiện (status)" in message
    assert "found: 'STT', 'Nội dung'" in message


def test_header_only_table_is_refused():
    header = [
        [
            "STT",
            "Tên nhiệm vụ",
            "Thời hạn hoàn thành",
            "Tiến độ thực hiện (X)",
            None,
            "Nội dung giải trình cụ thể",
        ],
        [None, None, None, "Hoàn thành", "Đang tiếp tục thực hiện", None],
    ]
    with pytest.raises(ValueError, match="has a header but no rows"):
        parse_appendix(header)


def test_explicit_column_mapping():
    rows = [
        ["#", "Task", "Due", "Done", "Ongoing"],
        ["1", "Số hóa hồ sơ", "Tháng 6/2023", None, "X"],
    ]
    columns = {"stt": 0, "name": 1, "deadline": 2, "completed": 3, "in_progress": "ongoing"}
    (row,) = parse_appendix(rows, columns=columns)
    assert (row.stt, row.name, row.deadline_text, row.status, row.explanation) == (
        "1",
        "Số hóa hồ sơ",
        "Tháng 6/2023",
        "in_progress",
        None,
    )
    with pytest.raises(ValueError, match="unknown fields in columns: owner"):
        parse_appendix(rows, columns={**columns, "owner": 5})
