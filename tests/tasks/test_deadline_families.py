"""The deadline reader's phrase families of issue 15: numbers in words, anchored recurrences,
lists of quarters, targets, early / mid / current periods, Tết, ranges of days, base years,
two-digit years and status text -- each rule, its conflicts with the older rules, its name in
the package docstring, and properties."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.tasks import deadlines
from app.tasks.deadlines.lunar import tet_holiday, year_of_name
from app.tasks.deadlines.normalise import _fold_fast, _fold_slow, _normalise_with_map

DATE = deadlines.DeadlineKind.DATE
PERIOD = deadlines.DeadlineKind.PERIOD
RECURRING = deadlines.DeadlineKind.RECURRING
CONTINUOUS = deadlines.DeadlineKind.CONTINUOUS
UNSPECIFIED = deadlines.DeadlineKind.UNSPECIFIED
parse = deadlines.parse_deadline
explain = deadlines.explain_deadline
find = deadlines.find_deadline

REF = date(2025, 3, 10)  # after Tết Ất Tỵ (29/1/2025), before Tết Bính Ngọ (17/2/2026)
PROPERTY = settings(database=None, max_examples=200, deadline=None)


def d(iso: str) -> date:
    return date.fromisoformat(iso)


def read(text: str, reference: date = REF) -> tuple[Any, date | None]:
    deadline = parse(text, reference=reference)
    return deadline.kind, deadline.due


# ---------------------------------------------------------------------------
# Numbers repeated in words
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("ngày 15 (mười lăm) tháng 6 năm 2025", "ngày 15 tháng 6 năm 2025"),
        ("chậm nhất ngày 06 (sáu) tháng 06 (sáu)", "chậm nhất ngày 06 tháng 06"),
        ("ngày 25 (hai mươi lăm) tháng 11 (mười một)", "ngày 25 tháng 11"),
        ("định kỳ 06 (sáu) tháng", "định kỳ 06 tháng"),
        ("trong 10 (mười) ngày làm việc", "trong 10 ngày làm việc"),
    ],
)
def test_a_number_repeated_in_words_is_dropped(text: str, plain: str) -> None:
    assert deadlines.normalise(text) == deadlines.normalise(plain)
    assert read(text) == read(plain)


def test_words_in_brackets_that_are_not_a_number_stay() -> None:
    assert deadlines.normalise("năm 2025 (dự kiến)") == "năm 2025 (dự kiến)"
    assert deadlines.normalise("(sáu) tháng") == "(sáu) tháng"  # no number before it


def test_a_clause_with_numbers_in_words_is_returned_as_written() -> None:
    found = find("Gửi báo cáo trước ngày 15 (mười lăm) tháng 6 năm 2025.", reference=REF)
    assert found is not None
    assert found[0] == "trước ngày 15 (mười lăm) tháng 6 năm 2025"
    assert found[1].due == d("2025-06-15")


# ---------------------------------------------------------------------------
# Anchored recurrences
# ---------------------------------------------------------------------------

ANCHORED = [
    # (phrase, reference, due, [(later day, occurrence current at it)])
    ("Hằng năm (trước ngày 20/11)", REF, "2025-11-20", [("2025-11-21", "2026-11-20")]),
    ("hằng năm, trước ngày 15/12", REF, "2025-12-15", []),
    ("Định kỳ hằng năm, trước ngày 15/01 năm sau", REF, "2026-01-15", [("2026-01-16", "2027-01-15")]),
    (
        "định kỳ 6 tháng báo cáo kết quả thực hiện về Bộ Khoa học và Công nghệ trước ngày 15 "
        "tháng 6 và trước ngày 01 tháng 12",
        REF,
        "2025-06-15",
        [("2025-06-16", "2025-12-01"), ("2025-12-02", "2026-06-15")],
    ),
    (
        "Chậm nhất ngày 15 (mười lăm) của tháng báo cáo đối với báo cáo định kỳ hằng tháng",
        REF,
        "2025-03-15",
        [("2025-03-16", "2025-04-15")],
    ),
    (
        "Chậm nhất ngày 06 (sáu) của tháng cuối quý đối với báo cáo định kỳ hằng quý",
        REF,
        "2025-06-06",  # 6 March has passed on 10 March
        [("2025-06-07", "2025-09-06")],
    ),
    (
        "Chậm nhất ngày 06 (sáu) tháng 06 (sáu) đối với báo cáo định kỳ 06 (sáu) tháng",
        REF,
        "2025-06-06",
        [("2025-06-07", "2026-06-06")],
    ),
    ("Báo cáo 6 tháng gửi trước ngày 05/6", REF, "2025-06-05", []),
    ("Báo cáo tháng gửi trước ngày 15 của tháng", REF, "2025-03-15", []),
    ("Báo cáo quý gửi trước ngày 05 tháng cuối cùng của mỗi quý", REF, "2025-06-05", []),
    ("Báo cáo quý gửi chậm nhất vào ngày 20 tháng của cuối quý", REF, "2025-03-20", []),
    (
        "Báo cáo quý gửi trước ngày 20 của tháng liền kề sau quý báo cáo",
        REF,
        "2025-04-20",
        [("2025-04-21", "2025-07-20")],
    ),
    ("trước ngày 15 tháng 2 của năm liền kề sau năm báo cáo", REF, "2026-02-15", []),
    ("Đối với báo cáo năm: Trước ngày 31 tháng 01 của năm tiếp theo năm báo cáo.", REF, "2026-01-31", []),
    ("chậm nhất vào ngày 17 của tháng báo cáo", REF, "2025-03-17", []),
    ("ngày 01 tháng giữa quý", REF, "2025-05-01", [("2025-05-02", "2025-08-01")]),
    ("hằng tháng, trước ngày 25", REF, "2025-03-25", []),
    (
        "định kỳ hằng năm (kỳ báo cáo tính từ ngày 01 tháng 01 đến hết ngày 31 tháng 12) trước "
        "ngày 15 tháng 1 của năm tiếp theo",
        REF,
        "2026-01-15",
        [],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("text", "reference", "due", "later"), ANCHORED)
def test_anchored_recurrences(text: str, reference: date, due: str, later: list) -> None:
    deadline = parse(text, reference=reference)
    assert (deadline.kind, deadline.due) == (RECURRING, d(due))
    assert deadline.rule == "recurring.anchored"
    for day, occurrence in later:
        assert deadline.occurrence_on_or_after(d(day)) == d(occurrence)


def test_an_anchor_in_brackets_makes_hang_nam_anchored_not_a_year() -> None:
    # "Hằng năm" alone is the end of the year; with the anchor, the anchor; the anchor alone is
    # one date.
    assert read("Hằng năm") == (RECURRING, d("2025-12-31"))
    assert read("Hằng năm (trước ngày 20/11)") == (RECURRING, d("2025-11-20"))
    assert read("trước ngày 20/11") == (DATE, d("2025-11-20"))
    found = find(
        "Sở Nội vụ tổng hợp, báo cáo UBND tỉnh hằng năm (trước ngày 20/11).", reference=REF
    )
    assert found is not None
    assert found[0] == "hằng năm (trước ngày 20/11)"
    assert found[1].kind is RECURRING


def test_a_periodic_phrase_with_a_dated_day_is_not_anchored() -> None:
    # Words between the periodic phrase and the day may not hold another number.
    text = "Hằng năm, Sở Tài chính tổng hợp; năm 2025 hoàn thành trước ngày 30/6/2025"
    assert read(text) == (DATE, d("2025-06-30"))


def test_the_anchored_sentence_of_a_resolution_is_found_whole() -> None:
    sentence = (
        "Định kỳ 6 tháng báo cáo kết quả thực hiện về Bộ Khoa học và Công nghệ, Bộ Thông tin và "
        "Truyền thông trước ngày 15 tháng 6 và trước ngày 01 tháng 12."
    )
    found = find(sentence, reference=date(2025, 1, 9))
    assert found is not None
    assert found[0].startswith("Định kỳ 6 tháng")
    assert found[0].endswith("ngày 01 tháng 12")
    assert (found[1].kind, found[1].due) == (RECURRING, d("2025-06-15"))


# ---------------------------------------------------------------------------
# Lists and ranges
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "due", "dues", "rule"),
    [
        ("Quý I, II/2027", "2027-01-01", "2027-06-30", ["2027-03-31", "2027-06-30"], "period.list"),
        (
            "Quý II, IV/2025, 2026",
            "2025-04-01",
            "2026-12-31",
            ["2025-06-30", "2025-12-31", "2026-12-31"],
            "period.list",
        ),
        ("Quý I-II/2025", "2025-01-01", "2025-06-30", ["2025-06-30"], "period.range"),
        ("Quý III - IV năm 2025", "2025-07-01", "2025-12-31", ["2025-12-31"], "period.range"),
        (
            "từ ngày 02/9/2027 đến hết ngày 05/9/2027",
            "2027-09-02",
            "2027-09-05",
            ["2027-09-05"],
            "period.range",
        ),
        (
            "trong tháng 11, tháng 12 năm 2025",
            "2025-11-01",
            "2025-12-31",
            ["2025-11-30", "2025-12-31"],
            "period.list",
        ),
    ],
)
def test_lists_of_quarters_and_ranges_of_days(
    text: str, start: str, due: str, dues: list[str], rule: str
) -> None:
    deadline = parse(text, reference=REF)
    assert (deadline.kind, deadline.start, deadline.due) == (PERIOD, d(start), d(due))
    assert deadline.dues == [d(x) for x in dues]
    assert deadline.rule == rule


def test_a_lone_numeral_is_a_quarter_only_after_a_quarter() -> None:
    assert read("II/2025") == (UNSPECIFIED, None)
    assert read("tháng 6, II/2025") == (UNSPECIFIED, None)


# ---------------------------------------------------------------------------
# Targets, early / mid / current periods, two-digit years
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "due", "rule"),
    [
        ("Phấn đấu đến năm 2030", "2030-12-31", "date.target"),
        ("phấn đấu hoàn thành đến năm 2028", "2028-12-31", "date.target"),
        ("đến năm 2030", "2030-12-31", "date.target"),
        ("đầu năm 2025", "2025-03-31", "date.early-mid"),
        ("giữa năm 2025", "2025-06-30", "date.early-mid"),
        ("đầu năm sau", "2026-03-31", "date.early-mid"),
        ("đầu quý II/2025", "2025-04-30", "date.early-mid"),
        ("giữa quý II/2025", "2025-05-31", "date.early-mid"),
        ("đầu tháng 6/2025", "2025-06-10", "date.early-mid"),
        ("giữa tháng 6/2025", "2025-06-20", "date.early-mid"),
        ("đầu năm", "2025-03-31", "date.early-mid"),  # the first on or after 10/3/2025
        ("trong quý", "2025-03-31", "date.current-period"),
        ("trong tháng", "2025-03-31", "date.current-period"),
        ("trong năm", "2025-12-31", "date.current-period"),
        ("trong tuần", "2025-03-16", "date.current-period"),
        ("cuối quý", "2025-03-31", "date.current-period"),
        ("tháng 6/24", "2024-06-30", "date.month"),
        ("Tháng 12/25", "2025-12-31", "date.month"),
        ("Quý II/25", "2025-06-30", "date.quarter"),
        ("trước ngày 15/01 năm sau", "2026-01-15", "date.day"),
        ("ngày 30 tháng 6 năm nay", "2025-06-30", "date.day"),
    ],
)
def test_targets_early_mid_current_and_short_years(text: str, due: str, rule: str) -> None:
    deadline = parse(text, reference=REF)
    assert (deadline.kind, deadline.due, deadline.rule) == (DATE, d(due), rule)


@pytest.mark.parametrize("text", ["30/9/24", "6/24", "trong năm học 2024-2025", "tháng 6/245"])
def test_short_years_and_school_years_are_not_read(text: str) -> None:
    assert read(text) == (UNSPECIFIED, None)


@pytest.mark.parametrize(
    ("sentence", "span", "due"),
    [
        ("Hoàn thành đến năm 2028 và duy trì đến năm 2030.", "Hoàn thành đến năm 2028", "2028-12-31"),
        ("Dự án khánh thành đầu năm 2026.", "đầu năm 2026", "2026-03-31"),
        ("Báo cáo UBND tỉnh trong tháng.", "trong tháng", "2025-03-31"),
        ("Với mục tiêu tới ngày 15/1 không còn hộ dân nào.", "tới ngày 15/1", "2026-01-15"),
        ("Điều chỉnh thời hạn theo NQ71 là tháng 9/2025", "là tháng 9/2025", "2025-09-30"),
        ("Thực hiện từ ngày 01/10 đến ngày 31/10/2025.", "từ ngày 01/10 đến ngày 31/10/2025", "2025-10-31"),
        ("Từ ngày 15/12/2024 đến 14/2/2025, Bộ Công an ra quân.", "Từ ngày 15/12/2024 đến 14/2/2025", "2025-02-14"),
    ],
)  # fmt: skip
def test_new_introducers_in_sentences(sentence: str, span: str, due: str) -> None:
    found = find(sentence, reference=REF)
    assert found is not None
    assert (found[0], found[1].due) == (span, d(due))


@pytest.mark.parametrize(
    "sentence",
    [
        "Kết quả 6 tháng đầu năm 2024 của tỉnh.",
        "Từ đầu năm 2025 đến nay, tỉnh đã giải ngân 30% kế hoạch.",
        "Tính đến ngày 24/5/2025, có 22/22 bộ, ngành đã xây dựng kế hoạch.",
        "Số liệu báo cáo 6 tháng đầu năm tính từ ngày 01/01 đến ngày 30/06 của năm báo cáo.",
        "Quyết định có hiệu lực từ ngày 01/7/2025.",
        "Kỳ báo cáo tính từ ngày 15 tháng 12 năm trước đến ngày 14 tháng 6.",
        "Chương trình tầm nhìn đến năm 2045 của tỉnh.",
        "Tổ chức khai giảng năm học trong năm học mới.",
        "Thời hạn giải quyết là 10 ngày làm việc.",
        "Năm học này là năm 2025.",
    ],
)
def test_new_introducers_do_not_read_reports_titles_or_ranges(sentence: str) -> None:
    assert find(sentence, reference=REF) is None


# ---------------------------------------------------------------------------
# Tết
# ---------------------------------------------------------------------------


def test_tet_days_come_from_the_lunar_calendar() -> None:
    assert tet_holiday(2024) == (d("2024-02-10"), d("2024-02-14"))
    assert tet_holiday(2025) == (d("2025-01-29"), d("2025-02-02"))  # Sat 1/2 + Sunday
    assert tet_holiday(2026) == (d("2026-02-17"), d("2026-02-22"))
    assert tet_holiday(2101) is None


@pytest.mark.parametrize(
    ("stem", "branch", "near", "year"),
    [
        ("bính", "ngọ", 2025, 2026),
        ("ất", "tỵ", 2025, 2025),
        ("giáp", "thìn", 2025, 2024),
        ("giáp", "tý", 2025, 2044),  # 1984 and 2044: the nearer
        ("kỉ", "hợi", 2025, 2019),
        ("quý", "mão", 2025, 2023),
        ("giáp", "sửu", 2025, None),  # a stem and a branch that never meet
    ],
)
def test_can_chi_names_a_year(stem: str, branch: str, near: int, year: int | None) -> None:
    assert year_of_name(stem, branch, near) == year


@pytest.mark.parametrize(
    ("text", "reference", "due", "rule"),
    [
        ("trước Tết Nguyên đán", date(2025, 1, 10), "2025-01-28", "date.tet-before"),
        ("trước Tết Nguyên đán", REF, "2026-02-16", "date.tet-before"),
        ("trước Tết", date(2026, 2, 16), "2026-02-16", "date.tet-before"),
        ("Trước Tết Nguyên đán Bính Ngọ", REF, "2026-02-16", "date.tet-before"),
        ("trước Tết Nguyên đán Bính Ngọ năm 2026", REF, "2026-02-16", "date.tet-before"),
        ("trước Tết Nguyên đán 2027", REF, "2027-02-05", "date.tet-before"),
        ("sau Tết", date(2025, 1, 10), "2025-02-02", "date.tet-after"),
        ("sau Tết Nguyên đán", date(2025, 2, 20), "2025-02-02", "date.tet-after"),
        ("sau Tết Nguyên đán", date(2025, 3, 10), "2026-02-22", "date.tet-after"),
        ("sau kỳ nghỉ Tết Nguyên đán Ất Tỵ", REF, "2025-02-02", "date.tet-after"),
        ("Tết Nguyên đán 2026", REF, "2026-02-22", "date.tet"),
        ("trước Tết Dương lịch", REF, "2025-12-31", "date.tet-before"),
    ],
)
def test_tet(text: str, reference: date, due: str, rule: str) -> None:
    deadline = parse(text, reference=reference)
    assert (deadline.kind, deadline.due, deadline.rule) == (DATE, d(due), rule)


@pytest.mark.parametrize(
    "text", ["trước Tết Nguyên đán Bính Ngọ năm 2025", "trước Tết Nguyên đán 2150", "Tết Giáp Sửu"]
)
def test_tet_that_names_no_known_day_is_not_read(text: str) -> None:
    assert read(text) == (UNSPECIFIED, None)


def test_tet_in_a_sentence() -> None:
    sentence = (
        "Việc này nhằm giúp người dân sớm ổn định chỗ ở, bảo đảm sinh kế, thu nhập trước Tết "
        "Nguyên đán Bính Ngọ 2026"
    )
    found = find(sentence, reference=date(2026, 1, 1))
    assert found is not None
    assert (found[0], found[1].due) == ("trước Tết Nguyên đán Bính Ngọ 2026", d("2026-02-16"))
    late = find("Hoạt động trở lại bình thường ngay sau kỳ nghỉ Tết", reference=date(2026, 2, 24))
    assert late is not None
    assert late[1].due == d("2026-02-22")


@PROPERTY
@given(st.dates(date(1991, 1, 1), date(2099, 6, 30)))
def test_before_tet_is_the_eve_of_the_first_tet_after_the_reference(reference: date) -> None:
    deadline = parse("trước Tết Nguyên đán", reference=reference)
    assert deadline.kind is DATE
    assert deadline.due is not None
    assert deadline.due >= reference
    first = deadline.due + timedelta(days=1)
    assert tet_holiday(first.year) is not None
    assert tet_holiday(first.year)[0] == first  # type: ignore[index]
    # No Tết begins between the reference and that one.
    earlier = tet_holiday(first.year - 1)
    assert earlier is None or earlier[0] <= reference


@PROPERTY
@given(st.dates(date(1991, 1, 1), date(2099, 6, 30)))
def test_after_tet_is_the_end_of_a_tet_holiday_near_the_reference(reference: date) -> None:
    deadline = parse("sau Tết", reference=reference)
    assert deadline.due is not None
    holiday = tet_holiday(deadline.due.year)
    assert holiday is not None
    assert holiday[1] == deadline.due
    # Either the coming holiday, or one that ended less than a month ago.
    assert deadline.due >= reference or reference - deadline.due <= timedelta(days=31)


# ---------------------------------------------------------------------------
# Base years
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reference", "due", "later"),
    [
        (
            "Định kỳ 3 năm/lần, bắt đầu từ năm 2025",
            REF,
            "2025-12-31",
            [("2026-01-01", "2028-12-31"), ("2028-12-31", "2028-12-31"), ("2029-01-01", "2031-12-31")],
        ),
        ("Định kỳ 3 năm/lần, bắt đầu từ năm 2025", date(2020, 5, 1), "2025-12-31", []),
        ("hằng năm kể từ năm 2028", REF, "2028-12-31", [("2029-03-01", "2029-12-31")]),
        ("định kỳ 2 năm một lần từ năm 2024", REF, "2026-12-31", []),
        ("trước ngày 30/6 hằng năm, bắt đầu từ năm 2027", REF, "2027-06-30", [("2027-07-01", "2028-06-30")]),
        ("hằng quý kể từ năm 2026", REF, "2026-03-31", [("2026-04-01", "2026-06-30")]),
    ],
)  # fmt: skip
def test_recurrences_with_a_base_year(text: str, reference: date, due: str, later: list) -> None:
    deadline = parse(text, reference=reference)
    assert (deadline.kind, deadline.due, deadline.rule) == (
        RECURRING,
        d(due),
        "recurring.base-year",
    )
    for day, occurrence in later:
        assert deadline.occurrence_on_or_after(d(day)) == d(occurrence)
    again = deadlines.Deadline.from_json(deadline.to_json(), text=text)
    assert again == deadline


def test_a_base_year_is_found_in_a_sentence() -> None:
    sentence = "Định kỳ 3 năm/lần, bắt đầu từ năm 2025, Sở Tài nguyên và Môi trường đánh giá."
    found = find(sentence, reference=REF)
    assert found is not None
    assert found[0] == "Định kỳ 3 năm/lần, bắt đầu từ năm 2025"
    assert (found[1].kind, found[1].due) == (RECURRING, d("2025-12-31"))


@PROPERTY
@given(
    st.integers(1, 5),
    st.integers(2000, 2060),
    st.dates(date(1995, 1, 1), date(2090, 12, 31)),
)
def test_a_base_year_cycle_falls_on_its_years(interval: int, base: int, day: date) -> None:
    deadline = parse(f"Định kỳ {interval} năm/lần, bắt đầu từ năm {base}", reference=day)
    occurrence = deadline.occurrence_on_or_after(day)
    assert occurrence is not None
    assert occurrence >= day
    assert occurrence.year >= base
    assert (occurrence.year - base) % interval == 0
    assert (occurrence.month, occurrence.day) == (12, 31)
    assert deadline.occurrence_on_or_after(occurrence + timedelta(days=1)) > occurrence


@pytest.mark.parametrize(
    ("text", "due"),
    [("1 lần/năm", "2025-12-31"), ("02 lần/năm", "2025-06-30"), ("4 lần/năm", "2025-03-31")],
)
def test_times_a_year(text: str, due: str) -> None:
    deadline = parse(text, reference=REF)
    assert (deadline.kind, deadline.due, deadline.rule) == (RECURRING, d(due), "recurring.periodic")
    assert read("5 lần/năm") == (UNSPECIFIED, None)  # 12 months do not divide by 5


# ---------------------------------------------------------------------------
# Status text and extra words in a cell
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "due", "via"),
    [
        ("Nhiệm vụ thường xuyên", CONTINUOUS, None, "phrase"),
        ("Điều chỉnh thời hạn theo NQ71 là tháng 9/2025", DATE, "2025-09-30", "clause"),
        (
            "2023-2025\nSở Tư pháp đã hoàn thành năm 2024",
            PERIOD,
            "2025-12-31",
            "leading expression",
        ),
        ("Tháng 6/2024. Đã hoàn thành tháng 5/2024", DATE, "2024-06-30", "leading expression"),
        ("Quý II/2025 (Sở Nội vụ đã trình)", DATE, "2025-06-30", "leading expression"),
        ("Năm 2025: các sở đã hoàn thành", DATE, "2025-12-31", "leading expression"),
    ],
)
def test_status_text_in_a_cell(text: str, kind: Any, due: str | None, via: str) -> None:
    explained = explain(text, reference=REF)
    assert (explained["kind"], explained["due"], explained["via"]) == (kind.value, due, via)
    assert parse(text, reference=REF).due == (d(due) if due else None)


def test_a_leading_expression_needs_the_end_of_its_sentence() -> None:
    # Without a sentence break the cell is a sentence, read through its clause (none here).
    assert read("2025 và những năm tiếp theo") == (UNSPECIFIED, None)
    assert read("Năm 2024, Sở Tư pháp đã hoàn thành") == (UNSPECIFIED, None)


# ---------------------------------------------------------------------------
# Explanations: every rule named is a rule of the docstring
# ---------------------------------------------------------------------------

RULE_RE = re.compile(r"\[((?:date|period|recurring|unspecified)(?:\.[a-z-]+)?|continuous)\]")
EXAMPLES = [
    "30/9/2025", "Tháng 6/2025", "Quý II/2025", "6 tháng đầu năm 2025", "2030",
    "Phấn đấu đến năm 2030", "đầu năm 2026", "trước năm 2026", "trước Tết", "sau Tết",
    "Tết Nguyên đán 2026", "trong tháng này", "cuối năm", "Giai đoạn 2023-2025", "2023; 2027",
    "Hằng năm", "trước ngày 25 hằng tháng", "hằng năm kể từ năm 2028", "Thường xuyên",
    "Theo tiến độ được giao", "-", "31/2/2024",
]  # fmt: skip


def test_every_rule_an_explanation_names_is_in_the_docstring() -> None:
    documented = set(RULE_RE.findall(deadlines.__doc__ or ""))
    named = {explain(text, reference=REF)["rule"] for text in EXAMPLES}
    assert named <= documented
    # ... and every documented rule is reachable.
    assert documented == named


def test_explain_gives_the_span_read() -> None:
    explained = explain("Theo kế hoạch, hoàn thành trước ngày 30/6/2025", reference=REF)
    assert explained == {
        "rule": "date.day",
        "via": "clause",
        "span": "trước ngày 30/6/2025",
        "kind": "date",
        "due": "2025-06-30",
        "start": None,
        "dues": ["2025-06-30"],
    }
    assert explain("", reference=REF)["rule"] == "unspecified.blank"


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------

NEW_PHRASES = [
    "Hằng năm (trước ngày 20/11)",
    "Quý I, II/2027",
    "Quý I-II/2025",
    "trước Tết Nguyên đán",
    "trước Tết Nguyên đán Bính Ngọ",
    "đầu năm 2025",
    "giữa tháng 6/2025",
    "Định kỳ 3 năm/lần, bắt đầu từ năm 2025",
    "Chậm nhất ngày 15 của tháng báo cáo đối với báo cáo định kỳ hằng tháng",
    "từ ngày 02/9/2027 đến hết ngày 05/9/2027",
    "Nhiệm vụ thường xuyên",
    "Phấn đấu đến năm 2030",
    "tháng 6/24",
]


@st.composite
def disguised(draw: st.DrawFn) -> tuple[str, str]:
    phrase = draw(st.sampled_from(NEW_PHRASES))
    text = phrase
    if draw(st.booleans()):
        text = text.upper()
    if draw(st.booleans()):
        text = text.replace("-", draw(st.sampled_from(["–", "—", "−"])))
    if draw(st.booleans()):
        gap = draw(st.sampled_from(["  ", " \n\n", "\t", "\u00a0"]))
        text = text.replace(" ", gap) + " "
    if draw(st.booleans()):
        text = unicodedata.normalize("NFD", text)
    return phrase, text


def _value(deadline: Any) -> tuple[Any, ...]:
    return (deadline.kind, deadline.due, deadline.start, deadline.dues, deadline.recurrence)


@PROPERTY
@given(disguised(), st.dates(date(1995, 1, 1), date(2095, 12, 31)))
def test_new_rules_ignore_case_spacing_dashes_and_composition(
    pair: tuple[str, str], reference: date
) -> None:
    phrase, text = pair
    assert _value(parse(text, reference=reference)) == _value(parse(phrase, reference=reference))


@PROPERTY
@given(st.sampled_from(NEW_PHRASES), st.dates(date(1995, 1, 1), date(2095, 12, 31)))
def test_new_rules_keep_due_after_start(phrase: str, reference: date) -> None:
    deadline = parse(phrase, reference=reference)
    if deadline.start is not None and deadline.due is not None:
        assert deadline.start <= deadline.due
    assert (deadline.due is None) == (deadline.dues == [])


@PROPERTY
@given(
    st.sampled_from(["ngày {n} tháng 6 năm 2025", "định kỳ {n} tháng", "chậm nhất ngày {n} hằng tháng"]),
    st.sampled_from([("06", "sáu"), ("15", "mười lăm"), ("12", "mười hai"), ("25", "hai mươi lăm")]),
    st.dates(date(2000, 1, 1), date(2090, 12, 31)),
)  # fmt: skip
def test_a_number_in_words_never_changes_the_reading(
    form: str, number: tuple[str, str], reference: date
) -> None:
    digits, words = number
    plain = parse(form.format(n=digits), reference=reference)
    spelled = parse(form.format(n=f"{digits} ({words})"), reference=reference)
    assert _value(plain) == _value(spelled)


@PROPERTY
@given(st.text(max_size=60))
def test_the_fast_normalisation_agrees_with_the_character_loop(text: str) -> None:
    fast = _fold_fast(text)
    if fast is not None:
        assert fast == _fold_slow(text)
    folded, starts, ends = _normalise_with_map(text)
    assert len(folded) == len(starts) == len(ends)
    assert all(0 <= s < e <= len(text) for s, e in zip(starts, ends, strict=True))


@PROPERTY
@given(
    # Quarters are listed in order; one written after a later one is of the year before.
    st.lists(st.sampled_from(["I", "II", "III", "IV"]), min_size=2, max_size=4, unique=True).map(
        lambda quarters: sorted(quarters, key=["I", "II", "III", "IV"].index)
    ),
    st.integers(2000, 2100),
)
def test_a_list_of_quarters_sharing_a_year_ends_with_the_last(
    quarters: list[str], year: int
) -> None:
    roman = {"I": 1, "II": 2, "III": 3, "IV": 4}
    text = "Quý " + ", ".join(quarters) + f"/{year}"
    deadline = parse(text, reference=REF)
    last = max(roman[q] for q in quarters)
    first = min(roman[q] for q in quarters)
    assert deadline.kind is PERIOD
    assert deadline.due == date(year, 3 * last, 30 if last in (2, 3) else 31)
    assert deadline.start == date(year, 3 * first - 2, 1)
