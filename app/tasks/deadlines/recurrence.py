"""Recurring phrases ("hằng năm", "trước ngày 25 hằng tháng", "thứ Sáu hằng tuần") and the
anchored forms of reporting rules ("định kỳ 6 tháng … trước ngày 15/6 và 15/12", "Chậm nhất
ngày 15 của tháng báo cáo đối với báo cáo định kỳ hằng tháng")."""

from __future__ import annotations

import re
from dataclasses import replace

from app.tasks.deadlines.expression import _strip_lead
from app.tasks.deadlines.items import _YEAR, _valid_month
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
_ONCE = r"(?: (?:một|1) lần| ?/ ?lần)"

_PERIODIC_RES = (
    re.compile(rf"(?:định kỳ,? )?{_EACH} (?P<u>ngày|tuần|tháng|quý|năm)"),
    re.compile(r"định kỳ (?P<u>tuần|tháng|quý|năm)"),
    re.compile(rf"định kỳ (?:{_EACH} )?(?P<n>{_NUMBER}) (?P<u>tháng|năm){_ONCE}?"),
    re.compile(rf"{_EACH} (?P<n>{_NUMBER}) (?P<u>tháng|năm)"),
    re.compile(rf"(?P<n>{_NUMBER}) (?P<u>tháng|năm){_ONCE}"),
    # "1 lần/năm", "02 lần/năm": so many times a year.
    re.compile(rf"(?P<times>{_NUMBER}) lần ?(?:/|mỗi|một|trong) ?năm"),
    # The period of a report: "báo cáo quý", "báo cáo định kỳ 6 tháng".
    re.compile(rf"báo cáo (?:định kỳ )?(?:{_EACH} )?(?:(?P<n>{_NUMBER}) )?(?P<u>tháng|quý|năm)"),
)
# "bắt đầu từ năm 2025", "kể từ năm 2028": the base year of a recurrence.
_BASE_YEAR_RE = re.compile(rf"(?P<core>.+?),? (?:bắt đầu |kể )?từ năm (?P<y>{_YEAR})")

# Anchors: the days a recurrence falls on.
_ANCHOR_LEAD = r"(?:(?:trước|chậm nhất(?: là)?(?: vào)?|không quá|vào|hạn|là) )"
_DAY_MONTH = rf"{_ANCHOR_LEAD}?(?:ngày )?[0-9]{{1,2}}(?:[/.-]| tháng )[0-9]{{1,2}}"
_DAY_MONTH_LIST = rf"{_DAY_MONTH}(?:(?:,|;| và|, và) {_DAY_MONTH})*"
_DAY_MONTH_RE = re.compile(r"([0-9]{1,2})(?:[/.-]| tháng )([0-9]{1,2})")
# A yearly anchor may name the year it falls in: "15/01 năm sau", "15 tháng 2 của năm liền kề
# sau năm báo cáo", "10/7 của năm báo cáo".
_OF_YEAR = (
    r"(?: (?:của )?năm (?:sau|liền kề|tiếp theo|kế tiếp|báo cáo)"
    r"(?: (?:sau|của) năm báo cáo| năm báo cáo)?)?"
)
_REPORT_PERIOD = r"(?:tháng|quý|năm|kỳ) báo cáo"
_IN_QUARTER = {
    "đầu": 1,
    "đầu tiên": 1,
    "giữa": 2,
    "thứ hai": 2,
    "thứ 2": 2,
    "cuối": 3,
    "cuối cùng": 3,
}
_IN_QUARTER_WORDS = "|".join(sorted(_IN_QUARTER, key=len, reverse=True))
_YEARLY_RE = re.compile(rf"(?P<a>{_DAY_MONTH_LIST}){_OF_YEAR}")
_MONTHLY_RE = re.compile(
    rf"ngày (?P<d>[0-9]{{1,2}}) (?:của )?(?:{_EACH} tháng|tháng báo cáo|tháng)"
    # The month after the reporting month (a quarter's report is the quarterly rule's).
    r"|ngày (?P<next>[0-9]{1,2}) (?:của )?tháng (?:tiếp theo|sau|liền kề) (?:ngay )?(?:sau )?"
    r"(?:tháng|kỳ) báo cáo"
)
_QUARTERLY_RE = re.compile(
    rf"ngày (?P<d>[0-9]{{1,2}}) (?:của )?tháng (?:của )?(?P<p>{_IN_QUARTER_WORDS})(?: của)? "
    rf"(?:{_EACH} )?quý(?: báo cáo)?"
    r"|ngày (?P<next>[0-9]{1,2}) (?:của )?tháng (?:đầu (?:của )?quý |liền kề |tiếp theo )?"
    r"(?:ngay )?sau quý(?: báo cáo)?"
)
_WEEKDAYS = {"hai": 0, "ba": 1, "tư": 2, "năm": 3, "sáu": 4, "bảy": 5}
_WEEKLY_RE = re.compile(
    rf"(?:(?:sáng|chiều) )?(?:thứ (?P<w>hai|ba|tư|năm|sáu|bảy|[2-7])|(?P<sun>chủ nhật))"
    rf"(?: của)? {_EACH} tuần"
)
# "đối với báo cáo định kỳ hằng tháng": the report an anchor is for.
_FOR_REPORT_RE = re.compile(
    r"(?P<anchor>.+?),? (?:áp dụng )?(?:đối với|với|cho) (?:các |kỳ )?báo cáo(?P<period>.*)"
)
_REPORT_PERIODS = ("", "tháng", "quý", "năm")
_REPORT_PERIOD_RE = re.compile(_REPORT_PERIOD)
_EACH_YEAR_RE = re.compile(rf"(?P<a>.+?),? (?:của )?{_EACH} năm")
_EACH_MONTH_OR_WEEK_RE = re.compile(rf"{_EACH} (?:tháng|tuần)")
_BARE_DAY_RE = re.compile(rf"{_ANCHOR_LEAD}?ngày (?P<d>[0-9]{{1,2}})")
_BRACKETS_RE = re.compile(r" ?[()] ?")
_DIGIT_RE = re.compile(r"[0-9]")
_ANCHOR_START_RE = re.compile(_ANCHOR_LEAD + r"|ngày |(?<![0-9/.-])(?=[0-9])")
_ASIDE_RE = re.compile(r"\([^()]*\)")
_RANGE_WORD_RE = re.compile(r"(?:từ|đến) $")


