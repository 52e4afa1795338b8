"""Each enum carries its labels; `label()` (and the Jinja filter) shows a value by asking it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import Babel, force_locale

from app import models  # noqa: F401  (every enum defined)
from app.audit import AuditAction
from app.labels import LabelledEnum, label
from app.notifications.models import MailState
from app.tasks.deadlines import DeadlineKind
from app.tasks.models import Status
from app.tasks.standing import Standing
from app.templating import label as template_label

TRANSLATIONS = Path(__file__).resolve().parent.parent / "app" / "translations"


@pytest.fixture(scope="module")
def babel_app() -> Flask:
    app = Flask(__name__)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    Babel(app)
    return app


def shown(app: Flask, locale: str, value: object) -> str:
    with app.test_request_context(), force_locale(locale):
        return label(value)


def test_a_member_is_shown_by_its_own_label_in_the_users_language(babel_app):
    assert shown(babel_app, "vi", Status.COMPLETED) == "Hoàn thành"
    assert shown(babel_app, "en", Status.COMPLETED) == "Completed"
    assert shown(babel_app, "vi", Standing.OVERDUE) == "Quá hạn"
    assert shown(babel_app, "vi", DeadlineKind.CONTINUOUS) == "Thường xuyên"
    assert shown(babel_app, "vi", AuditAction.RESTORE) == "khôi phục"


def test_other_values_are_shown_as_they_are(babel_app):
    assert shown(babel_app, "vi", None) == ""
    assert shown(babel_app, "vi", "completed") == "completed"  # a plain string is not a status
    assert shown(babel_app, "vi", 7) == "7"
    assert shown(babel_app, "vi", MailState.FAILED) == "failed"  # an enum without labels


def test_templating_label_is_the_same_function():
    assert template_label is label


def test_a_labelled_member_is_still_its_value():
    assert Status("completed") is Status.COMPLETED
    assert Status.COMPLETED == "completed"
    assert Status.COMPLETED.value == "completed"
    assert f"{Status.COMPLETED}" == "completed"
    assert json.dumps({"status": Status.COMPLETED}) == '{"status": "completed"}'
    with pytest.raises(ValueError, match="not_a_status"):
        Status("not_a_status")


def test_every_labelled_enum_has_a_vietnamese_label_for_every_member(babel_app):
    enums = LabelledEnum.__subclasses__()
    assert {Status, Standing, DeadlineKind, AuditAction} <= set(enums)
    untranslated = [
        f"{enum.__name__}.{member.name}"
        for enum in enums
        for member in enum
        if shown(babel_app, "vi", member) in ("", shown(babel_app, "en", member))
    ]
    assert untranslated == []
