"""The deadline engine: every rule of the office's reading, and every deadline phrase of the
five seed documents in /work/shared/seeds, with expectations worked out by hand."""

from __future__ import annotations

import calendar
import unicodedata
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.tasks import deadlines

Deadline = deadlines.Deadline
DeadlineKind = deadlines.DeadlineKind
parse_deadline = deadlines.parse_deadline
find_deadline = deadlines.find_deadline

DATE = DeadlineKind.DATE
PERIOD = DeadlineKind.PERIOD
RECURRING = DeadlineKind.RECURRING
CONTINUOUS = DeadlineKind.CONTINUOUS
UNSPECIFIED = DeadlineKind.UNSPECIFIED

# Reference dates of the seed documents.
REF_001 = date(2022, 10, 6)  # Resolution 131/NQ-CP, whose tasks the appendix of 001 reports on
REF_003 = date(2024, 1, 18)  # the steering committee meeting of the conclusion notice
REF_004 = date(2022, 8, 1)  # the plan of August 2022
# A mid-year Wednesday for the rules that depend on the reference date.
REF = date(2024, 5, 15)

# Hypothesis keeps no example database: the tests are run with the cache provider off and
# must not leave a .hypothesis directory in the repository.
PROPERTY = settings(database=None, max_examples=300, deadline=None)


def d(iso: str) -> date:
    return date.fromisoformat(iso)


def assert_deadline(
    deadline: Any,
    kind: Any,
    due: str | None,
    start: str | None = None,
    dues: list[str] | None = None,
) -> None:
    expected_dues = dues if dues is not None else ([due] if due else [])
    assert (deadline.kind, deadline.due, deadline.start, deadline.dues) == (
        kind,
        d(due) if due else None,
        d(start) if start else None,
        [d(x) for x in expected_dues],
    )


# ---------------------------------------------------------------------------
# Seed 001: the appendix column "Thời hạn hoàn thành" (clean and as copied from the PDF)
# ---------------------------------------------------------------------------

SEED_001_COLUMN = [
    # (as the brief quotes it, as extracted with its line breaks, kind, due, start, dues)
    (
        "Giai đoạn 2023-2025",
        "Giai đoạn \n\n2023-2025 \n",
        PERIOD,
        "2025-12-31",
        "2023-01-01",
        None,
    ),
    ("Tháng 12/2022", "Tháng 12/2022 ", DATE, "2022-12-31", None, None),
    ("Thường xuyên", "Thường xuyên ", CONTINUOUS, None, None, None),
    (
        "Theo lộ trình Nghị định số 107/2021/NĐ-CP",
        "Theo lộ trình Nghị \n\nđịnh số \n\n107/2021/NĐ-CP \n",
        UNSPECIFIED,
        None,
        None,
        None,
    ),
    (
        "Theo tiến độ của Đề án 06",
        "Theo tiến độ  \n\ncủa Đề án 06 \n",
        UNSPECIFIED,
        None,
        None,
        None,
    ),
    (
        "Theo tiến độ Đề án 06 và Quyết định số 422/QĐ-TTg của Thủ tướng Chính phủ",
        "Theo tiến độ Đề \n\nán 06 và Quyết \n\nđịnh số 422/QĐ-\n\nTTg của Thủ \n\ntướng Chính phủ \n",
        UNSPECIFIED,
        None,
        None,
        None,
    ),
    ("Theo tiến độ được giao", "Theo tiến độ được \n\ngiao \n", UNSPECIFIED, None, None, None),
    ("Tháng 6/2023", "Tháng 6/2023 ", DATE, "2023-06-30", None, None),
]


@pytest.mark.parametrize(("clean", "raw", "kind", "due", "start", "dues"), SEED_001_COLUMN)
def test_seed_001_deadline_column(
    clean: str, raw: str, kind: Any, due: str | None, start: str | None, dues: list[str] | None
) -> None:
    for text in (clean, raw):
        deadline = parse_deadline(text, reference=REF_001)
        assert_deadline(deadline, kind, due, start, dues)
        assert deadline.text == text


# ---------------------------------------------------------------------------
# Seed 004: the plan's "TG bắt đầu" / "TG hoàn thành" columns
# ---------------------------------------------------------------------------

SEED_004_COLUMNS = [
    # (start column, end column, kind, due, start, dues); joined as "start end" when both
    ("", "Hằng \n\nnăm", RECURRING, "2022-12-31", None, None),
    ("", "Hàng \n\nnăm", RECURRING, "2022-12-31", None, None),
    ("", "Hàng \n\nnăm  ", RECURRING, "2022-12-31", None, None),
    ("2022", "2030", PERIOD, "2030-12-31", "2022-01-01", None),
    ("2023", "2030", PERIOD, "2030-12-31", "2023-01-01", None),
    ("2024", "2030", PERIOD, "2030-12-31", "2024-01-01", None),
    ("2025", "2030", PERIOD, "2030-12-31", "2025-01-01", None),
    ("2026", "2030", PERIOD, "2030-12-31", "2026-01-01", None),
    ("2021", "2030", PERIOD, "2030-12-31", "2021-01-01", None),
    ("2024", "2025", PERIOD, "2025-12-31", "2024-01-01", None),
    ("2022", "2025", PERIOD, "2025-12-31", "2022-01-01", None),
    ("2022", "2022", PERIOD, "2022-12-31", "2022-01-01", None),
    ("Tháng \n\n4/2021", "2030", PERIOD, "2030-12-31", "2021-04-01", None),
    ("", "Tháng \n\n8/2022", DATE, "2022-08-31", None, None),
    ("", "  2026", DATE, "2026-12-31", None, None),
    ("", "Tháng \n\n10/2022", DATE, "2022-10-31", None, None),
    ("Tháng \n\n7/2022", "Tháng \n\n8/2022", PERIOD, "2022-08-31", "2022-07-01", None),
    ("", "2023; \n\n2027", PERIOD, "2027-12-31", "2023-01-01", ["2023-12-31", "2027-12-31"]),
    ("Tháng \n\n9/2025", "Tháng \n\n12/2025", PERIOD, "2025-12-31", "2025-09-01", None),
    ("Tháng \n\n7/2030", "Tháng \n\n10/2030", PERIOD, "2030-10-31", "2030-07-01", None),
    ("Tháng \n\n7/2030", "Tháng \n\n12/2030", PERIOD, "2030-12-31", "2030-07-01", None),
    ("", "", UNSPECIFIED, None, None, None),  # 4.4.1.4 and 7.1.1 state no time
]


@pytest.mark.parametrize(("start_col", "end_col", "kind", "due", "start", "dues"), SEED_004_COLUMNS)
def test_seed_004_time_columns(
    start_col: str,
    end_col: str,
    kind: Any,
    due: str | None,
    start: str | None,
    dues: list[str] | None,
) -> None:
    joined = " ".join(part.strip() for part in (start_col, end_col) if part.strip())
    assert_deadline(parse_deadline(joined, reference=REF_004), kind, due, start, dues)
    # As copied out of the PDF, line breaks and all.
    raw = f"{start_col} {end_col}" if start_col else end_col
    assert_deadline(parse_deadline(raw, reference=REF_004), kind, due, start, dues)


@pytest.mark.parametrize(
    ("text", "kind", "due", "start", "dues"),
    [
        # The brief's spellings of the same cells, read alone.
        ("Hằng năm", RECURRING, "2022-12-31", None, None),
        ("Hàng năm", RECURRING, "2022-12-31", None, None),
        ("2026", DATE, "2026-12-31", None, None),
        ("Tháng 8/2022", DATE, "2022-08-31", None, None),
        ("Tháng 10/2022", DATE, "2022-10-31", None, None),
        ("2023; 2027", PERIOD, "2027-12-31", "2023-01-01", ["2023-12-31", "2027-12-31"]),
        ("2022 2022", PERIOD, "2022-12-31", "2022-01-01", None),
        ("2022 2030", PERIOD, "2030-12-31", "2022-01-01", None),
        ("Tháng 7/2022 Tháng 8/2022", PERIOD, "2022-08-31", "2022-07-01", None),
        ("Tháng 4/2021 2030", PERIOD, "2030-12-31", "2021-04-01", None),
        # The product column spells out two periods in words.
        ("(Từ tháng 9-12/2025)", PERIOD, "2025-12-31", "2025-09-01", None),
        ("(Tháng 10-12/2030).", PERIOD, "2030-12-31", "2030-10-01", None),
        ("(Từ tháng 7-10/2030)", PERIOD, "2030-10-31", "2030-07-01", None),
    ],
)
def test_seed_004_phrases_alone(
    text: str, kind: Any, due: str | None, start: str | None, dues: list[str] | None
) -> None:
    assert_deadline(parse_deadline(text, reference=REF_004), kind, due, start, dues)


def test_seed_004_start_and_end_columns_read_separately() -> None:
    # The start column read alone is the start period itself, not a deadline rule of its own.
    assert_deadline(parse_deadline("Tháng 7/2022", reference=REF_004), DATE, "2022-07-31")
    assert_deadline(parse_deadline("2022", reference=REF_004), DATE, "2022-12-31")


# ---------------------------------------------------------------------------
# Seed 003: one task per dash bullet, deadline inside the sentence
# ---------------------------------------------------------------------------

