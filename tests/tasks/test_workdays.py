"""Working days of a Vietnamese state office: weekends, public holidays, the office's swaps."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.tasks import workdays

WorkCalendar = workdays.WorkCalendar

PROPERTY = settings(database=None, max_examples=200, deadline=None)
CALENDAR = WorkCalendar()


def d(iso: str) -> date:
    return date.fromisoformat(iso)


def days_from(first: str, last: str) -> list[date]:
    start, end = d(first), d(last)
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


# ---------------------------------------------------------------------------
# Public holidays
# ---------------------------------------------------------------------------


def test_tet_2024_is_off_from_8_to_14_february() -> None:
    assert not any(CALENDAR.is_working_day(day) for day in days_from("2024-02-08", "2024-02-14"))
    assert CALENDAR.is_working_day(d("2024-02-07"))
    assert CALENDAR.is_working_day(d("2024-02-15"))


def test_tet_2025_weekdays_off_from_27_to_31_january() -> None:
    assert not any(CALENDAR.is_working_day(day) for day in days_from("2025-01-25", "2025-02-02"))
    assert CALENDAR.is_working_day(d("2025-01-24"))
    assert CALENDAR.is_working_day(d("2025-02-03"))


@pytest.mark.parametrize(
    ("off", "worked"),
    [
        # 2024: 29/4 given off in exchange for Saturday 4/5, which is worked.
        (["2024-04-29", "2024-04-30", "2024-05-01"], ["2024-04-26", "2024-05-02", "2024-05-04"]),
        # 2025: 2/5 given off in exchange for Saturday 26/4.
        (["2025-04-30", "2025-05-01", "2025-05-02"], ["2025-04-29", "2025-04-26", "2025-05-05"]),
        # 2023: 29/4 (Hùng Kings, a Saturday) and 30/4 (a Sunday) moved to 2/5 and 3/5.
        (["2023-05-01", "2023-05-02", "2023-05-03"], ["2023-04-28", "2023-05-04"]),
    ],
)
def test_reunification_and_labour_day(off: list[str], worked: list[str]) -> None:
    assert [CALENDAR.is_working_day(d(day)) for day in off] == [False] * len(off)
    assert [CALENDAR.is_working_day(d(day)) for day in worked] == [True] * len(worked)


@pytest.mark.parametrize(
    ("off", "worked"),
    [
        # National Day and the day next to it: 2/9 and 3/9 in 2024, 1/9 and 2/9 in 2025.
        (["2024-09-02", "2024-09-03"], ["2024-08-30", "2024-09-04"]),
        (["2025-09-01", "2025-09-02"], ["2025-08-29", "2025-09-03"]),
        # 2023: 1/9 and 2/9 (a Saturday), the latter moved to Monday 4/9.
        (["2023-09-01", "2023-09-04"], ["2023-08-31", "2023-09-05"]),
    ],
)
def test_national_day(off: list[str], worked: list[str]) -> None:
    assert [CALENDAR.is_working_day(d(day)) for day in off] == [False] * len(off)
    assert [CALENDAR.is_working_day(d(day)) for day in worked] == [True] * len(worked)


@pytest.mark.parametrize(
    "day",
    [
        "2024-04-18",  # Thursday, 10th of the 3rd lunar month
        "2025-04-07",  # Monday
        "2026-04-27",  # the holiday falls on Sunday 26/4 and is taken on the Monday
        "2024-01-01",
        "2023-01-02",  # New Year's Day 2023 was a Sunday
    ],
)
def test_hung_kings_day_and_new_year(day: str) -> None:
    assert not CALENDAR.is_working_day(d(day))
    assert CALENDAR.is_holiday(d(day))


def test_ordinary_weekend_is_not_a_holiday_but_is_off() -> None:
    saturday = d("2024-06-08")
    assert not CALENDAR.is_working_day(saturday)
    assert not CALENDAR.is_holiday(saturday)
    assert CALENDAR.is_working_day(d("2024-06-07"))


# ---------------------------------------------------------------------------
# The office's own corrections
# ---------------------------------------------------------------------------


def test_make_up_saturday_counts_as_working() -> None:
    calendar = WorkCalendar(make_up_days=[d("2024-06-08")])
    assert calendar.is_working_day(d("2024-06-08"))
    assert calendar.add_working_days(d("2024-06-07"), 1) == d("2024-06-08")
    assert calendar.working_days_between(d("2024-06-07"), d("2024-06-10")) == 2
    # The default calendar is untouched.
    assert CALENDAR.add_working_days(d("2024-06-07"), 1) == d("2024-06-10")


def test_extra_day_off_is_skipped() -> None:
    calendar = WorkCalendar(extra_days_off=[d("2024-06-10")])
    assert not calendar.is_working_day(d("2024-06-10"))
    assert calendar.is_holiday(d("2024-06-10"))
    assert calendar.add_working_days(d("2024-06-07"), 1) == d("2024-06-11")
    assert calendar.working_days_between(d("2024-06-07"), d("2024-06-11")) == 1


def test_office_lists_override_the_package() -> None:
    # The office may work a public holiday's bridging day, or give a package make-up Saturday off.
    calendar = WorkCalendar(make_up_days=[d("2024-09-03")], extra_days_off=[d("2024-05-04")])
    assert calendar.is_working_day(d("2024-09-03"))
    assert not calendar.is_working_day(d("2024-05-04"))


def test_a_day_in_both_lists_is_refused() -> None:
    with pytest.raises(ValueError, match="2024-06-08"):
        WorkCalendar(extra_days_off=[d("2024-06-08")], make_up_days=[d("2024-06-08")])


def test_lists_may_be_any_iterable() -> None:
    calendar = WorkCalendar(extra_days_off=(day for day in [d("2024-06-10")]))
    assert not calendar.is_working_day(d("2024-06-10"))


# ---------------------------------------------------------------------------
# Arithmetic
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "result"),
    [
        ("2024-06-07", 1, "2024-06-10"),  # Friday + 1 = Monday
        ("2024-06-07", 5, "2024-06-14"),
        ("2024-02-07", 1, "2024-02-15"),  # over Tết
        ("2024-02-07", 2, "2024-02-16"),
        ("2024-02-10", 1, "2024-02-15"),  # from a day off
        ("2024-05-03", 1, "2024-05-04"),  # the make-up Saturday
        ("2024-04-26", 1, "2024-05-02"),  # over 29/4 - 1/5
        ("2024-06-10", -1, "2024-06-07"),
        ("2024-02-15", -1, "2024-02-07"),
        ("2024-02-15", -3, "2024-02-05"),
        ("2024-02-10", -1, "2024-02-07"),
        ("2024-06-10", 0, "2024-06-10"),  # a working day stays
        ("2024-06-08", 0, "2024-06-10"),  # a day off moves forward
        ("2024-02-08", 0, "2024-02-15"),
        ("2023-12-29", 1, "2024-01-02"),  # over New Year's Day
    ],
)
def test_add_working_days(start: str, n: int, result: str) -> None:
    assert CALENDAR.add_working_days(d(start), n) == d(result)
    assert workdays.add_working_days(d(start), n) == d(result)


@pytest.mark.parametrize(
    ("a", "b", "count"),
    [
        ("2024-06-07", "2024-06-07", 0),
        ("2024-06-07", "2024-06-10", 1),  # (Fri, Mon]
        ("2024-06-10", "2024-06-07", -1),
        ("2024-06-08", "2024-06-09", 0),
        ("2024-02-07", "2024-02-15", 1),
        ("2024-01-31", "2024-02-29", 16),  # 21 weekdays in February 2024, 5 of them Tết
        ("2024-02-29", "2024-01-31", -16),
        ("2023-12-31", "2024-12-31", 251),  # 262 weekdays, 12 of them off, plus Saturday 4/5
    ],
)
def test_working_days_between(a: str, b: str, count: int) -> None:
    assert CALENDAR.working_days_between(d(a), d(b)) == count
    assert workdays.working_days_between(d(a), d(b)) == count


def test_module_functions_take_a_calendar() -> None:
    calendar = WorkCalendar(extra_days_off=[d("2024-06-10")])
    assert workdays.add_working_days(d("2024-06-07"), 1, calendar) == d("2024-06-11")
    assert workdays.working_days_between(d("2024-06-07"), d("2024-06-11"), calendar) == 1
    assert workdays.add_working_days(d("2024-06-07"), 1, calendar=None) == d("2024-06-10")


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------

office_days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
offsets = st.integers(min_value=-300, max_value=300)
swaps = st.lists(office_days, max_size=6)


@PROPERTY
@given(office_days, offsets, swaps, swaps)
def test_adding_then_counting_gives_n_back(
    day: date, n: int, days_off: list[date], make_up: list[date]
) -> None:
    calendar = WorkCalendar(extra_days_off=set(days_off) - set(make_up), make_up_days=make_up)
    start = calendar.next_working_day(day)
    result = calendar.add_working_days(start, n)
    assert calendar.working_days_between(start, result) == n
    assert calendar.is_working_day(result)
    assert (result > start) == (n > 0)
    assert (result < start) == (n < 0)


@PROPERTY
@given(office_days, st.integers(-1500, 1500))
def test_counting_is_antisymmetric_and_additive(a: date, span: int) -> None:
    b = a + timedelta(days=span)
    middle = a + timedelta(days=span // 2)
    assert CALENDAR.working_days_between(a, b) == -CALENDAR.working_days_between(b, a)
    assert CALENDAR.working_days_between(a, b) == (
        CALENDAR.working_days_between(a, middle) + CALENDAR.working_days_between(middle, b)
    )


@PROPERTY
@given(office_days)
def test_weekdays_in_a_week_bound_the_count(day: date) -> None:
    # Seven days hold five weekdays, and at most one more when a Saturday is a make-up day.
    assert 0 <= CALENDAR.working_days_between(day, day + timedelta(days=7)) <= 6
    calendar = WorkCalendar(extra_days_off=[day])
    assert not calendar.is_working_day(day)
    calendar = WorkCalendar(make_up_days=[day])
    assert calendar.is_working_day(day)
