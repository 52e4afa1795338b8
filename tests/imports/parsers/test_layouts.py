"""The notice parser on the layouts other provinces, ministries and party bodies use. Every
excerpt is quoted from a real document of the development corpus (the file is named beside
it; bench/corpus/README.md and the shared corpus README give the sources)."""

from __future__ import annotations

import dataclasses
import io
from datetime import date

import docx

from app.imports.documents import _owners
from app.imports.parsers.docx_text import docx_paragraphs
from app.imports.parsers.letterhead import NoticeHeader
from app.imports.parsers.notice import find_task_deadline, parse_notice
from app.imports.parsers.organisations import coordinators, subject
from app.tasks.deadlines import DeadlineKind

ON = date(2025, 1, 9)

# shared corpus, notices/02_nqcp_03_2025_to_chuc_thuc_hien (NQ 03/NQ-CP, mục III)
NQ03_1 = (
    "1. Trên cơ sở nội dung Nghị quyết số 57-NQ/TW của Bộ Chính trị, Chương trình hành động "
    "của Chính phủ, các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ, Ủy ban nhân dân các "
    "tỉnh, thành phố trực thuộc Trung ương theo chức năng, nhiệm vụ xây dựng và tổ chức thực "
    "hiện kế hoạch thực hiện Nghị quyết số 57-NQ/TW và Chương trình hành động của Chính phủ "
    "trong tháng 01 năm 2025."
)
NQ03_3 = (
    "3. Bộ trưởng, Thủ trưởng cơ quan ngang bộ, cơ quan thuộc Chính phủ, Chủ tịch Ủy ban nhân "
    "dân các tỉnh, thành phố trực thuộc Trung ương tập trung chỉ đạo thực hiện nội dung nhiệm "
    "vụ, giải pháp cụ thể"
)
NQ03_4 = (
    "4. Bộ Khoa học và Công nghệ, Bộ Thông tin và Truyền thông chủ trì, phối hợp với các bộ, "
    "ngành, địa phương theo dõi, đôn đốc việc triển khai thực hiện Chương trình hành động"
)
NQ03_6 = (
    "6. Trong quá trình tổ chức thực hiện, nếu thấy cần sửa đổi, bổ sung những nội dung cụ thể "
    "thuộc Chương trình hành động của Chính phủ, các bộ, ngành, địa phương chủ động đề xuất gửi "
    "Bộ Khoa học và Công nghệ, Bộ Thông tin và Truyền thông để tổng hợp và báo cáo Chính phủ "
    "xem xét, quyết định./."
)


def items(text: str, on: date = ON):
    return parse_notice(text, reference=on).items


# -- owners ---------------------------------------------------------------------------------
def test_an_owner_named_after_an_opening_clause():
    (item,) = items(NQ03_1)
    assert item.agency == (
        "các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ, Ủy ban nhân dân các tỉnh, "
        "thành phố trực thuộc Trung ương"
    )
    assert item.text.startswith("Trên cơ sở nội dung Nghị quyết số 57-NQ/TW")
    assert item.deadline_text == "trong tháng 01 năm 2025"
    assert item.number == "1"


def test_an_owner_after_a_conditional_clause_and_the_document_end_mark():
    (item,) = items(NQ03_6)
    assert item.agency == "các bộ, ngành, địa phương"
    assert item.is_group is True
    assert item.text.endswith("xem xét, quyết định.")


def test_office_holders_and_long_lists_are_one_subject():
    (item,) = items(NQ03_3)
    assert item.agency == (
        "Bộ trưởng, Thủ trưởng cơ quan ngang bộ, cơ quan thuộc Chính phủ, Chủ tịch Ủy ban nhân "
        "dân các tỉnh, thành phố trực thuộc Trung ương"
    )


def test_two_leads_in_one_item_are_one_task_with_co_leads():
    (item,) = items(NQ03_4)
    assert item.agency == "Bộ Khoa học và Công nghệ, Bộ Thông tin và Truyền thông"
    assert item.coordinators_text == "các bộ, ngành, địa phương"
    leads, lead_text, group = _owners(item)
    assert leads == ("Bộ Khoa học và Công nghệ", "Bộ Thông tin và Truyền thông")
    assert lead_text == item.agency
    assert group is None