SEED_003_BULLETS = [
    # 1. Sở Thông tin và Truyền thông
    (
        "Nghiên cứu, tiếp thu các ý kiến góp ý của các thành viên Ban Chỉ đạo và nội dung "
        "hướng dẫn xây dựng Kế hoạch năm 2024 của Ủy ban Quốc gia về chuyển đổi số, mục tiêu, "
        "chỉ tiêu chuyển đổi số của các Bộ, ngành để hoàn chỉnh dự thảo Kế hoạch chuyển đổi số "
        "năm 2024, trình UBND tỉnh ban hành trong tháng 02 năm 2024. Lưu ý, Kế hoạch chuyển đổi "
        "số năm 2024 phải xác định chỉ tiêu nhiệm vụ cụ thể cho từng sở, ngành, địa phương; phải "
        "rõ người, rõ việc, rõ trách nhiệm, rõ lộ trình gắn với bố trí nguồn lực.",
        "trong tháng 02 năm 2024",
        DATE,
        "2024-02-29",
    ),
    (
        "Triển khai hiệu quả các nền tảng số, ứng dụng số, dịch vụ số, tập trung triển khai "
        "nền tảng trợ lý ảo, phổ cập chữ ký số cá nhân, ứng dụng thanh toán số…",
        None,
        None,
        None,
    ),
    (
        "Tập trung hoàn thiện và đưa vào sử dụng kho dữ liệu của tỉnh và cơ sở dữ liệu chuyên "
        "ngành, bảo đảm tính kết nối và chia sẻ dữ liệu.",
        None,
        None,
        None,
    ),
    (
        "Phối hợp với Sở Nội vụ đề xuất triển khai các biện pháp nâng cao chất lượng đội ngũ "
        "CBCC phục vụ công tác chuyển đổi số ở các sở, ngành và địa phương.",
        None,
        None,
        None,
    ),
    (
        "Phối hợp với các sở, ngành và các cơ quan, đơn vị, địa phương có liên quan khẩn trương "
        "đánh giá các nền tảng, ứng dụng số đang thử nghiệm, trên cơ sở đó đề xuất việc triển "
        "khai thực hiện các bước tiếp theo đúng quy định.",
        None,
        None,
        None,
    ),
    (
        "Chủ trì, phối hợp với các cơ quan, đơn vị liên quan triển khai đẩy mạnh phát triển hạ "
        "tầng số (hạ tầng số phải đi trước); xóa vùng lõm sóng di động trên địa bàn tỉnh trong "
        "năm 2024; phấn đấu 100% thôn, làng được phủ hạ tầng cáp quang băng rộng; phủ sóng di "
        "động băng rộng đến các cụm dân cư trên địa bàn tỉnh. Tham mưu UBND tỉnh có văn bản đề "
        "nghị Bộ Thông tin và Truyền thông chỉ đạo các doanh nghiệp viễn thông thực hiện roaming "
        "giữa các nhà mạng ở các khu vực vùng sâu, vùng xa.",
        "trong năm 2024",
        DATE,
        "2024-12-31",
    ),
    (
        "Đảm bảo an toàn thông tin mạng các hệ thống thông tin, cơ sở dữ liệu; khẩn trương khắc "
        "phục những lỗ hổng bảo mật, tình trạng lộ lọt thông tin và bảo vệ dữ liệu cá nhân.",
        None,
        None,
        None,
    ),
    (
        "Hướng dẫn, hỗ trợ các sở, ban, ngành, địa phương xây dựng kế hoạch chuyển đổi số năm "
        "2024 trên cơ sở bám sát Kế hoạch chuyển đổi số 2024 của tỉnh.",
        None,
        None,
        None,
    ),
    # 2. Công an tỉnh (a paragraph rather than a bullet)
    (
        "Thường xuyên theo dõi, quản lý, kiểm tra, đôn đốc các cơ quan liên quan tổ chức triển "
        "khai thực hiện hiệu quả Quyết định 4466/QĐ-UBND ngày 01/12/2023 của UBND tỉnh phê duyệt "
        "Danh mục 42 mô hình thực hiện Đề án “Phát triển ứng dụng dữ liệu về dân cư, định danh và "
        "xác phực điện tử phục vụ chuyển đổi số quốc gia giai đoạn 2022-2025, tầm nhìn đến năm "
        "2030” trên địa bàn tỉnh Bình Định.",
        "Thường xuyên",
        CONTINUOUS,
        None,
    ),
    # 3. Sở Tài chính
    (
        "Chủ trì, phối hợp với Sở Thông tin và Truyền thông hướng dẫn các đơn vị, địa phương "
        "thực hiện các quy định về quản lý, sử dụng kinh phí triển khai chuyển đổi số theo đúng "
        "quy định hiện hành của Nhà nước, bảo đảm tiết kiệm, hiệu quả.",
        None,
        None,
        None,
    ),
    (
        "Rà soát, đề xuất sửa đổi, bổ sung quy định về phân cấp thẩm quyền quản lý, sử dụng tài "
        "sản công tại các cơ quan, tổ chức, đơn vị thuộc phạm vi quản lý của tỉnh Bình Định "
        "(theo Quyết định số 27/2018/QĐ-UBND ngày 20/7/2018 và Quyết định số 35/2022/QĐ-UBND "
        "ngày 25/7/2022 của UBND tỉnh).",
        None,
        None,
        None,
    ),
    # 4. Cục Thống kê tỉnh
    (
        "Chủ trì, phối hợp với Sở Thông tin và Truyền thông và các cơ quan liên quan triển khai "
        "việc đo lường tỷ trọng đóng góp giá trị gia tăng của KTS trong GRDP của tỉnh theo hướng "
        "dẫn của Bộ, ngành Trung ương.",
        None,
        None,
        None,
    ),
    # 5. Văn phòng UBND tỉnh
    (
        "Triển khai nâng cao chất lượng dịch vụ công trực tuyến (tỷ lệ xử lý hồ sơ trực tuyến, "
        "số hóa hồ sơ, kết quả giải quyết thủ tục hành chính, tỷ lệ khai thác sử dụng lại thông "
        "tin, dữ liệu số hóa).",
        None,
        None,
        None,
    ),
    (
        "Tập trung xây dựng hoàn thành Trung tâm thông tin chỉ đạo điều hành của UBND tỉnh.",
        None,
        None,
        None,
    ),
    # 6. Văn phòng Tỉnh ủy
    (
        "Tập trung triển khai Dự án ứng dụng công nghệ thông tin trong hoạt động của các cơ "
        "quan đảng giai đoạn 2021-2025 theo đúng tiến độ được phê duyệt.",
        "theo đúng tiến độ được phê duyệt",
        UNSPECIFIED,
        None,
    ),
    (
        "Phối hợp với Sở Thông tin và Truyền thông và các đơn vị liên quan đề xuất việc kết nối, "
        "chia sẻ, sử dụng hệ thống cơ sở dữ liệu dùng chung của tỉnh; triển khai văn phòng điện "
        "tử cho các hội, đoàn thể.",
        None,
        None,
        None,
    ),
    # 7. Tỉnh đoàn Bình Định
    (
        "Phối hợp với Sở Thông tin và Truyền thông tập huấn, hướng dẫn hoạt động của Tổ Công "
        "nghệ số cộng đồng; chỉ đạo các cấp bộ đoàn tập trung triển khai có hiệu quả Đề án 5299  "
        "và nâng cao nhận thức, hướng dẫn kỹ năng số cho người dân, thúc đẩy toàn dân sử dụng "
        "các sản phẩm, dịch vụ số.",
        None,
        None,
        None,
    ),
    # 8. Các sở, ban, ngành và UBND các huyện, thị xã, thành phố
    (
        "Khẩn trương xây dựng, ban hành kế hoạch chuyển đổi số năm 2024; trong đó lưu ý rà soát, "
        "cập nhật các chỉ tiêu, nhiệm vụ phù hợp với kế hoạch, chương trình phát triển kinh tế - "
        "xã hội của ngành, địa phương và kế hoạch chuyển đổi số năm 2024 của tỉnh; phân bổ nguồn "
        "lực phù hợp cho việc triển khai thực hiện kế hoạch đạt hiệu quả.; hoàn thành việc ban "
        "hành Kế hoạch Chuyển đổi số trong quý I năm 2024.",
        "trong quý I năm 2024",
        DATE,
        "2024-03-31",
    ),
    (
        "UBND thành phố Quy Nhơn và UBND thị xã An Nhơn, Hoài Nhơn chủ trì, phối hợp với Sở "
        "Thông tin và Truyền thông đưa nhiệm vụ triển khai dịch vụ đô thị thông minh trong kế "
        "hoạch chuyển đổi số của địa phương; ưu tiên triển khai các dịch vụ cấp thiết, như: quản "
        "lý giao thông, đô thị, an ninh trật tự, môi trường, giáo dục, y tế... phục vụ cho đời "
        "sống người dân; chủ động trao đổi với Sở Thông tin và Truyền thông về các hạng mục "
        "triển khai để đảm bảo việc đầu tư tiết kiệm, hiệu quả.",
        None,
        None,
        None,
    ),
    (
        "Khi triển khai các nhiệm vụ, dự án ứng dụng công nghệ thông tin, chuyển đổi số sử dụng "
        "nguồn vốn ngân sách nhà nước phải thực hiện theo đúng các trình tự, thủ tục quy định tại "
        "Nghị định số 73/2019/NĐ-CP ngày 05/9/2019 của Chính phủ và các quy định khác có liên "
        "quan; đồng thời, phải lấy ý kiến thẩm định của Sở Thông tin và Truyền thông và cơ quan "
        "có liên quan trước khi trình cấp có thẩm quyền xem xét, phê duyệt (lưu ý, các nội dung "
        "về lựa chọn công nghệ, cấu hình phải đảm bảo có từ 02 nhà cung cấp trở lên, xác định "
        "hình thức đầu tư mua sắm/thuê dịch vụ và đơn giá dự toán).",
        None,
        None,
        None,
    ),
    # 7. Tỉnh đoàn, and the preamble sentences: no deadline in any of them
    (
        "Ngày 18 tháng 01 năm 2024, tại Trụ sở UBND tỉnh, Chủ tịch UBND tỉnh Phạm Anh Tuấn, "
        "Trưởng ban Ban Chỉ đạo chuyển đổi số tỉnh đã chủ trì cuộc họp Ban Chỉ đạo chuyển đổi số "
        "tỉnh Bình Định (sau đây gọi tắt là Ban Chỉ đạo).",
        None,
        None,
        None,
    ),
    (
        "Sau khi nghe Sở Thông tin và Truyền thông báo cáo tình hình, kết quả triển khai chuyển "
        "đổi số năm 2023 trên địa bàn tỉnh, dự thảo Kế hoạch chuyển đổi số tỉnh Bình Định năm "
        "2024 và ý kiến phát biểu của các thành viên dự họp; Chủ tịch UBND tỉnh, Trưởng ban Ban "
        "Chỉ đạo chuyển đổi số tỉnh đã kết luận như sau:",
        None,
        None,
        None,
    ),
    (
        "Ủy ban Quốc gia về chuyển đổi số đã thống nhất lựa chọn chủ đề năm 2024 là năm “Phát "
        "triển kinh tế số với 04 trụ cột công nghiệp công nghệ thông tin, số hóa các ngành kinh "
        "tế, quản trị số, dữ liệu số - Động lực quan trọng cho phát triển kinh tế - xã hội nhanh "
        "và bền vững”.",
        None,
        None,
        None,
    ),
    (
        "Chủ tịch UBND tỉnh, Trưởng Ban Chỉ đạo chuyển đổi số tỉnh cơ bản nhất trí với đề xuất "
        "nhiệm vụ, giải pháp trọng tâm năm 2024 của Sở Thông tin và Truyền thông và các ý kiến "
        "phát biểu của các thành viên Ban Chỉ đạo chuyển đổi số tỉnh.",
        None,
        None,
        None,
    ),
    (
        # A scope that runs on ("và những năm tiếp theo") is no deadline.
        "Để hoạt động chuyển đổi số tỉnh Bình Định trong năm 2024 và những năm tiếp theo đạt kết "
        "quả tốt, Chủ tịch UBND tỉnh yêu cầu:",
        None,
        None,
        None,
    ),
]


