"""Periods: the one parser (the dashboard's filter, reports, imports, jobs) and the Decree
09/2019/NĐ-CP cut-off."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.periods import (
    CALENDAR,
    DECREE09,
    Period,
    PeriodError,
    PeriodKind,
    last_closed,
    parse_period,
    period_containing,
)


@pytest.mark.parametrize(
    ("code", "kind", "index"),
    [
        ("2024-03", PeriodKind.MONTH, 3),
        ("2024-12", PeriodKind.MONTH, 12),
        ("2023-Q1", PeriodKind.QUARTER, 1),
        ("2023-q4", PeriodKind.QUARTER, 4),
        ("2024-H1", PeriodKind.HALF, 1),
        ("2024-h2", PeriodKind.HALF, 2),
        (" 2024 ", PeriodKind.YEAR, 1),
    ],
)
def test_parse(code, kind, index):
    period = parse_period(code)
    assert (period.kind, period.index) == (kind, index)
    assert parse_period(period.code) == period  # the code reads back


@pytest.mark.parametrize(
    "text",
    ["", "2024-13", "2024-00", "2024-Q5", "2024-Q0", "2024-H3", "24-Q1", "0001", "0000-Q1",
     "2024-1", "Quý I/2024", "2024-02-30", "99999999999999999999", "2024-Q1\x00"],
)  # fmt: skip
def test_unreadable_periods_are_refused(text):
    with pytest.raises(PeriodError):
        parse_period(text)


# What the dashboard's period filter reads: a period's first and last calendar days.


@pytest.mark.parametrize(
    ("text", "bounds"),
    [
        ("2024", (date(2024, 1, 1), date(2024, 12, 31))),
        ("2024-Q1", (date(2024, 1, 1), date(2024, 3, 31))),
        ("2024-q4", (date(2024, 10, 1), date(2024, 12, 31))),
        ("2024-H1", (date(2024, 1, 1), date(2024, 6, 30))),
        ("2024-H2", (date(2024, 7, 1), date(2024, 12, 31))),
        ("2024-02", (date(2024, 2, 1), date(2024, 2, 29))),  # leap year
        (" 2023-02 ", (date(2023, 2, 1), date(2023, 2, 28))),
    ],
)
def test_period_reads_year_quarter_half_and_month(text, bounds):
    period = parse_period(text)
    assert (period.start, period.end) == bounds


@pytest.mark.parametrize(
    "text",
    ["", "abc", "24", "2024-Q5", "2024-Q0", "2024-H3", "2024-13", "2024-00", "2024-7", "0000"],
)
def test_unreadable_filter_period_is_refused(text):
    with pytest.raises(PeriodError):
        parse_period(text)


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        # Decree 09, art. 12: from the 15th of the month before to the 14th of the last month.
        ("2023-Q1", date(2022, 12, 15), date(2023, 3, 14)),  # across the new year
        ("2023-Q2", date(2023, 3, 15), date(2023, 6, 14)),
        ("2023-Q4", date(2023, 9, 15), date(2023, 12, 14)),
        ("2024-01", date(2023, 12, 15), date(2024, 1, 14)),
        ("2024-03", date(2024, 2, 15), date(2024, 3, 14)),  # February of a leap year inside
        ("2024-H1", date(2023, 12, 15), date(2024, 6, 14)),
        ("2024-H2", date(2024, 6, 15), date(2024, 12, 14)),
        ("2024", date(2023, 12, 15), date(2024, 12, 14)),
    ],
)
def test_decree09_cutoff(code, start, end):
    assert parse_period(code).cutoff(DECREE09) == (start, end)
    assert parse_period(code).cutoff() == (start, end)  # the default


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),  # leap year
        ("2023-02", date(2023, 2, 1), date(2023, 2, 28)),
        ("1900-02", date(1900, 2, 1), date(1900, 2, 28)),  # divisible by 100: not leap
        ("2000-02", date(2000, 2, 1), date(2000, 2, 29)),  # divisible by 400: leap
        ("2023-Q1", date(2023, 1, 1), date(2023, 3, 31)),
        ("2024-Q3", date(2024, 7, 1), date(2024, 9, 30)),
        ("2024-H1", date(2024, 1, 1), date(2024, 6, 30)),
        ("2024", date(2024, 1, 1), date(2024, 12, 31)),
    ],
)
def test_calendar_cutoff(code, start, end):
    period = parse_period(code)
    assert period.cutoff(CALENDAR) == (start, end) == (period.start, period.end)


def test_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="unknown period mode"):
        parse_period("2024").cutoff("lunar")


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("2023-Q1", "Quý I năm 2023"),
        ("2023-Q4", "Quý IV năm 2023"),
        ("2024-03", "tháng 03 năm 2024"),
        ("2024-H1", "6 tháng đầu năm 2024"),
        ("2024-H2", "6 tháng cuối năm 2024"),
        ("2024", "năm 2024"),
    ],
)
def test_labels(code, label):
    assert parse_period(code).label == label


def test_previous_and_next_cross_the_year():
    assert parse_period("2024-Q1").previous().code == "2023-Q4"
    assert parse_period("2023-Q4").next().code == "2024-Q1"
    assert parse_period("2024-01").previous().code == "2023-12"
    assert parse_period("2024-H1").previous().code == "2023-H2"
    assert parse_period("2024").previous().code == "2023"


def test_period_containing_and_last_closed():
    assert period_containing(date(2024, 2, 29), PeriodKind.QUARTER).code == "2024-Q1"
    assert period_containing(date(2024, 7, 1), PeriodKind.HALF).code == "2024-H2"
    # On 20/03 Q1's cut-off (14/03) is over: Q1 is the one to report; on 14/03 it is not.
    assert last_closed(date(2023, 3, 20), PeriodKind.QUARTER).code == "2023-Q1"
    assert last_closed(date(2023, 3, 14), PeriodKind.QUARTER).code == "2022-Q4"
    assert last_closed(date(2023, 3, 20), PeriodKind.QUARTER, CALENDAR).code == "2022-Q4"
    assert last_closed(date(2024, 1, 1), PeriodKind.YEAR, CALENDAR).code == "2023"


@given(
    st.integers(min_value=1901, max_value=2999),
    st.sampled_from(list(PeriodKind)),
    st.integers(min_value=1, max_value=12),
)
def test_cutoffs_tile_the_calendar(year, kind, index):
    """Consecutive periods' cut-offs follow each other without gap or overlap, each is as
    long as its calendar period shifted back by about half a month."""
    count = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 4, PeriodKind.HALF: 2, PeriodKind.YEAR: 1}
    period = Period(year, kind, (index - 1) % count[kind] + 1)
    for mode in (DECREE09, CALENDAR):
        start, end = period.cutoff(mode)
        following = period.next().cutoff(mode)[0]
        assert start <= end
        assert (following - end).days == 1
    assert parse_period(period.code) == period
