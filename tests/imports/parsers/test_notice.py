"""The notice parser on the real conclusion notice (seed 003, checked item by item against
seeds/notice_cds_2024.yaml) and on the shapes and PDF artefacts other notices bring."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import unicodedata
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml

from app.imports.parsers.docx_text import docx_paragraphs
from app.imports.parsers.notice import NoticeHeader, ParsedNotice, paragraphs, parse_notice
from app.tasks.deadlines import DeadlineKind

SEED_DOCUMENTS = Path(os.environ.get("NHIEMVU_SEED_DOCUMENTS", "/work/shared/seeds"))
SEEDS = Path(__file__).resolve().parents[3] / "seeds"
SEED_003 = SEED_DOCUMENTS / "003_4bd8ed71577863bd.txt"
SEED_002 = SEED_DOCUMENTS / "002_99090d33beb05ba6.txt"
SEED_000 = SEED_DOCUMENTS / "000_4cc5f8ccf04e5ebc.txt"
EXPECTED = yaml.safe_load((SEEDS / "notice_cds_2024.yaml").read_text(encoding="utf-8"))
REFERENCE = EXPECTED["reference_date"]  # 2024-01-18, the meeting: the notice prints no date
ROWS = [(heading, item) for heading in EXPECTED["headings"] for item in heading["items"]]
GROUP = "Các sở, ban, ngành và UBND các huyện, thị xã, thành phố"


def seed_003() -> str:
    return SEED_003.read_text(encoding="utf-8")


def parse_003(text: str | None = None) -> ParsedNotice:
    return parse_notice(seed_003() if text is None else text, reference=REFERENCE)


def expected_coordinators(item: dict[str, Any]) -> str | None:
    """The "phối hợp với …" phrase as written: the YAML keeps it only when its list of
    concrete agencies does not say it all."""
    if item["coordinators_text"]:
        return item["coordinators_text"]
    return " và ".join(item["coordinators"]) or None


def shape(result: ParsedNotice) -> list[tuple[Any, ...]]:
    return [
        (i.agency, i.is_group, i.heading_number, i.text, i.deadline_text, i.lead_text)
        for i in result.items
    ]


# --- seed 003 against the hand-checked YAML --------------------------------------------------


@pytest.fixture(scope="module")
def parsed() -> ParsedNotice:
    return parse_003()


def test_seed_003_gives_the_twenty_items_in_order(parsed):
    assert [(i.heading_number, i.text) for i in parsed.items] == [
        (heading["number"], item["title"]) for heading, item in ROWS
    ]
    counts = Counter(i.heading_number for i in parsed.items)
    assert [counts[str(n)] for n in range(1, 9)] == [8, 1, 2, 1, 2, 2, 1, 3]


@pytest.mark.parametrize(
    ("position", "heading", "item"),
    [(n, heading, item) for n, (heading, item) in enumerate(ROWS)],
    ids=[f"{heading['number']}-{n}" for n, (heading, _) in enumerate(ROWS)],
)
def test_seed_003_item_matches_the_yaml(parsed, position, heading, item):
    got = parsed.items[position]
    assert got.agency == heading["owner_text"]
    assert got.heading_number == heading["number"]
    assert got.is_group is (heading["lead"] is None)
    assert got.text == item["title"]
    assert got.deadline_text == item["deadline"]
    assert got.lead_text == item["lead_text"]
    assert got.coordinators_text == expected_coordinators(item)
    if item["deadline"] is None:
        assert got.deadline is None
    else:
        assert got.deadline.text == item["deadline"]


def test_seed_003_deadlines_are_read_against_the_meeting_date(parsed):
    dated = {i.deadline_text: i.deadline for i in parsed.items if i.deadline}
    assert dated["trong tháng 02 năm 2024"].due == date(2024, 2, 29)
    assert dated["trong năm 2024"].due == date(2024, 12, 31)
    assert dated["trong quý I năm 2024"].due == date(2024, 3, 31)
    assert dated["Thường xuyên"].kind is DeadlineKind.CONTINUOUS
    assert dated["theo đúng tiến độ được phê duyệt"].kind is DeadlineKind.UNSPECIFIED


def test_seed_003_precision_and_recall(parsed):
    def key(agency: str, text: str, deadline: str | None) -> tuple[str, str, str | None]:
        return agency, text, deadline

    expected = Counter(
        key(heading["owner_text"], item["title"], item["deadline"]) for heading, item in ROWS
    )
    found = Counter(key(i.agency, i.text, i.deadline_text) for i in parsed.items)
    matched = sum((expected & found).values())
    precision = matched / sum(found.values())
    recall = matched / sum(expected.values())
    print(
        f"\nseed 003: {matched} of {sum(found.values())} items found match the YAML's "
        f"{sum(expected.values())}: precision {precision:.3f}, recall {recall:.3f}"
    )
    assert precision == 1.0
    assert recall == 1.0


def test_seed_003_header(parsed):
    header = parsed.header
    assert header.kind == "conclusion"
    assert header.subject == (
        "Ý kiến kết luận của Chủ tịch Ủy ban nhân dân tỉnh Phạm Anh Tuấn, "
        "Trưởng Ban Chỉ đạo chuyển đổi số tỉnh Bình Định"
    )
    # The copy lost the number and date block; the issuer is read from the closing formula.
    assert header.number is None
    assert header.issued_on is None
    assert header.issuer == "UBND tỉnh"


def test_seed_003_needs_a_reference_date_since_it_prints_none():
    with pytest.raises(ValueError, match="reference"):
        parse_notice(seed_003())


def test_seed_003_as_json(parsed):
    data = json.loads(json.dumps(parsed.to_dict(), ensure_ascii=False))
    assert data["header"]["kind"] == "conclusion"
    first = data["items"][0]
    assert first["agency"] == "Sở Thông tin và Truyền thông"
    assert first["deadline_text"] == "trong tháng 02 năm 2024"
    assert first["deadline"]["due"] == "2024-02-29"
    assert data["items"][-1]["is_group"] is True


def test_results_are_frozen(parsed):
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.items[0].text = "x"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.header.kind = "x"  # type: ignore[misc]


# --- seed 003 through other encodings and with more PDF artefacts -----------------------------


def test_nfd_input_gives_nfc_output(parsed):
    decomposed = unicodedata.normalize("NFD", seed_003())
    assert decomposed != seed_003()
    result = parse_003(decomposed)
    assert shape(result) == shape(parsed)
    for item in result.items:
        assert unicodedata.is_normalized("NFC", item.text)
        assert unicodedata.is_normalized("NFC", item.agency)


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_windows_and_old_mac_line_endings(parsed, newline):
    assert shape(parse_003(seed_003().replace("\n", newline))) == shape(parsed)


def test_blank_lines_after_every_line_or_none_at_all(parsed):
    # Some PDF copies (seeds 001, 004) put a blank line after nearly every line; others none.
    assert shape(parse_003(seed_003().replace("\n", "\n\n"))) == shape(parsed)
    no_blanks = "\n".join(line for line in seed_003().split("\n") if line.strip())
    result = parse_003(no_blanks)
    assert shape(result) == shape(parsed)
    assert result.header == parsed.header


def test_headings_without_their_colon(parsed):
    text = seed_003()
    for heading in EXPECTED["headings"]:
        text = text.replace(
            f"{heading['number']}. {heading['owner_text']}:",
            f"{heading['number']}. {heading['owner_text']}",
        )
    assert shape(parse_003(text)) == shape(parsed)
    assert shape(parse_003(text.replace("\n", "\n\n"))) == shape(parsed)


def insert_after(text: str, anchor: str, added: str) -> str:
    assert text.count(anchor) == 1, anchor
    return text.replace(anchor, anchor + added)


def test_page_numbers_and_footnotes_are_not_structure(parsed):
    text = seed_003()
    # A page break inside a bullet, and one between bullets.
    text = insert_after(text, "trình UBND tỉnh ban hành trong \n", "\n2\n\n")
    text = insert_after(text, "nâng cao chất \n", "- 3 -\n")
    # A footnote marker glued to a symbol, its body after the separator line, two lines long.
    text = insert_after(text, "Quyết định 4466/QĐ-UBND", "1")
    text = insert_after(
        text,
        "ngày 01/12/2023 \n",
        " " * 40 + "\n1Quyết định số 4466/QĐ-UBND ngày 01/12/2023 của UBND tỉnh phê duyệt Danh mục "
        "42 mô hình thực hiện Đề án 06 \ntrên địa bàn tỉnh Bình Định. \n",
    )
    # A superscript marker and its body, as copied out of Word.
    text = insert_after(text, "Đề án 5299", "²")
    text = insert_after(text, "người dân, \n", "\n² Đề án “Tổ Công nghệ số cộng đồng”.\n")
    assert shape(parse_003(text)) == shape(parsed)


def test_a_number_at_the_start_of_a_wrapped_line_is_text(parsed):
    # Seed 003 wraps "… năm \n2024 của tỉnh; …" inside the first bullet of heading 8.
    assert "kế hoạch chuyển đổi số năm 2024 của tỉnh; phân bổ" in parsed.items[17].text
    # A wrapped line that happens to read like the next heading stays in its sentence.
    text = seed_003().replace(
        "trình tự, \nthủ tục quy định tại Nghị định số",
        "trình tự, thủ tục quy định tại Nghị định số 73/2019/NĐ-CP, khoản \n9. Điều 5 Nghị định số",
    )
    result = parse_003(text)
    assert len(result.items) == 20
    assert "khoản 9. Điều 5 Nghị định số" in result.items[-1].text


def test_footnote_bodies_end_at_their_full_stop_or_soon_after():
    text = (
        "1. Sở Thông tin và Truyền thông:\n"
        "- Phủ sóng di động theo Quyết định1\n"
        + " "
        * 40
        + "\n1Quyết định số 12/QĐ-UBND của UBND tỉnh, không có dấu chấm\n"
        "và dòng thứ hai\n"
        "\n\n"
        "- Triển khai mạng\n"
        "4G, 5G trên địa bàn tỉnh trong năm 2024.\n"
    )
    result = parse_notice(text, reference=REFERENCE)
    # The body without a full stop takes at most a few lines, so the next bullet survives;
    # "4G" at the start of a line is text, not a footnote glued to its number.
    assert [i.text for i in result.items] == [
        "Phủ sóng di động theo Quyết định",
        "Triển khai mạng 4G, 5G trên địa bàn tỉnh trong năm 2024.",
    ]


def test_seed_000_footnote_and_page_break_inside_a_paragraph():
    body = paragraphs(SEED_000.read_text(encoding="utf-8"))
    joined = "\n".join(body)
    # "Quyết định1" + footnote 1 at the foot of the page, then the sentence goes on.
    assert "ban hành Quyết định phân giao chỉ tiêu kế hoạch" in joined
    assert "4647/QĐ-UBND" not in joined
    assert "Quyết định số 4072/QĐ-UBND ngày 04 tháng 11 năm 2023" in joined  # "QĐ-\n\nUBND"
    assert "các số liệu chỉ tiêu kinh tế - xã hội của tỉnh, huyện, xã" in joined


def test_report_letters_have_no_tasks():
    # Seed 000 and seed 002 report what was done: background, numbered points, a closing.
    assert parse_notice(SEED_000.read_text(encoding="utf-8"), reference=REFERENCE).items == ()
    assert parse_notice(SEED_002.read_text(encoding="utf-8")).items == ()


def test_seed_002_header_of_an_official_letter():
    header = parse_notice(SEED_002.read_text(encoding="utf-8")).header
    assert header.kind == "official_letter"
    assert header.number == "1239/UBND-KSTT"
    assert header.issued_on == date(2025, 2, 20)
    assert header.issuer == "ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH"
    assert header.subject == (
        "tình hình tổ chức triển khai thực hiện Quyết định số 1588/QĐ-TTg ngày 17 tháng 12 "
        "năm 2024 của Thủ tướng Chính phủ trên địa bàn tỉnh Bình Định"
    )


# --- shapes, on short notices -----------------------------------------------------------------

HEADER = """ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH BÌNH ĐỊNH Độc lập - Tự do - Hạnh phúc
Số: 35 /TB-UBND Bình Định, ngày 22 tháng 3 năm 2024