@pytest.mark.parametrize(("sentence", "span", "kind", "due"), SEED_003_BULLETS)
def test_seed_003_sentences(sentence: str, span: str | None, kind: Any, due: str | None) -> None:
    found = find_deadline(sentence, reference=REF_003)
    if span is None:
        assert found is None
        return
    assert found is not None
    assert found[0] == span
    assert_deadline(found[1], kind, due)
    assert found[1].text == span


def test_seed_003_bullet_as_extracted_keeps_its_line_break_in_the_span() -> None:
    raw = (
        "- Nghiên cứu, tiếp thu các ý kiến góp ý của các thành viên Ban Chỉ đạo và \n\n"
        "nội dung hướng dẫn xây dựng Kế hoạch năm 2024 của Ủy ban Quốc gia về \n"
        "chuyển đổi số, mục tiêu, chỉ tiêu chuyển đổi số của các Bộ, ngành để hoàn chỉnh \n"
        "dự thảo Kế hoạch chuyển đổi số năm 2024, trình UBND tỉnh ban hành trong \n\n"
        "tháng 02 năm 2024. Lưu ý, Kế hoạch chuyển đổi số năm 2024 phải xác định chỉ \n"
        "tiêu nhiệm vụ cụ thể cho từng sở, ngành, địa phương; phải rõ người, rõ việc, rõ \n\n"
        "trách nhiệm, rõ lộ trình gắn với bố trí nguồn lực. \n"
    )
    found = find_deadline(raw, reference=REF_003)
    assert found is not None
    assert found[0] == "trong \n\ntháng 02 năm 2024"
    assert_deadline(found[1], DATE, "2024-02-29")


def test_seed_003_phrases_parse_alone() -> None:
    assert_deadline(
        parse_deadline("trong tháng 02 năm 2024", reference=REF_003), DATE, "2024-02-29"
    )
    assert_deadline(parse_deadline("trong năm 2024", reference=REF_003), DATE, "2024-12-31")
    assert_deadline(parse_deadline("trong quý I năm 2024", reference=REF_003), DATE, "2024-03-31")


# ---------------------------------------------------------------------------
# Seeds 000, 001 (letter and explanations), 002, 004 (decision): phrases in running text
# ---------------------------------------------------------------------------

