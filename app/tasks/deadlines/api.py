"""The public entry points: parse_deadline, find_deadline and explain_deadline."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from app.tasks.deadlines.clauses import _find
from app.tasks.deadlines.exact import _parse_exact
from app.tasks.deadlines.expression import _strip_lead
from app.tasks.deadlines.items import _scan_items
from app.tasks.deadlines.kinds import Deadline, DeadlineKind, _unspecified
from app.tasks.deadlines.normalise import _normalise_with_map

# What may follow a cell's leading time expression: the end of its sentence.
_BOUNDARY_RE = re.compile(r" ?(?:[.;(]|: | - )")


@dataclass(frozen=True)
class _Reading:
    deadline: Deadline
    via: str  # "phrase", "leading expression" or "clause"
    span: str  # the part of the phrase that was read, as written


def _as_date(reference: date) -> date:
    return reference.date() if isinstance(reference, datetime) else reference


def _leading(
    s: str, starts: list[int], ends: list[int], original: str, reference: date
) -> tuple[int, Deadline] | None:
    """A cell that opens with a time expression ending its sentence or line ("2023-2025.
    Sở Tư pháp đã hoàn thành năm 2024"): that expression, and where it ends."""
    lead = _strip_lead(s)
    scan = _scan_items(s, lead.end, reference, bare_unit=lead.bare_unit)
    end = scan.end
    if not scan.items or end >= len(s):
        return None
    line_break = s[end] == " " and "\n" in original[ends[end - 1] : starts[end + 1]]
    if not (line_break or _BOUNDARY_RE.match(s, end)):
        return None
    deadline = _parse_exact(s[:end], reference)
    if deadline is None or deadline.kind is DeadlineKind.UNSPECIFIED:
        return None
    return end, deadline


def _read(original: str, reference: date) -> _Reading:
    normalised, starts, ends = _normalise_with_map(original)
    deadline = _parse_exact(normalised, reference)
    if deadline is not None and deadline.kind is not DeadlineKind.UNSPECIFIED:
        return _Reading(deadline, "phrase", original)
    # A phrase that is not wholly a deadline is read through its leading expression (a cell
    # followed by a remark), else through the deadline clause it contains ("Theo kế hoạch,
    # hoàn thành trước ngày 30/6/2024").
    leading = _leading(normalised, starts, ends, original, reference)
    if leading is not None:
        span = original[starts[0] : ends[leading[0] - 1]]
        return _Reading(leading[1], "leading expression", span)
    found = _find(normalised, reference)
    if found is not None:
        start, end, clause = found
        return _Reading(clause, "clause", original[starts[start] : ends[end - 1]])
    return _Reading(deadline or _unspecified(rule="unspecified"), "phrase", original)


def parse_deadline(text: str | None, *, reference: date) -> Deadline:
    """Read a deadline phrase; never raises. The package docstring gives the rules."""
    original = text if isinstance(text, str) else ""
    try:
        deadline = _read(original, _as_date(reference)).deadline
    except (ValueError, OverflowError):
        # Only dates at the edge of the calendar (year 9999) get here.
        deadline = _unspecified(rule="unspecified")
    return replace(deadline, text=original)


def explain_deadline(text: str, *, reference: date) -> dict[str, Any]:
    """How a phrase is read: ``Deadline.to_json()`` plus the rule that read it (its name in
    the package docstring), whether it read the whole phrase, its leading expression or a
    clause inside it, and that part as written."""
    try:
        reading = _read(text, _as_date(reference))
    except (ValueError, OverflowError):
        reading = _Reading(_unspecified(rule="unspecified"), "phrase", text)
    return {"rule": reading.deadline.rule, "via": reading.via, "span": reading.span} | (
        reading.deadline.to_json()
    )


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
