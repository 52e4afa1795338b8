"""Jinja filters and globals: labels, dates, badges and the journal's values, for the pages.

The app's composition root for templates: it may import any package (the journal names rows
of every domain); the domains themselves show values with `app.labels` and `app.dates`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import generate_csrf

from app.agencies.models import Agency
from app.audit import AuditAction
from app.auth.models import Role, User
from app.dates import long_date, short_date
from app.directives.models import Directive, Section
from app.extensions import db
from app.labels import label
from app.tasks.badges import STANDING_BADGES, STATUS_BADGES
from app.tasks.deadlines import DeadlineKind
from app.tasks.models import ExtensionState, ReviewState, Status, Task

__all__ = ["init_templating", "journal_value", "label", "long_date", "short_date"]

FIELD_LABELS = {
    "title": _l("Title"),
    "status": _l("Status"),
    "deadline_text": _l("Deadline"),
    "deadline_kind": _l("Kind of deadline"),
    "deadline_start": _l("Start"),
    "deadline_due": _l("Due date"),
    "deadline_dues": _l("Due dates"),
    "extended_due": _l("Extended due date"),
    "start_text": _l("Start as written"),
    "assigned_on": _l("Assigned on"),
    "completed_on": _l("Completed on"),
    "lead_agency_id": _l("Lead agency"),
    "lead_text": _l("Lead agency as written"),
    "coordinators": _l("Coordinating agencies"),
    "coordinators_text": _l("Coordinating agencies as written"),
    "supervisor_id": _l("Supervising leader"),
    "directive_id": _l("Directive"),
    "section_id": _l("Section"),
    "parent_id": _l("Part of"),
    "outline": _l("Outline number"),
    "code": _l("Code"),
    "position": _l("Order"),
    "product": _l("Expected product"),
    "deleted_at": _l("Deleted"),
    "explanation": _l("Explanation"),
}

# How the journal shows a stored value: the enum it names, or the row an id points at.
JOURNAL_ENUMS: dict[str, type] = {
    "status": Status,
    "deadline_kind": DeadlineKind,
    "review_state": ReviewState,
    "state": ExtensionState,
    "role": Role,
}
JOURNAL_REFERENCES: dict[str, type] = {
    "lead_agency_id": Agency,
    "agency_id": Agency,
    "supervisor_id": User,
    "directive_id": Directive,
    "implements_id": Directive,
    "section_id": Section,
    "parent_id": Task,
}


def journal_value(field: str, value: Any) -> str:
    """A journal entry's old or new value as people read it: labels, names, dd/mm/yyyy."""
    if value is None or value == []:
        return "∅"
    if isinstance(value, list):
        return "; ".join(journal_value(field, item) for item in value)
    if field in JOURNAL_ENUMS:
        try:
            return label(JOURNAL_ENUMS[field](value))
        except ValueError:
            return str(value)
    if field in JOURNAL_REFERENCES and isinstance(value, int):
        row = db.session.get(JOURNAL_REFERENCES[field], value)
        return str(row) if row is not None else f"#{value}"
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            moment = datetime.fromisoformat(value) if len(value) > 10 else date.fromisoformat(value)
        except ValueError:
            return value
        return short_date(moment)
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value)


def init_templating(app: Flask) -> None:
    app.jinja_env.filters.update(
        label=label,
        short_date=short_date,
        long_date=long_date,
        field_label=FIELD_LABELS.get,
        journal_value=journal_value,
    )
    app.jinja_env.globals.update(
        AuditAction=AuditAction,
        status_badges=STATUS_BADGES,
        standing_badges=STANDING_BADGES,
        csrf_token=generate_csrf,
        get_locale=get_locale,
    )
