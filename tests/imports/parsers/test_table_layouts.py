"""Plan and appendix tables of other column sets: written with pipes, without header, with a
single status column, hierarchical STT, a section title holding its first row. The rows are
quoted from the corpus tables (bench/corpus/README.md and the shared corpus README)."""

from __future__ import annotations

import pytest

from app.imports.parsers.appendix import layout_of as appendix_layout
from app.imports.parsers.appendix import parse_appendix, status_in_words
from app.imports.parsers.plan import layout_of as plan_layout
from app.imports.parsers.plan import parse_plan
from app.imports.parsers.tabular import split_section_title
from app.imports.parsers.written_tables import text_table

# shared corpus tables/TT_01_vpdu_402_phuluc1_tien_do_nq71 (progress, one status column)
TT_01 = """## Phụ lục 1: DANH MỤC NHIỆM VỤ THỰC HIỆN NGHỊ QUYẾT 71/NQ-CP CÓ THỜI HẠN HOÀN THÀNH THÁNG 3-5/2025
*(Kèm theo Văn bản số -CV/ĐU ngày tháng 5 năm 2025 của Đảng ủy Chính phủ)*

| TT | NHIỆM VỤ | KẾT QUẢ YÊU CẦU | THỜI GIAN HOÀN THÀNH | CƠ QUAN THỰC HIỆN | TIẾN ĐỘ | KẾT QUẢ HIỆN NAY |
|----|----------|--------------------|----------------------|--------------------|---------|--------------------|
| **I** | **Nhận thức** | | | | | |
| 1. | Xây dựng, trình Thủ tướng Chính phủ ban hành và tổ chức triển khai chương trình tuyên truyền thường xuyên, sâu rộng về nội dung Nghị quyết 57-NQ/TW theo hướng: đa dạng hóa các hình thức, cụ thể hóa nội dung và có mục tiêu cụ thể. | Quyết định của Thủ tướng Chính phủ | Tháng 4/2025 | Bộ Khoa học và Công nghệ | Hoàn thành | Thủ tướng Chính phủ sẽ xem xét, ban hành trước ngày 28/5 |
| 3. | Xây dựng, ban hành Đề án đánh giá mức độ hoàn thành nhiệm vụ chuyển đổi số của cơ quan nhà nước, người đứng đầu và cán bộ, công chức, viên chức trong cơ quan nhà nước. | Đề án | Tháng 5/2025 | Bộ Nội vụ | Đang thực hiện | Nhiệm vụ này đang được thực hiện và hoàn thành trong tháng 5/2025. |
| **III** | **Hạ tầng** | | | | | |
| 25. | Tham mưu Chính phủ thành lập Ủy ban dữ liệu quốc gia. | Báo cáo Chính phủ | Tháng 3/2025 | Bộ Công an | Quá hạn | Đang chuẩn bị hồ sơ. |
"""

# shared corpus tables/TT_03_nqcp03_phuluc2_rows_117_129 (no header; a continuation row)
TT_03 = """| 127. | Triển khai một số khu công nghiệp công nghệ số/khu công nghiệp công nghệ thông tin tập trung theo Quy hoạch hạ tầng thông tin và truyền thông thời kỳ 2021-2030, tầm nhìn đến năm 2050 | Các bộ, ngành, địa phương  |  | Các khu công nghiệp công nghệ số được triển khai  | 2028 |
| 128. | Xây dựng bộ tiêu chí đánh giá hiệu quả đầu tư cho chuyển đổi số quốc gia. Xây dựng công cụ đánh giá trực tuyến và định kỳ tổ chức đánh giá, công bố kết quả. | Bộ Thông tin và Truyền thông |  | Quyết định của Thủ tướng Chính phủ  | 2025 |
|   | trưc tuyến và định kỳ tổ chức đánh giá, công bố kết quả. |  |  |  |  |
| 129. | Xây dựng chương trình thúc đẩy tiêu dùng sản phẩm, dịch vụ trên môi trường số bao gồm đưa sản phẩm lên môi trường số; trang bị kỹ năng số cho người dân, cung cấp các tiện ích để người dân giao dịch trên môi trường số, tạo lập niềm tin số.  | Các bộ, ngành, địa phương |  | Quyết định phê duyệt Chương trình được ban hành  | 9/2026 |
"""

# bench/corpus/tables/TT_04_nqcp03_phuluc1_chi_tieu (no time column, hierarchical STT)
TT_04 = """| TT  | Chỉ tiêu | Đơn vị | Kết quả | Cơ quan chủ trì theo dõi, đánh giá |
| --- | --- | --- | --- | --- |
| **I** | **Đến năm 2030** | | | |
| 10  | Quy mô kinh tế số | % GDP | ≥ 30 | Bộ Thông tin và Truyền thông |
| 11  | Chỉ tiêu về thực hiện thủ tục hành chính, dịch vụ công và chỉ đạo, điều hành, quản trị nội bộ trên môi trường điện tử | | | |
| 11.1| Tỉ lệ sử dụng dịch vụ công trực tuyến của người dân và doanh nghiệp | % | ≥ 80 | Bộ Thông tin và Truyền thông |
| 11.2| Tỉ lệ cung cấp dịch vụ công trực tuyến toàn trình trên tổng số thủ tục hành chính có đủ điều kiện | % | 90 | Văn phòng Chính phủ |
"""


def rows_of(text: str) -> list:
    table = text_table(text)
    assert table is not None
    return table.rows