THÔNG BÁO
Kết luận của Chủ tịch UBND tỉnh tại cuộc họp về cải cách hành chính

Ngày 15/3/2024, Chủ tịch UBND tỉnh chủ trì cuộc họp. Sau khi nghe báo cáo, Chủ tịch UBND tỉnh kết luận:
"""
CLOSING = """UBND tỉnh thông báo để các cơ quan, đơn vị biết, thực hiện./.

Nơi nhận:
- Như trên;
- Sở Nội vụ;
- Lưu: VT, K9.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
"""


def notice(body: str) -> ParsedNotice:
    return parse_notice(HEADER + body + CLOSING)


def test_header_of_a_notice_with_its_number_date_and_issuer():
    header = notice("").header
    assert header.kind == "conclusion"
    assert header.number == "35/TB-UBND"
    assert header.issued_on == date(2024, 3, 22)
    assert header.issuer == "ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH"
    assert header.subject == "Kết luận của Chủ tịch UBND tỉnh tại cuộc họp về cải cách hành chính"


def test_the_header_date_is_the_reference_even_when_one_is_given():
    text = HEADER + "1. Sở Nội vụ:\n- Hoàn thành việc rà soát trong quý II.\n" + CLOSING
    item = parse_notice(text, reference=date(2030, 1, 1)).items[0]
    assert item.deadline_text == "trong quý II"
    assert item.deadline.due == date(2024, 6, 30)


def test_a_heading_followed_by_a_plain_paragraph_is_one_task():
    result = notice(
        "1. Công an tỉnh:\nThường xuyên kiểm tra, đôn đốc việc thực hiện Đề án 06.\n"
        "2. Sở Y tế\nTriển khai bệnh án điện tử trước ngày 30/9/2024.\n"
    )
    assert shape(result) == [
        (
            "Công an tỉnh",
            False,
            "1",
            "Thường xuyên kiểm tra, đôn đốc việc thực hiện Đề án 06.",
            "Thường xuyên",
            None,
        ),
        (
            "Sở Y tế",
            False,
            "2",
            "Triển khai bệnh án điện tử trước ngày 30/9/2024.",
            "trước ngày 30/9/2024",
            None,
        ),
    ]
    assert result.items[1].deadline.due == date(2024, 9, 30)


def test_a_heading_with_its_task_on_the_same_line():
    result = notice("1. Sở Tài chính: bố trí kinh phí thực hiện trong năm 2024.\n")
    assert shape(result) == [
        (
            "Sở Tài chính",
            False,
            "1",
            "bố trí kinh phí thực hiện trong năm 2024.",
            "trong năm 2024",
            None,
        )
    ]


def test_paragraphs_whose_subject_is_an_organisation():
    result = notice(
        "Giao Sở Tài chính chủ trì, phối hợp với Sở Nội vụ tham mưu phương án bố trí kinh phí, "
        "báo cáo UBND tỉnh trước ngày 15/4/2024.\n"
        "Công an tỉnh: chủ trì triển khai Đề án 06 trên địa bàn tỉnh trong năm 2024.\n"
        "UBND tỉnh giao Văn phòng UBND tỉnh theo dõi, đôn đốc việc thực hiện.\n"
    )
    assert [(i.agency, i.heading_number, i.deadline_text) for i in result.items] == [
        ("Sở Tài chính", None, "trước ngày 15/4/2024"),
        ("Công an tỉnh", None, "trong năm 2024"),
        ("Văn phòng UBND tỉnh", None, None),
    ]
    assert result.items[0].text.startswith("Giao Sở Tài chính chủ trì, phối hợp")
    assert result.items[0].coordinators_text == "Sở Nội vụ"
    assert result.items[1].text == "chủ trì triển khai Đề án 06 trên địa bàn tỉnh trong năm 2024."


def test_an_organisation_paragraph_ending_with_a_colon_heads_the_bullets():
    result = notice(
        "Giao Sở Kế hoạch và Đầu tư thực hiện các nội dung sau:\n"
        "- Rà soát danh mục dự án.\n- Báo cáo UBND tỉnh trong tháng 4/2024.\n"
    )
    assert [(i.agency, i.text) for i in result.items] == [
        ("Sở Kế hoạch và Đầu tư", "Rà soát danh mục dự án."),
        ("Sở Kế hoạch và Đầu tư", "Báo cáo UBND tỉnh trong tháng 4/2024."),
    ]


def test_group_headings_are_flagged_not_expanded():
    result = notice(
        "1. Các sở, ban, ngành và UBND các huyện, thị xã, thành phố:\n"
        "- Cập nhật dữ liệu lên hệ thống.\n"
        "2. UBND cấp huyện:\n- Rà soát thủ tục hành chính.\n"
        "3. Sở Nội vụ và Sở Tư pháp:\n- Thẩm định quy chế.\n"
        "4. Sở Lao động - Thương binh và Xã hội:\n- Rà soát hộ nghèo.\n"
    )
    assert [(i.agency, i.is_group) for i in result.items] == [
        ("Các sở, ban, ngành và UBND các huyện, thị xã, thành phố", True),
        ("UBND cấp huyện", True),
        ("Sở Nội vụ và Sở Tư pháp", True),
        ("Sở Lao động - Thương binh và Xã hội", False),
    ]


def test_topic_lead_ins_are_dropped_and_their_bullets_stay_with_the_heading():
    result = notice(
        "1. Sở Tài chính:\n"
        "- Về việc quản lý tài sản công:\n"
        "- Rà soát quy định phân cấp quản lý tài sản.\n"
        "- Về kinh phí chuyển đổi số:\n"
        "+ Hướng dẫn sử dụng kinh phí đúng quy định.\n"
        "- Về lâu dài, nghiên cứu cơ chế tài chính cho chuyển đổi số.\n"
        "- Đối với các dự án đầu tư công:\n"
        "+ Thẩm tra quyết toán đúng hạn.\n"
    )
    assert [(i.agency, i.text) for i in result.items] == [
        ("Sở Tài chính", "Rà soát quy định phân cấp quản lý tài sản."),
        ("Sở Tài chính", "Hướng dẫn sử dụng kinh phí đúng quy định."),
        # Without its colon "Về …" opens a sentence, not a topic.
        ("Sở Tài chính", "Về lâu dài, nghiên cứu cơ chế tài chính cho chuyển đổi số."),
        ("Sở Tài chính", "Thẩm tra quyết toán đúng hạn."),
    ]


def test_an_owner_line_inside_a_heading_takes_the_bullets_after_it():
    result = notice(
        "1. Các địa phương:\n"
        "- Đối với UBND thành phố Quy Nhơn:\n+ Triển khai đô thị thông minh.\n"
        "- UBND thị xã An Nhơn:\n+ Số hóa hồ sơ địa chính.\n"
    )
    assert [(i.agency, i.is_group, i.heading_number, i.text) for i in result.items] == [
        ("UBND thành phố Quy Nhơn", False, "1", "Triển khai đô thị thông minh."),
        ("UBND thị xã An Nhơn", False, "1", "Số hóa hồ sơ địa chính."),
    ]


def test_numbered_topics_background_closing_and_distribution_list_are_not_tasks():
    result = notice(
        "1. Đánh giá chung:\nNăm 2023, các cơ quan đã hoàn thành cơ bản các nhiệm vụ.\n"
        "Sở Thông tin và Truyền thông đã tham mưu triển khai nhiều nền tảng số.\n"
        "2. Nhiệm vụ thời gian tới:\n- Tiếp tục đẩy mạnh chuyển đổi số.\n"
        "3. Sở Nội vụ:\n- Rà soát vị trí việc làm.\n"
        "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, kịp thời báo cáo UBND tỉnh.\n"
    )
    assert [(i.agency, i.text) for i in result.items] == [("Sở Nội vụ", "Rà soát vị trí việc làm.")]


def test_sub_bullets_continue_a_task_that_ends_with_a_colon():
    result = notice(
        "1. Sở Y tế:\n- Chủ trì thực hiện các nội dung sau:\n+ Rà soát cơ sở dữ liệu;\n"
        "+ Kết nối hồ sơ sức khỏe.\n- Báo cáo kết quả trong quý II/2024.\n"
    )
    assert [i.text for i in result.items] == [
        "Chủ trì thực hiện các nội dung sau: Rà soát cơ sở dữ liệu; Kết nối hồ sơ sức khỏe.",
        "Báo cáo kết quả trong quý II/2024.",
    ]


def test_addressees_of_a_letter_are_not_tasks():
    text = (
        "V/v triển khai chữ ký số\n\nKính gửi:\n- Các sở, ban, ngành;\n- UBND các huyện.\n\n"
        "Chủ tịch UBND tỉnh có ý kiến như sau:\n"
        "1. Giao Sở Thông tin và Truyền thông hướng dẫn sử dụng chữ ký số trong tháng 5/2024.\n"
        "2. Các sở, ban, ngành: triển khai ngay.\n"
    )
    result = parse_notice(text, reference=date(2024, 4, 2))
    assert result.header.subject == "triển khai chữ ký số"
    assert [(i.agency, i.heading_number, i.is_group) for i in result.items] == [
        ("Sở Thông tin và Truyền thông", "1", False),
        ("Các sở, ban, ngành", "2", True),
    ]


def test_a_directive_letter_with_numbered_orders():
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH BÌNH ĐỊNH\nSố: 2345/UBND-KT\nV/v tăng cường quản lý đất đai\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Bình Định, ngày 05 tháng 4 năm 2024\n"
        "Thời gian qua, Sở Tài nguyên và Môi trường đã tham mưu nhiều giải pháp. Để khắc phục "
        "hạn chế, Chủ tịch UBND tỉnh chỉ đạo như sau:\n"
        "1. Giao Sở Tài nguyên và Môi trường chủ trì, phối hợp với các cơ quan liên quan rà "
        "soát quy hoạch sử dụng đất, báo cáo UBND tỉnh trước ngày 30/6/2024.\n"
        "2. Các sở, ban, ngành, UBND các huyện, thị xã, thành phố:\n"
        "a) Khẩn trương kiểm tra việc sử dụng đất của các tổ chức.\n"
        "b) Báo cáo kết quả về Sở Tài nguyên và Môi trường trước ngày 15 hằng tháng.\n"
        "3. Về xây dựng:\n- Sở Xây dựng hướng dẫn cấp phép xây dựng trong quý III/2024.\n"
        "4. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh phối hợp giám sát.\n"
        "5. Giao Văn phòng UBND tỉnh theo dõi, đôn đốc việc thực hiện./.\n"
        "Yêu cầu Thủ trưởng các cơ quan, đơn vị nghiêm túc triển khai thực hiện./.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. CHỦ TỊCH\n"
    )
    result = parse_notice(text)
    assert result.header.kind == "official_letter"
    assert result.header.issued_on == date(2024, 4, 5)
    got = [(i.heading_number, i.agency, i.is_group, i.deadline_text) for i in result.items]
    assert got == [
        ("1", "Sở Tài nguyên và Môi trường", False, "trước ngày 30/6/2024"),
        ("2", "Các sở, ban, ngành, UBND các huyện, thị xã, thành phố", True, None),
        (
            "2",
            "Các sở, ban, ngành, UBND các huyện, thị xã, thành phố",
            True,
            "trước ngày 15 hằng tháng",
        ),
        ("3", "Sở Xây dựng", False, "trong quý III/2024"),
        ("4", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", False, None),
        ("5", "Văn phòng UBND tỉnh", False, None),
    ]
    assert result.items[2].deadline.kind is DeadlineKind.RECURRING
    assert result.items[-1].text == "Giao Văn phòng UBND tỉnh theo dõi, đôn đốc việc thực hiện."


@pytest.mark.parametrize("text", ["", "   \n\n \r\n", "\ufeff"])
def test_empty_text_gives_no_items(text):
    result = parse_notice(text)
    assert result.items == ()
    assert result.header.to_dict() == dict.fromkeys(
        ("kind", "number", "issued_on", "issuer", "subject")
    )


# --- .docx ------------------------------------------------------------------------------------


def as_docx(lines: list[tuple[str, str | None]]) -> io.BytesIO:
    document = docx.Document()
    for text, style in lines:
        document.add_paragraph(text, style=style)
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    return buffer


def test_docx_with_one_paragraph_per_line_of_the_seed(parsed):
    lines = seed_003().split("\n")
    text = docx_paragraphs(as_docx([(line, None) for line in lines]))
    assert text.split("\n") == lines
    assert without_places(parse_003(text)) == without_places(parsed)


def full_text_paragraphs() -> list[str]:
    directives = yaml.safe_load((SEEDS / "directives.yaml").read_text(encoding="utf-8"))
    notice_003 = next(d for d in directives if d["key"] == EXPECTED["directive"])
    return [
        "THÔNG BÁO",
        notice_003["summary"],
        *notice_003["full_text"].split("\n"),
        "Nơi nhận:",
        "- CT, các PCT UBND tỉnh;",
        "- Các thành viên BCĐ;",
        "- Lưu: VT, K9.",
        *notice_003["signer_title"].split("\n"),
        notice_003["signer"],
    ]


def without_places(result: ParsedNotice) -> ParsedNotice:
    """The result without the items' line numbers (a Word file has no lines of the text)."""
    items = tuple(dataclasses.replace(i, line=None, page=None) for i in result.items)
    return dataclasses.replace(result, items=items)