SEED_RUNNING_TEXT = [
    # 000: the province's own yearly decision, "hằng năm" qualifying the clause
    (
        "Đồng thời, Ủy ban nhân dân tỉnh đã ban hành Quyết định số 4072/QĐ-UBND ngày 04 tháng 11 "
        "năm 2023 ban hành các biểu mẫu báo cáo thống kê và phân công thực hiện thu thập thông "
        "tin thuộc Hệ thống chỉ tiêu thống kê cấp tỉnh, cấp huyện, cấp xã; ngoài ra hằng năm Ủy "
        "ban nhân dân tỉnh ban hành Quyết định phân giao chỉ tiêu kế hoạch phát triển kinh tế - "
        "xã hội cụ thể cho từng cơ quan, đơn vị, địa phương để tổ chức thực hiện.",
        date(2025, 3, 14),
        "hằng năm",
        RECURRING,
        "2025-12-31",
    ),
    # 000: citations and titles
    (
        "Thực hiện Công văn số 136/BKHCN-CĐSQG ngày 14 tháng 3 năm 2025 của Bộ Khoa học và Công "
        "nghệ về việc đôn đốc báo cáo tình hình thực hiện nhiệm vụ theo Quyết định số "
        "1012/QĐ-TTg ngày 20 tháng 9 năm 2024 của Thủ tướng Chính phủ",
        date(2025, 3, 14),
        None,
        None,
        None,
    ),
    (
        "Thực hiện Quyết định số 1012/QĐ-TTg ngày 20 tháng 9 năm 2024 của Thủ tướng Chính phủ về "
        "ban hành Kế hoạch hành động chuyển đổi số hoạt động chỉ đạo, điều hành của Chính phủ, "
        "Thủ tướng Chính phủ trực tuyến và dựa trên dữ liệu giai đoạn 2024-2025, định hướng đến "
        "năm 2030",
        date(2025, 3, 14),
        None,
        None,
        None,
    ),
    (
        "Quyết định số 4647/QĐ-UBND ngày 14/12/2023 của UBND tỉnh giao chỉ tiêu kế hoạch phát "
        "triển kinh tế - xã hội và giải pháp chủ yếu chỉ đạo, điều hành thực hiện kế hoạch phát "
        "triển kinh tế - xã hội năm 2024",
        date(2025, 3, 14),
        None,
        None,
        None,
    ),
    # 001: letter body; the past results are not deadlines
    (
        "Ngoài những kết quả thực hiện trong năm 2022 đã được Ủy ban nhân dân tỉnh Bình Định báo "
        "cáo tại Công văn số 7852/UBND-KSTT ngày 23 tháng 12 năm 2022",
        REF_001,
        None,
        None,
        None,
    ),
    # 001: the report's own scope reads like a deadline; find_deadline is meant for directives
    (
        "Ủy ban nhân dân tỉnh Bình Định báo cáo cập nhật, bổ sung tình hình thực hiện Nghị quyết "
        "số 131/NQ-CP trong Quý I năm 2023 tại Phụ lục kèm theo Công văn này.",
        REF_001,
        "trong Quý I năm 2023",
        DATE,
        "2023-03-31",
    ),
    # 001 appendix: task names
    (
        "Cắt giảm, đơn giản hóa thủ tục hành chính nội bộ trong từng bộ, cơ quan ngang bộ và "
        "trong từng tỉnh, thành phố trực thuộc Trung ương theo Kế hoạch đã được Thủ tướng Chính "
        "phủ phê duyệt tại Quyết định số 1085/QĐ-TTg ngày 15/9/2022.",
        REF_001,
        None,
        None,
        None,
    ),
    (
        "Đối với các bộ, ngành, địa phương đã xây dựng phân hệ theo dõi nhiệm vụ Bộ trưởng, Thủ "
        "trưởng cơ quan ngang bộ, cơ quan thuộc Chính phủ, Ủy ban nhân dân và Chủ tịch Ủy ban "
        "nhân dân cấp tỉnh trước ngày Nghị quyết này có hiệu lực thi hành thì hoàn thiện, nâng "
        "cấp để kết nối, tích hợp, chia sẻ với Hệ thống thông tin theo dõi nhiệm vụ của cơ quan "
        "hành chính nhà nước theo hướng dẫn của Văn phòng Chính phủ.",
        REF_001,
        None,
        None,
        None,
    ),
    # 001 appendix: explanations
    (
        "Chủ tịch Ủy ban nhân dân tỉnh đã ban hành Công văn số 2056/UBND-KSTT ngày 19/4/2022 giao "
        "nhiệm vụ cho Văn phòng Ủy ban nhân dân tỉnh hoàn thành việc triển khai Bộ nhận diện "
        "thương hiệu của Bộ phận Một cửa các cấp trên địa bàn tỉnh vào tháng 4/2023.",
        REF_001,
        "vào tháng 4/2023",
        DATE,
        "2023-04-30",
    ),
    (
        "1. Định kỳ hằng tháng, Văn phòng Ủy ban nhân dân đã tổng hợp và công khai rộng rãi danh "
        "sách cơ quan, tổ chức, cá nhân giải quyết chậm/muộn hồ sơ thủ tục hành chính.",
        REF_001,
        "Định kỳ hằng tháng",
        RECURRING,
        "2022-10-31",
    ),
    (
        "Định kỳ hàng tuần, Văn phòng Ủy ban nhân dân tỉnh gửi kết quả thống kê tình hình khai "
        "thác thông tin từ Cơ sở dữ liệu quốc gia về dân cư",
        REF_001,  # a Thursday
        "Định kỳ hàng tuần",
        RECURRING,
        "2022-10-09",
    ),
    (
        "Trong tháng 3/2023, đội ngũ cán bộ, công chức chuyên môn thuộc Ủy ban nhân dân 159 địa "
        "phương cấp xã trên địa bàn tỉnh đã được Lãnh đạo các cơ quan chuyên môn thuộc tỉnh trực "
        "tiếp hướng dẫn, tập huấn nâng cao kỹ năng tổ chức triển khai thực hiện nhiệm vụ.",
        REF_001,
        None,
        None,
        None,
    ),
    (
        "Sở Thông tin và Truyền thông chủ trì thực hiện việc số hóa “tài liệu hướng dẫn nghiệp "
        "vụ giải quyết công việc hằng ngày” để phục vụ cho đội ngũ công chức chuyên môn cấp xã",
        REF_001,
        None,
        None,
        None,
    ),
    (
        "Ủy ban nhân dân tỉnh đã phê duyệt Quyết định số 3973/QĐ-UBND ngày 29/11/2022 ban hành Kế "
        "hoạch rà soát, đơn giản hóa thủ tục hành chính nội bộ của các cơ quan hành chính nhà "
        "nước tỉnh Bình Định giai đoạn 2022 – 2025.",
        REF_001,
        None,
        None,
        None,
    ),
    (
        "Văn phòng Ủy ban nhân dân tỉnh đã ban hành Công văn số 223/VPUBND-KSTT ngày 13/01/2023 "
        "hướng dẫn các cơ quan, đơn vị quy trình số hóa thành phần hồ sơ, kết quả giải quyết thủ "
        "tục hành chính theo lộ trình Kế hoạch đề ra.",
        REF_001,
        "theo lộ trình Kế hoạch đề ra",
        UNSPECIFIED,
        None,
    ),
    (
        "Đến thời điểm ngày 19/03/2023, kết quả “Chỉ số đánh giá chất lượng phục vụ người dân, "
        "doanh nghiệp” được Văn phòng Chính phủ đánh giá trực tuyến theo thời gian thực",
        REF_001,
        None,
        None,
        None,
    ),
    # 002
    (
        "Theo đề nghị của Bộ Thông tin và Truyền thông tại Công văn số 506/BTTTT-CDSQG ngày 18 "
        "tháng 02 năm 2025 về việc triển khai Quyết định số 1588/QĐ-TTg ngày 17 tháng 12 năm 2024 "
        "của Thủ tướng Chính phủ phê duyệt Đề án “Tuyên truyền, phổ biến, nâng cao chất lượng về "
        "cung cấp và sử dụng hiệu quả dịch vụ công trực tuyến đến năm 2025, định hướng đến năm "
        "2030”; Ủy ban nhân dân tỉnh Bình Định báo cáo tình hình triển khai thực hiện như sau:",
        date(2025, 2, 20),
        None,
        None,
        None,
    ),
    (
        "Văn phòng Ủy ban nhân dân tỉnh đã hoàn thiện nội dung, trình Ủy ban nhân dân tỉnh phê "
        "duyệt Quyết định số 4492/QĐ-UBND ngày 27 tháng 12 năm 2024 ban hành “Kế hoạch nâng cao "
        "chất lượng cung cấp và thúc đẩy việc sử dụng dịch vụ công trực tuyến trên địa bàn tỉnh "
        "Bình Định giai đoạn 2025 – 2030” (đã gửi cho Bộ Thông tin và Truyền thông); trong đó, "
        "giao nhiệm vụ cụ thể cho các cơ quan, đơn vị, địa phương tổ chức triển khai đầy đủ các "
        "nội dung Đề án.",
        date(2025, 2, 20),
        None,
        None,
        None,
    ),
    (
        "Trong thời gian tới, Ủy ban nhân dân tỉnh sẽ quan tâm sâu sát trong công tác lãnh đạo, "
        "chỉ đạo và thường xuyên đánh giá kết quả triển khai trên địa bàn tỉnh để kịp thời tổng "
        "hợp, báo cáo Bộ Thông tin và Truyền thông xem xét, hướng dẫn, chỉ đạo việc thực hiện.",
        date(2025, 2, 20),
        None,
        None,
        None,
    ),
    (
        "chủ trì, phối hợp với Sở Thông tin và Truyền thông, các cơ quan, đơn vị liên quan khẩn "
        "trương nghiên cứu, xây dựng Kế hoạch thực hiện nhằm rút ngắn tối đa thời gian chuẩn bị, "
        "sớm tổ chức triển khai Đề án trên địa bàn tỉnh sau khi Thủ tướng Chính phủ chính thức "
        "phê duyệt.",
        date(2025, 2, 20),
        None,
        None,
        None,
    ),
    # 004: the decision
    (
        "Ban hành Kế hoạch thực hiện Chiến lược phát triển Thống kê Việt Nam giai đoạn "
        "2021-2030, tầm nhìn đến năm 2045 trên địa bàn tỉnh Bình Định",
        REF_004,
        None,
        None,
        None,
    ),
    (
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
        REF_004,
        None,
        None,
        None,
    ),
    (
        "Chánh Văn phòng UBND tỉnh, Cục trưởng Cục Thống kê tỉnh, Thủ trưởng các Sở, ban, ngành "
        "và Chủ tịch UBND huyện, thị xã, thành phố chịu trách nhiệm thi hành Quyết định này kể "
        "từ ngày ký./.",
        REF_004,
        None,
        None,
        None,
    ),
]


@pytest.mark.parametrize(("sentence", "reference", "span", "kind", "due"), SEED_RUNNING_TEXT)
def test_seed_running_text(
    sentence: str, reference: date, span: str | None, kind: Any, due: str | None
) -> None:
    found = find_deadline(sentence, reference=reference)
    if span is None:
        assert found is None
        return
    assert found is not None
    assert found[0] == span
    assert_deadline(found[1], kind, due)


def test_seed_title_period_read_alone_is_a_period() -> None:
    # Not a deadline inside the sentence above, but a period when it is the whole phrase.
    assert_deadline(
        parse_deadline("giai đoạn 2022 – 2025", reference=REF_001),
        PERIOD,
        "2025-12-31",
        "2022-01-01",
    )


# ---------------------------------------------------------------------------
# Rules: DATE
# ---------------------------------------------------------------------------

NAMED_DAY_FORMS = [
    "ngày 30/9/2024",
    "trước ngày 30/9/2024",
    "Trước ngày 30/9/2024",
    "chậm nhất ngày 30/9/2024",
    "chậm nhất là ngày 30/9/2024",
    "không quá ngày 30/9/2024",
    "hạn 30/9/2024",
    "Hạn: 30/9/2024",
    "thời hạn hoàn thành: 30/09/2024",
    "vào ngày 30/9/2024",
    "30/9/2024",
    "30/09/2024",
    "30-9-2024",
    "30.9.2024",
    "30–9–2024",
    "ngày 30 tháng 9 năm 2024",
    "Trước ngày 30 tháng 09 năm 2024",
    "ngày 30/9 năm 2024",
    "17 giờ ngày 30/9/2024",
    "trước 17 giờ ngày 30/9/2024",
    "16h00 ngày 30/9/2024",
    "16 giờ 30 phút, ngày 30/9/2024",
    "trước 8h30 ngày 30 tháng 9 năm 2024",
]


