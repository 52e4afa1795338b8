"""The report service: seed 001's appendix rebuilt from the data, frozen snapshots, the cut-off
rules, scopes, the cover letter and the overdue report."""

from __future__ import annotations

import copy
from datetime import date
from io import BytesIO

import pytest
from flask import Flask
from freezegun import freeze_time
from openpyxl import load_workbook
from sqlalchemy import select

from app.errors import ValidationFailed
from app.reports.letters import save_template
from app.reports.models import ReportKind, ReportSnapshot
from app.reports.scope import Scope
from app.reports.services import archive, build_report, formats, get_snapshot, render
from app.tasks.lists import ListFilters, overdue_tasks
from app.tasks.models import ProgressUpdate, ReviewState, Status, Task, UpdateKind
from tests.fixtures.build import progress_report
from tests.freeze import REPORT_DAY, SEEDED_ON
from tests.reports.conftest import (
    read_docx_rows,
    read_pdf_appendix,
    read_xlsx_rows,
    squeeze,
)

MARKS = {"completed": ("X", "-"), "partial": ("Một phần", "X"), "in_progress": ("-", "X")}


def _build(db, scope, actor=None, *, period="2023-Q1", today=REPORT_DAY, **kwargs):
    snapshot = build_report(
        db, period=period, scope=scope, actor=actor, today=today, actor_label="test", **kwargs
    )
    db.commit()
    return snapshot


# --- seed 001, round trip ---------------------------------------------------------------------


def test_the_seeded_appendix_is_rebuilt_from_the_data(
    app, db, frozen, office_user, nq131, seeded_appendix
):
    with app.app_context():
        snapshot = _build(db, Scope((nq131.id,)), office_user)
    content = snapshot.content
    assert content["title"] == (
        "TÌNH HÌNH, TIẾN ĐỘ THỰC HIỆN CÁC NHIỆM VỤ TRIỂN KHAI NGHỊ QUYẾT SỐ 131/NQ-CP "
        "TRÊN ĐỊA BÀN TỈNH BÌNH ĐỊNH"
    )
    assert content["subtitle"] == (
        "(Kèm theo Công văn số …/UBND-KSTT ngày … tháng 03 năm 2023 của Chủ tịch UBND tỉnh)"
    )
    assert (content["period"]["cutoff_start"], content["period"]["cutoff_end"]) == (
        "2022-12-15",
        "2023-03-14",
    )
    assert [(s["number"], s["title"]) for s in content["sections"]] == [
        (e.number, e.title) for e in seeded_appendix
    ]
    keys = ("stt", "name", "deadline_text", "status", "explanation")
    assert [[{k: row[k] for k in keys} for row in s["tasks"]] for s in content["sections"]] == [
        e.tasks for e in seeded_appendix
    ]
    assert snapshot.rows == 10
    assert [len(s["tasks"]) for s in content["sections"]] == [1, 6, 3]
    assert snapshot.built_by_id == office_user.id
    assert snapshot.scope_label == "131/NQ-CP"


