"""Time expressions: items ("tháng 6/2023", "quý I", "2030"), separators, and scanning them."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from app.tasks.deadlines import lunar
from app.tasks.deadlines.kinds import _add_months, _month_end

_YEAR = r"(?:19|20|21)[0-9]{2}"
# A two-digit year is read only after "tháng" or "quý" ("tháng 6/24"), never in "30/9/24".
_SHORT_YEAR = r"(?P<yy>[0-9]{2})(?![0-9]|[/.-][0-9])"
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
    """A day, a run of months (month, quarter, part of a year, year), a part of a month, Tết,
    or a fixed span. ``rule`` names its rule in the package docstring."""

    first_month: int = 1
    last_month: int = 12
    day: int | None = None
    year: int | None = None
    fixed: tuple[date, date] | None = None
    is_range: bool = False
    rule: str = "year"
    # A part of a month: days first_day..last_day (None: to the month's end).
    first_day: int = 1
    last_day: int | None = None
    tet: bool = False

    def span(self, year: int) -> tuple[date, date] | None:
        if self.fixed is not None:
            return self.fixed
        if self.tet:
            return lunar.tet_holiday(year)
        try:
            if self.day is not None:
                point = date(year, self.first_month, self.day)
                return point, point
            last = _month_end(year, self.last_month)
            if self.last_day is not None:
                last = last.replace(day=self.last_day)
            return date(year, self.first_month, self.first_day), last
        except ValueError:
            return None


def _year(match: re.Match[str]) -> int | None:
    groups = match.groupdict()
    if groups.get("y"):
        return int(groups["y"])
    return 2000 + int(groups["yy"]) if groups.get("yy") else None


def _valid_month(month: int) -> bool:
    return 1 <= month <= 12


def _build_day(match: re.Match[str], reference: date) -> _Item | None:
    day, month = int(match["d"]), int(match["m"])
    if not (_valid_month(month) and 1 <= day <= 31):
        return None
    year = _year(match)
    relative = match.groupdict().get("rel")
    if relative:
        year = reference.year + (0 if relative == "nay" else 1)
    item = _Item(first_month=month, last_month=month, day=day, year=year, rule="day")
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
    return _Item(first_month=month, last_month=month, year=year, rule="month")


def _build_month_range(match: re.Match[str], reference: date) -> _Item | None:
    first, last = int(match["m1"]), int(match["m2"])
    if not (_valid_month(first) and _valid_month(last) and first < last):
        return None
    return _Item(first_month=first, last_month=last, year=_year(match), is_range=True, rule="month")


def _build_quarter(match: re.Match[str], reference: date) -> _Item | None:
    raw = match["q"]
    quarter = _ROMAN[raw] if raw in _ROMAN else int(raw)
    year = reference.year if match.groupdict().get("nay") else _year(match)
    return _Item(first_month=3 * quarter - 2, last_month=3 * quarter, year=year, rule="quarter")


_COUNT_WORDS = {"ba": 3, "sáu": 6, "chín": 9}


def _build_part_of_year(match: re.Match[str], reference: date) -> _Item | None:
    raw = match["n"]
    months = _COUNT_WORDS[raw] if raw in _COUNT_WORDS else int(raw)
    if not 1 <= months <= 12:
        return None
    year = reference.year if match.groupdict().get("nay") else _year(match)
    if match["pos"] == "đầu":
        return _Item(first_month=1, last_month=months, year=year, rule="part-of-year")
    return _Item(first_month=13 - months, last_month=12, year=year, rule="part-of-year")


def _build_year(match: re.Match[str], reference: date) -> _Item | None:
    return _Item(year=_year(match), rule="year")


def _build_tet(match: re.Match[str], reference: date) -> _Item | None:
    year = _year(match)
    if match["stem"]:
        named = lunar.year_of_name(match["stem"], match["branch"], reference.year)
        if named is None or (year is not None and year != named):
            return None
        year = named
    if match["solar"]:
        # Tết Dương lịch is New Year's Day.
        return _Item(first_month=1, last_month=1, last_day=1, year=year, rule="tet")
    return _Item(year=year, tet=True, rule="tet")


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
    return _Item(fixed=span, rule="relative")


def _bare_unit(match: re.Match[str], reference: date) -> _Item:
    return _Item(fixed=_period_containing(match["u"], reference), rule="current-period")


_NAY = r" năm (?P<nay>nay)"
_REL_YEAR = r"(?P<rel>nay|sau|tới)(?!\w)"
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
            rf"(?:ngày )?(?P<d>[0-9]{{1,2}}) tháng (?P<m>[0-9]{{1,2}})"
            rf"(?: năm (?:(?P<y>{_YEAR})|{_REL_YEAR}))?(?![0-9])"
        ),
        _build_day,
    ),
    (
        re.compile(
            rf"(?:ngày )?(?P<d>[0-9]{{1,2}})(?P<s>[/.-])(?P<m>[0-9]{{1,2}})"
            rf"(?:(?:(?P=s)| năm )(?P<y>{_YEAR})| năm {_REL_YEAR})?(?![0-9]|[/.-][0-9])"
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
        re.compile(
            rf"tháng (?P<m>[0-9]{{1,2}})(?:(?:[/.-]| năm )(?P<y>{_YEAR})|/{_SHORT_YEAR}|{_NAY})?"
            r"(?![0-9])"
        ),
        _build_month,
    ),
    (re.compile(rf"(?P<m>[0-9]{{1,2}})[/.-](?P<y>{_YEAR})(?![0-9])"), _build_month),
    (
        re.compile(
            rf"quý (?P<q>iv|iii|ii|i|0?[1-4])"
            rf"(?:(?: ?[/.-] ?| năm )(?P<y>{_YEAR})|/{_SHORT_YEAR}|{_NAY})?(?!\w)"
        ),
        _build_quarter,
    ),
    (re.compile(rf"(?:năm )?(?P<y>{_YEAR})(?![0-9])"), _build_year),
    (
        re.compile(
            r"(?:kỳ nghỉ )?tết(?: (?P<solar>dương lịch)| nguyên đán| âm lịch| cổ truyền(?: của dân tộc)?)?"
            rf"(?: (?:xuân )?(?P<stem>{lunar.STEM_WORDS}) (?P<branch>{lunar.BRANCH_WORDS}))?"
            rf"(?: năm)?(?: (?P<y>{_YEAR}))?(?!\w)"
        ),
        _build_tet,
    ),
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


# "Quý I, II/2027", "Quý I-II/2025": a numeral after a quarter is another quarter.
_NEXT_QUARTER_RE = re.compile(
    rf"(?P<q>iv|iii|ii|i)(?:(?: ?[/.-] ?| năm )(?P<y>{_YEAR})|/{_SHORT_YEAR})?(?!\w)"
)
_EARLY_MID_RE = re.compile(r"(?P<pos>đầu|giữa) ")
_BARE_YEAR_RE = re.compile(r"năm(?!\w| ?[0-9]| nay| sau| tới| kế| tiếp)")


def _early_or_mid(item: _Item, position: str) -> _Item | None:
    """ "đầu"/"giữa" + a year (its first / second quarter), a quarter (its first / second
    month) or a month (days 1-10 / 11-20, "thượng tuần" / "trung tuần")."""
    unit, year, first_month = _unit_of(item)
    early = position == "đầu"
    if unit == "year":
        first = 1 if early else 4
        return _Item(first_month=first, last_month=first + 2, year=year, rule="early-mid")
    if unit == "quarter":
        month = first_month if early else first_month + 1
        return _Item(first_month=month, last_month=month, year=year, rule="early-mid")
    if unit == "month":
        first, last = (1, 10) if early else (11, 20)
        return _Item(
            first_month=first_month,
            last_month=first_month,
            year=year,
            first_day=first,
            last_day=last,
            rule="early-mid",
        )
    return None


def _unit_of(item: _Item) -> tuple[str, int | None, int]:
    """(year / quarter / month / "", its year, its first month) of a whole period."""
    if item.fixed is not None:
        start, end = item.fixed
        if start.day != 1 or end.day != _month_end(end.year, end.month).day:
            return "", None, 0
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        unit = {12: "year", 3: "quarter", 1: "month"}.get(months, "")
        if unit == "year" and start.month != 1:
            unit = ""
        return unit, start.year, start.month
    if item.day is not None or item.is_range or item.tet or item.last_day is not None:
        return "", None, 0
    months = item.last_month - item.first_month + 1
    if months == 12:
        return "year", item.year, 1
    if months == 3 and item.rule == "quarter":
        return "quarter", item.year, item.first_month
    if months == 1:
        return "month", item.year, item.first_month
    return "", None, 0


def _match_item(
    s: str, pos: int, reference: date, previous: _Item | None = None
) -> tuple[_Item, int] | None:
    tod = _TIME_OF_DAY_RE.match(s, pos)
    # A time of day only ever precedes a day ("17 giờ ngày 30/9/2024").
    if tod and s.startswith("ngày ", tod.end()):
        pos = tod.end()
    if previous is not None and previous.rule == "quarter":
        match = _NEXT_QUARTER_RE.match(s, pos)
        if match:
            return _build_quarter(match, reference), match.end()
    early = _EARLY_MID_RE.match(s, pos)
    if early:
        bare = _BARE_YEAR_RE.match(s, early.end())
        inner = (_Item(), bare.end()) if bare else _match_item(s, early.end(), reference)
        item = _early_or_mid(inner[0], early["pos"]) if inner else None
        return (item, inner[1]) if item is not None and inner is not None else None
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


_CLAUSE_END_RE = re.compile(r" ?(?:[.;,:!?)]|$)")


def _scan_items(s: str, pos: int, reference: date, *, bare_unit: str = "") -> _Scan:
    """Read items and separators from ``pos`` for as long as they continue. ``bare_unit``
    "any" reads a lone unit ("cuối năm") as the period containing ``reference``; "closed"
    does so only when the unit ends the clause ("trong tháng." but not "trong năm học")."""
    scan = _Scan([], [], pos)
    if bare_unit:
        bare = _BARE_UNIT_RE.match(s, pos)
        if bare and (bare_unit == "any" or _CLAUSE_END_RE.match(s, bare.end())):
            return _Scan([_bare_unit(bare, reference)], [], bare.end())
    while True:
        found = _match_item(s, pos, reference, scan.items[-1] if scan.items else None)
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
