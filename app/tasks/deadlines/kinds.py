"""What a deadline is: its kind, the Deadline and Recurrence values, and calendar helpers."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l

from app.labels import LabelledEnum


class DeadlineKind(LabelledEnum):
    DATE = "date", _l("Date")
    PERIOD = "period", _l("Period")
    RECURRING = "recurring", _l("Recurring")
    CONTINUOUS = "continuous", _l("Continuous")
    UNSPECIFIED = "unspecified", _l("No computable date")


# ---------------------------------------------------------------------------
# Calendar helpers
# ---------------------------------------------------------------------------


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _clipped(year: int, month: int, day: int) -> date:
    # Anchors such as "ngày 31 hằng tháng" must still fall inside short months.
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


# ---------------------------------------------------------------------------
# Recurrence
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Recurrence:
    """How a recurring deadline repeats.

    ``unit`` is "day", "week", "month" or "year". For "month", ``interval`` is the number of
    months per period, aligned on January (1 month, 3 a quarter, 6 a half-year); ``day`` is the
    anchor day and ``month_of_period`` the month of the period it falls in (1 = first; 3 =
    last month of a quarter). For "year", ``interval`` > 1 has no calendar anchor and
    ``anchors`` lists (month, day) pairs. For "week", ``weekday`` (0 = Monday) anchors it.
    ``start_year`` is the base year of "định kỳ 3 năm/lần, bắt đầu từ năm 2025" or "hằng năm
    kể từ năm 2028": no occurrence falls before it, and an ``interval`` of N years counts from
    it (without it, an interval of several years has no calendar anchor).
    """

    unit: str
    interval: int = 1
    anchors: tuple[tuple[int, int], ...] = ()
    day: int | None = None
    month_of_period: int = 1
    weekday: int | None = None
    start_year: int | None = None

    def occurrence_on_or_after(self, day: date) -> date | None:
        """The due date of the occurrence current at ``day``, or None without an anchor."""
        try:
            if self.unit == "day":
                return day
            if self.unit == "week":
                return self._weekly(day)
            if self.unit == "month":
                return self._monthly(day)
            if self.unit == "year":
                return self._yearly(day)
        except (ValueError, OverflowError):
            # Only reachable at the very end of the calendar (year 9999).
            return None
        return None

    def _weekly(self, day: date) -> date:
        if self.weekday is None:
            return day + timedelta(days=6 - day.weekday())
        return day + timedelta(days=(self.weekday - day.weekday()) % 7)

    def _monthly(self, day: date) -> date:
        if self.start_year is not None and day.year < self.start_year:
            day = date(self.start_year, 1, 1)
        first_month = (day.month - 1) // self.interval * self.interval + 1
        if self.day is None:
            year, month = _add_months(day.year, first_month, self.interval - 1)
            return _month_end(year, month)
        for step in (0, self.interval):
            year, month = _add_months(day.year, first_month, step + self.month_of_period - 1)
            candidate = _clipped(year, month, self.day)
            if candidate >= day:
                return candidate
        raise AssertionError("unreachable: the next period's anchor is always later")

    def _yearly(self, day: date) -> date | None:
        if self.start_year is None:
            if self.interval != 1:
                return None
            year = day.year
        else:
            # The first year of the cycle (start_year + k * interval) not before the day's.
            behind = max(day.year - self.start_year, 0)
            year = self.start_year + -(-behind // self.interval) * self.interval
        for candidate_year in (year, year + self.interval):
            if not self.anchors:
                candidate = date(candidate_year, 12, 31)
                if candidate >= day:
                    return candidate
            for month, anchor_day in sorted(self.anchors):
                candidate = _clipped(candidate_year, month, anchor_day)
                if candidate >= day:
                    return candidate
        raise AssertionError("unreachable: the next cycle's first anchor is always later")

    def to_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "interval": self.interval,
            "anchors": [list(pair) for pair in self.anchors],
            "day": self.day,
            "month_of_period": self.month_of_period,
            "weekday": self.weekday,
        } | ({} if self.start_year is None else {"start_year": self.start_year})

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Recurrence:
        return cls(
            unit=str(data["unit"]),
            interval=int(data.get("interval", 1)),
            anchors=tuple((int(m), int(d)) for m, d in data.get("anchors", ())),
            day=data.get("day"),
            month_of_period=int(data.get("month_of_period", 1)),
            weekday=data.get("weekday"),
            start_year=data.get("start_year"),
        )


# ---------------------------------------------------------------------------
# Deadline
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """A parsed deadline. Invariants: ``due is None`` exactly when ``dues`` is empty, and
    ``due == max(dues)`` otherwise. ``dues`` is a list for the callers' convenience; treat it as
    read-only (it is excluded from the hash). ``rule`` names the rule of the package docstring
    that read the phrase (for explanations; not part of the value, not stored)."""

    kind: DeadlineKind
    due: date | None
    start: date | None
    dues: list[date] = field(default_factory=list, hash=False)
    text: str = ""
    recurrence: Recurrence | None = None
    rule: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        # A private copy, so a caller's list cannot change a frozen deadline behind its back.
        object.__setattr__(self, "dues", list(self.dues))

    def occurrence_on_or_after(self, day: date) -> date | None:
        """The due date of the occurrence current at ``day``.

        Recurring: the period end or anchored date on or after ``day`` (None without an
        anchor). Date and period: the first of ``dues`` on or after ``day``, else the last one
        (a one-off deadline stays due, and overdue, once passed). Continuous and unspecified:
        None.
        """
        if isinstance(day, datetime):
            day = day.date()
        if self.kind is DeadlineKind.RECURRING:
            return self.recurrence.occurrence_on_or_after(day) if self.recurrence else None
        if not self.dues:
            return None
        return next((due for due in sorted(self.dues) if due >= day), max(self.dues))

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind.value,
            "due": self.due.isoformat() if self.due else None,
            "start": self.start.isoformat() if self.start else None,
            "dues": [d.isoformat() for d in self.dues],
        }
        if self.recurrence is not None:
            data["recurrence"] = self.recurrence.to_json()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any], *, text: str = "") -> Deadline:
        """Rebuild a deadline stored with ``to_json``."""
        recurrence = data.get("recurrence")
        return cls(
            kind=DeadlineKind(data["kind"]),
            due=date.fromisoformat(data["due"]) if data.get("due") else None,
            start=date.fromisoformat(data["start"]) if data.get("start") else None,
            dues=[date.fromisoformat(d) for d in data.get("dues", ())],
            text=text,
            recurrence=Recurrence.from_json(recurrence) if recurrence else None,
        )


def _unspecified(text: str = "", rule: str = "unspecified") -> Deadline:
    return Deadline(DeadlineKind.UNSPECIFIED, None, None, [], text, rule=rule)


def _recurring(recurrence: Recurrence, reference: date, rule: str) -> Deadline:
    due = recurrence.occurrence_on_or_after(reference)
    return Deadline(
        DeadlineKind.RECURRING,
        due,
        None,
        [due] if due else [],
        "",
        recurrence=recurrence,
        rule=rule,
    )
