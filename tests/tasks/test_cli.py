"""`flask deadlines parse` and `flask deadlines reparse`."""

from __future__ import annotations

import json

from sqlalchemy import select

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