@pytest.mark.parametrize("text", NAMED_DAY_FORMS)
def test_named_day_is_the_deadline_never_the_day_before(text: str) -> None:
    assert_deadline(parse_deadline(text, reference=REF), DATE, "2024-09-30")


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("Tháng 6/2023", "2023-06-30"),
        ("tháng 02 năm 2024", "2024-02-29"),
        ("trong tháng 02/2024", "2024-02-29"),
        ("trong tháng 02 năm 2024", "2024-02-29"),
        ("tháng 2/2023", "2023-02-28"),
        ("tháng 2/2000", "2000-02-29"),
        ("tháng 2/2100", "2100-02-28"),
        ("Tháng 12/2022", "2022-12-31"),
        ("tháng 11-2024", "2024-11-30"),
        ("tháng 9.2024", "2024-09-30"),
        ("6/2023", "2023-06-30"),
        ("cuối tháng 6/2024", "2024-06-30"),
        ("Quý I năm 2024", "2024-03-31"),
        ("quý 2/2025", "2025-06-30"),
        ("trong quý I năm 2024", "2024-03-31"),
        ("Quý III/2024", "2024-09-30"),
        ("quý IV năm 2023", "2023-12-31"),
        ("quý 4-2023", "2023-12-31"),
        ("Quí 3 năm 2024", "2024-09-30"),
        ("cuối quý II/2024", "2024-06-30"),
        ("6 tháng đầu năm 2024", "2024-06-30"),
        ("9 tháng đầu năm 2024", "2024-09-30"),
        ("3 tháng đầu năm 2024", "2024-03-31"),
        ("6 tháng cuối năm 2024", "2024-12-31"),
        ("sáu tháng đầu năm 2024", "2024-06-30"),
        ("2030", "2030-12-31"),
        ("năm 2024", "2024-12-31"),
        ("Năm 2024", "2024-12-31"),
        ("trong năm 2024", "2024-12-31"),
        ("cuối năm 2025", "2025-12-31"),
        ("đến hết năm 2025", "2025-12-31"),
        ("đến năm 2030", "2030-12-31"),
        ("hoàn thành trong năm 2024", "2024-12-31"),
    ],
)
def test_month_quarter_part_and_year_end_on_their_last_day(text: str, due: str) -> None:
    assert_deadline(parse_deadline(text, reference=REF), DATE, due)


@pytest.mark.parametrize(
    ("text", "due"),
    [
        # "trước" a whole period: done before it begins.
        ("trước năm 2026", "2025-12-31"),
        ("trước tháng 6/2024", "2024-05-31"),
        ("trước tháng 3/2024", "2024-02-29"),
        ("trước quý III/2024", "2024-06-30"),
        ("trước quý I/2024", "2023-12-31"),
        # ... but "trước cuối năm" is before the year ends, and a day keeps "by D".
        ("trước cuối năm 2025", "2025-12-31"),
        ("trước ngày 1/1/2026", "2026-01-01"),
    ],
)
def test_before_a_period_is_the_end_of_the_previous_one(text: str, due: str) -> None:
    assert_deadline(parse_deadline(text, reference=REF), DATE, due)


@pytest.mark.parametrize(
    ("text", "due"),
    [
        # REF is Wednesday 15 May 2024.
        ("trong tháng 7", "2024-07-31"),
        ("trong tháng 3", "2025-03-31"),
        ("tháng 5", "2024-05-31"),
        ("quý 1", "2025-03-31"),
        ("quý II", "2024-06-30"),
        ("trước ngày 30/9", "2024-09-30"),
        ("trước ngày 15/5", "2024-05-15"),
        ("ngày 14/5", "2025-05-14"),
        ("ngày 29/2", "2028-02-29"),
        ("ngày 30 tháng 4", "2025-04-30"),
        ("6 tháng đầu năm", "2024-06-30"),
        ("3 tháng đầu năm", "2025-03-31"),
        ("trước tháng 7", "2024-06-30"),
        ("trước tháng 5", "2025-04-30"),
    ],
)
def test_no_year_means_the_first_on_or_after_the_reference(text: str, due: str) -> None:
    assert_deadline(parse_deadline(text, reference=REF), DATE, due)


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("trong tháng này", "2024-05-31"),
        ("trong quý này", "2024-06-30"),
        ("trong năm nay", "2024-12-31"),
        ("trong tuần này", "2024-05-19"),
        ("trong tháng sau", "2024-06-30"),
        ("quý tới", "2024-09-30"),
        ("năm sau", "2025-12-31"),
        ("tuần sau", "2024-05-26"),
        ("cuối tháng", "2024-05-31"),
        ("cuối quý", "2024-06-30"),
        ("cuối năm", "2024-12-31"),
        ("trước cuối năm", "2024-12-31"),
        ("tháng 7 năm nay", "2024-07-31"),
        ("quý III năm nay", "2024-09-30"),
        ("6 tháng cuối năm nay", "2024-12-31"),
    ],
)
def test_this_and_next_period(text: str, due: str) -> None:
    assert_deadline(parse_deadline(text, reference=REF), DATE, due)


def test_relative_periods_roll_over_the_year() -> None:
    assert_deadline(parse_deadline("tháng sau", reference=date(2024, 12, 5)), DATE, "2025-01-31")
    assert_deadline(parse_deadline("quý tới", reference=date(2024, 11, 5)), DATE, "2025-03-31")
    assert_deadline(parse_deadline("tuần này", reference=date(2024, 12, 30)), DATE, "2025-01-05")


@pytest.mark.parametrize(
    ("text", "due"),
    [("ngày 30/9/2020", "2020-09-30"), ("Tháng 6/2023", "2023-06-30"), ("2022", "2022-12-31")],
)
def test_printed_date_before_the_reference_is_kept(text: str, due: str) -> None:
    assert_deadline(parse_deadline(text, reference=REF), DATE, due)


def test_reference_may_be_a_datetime() -> None:
    noon = datetime(2024, 5, 15, 12, 0)
    assert_deadline(parse_deadline("trong tháng này", reference=noon), DATE, "2024-05-31")
    found = find_deadline("Báo cáo trong tháng này.", reference=noon)
    assert found is not None
    assert found[1].due == date(2024, 5, 31)


# ---------------------------------------------------------------------------
# Rules: PERIOD
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "due", "dues"),
    [
        ("Giai đoạn 2023-2025", "2023-01-01", "2025-12-31", None),
        ("giai đoạn 2023 – 2025", "2023-01-01", "2025-12-31", None),
        ("giai đoạn 2023 — 2025", "2023-01-01", "2025-12-31", None),
        ("2022 2030", "2022-01-01", "2030-12-31", None),
        ("2022-2030", "2022-01-01", "2030-12-31", None),
        ("2022 - 2030", "2022-01-01", "2030-12-31", None),
        ("2022 đến 2030", "2022-01-01", "2030-12-31", None),
        ("từ năm 2022 đến năm 2030", "2022-01-01", "2030-12-31", None),
        ("Tháng 9/2025 - Tháng 12/2025", "2025-09-01", "2025-12-31", None),
        ("Tháng 7/2022 Tháng 8/2022", "2022-07-01", "2022-08-31", None),
        ("từ tháng 10/2024 đến tháng 3/2025", "2024-10-01", "2025-03-31", None),
        ("Quý I - Quý II/2025", "2025-01-01", "2025-06-30", None),
        ("quý 3 - quý 4 năm 2024", "2024-07-01", "2024-12-31", None),
        ("Tháng 4/2021 2030", "2021-04-01", "2030-12-31", None),
        ("2022 2022", "2022-01-01", "2022-12-31", None),
        ("tháng 9-12/2025", "2025-09-01", "2025-12-31", None),
        ("tháng 10 - tháng 3/2025", "2024-10-01", "2025-03-31", None),
        ("tháng 9 đến tháng 12/2025", "2025-09-01", "2025-12-31", None),
        ("15/6/2024 - 15/12/2024", "2024-06-15", "2024-12-15", None),
        ("từ ngày 15/6 đến ngày 15/12/2024", "2024-06-15", "2024-12-15", None),
        ("quý I/2024 - 2025", "2024-01-01", "2025-12-31", None),
        ("6 tháng cuối năm 2024 - 2025", "2024-07-01", "2025-12-31", None),
        # Written backwards: still the earliest start and the latest end.
        ("2030 2022", "2022-01-01", "2030-12-31", None),
        # Lists: one due per item, in the order written.
        ("2023; 2027", "2023-01-01", "2027-12-31", ["2023-12-31", "2027-12-31"]),
        ("2023, 2027", "2023-01-01", "2027-12-31", ["2023-12-31", "2027-12-31"]),
        ("2023 và 2027", "2023-01-01", "2027-12-31", ["2023-12-31", "2027-12-31"]),
        (
            "quý I và quý III/2024",
            "2024-01-01",
            "2024-09-30",
            ["2024-03-31", "2024-09-30"],
        ),
        (
            "30/6/2024; 31/12/2024",
            "2024-06-30",
            "2024-12-31",
            ["2024-06-30", "2024-12-31"],
        ),
        (
            "2025; 2023; 2027",
            "2023-01-01",
            "2027-12-31",
            ["2025-12-31", "2023-12-31", "2027-12-31"],
        ),
    ],
)
def test_periods_and_lists(text: str, start: str, due: str, dues: list[str] | None) -> None:
    assert_deadline(parse_deadline(text, reference=REF), PERIOD, due, start, dues)


@pytest.mark.parametrize("text", ["2022 2025 2030", "2022-2025; 2030", "từ tháng 10/2024"])
def test_period_shapes_left_unread(text: str) -> None:
    assert_deadline(parse_deadline(text, reference=REF), UNSPECIFIED, None)


