"""Jinja filters and globals: dates in the Vietnamese way, labels of enum values."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask
from flask_babel import format_date, get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import generate_csrf

from app.agencies.models import Agency, AgencyKind
from app.audit import AuditAction
from app.auth.models import Role, User
from app.clock import to_local
from app.directives.models import Directive, DirectiveKind, Section
from app.extensions import db
from app.tasks.deadlines import DeadlineKind
from app.tasks.models import (
    CalendarDayKind,
    ExtensionState,
    ReviewState,
    Status,
    Task,
    UpdateKind,
)
from app.tasks.standing import Standing

LABELS: dict[type, dict[Any, Any]] = {
    Status: {
        Status.IN_PROGRESS: _l("In progress"),
        Status.PARTIAL: _l("Partly done"),
        Status.COMPLETED: _l("Completed"),
    },
    Role: {
        Role.ADMIN: _l("Administrator"),
        Role.OFFICE: _l("Office staff"),
        Role.DEPARTMENT: _l("Department"),
        Role.LEADER: _l("Leader"),
    },
    DirectiveKind: {
        DirectiveKind.RESOLUTION: _l("Resolution"),
        DirectiveKind.DECISION: _l("Decision"),
        DirectiveKind.DIRECTIVE: _l("Directive"),
        DirectiveKind.OFFICIAL_LETTER: _l("Official letter"),
        DirectiveKind.PLAN: _l("Plan"),
        DirectiveKind.CONCLUSION: _l("Conclusion notice"),
        DirectiveKind.OTHER: _l("Other document"),
    },
    AgencyKind: {
        AgencyKind.DEPARTMENT: _l("Department"),
        AgencyKind.DISTRICT: _l("District committee"),
        AgencyKind.CENTRAL: _l("Central agency in the province"),
        AgencyKind.PARTY_MASS: _l("Party or mass organisation"),
        AgencyKind.OTHER: _l("Other"),
    },
    DeadlineKind: {
        DeadlineKind.DATE: _l("Date"),
        DeadlineKind.PERIOD: _l("Period"),
        DeadlineKind.RECURRING: _l("Recurring"),
        DeadlineKind.CONTINUOUS: _l("Continuous"),
        DeadlineKind.UNSPECIFIED: _l("No computable date"),
    },
    CalendarDayKind: {
        CalendarDayKind.OFF: _l("Extra day off"),
        CalendarDayKind.WORK: _l("Make-up working day"),
    },
    UpdateKind: {
        UpdateKind.REPORT: _l("Progress report"),
        UpdateKind.CONTRIBUTION: _l("Coordinating contribution"),
    },
    ReviewState: {
        ReviewState.SUBMITTED: _l("Waiting for review"),
        ReviewState.ACCEPTED: _l("Accepted"),
        ReviewState.RETURNED: _l("Returned"),
    },
    ExtensionState: {
        ExtensionState.PENDING: _l("Pending"),
        ExtensionState.APPROVED: _l("Approved"),
        ExtensionState.REFUSED: _l("Refused"),
    },
    AuditAction: {
        AuditAction.CREATE: _l("created"),
        AuditAction.UPDATE: _l("changed"),
        AuditAction.DELETE: _l("deleted"),
        AuditAction.RESTORE: _l("restored"),
    },
    Standing: {
        Standing.DONE_ON_TIME: _l("Done on time"),
        Standing.DONE_LATE: _l("Done late"),
        Standing.ON_TRACK: _l("In progress, within deadline"),
        Standing.OVERDUE: _l("Overdue"),
        Standing.NO_DEADLINE: _l("No deadline"),
    },
}

STANDING_BADGES = {
    Standing.DONE_ON_TIME: "text-bg-success",
    Standing.DONE_LATE: "text-bg-secondary",
    Standing.ON_TRACK: "text-bg-primary",
    Standing.OVERDUE: "text-bg-danger",
    Standing.NO_DEADLINE: "text-bg-light border",
}

# How Vietnamese administrative documents write a date (Decree 30/2020/NĐ-CP).
VN_ADMIN_DATE = "'ngày' dd 'tháng' MM 'năm' yyyy"

STATUS_BADGES = {
    Status.IN_PROGRESS: "text-bg-warning",
    Status.PARTIAL: "text-bg-info",
    Status.COMPLETED: "text-bg-success",
}

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


def label(value: Any) -> str:
    """Human label of an enum member (status, role, kind…), looked up by its own enum."""
    if value is None:
        return ""
    return str(LABELS.get(type(value), {}).get(value, value))


def short_date(value: date | datetime | None) -> str:
    """dd/MM/yyyy, the way offices write dates in tables."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return to_local(value).strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


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


def long_date(value: date | None) -> str:
    """ "ngày 06 tháng 10 năm 2022" in Vietnamese, the locale's long form otherwise."""
    if value is None:
        return ""
    if str(get_locale()) == "vi":
        return format_date(value, VN_ADMIN_DATE)
    return format_date(value, "long")


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
