"""A province's years of data in a fresh database, generated fast with SQLAlchemy Core.

The schema comes from the app's own migrations; the rows are bulk-inserted (executemany in
chunks), never built as ORM objects, so no journal rows are written: that is fine for a
benchmark. What the ORM listeners would have stored is reproduced with the app's own code:
search keys with `app.text.fold_join` over each model's `__search_fields__`, deadlines with
`app.tasks.deadlines.parse_deadline` on the generated Vietnamese phrase.
"""

from __future__ import annotations

import itertools
import logging
import os
import random
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import Engine, Table, create_engine, func, insert, select, text, update
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import OperationalError
from werkzeug.security import generate_password_hash

from app import create_app
from app.agencies.models import Agency, AgencyKind
from app.auth.models import PASSWORD_METHOD, Role, User
from app.clock import today_local
from app.directives.models import Directive, DirectiveKind, Section
from app.extensions import db
from app.tasks.deadlines import Deadline, DeadlineKind, parse_deadline
from app.tasks.models import (
    ProgressUpdate,
    ReviewState,
    Status,
    Task,
    UpdateKind,
    task_coordinators,
)
from app.text import fold_join, nfc

PASSWORD = "bench-password-2026"  # noqa: S105  (a throw-away benchmark account)
USERNAMES = {
    Role.ADMIN: "bench-admin",
    Role.OFFICE: "bench-office",
    Role.LEADER: "bench-leader",
    Role.DEPARTMENT: "bench-department",
}
CHUNK = 5_000
SEED = 131
POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
POSTGRES_BENCH_DB = "nhiemvu_bench"
FIRST_ISSUE = date(2019, 1, 2)
LAST_ISSUE = date(2026, 9, 30)
LAST_DUE = date(2027, 12, 31)

# --- realistic text ----------------------------------------------------------------------

