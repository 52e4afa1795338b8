"""Finding the deadline clause in a sentence."""

from __future__ import annotations

import re
from datetime import date

from app.tasks.deadlines.exact import _parse_exact
from app.tasks.deadlines.items import _TIME_OF_DAY, _YEAR, _scan_items
from app.tasks.deadlines.kinds import Deadline
from app.tasks.deadlines.recurrence import (
    _ANCHOR_LEAD,
    _DAY_MONTH_LIST,
    _EACH,
    _IN_QUARTER_WORDS,
    _NUMBER,
    _OF_YEAR,
)

_TRIGGER_RE = re.compile(
    r"(?<!\w)(?:(?:thời )?hạn(?: chót)?(?: hoàn thành)?:?|chậm nhất(?: là)?(?: vào)?(?: trước)?"
    r"|muộn nhất(?: là)?|không quá|không chậm hơn|đến hết|trong|trước|cuối|vào"
    r"|(?:phấn đấu|hoàn thành) đến(?: hết)?|sau(?= (?:kỳ nghỉ )?tết)|là"
    r"|(?:đến|tới)(?= ngày )|(?:đầu|giữa)(?= (?:năm|quý|tháng) (?:[0-9]|i|v))"
    r"|từ(?= (?:ngày|tháng|quý|năm) ))(?= )"
)
# "đến/tới ngày" is a deadline ("tới ngày 15/1") except in "tính đến ngày …" and in a range
# "từ … đến ngày …"; "đầu/giữa năm 2025" is not after "từ" ("từ đầu năm 2025 đến nay") nor
# part of "6 tháng đầu năm 2025".
_NOT_AFTER_RE = re.compile(r"(?<!\w)(?:từ|tính)(?!\w)|tháng $")
_CONDITIONAL_TRIGGERS = frozenset({"đến", "tới", "đầu", "giữa"})
# "từ" opens a range ("từ ngày 15/12/2024 đến 14/2/2025"), never a data period ("tính từ").
_COUNTED_FROM_RE = re.compile(r"(?<!\w)tính $")
# "là" introduces a deadline only after "hạn" ("Điều chỉnh thời hạn theo NQ71 là tháng 9/2025").
_DEADLINE_WORD_RE = re.compile(r"(?<!\w)hạn(?!\w)")
_MODIFIER_RE = re.compile(r"(?:giai đoạn|từ|cuối) ")
_ANCHORED_RE = re.compile(
    rf"(?<!\w)(?:(?:trước|chậm nhất(?: là)?|không quá|vào|hạn) )?(?:{_TIME_OF_DAY})?"
    rf"(?:{_DAY_MONTH_LIST} (?:của )?{_EACH} năm"
    rf"|ngày [0-9]{{1,2}} (?:của )?{_EACH} tháng"
    rf"|ngày [0-9]{{1,2}} (?:của )?tháng (?:của )?(?:{_IN_QUARTER_WORDS})(?: của)? (?:{_EACH} )?quý"
    r"|ngày [0-9]{1,2} (?:của )?tháng báo cáo"
    rf"|(?:(?:sáng|chiều) )?(?:thứ (?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ nhật)(?: của)? {_EACH} tuần)"
    r"(?!\w)"
    # Anchors relative to the report's period, after a deadline word (not a data period's
    # "tính từ … đến ngày 30/06 của năm báo cáo"): "trước ngày 15 tháng 2 của năm liền kề sau
    # năm báo cáo", "trước ngày 20 của tháng liền kề sau quý báo cáo".
    rf"|(?<!\w){_ANCHOR_LEAD}(?:{_DAY_MONTH_LIST}{_OF_YEAR}(?<=báo cáo)"
    r"|ngày [0-9]{1,2} (?:của )?tháng (?:đầu (?:của )?quý |liền kề |tiếp theo )?(?:ngay )?sau "
    r"(?:quý|kỳ) báo cáo)(?!\w)"
)
# A periodic phrase, words, then the days it falls on: "định kỳ 6 tháng báo cáo kết quả về …
# trước ngày 15 tháng 6 và trước ngày 01 tháng 12", "hằng năm (trước ngày 20/11)".
_PERIODIC_ANCHOR_RE = re.compile(
    rf"(?<!\w)(?:định kỳ(?:,? (?:{_EACH} )?(?:{_NUMBER} )?(?:tháng|quý|năm))?|{_EACH} (?:tháng|quý|năm)"
    rf"|báo cáo (?:định kỳ )?(?:{_EACH} )?(?:{_NUMBER} )?(?:tháng|quý|năm))[ ,(]"
    rf"(?:\([^()]*\)|[^.;!?0-9(])*?\(?(?:{_ANCHOR_LEAD}|(?<!từ )(?<!đến )ngày )"
    rf"(?:{_DAY_MONTH_LIST}{_OF_YEAR}"
    rf"|ngày [0-9]{{1,2}}(?: (?:của )?tháng (?:của )?(?:{_IN_QUARTER_WORDS})(?: của)? (?:{_EACH} )?quý"
    r"(?: báo cáo)?| (?:của )?tháng báo cáo| (?:của )?tháng (?:đầu (?:của )?quý |liền kề )?"
    r"(?:ngay )?sau (?:quý|kỳ) báo cáo)?)\)?(?!\w)"
)
# The day, then the report it is for: "Chậm nhất ngày 15 của tháng báo cáo đối với báo cáo
# định kỳ hằng tháng".
_FOR_REPORT_RE = re.compile(
    rf"(?<!\w)(?:{_ANCHOR_LEAD})?ngày [0-9]{{1,2}}[^.;!?]{{0,60}}? (?:đối với|cho) "
    rf"(?:các |kỳ )?báo cáo (?:định kỳ )?(?:{_EACH} )?(?:{_NUMBER} )?(?:tháng|quý|năm)(?!\w)"
)
_PERIODIC_FIND_RE = re.compile(
    rf"(?<!\w)(?:định kỳ (?:{_EACH} )?{_NUMBER} (?:tháng|năm)(?: (?:một|1) lần| ?/ ?lần)?"
    rf"|(?:định kỳ,? )?{_EACH} (?:ngày|tuần|tháng|quý|năm)"
    rf"|{_NUMBER} (?:tháng|năm) (?:một|1) lần|{_NUMBER} lần ?/ ?năm)"
    # with its base year: "Định kỳ 3 năm/lần, bắt đầu từ năm 2025", "hằng năm kể từ năm 2028"
    rf"(?:,? (?:bắt đầu |kể )?từ năm {_YEAR})?(?!\w)"
)
_CONTINUOUS_FIND_RE = re.compile(
    r"(?<!\w)(?:thường xuyên|liên tục)(?:(?:,| và|, và) (?:thường xuyên|liên tục)(?!\w))?(?!\w)"
)
_UNSPECIFIED_FIND_RE = re.compile(
    r"(?<!\w)(?:theo (?:đúng )?(?:lộ trình|tiến độ)(?!\w)[^.;,:()]*"
    r"|khi có yêu cầu"
    r"|trong (?:vòng |thời hạn )?[0-9]+ ngày(?: làm việc)?(?: kể từ(?!\w)[^.;,()]*)?)"
)
_CONNECTORS_RE = re.compile(r"(?:ngoài ra|đồng thời|theo đó|bên cạnh đó|sau đó),?$")
_NOUN_LIST_BEFORE_RE = re.compile(rf"{_NUMBER} (?:năm|tháng|quý)(?: và|,| hoặc)$")
_NOUN_LIST_AFTER_RE = re.compile(
    rf"(?:,| và| hoặc) (?:{_NUMBER} |{_EACH} )?(?:năm|tháng|quý)(?!\w)"
)
_OPEN_ENDED_RE = re.compile(r" và (?:những|các) năm (?:tiếp theo|sau)")
_PAST_RE = re.compile(r"(?<!\w)đã(?!\w)")


