"""The fixed texts of the reports, in one place: what the PDF, DOCX and XLSX writers print
around the data, and the phrases the snapshot is built with.

They are the documents' legal format (the appendix of seed 001; the cover letter of Decree
30/2020/NĐ-CP, seed 002), printed in Vietnamese whatever the interface language, so they are
not interface text and are not translated. Everything here is pure: no cleaning or escaping,
which each writer does for its format.
"""

from __future__ import annotations

from datetime import date
from typing import Final

# -- the appendix (seed 001) ------------------------------------------------------------------
APPENDIX_HEADING: Final = "Phụ lục"
APPENDIX_TITLE: Final = "Tình hình, tiến độ thực hiện các nhiệm vụ"
# "(Kèm theo Công văn số …/UBND-KSTT ngày … tháng 03 năm 2023 của Chủ tịch UBND tỉnh)"
APPENDIX_SUBTITLE: Final = (
    "(Kèm theo Công văn số …/{suffix} ngày … tháng {month:02d} năm {year} của Chủ tịch UBND tỉnh)"
)
STT: Final = "STT"
NAME: Final = "Tên nhiệm vụ"
DEADLINE: Final = "Thời hạn hoàn thành"
PROGRESS: Final = "Tiến độ thực hiện (X)"  # over the two columns below it
DONE: Final = "Hoàn thành"
GOING: Final = "Đang tiếp tục thực hiện"
EXPLANATION: Final = "Nội dung giải trình cụ thể"
# Left to right, top row first: PROGRESS spans DONE and GOING, the others both header rows.
APPENDIX_HEADER: Final = (STT, NAME, DEADLINE, PROGRESS, DONE, GOING, EXPLANATION)
PARTIAL_MARK, MARK, NO_MARK = "Một phần", "X", "-"
# (Hoàn thành, Đang tiếp tục thực hiện) per progress, as the seed prints them; keyed by the
# values of documents.Progress (a StrEnum, so its members find them), this module imports none.
MARKS: Final = {
    "completed": (MARK, NO_MARK),
    "partial": (PARTIAL_MARK, MARK),
    "in_progress": (NO_MARK, MARK),
}
OTHER_TASKS: Final = "Các nhiệm vụ khác"  # the section of tasks outside their directive's
SUMMARY_SHEET: Final = "Tổng hợp"  # the workbook's second sheet; the first is the heading's


def section_label(number: str, title: str) -> str:
    """ "I. Về cải cách…" — a section row in one cell; either part may be blank."""
    number, title = number.strip(), title.strip()
    return f"{number}. {title}" if number and title else number or title


def roman(number: int) -> str:
    """1 → "I", 14 → "XIV": how appendices number their sections (and the overdue list its
    agencies)."""
    out = []
    for value, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


# -- the summary per lead agency --------------------------------------------------------------
SUMMARY_TITLE: Final = "Tổng hợp tình hình thực hiện nhiệm vụ theo cơ quan chủ trì"
# The PDF's summary page has always been headed without "nhiệm vụ"; its tests read it so.
SUMMARY_TITLE_PDF: Final = "Tổng hợp tình hình thực hiện theo cơ quan chủ trì"
LEAD_AGENCY: Final = "Cơ quan chủ trì"
NO_AGENCY: Final = "Chưa xác định cơ quan chủ trì"
# The four-way standing and the tasks without a deadline, in the order of every count.
STANDINGS: Final = (
    "Hoàn thành đúng hạn",
    "Hoàn thành quá hạn",
    "Đang thực hiện trong hạn",
    "Quá hạn",
    "Không có thời hạn",
)
SUMMARY_HEADER: Final = (STT, LEAD_AGENCY, *STANDINGS, "Tổng số")
SUMMARY_TOTAL: Final = "Tổng cộng"
CHART_ALL: Final = "Biểu đồ: số nhiệm vụ theo cơ quan chủ trì"
CHART_TOP: Final = "Biểu đồ: {n} cơ quan chủ trì nhiều nhiệm vụ nhất"

# -- the overdue list -------------------------------------------------------------------------
OVERDUE_TITLE: Final = "Các nhiệm vụ chưa hoàn thành, quá hạn"
OVERDUE_SHEET: Final = "Quá hạn"
AS_OF: Final = "Tính đến ngày {date}"


def as_of(day: date) -> str:
    """ "Tính đến ngày 15/07/2024"."""
    return AS_OF.format(date=f"{day:%d/%m/%Y}")


def overdue_header(due: str) -> tuple[str, ...]:
    return (
        STT,
        "Nhiệm vụ",
        "Thời hạn",
        due,
        "Số ngày quá hạn",
        "Lãnh đạo theo dõi",
        "Giải trình gần nhất",
    )


# The due date in force is "Hạn hoàn thành" in the workbook and "Hạn xử lý" in the printed
# list, as each was first written (and as their tests read them).
OVERDUE_HEADER: Final = overdue_header("Hạn hoàn thành")
OVERDUE_HEADER_PDF: Final = overdue_header("Hạn xử lý")
OVERDUE_GROUP: Final = "{agency} ({n} nhiệm vụ)"
OVERDUE_OUTLINE: Final = "(Mục {outline})"
NO_OVERDUE: Final = "Không có nhiệm vụ quá hạn."

# -- the cover letter (Decree 30/2020/NĐ-CP) ------------------------------------------------
AGENCY: Final = "ỦY BAN NHÂN DÂN"
PROVINCE: Final = "TỈNH {province}"
MOTTO: Final = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
NUMBER: Final = "Số: {number}"
SUBJECT: Final = "V/v "  # before the subject, under the number
RECIPIENTS: Final = "Kính gửi:"
DISTRIBUTION: Final = "Nơi nhận:"
BLANK: Final = "…"  # what is written in by hand on the signing day


def agency_lines(province: str) -> list[str]:
    """The issuing agency at the letter's top left: "ỦY BAN NHÂN DÂN", "TỈNH BÌNH ĐỊNH"."""
    return [AGENCY, PROVINCE.format(province=province.upper())]


def date_in_words(place: str, dated: date | None) -> str:
    """ "Bình Định, ngày 20 tháng 02 năm 2025": a day under 10 and the months 1 and 2 take a
    leading zero (Decree 30/2020/NĐ-CP); no date leaves the blanks for the signing day."""
    place = place.strip()
    if dated is None:
        return f"{place}, ngày {BLANK} tháng {BLANK} năm {BLANK}"
    month = f"{dated.month:02d}" if dated.month <= 2 else str(dated.month)
    return f"{place}, ngày {dated.day:02d} tháng {month} năm {dated.year}"
