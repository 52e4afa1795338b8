"""Reading Vietnamese deadline phrases ("thời hạn") into dates.

Pure domain logic: the standard library and lazy translations for the kinds' labels, except
``lunar.py``, which asks the ``holidays`` package (its Vietnamese lunar calendar, up to
2100) for the days of Tết. Three entry points:

* ``parse_deadline(text, reference=...)`` reads a phrase that *is* a deadline, such as a
  table cell "Tháng 6/2023", "Hằng năm", "2022 2030" (a plan's start and end columns joined by
  a space) or "Theo lộ trình Nghị định số 107/2021/NĐ-CP". It never raises: anything it cannot
  read is ``UNSPECIFIED`` with ``due=None``, and the phrase is kept in ``.text``. When the whole
  phrase is not a deadline expression, its leading expression is used when a remark follows it
  (see "Status text" below), else the deadline clause found inside it (as by
  ``find_deadline``), so free text such as "báo cáo trước ngày 30/9/2024" still reads.
* ``find_deadline(sentence, reference=...)`` finds the deadline clause inside a directive's
  sentence and returns it as written plus its parse, or ``None``.
* ``explain_deadline(text, reference=...)`` says how ``parse_deadline`` read a phrase: the
  name of the rule (in brackets below, also ``Deadline.rule``), whether it read the whole
  "phrase", its "leading expression" or a "clause" inside it, and that part as written.

``reference`` is the date of the directive (or today for free text); it only matters for
phrases that name no year, for "tháng này / quý này / năm nay", for Tết, and for recurring
deadlines.

The office's reading, rule by rule
----------------------------------
Normalisation (the result never depends on these): Unicode NFC, letter case, runs of
whitespace and line breaks, "Hàng" = "Hằng" (before ngày/tuần/tháng/quý/năm), "quí" = "quý",
en/em dashes and minus signs = "-", Roman or Arabic quarter numerals (I, II, III, IV / 1-4),
date separators "/", "." or "-" (one separator used throughout a date), optional zero
padding, a number repeated in words in brackets ("ngày 15 (mười lăm)", "tháng 06 (sáu)",
"định kỳ 06 (sáu) tháng" read as "ngày 15", "tháng 06", "định kỳ 06 tháng"), and a time of day
before the date ("17 giờ ngày 30/9/2024", "16h00 ngày ...", "16 giờ 30 phút, ngày ...") is
ignored.

DATE -- one point, ``due`` set, ``start`` None, ``dues == [due]``:

* [date.day] a named day is the deadline itself, never the day before: "ngày D", "trước ngày
  D", "chậm nhất (là) ngày D", "không quá ngày D", "hạn D", "vào ngày D", "tới ngày D",
  "ngày 30 tháng 9 năm 2024", "30/9/2024", "30-9-2024", "30.9.2024", "ngày 15/01 năm sau";
* [date.month] a month → its last day (leap years count): "Tháng 6/2023", "tháng 02 năm
  2024", "trong tháng 02/2024", "6/2023"; a two-digit year only after "tháng": "tháng 6/24"
  is June 2024 (a bare "30/9/24" or "6/24" is not read: it may be a count);
* [date.quarter] a quarter → its last day: "Quý I năm 2024", "quý 2/2025", "trong quý I năm
  2024", "Quý II/25";
* [date.part-of-year] "3/6/9 tháng đầu năm Y" → 31/3, 30/6, 30/9; "6 (3) tháng cuối năm Y" →
  31/12;
* [date.year] a year → 31/12: "2030", "năm 2024", "trong năm 2024", "cuối năm 2025", "đến hết
  năm 2025";
* [date.target] a target year is a year: "đến năm 2030", "Phấn đấu đến năm 2030", and in a
  sentence "hoàn thành đến năm 2028 và duy trì …" (what follows "và" is not a deadline);
* [date.early-mid] "đầu" / "giữa" a period: "đầu năm 2025" → its first quarter (31/3/2025),
  "giữa năm 2025" → its second (30/6/2025); "đầu / giữa quý II/2025" → the quarter's first /
  second month (30/4, 31/5); "đầu / giữa tháng 6/2025" → days 1-10 / 11-20 (10/6, 20/6, the
  "thượng tuần" and "trung tuần"). "cuối" a period is its end (the rules above);
* [date.before-period] "trước" + a month, quarter or year means before that period begins, so
  the deadline is the last day of the period before it: "trước năm 2026" → 31/12/2025,
  "trước tháng 6/2024" → 31/5/2024, "trước quý III/2024" → 30/6/2024. (Only a named *day* gets
  the office's "by D" reading; for a whole period the literal reading is the only one that is
  not a year late.) "trước cuối năm 2025" is the end of 2025;
* [date.tet-before] "trước Tết (Nguyên đán)" → the day before the first day of Tết of the
  coming lunar year (the first Tết after ``reference``): on 10/01/2025, 28/01/2025; on
  10/03/2025, 16/02/2026. A named lunar year fixes it: "trước Tết Nguyên đán Bính Ngọ" (the
  can chi year nearest to ``reference``: 2026), "trước Tết Nguyên đán 2026", "trước Tết
  Nguyên đán Bính Ngọ năm 2026" (a can chi that disagrees with the year is not read);
* [date.tet-after] "sau Tết", "sau kỳ nghỉ Tết (Nguyên đán Ất Tỵ)" → the last day of the Tết
  holiday: the days off around Tết and the weekend that follows them (2025: 2/2, 2026: 22/2).
  Said within a month after a Tết, it is that Tết's ("ngay sau kỳ nghỉ Tết" on 24/02/2026 →
  22/02/2026), otherwise the coming one's. [date.tet] "Tết Nguyên đán 2026" alone reads the
  same; "Tết Dương lịch" is 1 January ("trước Tết Dương lịch" → 31/12). Tết outside the
  calendar (after 2100) is not read;
* no year given ("trong tháng 7", "quý 1", "trước ngày 30/9", "6 tháng đầu năm") → the first
  such day or period end on or after ``reference``;
* [date.relative] "trong tháng này / quý này / năm nay / tuần này" → the end of the period
  containing ``reference``; "... sau / tới" → the end of the next one;
* [date.current-period] a unit alone: "cuối năm / quý / tháng", and "trong quý", "trong
  tháng", "trong năm", "trong tuần" when the unit ends the clause ("trong tháng." but not
  "trong năm học") → the end of the one containing ``reference``;
* a printed date earlier than ``reference`` is kept as printed.

PERIOD -- two endpoints or a list. ``start`` = the first day of the earliest period named
(1 January for a year, the 1st for a month, the first day of a quarter), ``due`` = the last day
of the latest period named:

* [period.range] two items joined by "-", "đến", "đến hết", "tới" or a plain space, optionally
  after "giai đoạn" or "từ": "Giai đoạn 2023-2025", "2022 2030", "2022-2030", "Tháng 4/2021
  2030", "Tháng 9/2025 - Tháng 12/2025", "Tháng 7/2022 Tháng 8/2022", "từ tháng 10/2024 đến
  tháng 3/2025", "Quý I - Quý II/2025", "Quý I-II/2025" (a numeral after a quarter is a
  quarter), "tháng 9-12/2025", "từ ngày 02/9/2027 đến hết ngày 05/9/2027", "2022 2022" →
  ``dues == [due]``;
* [period.list] items joined by ";", ",", "và" or "hoặc": "2023; 2027" → one due per item, in
  the order written (``[2023-12-31, 2027-12-31]``); "Quý I, II/2027" (31/3 and 30/6/2027),
  "Quý II, IV/2025, 2026" (30/6/2025, 31/12/2025, 31/12/2026), "trong tháng 11, tháng 12 năm
  2025";
* an item without a year borrows the year of the next item ("Quý I - Quý II/2025"), one year
  earlier if it would otherwise end after that item ("tháng 10 - tháng 3/2025");
* three or more items joined by range separators, or range and list separators mixed, are not
  read (UNSPECIFIED).

RECURRING -- ``due`` is the occurrence current at ``reference``;
``occurrence_on_or_after(day)`` gives it for any later day:

* [recurring.periodic] "Hằng năm", "Hàng năm", "hằng quý", "hằng tháng", "hằng tuần", "hằng
  ngày", "mỗi năm", "định kỳ hằng tháng", "định kỳ 6 tháng", "định kỳ quý", "6 tháng một lần",
  "1 lần/năm" (N times a year: every 12/N months), "báo cáo quý" → the end of the period
  containing the day (a week ends on Sunday; "6 tháng" is the half-year ending 30/6 or 31/12;
  "N tháng" for N dividing 12 is aligned on January);
* [recurring.anchored] the first anchored date on or after the day, a day 31 clipped to the end
  of a shorter month:
  - an anchor that repeats: "trước ngày 30 tháng 6 hằng năm", "ngày 15/12 hằng năm", "trước
    ngày 15/6 và 15/12 hằng năm", "trước ngày 25 hằng tháng", "trước ngày 20 của tháng cuối
    quý" (also "tháng đầu / giữa / cuối cùng của mỗi quý", "tháng của cuối quý"), "ngày 01
    tháng giữa quý", "thứ Sáu hằng tuần";
  - an anchor relative to the report's period: "chậm nhất vào ngày 17 của tháng báo cáo",
    "trước ngày 20 của tháng liền kề sau quý báo cáo" (day 20 of each quarter's first month),
    "trước ngày 15 tháng 2 của năm liền kề sau năm báo cáo", "trước ngày 31 tháng 7 của năm
    báo cáo";
  - a periodic phrase first and its days last, with only words between them (no other
    number, but an aside in brackets may hold some): "hằng năm, trước ngày 15/12", "Hằng năm
    (trước ngày 20/11)" (an anchor in brackets makes "Hằng năm" anchored, not the end of the
    year), "Định kỳ hằng năm, trước ngày 15/01 năm sau", "định kỳ 6 tháng báo cáo kết quả …
    trước ngày 15 tháng 6 và trước ngày 01 tháng 12", "Báo cáo 6 tháng gửi trước ngày 05/6",
    "định kỳ hằng năm (kỳ báo cáo tính từ ngày 01 tháng 01 đến hết ngày 31 tháng 12) trước
    ngày 15 tháng 1 của năm tiếp theo", "hằng tháng, trước ngày 25";
  - the anchor first, then the report it is for: "Chậm nhất ngày 15 (mười lăm) của tháng báo
    cáo đối với báo cáo định kỳ hằng tháng", "Chậm nhất ngày 06 (sáu) tháng 06 (sáu) đối với
    báo cáo định kỳ 06 (sáu) tháng", "Đối với báo cáo năm: Trước ngày 31 tháng 01 của năm
    tiếp theo năm báo cáo";
* [recurring.base-year] a recurrence from a base year: "Định kỳ 3 năm/lần, bắt đầu từ năm
  2025" (the ends of 2025, 2028, 2031 …), "hằng năm kể từ năm 2028" (no occurrence before
  2028);
* a recurrence of several years without a base year -- "định kỳ hai năm một lần", "định kỳ 2
  năm" -- has ``due`` None (there is no year to count from).

CONTINUOUS -- [continuous] "Thường xuyên", "Nhiệm vụ thường xuyên", "thường xuyên, liên tục",
"Liên tục": no ``due``; such tasks are reported every period.

UNSPECIFIED -- no computable date, ``due`` None, the phrase kept in ``.text``:
[unspecified.schedule] "Theo lộ trình Nghị định số 107/2021/NĐ-CP" (the document number is
never read as a date), "Theo tiến độ được giao", "theo đúng tiến độ được phê duyệt", "Khi có
yêu cầu", "Sau khi Nghị định được ban hành", "trong 10 ngày làm việc kể từ ngày nhận được văn
bản này"; [unspecified.blank] "" and blanks such as "-"; [unspecified] anything else: invalid
dates ("31/2/2024"), years outside 1900-2199, "chậm nhất là 20 ngày … kể từ ngày kết thúc kỳ
kế toán quý".

Status text in a cell: a cell that opens with a time expression ending its sentence or line,
followed by a remark, is read through that expression ("2023-2025\nSở Tư pháp đã hoàn thành
năm 2024", "Tháng 6/2024. Đã hoàn thành"; explained "via leading expression"); a deadline
stated after "hạn … là" reads ("Điều chỉnh thời hạn theo NQ71 là tháng 9/2025").

find_deadline
-------------
A deadline clause is one of:

* a time expression introduced by "trong", "trước", "chậm nhất", "không quá", "không chậm
  hơn", "đến hết", "cuối", "vào", "(thời) hạn", "phấn đấu / hoàn thành đến", "sau" (Tết), "đến
  / tới" (a day; not in "tính đến ngày …" or a range "từ … đến ngày …"), "từ" (a whole range:
  "từ ngày 15/12/2024 đến 14/2/2025"; not "tính từ …", a data period), "đầu / giữa" (a numbered
  period; not after "từ" or in "6 tháng đầu năm"), or "là" after "hạn" in the same clause --
  the span starts at that word, so "hoàn thành trong quý I năm 2024" gives "trong quý I năm
  2024";
* an anchored recurrence ("trước ngày 25 hằng tháng", "chậm nhất vào ngày 17 của tháng báo
  cáo", "định kỳ 6 tháng … trước ngày 15 tháng 6 và trước ngày 01 tháng 12", "Chậm nhất ngày 15
  của tháng báo cáo đối với báo cáo định kỳ hằng tháng");
* "hằng/mỗi ngày|tuần|tháng|quý|năm", "định kỳ ...", "N lần/năm" (with a base year if one
  follows: "Định kỳ 3 năm/lần, bắt đầu từ năm 2025") at the start of a clause
  ("Định kỳ hằng tháng, Văn phòng ...") or at the end of one ("báo cáo UBND tỉnh hằng năm."),
  but not inside a noun phrase ("kế hoạch 5 năm và hằng năm", "dự toán hằng năm của ...");
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
30/6 hằng năm", "trước ngày 15 tháng 6" within "định kỳ 6 tháng … trước ngày 15 tháng 6") is
not counted separately, and a "theo tiến độ ..." clause ends where a computable one begins
("theo đúng tiến độ trong năm 2024" → "trong năm 2024"). The same goes for ``parse_deadline``
on a phrase that is not wholly a deadline: "Theo kế hoạch, hoàn thành trước ngày 30/6/2024" is
30/6/2024, "Theo lộ trình Nghị định số 107/2021/NĐ-CP" stays UNSPECIFIED.
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