def test_party_bodies_lead_and_a_markdown_escaped_number():
    # shared corpus, notices/01_nq57_tw_to_chuc_thuc_hien (NQ 57-NQ/TW, mục IV)
    text = (
        "**IV- TỔ CHỨC THỰC HIỆN**\n\n"
        "3\\. Ban cán sự đảng Chính phủ lãnh đạo, chỉ đạo xây dựng chương trình hành động triển "
        "khai thực hiện Nghị quyết; phối hợp với Đảng đoàn Quốc hội thể chế hoá đầy đủ các chủ "
        "trương, chính sách nêu trong Nghị quyết này và bố trí đủ nguồn lực để thực hiện, cơ bản "
        "hoàn thành trong năm 2025\\.\n\n"
        "4\\. Mặt trận Tổ quốc Việt Nam và các tổ chức chính trị \\- xã hội lãnh đạo, chỉ đạo xây "
        "dựng chương trình, kế hoạch hướng dẫn, vận động Nhân dân thực hiện Nghị quyết.\n"
    )
    got = items(text, date(2024, 12, 22))
    assert [(i.agency, i.number, i.coordinators_text) for i in got] == [
        ("Ban cán sự đảng Chính phủ", "3", "Đảng đoàn Quốc hội"),
        ("Mặt trận Tổ quốc Việt Nam và các tổ chức chính trị \\- xã hội", "4", None),
    ]


def test_lettered_owner_headings_own_the_bullets_under_them():
    # shared corpus, notices/03_ddqh_3260_kh_2025 (KH 3260-KH/ĐĐQH15, mục II.2.2)
    text = (
        "**2.2. Tổ đảng ở Thường trực Hội đồng Dân tộc, các Ủy ban của Quốc hội, Lãnh đạo các "
        "cơ quan thuộc UBTVQH, các Đoàn đại biểu Quốc hội theo chức năng, nhiệm vụ được giao "
        "chủ động, kịp thời thực hiện các nhiệm vụ sau:**\n\n"
        "**a) Tổ đảng ở Thường trực Ủy ban KH,CN&MT**\n\n"
        "*   Chủ trì thẩm tra các dự án luật, pháp lệnh, dự thảo nghị quyết.\n"
        "**b) Tổ đảng ở Thường trực Hội đồng Dân tộc**\n\n"
        "*   Tham gia thẩm tra chính sách, pháp luật thuộc lĩnh vực dân tộc.\n"
    )
    got = items(text, date(2025, 1, 10))
    assert [(i.agency, i.text) for i in got] == [
        (
            "Tổ đảng ở Thường trực Ủy ban KH,CN&MT",
            "Chủ trì thẩm tra các dự án luật, pháp lệnh, dự thảo nghị quyết.",
        ),
        (
            "Tổ đảng ở Thường trực Hội đồng Dân tộc",
            "Tham gia thẩm tra chính sách, pháp luật thuộc lĩnh vực dân tộc.",
        ),
    ]


def test_a_numbered_heading_naming_its_owner_after_an_opening_clause_heads_the_bullets():
    # bench/corpus/notices/17_ddqh_3260_kh_2025_muc_II1_III (mục II.2.1)
    text = (
        "**2.1. Để thể chế hoá đầy đủ và thực hiện có hiệu quả Nghị quyết số 57-NQ/TW, Đảng đoàn "
        "Quốc hội xác định các nhiệm vụ trọng tâm sau:**\n\n"
        "*   Khẩn trương, quyết liệt tổ chức rà soát, nhận diện đúng, đầy đủ, các khó khăn, vướng "
        "mắc, rào cản về pháp luật đang cản trở sự phát triển; thực hiện cơ bản hoàn thành trong "
        "năm 2025.\n"
        "*   Chủ động xây dựng, triển khai thực hiện kế hoạch, chương trình giám sát theo quy định "
        "và phù hợp với yêu cầu của thực tiễn.\n"
    )
    got = items(text, date(2025, 1, 10))
    assert [i.agency for i in got] == ["Đảng đoàn Quốc hội", "Đảng đoàn Quốc hội"]
    assert got[0].deadline.due == date(2025, 12, 31)


def test_periodically_x_leads_and_a_list_of_coordinators():
    # bench/corpus/notices/17_ddqh_3260_kh_2025_muc_II1_III (mục III)
    text = (
        "3.  Định kỳ, Thường trực Ủy ban KH,CN&MT của Quốc hội chủ trì, phối hợp với Hội đồng Dân "
        "tộc, các Ủy ban của Quốc hội, Văn phòng Quốc hội, các cơ quan thuộc UBTVQH, các Đoàn "
        "đại biểu Quốc hội, Văn phòng Đảng đoàn Quốc hội giúp Đảng đoàn Quốc hội triển khai thực "
        "hiện Kế hoạch này; tổng hợp, báo cáo kết quả thực hiện với các cơ quan có thẩm quyền khi "
        "có yêu cầu.\n"
    )
    (item,) = items(text, date(2025, 1, 10))
    assert item.agency == "Thường trực Ủy ban KH,CN&MT của Quốc hội"
    assert item.coordinators_text == (
        "Hội đồng Dân tộc, các Ủy ban của Quốc hội, Văn phòng Quốc hội, các cơ quan thuộc "
        "UBTVQH, các Đoàn đại biểu Quốc hội, Văn phòng Đảng đoàn Quốc hội"
    )


