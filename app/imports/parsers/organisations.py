"""Who a sentence names: organisations by their first words, the subject that a task is given
to, the "phối hợp (với) …" list, groups and lists of co-leads. Pure (stdlib).

Rules
-----
* An organisation starts with a head word matched on the text without marks (so "Ủy"/"Uỷ"
  both read): a name head followed by a capital ("Sở Tài chính", "Ban Tuyên giáo", "Bộ Công
  an", "Ngân hàng Nhà nước", "Tập đoàn …"), a party or assembly body ("Ban cán sự đảng", "Đảng
  đoàn", "Đảng ủy", "Tổ đảng", "Tỉnh ủy", "Thường trực …", "Lãnh đạo Ban …"), an office holder
  ("Bộ trưởng", "Thủ trưởng", "Giám đốc", "Chủ tịch UBND …"), "UBND"/"Ủy ban" (also glued,
  "Ủyban"), or a collective ("Các sở, ban, ngành", "các bộ, cơ quan ngang bộ", "Bộ, ngành, địa
  phương"). "Ban hành", "Bộ luật", "Trung tâm dữ liệu" are no organisation (no capital).
* The issuer is never an owner: "UBND tỉnh", "Chủ tịch UBND tỉnh", "Thủ tướng Chính phủ".
* The subject of a sentence: after an optional giver ("Giao", "Giao cho" — also glued "Giaocho"
  —, "Đề nghị", "Yêu cầu", "Chỉ đạo", "UBND tỉnh giao …"), an organisation up to the first verb
  that does not follow a comma (", lãnh đạo các cơ quan …" is one more name of a list, "… Quốc
  hội lãnh đạo, chỉ đạo" is the verb) or up to "theo chức năng", "trong phạm vi", "căn cứ". A
  sentence that opens with an adverbial clause ("Trên cơ sở …,", "Trong quá trình …, nếu …,",
  "Để …,", "Định kỳ,", "Căn cứ …,") has its subject after one of its commas: "…, các bộ, cơ
  quan ngang bộ, … theo chức năng, nhiệm vụ xây dựng …". A subject reporting the past ("đã",
  "đang", "vừa") is no owner. A name is at most 60 words, without ".", ":" or a bracket.
* "phối hợp (chặt chẽ) với X" — or "phối hợp X" when X is an organisation — lists the
  coordinators up to the next verb, "để", "theo", ";" "." ":" "(", ending at "(có) liên quan".
* A group names a collective ("các …", "những …", "cấp huyện", "Bộ, ngành"); a list of named
  organisations ("Bộ Khoa học và Công nghệ, Bộ Thông tin và Truyền thông") is co-leads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.imports.parsers.plain import plain

_CAPITAL_HEADS = (
    "So|Bo|Cuc|Chi cuc|Tong cuc|Dai|Bao|Truong|Vien|Benh vien|Hoi|Hoi dong|Doan|Trung tam"
    "|Lien doan|Lien minh|Mat tran|Cong ty|Tong cong ty|Chi nhanh|Cang vu|Hoc vien|Tap doan"
    "|Ban|Toa an|Vien kiem sat|Phong|Thong tan xa|Ngan hang|Kho bac|Uy ban"
)
ORG = re.compile(
    rf"(?:(?:{_CAPITAL_HEADS})\s+[A-Z]"
    r"|Ban (?:can su|chi dao|chap hanh|thuong vu|quan ly|bi thu|dai dien)\b"
    r"|Van phong\s+(?:[A-Z]|UBND)|Uy ?ban\s|UBND\b|Cong an\b|Bo doi\b|Bo Chi huy\b"
    r"|Bao hiem xa hoi\b|Buu dien\b|Dien luc\b|Vien thong\b|Hai quan\b"
    r"|Dang (?:doan|uy|bo)\b|To dang\b|(?:Tinh|Thanh|Huyen|Thi|Quan) (?:doan|Doan|uy)\b"
    r"|Thuong truc\b|Thuong vu\b|Lanh dao\s+(?:[A-Z]|cac\b)"
    r"|Thanh tra (?:tinh|huyen|So|Chinh phu)\b"
    r"|(?:Bo truong|Thu truong|Giam doc|Chanh Van phong|Truong [Bb]an|Chu nhiem|Tong Giam doc"
    r"|Chu tich (?:UBND|Uy ban|Hoi|HDND))\b"
    r"|Bo, nganh\b"
    r"|[Cc]ac (?:so|ban|nganh|bo|co quan|don vi|dia phuong|huyen|xa|phuong|tinh|thanh vien"
    r"|to chuc|hoi|doan the|doanh nghiep|chu dau tu|phong|truong|dong chi|cap uy|Bo|So|Ban"
    r"|Hoi|UBND|Uy ban|Doan|Dang)\b)"
)
ISSUER_ITSELF = re.compile(
    r"(?:(?:Pho )?Chu tich )?(?:UBND|Uy ban nhan dan) tinh\b|Thu tuong(?: Chinh phu)?\b"
)
_GIVER = re.compile(
    r"^(?:(?:(?:Pho )?Chu tich )?(?:UBND|Uy ban nhan dan) tinh,?\s+)?"
    r"(?:[Gg]iao(?:\s*cho)?|[Dd]e nghi|[Yy]eu cau|[Cc]hi dao)\s+(?:cho\s+)?"
)
_OPENER = re.compile(
    r"^(?:Tren co so|Can cu|De |Trong qua trinh|Dinh ky|Hang (?:nam|quy|thang)"
    r"|Sau khi|Khi |Neu |Thuc hien|Nham|Truoc mat|Ngay sau khi|Tu nay|Ngoai ra)"
)
_GROUP = re.compile(
    r"\b(?:cac|nhung)\s|\bcap (?:tinh|huyen|xa)\b|^Bo, nganh\b|\bdia phuong\b", re.I
)
VERB_WORDS = (
    "chủ trì|phối hợp|tham mưu|khẩn trương|thực hiện|triển khai|tổ chức|xây dựng|rà soát|"
    "nghiên cứu|hướng dẫn|theo dõi|kiểm tra|đôn đốc|báo cáo|tiếp tục|có trách nhiệm|"
    "chịu trách nhiệm|chỉ đạo|đề xuất|trình|bố trí|tập trung|chủ động|sớm|kịp thời|đảm bảo|"
    "bảo đảm|thẩm định|tổng hợp|cung cấp|cập nhật|phải|cần|là|được|làm|quan tâm|hoàn thành|"
    "hoàn thiện|ban hành|lập|căn cứ|tăng cường|đẩy mạnh|duy trì|vận hành|ưu tiên|đưa|tập huấn|"
    "tuyên truyền|giám sát|xử lý|giải quyết|chuẩn bị|tiếp thu|khắc phục|thống nhất|hỗ trợ|"
    "phấn đấu|tích cực|nghiêm túc|thường xuyên|liên hệ|trao đổi|phổ biến|thúc đẩy|tiến hành|"
    "khảo sát|đánh giá|bổ sung|điều chỉnh|lựa chọn|giao|yêu cầu|kết luận|đề nghị|sẽ|đã|đang|"
    "vừa|cơ bản|lãnh đạo|giúp|xác định|quán triệt|tham gia|gửi|có ý kiến|cho ý kiến|thẩm tra|"
    "chấn chỉnh|rút kinh nghiệm|nắm|phát huy|tạo điều kiện|ký|trả lời|thể chế hoá|thể chế hóa|cụ thể hoá|"
    "cụ thể hóa|vận động"
)
VERB = re.compile(rf"(?<!\w)(?:{VERB_WORDS})(?!\w)")
_PAST = ("đã", "đang", "vừa", "cơ bản")
_SUBJECT_ENDS = re.compile(r"\s(?:theo chức năng|trong phạm vi|tùy theo|trên cơ sở)\b")
_COORDINATORS = re.compile(r"phối hợp(?: chặt chẽ)?(?:\s+với)?\s+", re.I)
_COORDINATOR_STOPS = re.compile(r"[;.:(]|\s(?:để|theo|trong|nhằm)\s")
MAX_WORDS = 60


@dataclass(frozen=True)
class Subject:
    """An organisation as a sentence's subject: its name as written and where it starts."""

    name: str
    start: int


