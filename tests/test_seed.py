"""The real documents as demo data: exact counts of each document, and a second run is a no-op."""

from __future__ import annotations

from sqlalchemy import func, select

from app.agencies.models import Agency
from app.audit import AuditEntry, set_actor
from app.directives.models import Directive, DirectiveKind
from app.seed import load_seeds
from app.tasks.models import ProgressUpdate, Status, Task
from tests.conftest import SEEDS
from tests.freeze import SEEDED_ON


def _tasks(db, number=None, kind=None):
    statement = select(Task).join(Task.directive).order_by(Task.position)
    if number:
        statement = statement.where(Directive.number == number)
    if kind:
        statement = statement.where(Directive.kind == kind)
    return db.scalars(statement).all()


def test_appendix_131_has_ten_tasks_in_three_sections(db):
    tasks = _tasks(db, number="131/NQ-CP")
    assert [t.outline for t in tasks] == [str(n) for n in range(1, 11)]
    sections = [t.section.number for t in tasks]
    assert sections == ["I", "II", "II", "II", "II", "II", "II", "III", "III", "III"]
    assert tasks[0].section.title.startswith("Về cải cách thủ tục hành chính")
    statuses = [t.status for t in tasks]
    assert statuses.count(Status.PARTIAL) == 4  # "Một phần": tasks 1, 2, 9, 10
    assert {tasks[i].status for i in (0, 1, 8, 9)} == {Status.PARTIAL}
    assert tasks[2].status == Status.COMPLETED
    assert tasks[0].deadline_text == "Giai đoạn 2023-2025"
    assert tasks[3].deadline_text == "Theo lộ trình Nghị định số 107/2021/NĐ-CP"
    assert tasks[8].deadline_text == "Tháng 6/2023"


def test_appendix_explanations_are_progress_updates_joined_across_pages(db):
    tasks = _tasks(db, number="131/NQ-CP")
    for task in tasks:
        assert len(task.updates) == 1
        assert task.updates[0].period == "2023-Q1"
        assert task.updates[0].status == task.status
    first = tasks[0].updates[0].explanation
    # the cell continued after a repeated header at a page break
    assert "cho cán bộ các cơ quan, đơn vị, địa phương từ cấp tỉnh đến cấp xã." in first
    assert "STT Tên nhiệm vụ" not in first
    sixth = tasks[5]
    assert "Quyết định số 766/QĐ-TTg" in sixth.title
    assert "kéo dài, vượt cấp" in sixth.title


def test_notice_has_every_bullet_as_a_task_of_its_heading_agency(db):
    tasks = _tasks(db, kind=DirectiveKind.CONCLUSION)
    assert len(tasks) == 20
    leads = [t.lead_agency.name if t.lead_agency else None for t in tasks]
    assert leads[:8] == ["Sở Thông tin và Truyền thông"] * 8
    assert leads[8] == "Công an tỉnh"
    first = tasks[0]
    assert first.deadline_text == "trong tháng 02 năm 2024"
    assert first.title.startswith("Nghiên cứu, tiếp thu các ý kiến góp ý")
    assert sum(1 for t in tasks if t.lead_agency is None) >= 1  # the group heading


def test_plan_rows_keep_outline_code_owners_and_nesting(db):
    tasks = _tasks(db, number=None, kind=DirectiveKind.DECISION)
    plan = [t for t in tasks if t.directive.number is None]
    by_outline = {t.outline: t for t in plan}
    row = by_outline["1.1.2.8"]
    assert row.code == "01128"
    assert row.lead_agency.name == "Cục Thống kê tỉnh"
    assert row.coordinators_text.startswith("Các sở, ban, ngành")
    assert (row.start_text, row.deadline_text) == ("2022", "2030")
    assert row.parent is by_outline["1.1.2"]
    assert by_outline["1.1.2"].parent is by_outline["1.1"]
    assert by_outline["1.1"].parent is by_outline["1"]
    assert by_outline["1"].parent is None
    assert by_outline["1"].lead_agency is None
    assert by_outline["11.4.2"].deadline_text == "2023; 2027"
    assert [a.name for a in by_outline["9.1.1"].coordinators] == [
        "Cục Thống kê tỉnh",
        "Sở Tài chính",
    ]
    assert {t.section.number for t in plan} == {"I", "II"}
    assert all("B c" not in (t.title + (t.product or "")) for t in plan)


def test_every_directive_the_documents_cite_is_there(db):
    numbers = set(db.scalars(select(Directive.number)))
    for number in (
        "131/NQ-CP",
        "1012/QĐ-TTg",
        "136/BKHCN-CĐSQG",
        "1239/UBND-KSTT",
        "1588/QĐ-TTg",
        "107/2021/NĐ-CP",
        "1085/QĐ-TTg",
        "4466/QĐ-UBND",
        "2014/QĐ-TTg",
        "1271/QĐ-BKHĐT",
    ):
        assert number in numbers
    letter = db.scalar(select(Directive).where(Directive.number == "136/BKHCN-CĐSQG"))
    assert letter.implements.number == "1012/QĐ-TTg"
    assert letter.issued_on.isoformat() == "2025-03-14"


def test_seeded_text_is_nfc(db):
    import unicodedata

    for title in db.scalars(select(Task.title)):
        assert unicodedata.is_normalized("NFC", title)


def test_agencies_resolve_by_alias(db):
    from app.agencies.services import resolve_agency

    assert resolve_agency(db, "Sở TT&TT").name == "Sở Thông tin và Truyền thông"
    assert resolve_agency(db, "so thong tin va truyen thong").name == "Sở Thông tin và Truyền thông"
    assert resolve_agency(db, "UBND tỉnh") is not None


def _counts(db):
    return {
        model.__name__: db.scalar(select(func.count()).select_from(model))
        for model in (Agency, Directive, Task, ProgressUpdate, AuditEntry)
    }


def test_seeding_twice_changes_nothing(db):
    before = _counts(db)
    set_actor(db, None, "test reseed")
    report = load_seeds(db, SEEDS, today=SEEDED_ON)
    db.flush()
    assert sum(report.created.values()) == 0, report.created
    assert report.passwords == {}
    assert _counts(db) == before


def test_first_seed_reports_what_it_created(seed_report):
    assert seed_report.created["tasks in appendix_131.yaml"] == 10
    assert set(seed_report.passwords) == {"admin", "vanphong", "sotttt", "lanhdao"}
    assert len(set(seed_report.passwords.values())) == 4


def test_demo_leader_supervises_a_few_agencies(db):
    from app.auth.models import User

    leader = db.scalar(select(User).where(User.username == "lanhdao"))
    supervised = db.scalars(select(Agency.name).where(Agency.supervisor_id == leader.id)).all()
    assert sorted(supervised) == ["Cục Thống kê tỉnh", "Sở Nội vụ", "Sở Thông tin và Truyền thông"]
