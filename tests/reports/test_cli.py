"""`flask reports build` and `flask reports overdue`."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from sqlalchemy import select

from app.reports.models import ReportKind, ReportSnapshot


def _run(app, *args: str):
    return app.test_cli_runner().invoke(args=["reports", *args])


def test_build_writes_the_formats_asked_for(app, db, frozen, tmp_path):
    out = tmp_path / "out"
    result = _run(
        app, "build", "--period", "2023-Q1", "--directive", "131/NQ-CP",
        "--format", "pdf,docx,xlsx", "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    snapshot = db.scalars(select(ReportSnapshot)).one()
    assert f"Built report #{snapshot.id} (10 tasks)." in result.output
    assert snapshot.built_by_id is None
    assert snapshot.built_by_label == "flask reports"
    names = sorted(path.name for path in out.iterdir())
    assert names == [
        f"phu-luc-2023-Q1-131-nq-cp-{snapshot.id}.{ext}" for ext in ("docx", "pdf", "xlsx")
    ]
    document = Document(BytesIO((out / names[0]).read_bytes()))
    assert document.tables[0].rows[2].cells[0].text.startswith("I.")


def test_a_second_build_writes_the_report_as_built_until_rebuild(app, db, frozen, tmp_path):
    args = ["build", "--period", "2023-Q1", "--directive", "131/nq-cp", "--out", str(tmp_path)]
    assert _run(app, *args, "--format", "pdf").exit_code == 0
    first = (tmp_path / next(p.name for p in tmp_path.iterdir())).read_bytes()
    again = _run(app, *args, "--format", "pdf")
    assert "was already built" in again.output
    assert db.scalar(select(ReportSnapshot.id).order_by(ReportSnapshot.id.desc())) is not None
    assert len(list(tmp_path.iterdir())) == 1  # the same file, the same bytes
    assert next(tmp_path.iterdir()).read_bytes() == first
    rebuilt = _run(app, *args, "--format", "letter.docx", "--rebuild", "--user", "admin")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "Built report" in rebuilt.output
    snapshots = db.scalars(select(ReportSnapshot).order_by(ReportSnapshot.id)).all()
    assert len(snapshots) == 2
    assert snapshots[0].superseded_by_id == snapshots[1].id
    assert snapshots[1].built_by.username == "admin"
    assert any(p.name.startswith("cong-van-") for p in tmp_path.iterdir())


def test_build_for_an_agency_and_every_format(app, db, frozen, tmp_path):
    result = _run(
        app, "build", "--period", "2023", "--agency", "ubnd tinh", "--format", "all",
        "--out", str(tmp_path),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert len(list(tmp_path.iterdir())) == 5
    snapshot = db.scalars(select(ReportSnapshot)).one()
    assert snapshot.scope_label == "UBND tỉnh"


def test_mistakes_are_reported_without_a_traceback(app, db, frozen, tmp_path):
    out = str(tmp_path)
    cases = [
        (["build", "--period", "2023-Q5", "--out", out], "(2024-Q1)"),
        (["build", "--period", "2023-Q3", "--out", out], "2023-Q3"),
        (["build", "--period", "2023-Q1", "--directive", "9/XX", "--out", out], "no directive"),
        (["build", "--period", "2023-Q1", "--agency", "Sở Không Có", "--out", out], "no agency"),
        (["build", "--period", "2023-Q1", "--format", "pdf,exe", "--out", out], "choose among"),
        (["build", "--period", "2023-Q1", "--user", "nobody", "--out", out], "no user"),
        (["overdue", "--on", "2023-03-21", "--out", out], "21/03/2023"),
        (["overdue", "--on", "21/03/2023", "--out", out], "%Y-%m-%d"),
        (["overdue", "--format", "docx", "--out", out], "choose among"),
    ]
    for args, message in cases:
        result = _run(app, *args)
        assert result.exit_code != 0, args
        assert message in result.output, (args, result.output)
        assert "Traceback" not in result.output
    assert db.scalars(select(ReportSnapshot)).all() == []


def test_overdue_writes_the_list_as_of_a_day(app, db, frozen, tmp_path):
    result = _run(app, "overdue", "--on", "2023-03-20", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    snapshot = db.scalars(select(ReportSnapshot)).one()
    assert snapshot.kind == ReportKind.OVERDUE
    assert snapshot.period_code == "2023-03-20"
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".pdf", ".xlsx"]
    default_day = _run(app, "overdue", "--out", str(tmp_path))  # today: the same day
    assert "was already built" in default_day.output
