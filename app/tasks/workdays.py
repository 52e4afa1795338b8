"""Working-day arithmetic for a Vietnamese state office.

A day is a working day unless it is a Saturday or Sunday or a Vietnamese public holiday, with
two corrections, in this order of precedence:

1. ``make_up_days`` given by the office (a Saturday worked to bridge a holiday) are working
   days, whatever else the day is;
2. ``extra_days_off`` given by the office (a bridging day off announced for the year) are not.

A day may not be in both lists (``ValueError``): the office's yearly table must say which.

Public holidays come from ``holidays.country_holidays("VN")`` (holidays 0.109), which already
includes what the Government announces each year as far as the package knows it: Tết from the
29th/30th of the last lunar month to the 4th/5th of Tết (8-14 Feb 2024), Hùng Kings'
Commemoration Day, 30/4, 1/5, 2/9 plus the adjacent day (1 or 3 Sep, since 2021), New Year's
Day, Vietnam Cultural Day (24/11, from 2026), holidays falling on a weekend moved to the next
working day ("nghỉ bù"), and swapped days off (29/4/2024, 2/5/2025, 31/8/2026) together with
the Saturdays worked for them (4/5/2024, 26/4/2025, 22/8/2026), which count as working days.
Swaps the package does not know yet are what the two lists above are for. The package's lunar
calendar ends with 2100: later years have weekends only.

Conventions:

* ``add_working_days(start, n)``: for n > 0 the n-th working day after ``start`` (``start``
  itself never counts, so Friday + 1 is Monday); for n < 0 the |n|-th working day before it;
  for n = 0 ``start`` if it is a working day, else the next working day (a deadline that
  falls on a day off moves forward, never back).
* ``working_days_between(a, b)``: the number of working days in the half-open interval
  (a, b] when b >= a, and minus the number in (b, a] when b < a. So for a working day d,
  ``working_days_between(d, add_working_days(d, n)) == n`` for every n.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays

__all__ = ["WorkCalendar", "add_working_days", "working_days_between"]

_SATURDAY = 5


@lru_cache(maxsize=256)
def _public_calendar(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(days off, make-up working Saturdays) for ``year`` according to the holidays package."""
    # The next year is loaded too: a swap announced with next year's holidays can move a day in
    # this one (a working Saturday in late December), and the package files it under that year.
    public = holidays.country_holidays("VN", years=(year, year + 1))
    days_off = frozenset(day for day in public if day.year == year)
    make_up = frozenset(day for day in public.weekend_workdays if day.year == year)
    return days_off, make_up


class WorkCalendar:
    """Working days: weekends and Vietnamese public holidays off, with the office's corrections."""

    def __init__(
        self, extra_days_off: Iterable[date] = (), make_up_days: Iterable[date] = ()
    ) -> None:
        self.extra_days_off = frozenset(extra_days_off)
        self.make_up_days = frozenset(make_up_days)
        both = self.extra_days_off & self.make_up_days
        if both:
            listed = ", ".join(sorted(day.isoformat() for day in both))
            raise ValueError(f"days listed both as days off and as make-up days: {listed}")

    def is_holiday(self, day: date) -> bool:
        """A public holiday or an announced day off (not counting ordinary weekends)."""
        return day in self.extra_days_off or day in _public_calendar(day.year)[0]

    def is_working_day(self, day: date) -> bool:
        if day in self.make_up_days:
            return True
        if day in self.extra_days_off:
            return False
        days_off, make_up = _public_calendar(day.year)
        if day in make_up:
            return True
        return day.weekday() < _SATURDAY and day not in days_off

    def next_working_day(self, day: date) -> date:
        """``day`` if it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, start: date, n: int) -> date:
        if n == 0:
            return self.next_working_day(start)
        step = timedelta(days=1 if n > 0 else -1)
        remaining = abs(n)
        day = start
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, a: date, b: date) -> int:
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        day = a
        while day < b:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


_DEFAULT = WorkCalendar()


def add_working_days(start: date, n: int, calendar: WorkCalendar | None = None) -> date:
    """``WorkCalendar.add_working_days`` on ``calendar`` (public holidays only by default)."""
    return (calendar or _DEFAULT).add_working_days(start, n)


def working_days_between(a: date, b: date, calendar: WorkCalendar | None = None) -> int:
    """``WorkCalendar.working_days_between`` on ``calendar`` (public holidays only by default)."""
    return (calendar or _DEFAULT).working_days_between(a, b)
