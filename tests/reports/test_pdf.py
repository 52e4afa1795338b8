"""The PDF writers, read back with pypdf: what a reader of the file sees, not what the writer meant.

`python -m tests.reports.test_pdf` renders page 1 of each sample document to docs/*.png (needs
poppler's pdftoppm) for a look at the layout against seeds 001 and 002.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, timezone
from io import BytesIO
from pathlib import Path
from typing import Any, cast

import pytest
import yaml
from pypdf import PageObject, PdfReader
from pypdf.generic import DictionaryObject

from app.reports.documents import (
    AgencyCounts,
    Appendix,
    AppendixSection,
    AppendixTask,
    CoverLetter,
    OverdueGroup,
    OverdueReport,
    OverdueTask,
    Progress,
)
from app.reports.pdf import appendix_pdf, cover_letter_pdf, overdue_pdf

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "appendix_131.yaml"
FONT_DIR = ROOT / "app" / "reports" / "fonts"
BUILT_AT = datetime(2023, 3, 20, 8, 30, tzinfo=timezone(timedelta(hours=7)))
STATUS = {
    "partial": Progress.PARTIAL,
    "completed": Progress.COMPLETED,
    "in_progress": Progress.IN_PROGRESS,
}
# Every Vietnamese vowel with each of the five tones (and none), both cases, and đ.
VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
DIACRITICS = (
    " ".join(
        unicodedata.normalize("NFC", "".join(v + t for t in TONES)) for v in VOWELS + VOWELS.upper()
    )
    + " đĐ"
)
BASE_FONT = re.compile(r"^/[A-Z]{6}\+LiberationSerif(-Bold|-Italic|-BoldItalic)?$")
BASE14 = {
    "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Helvetica",
    "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman", "Times-Bold",
    "Times-Italic", "Times-BoldItalic", "Symbol", "ZapfDingbats",
}  # fmt: skip


# --- samples --------------------------------------------------------------------------------


def seed_appendix(**changes: Any) -> Appendix:
    """The appendix of seed 001 (seeds/appendix_131.yaml), with a made-up summary."""
    data = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    sections = tuple(
        AppendixSection(
            number=section["number"],
            title=section["title"],
            tasks=tuple(
                AppendixTask(
                    stt=task["outline"],
                    name=task["title"],
                    deadline_text=task["deadline"],
                    progress=STATUS[task["status"]],
                    explanation=task.get("explanation", ""),
                )
                for task in section["tasks"]
            ),
        )
        for section in data["sections"]
    )
    appendix = Appendix(
        title="Tình hình, tiến độ thực hiện các nhiệm vụ triển khai Nghị quyết số 131/NQ-CP "
        "trên địa bàn tỉnh Bình Định",
        subtitle="(Kèm theo Công văn số      /UBND-KSTT ngày     tháng 03 năm 2023 "
        "của Chủ tịch UBND tỉnh)",
        sections=sections,
        summary=(
            AgencyCounts("Văn phòng UBND tỉnh", 4, 1, 3, 1, 0),
            AgencyCounts("Sở Thông tin và Truyền thông", 2, 0, 1, 2, 1),
            AgencyCounts("Sở Nội vụ", 1, 1, 0, 0, 0),
        ),
        period_label="Quý I năm 2023",
        built_at=BUILT_AT,
    )
    return replace(appendix, **changes)


def one_task_appendix(task: AppendixTask, **changes: Any) -> Appendix:
    section = AppendixSection("I", "Nhóm thử nghiệm", (task,))
    return replace(seed_appendix(), sections=(section,), summary=(), **changes)


def seed_letter(**changes: Any) -> CoverLetter:
    """The cover letter of seed 002."""
    letter = CoverLetter(
        agency_lines=("ỦY BAN NHÂN DÂN", "TỈNH BÌNH ĐỊNH"),
        number="1239 /UBND-KSTT",
        place="Bình Định",
        dated=date(2025, 2, 20),
        subject="tình hình tổ chức triển khai thực hiện Quyết định số 1588/QĐ-TTg ngày 17 tháng "
        "12 năm 2024 của Thủ tướng Chính phủ trên địa bàn tỉnh Bình Định",
        recipients=("Bộ Thông tin và Truyền thông",),
        body=(
            "Theo đề nghị của Bộ Thông tin và Truyền thông tại Công văn số 506/BTTTT-CDSQG ngày "
            "18 tháng 02 năm 2025 về việc triển khai Quyết định số 1588/QĐ-TTg ngày 17 tháng 12 "
            "năm 2024 của Thủ tướng Chính phủ phê duyệt Đề án “Tuyên truyền, phổ biến, nâng cao "
            "chất lượng về cung cấp và sử dụng hiệu quả dịch vụ công trực tuyến đến năm 2025, "
            "định hướng đến năm 2030”; Ủy ban nhân dân tỉnh Bình Định báo cáo tình hình triển "
            "khai thực hiện như sau:",
            "1. Căn cứ Quyết định số 1588/QĐ-TTg ngày 17 tháng 12 năm 2024 của Thủ tướng Chính "
            "phủ, Văn phòng Ủy ban nhân dân tỉnh đã hoàn thiện nội dung, trình Ủy ban nhân dân "
            "tỉnh phê duyệt Quyết định số 4492/QĐ-UBND ngày 27 tháng 12 năm 2024 ban hành “Kế "
            "hoạch nâng cao chất lượng cung cấp và thúc đẩy việc sử dụng dịch vụ công trực tuyến "
            "trên địa bàn tỉnh Bình Định giai đoạn 2025 – 2030”.",
            "2. Trong thời gian tới, Ủy ban nhân dân tỉnh sẽ quan tâm sâu sát trong công tác lãnh "
            "đạo, chỉ đạo và thường xuyên đánh giá kết quả triển khai trên địa bàn tỉnh để kịp "
            "thời tổng hợp, báo cáo Bộ Thông tin và Truyền thông xem xét, hướng dẫn, chỉ đạo việc "
            "thực hiện.",
            "Ủy ban nhân dân tỉnh Bình Định trân trọng báo cáo Bộ Thông tin và Truyền thông tổng "
            "hợp theo quy định./.",
        ),
        distribution=(
            "- Như trên;",
            "- Bộ Thông tin và Truyền thông (b/c);",
            "- Cục Chuyển đổi số Quốc gia;",
            "- CT, các PCT UBND tỉnh;",
            "- BCĐ CCHC, CĐS và ĐA06 của tỉnh;",
            "- LĐVP UBND tỉnh;",
            "- THCB, PVHCC, HCTC;",
            "- Tổ CCHC của VP UBND tỉnh;",
            "- Lưu: VT, K9, KSTT.",
        ),
        signature_title=("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
        signer="Nguyễn Tuấn Thanh",
        built_at=datetime(2025, 2, 20, 9, 0, tzinfo=UTC),
    )
    return replace(letter, **changes)


def seed_overdue(**changes: Any) -> OverdueReport:
    """Overdue tasks from seed 001's content, as of 20/03/2023, under two agencies."""
    tasks = [t for s in seed_appendix().sections for t in s.tasks]
    report = OverdueReport(
        title="Danh sách nhiệm vụ quá hạn",
        as_of=date(2023, 3, 20),
        groups=(
            OverdueGroup(
                "Văn phòng UBND tỉnh",
                (
                    OverdueTask(
                        tasks[1].name,
                        "Tháng 12/2022",
                        date(2022, 12, 31),
                        79,
                        "Phó Chủ tịch Lâm Hải Giang",
                        tasks[1].explanation,
                        "2",
                    ),
                ),
            ),  # fmt: skip
            OverdueGroup(
                "Sở Thông tin và Truyền thông",
                tuple(
                    OverdueTask(
                        t.name,
                        t.deadline_text,
                        date(2023, 1, 31),
                        48,
                        "Chủ tịch UBND tỉnh",
                        t.explanation,
                    )
                    for t in tasks[2:8]
                ),
            ),  # fmt: skip
        ),
        built_at=BUILT_AT,
    )
    return replace(report, **changes)