# ---------------------------------------------------------------------------
# Rules: RECURRING
# ---------------------------------------------------------------------------

RECURRING_CASES = [
    # (phrase, reference, due at the reference, [(later day, occurrence current at it)])
    (
        "Hằng năm",
        REF_004,
        "2022-12-31",
        [("2023-01-01", "2023-12-31"), ("2023-12-31", "2023-12-31")],
    ),
    ("Hàng năm", REF_004, "2022-12-31", [("2024-02-29", "2024-12-31")]),
    ("mỗi năm", REF, "2024-12-31", []),
    (
        "hằng quý",
        REF,
        "2024-06-30",
        [("2024-07-01", "2024-09-30"), ("2024-12-31", "2024-12-31"), ("2025-01-01", "2025-03-31")],
    ),
    ("hằng tháng", date(2024, 2, 10), "2024-02-29", [("2023-02-10", "2023-02-28")]),
    (
        "hằng tuần",
        REF,
        "2024-05-19",
        [("2024-05-19", "2024-05-19"), ("2024-05-20", "2024-05-26")],
    ),
    ("hằng ngày", REF, "2024-05-15", [("2024-05-16", "2024-05-16")]),
    ("định kỳ 6 tháng", REF, "2024-06-30", [("2024-07-01", "2024-12-31")]),
    ("định kỳ sáu tháng một lần", REF, "2024-06-30", [("2024-07-01", "2024-12-31")]),
    ("6 tháng một lần", REF, "2024-06-30", [("2024-12-31", "2024-12-31")]),
    ("định kỳ hằng tháng", REF, "2024-05-31", [("2024-06-01", "2024-06-30")]),
    ("định kỳ quý", REF, "2024-06-30", []),
    ("định kỳ 3 tháng", REF, "2024-06-30", []),
    ("định kỳ 12 tháng", REF, "2024-12-31", []),
    (
        "trước ngày 30 tháng 6 hằng năm",
        REF,
        "2024-06-30",
        [("2024-06-30", "2024-06-30"), ("2024-07-01", "2025-06-30")],
    ),
    (
        "trước ngày 25 hằng tháng",
        REF,
        "2024-05-25",
        [("2024-05-26", "2024-06-25"), ("2024-12-26", "2025-01-25")],
    ),
    (
        "ngày 31 hằng tháng",
        REF,
        "2024-05-31",
        [("2024-02-01", "2024-02-29"), ("2024-04-01", "2024-04-30")],
    ),
    (
        "trước ngày 20 của tháng cuối quý",
        REF,
        "2024-06-20",
        [("2024-06-21", "2024-09-20"), ("2024-12-21", "2025-03-20")],
    ),
    ("trước ngày 20 tháng cuối quý", REF, "2024-06-20", []),
    ("trước 17 giờ ngày 25 hằng tháng", REF, "2024-05-25", [("2024-05-26", "2024-06-25")]),
    ("ngày 15 tháng đầu quý", REF, "2024-07-15", [("2024-01-01", "2024-01-15")]),
    ("ngày 10 tháng giữa quý", REF, "2024-08-10", [("2024-01-01", "2024-02-10")]),
    (
        "ngày 15/12 hằng năm",
        REF,
        "2024-12-15",
        [("2024-12-16", "2025-12-15")],
    ),
    (
        "trước ngày 15/6 và 15/12 hằng năm",
        REF,
        "2024-06-15",
        [("2024-06-16", "2024-12-15"), ("2024-12-16", "2025-06-15")],
    ),
    ("hằng năm, trước ngày 15/12", REF, "2024-12-15", []),
    (
        "ngày 29/2 hằng năm",
        REF,
        "2025-02-28",
        [("2023-01-01", "2023-02-28"), ("2024-01-01", "2024-02-29")],
    ),
    ("thứ Sáu hằng tuần", REF, "2024-05-17", [("2024-05-18", "2024-05-24")]),
    ("chiều thứ 6 hằng tuần", REF, "2024-05-17", []),
    ("thứ Hai hằng tuần", REF, "2024-05-20", [("2024-05-20", "2024-05-20")]),
    ("chủ nhật hằng tuần", REF, "2024-05-19", []),
]


@pytest.mark.parametrize(("text", "reference", "due", "later"), RECURRING_CASES)
def test_recurring(text: str, reference: date, due: str, later: list[tuple[str, str]]) -> None:
    deadline = parse_deadline(text, reference=reference)
    assert_deadline(deadline, RECURRING, due)
    assert deadline.occurrence_on_or_after(reference) == d(due)
    for day, occurrence in later:
        assert deadline.occurrence_on_or_after(d(day)) == d(occurrence)


@pytest.mark.parametrize(
    "text", ["định kỳ hai năm một lần", "định kỳ 2 năm", "2 năm một lần", "định kỳ năm năm một lần"]
)
def test_recurring_without_calendar_anchor_has_no_due(text: str) -> None:
    deadline = parse_deadline(text, reference=REF)
    assert_deadline(deadline, RECURRING, None)
    assert deadline.occurrence_on_or_after(date(2030, 1, 1)) is None


# ---------------------------------------------------------------------------
# Rules: CONTINUOUS and UNSPECIFIED
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Thường xuyên",
        "thường xuyên, liên tục",
        "Liên tục",
        "THƯỜNG XUYÊN",
        "Thường xuyên và liên tục",
    ],
)
def test_continuous(text: str) -> None:
    deadline = parse_deadline(text, reference=REF)
    assert_deadline(deadline, CONTINUOUS, None)
    assert deadline.occurrence_on_or_after(REF) is None


@pytest.mark.parametrize(
    "text",
    [
        "Theo lộ trình Nghị định số 107/2021/NĐ-CP",
        "Theo lộ trình Nghị định số 107/2021/NĐ-CP ngày 06/12/2021",
        "Theo tiến độ được giao",
        "Theo tiến độ của Đề án 06",
        "Theo tiến độ Đề án 06 và Quyết định số 422/QĐ-TTg của Thủ tướng Chính phủ",
        "theo đúng tiến độ được phê duyệt",
        "Khi có yêu cầu",
        "Sau khi Nghị định được ban hành",
        "trong 10 ngày làm việc kể từ ngày nhận được văn bản này",
        "Nghị định số 107/2021/NĐ-CP",
        "107/2021",
        "Kế hoạch chuyển đổi số năm 2024",
        "khẩn trương",
        "",
        "   ",
        "\n",
        "-",
        "…",
        "31/2/2024",
        "30/9/24",
        "tháng 13/2024",
        "quý V/2024",
        "năm 1850",
    ],
)
def test_unspecified_keeps_the_phrase(text: str) -> None:
    deadline = parse_deadline(text, reference=REF)
    assert_deadline(deadline, UNSPECIFIED, None)
    assert deadline.text == text
    assert deadline.occurrence_on_or_after(REF) is None


def test_none_is_a_blank() -> None:
    deadline = parse_deadline(None, reference=REF)
    assert_deadline(deadline, UNSPECIFIED, None)
    assert deadline.text == ""


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("Báo cáo UBND tỉnh trước ngày 30/9/2024.", "2024-09-30"),
        ("Theo kế hoạch, hoàn thành trước ngày 30/6/2024", "2024-06-30"),
        ("Theo tiến độ của Đề án 06, hoàn thành trong năm 2024", "2024-12-31"),
        ("theo đúng tiến độ trong năm 2024", "2024-12-31"),
    ],
)
def test_free_text_is_read_through_its_deadline_clause(text: str, due: str) -> None:
    deadline = parse_deadline(text, reference=REF)
    assert_deadline(deadline, DATE, due)
    assert deadline.text == text


# ---------------------------------------------------------------------------
# find_deadline
# ---------------------------------------------------------------------------