def _clause_start(s: str, pos: int) -> int:
    """Where the clause holding ``pos`` begins (after . ; : ! ? or at 0)."""
    return max(s.rfind(mark, 0, pos) for mark in ".;:!?") + 1


def _clause_end(s: str, pos: int) -> int:
    ends = [i for i in (s.find(mark, pos) for mark in ".;!?") if i >= 0]
    return min(ends, default=len(s))


def _opens_clause(s: str, pos: int) -> bool:
    before = s[_clause_start(s, pos) : pos].strip(" -+*•·\"'“”(")
    return before == "" or _CONNECTORS_RE.fullmatch(before) is not None


def _closes_clause(s: str, end: int) -> bool:
    after = s[end:].lstrip()
    return after == "" or after[0] in ".;,!?)"


def _at_clause_level(s: str, start: int, end: int) -> bool:
    """A periodic word qualifies the clause's verb, not a noun ("kế hoạch 5 năm và hằng năm")."""
    # The few words before are enough ("mười hai tháng và"), and keep long texts linear.
    if _NOUN_LIST_BEFORE_RE.search(s[max(0, start - 30) : start].rstrip()) or (
        _NOUN_LIST_AFTER_RE.match(s, end)
    ):
        return False
    return _opens_clause(s, start) or _closes_clause(s, end)