# --- reading back ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One piece of text as pypdf reports it: where it starts, in which font."""

    text: str
    x: float
    y: float
    font: str
    size: float


def runs(page: Any) -> list[Run]:
    found: list[Run] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            name = str(font.get("/BaseFont", "")) if font else ""
            found.append(Run(text.strip(), x, y, name, size))

    page.extract_text(visitor_text=visit)
    return found


def page_fonts(page: PageObject) -> list[DictionaryObject]:
    """The font dictionaries a page's resources name."""
    resources = cast(DictionaryObject, page["/Resources"].get_object())
    fonts = cast(DictionaryObject, resources["/Font"].get_object())
    return [cast(DictionaryObject, ref.get_object()) for ref in fonts.values()]


def reader(data: bytes) -> PdfReader:
    return PdfReader(BytesIO(data))


def flat(text: str) -> str:
    """Whitespace collapsed: wrapped lines read as one sentence."""
    return " ".join(text.split())


def bare(text: str) -> str:
    """No whitespace at all: a justified, wrapped paragraph compares with its source."""
    return "".join(unicodedata.normalize("NFC", text).split())


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in reader(data).pages]


@pytest.fixture(scope="module")
def width_of() -> Any:
    """Text widths from the vendored font files themselves (not through the writer)."""
    from reportlab.pdfbase.ttfonts import TTFont

    fonts = {
        "": TTFont("TestSerif", str(FONT_DIR / "LiberationSerif-Regular.ttf")),
        "-Bold": TTFont("TestSerifBold", str(FONT_DIR / "LiberationSerif-Bold.ttf")),
    }

    def width(run: Run) -> float:
        style = "-Bold" if run.font.endswith("-Bold") else ""
        return fonts[style].stringWidth(run.text, run.size)

    return width