REAL_AGENCIES: list[tuple[str, str | None, AgencyKind]] = [
    # The busiest agency comes first: lead agencies are drawn with decreasing weights.
    ("Sở Thông tin và Truyền thông", "Sở TT&TT", AgencyKind.DEPARTMENT),
    ("Sở Kế hoạch và Đầu tư", "Sở KH&ĐT", AgencyKind.DEPARTMENT),
    ("Sở Tài nguyên và Môi trường", "Sở TN&MT", AgencyKind.DEPARTMENT),
    ("Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT", AgencyKind.DEPARTMENT),
    ("Sở Tài chính", None, AgencyKind.DEPARTMENT),
    ("Sở Nội vụ", None, AgencyKind.DEPARTMENT),
    ("Sở Xây dựng", None, AgencyKind.DEPARTMENT),
    ("Sở Giao thông vận tải", "Sở GTVT", AgencyKind.DEPARTMENT),
    ("Sở Công Thương", None, AgencyKind.DEPARTMENT),
    ("Sở Y tế", None, AgencyKind.DEPARTMENT),
    ("Sở Giáo dục và Đào tạo", "Sở GD&ĐT", AgencyKind.DEPARTMENT),
    ("Sở Lao động - Thương binh và Xã hội", "Sở LĐ-TB&XH", AgencyKind.DEPARTMENT),
    ("Sở Văn hóa và Thể thao", "Sở VH&TT", AgencyKind.DEPARTMENT),
    ("Sở Du lịch", None, AgencyKind.DEPARTMENT),
    ("Sở Khoa học và Công nghệ", "Sở KH&CN", AgencyKind.DEPARTMENT),
    ("Sở Tư pháp", None, AgencyKind.DEPARTMENT),
    ("Sở Ngoại vụ", None, AgencyKind.DEPARTMENT),
    ("Thanh tra tỉnh", None, AgencyKind.DEPARTMENT),
    ("Văn phòng UBND tỉnh", "VP UBND tỉnh", AgencyKind.DEPARTMENT),
    ("Ban Dân tộc tỉnh", None, AgencyKind.DEPARTMENT),
    ("Ban Quản lý Khu kinh tế tỉnh", "BQL KKT", AgencyKind.DEPARTMENT),
    ("Trung tâm Phục vụ hành chính công tỉnh", "Trung tâm PVHCC", AgencyKind.DEPARTMENT),
    ("UBND thành phố Quy Nhơn", None, AgencyKind.DISTRICT),
    ("UBND thị xã An Nhơn", None, AgencyKind.DISTRICT),
    ("UBND thị xã Hoài Nhơn", None, AgencyKind.DISTRICT),
    ("UBND huyện Tuy Phước", None, AgencyKind.DISTRICT),
    ("UBND huyện Phù Cát", None, AgencyKind.DISTRICT),
    ("UBND huyện Phù Mỹ", None, AgencyKind.DISTRICT),
    ("UBND huyện Hoài Ân", None, AgencyKind.DISTRICT),
    ("UBND huyện Tây Sơn", None, AgencyKind.DISTRICT),
    ("UBND huyện Vân Canh", None, AgencyKind.DISTRICT),
    ("UBND huyện Vĩnh Thạnh", None, AgencyKind.DISTRICT),
    ("UBND huyện An Lão", None, AgencyKind.DISTRICT),
    ("Công an tỉnh", None, AgencyKind.CENTRAL),
    ("Bộ Chỉ huy Quân sự tỉnh", None, AgencyKind.CENTRAL),
    ("Bộ Chỉ huy Bộ đội Biên phòng tỉnh", None, AgencyKind.CENTRAL),
    ("Cục Thuế tỉnh", None, AgencyKind.CENTRAL),
    ("Cục Hải quan tỉnh", None, AgencyKind.CENTRAL),
    ("Kho bạc Nhà nước tỉnh", None, AgencyKind.CENTRAL),
    ("Cục Thống kê tỉnh", None, AgencyKind.CENTRAL),
    ("Bảo hiểm xã hội tỉnh", "BHXH tỉnh", AgencyKind.CENTRAL),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "UBMTTQVN tỉnh", AgencyKind.PARTY_MASS),
    ("Tỉnh Đoàn", None, AgencyKind.PARTY_MASS),
    ("Hội Liên hiệp Phụ nữ tỉnh", None, AgencyKind.PARTY_MASS),
    ("Hội Nông dân tỉnh", None, AgencyKind.PARTY_MASS),
    ("Liên đoàn Lao động tỉnh", None, AgencyKind.PARTY_MASS),
]
# Past the real names, numbered ones in the style of "Sở Ban ngành 001".
NUMBERED_AGENCIES: list[tuple[str, AgencyKind]] = [
    ("Sở Ban ngành", AgencyKind.DEPARTMENT),
    ("UBND huyện", AgencyKind.DISTRICT),
    ("Ban Quản lý dự án", AgencyKind.OTHER),
    ("Chi cục", AgencyKind.CENTRAL),
    ("Hội đoàn thể", AgencyKind.PARTY_MASS),
    ("Trung tâm", AgencyKind.DEPARTMENT),
]
LEAD_SKEW = 0.6  # agency k leads in proportion to 1 / k**0.6: the first ~5 %, the last ~0.2 %

DIRECTIVE_KINDS: list[tuple[DirectiveKind, str, str]] = [
    (DirectiveKind.DECISION, "QĐ-UBND", "Quyết định ban hành Kế hoạch"),
    (DirectiveKind.PLAN, "KH-UBND", "Kế hoạch"),
    (DirectiveKind.DIRECTIVE, "CT-UBND", "Chỉ thị về việc"),
    (DirectiveKind.CONCLUSION, "TB-UBND", "Thông báo kết luận của Chủ tịch UBND tỉnh về"),
    (DirectiveKind.OFFICIAL_LETTER, "UBND-KT", "Công văn về việc"),
    (DirectiveKind.RESOLUTION, "NQ-HĐND", "Nghị quyết về"),
]
SIGNERS = [
    ("Phạm Anh Tuấn", "Chủ tịch"),
    ("Nguyễn Tuấn Thanh", "Phó Chủ tịch Thường trực"),
    ("Lâm Hải Giang", "Phó Chủ tịch"),
    ("Nguyễn Tự Công Hoàng", "Phó Chủ tịch"),
]
SECTIONS = [
    "Về cải cách thủ tục hành chính",
    "Về phát triển kinh tế - xã hội",
    "Về tổ chức thực hiện",
]

