"""The Word writers, read back with python-docx and from the package XML (never the writer's
own constants: the expected texts are written out here)."""

from __future__ import annotations

import unicodedata
import zipfile
from datetime import UTC, date, datetime
from io import BytesIO

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm
from lxml import etree

from app.imports.parsers.appendix import parse_appendix
from app.imports.parsers.tabular import docx_tables
from app.reports.documents import AppendixSection, AppendixTask, Progress
from app.reports.docx import appendix_docx, cover_letter_docx
from app.reports.texts import date_in_words
from tests.reports.seed_appendix import (
    BUILT_AT,
    VIETNAMESE,
    appendix_131,
    big_appendix,
    letter_1239,
    one_task_appendix,
    seed_sections,
)

W = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
HEADER_1 = [
    "STT",
    "Tên nhiệm vụ",
    "Thời hạn hoàn thành",
    "Tiến độ thực hiện (X)",
    "Nội dung giải trình cụ thể",
]
HEADER_2 = ["", "", "", "Hoàn thành", "Đang tiếp tục thực hiện", ""]


def _read(body: bytes):
    return Document(BytesIO(body))


def _part(body: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(BytesIO(body)) as archive:
        return etree.fromstring(archive.read(name))


def _rows(body: bytes) -> list[etree._Element]:
    return _part(body, "word/document.xml").xpath("//w:body/w:tbl[1]/w:tr", namespaces=W)


def _cells(row: etree._Element) -> list[etree._Element]:
    return row.xpath("./w:tc", namespaces=W)


def _text(cell: etree._Element) -> str:
    """A cell's paragraphs, one line each."""
    return "\n".join(
        "".join(p.xpath(".//w:t/text()", namespaces=W)) for p in cell.xpath("./w:p", namespaces=W)
    )


def _prop(cell: etree._Element, name: str) -> str | None:
    found = cell.xpath(f"./w:tcPr/w:{name}", namespaces=W)
    if not found:
        return None
    return found[0].get(qn("w:val"), "continue")


def _task_rows(body: bytes) -> list[list[str]]:
    """Texts of the rows holding tasks (six cells), header rows left out."""
    return [[_text(c) for c in _cells(r)] for r in _rows(body)[2:] if len(_cells(r)) == 6]


@pytest.fixture(scope="module")
def seed_docx() -> bytes:
    return appendix_docx(appendix_131())


# -- the appendix table -------------------------------------------------------------------------
def test_two_header_rows_with_their_merges(seed_docx):
    first, second = _rows(seed_docx)[:2]
    top = _cells(first)
    assert [_text(c) for c in top] == HEADER_1
    assert [_prop(c, "gridSpan") for c in top] == [None, None, None, "2", None]
    assert [_prop(c, "vMerge") for c in top] == ["restart"] * 3 + [None, "restart"]
    below = _cells(second)
    assert [_text(c) for c in below] == HEADER_2
    assert [_prop(c, "vMerge") for c in below] == ["continue"] * 3 + [None, None, "continue"]
    # python-docx resolves the merges into the six grid columns
    table = _read(seed_docx).tables[0]
    assert [c.text for c in table.rows[0].cells] == [*HEADER_1[:4], HEADER_1[3], HEADER_1[4]]
    assert [c.text for c in table.rows[1].cells] == [
        "STT",
        "Tên nhiệm vụ",
        "Thời hạn hoàn thành",
        "Hoàn thành",
        "Đang tiếp tục thực hiện",
        "Nội dung giải trình cụ thể",
    ]


def test_both_header_rows_repeat_on_every_page_and_no_other(seed_docx):
    repeated = [bool(r.xpath("./w:trPr/w:tblHeader", namespaces=W)) for r in _rows(seed_docx)]
    assert repeated[:2] == [True, True]
    assert not any(repeated[2:])


def test_landscape_a4_with_decree_30_margins(seed_docx):
    section = _read(seed_docx).sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    assert 20 <= round(section.top_margin.mm) <= 25
    assert 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35
    assert 15 <= round(section.right_margin.mm) <= 20


def test_column_widths_fill_the_page_and_favour_the_texts(seed_docx):
    section = _read(seed_docx).sections[0]
    grid = _part(seed_docx, "word/document.xml").xpath(
        "//w:body/w:tbl[1]/w:tblGrid/w:gridCol/@w:w", namespaces=W
    )
    widths = [int(w) for w in grid]
    assert len(widths) == 6
    text_width = (section.page_width - section.left_margin - section.right_margin) / 635  # twips
    assert abs(sum(widths) - text_width) < 10
    stt, name, deadline, done, going, explanation = widths
    assert explanation > name > deadline > stt
    assert min(done, going) > stt
    assert _part(seed_docx, "word/document.xml").xpath(
        "//w:body/w:tbl[1]/w:tblPr/w:tblLayout/@w:type", namespaces=W
    ) == ["fixed"]


def test_times_new_roman_for_every_script(seed_docx):
    styles = _part(seed_docx, "word/styles.xml")
    for path in ("//w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", "//w:style[@w:styleId='Normal']"):
        (fonts,) = styles.xpath(
            path if path.endswith("rFonts") else f"{path}//w:rFonts", namespaces=W
        )
        values = {etree.QName(k).localname: v for k, v in fonts.attrib.items()}
        assert values == dict.fromkeys(("ascii", "hAnsi", "eastAsia", "cs"), "Times New Roman")
    assert _read(seed_docx).styles["Normal"].font.name == "Times New Roman"
    # nothing in the body asks for another font
    assert not _part(seed_docx, "word/document.xml").xpath("//w:rFonts", namespaces=W)


def test_heading_title_and_subtitle(seed_docx):
    heading, title, subtitle = _read(seed_docx).paragraphs[:3]
    assert heading.text == "Phụ lục"
    assert title.text.startswith("Tình hình, tiến độ thực hiện các nhiệm vụ")
    assert subtitle.text.startswith("(Kèm theo Công văn số")
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.CENTER for p in (heading, title, subtitle))
    assert all(run.bold for p in (heading, title) for run in p.runs)
    assert all(run.italic for run in subtitle.runs)