@pytest.fixture(scope="module")
def seed_pdf() -> bytes:
    return appendix_pdf(seed_appendix())


# --- the appendix ---------------------------------------------------------------------------

HEADER = [
    "STT",
    "Tên nhiệm vụ",
    "Thời hạn hoàn thành",
    "Tiến độ thực hiện (X)",
    "Hoàn thành",
    "Đang tiếp tục thực hiện",
    "Nội dung giải trình cụ thể",
]


def test_heading_title_and_subtitle(seed_pdf: bytes) -> None:
    page = runs(reader(seed_pdf).pages[0])
    assert [r.text for r in page[:3]] == [
        "Phụ lục",
        "Tình hình, tiến độ thực hiện các nhiệm vụ triển khai Nghị quyết số 131/NQ-CP trên "
        "địa bàn tỉnh Bình Định",
        "(Kèm theo Công văn số      /UBND-KSTT ngày     tháng 03 năm 2023 của Chủ tịch UBND tỉnh)",
    ]
    assert page[1].font.endswith("LiberationSerif-Bold")
    assert page[2].font.endswith("LiberationSerif-Italic")
    assert reader(seed_pdf).pages[0].mediabox.width > reader(seed_pdf).pages[0].mediabox.height


@pytest.mark.parametrize("page", [0, 1])
def test_header_on_first_and_repeated_on_second_page(seed_pdf: bytes, page: int) -> None:
    text = flat(page_texts(seed_pdf)[page])
    position = 0
    for label in HEADER:
        found = text.find(label, position)
        assert found >= 0, f"{label!r} missing (in order) on page {page + 1}"
        position = found + len(label)
    header = [r for r in runs(reader(seed_pdf).pages[page]) if r.text in ("STT", "Tên nhiệm vụ")]
    assert {r.font.split("+")[1] for r in header} == {"LiberationSerif-Bold"}


def test_two_row_header_spans_progress_columns(seed_pdf: bytes, width_of: Any) -> None:
    page = runs(reader(seed_pdf).pages[0])
    spanning = next(r for r in page if r.text == "Tiến độ thực hiện (X)")
    done = next(r for r in page if r.text == "Hoàn")
    ongoing = next(r for r in page if r.text == "Đang tiếp")
    # Above both sub-columns and centred over them.
    assert spanning.y > done.y
    assert spanning.y > ongoing.y
    centre = spanning.x + width_of(spanning) / 2
    assert done.x < centre < ongoing.x + width_of(ongoing)