VERBS = [
    "Triển khai",
    "Xây dựng",
    "Hoàn thiện",
    "Tổ chức thực hiện",
    "Tham mưu UBND tỉnh ban hành kế hoạch về",
    "Rà soát, đánh giá",
    "Đẩy mạnh",
    "Nghiên cứu, đề xuất giải pháp về",
    "Chủ trì, phối hợp triển khai",
    "Kiểm tra, giám sát việc thực hiện",
    "Hướng dẫn các địa phương thực hiện",
    "Tăng cường",
    "Đôn đốc, theo dõi",
    "Báo cáo kết quả thực hiện",
    "Phối hợp xử lý dứt điểm tồn tại về",
    "Đầu tư nâng cấp",
]
TOPICS = [
    "chuyển đổi số",
    "cải cách thủ tục hành chính",
    "hạ tầng số",
    "cơ sở dữ liệu đất đai",
    "dịch vụ công trực tuyến toàn trình",
    "an toàn thông tin mạng",
    "chính quyền số",
    "kinh tế số",
    "Đề án 06 về dữ liệu dân cư",
    "quy hoạch sử dụng đất",
    "giải phóng mặt bằng các dự án trọng điểm",
    "giải ngân vốn đầu tư công",
    "xây dựng nông thôn mới",
    "phòng, chống thiên tai",
    "bảo vệ môi trường",
    "xử lý rác thải sinh hoạt",
    "giáo dục nghề nghiệp",
    "y tế cơ sở",
    "an sinh xã hội",
    "giảm nghèo bền vững",
    "phát triển du lịch",
    "xúc tiến đầu tư",
    "hỗ trợ doanh nghiệp nhỏ và vừa",
    "thu ngân sách nhà nước",
    "phòng, chống tham nhũng, tiêu cực",
    "nâng cao chỉ số PCI",
    "Khu kinh tế Nhơn Hội",
    "cảng biển Quy Nhơn",
    "tuyến đường ven biển",
    "bảo đảm trật tự an toàn giao thông",
    "phòng cháy, chữa cháy",
    "quản lý khoáng sản",
    "trồng rừng thay thế",
    "cấp nước sạch nông thôn",
    "nhà ở xã hội",
    "chữ ký số cá nhân",
    "thanh toán không dùng tiền mặt",
    "kho dữ liệu dùng chung của tỉnh",
]
SCOPES = [
    "trên địa bàn tỉnh",
    "tại các sở, ban, ngành và địa phương",
    "năm {year}",
    "giai đoạn 2021-2025",
    "theo chỉ đạo của UBND tỉnh",
    "bảo đảm đúng quy định của pháp luật",
    "gắn với chuyển đổi số",
    "trong lĩnh vực được giao",
    "tại các huyện, thị xã, thành phố",
    "phục vụ người dân và doanh nghiệp",
]
TAILS = [
    "",
    "",
    "",
    "; báo cáo kết quả về UBND tỉnh (qua Văn phòng UBND tỉnh) để theo dõi, chỉ đạo.",
    "; kịp thời tham mưu, đề xuất UBND tỉnh xử lý những khó khăn, vướng mắc phát sinh.",
    ". Lưu ý, phải rõ người, rõ việc, rõ trách nhiệm, rõ thời gian hoàn thành.",
]
PRODUCTS = [None, None, "Kế hoạch", "Báo cáo", "Quyết định", "Đề án", "Tờ trình", "Văn bản"]
EXPLANATION_SENTENCES = [
    "Đơn vị đã ban hành kế hoạch triển khai và phân công nhiệm vụ cụ thể cho từng phòng chuyên môn.",
    "Đã tổ chức hội nghị quán triệt, triển khai đến toàn thể cán bộ, công chức, viên chức.",
    "Hiện nay đang phối hợp với các sở, ngành liên quan hoàn thiện dự thảo để trình UBND tỉnh.",
    "Do vướng mắc về thủ tục đầu tư nên tiến độ thực hiện còn chậm so với kế hoạch đề ra.",
    "Kinh phí thực hiện chưa được bố trí đầy đủ, đơn vị đã có văn bản đề nghị Sở Tài chính thẩm định.",
    "Đã hoàn thành 70% khối lượng công việc, dự kiến hoàn thành trong quý tiếp theo.",
    "Đơn vị đã lấy ý kiến góp ý của các cơ quan, đơn vị, địa phương và tiếp thu, giải trình đầy đủ.",
    "Kết quả thực hiện được cập nhật định kỳ trên Hệ thống theo dõi nhiệm vụ của tỉnh.",
    "Công tác giải phóng mặt bằng còn gặp khó khăn do một số hộ dân chưa đồng thuận với phương án bồi thường.",
    "Đề nghị UBND tỉnh cho phép gia hạn thời gian thực hiện để bảo đảm chất lượng sản phẩm.",
    "Đã trình Hội đồng thẩm định xem xét, dự kiến ban hành trong tháng tới.",
    "Số liệu được tổng hợp từ báo cáo của các huyện, thị xã, thành phố và các đơn vị trực thuộc.",
    "Đơn vị tiếp tục theo dõi, đôn đốc các địa phương thực hiện theo đúng lộ trình đã đề ra.",
    "Sản phẩm đã được nghiệm thu và đưa vào vận hành chính thức, phục vụ người dân và doanh nghiệp.",
    "Nhiệm vụ có tính chất thường xuyên, đơn vị tiếp tục triển khai trong các năm tiếp theo.",
    "Trong kỳ, đã tiếp nhận và xử lý đúng hạn 98,5% hồ sơ thủ tục hành chính.",
    "Đã phối hợp với Sở Thông tin và Truyền thông kết nối, chia sẻ dữ liệu với kho dữ liệu dùng chung.",
    "Nguyên nhân chậm là do chờ hướng dẫn của Bộ, ngành Trung ương.",
]
RECURRING_PHRASES = [
    "Hằng năm",
    "Hàng năm",
    "Hằng quý",
    "hằng tháng",
    "trước ngày 25 hằng tháng",
    "trước ngày 15/12 hằng năm",
    "định kỳ 6 tháng",
    "trước ngày 20 của tháng cuối quý",
]
CONTINUOUS_PHRASES = ["Thường xuyên", "Thường xuyên, liên tục", "Liên tục"]
UNSPECIFIED_PHRASES = [
    None,
    "Theo lộ trình Nghị định số 107/2021/NĐ-CP",
    "Theo tiến độ được giao",
    "Khi có yêu cầu",
    "theo đúng tiến độ được phê duyệt",
    "Theo tiến độ của Đề án 06",
]
ROMAN = ["I", "II", "III", "IV"]
# Deadline kinds in the proportions the province's documents show.
KIND_WEIGHTS = [
    (DeadlineKind.DATE, 50),
    (DeadlineKind.PERIOD, 15),
    (DeadlineKind.RECURRING, 15),
    (DeadlineKind.CONTINUOUS, 10),
    (DeadlineKind.UNSPECIFIED, 10),
]
STATUS_WEIGHTS = [(Status.COMPLETED, 45), (Status.PARTIAL, 10), (Status.IN_PROGRESS, 45)]