def test_section_rows_span_the_table_in_bold(seed_docx):
    sections = [r for r in _rows(seed_docx) if len(_cells(r)) == 1]
    assert [_text(_cells(r)[0]) for r in sections] == [
        f"{s['number']}. {s['title']}" for s in seed_sections()
    ]
    for row in sections:
        (cell,) = _cells(row)
        assert _prop(cell, "gridSpan") == "6"
        runs = cell.xpath(".//w:r", namespaces=W)
        assert runs
        assert all(r.xpath("./w:rPr/w:b", namespaces=W) for r in runs)


def test_progress_marks_sit_in_their_columns():
    tasks = tuple(
        AppendixTask(str(i), f"Nhiệm vụ {p.value}", "Tháng 6/2023", p)
        for i, p in enumerate(Progress, start=1)
    )
    body = appendix_docx(appendix_131(sections=(AppendixSection("I", "Nhóm", tasks),)))
    marks = {row[1]: (row[3], row[4]) for row in _task_rows(body)}
    assert marks == {
        "Nhiệm vụ completed": ("X", "-"),
        "Nhiệm vụ partial": ("Một phần", "X"),
        "Nhiệm vụ in_progress": ("-", "X"),
    }


def test_seed_appendix_round_trip_word_for_word(seed_docx):
    expected = [
        [t["outline"], t["title"], t["deadline"], t["status"], t["explanation"]]
        for s in seed_sections()
        for t in s["tasks"]
    ]
    status = {("Một phần", "X"): "partial", ("X", "-"): "completed", ("-", "X"): "in_progress"}
    rows = _task_rows(seed_docx)
    assert len(rows) == 10
    got = [[r[0], r[1], r[2], status[(r[3], r[4])], r[5]] for r in rows]
    assert got == expected
    assert [s for s in expected if s[3] == "partial"] == [expected[i] for i in (0, 1, 8, 9)]


