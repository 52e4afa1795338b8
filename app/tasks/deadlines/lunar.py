"""Tết Nguyên đán from the lunar calendar, and the names of lunar years (can chi).

The one module of the reader that is not stdlib only: the first day of Tết and the days off
around it come from the ``holidays`` package (its Vietnamese calendar, the one the working-day
arithmetic of ``app.tasks.workdays`` uses), which knows Vietnam's lunar calendar (Tết differs
from China's in some years) up to 2100.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

# The ten heavenly stems and twelve earthly branches, with the spellings offices use.
_STEMS = ("giáp", "ất", "bính", "đinh", "mậu", "kỷ", "canh", "tân", "nhâm", "quý")
_BRANCHES = ("tý", "sửu", "dần", "mão", "thìn", "tỵ", "ngọ", "mùi", "thân", "dậu", "tuất", "hợi")
_VARIANTS = {"kỉ": "kỷ", "tí": "tý", "mẹo": "mão", "tị": "tỵ"}
STEM_WORDS = "|".join(sorted({*_STEMS, "kỉ"}, key=len, reverse=True))
BRANCH_WORDS = "|".join(sorted({*_BRANCHES, "tí", "mẹo", "tị"}, key=len, reverse=True))
_FIRST_DAY_NAME = "Lunar New Year"
_SATURDAY = 5


def year_of_name(stem: str, branch: str, near: int) -> int | None:
    """The Gregorian year whose lunar year bears the name ("bính", "ngọ" → 2026), nearest to
    ``near`` (the later one on a tie); None for a pair that names no year ("giáp sửu")."""
    stem_index = _STEMS.index(_VARIANTS.get(stem, stem))
    branch_index = _BRANCHES.index(_VARIANTS.get(branch, branch))
    if stem_index % 2 != branch_index % 2:
        return None
    # 1984 was Giáp Tý, the first year of a sixty-year cycle.
    offset = next(k for k in range(60) if k % 10 == stem_index and k % 12 == branch_index)
    first = 1984 + offset
    below = first + (near - first) // 60 * 60
    return below if near - below < below + 60 - near else below + 60


@lru_cache(maxsize=256)
def tet_holiday(year: int) -> tuple[date, date] | None:
    """(the first day of Tết of ``year``, the last day of its holiday), or None beyond the
    calendar. The holiday runs on over the days off that follow it (a weekend), as the
    Government's announced break does (Tết 2025: 29/1 to Sunday 2/2)."""
    try:
        calendar = holidays.country_holidays("VN", years=year, language="en_US")
        first = next((day for day, name in calendar.items() if name == _FIRST_DAY_NAME), None)
    except (ValueError, OverflowError, NotImplementedError):
        return None
    if first is None:
        return None
    last = first
    while True:
        after = last + timedelta(days=1)
        weekend = after.weekday() >= _SATURDAY and after not in calendar.weekend_workdays
        if after not in calendar and not weekend:
            return first, last
        last = after