FIND_CASES = [
    (
        "Sở Nội vụ trình UBND tỉnh trong tháng 02 năm 2024.",
        "trong tháng 02 năm 2024",
        DATE,
        "2024-02-29",
    ),
    ("Gửi báo cáo trước ngày 15/3/2024.", "trước ngày 15/3/2024", DATE, "2024-03-15"),
    ("Gửi báo cáo chậm nhất ngày 15/3/2024.", "chậm nhất ngày 15/3/2024", DATE, "2024-03-15"),
    ("Gửi báo cáo chậm nhất là ngày 15/3/2024.", "chậm nhất là ngày 15/3/2024", DATE, "2024-03-15"),
    ("Hoàn thành không quá ngày 15/3/2024.", "không quá ngày 15/3/2024", DATE, "2024-03-15"),
    ("Hoàn thành vào tháng 4/2024.", "vào tháng 4/2024", DATE, "2024-04-30"),
    ("Hoàn thành trước năm 2026.", "trước năm 2026", DATE, "2025-12-31"),
    ("Duy trì đến hết năm 2025.", "đến hết năm 2025", DATE, "2025-12-31"),
    ("Tổng kết, hoàn thành cuối năm 2024.", "cuối năm 2024", DATE, "2024-12-31"),
    ("Hoàn thành vào cuối năm.", "vào cuối năm", DATE, "2024-12-31"),
    ("Nộp báo cáo, hạn 30/9/2024.", "hạn 30/9/2024", DATE, "2024-09-30"),
    (
        "Gửi báo cáo trước 17 giờ ngày 30/9/2024 để tổng hợp.",
        "trước 17 giờ ngày 30/9/2024",
        DATE,
        "2024-09-30",
    ),
    ("Thực hiện trong giai đoạn 2024-2025.", "trong giai đoạn 2024-2025", PERIOD, "2025-12-31"),
    (
        "Sở Tài chính báo cáo UBND tỉnh kết quả thực hiện hằng năm.",
        "hằng năm",
        RECURRING,
        "2024-12-31",
    ),
    ("Hằng quý, Sở Nội vụ tổng hợp báo cáo UBND tỉnh.", "Hằng quý", RECURRING, "2024-03-31"),
    (
        "Các sở gửi báo cáo trước ngày 20 của tháng cuối quý.",
        "trước ngày 20 của tháng cuối quý",
        RECURRING,
        "2024-03-20",
    ),
    (
        "Các sở gửi báo cáo trước ngày 25 hằng tháng.",
        "trước ngày 25 hằng tháng",
        RECURRING,
        "2024-01-25",
    ),
    ("Báo cáo khi có yêu cầu.", "khi có yêu cầu", UNSPECIFIED, None),
    (
        "Phản hồi trong 10 ngày làm việc kể từ ngày nhận được văn bản này.",
        "trong 10 ngày làm việc kể từ ngày nhận được văn bản này",
        UNSPECIFIED,
        None,
    ),
    ("2. Công an tỉnh: Thường xuyên theo dõi, kiểm tra.", "Thường xuyên", CONTINUOUS, None),
    ("- Liên tục cập nhật dữ liệu dân cư.", "Liên tục", CONTINUOUS, None),
    ("Thường xuyên, liên tục theo dõi.", "Thường xuyên, liên tục", CONTINUOUS, None),
    # A vague schedule gives way to the date stated after it.
    (
        "Triển khai theo đúng tiến độ trong năm 2024.",
        "trong năm 2024",
        DATE,
        "2024-12-31",
    ),
    (
        "Triển khai theo tiến độ được giao, hoàn thành trước ngày 30/6/2024.",
        "trước ngày 30/6/2024",
        DATE,
        "2024-06-30",
    ),
    # Two deadlines: the last one governs completion.
    (
        "Trình dự thảo trước ngày 15/02/2024; hoàn thành việc ban hành trong quý I năm 2024.",
        "trong quý I năm 2024",
        DATE,
        "2024-03-31",
    ),
    (
        "Thường xuyên theo dõi, hoàn thành trước ngày 30/6/2024.",
        "trước ngày 30/6/2024",
        DATE,
        "2024-06-30",
    ),
]


@pytest.mark.parametrize(("sentence", "span", "kind", "due"), FIND_CASES)
def test_find_deadline_introducers(sentence: str, span: str, kind: Any, due: str | None) -> None:
    found = find_deadline(sentence, reference=REF_003)
    assert found is not None
    assert found[0] == span
    assert found[1].kind == kind
    assert found[1].due == (d(due) if due else None)


@pytest.mark.parametrize(
    "sentence",
    [
        "Thực hiện Nghị định số 107/2021/NĐ-CP ngày 06/12/2021 của Chính phủ.",
        "theo Quyết định số 1085/QĐ-TTg ngày 15/9/2022",
        "Chiến lược phát triển Thống kê Việt Nam giai đoạn 2021-2030, tầm nhìn đến năm 2045",
        "Sở Kế hoạch và Đầu tư xây dựng kế hoạch 5 năm và hằng năm của tỉnh.",
        "Kế hoạch đào tạo được cấp có thẩm quyền phê duyệt hàng năm, 5 năm",
        "Dự toán kinh phí thực hiện hàng năm của Cục thống kê được phê duyệt",
        "Bộ đội biên phòng tổ chức tuần tra thường xuyên trên biển.",
        "Khẩn trương triển khai các nhiệm vụ được giao.",
        "Hoàn thiện Kế hoạch chuyển đổi số năm 2024.",
        "báo cáo kết quả triển khai chuyển đổi số năm 2023",
        "Tổ chức hội nghị tổng kết cuối năm.",
        "Kế hoạch Chuyển đổi số 2024 của tỉnh",
        "trong đó lưu ý rà soát các chỉ tiêu",
        "trước khi trình cấp có thẩm quyền phê duyệt",
        "",
        "   ",
        "Trình UBND tỉnh trước ngày 31/2/2024.",
    ],
)
def test_find_deadline_ignores_citations_titles_and_adverbs(sentence: str) -> None:
    assert find_deadline(sentence, reference=REF_003) is None


def test_find_deadline_returns_the_span_as_written() -> None:
    decomposed = unicodedata.normalize("NFD", "Trình UBND tỉnh TRONG THÁNG 02 NĂM 2024.")
    found = find_deadline(decomposed, reference=REF_003)
    assert found is not None
    assert found[0] == unicodedata.normalize("NFD", "TRONG THÁNG 02 NĂM 2024")
    assert found[1].text == found[0]
    assert found[1].due == date(2024, 2, 29)

    spaced = "Xóa vùng lõm sóng   trong\u00a0năm\t2024 ;"
    found = find_deadline(spaced, reference=REF_003)
    assert found is not None
    assert found[0] == "trong\u00a0năm\t2024"


# ---------------------------------------------------------------------------
# The Deadline value
# ---------------------------------------------------------------------------


def test_to_json_of_each_kind() -> None:
    assert parse_deadline("Tháng 6/2023", reference=REF).to_json() == {
        "kind": "date",
        "due": "2023-06-30",
        "start": None,
        "dues": ["2023-06-30"],
    }
    assert parse_deadline("2023; 2027", reference=REF).to_json() == {
        "kind": "period",
        "due": "2027-12-31",
        "start": "2023-01-01",
        "dues": ["2023-12-31", "2027-12-31"],
    }
    assert parse_deadline("Thường xuyên", reference=REF).to_json() == {
        "kind": "continuous",
        "due": None,
        "start": None,
        "dues": [],
    }
    assert parse_deadline("trước ngày 20 của tháng cuối quý", reference=REF).to_json() == {
        "kind": "recurring",
        "due": "2024-06-20",
        "start": None,
        "dues": ["2024-06-20"],
        "recurrence": {
            "unit": "month",
            "interval": 3,
            "anchors": [],
            "day": 20,
            "month_of_period": 3,
            "weekday": None,
        },
    }


@pytest.mark.parametrize(
    "text",
    [
        "Tháng 6/2023",
        "2023; 2027",
        "Thường xuyên",
        "",
        "trước ngày 15/6 và 15/12 hằng năm",
        "hằng tuần",
    ],
)
def test_from_json_round_trips(text: str) -> None:
    deadline = parse_deadline(text, reference=REF)
    again = Deadline.from_json(deadline.to_json(), text=text)
    assert again == deadline
    assert again.occurrence_on_or_after(date(2026, 7, 1)) == deadline.occurrence_on_or_after(
        date(2026, 7, 1)
    )


def test_deadline_is_frozen_hashable_and_owns_its_dues() -> None:
    dues = [date(2023, 12, 31), date(2027, 12, 31)]
    deadline = Deadline(PERIOD, date(2027, 12, 31), date(2023, 1, 1), dues, "2023; 2027")
    dues.append(date(2030, 12, 31))
    assert deadline.dues == [date(2023, 12, 31), date(2027, 12, 31)]
    assert isinstance(deadline.dues, list)
    twin = Deadline(
        PERIOD,
        date(2027, 12, 31),
        date(2023, 1, 1),
        [date(2023, 12, 31), date(2027, 12, 31)],
        "2023; 2027",
    )
    assert deadline == twin
    assert hash(deadline) == hash(twin)
    assert len({deadline, twin}) == 1
    with pytest.raises(AttributeError):
        deadline.due = None  # type: ignore[misc]
    assert DeadlineKind("recurring") is RECURRING
    assert str(PERIOD) == "period"


def test_occurrence_of_one_off_deadlines() -> None:
    listed = parse_deadline("2023; 2027", reference=REF_004)
    assert listed.occurrence_on_or_after(date(2022, 8, 1)) == date(2023, 12, 31)
    assert listed.occurrence_on_or_after(date(2024, 1, 1)) == date(2027, 12, 31)
    # Once past, a one-off deadline stays the current (overdue) one.
    assert listed.occurrence_on_or_after(date(2028, 1, 1)) == date(2027, 12, 31)
    single = parse_deadline("Tháng 6/2023", reference=REF_001)
    assert single.occurrence_on_or_after(date(2020, 1, 1)) == date(2023, 6, 30)
    assert single.occurrence_on_or_after(date(2025, 1, 1)) == date(2023, 6, 30)


def test_parse_text_is_kept_verbatim() -> None:
    assert parse_deadline(" Hàng \n\nnăm  ", reference=REF).text == " Hàng \n\nnăm  "


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------

days = st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31))
references = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))


def _number(value: int, padded: bool) -> str:
    return f"{value:02d}" if padded else str(value)