def test_a_pipe_table_is_read_as_cells_with_its_lines_and_the_text_above():
    table = text_table(TT_01)
    assert table.rows[0][:2] == ["TT", "NHIỆM VỤ"]
    assert table.rows[1][:2] == ["I", "Nhận thức"]  # "**" dropped, the rule row too
    assert table.lines[:3] == [4, 6, 7]
    assert table.head.startswith("## Phụ lục 1: DANH MỤC NHIỆM VỤ")
    assert text_table("Không có bảng nào.\n| một dòng |\n") is None


def test_a_progress_appendix_with_one_status_column_and_its_lead():
    layout = appendix_layout(rows_of(TT_01))
    assert layout.columns == {
        "stt": 0,
        "name": 1,
        "product": 2,
        "deadline": 3,
        "lead": 4,
        "status": 5,
        "explanation": 6,
    }
    assert layout.headers["status"] == "TIẾN ĐỘ"
    rows = parse_appendix(rows_of(TT_01))
    assert [(r.section_number, r.stt, r.status, r.status_note) for r in rows] == [
        ("I", "1", "completed", None),
        ("I", "3", "in_progress", None),
        ("III", "25", "in_progress", "Quá hạn"),  # overdue is computed, not a status
    ]
    assert rows[2].lead_text == "Bộ Công an"
    assert rows[2].deadline_text == "Tháng 3/2025"
    assert rows[2].explanation == "Đang chuẩn bị hồ sơ."
    assert rows[0].product == "Quyết định của Thủ tướng Chính phủ"
    assert [r.line for r in rows] == [3, 4, 6]  # rows of the table, its header row 1


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("Hoàn thành", ("completed", None)),
        ("Đang thực hiện", ("in_progress", None)),
        ("Đang tiếp tục thực hiện", ("in_progress", None)),
        ("Chưa thực hiện", ("in_progress", "Chưa thực hiện")),
        ("Quá hạn", ("in_progress", "Quá hạn")),
        ("Hoàn thành một phần", ("partial", None)),
        ("Thủ tướng Chính phủ sẽ xem xét", (None, None)),
    ],
)
def test_statuses_in_words(written, read):
    assert status_in_words(written) == read


def test_a_table_without_header_has_its_columns_told_from_the_cells():
    layout = plan_layout(rows_of(TT_03))
    assert layout.guessed is True
    assert layout.columns == {
        "outline": 0,
        "deadline": 5,
        "lead": 2,
        "title": 1,
        "product": 4,
    }
    rows = parse_plan(rows_of(TT_03))
    assert [(r.outline, r.lead_text, r.deadline_text) for r in rows] == [
        ("127", "Các bộ, ngành, địa phương", "2028"),
        ("128", "Bộ Thông tin và Truyền thông", "2025"),
        ("129", "Các bộ, ngành, địa phương", "9/2026"),
    ]
    # the row with an empty TT continues row 128 across a page break
    assert rows[1].title.endswith(
        "công bố kết quả. trưc tuyến và định kỳ tổ chức đánh giá, công bố kết quả."
    )


def test_other_column_wordings_no_time_column_and_hierarchical_stt():
    layout = plan_layout(rows_of(TT_04))
    assert layout.columns == {"outline": 0, "lead": 4, "product": 3, "title": 1}
    rows = parse_plan(rows_of(TT_04))
    assert [(r.outline, r.parent_outline, r.lead_text, r.deadline_text) for r in rows] == [
        ("10", None, "Bộ Thông tin và Truyền thông", None),
        ("11", None, None, None),
        ("11.1", "11", "Bộ Thông tin và Truyền thông", None),
        ("11.2", "11", "Văn phòng Chính phủ", None),
    ]
    assert {r.section_title for r in rows} == {"Đến năm 2030"}


def test_numbering_that_restarts_in_each_section():
    # TT_01's rows under its sections I and III, numbered from 1 in each section as documents
    # that restart their STT do (the row texts are TT_01's, the numbers set to restart).
    text = TT_01.replace("| 3. |", "| 2. |").replace("| 25. |", "| 1. |")
    rows = parse_appendix(rows_of(text))
    assert [(r.section_number, r.stt) for r in rows] == [("I", "1"), ("I", "2"), ("III", "1")]


def test_a_section_title_holding_the_sections_first_row():
    # TT_01's section I and its row 1 in one cell, as a PDF's cells not each on their own line
    title, stt, rest = split_section_title(
        "Nhận thức\n1. Xây dựng, trình Thủ tướng Chính phủ ban hành và tổ chức triển khai "
        "chương trình tuyên truyền thường xuyên"
    )
    assert (title, stt) == ("Nhận thức", "1")
    assert rest.startswith("Xây dựng, trình Thủ tướng Chính phủ")
    assert split_section_title("Nhận thức") == ("Nhận thức", None, None)
    header = rows_of(TT_01)[0]
    merged = ["I", "Nhận thức\n1. Tham mưu Chính phủ thành lập Ủy ban dữ liệu quốc gia.",
              "Báo cáo Chính phủ", "Tháng 3/2025", "Bộ Công an", "Quá hạn",
              "Đang chuẩn bị hồ sơ."]  # fmt: skip
    (row,) = parse_appendix([header, merged])
    assert (row.section_number, row.section_title, row.stt) == ("I", "Nhận thức", "1")
    assert (row.name, row.lead_text) == ("Tham mưu Chính phủ thành lập Ủy ban dữ liệu quốc gia.",
                                         "Bộ Công an")  # fmt: skip