def test_docx_with_one_paragraph_per_paragraph_of_the_seed(parsed):
    result = parse_003(docx_paragraphs(as_docx([(p, None) for p in full_text_paragraphs()])))
    assert without_places(result) == without_places(parsed)


def test_docx_with_word_list_numbering_and_bullets(parsed):
    lines: list[tuple[str, str | None]] = []
    for paragraph in full_text_paragraphs():
        number, dot, rest = paragraph.partition(". ")
        if dot and number.isdigit() and rest.endswith(":"):
            lines.append((rest, "List Number"))
        elif paragraph.startswith("- ") and "Nơi nhận:" not in [p for p, _ in lines]:
            lines.append((paragraph[2:], "List Bullet"))
        else:
            lines.append((paragraph, None))
    text = docx_paragraphs(as_docx(lines))
    assert "\n8. Các sở, ban, ngành và UBND các huyện, thị xã, thành phố:\n- Khẩn trương" in text
    assert without_places(parse_003(text)) == without_places(parsed)


def test_docx_header_table_is_read_cell_by_cell(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH BÌNH ĐỊNH"
    table.cell(0, 0).add_paragraph("Số: 35/TB-UBND")
    table.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    table.cell(0, 1).add_paragraph("Bình Định, ngày 22 tháng 3 năm 2024")
    document.add_paragraph("THÔNG BÁO")
    document.add_paragraph("Kết luận của Chủ tịch UBND tỉnh")
    document.add_paragraph("1. Sở Nội vụ:")
    document.add_paragraph("- Rà soát vị trí việc làm trong quý II.")
    path = tmp_path / "notice.docx"
    document.save(path)
    result = parse_notice(docx_paragraphs(path))
    assert result.header == NoticeHeader(
        kind="conclusion",
        number="35/TB-UBND",
        issued_on=date(2024, 3, 22),
        issuer="ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH",
        subject="Kết luận của Chủ tịch UBND tỉnh",
    )
    assert [(i.agency, i.deadline.due) for i in result.items] == [("Sở Nội vụ", date(2024, 6, 30))]
