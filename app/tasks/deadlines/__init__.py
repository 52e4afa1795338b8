"""Reading Vietnamese deadline phrases ("thời hạn") into dates.

Pure domain logic (stdlib only). Two entry points:

* ``parse_deadline(text, reference=...)`` reads a phrase that *is* a deadline, such as a
  table cell "Tháng 6/2023", "Hằng năm", "2022 2030" (a plan's start and end columns joined by
  a space) or "Theo lộ trình Nghị định số 107/2021/NĐ-CP". It never raises: anything it cannot
  read is ``UNSPECIFIED`` with ``due=None``, and the phrase is kept in ``.text``. When the whole
  phrase is not a deadline expression, the deadline clause found inside it (as by
  ``find_deadline``) is used, so free text such as "báo cáo trước ngày 30/9/2024" still reads.
* ``find_deadline(sentence, reference=...)`` finds the deadline clause inside a directive's
  sentence and returns it as written plus its parse, or ``None``.

``reference`` is the date of the directive (or today for free text); it only matters for
phrases that name no year, for "tháng này / quý này / năm nay", and for recurring deadlines.

The office's reading, rule by rule
----------------------------------
Normalisation (the result never depends on these): Unicode NFC, letter case, runs of
whitespace and line breaks, "Hàng" = "Hằng" (before ngày/tuần/tháng/quý/năm), "quí" = "quý",
en/em dashes and minus signs = "-", Roman or Arabic quarter numerals (I, II, III, IV / 1-4),
date separators "/", "." or "-" (one separator used throughout a date), optional zero
padding, and a time of day before the date ("17 giờ ngày 30/9/2024", "16h00 ngày ...",
"16 giờ 30 phút, ngày ...") is ignored.

DATE -- one point, ``due`` set, ``start`` None, ``dues == [due]``:

* a named day is the deadline itself, never the day before: "ngày D", "trước ngày D",
  "chậm nhất (là) ngày D", "không quá ngày D", "hạn D", "vào ngày D",
  "ngày 30 tháng 9 năm 2024", "30/9/2024", "30-9-2024", "30.9.2024";
* a month → its last day (leap years count): "Tháng 6/2023", "tháng 02 năm 2024",
  "trong tháng 02/2024", "6/2023";
* a quarter → its last day: "Quý I năm 2024", "quý 2/2025", "trong quý I năm 2024";
* "3/6/9 tháng đầu năm Y" → 31/3, 30/6, 30/9; "6 (3) tháng cuối năm Y" → 31/12;
* a year → 31/12: "2030", "năm 2024", "trong năm 2024", "cuối năm 2025", "đến hết năm 2025";
* "trước" + a month, quarter or year means before that period begins, so the deadline is the
  last day of the period before it: "trước năm 2026" → 31/12/2025, "trước tháng 6/2024" →
  31/5/2024, "trước quý III/2024" → 30/6/2024. (Only a named *day* gets the office's "by D"
  reading; for a whole period the literal reading is the only one that is not a year late.)
  "trước cuối năm 2025" is the end of 2025;
* no year given ("trong tháng 7", "quý 1", "trước ngày 30/9", "6 tháng đầu năm") → the first
  such day or period end on or after ``reference``;
* "trong tháng này / quý này / năm nay / tuần này" → the end of the period containing
  ``reference``; "... sau / tới" → the end of the next one; "cuối năm / quý / tháng" without a
  number → the end of the one containing ``reference``;
* a printed date earlier than ``reference`` is kept as printed.

PERIOD -- two endpoints or a list. ``start`` = the first day of the earliest period named
(1 January for a year, the 1st for a month, the first day of a quarter), ``due`` = the last day
of the latest period named:

* a range -- two items joined by "-", "đến", "tới" or a plain space, optionally after
  "giai đoạn" or "từ": "Giai đoạn 2023-2025", "2022 2030", "2022-2030", "Tháng 4/2021 2030",
  "Tháng 9/2025 - Tháng 12/2025", "Tháng 7/2022 Tháng 8/2022", "từ tháng 10/2024 đến tháng
  3/2025", "Quý I - Quý II/2025", "tháng 9-12/2025", "2022 2022" → ``dues == [due]``;
* a list -- items joined by ";", ",", "và" or "hoặc": "2023; 2027" → one due per item, in the
  order written (``[2023-12-31, 2027-12-31]``);
* an item without a year borrows the year of the next item ("Quý I - Quý II/2025"), one year
  earlier if it would otherwise end after that item ("tháng 10 - tháng 3/2025");
* three or more items joined by range separators, or range and list separators mixed, are not
  read (UNSPECIFIED).

RECURRING -- ``due`` is the occurrence current at ``reference``;
``occurrence_on_or_after(day)`` gives it for any later day:

* "Hằng năm", "Hàng năm", "hằng quý", "hằng tháng", "hằng tuần", "hằng ngày", "mỗi năm",
  "định kỳ hằng tháng", "định kỳ 6 tháng", "định kỳ quý", "6 tháng một lần" → the end of the
  period containing the day (a week ends on Sunday; "6 tháng" is the half-year ending 30/6 or
  31/12; "N tháng" for N dividing 12 is aligned on January);
* anchored forms → the first anchored date on or after the day, a day 31 clipped to the end of
  a shorter month: "trước ngày 30 tháng 6 hằng năm", "ngày 15/12 hằng năm", "trước ngày 15/6
  và 15/12 hằng năm", "hằng năm, trước ngày 15/12", "trước ngày 25 hằng tháng", "trước ngày 20
  của tháng cuối quý" (also "tháng đầu quý", "tháng giữa quý"), "thứ Sáu hằng tuần";
* a recurrence without a calendar anchor -- "định kỳ hai năm một lần", "định kỳ 2 năm" -- has
  ``due`` None (there is no base year to count from).

CONTINUOUS -- "Thường xuyên", "thường xuyên, liên tục", "Liên tục": no ``due``; such tasks are
reported every period.

UNSPECIFIED -- no computable date, ``due`` None, the phrase kept in ``.text``: "Theo lộ trình
Nghị định số 107/2021/NĐ-CP" (the document number is never read as a date), "Theo tiến độ
được giao", "theo đúng tiến độ được phê duyệt", "Khi có yêu cầu", "Sau khi Nghị định được ban
hành", "trong 10 ngày làm việc kể từ ngày nhận được văn bản này", "" and blanks such as "-",
invalid dates ("31/2/2024"), and years outside 1900-2199.

find_deadline
-------------
A deadline clause is one of:

* a time expression introduced by "trong", "trước", "chậm nhất", "không quá", "không chậm
  hơn", "đến hết", "cuối", "vào" or "(thời) hạn" -- the span starts at that word, so
  "hoàn thành trong quý I năm 2024" gives "trong quý I năm 2024";
* an anchored recurrence ("trước ngày 25 hằng tháng");
* "hằng/mỗi ngày|tuần|tháng|quý|năm" or "định kỳ ..." at the start of a clause ("Định kỳ hằng
  tháng, Văn phòng ...") or at the end of one ("báo cáo UBND tỉnh hằng năm."), but not inside
  a noun phrase ("kế hoạch 5 năm và hằng năm", "dự toán hằng năm của ...");
* "Thường xuyên" / "Liên tục" at the start of a clause (not "tuần tra thường xuyên");
* "theo (đúng) lộ trình / tiến độ ..." up to the end of its clause, "khi có yêu cầu", and
  "trong N ngày (làm việc) kể từ ..." (UNSPECIFIED).

Not deadlines: a date or period with none of those introducers -- citations ("Quyết định số
1085/QĐ-TTg ngày 15/9/2022"), titles ("Kế hoạch chuyển đổi số năm 2024", "giai đoạn
2021-2030, tầm nhìn đến năm 2045"), "khẩn trương"; a period followed by "và những năm tiếp
theo" (an open-ended scope); and a clause reporting the past (the expression directly followed
by "đã", or opening a clause that contains "đã": "Trong tháng 3/2023, ... đã được ...").

Where a sentence states several deadline clauses, the LAST one is returned: directives state
the intermediate steps first and the completion last ("..., hoàn thành việc ban hành Kế hoạch
trong quý I năm 2024."). A clause inside a longer one ("trước ngày 30/6" within "trước ngày
30/6 hằng năm") is not counted separately, and a "theo tiến độ ..." clause ends where a
computable one begins ("theo đúng tiến độ trong năm 2024" → "trong năm 2024"). The same goes
for ``parse_deadline`` on a phrase that is not wholly a deadline: "Theo kế hoạch, hoàn thành
trước ngày 30/6/2024" is 30/6/2024, "Theo lộ trình Nghị định số 107/2021/NĐ-CP" stays UNSPECIFIED.
"""

from app.tasks.deadlines.api import explain_deadline, find_deadline, parse_deadline
from app.tasks.deadlines.kinds import Deadline, DeadlineKind, Recurrence
from app.tasks.deadlines.normalise import normalise

__all__ = [
    "Deadline",
    "DeadlineKind",
    "Recurrence",
    "explain_deadline",
    "find_deadline",
    "normalise",
    "parse_deadline",
]
