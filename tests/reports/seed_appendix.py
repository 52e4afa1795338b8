"""Report content built from the seed documents, for the writers' tests.

`appendix_131()` is the appendix of seed 001 (seeds/appendix_131.yaml: 10 tasks in sections
I, II, III); `letter_1239()` the cover letter of seed 002. `big_appendix()` is the writers'
load: a thousand tasks with explanations of 250-2,000 characters.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime
from pathlib import Path

import yaml

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

SEED = Path(__file__).resolve().parents[2] / "seeds" / "appendix_131.yaml"
BUILT_AT = datetime(2023, 3, 20, 2, 30, tzinfo=UTC)
TITLE = (
    "Tình hình, tiến độ thực hiện các nhiệm vụ triển khai Nghị quyết số 131/NQ-CP "
    "trên địa bàn tỉnh Bình Định"
)
SUBTITLE = (
    "(Kèm theo Công văn số      /UBND-KSTT ngày     tháng 03 năm 2023 của Chủ tịch UBND tỉnh)"
)
# Every Vietnamese letter with every tone, both cases.
VIETNAMESE = (
    "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
    "AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬEÈÉẺẼẸÊỀẾỂỄỆIÌÍỈĨỊOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢUÙÚỦŨỤƯỪỨỬỮỰYỲÝỶỸỴĐ"
)
SUMMARY = (
    AgencyCounts("Văn phòng UBND tỉnh", done_on_time=4, done_late=1, in_progress=2, overdue=1),
    AgencyCounts("Sở Thông tin và Truyền thông", done_on_time=2, in_progress=1, no_deadline=2),
)


def seed_sections() -> list[dict]:
    """The sections of seed 001 as the YAML file holds them."""
    return yaml.safe_load(SEED.read_text(encoding="utf-8"))["sections"]


def appendix_131(**changes: object) -> Appendix:
    """The appendix of seed 001, word for word."""
    sections = tuple(
        AppendixSection(
            number=section["number"],
            title=section["title"],
            tasks=tuple(
                AppendixTask(
                    stt=task["outline"],
                    name=task["title"],
                    deadline_text=task["deadline"],
                    progress=Progress(task["status"]),
                    explanation=task["explanation"],
                )
                for task in section["tasks"]
            ),
        )
        for section in seed_sections()
    )
    values: dict = {
        "title": TITLE,
        "subtitle": SUBTITLE,
        "sections": sections,
        "summary": SUMMARY,
        "period_label": "Quý I năm 2023",
        "built_at": BUILT_AT,
    }
    return Appendix(**(values | changes))


def one_task_appendix(task: AppendixTask, **changes: object) -> Appendix:
    """An appendix holding only `task`, in a section I."""
    section = AppendixSection("I", "Nhóm nhiệm vụ thử", (task,))
    return appendix_131(sections=(section,), **changes)


def big_appendix(tasks: int = 1000, seed: int = 131) -> Appendix:
    """`tasks` tasks in ten sections; explanations of 250-2,000 characters in 1-6 lines."""
    rng = random.Random(seed)
    words = " ".join(
        task["explanation"] for section in seed_sections() for task in section["tasks"]
    ).split()
    progress = list(Progress)

    def text(low: int, high: int) -> str:
        size, out = rng.randint(low, high), []
        while sum(len(w) + 1 for w in out) < size:
            out.append(rng.choice(words))
        lines = rng.randint(1, 6)
        cut = sorted(rng.sample(range(1, len(out)), min(lines - 1, len(out) - 1)))
        parts = [out[a:b] for a, b in zip([0, *cut], [*cut, len(out)], strict=True)]
        return "\n".join(" ".join(p) for p in parts)[:high]

    per = tasks // 10
    sections = tuple(
        AppendixSection(
            number=roman,
            title=text(40, 120).replace("\n", " "),
            tasks=tuple(
                AppendixTask(
                    stt=str(s * per + i + 1),
                    name=text(80, 400),
                    deadline_text=rng.choice(["Tháng 6/2023", "Thường xuyên", "Quý IV/2024"]),
                    progress=rng.choice(progress),
                    explanation=text(250, 2000),
                )
                for i in range(per)
            ),
        )
        for s, roman in enumerate(("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"))
    )
    return appendix_131(sections=sections)


def letter_1239(**changes: object) -> CoverLetter:
    """The cover letter of seed 002."""
    values: dict = {
        "agency_lines": ("ỦY BAN NHÂN DÂN", "TỈNH BÌNH ĐỊNH"),
        "number": "1239/UBND-KSTT",
        "place": "Bình Định",
        "dated": date(2025, 2, 20),
        "subject": (
            "tình hình tổ chức triển khai thực hiện Quyết định số 1588/QĐ-TTg ngày 17 tháng 12 "
            "năm 2024 của Thủ tướng Chính phủ trên địa bàn tỉnh Bình Định"
        ),
        "recipients": ("Bộ Thông tin và Truyền thông",),
        "body": (
            "Theo đề nghị của Bộ Thông tin và Truyền thông tại Công văn số 506/BTTTT-CDSQG ngày "
            "18 tháng 02 năm 2025; Ủy ban nhân dân tỉnh Bình Định báo cáo tình hình triển khai "
            "thực hiện như sau:",
            "1. Tại thời điểm nhận được văn bản của Bộ Thông tin và Truyền thông, Ủy ban nhân "
            "dân tỉnh Bình Định đã chủ động chỉ đạo Văn phòng Ủy ban nhân dân tỉnh chủ trì.",
            "2. Trong thời gian tới, Ủy ban nhân dân tỉnh sẽ quan tâm sâu sát trong công tác "
            "lãnh đạo, chỉ đạo.",
            "Ủy ban nhân dân tỉnh Bình Định trân trọng báo cáo Bộ Thông tin và Truyền thông "
            "tổng hợp theo quy định./.",
        ),
        "distribution": (
            "- Như trên;",
            "- Bộ Thông tin và Truyền thông (b/c);",
            "- Cục Chuyển đổi số Quốc gia;",
            "- CT, các PCT UBND tỉnh;",
            "- LĐVP UBND tỉnh;",
            "- Lưu: VT, K9, KSTT.",
        ),
        "signature_title": ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
        "signer": "Nguyễn Tuấn Thanh",
        "built_at": datetime(2025, 2, 20, 1, 0, tzinfo=UTC),
    }
    return CoverLetter(**(values | changes))


def overdue_report(**changes: object) -> OverdueReport:
    """Two agencies' overdue tasks as of 15/07/2024."""
    values: dict = {
        "title": "Danh sách nhiệm vụ quá hạn",
        "as_of": date(2024, 7, 15),
        "groups": (
            OverdueGroup(
                "Sở Tài chính",
                (
                    OverdueTask(
                        title="Tham mưu bố trí kinh phí số hóa hồ sơ",
                        deadline_text="Tháng 5/2024",
                        due=date(2024, 5, 31),
                        days_overdue=45,
                        supervisor="Nguyễn Tuấn Thanh",
                        last_explanation="Đang chờ ý kiến của Bộ Tài chính.\nDự kiến quý III.",
                        outline="2.1",
                    ),
                    OverdueTask(
                        title='=HYPERLINK("http://example.com","bấm")',
                        deadline_text="Trước ngày 30/6/2024",
                        due=date(2024, 6, 30),
                        days_overdue=15,
                    ),
                ),
            ),
            OverdueGroup(
                "Sở Thông tin và Truyền thông",
                (
                    OverdueTask(
                        title="Hoàn thiện Hệ thống thông tin báo cáo của tỉnh",
                        deadline_text="Tháng 6/2023",
                        due=date(2023, 6, 30),
                        days_overdue=381,
                        supervisor="Lâm Hải Giang",
                        last_explanation="- Đã kết nối thử nghiệm.",
                    ),
                ),
            ),
        ),
        "built_at": datetime(2024, 7, 15, 3, 0, tzinfo=UTC),
    }
    return OverdueReport(**(values | changes))
