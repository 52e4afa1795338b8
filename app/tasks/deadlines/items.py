"""Time expressions: items ("tháng 6/2023", "quý I", "2030"), separators, and scanning them."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from app.tasks.deadlines.kinds import _add_months, _month_end

_YEAR = r"(?:19|20|21)[0-9]{2}"
# A unit letter such as "h" must not run on into a word ("2022 hằng năm").
_NOT_LETTER = r"(?![^\W\d_])"
_TIME_OF_DAY = (
    rf"(?<!\w)(?:(?:lúc|sáng|chiều|trưa|tối) )?[0-9]{{1,2}} ?(?:giờ|h|g){_NOT_LETTER}"
    rf"(?: ?[0-9]{{1,2}}(?: ?(?:phút|p|'){_NOT_LETTER})?)?"
    r"(?: (?:sáng|chiều|trưa|tối))?,? "
)
_TIME_OF_DAY_RE = re.compile(_TIME_OF_DAY)
_TIME_BEFORE_DAY_RE = re.compile(_TIME_OF_DAY + r"(?=ngày )")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


@dataclass(frozen=True)
class _Item:
    """A day, a run of months (month, quarter, part of a year, year), or a fixed span."""

    first_month: int = 1
    last_month: int = 12
    day: int | None = None
    year: int | None = None
    fixed: tuple[date, date] | None = None
    is_range: bool = False

    def span(self, year: int) -> tuple[date, date] | None:
        if self.fixed is not None:
            return self.fixed
        try:
            if self.day is not None:
                point = date(year, self.first_month, self.day)
                return point, point
            return date(year, self.first_month, 1), _month_end(year, self.last_month)
        except ValueError:
            return None


def _year(match: re.Match[str]) -> int | None:
    value = match.groupdict().get("y")
    return int(value) if value else None


def _valid_month(month: int) -> bool:
    return 1 <= month <= 12


def _build_day(match: re.Match[str], reference: date) -> _Item | None:
    day, month = int(match["d"]), int(match["m"])
    if not (_valid_month(month) and 1 <= day <= 31):
        return None
    item = _Item(first_month=month, last_month=month, day=day, year=_year(match))
    if item.year is not None and item.span(item.year) is None:
        return None
    if item.year is None and day > calendar.monthrange(2000, month)[1]:
        return None  # 2000 is a leap year, so 29/2 is allowed here
    return item


def _build_month(match: re.Match[str], reference: date) -> _Item | None:
    month = int(match["m"])
    if not _valid_month(month):
        return None
    year = reference.year if match.groupdict().get("nay") else _year(match)
    return _Item(first_month=month, last_month=month, year=year)


def _build_month_range(match: re.Match[str], reference: date) -> _Item | None:
    first, last = int(match["m1"]), int(match["m2"])
    if not (_valid_month(first) and _valid_month(last) and first < last):
        return None
    return _Item(first_month=first, last_month=last, year=_year(match), is_range=True)


def _build_quarter(match: re.Match[str], reference: date) -> _Item | None:
    raw = match["q"]
    quarter = _ROMAN[raw] if raw in _ROMAN else int(raw)
    year = reference.year if match.groupdict().get("nay") else _year(match)
    return _Item(first_month=3 * quarter - 2, last_month=3 * quarter, year=year)


_COUNT_WORDS = {"ba": 3, "sáu": 6, "chín": 9}


def _build_part_of_year(match: re.Match[str], reference: date) -> _Item | None:
    raw = match["n"]
    months = _COUNT_WORDS[raw] if raw in _COUNT_WORDS else int(raw)
    if not 1 <= months <= 12:
        return None
    year = reference.year if match.groupdict().get("nay") else _year(match)
    if match["pos"] == "đầu":
        return _Item(first_month=1, last_month=months, year=year)
    return _Item(first_month=13 - months, last_month=12, year=year)


def _build_year(match: re.Match[str], reference: date) -> _Item | None:
    return _Item(year=_year(match))


def _period_containing(unit: str, day: date) -> tuple[date, date]:
    if unit == "tuần":
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=6)
    months = {"tháng": 1, "quý": 3, "năm": 12}[unit]
    first = (day.month - 1) // months * months + 1
    year, last = _add_months(day.year, first, months - 1)
    return date(day.year, first, 1), _month_end(year, last)


def _build_relative(match: re.Match[str], reference: date) -> _Item | None:
    unit = match["u"]
    span = _period_containing(unit, reference)
    if match["w"] not in ("này", "nay"):
        span = _period_containing(unit, span[1] + timedelta(days=1))
    return _Item(fixed=span)


def _bare_unit(match: re.Match[str], reference: date) -> _Item:
    return _Item(fixed=_period_containing(match["u"], reference))


_NAY = r" năm (?P<nay>nay)"
_ItemBuilder = Callable[[re.Match[str], date], _Item | None]
_ITEM_MATCHERS: tuple[tuple[re.Pattern[str], _ItemBuilder], ...] = (
    (
        re.compile(
            rf"(?P<n>[0-9]{{1,2}}|ba|sáu|chín) tháng (?P<pos>đầu|cuối) năm"
            rf"(?: (?P<y>{_YEAR})|(?:{_NAY}))?(?![0-9\w])"
        ),
        _build_part_of_year,
    ),
    (
        re.compile(
            rf"(?:ngày )?(?P<d>[0-9]{{1,2}}) tháng (?P<m>[0-9]{{1,2}})(?: năm (?P<y>{_YEAR}))?"
            r"(?![0-9])"
        ),
        _build_day,
    ),
    (
        re.compile(
            rf"(?:ngày )?(?P<d>[0-9]{{1,2}})(?P<s>[/.-])(?P<m>[0-9]{{1,2}})"
            rf"(?:(?:(?P=s)| năm )(?P<y>{_YEAR}))?(?![0-9]|[/.-][0-9])"
        ),
        _build_day,
    ),
    (
        re.compile(
            rf"tháng (?P<m1>[0-9]{{1,2}})-(?P<m2>[0-9]{{1,2}})(?:(?:[/.-]| năm )(?P<y>{_YEAR}))?"
            r"(?![0-9])"
        ),
        _build_month_range,
    ),
    (
        re.compile(rf"tháng (?P<m>[0-9]{{1,2}})(?:(?:[/.-]| năm )(?P<y>{_YEAR})|{_NAY})?(?![0-9])"),
        _build_month,
    ),
    (re.compile(rf"(?P<m>[0-9]{{1,2}})[/.-](?P<y>{_YEAR})(?![0-9])"), _build_month),
    (
        re.compile(
            rf"quý (?P<q>iv|iii|ii|i|0?[1-4])(?:(?: ?[/.-] ?| năm )(?P<y>{_YEAR})|{_NAY})?(?!\w)"
        ),
        _build_quarter,
    ),
    (re.compile(rf"(?:năm )?(?P<y>{_YEAR})(?![0-9])"), _build_year),
    (
        re.compile(r"(?P<u>tuần|tháng|quý|năm) (?P<w>này|nay|sau|tới|kế tiếp|tiếp theo)(?!\w)"),
        _build_relative,
    ),
)
_BARE_UNIT_RE = re.compile(
    r"(?P<u>tuần|tháng|quý|năm)(?!\w| ?[0-9]| (?:i|ii|iii|iv|này|nay|sau|tới|kế|tiếp)(?!\w))"
)
_SEPARATOR_RE = re.compile(
    r" ?(?P<list>[;,]) ?| (?P<listword>và|hoặc) | ?(?P<range>-) ?| (?P<rangeword>đến hết|đến|tới) | "
)


def _match_item(s: str, pos: int, reference: date) -> tuple[_Item, int] | None:
    tod = _TIME_OF_DAY_RE.match(s, pos)
    # A time of day only ever precedes a day ("17 giờ ngày 30/9/2024").
    if tod and s.startswith("ngày ", tod.end()):
        pos = tod.end()
    for pattern, build in _ITEM_MATCHERS:
        match = pattern.match(s, pos)
        if match:
            item = build(match, reference)
            if item is not None:
                return item, match.end()
    return None


@dataclass
class _Scan:
    items: list[_Item]
    separators: list[str]
    end: int


def _scan_items(s: str, pos: int, reference: date, *, bare_unit: bool) -> _Scan:
    """Read items and separators from ``pos`` for as long as they continue."""
    scan = _Scan([], [], pos)
    if bare_unit:
        bare = _BARE_UNIT_RE.match(s, pos)
        if bare:
            return _Scan([_bare_unit(bare, reference)], [], bare.end())
    while True:
        found = _match_item(s, pos, reference)
        if found is None:
            break
        scan.items.append(found[0])
        scan.end = found[1]
        sep = _SEPARATOR_RE.match(s, scan.end)
        if sep is None:
            break
        scan.separators.append("list" if sep["list"] or sep["listword"] else "range")
        pos = sep.end()
    del scan.separators[max(len(scan.items) - 1, 0) :]
    return scan