def _count(raw: str) -> int:
    return _NUMBER_WORDS[raw] if raw in _NUMBER_WORDS else int(raw)


def _from_period(match: re.Match[str]) -> Recurrence | None:
    if match.groupdict().get("times"):
        times = _count(match["times"].lstrip("0") or "0")
        if times < 1 or 12 % times:
            return None
        months = 12 // times
        return (
            Recurrence(unit="year") if months == 12 else Recurrence(unit="month", interval=months)
        )
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


def _periodic(s: str) -> Recurrence | None:
    for pattern in _PERIODIC_RES:
        match = pattern.fullmatch(s)
        if match is not None:
            return _from_period(match)
    return None


def _periodic_head(s: str) -> tuple[Recurrence, int] | None:
    """A periodic phrase opening ``s`` (followed by a space or a comma), and where it ends."""
    for pattern in _PERIODIC_RES:
        match = pattern.match(s)
        if match is not None and s[match.end() : match.end() + 1] in (" ", ","):
            recurrence = _from_period(match)
            if recurrence is not None:
                return recurrence, match.end()
    return None


def _anchor(s: str) -> Recurrence | None:
    """A day, or days, a recurrence falls on: "trước ngày 15/6 và 15/12", "ngày 25 hằng
    tháng", "ngày 20 của tháng cuối quý", "ngày 12 của tháng tiếp theo"."""
    s = s[_strip_lead(s).end :]
    match = _YEARLY_RE.fullmatch(s)
    if match is not None:
        anchors = tuple((int(m), int(d)) for d, m in _DAY_MONTH_RE.findall(match["a"]))
        if all(_valid_month(m) and 1 <= d <= 31 for m, d in anchors):
            return Recurrence(unit="year", anchors=anchors)
        return None
    match = _MONTHLY_RE.fullmatch(s)
    if match is not None:
        day = int(match["d"] or match["next"])
        return Recurrence(unit="month", day=day) if 1 <= day <= 31 else None
    match = _QUARTERLY_RE.fullmatch(s)
    if match is not None:
        day = int(match["d"] or match["next"])
        # The month after a quarter is the first month of the next one.
        month_of_period = _IN_QUARTER[match["p"]] if match["d"] else 1
        if 1 <= day <= 31:
            return Recurrence(unit="month", interval=3, day=day, month_of_period=month_of_period)
        return None
    match = _WEEKLY_RE.fullmatch(s)
    if match is not None:
        if match["sun"]:
            return Recurrence(unit="week", weekday=6)
        raw = match["w"]
        weekday = _WEEKDAYS[raw] if raw in _WEEKDAYS else int(raw) - 2
        return Recurrence(unit="week", weekday=weekday)
    return None


