"""`flask deadlines parse` and `flask deadlines reparse`."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from app.tasks.deadlines import DeadlineKind
from app.tasks.models import Task


def test_parse_prints_the_deadline_as_json(app):
    result = app.test_cli_runner().invoke(
        args=["deadlines", "parse", "Quý I năm 2024", "--on", "2024-01-18"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "rule": "date.quarter",
        "via": "phrase",
        "span": "Quý I năm 2024",
        "kind": "date",
        "due": "2024-03-31",
        "start": None,
        "dues": ["2024-03-31"],
    }


def test_parse_find_returns_the_span_as_written(app):
    sentence = "…hoàn chỉnh dự thảo Kế hoạch, trình UBND tỉnh ban hành trong tháng 02 năm 2024."
    result = app.test_cli_runner().invoke(
        args=["deadlines", "parse", "--find", sentence, "--on", "2024-01-18"]
    )
    data = json.loads(result.output)
    assert data["span"] == "trong tháng 02 năm 2024"
    assert data["due"] == "2024-02-29"
    none = app.test_cli_runner().invoke(
        args=["deadlines", "parse", "--find", "Khẩn trương triển khai.", "--on", "2024-01-18"]
    )
    assert json.loads(none.output) is None


def test_parse_rejects_a_bad_reference_date(app):
    result = app.test_cli_runner().invoke(args=["deadlines", "parse", "2024", "--on", "18/01/2024"])
    assert result.exit_code != 0
    assert "YYYY-MM-DD" in result.output


def test_reparse_fixes_stale_fields_and_prints_the_change(app, db):
    task = db.scalars(select(Task).where(Task.deadline_text == "Tháng 6/2023")).first()
    task.deadline_due = None  # as if read by an older rule
    db.commit()
    result = app.test_cli_runner().invoke(args=["deadlines", "reparse"])
    assert result.exit_code == 0, result.output
    assert f"task {task.id} 'Tháng 6/2023'" in result.output
    assert "1 task(s) changed" in result.output
    db.expire_all()
    assert db.get(Task, task.id).deadline_due.isoformat() == "2023-06-30"
    again = app.test_cli_runner().invoke(args=["deadlines", "reparse", "--dry-run"])
    assert "0 task(s) changed" in again.output


def test_parse_names_the_rule_and_the_part_read(app):
    runner = app.test_cli_runner()
    tet = runner.invoke(args=["deadlines", "parse", "trước Tết Nguyên đán", "--on", "2025-03-10"])
    assert json.loads(tet.output) == {
        "rule": "date.tet-before",
        "via": "phrase",
        "span": "trước Tết Nguyên đán",
        "kind": "date",
        "due": "2026-02-16",
        "start": None,
        "dues": ["2026-02-16"],
    }
    cell = "Điều chỉnh thời hạn theo NQ71 là tháng 9/2025"
    clause = json.loads(
        runner.invoke(args=["deadlines", "parse", cell, "--on", "2025-05-25"]).output
    )
    assert (clause["rule"], clause["via"], clause["span"], clause["due"]) == (
        "date.month",
        "clause",
        "là tháng 9/2025",
        "2025-09-30",
    )
    found = runner.invoke(
        args=["deadlines", "parse", "--find", "Báo cáo UBND tỉnh hằng năm (trước ngày 20/11).",
              "--on", "2025-03-10"]
    )  # fmt: skip
    data = json.loads(found.output)
    assert (data["rule"], data["span"], data["kind"]) == (
        "recurring.anchored",
        "hằng năm (trước ngày 20/11)",
        "recurring",
    )


def _stored(db, task_id):
    db.expire_all()
    task = db.get(Task, task_id)
    return task.deadline_kind.value, task.deadline_start, task.deadline_due


def test_reparse_dry_run_lists_every_task_whose_reading_would_change(app, db):
    tasks = db.scalars(select(Task).where(Task.deleted_at.is_(None)).order_by(Task.id)).all()
    month = next(task for task in tasks if task.deadline_text == "Tháng 6/2023")
    yearly = next(task for task in tasks if task.deadline_text == "Hằng năm")
    # As an older reader left them: a month read without its due date, and a phrase of a new
    # family ("Hằng năm" with its anchor in brackets) read as the single date it names.
    month.deadline_due = None
    yearly.deadline_text = "Hằng năm (trước ngày 20/11)"
    reference = yearly.assigned_on or yearly.directive.issued_on
    first = date(reference.year, 11, 20)
    if first < reference:
        first = date(reference.year + 1, 11, 20)
    yearly.deadline_kind = DeadlineKind.DATE
    yearly.deadline_start = None
    yearly.deadline_due = first
    db.commit()
    stale = {month.id: _stored(db, month.id), yearly.id: _stored(db, yearly.id)}

    result = app.test_cli_runner().invoke(args=["deadlines", "reparse", "--dry-run"])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[-1] == "2 task(s) changed (dry run, nothing saved)"
    assert f"task {month.id} 'Tháng 6/2023': date - - -> date - 2023-06-30 (date.month)" in lines
    assert (
        f"task {yearly.id} 'Hằng năm (trước ngày 20/11)': date - {first} -> "
        f"recurring - {first} (recurring.anchored)" in lines
    )
    assert len(lines) == 3  # the two tasks and the count: no other seeded reading changes
    # Nothing was saved: the same tasks are listed again, and their fields are as before.
    assert {task_id: _stored(db, task_id) for task_id in stale} == stale
    again = app.test_cli_runner().invoke(args=["deadlines", "reparse", "--dry-run"])
    assert again.output == result.output
