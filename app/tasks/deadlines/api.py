"""The public entry points: parse_deadline and find_deadline."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from app.tasks.deadlines.clauses import _find
from app.tasks.deadlines.exact import _parse_exact
from app.tasks.deadlines.kinds import Deadline, DeadlineKind, _unspecified
from app.tasks.deadlines.normalise import _normalise_with_map, normalise


def _as_date(reference: date) -> date:
    return reference.date() if isinstance(reference, datetime) else reference


def parse_deadline(text: str | None, *, reference: date) -> Deadline:
    """Read a deadline phrase; never raises. The package docstring gives the rules."""
    original = text if isinstance(text, str) else ""
    reference = _as_date(reference)
    try:
        normalised = normalise(original)
        deadline = _parse_exact(normalised, reference)
        if deadline is None or deadline.kind is DeadlineKind.UNSPECIFIED:
            # A phrase that is not wholly a deadline ("Theo kế hoạch, hoàn thành trước ngày
            # 30/6/2024") is read through the deadline clause it contains, if any.
            found = _find(normalised, reference)
            deadline = found[2] if found else _unspecified()
    except (ValueError, OverflowError):
        # Only dates at the edge of the calendar (year 9999) get here.
        deadline = _unspecified()
    return replace(deadline, text=original)


def find_deadline(sentence: str, *, reference: date) -> tuple[str, Deadline] | None:
    """The deadline clause of a sentence as written in it, and its parse; None if none."""
    if not isinstance(sentence, str):
        return None
    reference = _as_date(reference)
    normalised, starts, ends = _normalise_with_map(sentence)
    try:
        found = _find(normalised, reference)
    except (ValueError, OverflowError):
        return None
    if found is None:
        return None
    start, end, deadline = found
    span = sentence[starts[start] : ends[end - 1]]
    return span, replace(deadline, text=span)