def _each_anchor(s: str) -> Recurrence | None:
    """An anchor that says it repeats: "trước ngày 30 tháng 6 hằng năm", "ngày 25 hằng
    tháng", "ngày 20 của tháng cuối quý", or one relative to the report's period."""
    yearly = _EACH_YEAR_RE.fullmatch(s)
    if yearly is not None:
        recurrence = _anchor(yearly["a"])
        return recurrence if recurrence is not None and recurrence.unit == "year" else None
    recurrence = _anchor(s)
    if recurrence is None:
        return None
    if recurrence.unit in ("month", "week") and _EACH_MONTH_OR_WEEK_RE.search(s):
        return recurrence
    if recurrence.unit == "month" and recurrence.interval == 3:
        return recurrence
    return recurrence if _REPORT_PERIOD_RE.search(s) else None


def _periodic_then_anchor(s: str) -> Recurrence | None:
    """ "hằng năm, trước ngày 15/12", "Hằng năm (trước ngày 20/11)", "định kỳ 6 tháng báo cáo
    kết quả … trước ngày 15 tháng 6 và trước ngày 01 tháng 12": a periodic phrase first, its
    days last, and between them only words (no number outside an aside in brackets)."""
    head = _periodic_head(s)
    if head is None:
        return None
    periodic, rest = head[0], s[head[1] :].lstrip(" ,")
    # An aside in brackets may hold numbers: "(kỳ báo cáo tính từ ngày 01 tháng 01 đến hết
    # ngày 31 tháng 12)"; the anchor itself may be in brackets: "Hằng năm (trước ngày 20/11)".
    masked = _ASIDE_RE.sub(lambda m: " " * len(m.group(0)), rest)
    for match in _ANCHOR_START_RE.finditer(rest):
        if _DIGIT_RE.search(masked, 0, match.start()):
            break
        if _RANGE_WORD_RE.search(rest, 0, match.start()):
            continue  # "tính từ ngày 01/01 đến ngày 30/06": a data period, not a deadline
        tail = rest[match.start() :].replace("(", "").replace(")", "").strip(" ,")
        recurrence = _anchor(tail)
        if recurrence is not None:
            return recurrence
        # "hằng tháng, trước ngày 25": a day alone is a day of each month.
        bare = _BARE_DAY_RE.fullmatch(tail)
        if bare and periodic.unit == "month" and periodic.interval == 1:
            day = int(bare["d"])
            return Recurrence(unit="month", day=day) if 1 <= day <= 31 else None
    return None


def _anchor_for_report(s: str) -> Recurrence | None:
    """ "Chậm nhất ngày 15 của tháng báo cáo đối với báo cáo định kỳ hằng tháng", "chậm nhất
    ngày 06 tháng 06 đối với báo cáo định kỳ 06 tháng": the anchor, then the report it is for."""
    match = _FOR_REPORT_RE.fullmatch(s)
    if match is None:
        return None
    period = match["period"].strip()
    known = period in _REPORT_PERIODS or _periodic(period) or _periodic(f"báo cáo {period}")
    return _anchor(match["anchor"]) if known else None


def _parse_body(body: str) -> tuple[Recurrence, str] | None:
    recurrence = _periodic(body)
    if recurrence is not None:
        return recurrence, "recurring.periodic"
    for reader in (_each_anchor, _periodic_then_anchor, _anchor_for_report):
        recurrence = reader(body)
        if recurrence is not None:
            return recurrence, "recurring.anchored"
    return None


def _parse_recurrence(s: str) -> tuple[Recurrence, str] | None:
    """The recurrence a whole phrase states, and the name of its rule; None if it states none."""
    body = s[_strip_lead(s).end :]
    if body.startswith("đối với "):
        body = body[len("đối với ") :]
    anchored = _periodic_then_anchor(body) if "(" in body else None
    if anchored is not None:
        return anchored, "recurring.anchored"
    if "(" in body or ")" in body:
        body = _BRACKETS_RE.sub(" ", body).strip(" ,")
    found = _parse_body(body)
    if found is not None:
        return found
    base = _BASE_YEAR_RE.fullmatch(body)
    if base is not None:
        found = _parse_body(base["core"])
        if found is not None and found[0].unit in ("year", "month"):
            return replace(found[0], start_year=int(base["y"])), "recurring.base-year"
    return None
