"""Every setting is documented once, in app/config.py, and the README's table is generated
from there: a variable the app reads but nobody documented fails here."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from app import create_app
from app.config import SETTINGS_DOC, with_settings_table
from app.jobs import EMBEDDED_ENV

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"
DOCUMENTED = {setting.name for setting in SETTINGS_DOC}
# Read by the programs around the app, not by the app itself.
SERVER_ONLY = {"GUNICORN_CMD_ARGS"}


class RecordingEnviron(dict):
    """os.environ that notes which names the app's own code asks for."""

    def __init__(self, values: dict[str, str]) -> None:
        super().__init__(values)
        self.read: set[str] = set()

    def _note(self, name: object) -> None:
        caller = Path(sys._getframe(2).f_code.co_filename)
        if isinstance(name, str) and APP in caller.parents:
            self.read.add(name)

    def get(self, name, default=None):  # type: ignore[no-untyped-def]
        self._note(name)
        return super().get(name, default)

    def __getitem__(self, name):  # type: ignore[no-untyped-def]
        self._note(name)
        return super().__getitem__(name)

    def __contains__(self, name):  # type: ignore[no-untyped-def]
        self._note(name)
        return super().__contains__(name)


def test_the_readme_table_is_the_generated_one():
    readme = (ROOT / "README.md").read_text()
    assert with_settings_table(readme) == readme, "run `make settings-doc`"


def test_every_variable_the_app_reads_is_documented(tmp_path, monkeypatch: pytest.MonkeyPatch):
    environ = RecordingEnviron({"PATH": os.environ.get("PATH", "")})
    monkeypatch.setattr(os, "environ", environ)
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    environ.read.clear()
    create_app()
    assert environ.read - DOCUMENTED == set(), "document these in app/config.py SETTINGS_DOC"
    # ...and nothing is documented that nothing reads.
    assert DOCUMENTED - environ.read == SERVER_ONLY | {EMBEDDED_ENV}


def test_no_variable_is_read_out_of_sight():
    """Reads the recording above cannot see (other branches, other modules) are found in the
    source: every literal name passed to os.environ or to config.py's readers."""
    reader = re.compile(
        r"(?:os\.environ\.get|os\.environ\[|_positive_int|_whole|_int_list|_choice|_flag|_directory)"
        r"\(?\s*\"([A-Z][A-Z0-9_]+)\""
    )
    contains = re.compile(r"\"([A-Z][A-Z0-9_]+)\" in os\.environ")
    names = set()
    for path in [*APP.rglob("*.py"), ROOT / "wsgi.py"]:
        text = path.read_text()
        names |= set(reader.findall(text)) | set(contains.findall(text))
    assert "MAIL_PASSWORD" in names  # the scan does find them
    assert names - DOCUMENTED == set()


def test_the_env_example_sets_only_documented_variables():
    example = (ROOT / "deploy" / "nhiemvu.env.example").read_text()
    names = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, flags=re.MULTILINE))
    assert {"DATABASE_URL", "SECRET_KEY", "INSTANCE_PATH", "PROXY_COUNT"} <= names
    assert names - DOCUMENTED == set()