def test_the_issuer_and_a_lead_in_are_no_task():
    # bench/corpus/notices/10_cd_149_ttg_2025 (Công điện 149/CĐ-TTg)
    text = (
        "Để kịp thời triển khai ý kiến chỉ đạo của Bộ Chính trị, Thủ tướng Chính phủ yêu cầu:\n\n"
        "6. Văn phòng Chính phủ theo chức năng, nhiệm vụ được giao, theo dõi, đôn đốc việc thực "
        "hiện Công điện này; báo cáo cấp có thẩm quyền những vấn đề vượt thẩm quyền.\n"
    )
    assert [(i.agency, i.number) for i in items(text)] == [("Văn phòng Chính phủ", "6")]


def test_coordinators_without_with_and_a_named_day_after_words():
    # bench/corpus/notices/12_quangtri_6202_ubnd_kt_2023 and 10_cd_149_ttg_2025
    assert (
        coordinators(
            "Giao Sở Tài nguyên và Môi trường chủ trì, phối hợp các đơn vị, địa phương liên quan "
            "nghiên cứu, đề xuất UBND tỉnh xem xét theo quy định"
        )
        == "các đơn vị, địa phương liên quan"
    )
    assert coordinators("phối hợp chặt chẽ, triển khai ngay việc rà soát") is None
    phrase, deadline = find_task_deadline(
        "trong thời gian sớm nhất có thể, xong trước ngày Quốc khánh 02/9/2025.", ON
    )
    assert (phrase, deadline.due) == ("02/9/2025", date(2025, 9, 2))


def test_a_recurrence_and_routine_inside_a_sentence_are_its_deadline():
    # shared corpus notices/02 (item 5) and the seed 002 report (paragraph 2)
    phrase, deadline = find_task_deadline(
        "Bộ Tài chính chủ trì, phối hợp với các bộ, ngành, địa phương bảo đảm nguồn kinh phí "
        "thực hiện hằng năm theo Nghị quyết số 57-NQ/TW.",
        ON,
    )
    assert (phrase, deadline.kind) == ("hằng năm", DeadlineKind.RECURRING)
    phrase, deadline = find_task_deadline(
        "sẽ quan tâm sâu sát trong công tác lãnh đạo, chỉ đạo và thường xuyên đánh giá kết quả",
        ON,
    )
    assert (phrase, deadline.kind) == ("thường xuyên", DeadlineKind.CONTINUOUS)
    # NQ 03/NQ-CP: routine duties are no deadline
    assert find_task_deadline("bên cạnh các nhiệm vụ thường xuyên, các Bộ", ON) is None


def test_glued_giver_and_closing_formulas():
    # bench/corpus/notices/15_longan_14_2014_qd_ubnd and shared 07_langson_3585_vp_ktn_2017
    assert (
        subject(
            "Giaocho Sở Xây dựng chủ trì, phối hợp các Sở, ngành tnh, Ủyban nhân dân các huyện"
        ).name
        == "Sở Xây dựng"
    )
    text = (
        "Giao Sở Tài nguyên và Môi trường chủ trì, phối hợp với Sở Nông nghiệp và Phát triển "
        "Nông thôn, UBND các huyện, thành phố và các cơ quan có liên quan chủ động thực hiện các "
        "nội dung.\n\n"
        "Văn phòng UBND tỉnh thông báo để Sở Tài nguyên và Môi trường, các cơ quan liên quan "
        "thực hiện./.\n"
    )
    assert [i.agency for i in items(text, date(2017, 10, 23))] == ["Sở Tài nguyên và Môi trường"]