def _reports_past(s: str, start: int, end: int) -> bool:
    if s.startswith(" đã ", end):
        return True
    return _opens_clause(s, start) and bool(_PAST_RE.search(s, end, _clause_end(s, end)))


def _bare_unit(words: list[str]) -> str:
    # "cuối năm" alone is a deadline only after another introducer ("vào cuối năm"); on its
    # own it is usually a noun ("tổng kết cuối năm"). "trong tháng" must end its clause.
    if words[-1] == "cuối" and len(words) > 1:
        return "any"
    return "closed" if words[-1] == "trong" else ""


def _trigger_candidates(s: str, reference: date) -> list[tuple[int, int]]:
    spans = []
    for trigger in _TRIGGER_RE.finditer(s):
        word, clause = trigger.group(0), _clause_start(s, trigger.start())
        if word == "là" and not _DEADLINE_WORD_RE.search(s, clause, trigger.start()):
            continue
        if word in _CONDITIONAL_TRIGGERS and _NOT_AFTER_RE.search(
            s, max(clause, trigger.start() - 40), trigger.start()
        ):
            continue
        if word == "từ" and _COUNTED_FROM_RE.search(
            s, max(0, trigger.start() - 5), trigger.start()
        ):
            continue
        pos = trigger.end() + 1
        words = [trigger.group(0)]
        while modifier := _MODIFIER_RE.match(s, pos):
            words.append(modifier.group(0).strip())
            pos = modifier.end()
        scan = _scan_items(s, pos, reference, bare_unit=_bare_unit(words))
        if (
            scan.items
            and not _OPEN_ENDED_RE.match(s, scan.end)
            and not _reports_past(s, trigger.start(), scan.end)
        ):
            spans.append((trigger.start(), scan.end))
    return spans


def _candidates(s: str, reference: date) -> list[tuple[int, int]]:
    spans = [m.span() for m in _ANCHORED_RE.finditer(s)]
    spans += [m.span() for m in _PERIODIC_ANCHOR_RE.finditer(s)]
    spans += [m.span() for m in _FOR_REPORT_RE.finditer(s)]
    spans += [
        m.span() for m in _PERIODIC_FIND_RE.finditer(s) if _at_clause_level(s, m.start(), m.end())
    ]
    spans += [m.span() for m in _CONTINUOUS_FIND_RE.finditer(s) if _opens_clause(s, m.start())]
    spans += _trigger_candidates(s, reference)
    for match in _UNSPECIFIED_FIND_RE.finditer(s):
        start, end = match.span()
        # "theo đúng tiến độ, trong năm 2024" states a date after all: the vague clause ends
        # where a computable one begins, so that the later, computable one is returned.
        end = min([other for other, _ in spans if start < other < end], default=end)
        spans.append((start, len(s[:end].rstrip(" ,"))))
    return spans


def _outermost(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    kept: list[tuple[int, int]] = []
    for start, end in sorted(set(spans), key=lambda span: (span[0], -span[1])):
        if not any(s <= start and end <= e for s, e in kept):
            kept.append((start, end))
    return kept


def _find(s: str, reference: date) -> tuple[int, int, Deadline] | None:
    found = None
    for start, end in _outermost(_candidates(s, reference)):
        text = s[start:end].rstrip(" ,")
        deadline = _parse_exact(text, reference)
        if deadline is not None:
            found = (start, start + len(text), deadline)
    return found