def test_the_appendix_importer_reads_the_export_back(seed_docx):
    (table,) = docx_tables(BytesIO(seed_docx))[:1]
    rows = parse_appendix(table)
    expected = [
        (s["number"], s["title"], t["outline"], t["title"], t["deadline"], t["status"])
        for s in seed_sections()
        for t in s["tasks"]
    ]
    got = [
        (r.section_number, r.section_title, r.stt, r.name, r.deadline_text, r.status) for r in rows
    ]
    assert got == expected
    assert [r.explanation for r in rows] == [
        t["explanation"] for s in seed_sections() for t in s["tasks"]
    ]


def test_explanation_keeps_one_paragraph_per_line():
    task = AppendixTask("1", "Nhiệm vụ", "Quý I/2024", Progress.PARTIAL, "Dòng một.\n\n- Dòng ba.")
    (row,) = [r for r in _rows(appendix_docx(one_task_appendix(task)))[2:] if len(_cells(r)) == 6]
    paragraphs = _cells(row)[5].xpath("./w:p", namespaces=W)
    assert ["".join(p.xpath(".//w:t/text()", namespaces=W)) for p in paragraphs] == [
        "Dòng một.",
        "",
        "- Dòng ba.",
    ]


def test_every_vietnamese_letter_comes_back_in_nfc():
    decomposed = unicodedata.normalize("NFD", VIETNAMESE)
    assert decomposed != VIETNAMESE
    task = AppendixTask("1", decomposed, decomposed, Progress.COMPLETED, VIETNAMESE)
    body = appendix_docx(one_task_appendix(task, title=decomposed))
    (row,) = _task_rows(body)
    assert row[1] == row[2] == row[5] == VIETNAMESE
    assert _read(body).paragraphs[1].text == VIETNAMESE


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x.example","bấm")', "+1", "-x", "@x"])
def test_formula_like_names_are_plain_text(name):
    body = appendix_docx(one_task_appendix(AppendixTask("1", name, "", Progress.PARTIAL)))
    (row,) = _task_rows(body)
    assert row[1] == name
    document = _part(body, "word/document.xml")
    assert not document.xpath("//w:fldSimple | //w:instrText", namespaces=W)


def test_a_20000_character_explanation_is_intact():
    explanation = ("Ủy ban nhân dân tỉnh đã chỉ đạo triển khai. " * 500)[:20_000]
    assert len(explanation) == 20_000
    task = AppendixTask("1", "Nhiệm vụ", "Thường xuyên", Progress.IN_PROGRESS, explanation)
    (row,) = _task_rows(appendix_docx(one_task_appendix(task)))
    assert row[5] == explanation


def test_characters_xml_cannot_hold_are_dropped_and_tabs_kept():
    task = AppendixTask("1", "Chuông\x07 và\x0b tab\tở giữa", "", Progress.PARTIAL)
    body = appendix_docx(one_task_appendix(task))
    cell = _read(body).tables[0].rows[3].cells[1]
    assert cell.text == "Chuông và tab\tở giữa"


def test_page_numbers_in_the_footer(seed_docx):
    document = _read(seed_docx)
    footer = document.sections[0].footer
    assert not footer.is_linked_to_previous
    instructions = footer._element.xpath(".//w:instrText/text()")
    assert [i.strip() for i in instructions] == ["PAGE"]