def test_the_seeded_appendix_reads_back_from_pdf_docx_and_xlsx(
    app, db, frozen, nq131, seeded_appendix
):
    with app.app_context():
        snapshot = _build(db, Scope((nq131.id,)))
        files = {fmt: render(snapshot, fmt) for fmt in ("pdf", "docx", "xlsx")}
    expected = [task for section in seeded_appendix for task in section.tasks]
    assert {fmt: mimetype for fmt, (_n, mimetype, _b) in files.items()} == {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    assert files["pdf"][0] == f"phu-luc-2023-Q1-131-nq-cp-{snapshot.id}.pdf"

    pdf = read_pdf_appendix(files["pdf"][2])
    assert sorted(pdf.marks, key=int) == [task["stt"] for task in expected]
    for task in expected:
        assert pdf.marks[task["stt"]] == MARKS[task["status"]], task["stt"]
        assert squeeze(task["explanation"]) in pdf.explanations, task["stt"]
        assert squeeze(task["name"]) in pdf.names, task["stt"]
    for section in seeded_appendix:
        assert section.title in pdf.text

    sections, rows = read_docx_rows(files["docx"][2])
    assert sections == [f"{s.number}. {s.title}" for s in seeded_appendix]
    assert list(rows) == [task["stt"] for task in expected]
    for task in expected:
        stt, name, deadline, done, going, explanation = rows[task["stt"]]
        assert (name, deadline, explanation) == (
            task["name"],
            task["deadline_text"],
            task["explanation"],
        )
        assert (done, going) == MARKS[task["status"]]

    sections, cells = read_xlsx_rows(files["xlsx"][2])
    assert len(sections) == 3
    assert list(cells) == [task["stt"] for task in expected]
    for task in expected:
        stt, name, deadline, done, going, explanation = cells[task["stt"]]
        assert (name, deadline, explanation) == (
            task["name"],
            task["deadline_text"],
            task["explanation"],
        )
        assert (done, going) == MARKS[task["status"]]


def test_the_same_snapshot_always_gives_the_same_bytes(app, db, frozen, nq131):
    with app.app_context():
        snapshot = _build(db, Scope((nq131.id,)))
        first = {fmt: render(snapshot, fmt)[2] for fmt in formats(ReportKind.APPENDIX)}
    db.expire_all()
    with freeze_time("2024-01-01 08:00:00"), app.app_context():
        again = get_snapshot(db, snapshot.id)
        second = {fmt: render(again, fmt)[2] for fmt in formats(ReportKind.APPENDIX)}
    assert first == second


def test_the_cover_letter_is_filled_from_settings_and_the_template(app, db, frozen, nq131):
    with app.app_context():
        letter = _build(db, Scope((nq131.id,))).content["cover_letter"]
    assert letter["agency_lines"] == ["ỦY BAN NHÂN DÂN", "TỈNH BÌNH ĐỊNH"]
    assert letter["number"] == "…/UBND-KSTT"
    assert letter["recipients"] == ["Văn phòng Chính phủ"]
    assert letter["signature_title"] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert letter["signer"] == "Lâm Hải Giang"
    assert letter["subject"] == (
        "báo cáo tình hình, tiến độ thực hiện Nghị quyết số 131/NQ-CP trong Quý I năm 2023"
    )
    assert letter["body"][0].startswith(
        "Ủy ban nhân dân tỉnh Bình Định báo cáo tình hình, tiến độ thực hiện các nhiệm vụ triển "
        "khai Nghị quyết số 131/NQ-CP ngày 06 tháng 10 năm 2022 của Chính phủ trong Quý I năm "
        "2023 (số liệu tính từ ngày 15/12/2022 đến ngày 14/03/2023)"
    )
    assert letter["distribution"][0] == "- Như trên;"
    assert letter["distribution"][-1] == "- Lưu: VT, KSTT."


# --- frozen snapshots -------------------------------------------------------------------------


def test_a_built_report_keeps_what_it_said_until_rebuilt_on_purpose(app, db, frozen, nq131):
    with app.app_context():
        first = _build(db, Scope((nq131.id,)))
        said = copy.deepcopy(first.content)
        pdf = render(first, "pdf")[2]
    task = db.scalars(select(Task).where(Task.directive_id == nq131.id, Task.outline == "1")).one()
    task.status, task.completed_on = Status.COMPLETED, date(2023, 3, 1)
    seeded = db.scalars(select(ProgressUpdate).where(ProgressUpdate.task_id == task.id)).one()
    seeded.explanation = "Nội dung đã sửa sau khi báo cáo."
    seeded.status = Status.COMPLETED
    db.commit()

    with app.app_context():
        again = _build(db, Scope((nq131.id,)))
    assert again.id == first.id
    assert not again.fresh
    db.expire_all()
    with app.app_context():
        stored = get_snapshot(db, first.id)
        assert stored.content == said
        assert render(stored, "pdf")[2] == pdf

    with freeze_time("2023-03-21 02:00:00"), app.app_context():
        rebuilt = _build(db, Scope((nq131.id,)), rebuild=True, today=date(2023, 3, 21))
    assert rebuilt.id != first.id
    assert rebuilt.fresh
    row = rebuilt.content["sections"][0]["tasks"][0]
    assert (row["status"], row["explanation"]) == ("completed", "Nội dung đã sửa sau khi báo cáo.")
    db.expire_all()
    old = db.get(ReportSnapshot, first.id)
    assert old.superseded_by_id == rebuilt.id
    assert old.current_key is None
    assert not old.is_current
    assert old.content == said
    assert [s.id for s in archive(db).items][:2] == [rebuilt.id, first.id]
    # And the next plain build finds the rebuilt one.
    with app.app_context():
        assert _build(db, Scope((nq131.id,))).id == rebuilt.id


def test_each_scope_and_period_has_its_own_snapshot(app, db, frozen, nq131, report_world):
    with app.app_context():
        a = _build(db, Scope((nq131.id,)))
        b = _build(db, Scope((nq131.id, report_world.directive.id)))
        c = _build(db, Scope((report_world.directive.id, nq131.id)))  # the same set
        d = _build(db, Scope((nq131.id,)), period="2022-Q4")
    assert len({a.id, b.id, d.id}) == 3
    assert c.id == b.id


# --- the cut-off rules ------------------------------------------------------------------------


def _rows(snapshot: ReportSnapshot) -> dict[str, dict]:
    return {
        row["name"].removeprefix("Nhiệm vụ "): row
        for section in snapshot.content["sections"]
        for row in section["tasks"]
    }


def test_the_explanation_and_status_in_force_at_the_cutoff(app, db, frozen, report_world):
    with app.app_context():
        snapshot = _build(db, Scope((report_world.directive.id,)))
    rows = _rows(snapshot)
    assert list(rows) == [
        "reported", "late_report_only", "tagged", "overdue", "completed_later", "no_section",
    ]  # fmt: skip
    # Accepted, by the lead agency, on or before 14/03: not the returned, waiting, coordinating,
    # other agency's or later ones.
    assert rows["reported"]["explanation"] == "Đã xây dựng dự thảo."
    assert rows["reported"]["explained_on"] == "2023-01-10"
    assert rows["reported"]["status"] == "partial"
    assert rows["late_report_only"]["explanation"] == ""
    assert rows["late_report_only"]["status"] == "in_progress"
    # Filed on 18/03 for 2023-Q1: the quarter's own report.
    assert rows["tagged"]["explanation"] == "Báo cáo Quý I."
    # Completed on 02/04: in the first quarter it was still partly done.
    assert rows["completed_later"]["status"] == "partial"
    assert rows["completed_later"]["explanation"] == "Đang hoàn thiện."
    standings = {key: row["standing"] for key, row in rows.items()}
    assert standings == {
        "reported": "on_track",
        "late_report_only": "on_track",
        "tagged": "on_track",
        "overdue": "overdue",  # due 28/02/2023, judged on 14/03/2023
        "completed_later": "on_track",
        "no_section": "no_deadline",
    }
    sections = snapshot.content["sections"]
    assert [(s["number"], s["title"], len(s["tasks"])) for s in sections] == [
        ("I", "Mục thứ nhất", 3),
        ("II", "Mục thứ hai", 2),
        ("", "Các nhiệm vụ khác", 1),
    ]
    assert snapshot.content["summary"] == [
        {
            "agency": "Sở Kiểm thử Báo cáo",
            "done_on_time": 0,
            "done_late": 0,
            "in_progress": 4,
            "overdue": 1,
            "no_deadline": 1,
        }
    ]


def test_the_next_quarter_sees_the_later_reports(app, db, report_world):
    with freeze_time("2023-06-20 03:00:00"), app.app_context():
        snapshot = _build(
            db, Scope((report_world.directive.id,)), period="2023-Q2", today=date(2023, 6, 20)
        )
    rows = _rows(snapshot)
    assert rows["reported"]["explanation"] == "Đã trình ký."
    assert rows["late_report_only"]["explanation"] == "Sau ngày chốt số liệu."
    assert rows["completed_later"]["status"] == "completed"
    assert rows["completed_later"]["standing"] == "done_on_time"
    assert "assigned_later" in rows


def test_calendar_periods_cut_off_at_the_quarters_end(app, db, frozen, report_world):
    settings = {**app.config, "REPORT_PERIODS": "calendar"}
    with freeze_time("2023-04-05 03:00:00"), app.app_context():
        snapshot = _build(
            db, Scope((report_world.directive.id,)), today=date(2023, 4, 5), settings=settings
        )
    assert (snapshot.cutoff_start, snapshot.cutoff_end) == (date(2023, 1, 1), date(2023, 3, 31))
    rows = _rows(snapshot)
    assert rows["reported"]["explanation"] == "Đã trình ký."  # 25/03 is inside Quarter I now
    assert rows["late_report_only"]["explanation"] == "Sau ngày chốt số liệu."


def test_an_agency_scope_and_several_directives(app, db, frozen, nq131, report_world):
    other = Task(
        directive=nq131,
        title="Nhiệm vụ của sở kiểm thử",
        lead_agency=report_world.lead,
        position=99,
    )
    db.add(other)
    db.commit()
    with app.app_context():
        by_agency = _build(db, Scope(agency_id=report_world.lead.id))
        both = _build(db, Scope((nq131.id, report_world.directive.id)))
    assert by_agency.content["title"] == (
        "TÌNH HÌNH, TIẾN ĐỘ THỰC HIỆN CÁC NHIỆM VỤ DO SỞ KIỂM THỬ BÁO CÁO CHỦ TRÌ"
    )
    assert by_agency.rows == 7
    assert by_agency.agency_id == report_world.lead.id
    # Several directives: by date of issue (131 on 06/10/2022 first), sections numbered on.
    titles = [(s["number"], s["title"]) for s in both.content["sections"]]
    assert titles[0][0] == "I"
    assert titles[0][1].startswith("Nghị quyết số 131/NQ-CP: Về cải")
    assert titles[-3:] == [
        ("V", "Kế hoạch số 77/KH-KT: Mục thứ nhất"),
        ("VI", "Kế hoạch số 77/KH-KT: Mục thứ hai"),
        ("VII", "Kế hoạch số 77/KH-KT"),
    ]
    assert both.content["title"].endswith(
        "TRIỂN KHAI NGHỊ QUYẾT SỐ 131/NQ-CP VÀ KẾ HOẠCH SỐ 77/KH-KT TRÊN ĐỊA BÀN TỈNH BÌNH ĐỊNH"
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"period": "2023-Q5"}, "period"),
        ({"period": "2023-Q3"}, "period"),  # not started on 20/03/2023
        ({"scope": Scope((2_000_000_000,))}, "directives"),
        ({"scope": Scope(agency_id=2_000_000_000)}, "agency"),
        ({"kind": ReportKind.OVERDUE, "period": date(2023, 3, 21)}, "on"),  # the future
        ({"kind": ReportKind.OVERDUE, "period": "2023-02-30"}, "on"),
    ],
)
def test_what_cannot_be_built(app: Flask, db, frozen, kwargs, field):
    arguments = {"period": "2023-Q1", "scope": Scope()} | kwargs
    with app.app_context(), pytest.raises(ValidationFailed) as failure:
        build_report(db, actor=None, today=REPORT_DAY, **arguments)
    assert field in failure.value.reasons