@st.composite
def written_days(draw: st.DrawFn) -> tuple[str, date]:
    day = draw(days)
    pad_day, pad_month = draw(st.booleans()), draw(st.booleans())
    dd, mm, yy = _number(day.day, pad_day), _number(day.month, pad_month), str(day.year)
    body = draw(
        st.sampled_from(
            [
                f"ngày {dd}/{mm}/{yy}",
                f"ngày {dd}-{mm}-{yy}",
                f"ngày {dd}.{mm}.{yy}",
                f"{dd}/{mm}/{yy}",
                f"{dd}-{mm}-{yy}",
                f"{dd}.{mm}.{yy}",
                f"ngày {dd} tháng {mm} năm {yy}",
            ]
        )
    )
    if body.startswith("ngày"):
        body = draw(st.sampled_from(["", "17 giờ ", "16h00 ", "8 giờ 30 phút, ", "14h "])) + body
    prefix = draw(
        st.sampled_from(
            ["", "trước ", "Trước ", "chậm nhất ", "chậm nhất là ", "không quá ", "hạn "]
        )
    )
    return prefix + body, day


@PROPERTY
@given(written_days(), references)
def test_any_written_day_parses_to_itself(written: tuple[str, date], reference: date) -> None:
    text, day = written
    deadline = parse_deadline(text, reference=reference)
    assert (deadline.kind, deadline.due, deadline.start, deadline.dues) == (DATE, day, None, [day])


@PROPERTY
@given(
    st.integers(1900, 2199),
    st.integers(1, 12),
    st.booleans(),
    st.sampled_from(["Tháng {m}/{y}", "tháng {m} năm {y}", "trong tháng {m}/{y}", "tháng {m}-{y}"]),
    references,
)
def test_any_month_ends_on_its_last_day(
    year: int, month: int, padded: bool, form: str, reference: date
) -> None:
    text = form.format(m=_number(month, padded), y=year)
    last = date(year, month, calendar.monthrange(year, month)[1])
    deadline = parse_deadline(text, reference=reference)
    assert (deadline.kind, deadline.due) == (DATE, last)


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@PROPERTY
@given(
    st.integers(1900, 2199),
    st.integers(1, 4),
    st.booleans(),
    st.sampled_from(["Quý {q} năm {y}", "quý {q}/{y}", "trong quý {q} năm {y}", "Quý {q}-{y}"]),
    references,
)
def test_any_quarter_ends_on_its_last_day(
    year: int, quarter: int, roman: bool, form: str, reference: date
) -> None:
    text = form.format(q=ROMAN[quarter] if roman else quarter, y=year)
    last_month = 3 * quarter
    last = date(year, last_month, calendar.monthrange(year, last_month)[1])
    deadline = parse_deadline(text, reference=reference)
    assert (deadline.kind, deadline.due) == (DATE, last)


@PROPERTY
@given(
    st.integers(1900, 2199),
    st.integers(0, 40),
    st.sampled_from(["{a}-{b}", "{a} {b}", "Giai đoạn {a} – {b}", "từ năm {a} đến năm {b}"]),
)
def test_any_year_range_is_a_period(first: int, length: int, form: str) -> None:
    last = min(first + length, 2199)
    deadline = parse_deadline(form.format(a=first, b=last), reference=REF)
    assert (deadline.kind, deadline.start, deadline.due, deadline.dues) == (
        PERIOD,
        date(first, 1, 1),
        date(last, 12, 31),
        [date(last, 12, 31)],
    )


def _check_invariants(deadline: Any) -> None:
    assert isinstance(deadline, Deadline)
    assert (deadline.due is None) == (deadline.dues == [])
    if deadline.dues:
        assert deadline.due == max(deadline.dues)
    if deadline.start is not None and deadline.due is not None:
        assert deadline.start <= deadline.due
    if deadline.kind in (CONTINUOUS, UNSPECIFIED):
        assert deadline.due is None


VOCABULARY = [
    "ngày", "tháng", "quý", "năm", "hằng", "hàng", "trước", "trong", "chậm nhất", "không quá",
    "cuối", "đến hết", "vào", "hạn", "giai đoạn", "từ", "đến", "và", ";", ",", "-", "–", "/",
    ".", "I", "II", "IV", "nay", "này", "sau", "tới", "định kỳ", "một lần", "hai", "lần",
    "thường xuyên", "liên tục", "theo", "tiến độ", "lộ trình", "khi", "có yêu cầu", "của",
    "tháng cuối quý", "hằng tuần", "thứ sáu", "giờ", "17h00", "0", "1", "6", "12", "29", "31",
    "30/9", "2/2024", "2024", "2030", "9999", "1899", "107/2021/NĐ-CP", "số", "Kế hoạch",
    "đầu", "6 tháng", "(", ")", "đã", "những năm tiếp theo",
]  # fmt: skip
vocabulary_text = st.lists(st.sampled_from(VOCABULARY), max_size=12).map(" ".join)
anything = st.one_of(st.text(max_size=80), vocabulary_text)
any_reference = st.one_of(references, st.dates())


@PROPERTY
@given(anything, any_reference)
def test_parse_deadline_never_raises(text: str, reference: date) -> None:
    deadline = parse_deadline(text, reference=reference)
    _check_invariants(deadline)
    assert deadline.text == text
    deadline.to_json()
    deadline.occurrence_on_or_after(reference)


@PROPERTY
@given(anything, any_reference)
def test_find_deadline_never_raises_and_returns_a_substring(text: str, reference: date) -> None:
    found = find_deadline(text, reference=reference)
    if found is not None:
        span, deadline = found
        assert span
        assert span in text
        assert deadline.text == span
        _check_invariants(deadline)


INVARIANCE_PHRASES = [
    "Hằng năm",
    "hằng quý",
    "trước ngày 30 tháng 6 hằng năm",
    "trước ngày 20 của tháng cuối quý",
    "Giai đoạn 2023-2025",
    "Tháng 9/2025 - Tháng 12/2025",
    "Quý I - Quý II/2025",
    "trước ngày 30/9/2024",
    "17 giờ ngày 30/9/2024",
    "tháng 02 năm 2024",
    "Quý I năm 2024",
    "2023; 2027",
    "Tháng 4/2021 2030",
    "Thường xuyên, liên tục",
    "Theo lộ trình Nghị định số 107/2021/NĐ-CP",
    "trước năm 2026",
    "6 tháng đầu năm",
    "trong tháng này",
    "định kỳ 6 tháng",
]


def _swap_hang(text: str) -> str:
    return text.replace("Hằng", "Hàng").replace("hằng", "hàng")


@st.composite
def disguised(draw: st.DrawFn) -> tuple[str, str]:
    phrase = draw(st.sampled_from(INVARIANCE_PHRASES))
    text = phrase
    if draw(st.booleans()):
        text = _swap_hang(text)
    if draw(st.booleans()):
        text = text.upper()
    if draw(st.booleans()):
        text = text.replace("-", draw(st.sampled_from(["–", "—", "−"])))
    if draw(st.booleans()):
        gap = draw(st.sampled_from(["  ", " \n\n", "\t", "\u00a0", " \r\n "]))
        text = draw(st.sampled_from(["", " ", "\n"])) + text.replace(" ", gap) + " "
    if draw(st.booleans()):
        text = unicodedata.normalize("NFD", text)
    return phrase, text


def _fold(text: str) -> str:
    """What the disguises change, undone: composition, case, spacing, dashes, Hàng/Hằng."""
    text = unicodedata.normalize("NFC", text).lower()
    for dash in "–—−":
        text = text.replace(dash, "-")
    return _swap_hang(" ".join(text.split()))


def _value(deadline: Any) -> tuple[Any, ...]:
    return (deadline.kind, deadline.due, deadline.start, deadline.dues, deadline.recurrence)


@PROPERTY
@given(disguised(), references)
def test_normalisation_does_not_change_the_result(pair: tuple[str, str], reference: date) -> None:
    phrase, text = pair
    assert _value(parse_deadline(text, reference=reference)) == _value(
        parse_deadline(phrase, reference=reference)
    )


@PROPERTY
@given(disguised(), references)
def test_normalisation_does_not_change_what_is_found(
    pair: tuple[str, str], reference: date
) -> None:
    phrase, text = pair
    plain = find_deadline(f"Các sở thực hiện {phrase}.", reference=reference)
    varied = find_deadline(f"Các sở thực hiện {text}.", reference=reference)
    assert (plain is None) == (varied is None)
    if plain is not None and varied is not None:
        assert _value(plain[1]) == _value(varied[1])
        assert _fold(varied[0]) == _fold(plain[0])


RECURRING_PHRASES = [text for text, *_ in RECURRING_CASES]


@PROPERTY
@given(
    st.sampled_from(RECURRING_PHRASES), references, st.dates(date(1990, 1, 1), date(2100, 12, 31))
)
def test_recurring_occurrence_is_current_and_stable(text: str, reference: date, day: date) -> None:
    deadline = parse_deadline(text, reference=reference)
    occurrence = deadline.occurrence_on_or_after(day)
    assert occurrence is not None
    assert day <= occurrence
    # The occurrence current at its own due date is itself, and the day after moves on.
    assert deadline.occurrence_on_or_after(occurrence) == occurrence
    assert deadline.occurrence_on_or_after(occurrence + timedelta(days=1)) > occurrence
    # No occurrence is skipped: a year holds at most one per day and at least one.
    assert occurrence - day <= timedelta(days=366)