def test_page_numbers_from_page_two(seed_pdf: bytes) -> None:
    pdf = reader(seed_pdf)
    assert len(pdf.pages) > 3
    for index, page in enumerate(pdf.pages):
        height = float(page.mediabox.height)
        top = [r.text for r in runs(page) if r.y > height - 20 * 72 / 25.4]
        assert top == ([] if index == 0 else [str(index + 1)])


def test_section_rows_span_the_table_in_bold(seed_pdf: bytes, width_of: Any) -> None:
    everything = [r for page in reader(seed_pdf).pages for r in runs(page)]
    name_column = next(r for r in everything if r.text == "Tên nhiệm vụ")
    expected = {
        "I": "Về cải cách thủ tục hành chính, cắt giảm quy định liên quan đến hoạt động kinh doanh",
        "II": "Về nâng cao hiệu quả thực thi thủ tục hành chính phục vụ người dân, doanh nghiệp",
        "III": "Hiện đại hóa phương thức chỉ đạo, điều hành phục vụ người dân, doanh nghiệp",
    }
    for number, title in expected.items():
        row = next(r for r in everything if r.text == title)
        label = next(r for r in everything if r.text == number and abs(r.y - row.y) < 0.5)
        assert row.font.endswith("-Bold")
        assert label.font.endswith("-Bold")
        # One line, wider than the name column could hold: it spans the columns.
        assert width_of(row) > 212
        assert label.x < name_column.x < row.x + width_of(row)


def marks(data: bytes, width_of: Any) -> list[tuple[str, str]]:
    """Each progress mark on each page, with the column it is centred under."""
    found = []
    for page in reader(data).pages:
        page_runs = runs(page)
        if not any(r.text == "Đang tiếp" for r in page_runs):
            continue  # the summary page
        heads = {
            "Hoàn thành": next(r for r in page_runs if r.text == "Hoàn"),
            "Đang tiếp tục thực hiện": next(r for r in page_runs if r.text == "Đang tiếp"),
            "Thời hạn hoàn thành": next(r for r in page_runs if r.text == "Thời hạn hoàn"),
            "Nội dung giải trình cụ thể": next(
                r for r in page_runs if r.text == "Nội dung giải trình cụ thể"
            ),
        }
        centres = {k: r.x + width_of(r) / 2 for k, r in heads.items()}
        for r in page_runs:
            if r.text in ("X", "-", "Một phần"):
                centre = r.x + width_of(r) / 2
                column = min(centres, key=lambda k: abs(centres[k] - centre))
                assert abs(centres[column] - centre) < 1.0, (r, centres)
                found.append((r.text, column))
    return found


@pytest.mark.parametrize(
    ("progress", "expected"),
    [
        (Progress.COMPLETED, [("X", "Hoàn thành"), ("-", "Đang tiếp tục thực hiện")]),
        (Progress.PARTIAL, [("Một phần", "Hoàn thành"), ("X", "Đang tiếp tục thực hiện")]),
        (Progress.IN_PROGRESS, [("-", "Hoàn thành"), ("X", "Đang tiếp tục thực hiện")]),
    ],
)
def test_progress_marks_sit_under_their_column(
    progress: Progress, expected: list[tuple[str, str]], width_of: Any
) -> None:
    task = AppendixTask("1", "Nhiệm vụ thử", "Tháng 6/2023", progress, "Giải trình ngắn.")
    assert marks(appendix_pdf(one_task_appendix(task)), width_of) == expected


def test_seed_marks(seed_pdf: bytes, width_of: Any) -> None:
    found = marks(seed_pdf, width_of)
    # Seed 001: tasks 1, 2, 9, 10 partly done, 3 to 8 done.
    assert found.count(("Một phần", "Hoàn thành")) == 4
    assert found.count(("X", "Đang tiếp tục thực hiện")) == 4
    assert found.count(("X", "Hoàn thành")) == 6
    assert found.count(("-", "Đang tiếp tục thực hiện")) == 6


