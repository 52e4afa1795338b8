"""`python -m bench.corpus`: reading the corpus files, pairing found and annotated tasks, the
field rules, the totals against the targets, and one real document through the import."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from bench import corpus
from bench.corpus import CorpusDocument, Found, field_right, score, totals

CORPUS = Path(__file__).resolve().parent.parent / "bench" / "corpus"
SOURCE = "# SOURCE: a letter | https://example.invalid | REAL | reference_date 2023-11-23\n"
# bench/corpus/notices/12_quangtri_6202_ubnd_kt_2023
TEXT = (
    "UBND tỉnh có ý kiến như sau:\n"
    "Giao Sở Tài nguyên và Môi trường chủ trì, phối hợp các đơn vị, địa phương liên quan "
    "nghiên cứu, đề xuất UBND tỉnh xem xét theo quy định; hoàn thành trước ngày 10/12/2023./.\n"
)
EXPECTED = {
    "lead": "Sở Tài nguyên và Môi trường",
    "coordinators": ["các đơn vị, địa phương liên quan"],
    "title_starts_with": "Giao Sở Tài nguyên và Môi trường chủ trì, phối hợp các đơn vị,",
    "deadline_phrase": "hoàn thành trước ngày 10/12/2023",
    "kind": "date",
    "due": "2023-12-10",
}
RIGHT = Found(
    title=TEXT.splitlines()[1],
    lead="Sở Tài nguyên và Môi trường",
    coordinators=("các đơn vị, địa phương liên quan",),
    deadline_phrase="trước ngày 10/12/2023",
    kind="date",
    due="2023-12-10",
)


def document(expected: list[dict], group: str = "notices") -> CorpusDocument:
    kind = "notice" if group == "notices" else "plan"
    return CorpusDocument("doc", group, kind, date(2023, 11, 23), TEXT, expected)


def write(folder: Path, name: str, text: str, expected: list[dict]) -> Path:
    path = folder / "notices" / f"{name}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.with_suffix(".json").write_text(json.dumps(expected, ensure_ascii=False), "utf-8")
    return path


def test_a_corpus_file_needs_its_source_line(tmp_path):
    good = corpus.read_corpus_document(write(tmp_path, "a", SOURCE + TEXT, [EXPECTED]))
    assert (good.kind, good.reference, good.text) == ("notice", date(2023, 11, 23), TEXT)
    with pytest.raises(ValueError, match="first line"):
        corpus.read_corpus_document(write(tmp_path, "b", TEXT, [EXPECTED]))


def test_a_table_is_an_appendix_when_its_rows_have_statuses():
    rows = json.loads((CORPUS / "tables" / "TT_05_nqcp03_phuluc2_muc_IV.json").read_text())
    path = CORPUS / "tables" / "TT_05_nqcp03_phuluc2_muc_IV.txt"
    assert corpus.read_corpus_document(path).kind == "plan"
    assert all(row["status"] is None for row in rows)


def test_a_task_matches_on_its_text_and_lead_and_each_field_is_counted():
    result = score(document([EXPECTED]), [RIGHT])
    assert (result.expected, result.found, result.matched) == (1, 1, 1)
    assert (result.precision, result.recall) == (1.0, 1.0)
    assert result.right == result.compared  # the clause found lies inside the annotated one
    wrong_lead = score(document([EXPECTED]), [Found(title=RIGHT.title, lead="UBND tỉnh")])
    assert (wrong_lead.matched, wrong_lead.precision, wrong_lead.recall) == (0, 0.0, 0.0)
    assert "lead" in wrong_lead.misses[0]
    extra = score(document([EXPECTED]), [RIGHT, Found(title="Văn phòng UBND tỉnh thông báo")])
    assert (extra.precision, extra.recall) == (0.5, 1.0)
    assert extra.misses[-1].startswith("extra:")
    missing = score(document([EXPECTED]), [])
    assert (missing.precision, missing.recall) == (0.0, 0.0)


@pytest.mark.parametrize(
    ("name", "expected", "found", "right"),
    [
        ("deadline_phrase", "Yêu cầu gửi báo cáo trước ngày 23/5/2019", "trước ngày 23/5/2019", 1),
        ("deadline_phrase", None, "trong năm 2025", 0),
        ("coordinators", ["Sở Nội vụ"], ("Sở Nội vụ",), 1),
        ("coordinators", ["Sở Nội vụ", "Sở Tài chính"], ("Sở Nội vụ",), 0),
        ("stt", "117", "117.", 1),
        ("explanation_starts_with", "Đang chuẩn bị hồ sơ.", "Đang chuẩn bị hồ sơ.\nThêm", 1),
        ("due", "2025-12-31", None, 0),
    ],
)
def test_field_rules(name, expected, found, right):
    field = "explanation" if name == "explanation_starts_with" else name
    task = Found(title="x", **{field: found})
    assert field_right(field, {name: expected}, task) is bool(right)


def test_tables_count_rows_exact_in_every_field_and_targets_say_what_is_missed():
    row = {
        "section": "IV", "stt": "77", "title_starts_with": "Xây dựng Đề án",
        "lead": "Bộ Nội vụ", "coordinators": [], "deadline_phrase": "2025", "kind": "date",
        "due": "2025-12-31", "status": None, "explanation_starts_with": None,
    }  # fmt: skip
    found = Found(title="Xây dựng Đề án phát triển", lead="Bộ Nội vụ", stt="77", section="IV",
                  deadline_phrase="2025", kind="date", due="2025-12-31")  # fmt: skip
    exact = score(document([row], "tables"), [found])
    off = score(document([row], "tables"), [Found(**{**found.__dict__, "section": None})])
    assert (exact.exact, off.exact, off.matched) == (1, 0, 1)
    result = totals([score(document([EXPECTED]), [RIGHT]), exact, off])
    assert (result.rows_exact, result.rows_expected) == (1, 2)
    assert result.failures() == ["table rows exact 50.0% < 95%"]
    result.deadlines = 0.9
    assert result.failures()[-1] == "deadline phrases 90.0% < 97%"


def test_the_command_imports_a_folder_and_exits_on_its_targets(tmp_path, capsys):
    write(tmp_path, "12_quangtri", SOURCE + TEXT, [EXPECTED])
    (tmp_path / "deadlines.tsv").write_text(
        "phrase\treference_date\tkind\tdue\tsource\n"
        "hoàn thành trước ngày 10/12/2023\t2023-11-23\tdate\t2023-12-10\tCV 6202/UBND-KT\n",
        encoding="utf-8",
    )
    assert corpus.main([str(tmp_path), "-v"]) == 0
    out = capsys.readouterr().out
    assert "12_quangtri" in out
    assert "notices: 1 matched of 1 annotated, 1 found: precision 1.000, recall 1.000" in out
    assert "deadline phrases read exactly: 100.0% of 1" in out
    write(tmp_path, "13_wrong_lead", SOURCE + TEXT, [{**EXPECTED, "lead": "Sở Xây dựng"}])
    assert corpus.main([str(tmp_path)]) == 1
    assert "TARGET MISSED: notices precision" in capsys.readouterr().out
