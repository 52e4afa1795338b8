"""Recurring phrases ("hằng năm", "trước ngày 25 hằng tháng", "thứ Sáu hằng tuần")."""

from __future__ import annotations

import re

from app.tasks.deadlines.expression import _strip_lead
from app.tasks.deadlines.items import _valid_month
from app.tasks.deadlines.kinds import Recurrence

_NUMBER_WORDS = {
    "một": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
    "mười hai": 12,
}
_NUMBER = r"(?:[0-9]{1,2}|mười hai|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)"
_EACH = r"(?:hằng|mỗi)"
_UNIT_MONTHS = {"tháng": 1, "quý": 3, "năm": 12}

_PERIODIC_RES = (
    re.compile(rf"(?:định kỳ,? )?{_EACH} (?P<u>ngày|tuần|tháng|quý|năm)"),
    re.compile(r"định kỳ (?P<u>tuần|tháng|quý|năm)"),
    re.compile(rf"định kỳ (?:{_EACH} )?(?P<n>{_NUMBER}) (?P<u>tháng|năm)(?: (?:một|1) lần)?"),
    re.compile(rf"{_EACH} (?P<n>{_NUMBER}) (?P<u>tháng|năm)"),
    re.compile(rf"(?P<n>{_NUMBER}) (?P<u>tháng|năm) (?:một|1) lần"),
)
_DAY_MONTH = r"(?:ngày )?[0-9]{1,2}(?:[/.-]| tháng )[0-9]{1,2}"
_DAY_MONTH_LIST = rf"{_DAY_MONTH}(?:(?:,|;| và|, và) {_DAY_MONTH})*"
_DAY_MONTH_RE = re.compile(r"([0-9]{1,2})(?:[/.-]| tháng )([0-9]{1,2})")
_YEARLY_RES = (
    re.compile(rf"(?P<a>{_DAY_MONTH_LIST}) (?:của )?{_EACH} năm"),
    re.compile(rf"(?:định kỳ )?{_EACH} năm,? (?P<lead>.*?)(?P<a>{_DAY_MONTH_LIST})"),
)
_MONTHLY_RES = (
    re.compile(rf"ngày (?P<d>[0-9]{{1,2}}) (?:của )?{_EACH} tháng"),
    re.compile(rf"(?:định kỳ )?{_EACH} tháng,? (?P<lead>.*?)ngày (?P<d>[0-9]{{1,2}})"),
)
_IN_QUARTER = {"đầu": 1, "đầu tiên": 1, "giữa": 2, "thứ hai": 2, "thứ 2": 2, "cuối": 3}
_IN_QUARTER_WORDS = "|".join(sorted(_IN_QUARTER, key=len, reverse=True))
_QUARTERLY_RE = re.compile(
    rf"ngày (?P<d>[0-9]{{1,2}}) (?:của )?tháng (?P<p>{_IN_QUARTER_WORDS})(?: của)? "
    rf"(?:{_EACH} )?quý"
)
_WEEKDAYS = {"hai": 0, "ba": 1, "tư": 2, "năm": 3, "sáu": 4, "bảy": 5}
_WEEKLY_RE = re.compile(
    rf"(?:(?:sáng|chiều) )?(?:thứ (?P<w>hai|ba|tư|năm|sáu|bảy|[2-7])|(?P<sun>chủ nhật))"
    rf"(?: của)? {_EACH} tuần"
)


def _count(raw: str) -> int:
    return _NUMBER_WORDS[raw] if raw in _NUMBER_WORDS else int(raw)


def _periodic(s: str) -> Recurrence | None:
    for pattern in _PERIODIC_RES:
        match = pattern.fullmatch(s)
        if match is None:
            continue
        unit = match["u"]
        count = _count(match["n"]) if match.groupdict().get("n") else 1
        if unit in ("ngày", "tuần"):
            return Recurrence(unit="day" if unit == "ngày" else "week")
        months = _UNIT_MONTHS[unit] * count
        if months % 12 == 0:
            return Recurrence(unit="year", interval=months // 12)
        if 12 % months == 0:
            return Recurrence(unit="month", interval=months)
        return None
    return None


def _lead_only(text: str) -> bool:
    return _strip_lead(text).end == len(text)


def _yearly(s: str) -> Recurrence | None:
    for pattern in _YEARLY_RES:
        match = pattern.fullmatch(s)
        if match is None or not _lead_only(match.groupdict().get("lead") or ""):
            continue
        anchors = tuple((int(m), int(d)) for d, m in _DAY_MONTH_RE.findall(match["a"]))
        if all(_valid_month(m) and 1 <= d <= 31 for m, d in anchors):
            return Recurrence(unit="year", anchors=anchors)
    return None


def _monthly(s: str) -> Recurrence | None:
    for pattern in _MONTHLY_RES:
        match = pattern.fullmatch(s)
        if match and _lead_only(match.groupdict().get("lead") or ""):
            day = int(match["d"])
            return Recurrence(unit="month", day=day) if 1 <= day <= 31 else None
    match = _QUARTERLY_RE.fullmatch(s)
    if match:
        day = int(match["d"])
        if 1 <= day <= 31:
            return Recurrence(
                unit="month", interval=3, day=day, month_of_period=_IN_QUARTER[match["p"]]
            )
    return None


def _weekly(s: str) -> Recurrence | None:
    match = _WEEKLY_RE.fullmatch(s)
    if match is None:
        return None
    if match["sun"]:
        return Recurrence(unit="week", weekday=6)
    raw = match["w"]
    return Recurrence(unit="week", weekday=_WEEKDAYS[raw] if raw in _WEEKDAYS else int(raw) - 2)


def _parse_recurrence(s: str) -> Recurrence | None:
    body = s[_strip_lead(s).end :]
    for reader in (_periodic, _yearly, _monthly, _weekly):
        recurrence = reader(body)
        if recurrence is not None:
            return recurrence
    return None