def test_a_template_changes_new_letters_only(app, db, frozen, office_user, nq131):
    with app.app_context():
        before = _build(db, Scope((nq131.id,)))
        save_template(
            db,
            report_type="quarter",
            subject="báo cáo {directive_short} ({period})",
            body="Kính báo cáo {recipients}.\n\nSố liệu đến ngày {cutoff_end}.",
            distribution="- Như trên;\n- Lưu: VT.",
            actor=office_user,
        )
        db.commit()
        after = _build(db, Scope((nq131.id,)), rebuild=True)
        monthly = _build(db, Scope((nq131.id,)), period="2023-02")
    assert (
        after.content["cover_letter"]["subject"]
        == "báo cáo Nghị quyết số 131/NQ-CP (Quý I năm 2023)"
    )
    assert after.content["cover_letter"]["body"] == [
        "Kính báo cáo Văn phòng Chính phủ.",
        "Số liệu đến ngày 14/03/2023.",
    ]
    assert after.content["cover_letter"]["distribution"] == ["- Như trên;", "- Lưu: VT."]
    db.expire_all()
    assert get_snapshot(db, before.id).content["cover_letter"]["body"][0].startswith("Ủy ban")
    # Another type keeps the built-in text.
    assert monthly.content["cover_letter"]["body"][0].startswith(
        "Ủy ban nhân dân tỉnh Bình Định báo"
    )


