"""The exchange format: export → import into an empty database → the same export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask_migrate import upgrade
from freezegun import freeze_time

from app.api.exchange import export_directives, import_document
from app.errors import ValidationFailed
from tests.test_migrations import empty_app  # noqa: F401  (fixture)

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "exchange.schema.json"
NUMBERS = ("131/NQ-CP",)


def _export(app, path: Path, *numbers: str) -> dict:
    args = ["exchange", "export", "--out", str(path)]
    for number in numbers:
        args += ["--directive", number]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    return json.loads(path.read_text(encoding="utf-8"))


@freeze_time("2025-03-31 03:00:00")
def test_round_trip_into_an_empty_database(app, empty_app, tmp_path):  # noqa: F811
    first = _export(app, tmp_path / "a.json", *NUMBERS)
    tasks = first["directives"][0]["tasks"]
    assert tasks, "the seeded resolution has tasks"
    assert any(t["explanations"] for t in tasks), "and explanations per period"
    assert all(t["lead_agency"] is None or t["lead_agency"]["name"] for t in tasks)
    with empty_app.app_context():
        upgrade()
    runner = empty_app.test_cli_runner()
    result = runner.invoke(args=["exchange", "import", str(tmp_path / "a.json")])
    assert result.exit_code == 0, result.output
    second = _export(empty_app, tmp_path / "b.json", *NUMBERS)
    assert second == first
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    again = runner.invoke(args=["exchange", "import", str(tmp_path / "b.json")])
    assert again.exit_code == 0, again.output
    assert "tạo 0 nhiệm vụ, cập nhật 0, thêm 0 nội dung giải trình" in again.output
    assert _export(empty_app, tmp_path / "c.json", *NUMBERS) == first


def test_export_follows_the_published_json_schema(app, tmp_path):
    # jsonschema_rs comes with schemathesis (the dev extras)
    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema_rs.Draft202012Validator(schema, validate_formats=True)
    document = _export(app, tmp_path / "a.json", *NUMBERS)
    validator.validate(document)
    broken = json.loads(json.dumps(document))
    broken["directives"][0]["tasks"][0]["deadline_kind"] = "soon"
    assert not validator.is_valid(broken)


def test_unknown_directive_and_bad_documents_are_refused(app, db, tmp_path):
    result = app.test_cli_runner().invoke(
        args=["exchange", "export", "--directive", "0/KHONG-CO", "--out", str(tmp_path / "x.json")]
    )
    assert result.exit_code != 0
    assert "0/KHONG-CO" in result.output
    with pytest.raises(ValidationFailed) as refused:
        import_document(
            db, {"format": "other", "version": 1, "directives": [], "extra": 1}, today=None
        )
    assert set(refused.value.reasons) == {"format", "extra"}
    with app.app_context():
        assert export_directives(db, []) == {
            "format": "nhiemvu-exchange",
            "version": 1,
            "directives": [],
        }