def test_deadline_is_the_original_phrase(seed_pdf: bytes) -> None:
    text = flat(" ".join(page_texts(seed_pdf)))
    for phrase in (
        "Giai đoạn 2023-2025",
        "Thường xuyên",
        "Theo lộ trình Nghị định số 107/2021/NĐ-CP",
        "Tháng 6/2023",
    ):
        assert phrase in text


def test_every_diacritic_survives(width_of: Any) -> None:
    decomposed = unicodedata.normalize("NFD", DIACRITICS)
    task = AppendixTask("1", decomposed, DIACRITICS, Progress.PARTIAL, f"Giải trình: {DIACRITICS}")
    text = "".join(page_texts(appendix_pdf(one_task_appendix(task))))
    assert unicodedata.is_normalized("NFC", text)
    assert bare(DIACRITICS) in bare(text)
    assert text.count("ặ") == 3
    assert text.count("Ự") == 3
    assert text.count("đĐ") == 3


def test_only_embedded_liberation_serif(seed_pdf: bytes) -> None:
    pdf = reader(seed_pdf)
    names = set()
    for page in pdf.pages:
        for font in page_fonts(page):
            name = str(font["/BaseFont"])
            names.add(name.split("+")[1])
            assert BASE_FONT.match(name), name
            assert name.lstrip("/") not in BASE14
            assert "/FontFile2" in cast(DictionaryObject, font["/FontDescriptor"].get_object())
            assert "/ToUnicode" in font
    assert names == {
        "LiberationSerif",
        "LiberationSerif-Bold",
        "LiberationSerif-Italic",
    }
    for raw in BASE14:
        assert f"/{raw}".encode() not in seed_pdf


def test_same_input_same_bytes(seed_pdf: bytes) -> None:
    assert appendix_pdf(seed_appendix()) == seed_pdf
    assert b"/CreationDate (D:20230320083000+07'00')" in seed_pdf
    later = appendix_pdf(seed_appendix(built_at=BUILT_AT + timedelta(days=1)))
    assert later != seed_pdf
    metadata = reader(seed_pdf).metadata
    assert metadata is not None
    assert metadata.creation_date == BUILT_AT


def test_long_explanation_spans_pages_and_ends_whole() -> None:
    words = " ".join(f"đoạn{n:04d}ữ" for n in range(1, 2500))
    explanation = words[: words.rindex(" ", 0, 19_990)] + " KẾTTHÚC"
    assert len(explanation) >= 19_980
    task = AppendixTask(
        "1", "Nhiệm vụ có giải trình rất dài", "Năm 2023", Progress.PARTIAL, explanation
    )
    pages = page_texts(appendix_pdf(one_task_appendix(task)))
    holding = [i for i, text in enumerate(pages) if "đoạn" in text]
    assert len(holding) >= 5
    assert holding == list(range(holding[0], holding[-1] + 1))
    assert "KẾTTHÚC" in pages[holding[-1]]
    everything = bare(" ".join(pages))
    for word in explanation.split():
        assert everything.count(word) == 1, word


def test_a_word_wider_than_its_column_is_cut_not_lost() -> None:
    long_word = "https://dichvucong.binhdinh.gov.vn/" + "a" * 300 + "/kết-thúc"
    task = AppendixTask("1", long_word, "Năm 2023", Progress.COMPLETED, long_word)
    text = bare(" ".join(page_texts(appendix_pdf(one_task_appendix(task)))))
    assert text.count(bare(long_word)) == 2


def test_markup_prints_literally() -> None:
    hostile = "<b>&amp; <i>nghiêng</i> <font name='Helvetica'>x</font> &lt; <para/> <br/> & <"
    task = AppendixTask("1", hostile, "<b>Tháng 6</b>", Progress.COMPLETED, hostile)
    data = appendix_pdf(one_task_appendix(task, title=hostile))
    text = flat(page_texts(data)[0])
    assert text.count("<b>&amp;") == 3
    assert "<font name='Helvetica'>x</font> &lt; <para/> <br/> & <" in text
    assert "<b>Tháng 6</b>" in text
    assert b"/Helvetica" not in data