def test_a_template_naming_an_unknown_placeholder_is_refused(app, db, office_user):
    with app.app_context(), pytest.raises(ValidationFailed) as failure:
        save_template(
            db,
            report_type="quarter",
            subject="{period}",
            body="{__class__} {perod}",
            distribution="",
            actor=office_user,
        )
    assert set(failure.value.reasons) == {"body"}
    assert "{__class__}" in failure.value.reasons["body"][0]


# --- the overdue report -----------------------------------------------------------------------


def test_the_overdue_report_is_the_dashboards_list(app, db, office_user):
    with freeze_time("2025-03-31 03:00:00"), app.app_context():
        snapshot = _build(
            db, Scope(), office_user, period=SEEDED_ON, today=SEEDED_ON, kind=ReportKind.OVERDUE
        )
        page = overdue_tasks(db, office_user, SEEDED_ON, ListFilters(), per_page=10_000)
        files = {fmt: render(snapshot, fmt) for fmt in ("pdf", "xlsx")}
    content = snapshot.content
    assert content["title"] == "CÁC NHIỆM VỤ CHƯA HOÀN THÀNH, QUÁ HẠN TRÊN ĐỊA BÀN TỈNH BÌNH ĐỊNH"
    assert [t["task_id"] for g in content["groups"] for t in g["tasks"]] == [
        row.task_id for row in page.rows
    ]
    assert [(g["agency"], len(g["tasks"])) for g in content["groups"]] == [
        (group.agency_name or "Chưa xác định cơ quan chủ trì", len(group.rows))
        for group in page.groups
    ]
    first = content["groups"][0]["tasks"][0]
    assert first["days_overdue"] == page.rows[0].days > 0
    assert snapshot.period_code == "2025-03-31"
    assert snapshot.cutoff_start is None
    assert files["pdf"][2].startswith(b"%PDF")
    sheet = load_workbook(BytesIO(files["xlsx"][2])).worksheets[0]
    texts = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert content["title"] in texts
    assert all(row.title[:50] in " ".join(texts) for row in page.rows)


