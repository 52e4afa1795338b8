"""The plan parser against seed 004 (Kế hoạch thống kê 2022) and its YAML transcription."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import yaml

from app.imports.parsers.plan import PlanRow, parse_plan, split_names

ROOT = Path(__file__).resolve().parents[3]
SEED_TEXT = Path("/work/shared/seeds/004_a64d85ba5af9e3d9.txt")
PLAN_YAML = ROOT / "seeds" / "plan_statistics_2022.yaml"
AGENCIES_YAML = ROOT / "seeds" / "agencies.yaml"

# The PDF copy glues "các huyện" into "cáchuyện" in row 1.4.5.4's Phối hợp cell; the parser
# splits it back (in an owner cell "các" is always followed by an administrative noun).
FIELDS = {  # PlanRow field → YAML row key
    "outline": "outline",
    "code": "code",
    "title": "title",
    "lead_text": "lead_text",
    "coordinators_text": "coordinators_text",
    "start_text": "start",
    "deadline_text": "deadline",
    "product": "product",
}


def seed_text() -> str:
    if not SEED_TEXT.exists():
        pytest.skip(f"seed document {SEED_TEXT} not available")
    return SEED_TEXT.read_text(encoding="utf-8")


def yaml_rows() -> list[dict]:
    """The YAML rows, each with its section number and title."""
    data = yaml.safe_load(PLAN_YAML.read_text(encoding="utf-8"))
    return [
        {**row, "section_number": section["number"], "section_title": section["title"]}
        for section in data["sections"]
        for row in section["rows"]
    ]


def canonical_names() -> dict[str, str]:
    """Every agency name and alias (case-folded) → the canonical name."""
    names = {}
    for agency in yaml.safe_load(AGENCIES_YAML.read_text(encoding="utf-8")):
        for name in [agency["name"], *(agency["aliases"] or [])]:
            names[name.casefold()] = agency["name"]
    return names


def expected_parent(outline: str, seen: set[str]) -> str | None:
    parts = outline.split(".")
    return next(
        (".".join(parts[:c]) for c in range(len(parts) - 1, 0, -1) if ".".join(parts[:c]) in seen),
        None,
    )


def differences(row: PlanRow, expected: dict, canon: dict[str, str]) -> dict[str, tuple]:
    """Field → (parsed, YAML) for every field that differs."""
    out = {}
    pairs = {name: (getattr(row, name), expected[key]) for name, key in FIELDS.items()}
    pairs["section_number"] = (row.section_number, expected["section_number"])
    pairs["section_title"] = (row.section_title, expected["section_title"])
    # The YAML names the canonical agency of the first lead and the concrete coordinators
    # (groups left out); the parser lists names as written, so resolve them the same way.
    lead = canon.get(row.leads[0].casefold()) if row.leads else None
    pairs["leads"] = (lead, expected["lead"])
    resolved = [canon[n.casefold()] for n in row.coordinators if n.casefold() in canon]
    pairs["coordinators"] = (resolved, expected["coordinators"])
    for name, (got, want) in pairs.items():
        if got != want:
            out[name] = (got, want)
    return out


@pytest.fixture(scope="module")
def parsed() -> list[PlanRow]:
    return parse_plan(seed_text())


def test_every_row_matches_the_yaml_field_by_field(parsed):
    expected = yaml_rows()
    canon = canonical_names()
    assert [r.outline for r in parsed] == [str(e["outline"]) for e in expected]
    seen: set[str] = set()
    found = {}
    for row, want in zip(parsed, expected, strict=True):
        assert row.parent_outline == expected_parent(row.outline, seen), row.outline
        seen.add(row.outline)
        for name, pair in differences(row, want, canon).items():
            found[(row.outline, name)] = pair
    assert found == {}


def test_precision_and_recall_against_the_yaml(parsed, capsys):
    expected = {str(e["outline"]): e for e in yaml_rows()}
    canon = canonical_names()
    exact = [
        r
        for r in parsed
        if r.outline in expected and not differences(r, expected[r.outline], canon)
    ]
    listed = [r for r in parsed if r.outline in expected]
    row_p, row_r = len(listed) / len(parsed), len(listed) / len(expected)
    exact_p, exact_r = len(exact) / len(parsed), len(exact) / len(expected)
    with capsys.disabled():
        print(
            f"\nplan 004: rows found P={row_p:.3f} R={row_r:.3f}; "
            f"rows exact in every field P={exact_p:.3f} R={exact_r:.3f} "
            f"({len(exact)}/{len(expected)})"
        )
    assert (row_p, row_r) == (1.0, 1.0)
    assert (exact_p, exact_r) == (1.0, 1.0)


def test_sections_hold_107_and_18_rows(parsed):
    counts: dict[str, int] = {}
    for row in parsed:
        counts[row.section_number] = counts.get(row.section_number, 0) + 1
    assert counts == {"I": 107, "II": 18}
    assert parsed[-1].section_title == (
        "CÁC HOẠT ĐỘNG TRIỂN KHAI THỰC HIỆN, THEO DÕI VÀ ĐÁNH GIÁ THỰC HIỆN CHIẾN LƯỢC"
    )


def test_parent_rows_and_owners(parsed):
    by_outline = {r.outline: r for r in parsed}
    assert not by_outline["1.1.2"].has_owners
    assert by_outline["1.1.2.8"].parent_outline == "1.1.2"
    assert by_outline["5.3.2.1"].parent_outline == "5.3"  # 5.3.2 is not printed
    assert by_outline["10"].parent_outline is None
    assert by_outline["2.4"].has_owners  # a parent row with its own owners
    row = by_outline["1.4.2.5"]
    assert row.leads == ("UBND tỉnh", "các sở, ban, ngành", "UBND các huyện, thị xã, thành phố")
    assert row.coordinators == ("Cục Thống kê",)


def test_times_as_written_and_the_deadline_phrase(parsed):
    by_outline = {r.outline: r for r in parsed}
    assert by_outline["1.1.2.8"].deadline_phrase == "2022 2030"
    assert (by_outline["1.3.1"].start_text, by_outline["1.3.1"].deadline_text) == (None, "Hằng năm")
    assert by_outline["11.4.2"].deadline_text == "2023; 2027"
    assert by_outline["11.1"].deadline_phrase == "Tháng 7/2022 Tháng 8/2022"
    assert by_outline["10.2.2"].start_text is None
    assert by_outline["4.4.1.4"].deadline_phrase is None


def test_lost_glyphs_are_restored(parsed):
    by_outline = {r.outline: r for r in parsed}
    assert "Bắc Trung bộ" in by_outline["4.4.1.6"].title
    assert "clip ngắn" in by_outline["4.5.2"].product


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "Các sở, ban, ngành; UBND các huyện, thị xã, thành phố",
            ("Các sở, ban, ngành", "UBND các huyện, thị xã, thành phố"),
        ),
        (
            "Cục Thống kê và các sở, ban, ngành liên quan",
            ("Cục Thống kê", "các sở, ban, ngành liên quan"),
        ),
        (
            "Sở Thông tin và Truyền thông; các cơ quan Thông tấn, báo chí",
            ("Sở Thông tin và Truyền thông", "các cơ quan Thông tấn, báo chí"),
        ),
        (
            "Các đơn vị đào tạo: Đại học Quy Nhơn, Cao đẳng Thống kê",
            ("Đại học Quy Nhơn", "Cao đẳng Thống kê"),
        ),
        ("Cục Thống kê, Sở Tài chính", ("Cục Thống kê", "Sở Tài chính")),
        (None, ()),
    ],
)
def test_split_names(text, names):
    assert split_names(text) == names


def test_output_is_nfc_and_plain_data():
    text = unicodedata.normalize("NFD", seed_text())
    rows = parse_plan(text)
    assert len(rows) == 125
    data = rows[3].to_dict()
    assert data["leads"] == ["Cục Thống kê"]
    assert all(unicodedata.is_normalized("NFC", v) for v in data.values() if isinstance(v, str))


# -- bad input ------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["", "   \n\n  "])
def test_empty_text_is_refused(text):
    with pytest.raises(ValueError, match="empty"):
        parse_plan(text)


def test_text_without_rows_is_refused():
    with pytest.raises(ValueError, match="no numbered rows"):
        parse_plan("Kế hoạch\nkhông có bảng")


def test_empty_table_is_refused():
    with pytest.raises(ValueError, match="empty"):
        parse_plan([])


def test_unexpected_columns_name_what_is_missing_and_what_was_found():
    rows = [["STT", "Tên", "Ghi chú"], ["1", "Việc", "x"]]
    with pytest.raises(ValueError, match="header not recognised") as caught:
        parse_plan(rows)
    message = str(caught.value)
    assert "missing columns" in message
    assert "Chủ trì (lead)" in message
    assert "(deadline)" not in message  # a plan may have no time column (Phụ lục I: chỉ tiêu)
    assert "found: 'STT', 'Tên', 'Ghi chú'" in message


def test_header_only_table_is_refused():
    header = [
        [
            "STT",
            "Nội dung công việc",
            "Mã số",
            "Chủ trì",
            "Phối hợp",
            "TG bắt đầu",
            "TG hoàn thành",
            "Sản phẩm",
        ],
        ["(A)", "(B)", "(C)", "(D)", "(E)", "(F)", "(G)", "(H)"],
    ]
    with pytest.raises(ValueError, match="has a header but no rows"):
        parse_plan(header)


def test_explicit_column_mapping():
    rows = [
        ["No.", "Task", "Owner", "With", "Due"],
        ["1", "Xây dựng kế hoạch", "Cục Thống kê", "Sở Tài chính, Sở Nội vụ", "Hằng năm"],
    ]
    with pytest.raises(ValueError, match="missing columns"):
        parse_plan(rows)
    columns = {"outline": 0, "title": "task", "lead": 2, "coordinators": "With", "deadline": 4}
    (row,) = parse_plan(rows, columns=columns)
    assert (row.outline, row.title, row.leads, row.coordinators, row.deadline_text) == (
        "1",
        "Xây dựng kế hoạch",
        ("Cục Thống kê",),
        ("Sở Tài chính", "Sở Nội vụ"),
        "Hằng năm",
    )
    with pytest.raises(ValueError, match="no column headed 'Hạn'"):
        parse_plan(rows, columns={**columns, "deadline": "Hạn"})
    with pytest.raises(ValueError, match="do not map Chủ trì"):
        parse_plan(rows, columns={"outline": 0, "title": 1, "deadline": 4})


def test_glued_words_in_owner_cells_are_split_back():
    from app.imports.parsers.plan import repair_owner_text

    assert repair_owner_text("UBND cáchuyện, thị xã") == "UBND các huyện, thị xã"
    assert repair_owner_text("Cácsở, ban, ngành") == "Các sở, ban, ngành"
    assert repair_owner_text("Sở Tài chính; Cục Thống kê") == "Sở Tài chính; Cục Thống kê"