def test_control_characters_do_not_break_the_file() -> None:
    task = AppendixTask(
        "1", "Tên\x00nhiệm\tvụ\r\nhai dòng\x0b", "Năm\u00a02023", Progress.PARTIAL, "a\u200bb"
    )
    text = flat(page_texts(appendix_pdf(one_task_appendix(task)))[0])
    assert "Tênnhiệm vụ hai dòng" in text
    assert "Năm 2023" in text
    assert "ab" in text


def test_summary_page_counts_and_chart(seed_pdf: bytes) -> None:
    pages = page_texts(seed_pdf)
    summary = flat(pages[-1])
    assert "Tổng hợp tình hình thực hiện theo cơ quan chủ trì" in summary
    assert "Quý I năm 2023" in summary
    for label in (
        "Hoàn thành đúng hạn",
        "Hoàn thành quá hạn",
        "Đang thực hiện trong hạn",
        "Quá hạn",
        "Không có thời hạn",
        "Tổng số",
    ):
        assert label in summary
    assert "1 Văn phòng UBND tỉnh 4 1 3 1 0 9" in summary
    assert "2 Sở Thông tin và Truyền thông 2 0 1 2 1 6" in summary
    assert "3 Sở Nội vụ 1 1 0 0 0 2" in summary
    assert "Tổng cộng 7 2 4 3 1 17" in summary
    # The chart: its category labels and legend are drawn after the table.
    after_table = summary.split("Tổng cộng 7 2 4 3 1 17", 1)[1]
    assert "Sở Thông tin và Truyền thông" in after_table
    assert "Quá hạn" in after_table
    # The table pages do not carry the summary.
    assert all("Tổng cộng" not in text for text in pages[:-1])


def test_no_summary_page_without_counts(seed_pdf: bytes) -> None:
    data = appendix_pdf(seed_appendix(summary=()))
    assert len(reader(data).pages) == len(reader(seed_pdf).pages) - 1


def test_an_empty_appendix_still_prints_its_header() -> None:
    data = appendix_pdf(seed_appendix(sections=(), summary=()))
    text = flat(page_texts(data)[0])
    assert "Phụ lục" in text
    assert "Nội dung giải trình cụ thể" in text


def test_a_section_heading_never_ends_a_page() -> None:
    # Rows of 1 to 40 lines put the following heading at every height of the page.
    sections = tuple(
        AppendixSection(
            str(n),
            f"Nhóm nhiệm vụ số {n}",
            (
                AppendixTask(
                    str(n), "Tên", "Năm 2023", Progress.COMPLETED, "\n".join(["Dòng."] * n)
                ),
            ),
        )
        for n in range(1, 41)
    )
    pdf = reader(appendix_pdf(seed_appendix(sections=sections, summary=())))
    assert len(pdf.pages) > 10
    for page in pdf.pages:
        page_runs = runs(page)
        bottom = min(r.y for r in page_runs)
        last_line = [r.text for r in page_runs if abs(r.y - bottom) < 0.5]
        assert not any(text.startswith("Nhóm nhiệm vụ") for text in last_line), last_line


def test_concurrent_builds_give_the_same_bytes(seed_pdf: bytes) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: appendix_pdf(seed_appendix()), range(4)))
    assert all(result == seed_pdf for result in results)


# --- the cover letter -----------------------------------------------------------------------