# --- what a run produces -----------------------------------------------------------------


@dataclass(frozen=True)
class Sizes:
    """How much data to generate."""

    tasks: int = 100_000
    agencies: int = 200
    updates: int = 300_000
    directives: int = 50


class Unavailable(Exception):
    """The database cannot be used (the PostgreSQL server is unreachable): skip it."""


@dataclass
class Generated:
    """A populated database and the app bound to it."""

    name: str  # "SQLite" or "PostgreSQL"
    app: Flask
    location: str  # the file, or the URL without password
    seconds: float
    counts: dict[str, int]
    busy_agency_id: int
    busy_agency_name: str
    phases: dict[str, float] = field(default_factory=dict)
    cleanup: Callable[[], None] = lambda: None


def _stamp(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 8, 30, tzinfo=UTC)


def _search_key(model: type, values: dict[str, Any]) -> str:
    """The key the before-flush listener would store (the model's search parts, folded)."""
    return fold_join(*(values.get(name) for name in model.__search_fields__))


def _chunks(rows: Iterable[dict[str, Any]], size: int = CHUNK) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _insert(connection: Connection, table: Table, rows: Iterable[dict[str, Any]]) -> int:
    count = 0
    for chunk in _chunks(rows):
        connection.execute(insert(table), chunk)
        count += len(chunk)
    return count


