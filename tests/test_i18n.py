"""Vietnamese first: every user-facing string in code and templates has a Vietnamese translation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def test_every_message_has_a_vietnamese_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-o",
            str(pot),
            "--no-location",
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        extracted = {m.id for m in read_po(handle) if m.id}
    with (ROOT / "app/translations/vi/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="vi")
    translated = {m.id for m in catalog if m.id and m.string and "fuzzy" not in m.flags}
    assert extracted - translated == set(), "run `make extract-messages` and translate"