# -- decisions and letterheads --------------------------------------------------------------
DONG_THAP = (  # bench/corpus/notices/13_dongthap_25_2019_qd_ubnd (law-library copy)
    "ỦY BAN NHÂN\nDÂN\nTỈNH ĐỒNG THÁP\n--------\n|\nCỘNG HÒA XÃ\nHỘI CHỦ NGHĨA VIỆT NAM\n"
    "Độc lập - Tự do - Hạnh phúc\n---------------\n|\nSố:\n25/2019/QĐ-UBND\n|\nĐồng Tháp,\n"
    "ngày 16 tháng 10 năm 2019\n|\nQUYẾT ĐỊNH\nBAN HÀNH QUY ĐỊNH VỀ CHÍNH SÁCH HỖ TRỢ PHÁT\n"
    "TRIỂN NGÀNH NGHỀ NÔNG THÔN TRÊN ĐỊA BÀN TỈNH ĐỒNG THÁP\nỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP\n"
    "Căn cứ Luật Tổ chức chính\nquyền địa phương ngày 19/6/2015;\nQUYẾT ĐỊNH:\n"
    "Điều 1. Ban\nhành kèm theo Quyết định này Quy định về chính sách hỗ trợ phát triển ngành "
    "nghề\nnông thôn trên địa bàn tỉnh Đồng Tháp.\n"
    "Giao Sở Nông\nnghiệp và Phát triển nông thôn chủ trì tổ chức triển khai, hướng dẫn, đôn đốc"
    "\nkiểm tra việc thực hiện Quyết định này.\n"
    "Điều 3. Chánh Văn phòng Ủy ban nhân dân Tỉnh;\n"
    "Giám đốc các Sở: Nông nghiệp và Phát triển nông thôn, Công Thương, Tài chính, Kế\n"
    "hoạch và Đầu tư; Chủ tịch Ủy ban nhân dân\nhuyện, thị xã, thành phố và các tổ chức, cá "
    "nhân có liên quan chịu trách nhiệm\nthi hành Quyết định này./.\nNơi nhận:\n- Như Điều 3;\n"
)
HEADER = NoticeHeader(
    kind="decision",
    number="25/2019/QĐ-UBND",
    issued_on=date(2019, 10, 16),
    issuer="ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP",
    subject="BAN HÀNH QUY ĐỊNH VỀ CHÍNH SÁCH HỖ TRỢ PHÁT TRIỂN NGÀNH NGHỀ NÔNG THÔN TRÊN ĐỊA "
    "BÀN TỈNH ĐỒNG THÁP",
)


def test_a_letterhead_laid_out_as_a_table_with_bars_and_a_decisions_articles():
    result = parse_notice(DONG_THAP)
    assert result.header == HEADER  # no bar nor dash in the issuer; the title as subject
    assert [(i.agency, i.text[:40]) for i in result.items] == [
        ("Sở Nông nghiệp và Phát triển nông thôn", "Giao Sở Nông nghiệp và Phát triển nông t"),
    ]


def test_a_word_letterhead_table_reads_the_same():
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG THÁP\nSố: 25/2019/QĐ-UBND"
    table.cell(0, 1).text = (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Đồng Tháp, ngày 16 tháng 10 năm 2019"
    )
    body = DONG_THAP[DONG_THAP.index("QUYẾT ĐỊNH\n") :]
    for line in body.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    result = parse_notice(docx_paragraphs(buffer))
    assert result.header == HEADER
    assert len(result.items) == 1


def test_an_article_alone_on_its_line_then_its_task():
    # bench/corpus/notices/14_tiengiang_33_2009_qd_ubnd
    text = (
        "QUYẾT ĐỊNH:\nĐiều 1.\nBan hành kèm theo Quyết định này Quy định quản lý và khai\n"
        "thác mạng tin học diện rộng của Ủy ban nhân dân tỉnh Tiền Giang.\nĐiều 2.\n"
        "Giám đốc Sở Thông tin và Truyền thông phối hợp với các sở,\nban, ngành có liên quan tổ "
        "chức triển khai thực hiện Quyết định này.\nĐiều 3.\n"
        "Quyết định này có hiệu lực thi hành sau 10 ngày kể từ\nngày ký.\n"
    )
    (item,) = items(text, date(2009, 12, 24))
    assert item.agency == "Giám đốc Sở Thông tin và Truyền thông"
    assert item.coordinators_text == "các sở, ban, ngành có liên quan"


# -- where each task is ---------------------------------------------------------------------
def test_items_say_their_line_and_with_page_breaks_their_page():
    text = NQ03_3 + ".\n\n" + NQ03_4 + ".\n"
    assert [(i.page, i.line) for i in items(text)] == [(None, 1), (None, 3)]
    paged = NQ03_3 + ".\n\f" + NQ03_4 + ".\n"  # the second item on the next page of a PDF
    assert [(i.page, i.line) for i in items(paged)] == [(1, 1), (2, 1)]
    without = [dataclasses.replace(i, page=None, line=None) for i in items(paged)]
    assert without == [dataclasses.replace(i, page=None, line=None) for i in items(text)]