def test_summary_table_per_agency(seed_docx):
    document = _read(seed_docx)
    assert len(document.tables) == 2
    rows = [[c.text for c in row.cells] for row in document.tables[1].rows]
    assert rows[0] == [
        "STT",
        "Cơ quan chủ trì",
        "Hoàn thành đúng hạn",
        "Hoàn thành quá hạn",
        "Đang thực hiện trong hạn",
        "Quá hạn",
        "Không có thời hạn",
        "Tổng số",
    ]
    assert rows[1:] == [
        ["1", "Văn phòng UBND tỉnh", "4", "1", "2", "1", "0", "8"],
        ["2", "Sở Thông tin và Truyền thông", "2", "0", "1", "0", "2", "5"],
        ["Tổng cộng", "Tổng cộng", "6", "1", "3", "1", "2", "13"],
    ]
    assert document.tables[1]._tbl.xpath("./w:tr[1]/w:trPr/w:tblHeader")


def test_no_summary_no_second_table():
    assert len(_read(appendix_docx(appendix_131(summary=()))).tables) == 1


# -- same input, same bytes -------------------------------------------------------------------
def test_same_appendix_same_bytes_dated_from_built_at(seed_docx):
    assert appendix_docx(appendix_131()) == seed_docx
    properties = _read(seed_docx).core_properties
    assert (properties.created, properties.modified) == (BUILT_AT, BUILT_AT)
    assert properties.revision == 1
    assert properties.author == ""
    with zipfile.ZipFile(BytesIO(seed_docx)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2023, 3, 20, 2, 30, 0)}
        assert "docProps/thumbnail.jpeg" not in archive.namelist()


def test_without_built_at_still_the_same_bytes_and_no_dates():
    first = appendix_docx(appendix_131(built_at=None))
    assert appendix_docx(appendix_131(built_at=None)) == first
    properties = _read(first).core_properties
    assert properties.created is None
    assert properties.modified is None


def test_a_thousand_tasks_write_and_read_back():
    big = big_appendix()
    tasks = [t for section in big.sections for t in section.tasks]
    rows = _task_rows(appendix_docx(big))
    assert len(rows) == 1000
    assert [(r[0], r[1], r[2], r[5]) for r in rows] == [
        (t.stt, t.name, t.deadline_text, t.explanation) for t in tasks
    ]


# -- the cover letter ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def letter_docx() -> bytes:
    return cover_letter_docx(letter_1239())


def _paragraphs(cell) -> list[str]:
    return [p.text for p in cell.paragraphs]


def _has_rule(paragraph) -> bool:
    return bool(paragraph._p.xpath("./w:pPr/w:pBdr/w:top"))


@pytest.mark.parametrize(
    ("dated", "words"),
    [
        (date(2025, 2, 20), "Bình Định, ngày 20 tháng 02 năm 2025"),
        (date(2024, 1, 9), "Bình Định, ngày 09 tháng 01 năm 2024"),
        (date(2024, 3, 5), "Bình Định, ngày 05 tháng 3 năm 2024"),
        (date(2023, 12, 31), "Bình Định, ngày 31 tháng 12 năm 2023"),
        (None, "Bình Định, ngày … tháng … năm …"),
    ],
)
def test_date_in_words(dated, words):
    assert date_in_words("Bình Định", dated) == words