def is_org(text: str, start: int = 0) -> bool:
    """Whether an organisation's name starts at `start` of `text`."""
    return bool(ORG.match(plain(text), start))


def is_issuer(name: str) -> bool:
    return bool(ISSUER_ITSELF.match(plain(name)))


def bare_org(text: str, *, closed: re.Pattern[str] | None = None) -> str | None:
    """``text`` (a colon allowed at its end) as an organisation's name and nothing more."""
    name = text.rstrip(" :").strip()
    if not is_org(name) or is_issuer(name) or (closed is not None and closed.search(name)):
        return None
    if len(name.split()) > 20 or ":" in name or _verb(name, 0) is not None:
        return None
    return name


def _verb(text: str, start: int) -> re.Match[str] | None:
    """The first verb from `start` that is not one more item of a list (after a comma)."""
    for match in VERB.finditer(text, start):
        before = text[start : match.start()]
        # ", lãnh đạo các cơ quan …" is one more name of a list; "các tổ chức" a noun
        if not re.search(r"(?:,|\b(?:các|những))\s*$", before):
            return match
    return None


def _opener_commas(text: str, plain_text: str) -> list[int]:
    """Where a subject may start after an adverbial opening clause: after each comma."""
    if not _OPENER.match(plain_text):
        return []
    return [m.end() for m in re.finditer(r",\s+", text)]


