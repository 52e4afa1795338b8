"""Reading a phrase that is wholly a deadline: continuous, unspecified, recurring or dated."""

from __future__ import annotations

import re
from datetime import date

from app.tasks.deadlines.expression import _parse_expression
from app.tasks.deadlines.items import _TIME_BEFORE_DAY_RE
from app.tasks.deadlines.kinds import Deadline, DeadlineKind, _recurring, _unspecified
from app.tasks.deadlines.recurrence import _parse_recurrence

_CONTINUOUS_RE = re.compile(
    r"(?:(?:thực hiện|nhiệm vụ) )?(?:thường xuyên|liên tục)"
    r"(?:(?:,| và|, và) (?:thường xuyên|liên tục))*"
)
_UNSPECIFIED_RE = re.compile(
    r"(?:theo|khi|sau khi|(?:ngay )?sau(?! (?:kỳ nghỉ )?tết)|kể từ khi|tùy|tuỳ|căn cứ|ngay khi)"
    r"(?!\w)"
    r"|trong (?:vòng |thời hạn |thời gian )?[0-9]+ ngày"
)

# Every recurring form has one of these words; the others skip the recurrence readers.
_RECURRENCE_HINT_RE = re.compile(
    r"hằng|mỗi|định kỳ|lần|báo cáo|tuần|chủ nhật|tháng (?:của )?(?:đầu|giữa|cuối|thứ|liền|tiếp|sau)"
)
_BLANKS = frozenset({"", "-", "--", "x", "...", "…", "không", "n/a", "na", "none", "null", "?"})
_EDGE_JUNK = " -+*•·.;:,()[]\"'“”‘’…"


def _parse_exact(s: str, reference: date) -> Deadline | None:
    """Read a normalised phrase that is wholly a deadline; None if it is not one."""
    s = s.strip(_EDGE_JUNK)
    if s in _BLANKS:
        return _unspecified(rule="unspecified.blank")
    s = _TIME_BEFORE_DAY_RE.sub("", s)
    if _CONTINUOUS_RE.fullmatch(s):
        return Deadline(DeadlineKind.CONTINUOUS, None, None, [], rule="continuous")
    if _UNSPECIFIED_RE.match(s):
        return _unspecified(rule="unspecified.schedule")
    found = _parse_recurrence(s) if _RECURRENCE_HINT_RE.search(s) else None
    if found is not None:
        return _recurring(found[0], reference, found[1])
    return _parse_expression(s, reference)