def test_the_overdue_report_keeps_a_later_explanation_out_once_built(app, db, office_user, nq131):
    with freeze_time("2025-03-31 03:00:00"), app.app_context():
        first = _build(
            db, Scope((nq131.id,)), office_user, period=SEEDED_ON, today=SEEDED_ON,
            kind=ReportKind.OVERDUE,
        )  # fmt: skip
        task = db.get(Task, first.content["groups"][0]["tasks"][0]["task_id"])
        db.add(progress_report(task, SEEDED_ON, "Giải trình mới.", state=ReviewState.ACCEPTED,
                               kind=UpdateKind.REPORT, status=Status.IN_PROGRESS))  # fmt: skip
        db.commit()
        same = _build(
            db, Scope((nq131.id,)), office_user, period=SEEDED_ON, today=SEEDED_ON,
            kind=ReportKind.OVERDUE,
        )  # fmt: skip
        new = _build(
            db, Scope((nq131.id,)), office_user, period=SEEDED_ON, today=SEEDED_ON,
            kind=ReportKind.OVERDUE, rebuild=True,
        )  # fmt: skip
    assert same.id == first.id
    explanations = [t["last_explanation"] for g in new.content["groups"] for t in g["tasks"]]
    assert "Giải trình mới." in explanations
    assert "Giải trình mới." not in [
        t["last_explanation"] for g in first.content["groups"] for t in g["tasks"]
    ]