def test_cover_letter_blocks_where_decree_30_puts_them() -> None:
    pdf = reader(cover_letter_pdf(seed_letter()))
    page = pdf.pages[0]
    width = float(page.mediabox.width)
    assert width < float(page.mediabox.height)  # portrait
    found = {r.text: r for r in runs(page)}
    agency, province = found["ỦY BAN NHÂN DÂN"], found["TỈNH BÌNH ĐỊNH"]
    nation, motto = (
        found["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        found["Độc lập - Tự do - Hạnh phúc"],
    )
    number = found["Số: 1239 /UBND-KSTT"]
    dated = found["Bình Định, ngày 20 tháng 02 năm 2025"]
    subject = next(r for r in runs(page) if r.text.startswith("V/v tình hình"))
    to = found["Kính gửi: Bộ Thông tin và Truyền thông"]
    signature = found["KT. CHỦ TỊCH"]
    signer = found["Nguyễn Tuấn Thanh"]
    where = found["Nơi nhận:"]
    # Left column: agency over province over number over subject.
    assert agency.x < width / 2
    assert province.x < width / 2
    assert number.x < width / 2
    assert agency.y > province.y > number.y > subject.y
    assert not agency.font.endswith("-Bold")
    assert province.font.endswith("-Bold")
    # Right column: the motto, then place and date on the number's line, in italics.
    assert nation.x > width / 3
    assert motto.x > width / 3
    assert dated.x > width / 3
    assert nation.y > motto.y > dated.y
    assert nation.font.endswith("-Bold")
    assert motto.font.endswith("-Bold")
    assert dated.font.endswith("-Italic")
    assert abs(dated.y - number.y) < 0.5
    # Then the addressee, the body, and at the bottom "Nơi nhận" left, signature right.
    assert subject.y > to.y
    assert where.font.endswith("-BoldItalic")
    assert where.x < width / 3
    assert signature.font.endswith("-Bold")
    assert signature.x > width / 2
    assert abs(where.y - signature.y) < 0.5
    assert found["PHÓ CHỦ TỊCH"].y < signature.y
    assert signer.font.endswith("-Bold")
    assert signature.y - signer.y > 60
    distribution = [r for r in runs(page) if r.text.startswith("- ")]
    assert distribution[0].text == "- Như trên;"
    assert distribution[-1].text == "- Lưu: VT, K9, KSTT."
    assert distribution[0].size < to.size


def test_cover_letter_text_in_order() -> None:
    letter = seed_letter()
    text = flat(page_texts(cover_letter_pdf(letter))[0])
    order = [
        "ỦY BAN NHÂN DÂN",
        "TỈNH BÌNH ĐỊNH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 1239 /UBND-KSTT",
        "Bình Định, ngày 20 tháng 02 năm 2025",
        "V/v " + letter.subject,
        "Kính gửi: Bộ Thông tin và Truyền thông",
        *letter.body,
        "KT. CHỦ TỊCH PHÓ CHỦ TỊCH",
        "Nguyễn Tuấn Thanh",
        "Nơi nhận:",
        *letter.distribution,
    ]
    position = 0
    for piece in order:
        found = text.find(piece, position)
        assert found >= 0, piece
        position = found + len(piece)


def test_cover_letter_body_is_justified_with_indent() -> None:
    letter = seed_letter()
    page = reader(cover_letter_pdf(letter)).pages[0]
    body = [r for r in runs(page) if r.size == 14 and not r.font.endswith(("-Bold", "-Italic"))]
    starts = sorted({round(r.x, 1) for r in body})
    left = starts[0]
    firsts = [r for r in body if r.text.startswith(("Theo đề nghị", "1. Căn cứ", "2. Trong"))]
    assert all(abs(r.x - left - 36) < 0.5 for r in firsts)
    assert b" Tw" in zlib_pages(cover_letter_pdf(letter))


def zlib_pages(data: bytes) -> bytes:
    """The pages' content streams, decompressed."""
    streams = [page.get_contents() for page in reader(data).pages]
    return b"".join(stream.get_data() for stream in streams if stream is not None)


def test_undated_letter_and_several_recipients() -> None:
    letter = seed_letter(
        dated=None, recipients=("Văn phòng Chính phủ", "Bộ Thông tin và Truyền thông")
    )
    page = reader(cover_letter_pdf(letter)).pages[0]
    found = {r.text: r for r in runs(page)}
    assert "Bình Định, ngày … tháng … năm …" in found
    label = found["Kính gửi:"]
    first, second = found["- Văn phòng Chính phủ;"], found["- Bộ Thông tin và Truyền thông."]
    assert abs(first.y - label.y) < 0.5
    assert first.x > label.x
    assert abs(second.x - first.x) < 0.5
    assert second.y < first.y


def test_long_letter_continues_with_page_numbers() -> None:
    letter = seed_letter(body=seed_letter().body * 6)
    pdf = reader(cover_letter_pdf(letter))
    assert len(pdf.pages) >= 2
    last = runs(pdf.pages[-1])
    assert last[0].text == str(len(pdf.pages))
    assert "Nguyễn Tuấn Thanh" in [r.text for r in last]


def test_letter_without_recipients_and_with_a_long_distribution() -> None:
    distribution = tuple(f"- Đơn vị nhận số {n};" for n in range(1, 90))
    letter = seed_letter(recipients=(), distribution=distribution)
    texts = [flat(t) for t in page_texts(cover_letter_pdf(letter))]
    assert len(texts) >= 2
    assert "Kính gửi:" in texts[0]
    assert "- Đơn vị nhận số 89;" in texts[-1]
    assert all(f"- Đơn vị nhận số {n};" in " ".join(texts) for n in range(1, 90))


def test_cover_letter_fonts_and_determinism() -> None:
    data = cover_letter_pdf(seed_letter())
    assert data == cover_letter_pdf(seed_letter())
    for font in page_fonts(reader(data).pages[0]):
        assert BASE_FONT.match(str(font["/BaseFont"]))


# --- the overdue report ---------------------------------------------------------------------


def test_overdue_report_groups_and_header() -> None:
    report = seed_overdue()
    data = overdue_pdf(report)
    pdf = reader(data)
    assert len(pdf.pages) >= 2
    assert float(pdf.pages[0].mediabox.width) > float(pdf.pages[0].mediabox.height)
    texts = [flat(t) for t in page_texts(data)]
    assert "Danh sách nhiệm vụ quá hạn" in texts[0]
    assert "Tính đến ngày 20/03/2023" in texts[0]
    header = "STT Nhiệm vụ Thời hạn Hạn xử lý Số ngày quá hạn Lãnh đạo theo dõi Giải trình gần nhất"
    for text in texts:
        assert header in text
    everything = " ".join(texts)
    first = everything.index("I Văn phòng UBND tỉnh (1 nhiệm vụ)")
    second = everything.index("II Sở Thông tin và Truyền thông (6 nhiệm vụ)")
    assert first < second
    assert "Tháng 12/2022 31/12/2022 79 Phó Chủ tịch Lâm Hải Giang" in everything[first:second]
    assert everything[second:].count("31/01/2023 48 Chủ tịch UBND tỉnh") == 6
    groups = [r for page in pdf.pages for r in runs(page) if r.text.endswith("nhiệm vụ)")]
    assert all(r.font.endswith("-Bold") for r in groups)
    assert bare(report.groups[1].tasks[-1].last_explanation) in bare(everything)


def test_overdue_report_without_tasks() -> None:
    text = flat(page_texts(overdue_pdf(seed_overdue(groups=())))[0])
    assert "Không có nhiệm vụ quá hạn." in text


# --- a look at the pages --------------------------------------------------------------------


def samples() -> Iterator[tuple[str, bytes]]:
    yield "appendix-page1", appendix_pdf(seed_appendix())
    yield "cover-letter", cover_letter_pdf(seed_letter())
    yield "overdue-page1", overdue_pdf(seed_overdue())


def render(data: bytes, target: Path, resolution: int = 80) -> Path:
    """Page 1 of `data` as `target`.png, through poppler's pdftoppm."""
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm is not None
    subprocess.run(
        [
            pdftoppm,
            "-png",
            "-singlefile",
            "-f",
            "1",
            "-l",
            "1",
            "-r",
            str(resolution),
            "-",
            str(target),
        ],
        input=data,
        check=True,
    )
    return target.with_suffix(".png")


@pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) not installed"
)
def test_pages_render_with_poppler(tmp_path: Path) -> None:
    for name, data in samples():
        png = render(data, tmp_path / name, resolution=30)
        assert png.read_bytes().startswith(b"\x89PNG")


if __name__ == "__main__":
    docs = ROOT / "docs"
    docs.mkdir(exist_ok=True)
    for name, data in samples():
        print(render(data, docs / name), file=sys.stderr)
