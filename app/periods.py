"""Reporting periods and their data cut-off (pure: no app, no database, no clock).

A period is written "2024-03" (month), "2024-Q1" (quarter), "2024-H1" (half-year) or "2024"
(year). Its data cut-off follows Decree 09/2019/NĐ-CP, art. 12, by default: from the 15th of
the month before the period to the 14th of its last month ("decree09"):

- month 03/2024: 15/02/2024 → 14/03/2024;
- quarter I/2023: 15/12/2022 → 14/03/2023;
- half-year I/2024: 15/12/2023 → 14/06/2024;
- year 2024: 15/12/2023 → 14/12/2024.

With REPORT_PERIODS = "calendar" the cut-off is the period itself (01/01 → 31/03 for Q1,
01/02 → 29/02 in a leap year).
"""

from __future__ import annotations

import calendar
import enum
import re
from dataclasses import dataclass
from datetime import date

DECREE09 = "decree09"
CALENDAR = "calendar"
MODES = (DECREE09, CALENDAR)
ROMAN = ("I", "II", "III", "IV")

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_HALF = re.compile(r"^(\d{4})-H([12])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class PeriodKind(enum.StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"


# Months in each kind of period.
LENGTH = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.HALF: 6, PeriodKind.YEAR: 12}


class PeriodError(ValueError):
    """The text names no period."""


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period: `index` is the month (1–12), quarter (1–4), half (1–2) or 1."""

    year: int
    kind: PeriodKind
    index: int = 1

    @property
    def code(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return f"{self.year:04d}-{self.index:02d}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.year:04d}-Q{self.index}"
        if self.kind == PeriodKind.HALF:
            return f"{self.year:04d}-H{self.index}"
        return f"{self.year:04d}"

    @property
    def first_month(self) -> int:
        return (self.index - 1) * LENGTH[self.kind] + 1

    @property
    def last_month(self) -> int:
        return self.index * LENGTH[self.kind]

    @property
    def start(self) -> date:
        """The calendar period's first day."""
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        """The calendar period's last day."""
        return _month_end(self.year, self.last_month)

    def cutoff(self, mode: str = DECREE09) -> tuple[date, date]:
        """First and last day of the data the report covers, both included."""
        if mode == CALENDAR:
            return self.start, self.end
        if mode != DECREE09:
            raise ValueError(f"unknown period mode {mode!r}; use one of {', '.join(MODES)}")
        year, month = _previous_month(self.year, self.first_month)
        return date(year, month, 15), date(self.year, self.last_month, 14)

    @property
    def label(self) -> str:
        """How a Vietnamese report names it: "Quý I năm 2023", "6 tháng đầu năm 2024"."""
        if self.kind == PeriodKind.MONTH:
            return f"tháng {self.index:02d} năm {self.year}"
        if self.kind == PeriodKind.QUARTER:
            return f"Quý {ROMAN[self.index - 1]} năm {self.year}"
        if self.kind == PeriodKind.HALF:
            return f"6 tháng {'đầu' if self.index == 1 else 'cuối'} năm {self.year}"
        return f"năm {self.year}"

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        if self.index > 1:
            return Period(self.year, self.kind, self.index - 1)
        return Period(self.year - 1, self.kind, 12 // LENGTH[self.kind])

    def next(self) -> Period:
        """The period of the same kind just after this one."""
        if self.index < 12 // LENGTH[self.kind]:
            return Period(self.year, self.kind, self.index + 1)
        return Period(self.year + 1, self.kind, 1)

    def __str__(self) -> str:
        return self.code


def parse_period(text: str) -> Period:
    """The period written "2024-03", "2024-Q1", "2024-H1" or "2024"; PeriodError otherwise."""
    text = (text or "").strip()
    period: Period | None = None
    if match := _YEAR.match(text):
        period = Period(int(match[1]), PeriodKind.YEAR)
    elif match := _QUARTER.match(text):
        period = Period(int(match[1]), PeriodKind.QUARTER, int(match[2]))
    elif match := _HALF.match(text):
        period = Period(int(match[1]), PeriodKind.HALF, int(match[2]))
    elif (match := _MONTH.match(text)) and 1 <= int(match[2]) <= 12:
        period = Period(int(match[1]), PeriodKind.MONTH, int(match[2]))
    # Year 1 would need a cut-off in year 0, which the calendar does not have.
    if period is None or period.year < 2:
        raise PeriodError(text)
    return period


def period_containing(day: date, kind: PeriodKind) -> Period:
    """The calendar period of `kind` that `day` falls in."""
    months = LENGTH[kind]
    return Period(day.year, kind, (day.month - 1) // months + 1)


def last_closed(day: date, kind: PeriodKind, mode: str = DECREE09) -> Period:
    """The latest period of `kind` whose cut-off ended before `day`: the one to report on."""
    period = period_containing(day, kind)
    while period.cutoff(mode)[1] >= day:
        period = period.previous()
    return period