def subject(text: str) -> Subject | None:
    """The organisation a sentence gives its task to (see the module rules), or None."""
    plain_text = plain(text)
    giver = _GIVER.match(plain_text)
    start = giver.end() if giver else 0
    starts = [start] if ORG.match(plain_text, start) else _opener_commas(text, plain_text)
    for position in starts:
        if not ORG.match(plain_text, position):
            continue
        found = _subject_at(text, position)
        if found is not None:
            return found
        if position == start:
            return None
    return None


def _subject_at(text: str, start: int) -> Subject | None:
    verb = _verb(text, start)
    ends = [m.start() for m in (verb, _SUBJECT_ENDS.search(text, start)) if m is not None]
    if not ends or (verb is not None and min(ends) == verb.start() and verb.group() in _PAST):
        return None
    name = text[start : min(ends)]
    name = name.split(":")[0].strip(" ,")  # "Công an tỉnh: chủ trì …"
    if not name or len(name.split()) > MAX_WORDS or re.search(r"[.:()]", name):
        return None
    if is_issuer(name):
        return None
    return Subject(name, start)


def coordinators(text: str) -> str | None:
    """The "phối hợp (với) …" phrase as written, or None (see the module rules)."""
    for match in _COORDINATORS.finditer(text):
        rest = text[match.end() :]
        with_ = "với" in match.group()
        if not with_ and not is_org(rest):
            continue
        stops = [m.start() for m in (VERB.search(rest), _COORDINATOR_STOPS.search(rest)) if m]
        phrase = rest[: min(stops, default=len(rest))]
        related = re.search(r"liên quan", phrase)
        if related:
            phrase = phrase[: related.end()]
        phrase = phrase.strip(" ,")
        if phrase:
            return phrase
    return None


def is_group(agency: str) -> bool:
    """A collective ("các sở, ban, ngành", "UBND cấp huyện", "Bộ, ngành, địa phương")."""
    return bool(_GROUP.search(plain(agency)))


def org_count(agency: str) -> int:
    """How many organisations a phrase lists ("Bộ A, Bộ B và Sở C" → 3)."""
    parts = re.split(r",\s*|;\s*|\s+va\s+", plain(agency))
    return sum(1 for part in parts if ORG.match(part))