@lru_cache(maxsize=65_536)
def _read_deadline(phrase: str, reference: date) -> Deadline:
    return parse_deadline(phrase, reference=reference)


# --- the rows ------------------------------------------------------------------------------


class Province:
    """Generates the rows, remembering what later tables refer to."""

    def __init__(self, sizes: Sizes, today: date, seed: int = SEED) -> None:
        self.sizes = sizes
        self.today = today
        self.rng = random.Random(seed)
        self.agency_ids = list(range(1, sizes.agencies + 1))
        self.task_assigned: list[date] = []
        self.task_lead: list[int | None] = []
        self.directive_issued: list[date] = []
        self.explanations = [self._explanation() for _ in range(2_000)]

    # agencies, users, directives ------------------------------------------------------------

    def agencies(self) -> Iterator[dict[str, Any]]:
        now = _stamp(FIRST_ISSUE)
        for index in range(self.sizes.agencies):
            if index < len(REAL_AGENCIES):
                name, short_name, kind = REAL_AGENCIES[index]
            else:
                prefix, kind = NUMBERED_AGENCIES[index % len(NUMBERED_AGENCIES)]
                name, short_name = f"{prefix} {index + 1:03d}", None
            values = {"name": nfc(name), "short_name": nfc(short_name)}
            yield {
                "id": index + 1,
                **values,
                "kind": kind,
                "active": True,
                "search_key": _search_key(Agency, values),
                "created_at": now,
                "updated_at": now,
            }

    def users(self, busy_agency_id: int) -> list[dict[str, Any]]:
        # One hash for all four: scrypt is deliberately slow, and the salt is irrelevant here.
        password_hash = generate_password_hash(PASSWORD, method=PASSWORD_METHOD)
        now = _stamp(FIRST_ISSUE)
        names = {
            Role.ADMIN: "Quản trị hệ thống",
            Role.OFFICE: "Trần Thị Chuyên Viên",
            Role.LEADER: "Lâm Hải Giang",
            Role.DEPARTMENT: "Nguyễn Văn Sở",
        }
        return [
            {
                "id": index + 1,
                "username": USERNAMES[role],
                "full_name": names[role],
                "role": role,
                "agency_id": busy_agency_id if role == Role.DEPARTMENT else None,
                "password_hash": password_hash,
                "active": True,
                "created_at": now,
                "updated_at": now,
            }
            for index, role in enumerate(USERNAMES)
        ]

    def directives(self) -> Iterator[dict[str, Any]]:
        count = self.sizes.directives
        span = (LAST_ISSUE - FIRST_ISSUE).days
        for index in range(count):
            issued = FIRST_ISSUE + timedelta(days=span * index // max(count - 1, 1))
            self.directive_issued.append(issued)
            kind, symbol, opening = DIRECTIVE_KINDS[index % len(DIRECTIVE_KINDS)]
            signer, title = SIGNERS[index % len(SIGNERS)]
            topic = TOPICS[index % len(TOPICS)]
            values = {
                "number": f"{120 + index * 37}/{symbol}",
                "summary": nfc(f"{opening} {topic} trên địa bàn tỉnh năm {issued.year}"),
                "issuer": "UBND tỉnh Bình Định",
                "signer": signer,
            }
            yield {
                "id": index + 1,
                "kind": kind,
                **values,
                "issued_on": issued,
                "signer_title": title,
                "search_key": _search_key(Directive, values),
                "created_at": _stamp(issued),
                "updated_at": _stamp(issued),
            }

    def sections(self) -> Iterator[dict[str, Any]]:
        for directive in range(self.sizes.directives):
            for position, title in enumerate(SECTIONS):
                yield {
                    "id": directive * len(SECTIONS) + position + 1,
                    "directive_id": directive + 1,
                    "number": ROMAN[position],
                    "title": title,
                    "position": position,
                }

    # tasks ------------------------------------------------------------------------------------

    def _title(self, year: int) -> str:
        rng = self.rng
        scope = rng.choice(SCOPES).format(year=year)
        return f"{rng.choice(VERBS)} {rng.choice(TOPICS)} {scope}{rng.choice(TAILS)}"

    def _date_phrase(self, due: date) -> str:
        quarter = (due.month - 1) // 3
        forms = [
            f"trước ngày {due.day}/{due.month}/{due.year}",
            f"Tháng {due.month}/{due.year}",
            f"Quý {ROMAN[quarter]} năm {due.year}",
            f"trong năm {due.year}",
            f"trong tháng {due.month:02d} năm {due.year}",
            f"chậm nhất ngày {due.day:02d}/{due.month:02d}/{due.year}",
        ]
        return self.rng.choice(forms)

    def _period_phrase(self, due: date) -> str:
        rng = self.rng
        last = due.year
        first = last - rng.randint(1, 4)
        month = rng.randint(1, 9)
        forms = [
            f"Giai đoạn {first}-{last}",
            f"{first} {last}",
            f"Tháng {month}/{last} - Tháng {month + rng.randint(1, 3)}/{last}",
            f"từ tháng {month}/{first} đến tháng {rng.randint(1, 12)}/{last}",
            f"{first}; {last}",
        ]
        return rng.choice(forms)

    def _deadline_phrase(self, kind: DeadlineKind, assigned: date) -> str | None:
        rng = self.rng
        if kind == DeadlineKind.DATE:
            due = min(assigned + timedelta(days=rng.randint(20, 900)), LAST_DUE)
            return self._date_phrase(due)
        if kind == DeadlineKind.PERIOD:
            due = min(assigned + timedelta(days=rng.randint(180, 1400)), LAST_DUE)
            return self._period_phrase(due)
        if kind == DeadlineKind.RECURRING:
            return rng.choice(RECURRING_PHRASES)
        if kind == DeadlineKind.CONTINUOUS:
            return rng.choice(CONTINUOUS_PHRASES)
        return rng.choice(UNSPECIFIED_PHRASES)

    def _completed_on(self, assigned: date, due: date | None) -> date:
        rng = self.rng
        if due is None:
            done = assigned + timedelta(days=rng.randint(30, 700))
        else:
            # Mostly on time, a good share late.
            done = due + timedelta(days=rng.randint(-150, 60))
        return max(assigned, min(done, self.today))

    def tasks(self, coordinators: list[dict[str, int]]) -> Iterator[dict[str, Any]]:
        """The task rows; fills `coordinators` with task_coordinators rows as it goes."""
        rng = self.rng
        n, directives = self.sizes.tasks, self.sizes.directives
        cum_weights = list(itertools.accumulate(1 / k**LEAD_SKEW for k in self.agency_ids))
        leads = rng.choices(self.agency_ids, cum_weights=cum_weights, k=n)
        kinds = rng.choices([k for k, _ in KIND_WEIGHTS], [w for _, w in KIND_WEIGHTS], k=n)
        statuses = rng.choices([s for s, _ in STATUS_WEIGHTS], [w for _, w in STATUS_WEIGHTS], k=n)
        per_directive = -(-n // directives)
        per_section = -(-per_directive // len(SECTIONS))
        for index in range(n):
            task_id = index + 1
            directive = index // per_directive
            position = index - directive * per_directive
            section = position // per_section
            assigned = self.directive_issued[directive] + timedelta(days=rng.randint(0, 60))
            lead: int | None = leads[index]
            lead_text = None
            if rng.random() < 0.01:  # owned by "every agency", as some directives say
                lead, lead_text = None, "Các sở, ban, ngành, địa phương"
            phrase = self._deadline_phrase(kinds[index], assigned)
            deadline = _read_deadline(phrase or "", assigned)
            status = statuses[index]
            completed_on = (
                self._completed_on(assigned, deadline.due) if status == Status.COMPLETED else None
            )
            if rng.random() < 0.3:
                others = rng.sample(self.agency_ids, 4)
                chosen = [a for a in others if a != lead][: rng.randint(1, 3)]
                coordinators.extend({"task_id": task_id, "agency_id": a} for a in chosen)
            values = {
                "title": nfc(self._title(assigned.year)),
                "outline": f"{section + 1}.{position - section * per_section + 1}",
                "code": f"NV.{assigned.year}.{task_id:06d}" if index % 3 == 0 else None,
                "lead_text": lead_text,
                "deadline_text": nfc(phrase),
                "product": rng.choice(PRODUCTS),
            }
            self.task_assigned.append(assigned)
            self.task_lead.append(lead)
            # About 1 % deleted, each at its own moment (as the journal would show).
            deleted_at = None
            if rng.random() < 0.01:
                deleted_at = _stamp(assigned) + timedelta(days=rng.randint(1, 400), minutes=index)
            yield {
                "id": task_id,
                "directive_id": directive + 1,
                "section_id": directive * len(SECTIONS) + section + 1,
                "parent_id": None,
                "position": position,
                **values,
                "lead_agency_id": lead,
                "coordinators_text": None,
                "supervisor_id": None,
                "assigned_on": assigned,
                "start_text": None,
                "deadline_kind": deadline.kind,
                "deadline_start": deadline.start,
                "deadline_due": deadline.due,
                "deadline_dues": [d.isoformat() for d in deadline.dues],
                "extended_due": None,
                "status": status,
                "completed_on": completed_on,
                "version": 1,
                "deleted_at": deleted_at,
                "search_key": _search_key(Task, values),
                "created_at": _stamp(assigned),
                "updated_at": _stamp(assigned),
            }

    # progress updates ---------------------------------------------------------------------------

    def _explanation(self) -> str:
        count = self.rng.randint(3, 6)
        return nfc(" ".join(self.rng.sample(EXPLANATION_SENTENCES, count)))

    def updates(self, reviewer_id: int) -> Iterator[dict[str, Any]]:
        rng = self.rng
        n = len(self.task_assigned)
        kinds = [s for s, _ in STATUS_WEIGHTS]
        for _ in range(self.sizes.updates):
            task = rng.randrange(n)
            assigned = self.task_assigned[task]
            reported = assigned + timedelta(
                days=rng.randint(0, max(0, (self.today - assigned).days))
            )
            status = rng.choices(kinds, (20, 20, 60))[0]
            yield {
                "task_id": task + 1,
                "agency_id": self.task_lead[task],
                "author_id": None,
                "reported_on": reported,
                "period": f"{reported.year}-Q{(reported.month - 1) // 3 + 1}",
                "status": status,
                "explanation": rng.choice(self.explanations),
                "completed_on": reported if status == Status.COMPLETED else None,
                "kind": UpdateKind.REPORT,
                "review_state": ReviewState.ACCEPTED,
                "reviewed_by_id": reviewer_id,
                "reviewed_at": _stamp(reported) + timedelta(days=1),
                "review_note": None,
                "created_at": _stamp(reported),
                "updated_at": _stamp(reported),
            }


# --- databases -----------------------------------------------------------------------------


def _sqlite() -> tuple[str, str, Callable[[bool], None]]:
    directory = tempfile.mkdtemp(prefix="nhiemvu-bench-")
    path = os.path.join(directory, "bench.db")

    def cleanup(keep: bool) -> None:
        if not keep:
            shutil.rmtree(directory, ignore_errors=True)

    return f"sqlite:///{path}", path, cleanup


def _postgres_url(value: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if value.startswith(prefix):
            return "postgresql+psycopg://" + value[len(prefix) :]
    return value


def _postgres() -> tuple[str, str, Callable[[bool], None]]:
    """BENCH_DATABASE_URL emptied, or a throw-away database dropped and created again."""
    given = os.environ.get("BENCH_DATABASE_URL")
    url = _postgres_url(given) if given else None
    admin_url = url or POSTGRES_ADMIN_URL
    engine = create_engine(
        admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5}
    )
    try:
        with engine.connect() as connection:
            if given:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
            else:
                connection.execute(
                    text(f"DROP DATABASE IF EXISTS {POSTGRES_BENCH_DB} WITH (FORCE)")
                )
                connection.execute(
                    text(f"CREATE DATABASE {POSTGRES_BENCH_DB} ENCODING 'UTF8' TEMPLATE template0")
                )
    except OperationalError as error:
        reason = str(error.orig or error).strip().splitlines()[0]
        raise Unavailable(f"PostgreSQL unreachable at {_safe(admin_url)}: {reason}") from error
    finally:
        engine.dispose()
    if url is None:
        url = (
            make_url(POSTGRES_ADMIN_URL)
            .set(database=POSTGRES_BENCH_DB)
            .render_as_string(hide_password=False)
        )

    def cleanup(keep: bool) -> None:
        if keep or given:
            return
        admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {POSTGRES_BENCH_DB} WITH (FORCE)"))
        admin.dispose()

    return url, _safe(url), cleanup


def _safe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _populate(engine: Engine, province: Province, log: Callable[[str, float], None]) -> int:
    """Insert every table in dependency order; returns the busy agency's id."""
    busy_agency_id = 1  # the heaviest lead weight
    started = time.perf_counter()
    with engine.begin() as connection:
        _insert(connection, Agency.__table__, province.agencies())
        _insert(connection, User.__table__, province.users(busy_agency_id))
        office_id, leader_id = 2, 3  # the order of USERNAMES
        # The leader oversees every third agency (the busy one among them).
        connection.execute(
            update(Agency.__table__)
            .where(Agency.__table__.c.id % 3 == 1)
            .values(supervisor_id=leader_id)
        )
        _insert(connection, Directive.__table__, province.directives())
        _insert(connection, Section.__table__, province.sections())
    log("agencies, users, directives", time.perf_counter() - started)

    started = time.perf_counter()
    coordinators: list[dict[str, int]] = []
    with engine.begin() as connection:
        _insert(connection, Task.__table__, province.tasks(coordinators))
        _insert(connection, task_coordinators, coordinators)
    log("tasks and coordinators", time.perf_counter() - started)

    started = time.perf_counter()
    with engine.begin() as connection:
        _insert(connection, ProgressUpdate.__table__, province.updates(office_id))
    log("progress updates", time.perf_counter() - started)
    return busy_agency_id


def _finish_postgres(engine: Engine) -> None:
    """Move the id sequences past the inserted ids, and gather statistics as autovacuum would."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in ("agencies", "users", "directives", "sections", "tasks"):
            # Our own table names, not input.
            last = f"(SELECT max(id) FROM {table})"  # noqa: S608
            connection.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {last})")
            )
        connection.execute(text("VACUUM ANALYZE"))


def _counts(engine: Engine) -> dict[str, int]:
    tables = {t.name: t for t in (Agency.__table__, User.__table__, Directive.__table__)}
    tables |= {t.name: t for t in (Section.__table__, Task.__table__, task_coordinators)}
    tables["progress_updates"] = ProgressUpdate.__table__
    with engine.connect() as connection:
        return {
            name: connection.scalar(select(func.count()).select_from(table)) or 0
            for name, table in tables.items()
        }


def generate(kind: str, sizes: Sizes, *, keep: bool = False, verbose: bool = True) -> Generated:
    """A fresh database of `kind` ("sqlite" or "postgresql") filled with `sizes` of data."""
    name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[kind]
    phases: dict[str, float] = {}

    def log(phase: str, seconds: float) -> None:
        phases[phase] = seconds
        if verbose:
            print(f"  [{name}] {phase}: {seconds:.1f} s", flush=True)

    started = time.perf_counter()
    url, location, cleanup = _sqlite() if kind == "sqlite" else _postgres()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x" * 40})
    with app.app_context():
        step = time.perf_counter()
        logging.disable(logging.INFO)  # Alembic configures its own INFO logging on each run
        try:
            upgrade()
        finally:
            logging.disable(logging.NOTSET)
        log("schema (migrations)", time.perf_counter() - step)
        province = Province(sizes, today_local())
        busy_agency_id = _populate(db.engine, province, log)
        if kind == "postgresql":
            step = time.perf_counter()
            _finish_postgres(db.engine)
            log("sequences, VACUUM ANALYZE", time.perf_counter() - step)
        counts = _counts(db.engine)
        busy_name = db.session.scalar(select(Agency.name).where(Agency.id == busy_agency_id))
        db.session.remove()
    seconds = time.perf_counter() - started
    return Generated(
        name=name,
        app=app,
        location=location,
        seconds=seconds,
        counts=counts,
        busy_agency_id=busy_agency_id,
        busy_agency_name=busy_name or "",
        phases=phases,
        cleanup=lambda: _dispose(app, cleanup, keep),
    )


def _dispose(app: Flask, cleanup: Callable[[bool], None], keep: bool) -> None:
    with app.app_context():
        db.engine.dispose()
    cleanup(keep)