def test_letter_header_block(letter_docx):
    document = _read(letter_docx)
    header = document.tables[0]
    agency, motto = header.rows[0].cells
    assert _paragraphs(agency) == ["ỦY BAN NHÂN DÂN", "TỈNH BÌNH ĐỊNH", ""]
    assert agency.paragraphs[1].runs[0].bold
    assert not agency.paragraphs[0].runs[0].bold
    assert _has_rule(agency.paragraphs[2])
    assert _paragraphs(motto) == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "",
    ]
    assert all(p.runs[0].bold for p in motto.paragraphs[:2])
    assert 12 <= motto.paragraphs[0].runs[0].font.size.pt <= 13
    assert 13 <= motto.paragraphs[1].runs[0].font.size.pt <= 14
    assert _has_rule(motto.paragraphs[2])
    # the motto's rule is about as long as its line, the agency's a short one
    motto_rule = motto.paragraphs[2].paragraph_format
    agency_rule = agency.paragraphs[2].paragraph_format
    motto_length = motto.width - motto_rule.left_indent - motto_rule.right_indent
    agency_length = agency.width - agency_rule.left_indent - agency_rule.right_indent
    assert Mm(45) < motto_length < Mm(75)
    assert Mm(12) < agency_length < Mm(30)
    number, dated = header.rows[1].cells
    assert _paragraphs(number) == [
        "Số: 1239/UBND-KSTT",
        "V/v tình hình tổ chức triển khai thực hiện Quyết định số 1588/QĐ-TTg ngày 17 tháng 12 "
        "năm 2024 của Thủ tướng Chính phủ trên địa bàn tỉnh Bình Định",
    ]
    assert _paragraphs(dated) == ["Bình Định, ngày 20 tháng 02 năm 2025"]
    assert dated.paragraphs[0].runs[0].italic
    borders = header._tbl.xpath("./w:tblPr/w:tblBorders/*/@w:val")
    assert set(borders) == {"nil"}


def test_letter_body_in_order(letter_docx):
    document = _read(letter_docx)
    body = document.element.body
    kinds = [etree.QName(child).localname for child in body]
    assert kinds[0] == "tbl"
    assert kinds[-2:] == ["tbl", "sectPr"]
    paragraphs = [p for p in document.paragraphs if p.text]
    letter = letter_1239()
    assert [p.text for p in paragraphs] == ["Kính gửi: Bộ Thông tin và Truyền thông", *letter.body]
    for paragraph in paragraphs[1:]:
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
        assert Mm(10) <= paragraph.paragraph_format.first_line_indent <= Mm(12.7)


def test_letter_distribution_and_signature(letter_docx):
    closing = _read(letter_docx).tables[1]
    places, signature = closing.rows[0].cells
    letter = letter_1239()
    assert _paragraphs(places) == ["Nơi nhận:", *letter.distribution]
    head = places.paragraphs[0].runs[0]
    assert head.bold
    assert head.italic
    assert head.font.size.pt == 12
    assert {p.runs[0].font.size.pt for p in places.paragraphs[1:]} == {11}
    assert _paragraphs(signature) == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Tuấn Thanh"]
    assert all(p.runs[0].bold for p in signature.paragraphs)
    assert signature.paragraphs[2].paragraph_format.space_before.pt >= 48
    assert set(closing._tbl.xpath("./w:tblPr/w:tblBorders/*/@w:val")) == {"nil"}


def test_several_recipients_as_a_dash_list():
    body = cover_letter_docx(letter_1239(recipients=("Văn phòng Chính phủ", "Bộ Nội vụ")))
    texts = [p.text for p in _read(body).paragraphs if p.text]
    assert texts[:3] == ["Kính gửi:", "- Văn phòng Chính phủ;", "- Bộ Nội vụ."]


def test_undated_letter_leaves_blanks():
    document = _read(cover_letter_docx(letter_1239(dated=None)))
    assert document.tables[0].rows[1].cells[1].text == "Bình Định, ngày … tháng … năm …"


def test_letter_page_portrait_a4_numbered_from_page_two(letter_docx):
    section = _read(letter_docx).sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert 20 <= round(section.top_margin.mm) <= 25
    assert 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35
    assert 15 <= round(section.right_margin.mm) <= 20
    assert section.different_first_page_header_footer
    assert [t.strip() for t in section.header._element.xpath(".//w:instrText/text()")] == ["PAGE"]
    assert not section.first_page_header._element.xpath(".//w:instrText")


def test_same_letter_same_bytes(letter_docx):
    assert cover_letter_docx(letter_1239()) == letter_docx
    properties = _read(letter_docx).core_properties
    assert properties.created == datetime(2025, 2, 20, 1, 0, tzinfo=UTC)
