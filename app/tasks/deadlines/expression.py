"""Leading words ("trước", "chậm nhất", "giai đoạn", ...) and reading items into a Deadline."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from app.tasks.deadlines.items import _Item, _Scan, _scan_items
from app.tasks.deadlines.kinds import Deadline, DeadlineKind

# ---------------------------------------------------------------------------
# Leading words ("trước", "chậm nhất", "giai đoạn", ...) and what they change
# ---------------------------------------------------------------------------

_LEAD_WORDS = (
    "phấn đấu",
    "thời hạn hoàn thành",
    "thời hạn",
    "thời gian hoàn thành",
    "thời gian thực hiện",
    "hạn chót",
    "hạn hoàn thành",
    "hạn",
    "hoàn thành",
    "chậm nhất là",
    "chậm nhất",
    "muộn nhất là",
    "muộn nhất",
    "không quá",
    "không chậm hơn",
    "trước",
    "trong",
    "đến hết",
    "đến",
    "tới",
    "vào",
    "là",
    "cuối",
    "giai đoạn",
    "kể từ",
    "từ",
)
# "sau" leads only Tết ("sau Tết": the end of its holiday); elsewhere it is not a deadline.
_LEAD_RE = re.compile(
    r"(?:" + "|".join(map(re.escape, _LEAD_WORDS)) + r"|sau(?= (?:kỳ nghỉ )?tết))(?::|,)? "
)


@dataclass(frozen=True)
class _Lead:
    words: tuple[str, ...]
    end: int

    @property
    def before(self) -> bool:
        return "trước" in self.words and not self.end_of

    @property
    def end_of(self) -> bool:
        return "cuối" in self.words

    @property
    def open_start(self) -> bool:
        return "từ" in self.words or "kể từ" in self.words

    @property
    def bare_unit(self) -> str:
        """How a lone unit after these words reads (see ``_scan_items``)."""
        if self.end_of:
            return "any"
        return "closed" if self.words and self.words[-1] == "trong" else ""


def _strip_lead(s: str, pos: int = 0) -> _Lead:
    words: list[str] = []
    while True:
        match = _LEAD_RE.match(s, pos)
        if match is None:
            return _Lead(tuple(words), pos)
        words.append(match.group(0).rstrip(" :,"))
        pos = match.end()


# ---------------------------------------------------------------------------
# From items to a Deadline
# ---------------------------------------------------------------------------


def _first_on_or_after(
    item: _Item, reference: date, *, before: bool = False
) -> tuple[date, date] | None:
    """The item's first occurrence whose deadline is on or after ``reference``; with
    ``before`` the deadline is the day before the period starts ("trước tháng 7")."""
    # Nine years cover the next 29 February.
    for year in range(reference.year, reference.year + 9):
        span = item.span(year)
        if span is None:
            continue
        due = span[0] - timedelta(days=1) if before else span[1]
        if due >= reference:
            return span
    return None


# "sau Tết" said in the weeks after Tết means the Tết just passed ("ngay sau kỳ nghỉ Tết").
_AFTER_TET_GRACE = timedelta(days=31)


def _tet_just_passed(item: _Item, reference: date) -> tuple[date, date] | None:
    span = item.span(reference.year)
    if span is not None and span[0] <= reference <= span[1] + _AFTER_TET_GRACE:
        return span
    return None


def _resolve(
    items: Sequence[_Item], reference: date, *, before: bool = False, after: bool = False
) -> list[tuple[date, date]] | None:
    """Each item's (start, end); items without a year borrow from the next item."""
    spans: list[tuple[date, date]] = []
    following: tuple[date, date] | None = None
    for item in reversed(items):
        if item.fixed is not None or item.year is not None:
            span = item.span(item.year or 0)
        elif after and item.tet and (passed := _tet_just_passed(item, reference)):
            span = passed
        elif following is not None:
            span = item.span(following[1].year)
            if span is None or span[1] > following[1]:
                span = item.span(following[1].year - 1)
        else:
            span = _first_on_or_after(item, reference, before=before)
        if span is None:
            return None
        spans.append(span)
        following = span
    spans.reverse()
    return spans


def _single_rule(item: _Item, lead: _Lead, before: bool) -> str:
    if item.rule == "tet":
        if before:
            return "date.tet-before"
        return "date.tet-after" if "sau" in lead.words else "date.tet"
    if before:
        return "date.before-period"
    if "phấn đấu" in lead.words or ("đến" in lead.words and item.rule == "year"):
        return "date.target"
    return f"date.{item.rule}"


def _deadline_from_items(scan: _Scan, lead: _Lead, reference: date) -> Deadline | None:
    single = scan.items[0] if len(scan.items) == 1 else None
    before = bool(single and lead.before and single.day is None and not single.is_range)
    after = bool(single and single.tet and "sau" in lead.words)
    spans = _resolve(scan.items, reference, before=before, after=after)
    if not spans:
        return None
    if single is not None:
        start, end = spans[0]
        if single.is_range:
            return Deadline(DeadlineKind.PERIOD, end, start, [end], rule="period.range")
        if lead.open_start:
            return None  # "từ tháng 10/2024" alone states no end
        if before:
            end = start - timedelta(days=1)
        return Deadline(
            DeadlineKind.DATE, end, None, [end], rule=_single_rule(single, lead, before)
        )
    start = min(s for s, _ in spans)
    due = max(e for _, e in spans)
    if all(sep == "list" for sep in scan.separators):
        dues = [e for _, e in spans]
        return Deadline(DeadlineKind.PERIOD, due, start, dues, rule="period.list")
    if len(spans) == 2:
        return Deadline(DeadlineKind.PERIOD, due, start, [due], rule="period.range")
    return None


def _parse_expression(s: str, reference: date) -> Deadline | None:
    lead = _strip_lead(s)
    scan = _scan_items(s, lead.end, reference, bare_unit=lead.bare_unit)
    if not scan.items or scan.end != len(s):
        return None
    return _deadline_from_items(scan, lead, reference)
