"""The exchange format: a directive's tasks as one JSON document, for other systems.

`export_directives` writes directives, their sections and tasks, the owners (agency code =
short name, and name), the deadline phrase as written with the kind it reads as, the status,
and the explanations per period (every progress report and contribution). `import_document`
reads the same document back: directives by number, tasks by their position in the
directive, reports by (day, period, kind, agency, text), so importing twice changes nothing.
Nothing depends on database ids, so an export imported into an empty database exports the
same document again. The shape is documented in docs/exchange.schema.json.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _
from marshmallow import RAISE, Schema, ValidationError, fields, validate
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.agencies.models import Agency, AgencyKind
from app.agencies.services import resolve_agency
from app.api.schemas import Text
from app.directives.models import Directive, DirectiveKind, Section
from app.errors import NotFound, ValidationFailed
from app.tasks.deadlines import DeadlineKind
from app.tasks.models import ProgressUpdate, ReviewState, Status, Task, UpdateKind
from app.tasks.services import apply_deadline

FORMAT = "nhiemvu-exchange"
VERSION = 1


# --- Export ---


def _agency(agency: Agency | None) -> dict[str, Any] | None:
    if agency is None:
        return None
    return {"code": agency.short_name, "name": agency.name}


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _update(update: ProgressUpdate) -> dict[str, Any]:
    return {
        "period": update.period,
        "reported_on": _day(update.reported_on),
        "kind": update.kind.value,
        "agency": _agency(update.agency),
        "status": update.status.value,
        "explanation": update.explanation,
        "completed_on": _day(update.completed_on),
        "review_state": update.review_state.value,
    }


def _task(task: Task, positions: dict[int, int]) -> dict[str, Any]:
    updates = sorted(
        task.updates,
        key=lambda u: (u.reported_on, u.period or "", u.kind.value, u.explanation, u.id),
    )
    return {
        "position": task.position,
        "outline": task.outline,
        "code": task.code,
        "section": task.section.number if task.section else None,
        "parent_position": positions.get(task.parent_id) if task.parent_id else None,
        "title": task.title,
        "lead_agency": _agency(task.lead_agency),
        "lead_text": task.lead_text,
        "coordinators": [_agency(a) for a in sorted(task.coordinators, key=lambda a: a.name)],
        "coordinators_text": task.coordinators_text,
        "assigned_on": _day(task.assigned_on),
        "start_text": task.start_text,
        "deadline_text": task.deadline_text,
        "deadline_kind": task.deadline_kind.value,
        "deadline_due": _day(task.deadline_due),
        "product": task.product,
        "status": task.status.value,
        "completed_on": _day(task.completed_on),
        "explanations": [_update(u) for u in updates],
    }


def _directive(session: Session, directive: Directive) -> dict[str, Any]:
    tasks = list(
        session.scalars(
            select(Task)
            .where(Task.directive_id == directive.id, Task.deleted_at.is_(None))
            .order_by(Task.position, Task.id)
        )
    )
    positions = {t.id: t.position for t in tasks}
    return {
        "number": directive.number,
        "kind": directive.kind.value,
        "issued_on": _day(directive.issued_on),
        "issuer": directive.issuer,
        "summary": directive.summary,
        "signer": directive.signer,
        "signer_title": directive.signer_title,
        "sections": [
            {"number": s.number, "title": s.title, "position": s.position}
            for s in directive.sections
        ],
        "tasks": [_task(t, positions) for t in tasks],
    }


def export_directives(session: Session, numbers: list[str]) -> dict[str, Any]:
    """The exchange document of the directives with these numbers (NotFound if one is not)."""
    directives = []
    for number in numbers:
        directive = session.scalar(
            select(Directive).where(Directive.number == number, Directive.deleted_at.is_(None))
        )
        if directive is None:
            raise NotFound(_("No directive has the number %(number)s.", number=number))
        directives.append(_directive(session, directive))
    return {"format": FORMAT, "version": VERSION, "directives": directives}


# --- Import: the shape checked first (unknown=RAISE), then written ---


class _Strict(Schema):
    class Meta:
        unknown = RAISE


def _text(**kwargs: Any) -> Text:
    return Text(allow_none=True, load_default=None, **kwargs)


class AgencyIn(_Strict):
    code = _text(validate=validate.Length(max=120))
    name = Text(required=True, validate=validate.Length(min=1, max=255))


class UpdateIn(_Strict):
    period = _text(validate=validate.Length(max=20))
    reported_on = fields.Date(required=True)
    kind = fields.Enum(UpdateKind, by_value=True, required=True)
    agency = fields.Nested(AgencyIn, allow_none=True, load_default=None)
    status = fields.Enum(Status, by_value=True, required=True)
    explanation = Text(required=True)
    completed_on = fields.Date(allow_none=True, load_default=None)
    review_state = fields.Enum(ReviewState, by_value=True, required=True)


class TaskIn(_Strict):
    position = fields.Integer(required=True, validate=validate.Range(min=0, max=2_147_483_647))
    outline = _text(validate=validate.Length(max=40))
    code = _text(validate=validate.Length(max=40))
    section = _text(validate=validate.Length(max=20))
    parent_position = fields.Integer(allow_none=True, load_default=None)
    title = Text(required=True, validate=validate.Length(min=1))
    lead_agency = fields.Nested(AgencyIn, allow_none=True, load_default=None)
    lead_text = _text()
    coordinators = fields.List(fields.Nested(AgencyIn), load_default=list)
    coordinators_text = _text()
    assigned_on = fields.Date(allow_none=True, load_default=None)
    start_text = _text(validate=validate.Length(max=255))
    deadline_text = _text()
    deadline_kind = fields.Enum(DeadlineKind, by_value=True, required=True)
    deadline_due = fields.Date(allow_none=True, load_default=None)
    product = _text()
    status = fields.Enum(Status, by_value=True, required=True)
    completed_on = fields.Date(allow_none=True, load_default=None)
    explanations = fields.List(fields.Nested(UpdateIn), load_default=list)


class SectionIn(_Strict):
    number = Text(required=True, validate=validate.Length(min=1, max=20))
    title = Text(required=True)
    position = fields.Integer(load_default=0)


class DirectiveIn(_Strict):
    number = Text(required=True, validate=validate.Length(min=1, max=80))
    kind = fields.Enum(DirectiveKind, by_value=True, required=True)
    issued_on = fields.Date(allow_none=True, load_default=None)
    issuer = _text(validate=validate.Length(max=255))
    summary = Text(required=True)
    signer = _text(validate=validate.Length(max=200))
    signer_title = _text(validate=validate.Length(max=200))
    sections = fields.List(fields.Nested(SectionIn), load_default=list)
    tasks = fields.List(fields.Nested(TaskIn), load_default=list)


class ExchangeIn(_Strict):
    format = fields.String(required=True, validate=validate.Equal(FORMAT))
    version = fields.Integer(required=True, validate=validate.Equal(VERSION))
    directives = fields.List(fields.Nested(DirectiveIn), required=True)


EXCHANGE_IN = ExchangeIn()


@dataclass
class ImportSummary:
    """What an import created or changed."""

    directives: list[str] = field(default_factory=list)
    tasks_created: int = 0
    tasks_updated: int = 0
    explanations_added: int = 0
    agencies_created: list[str] = field(default_factory=list)


def _flat(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            for k, v in _flat(value, f"{prefix}.{key}" if prefix else str(key)).items():
                out.setdefault(k, []).extend(v)
    else:
        out[prefix or "document"] = [str(m) for m in messages]
    return out


def read_document(data: Any) -> dict[str, Any]:
    """The document checked against the format; ValidationFailed lists every problem."""
    try:
        return EXCHANGE_IN.load(data)
    except ValidationError as error:
        raise ValidationFailed(_flat(error.messages)) from None


class _Importer:
    def __init__(self, session: Session, today: date, summary: ImportSummary) -> None:
        self.session = session
        self.today = today
        self.summary = summary

    def agency(self, owner: dict[str, Any] | None) -> Agency | None:
        if owner is None:
            return None
        found = resolve_agency(self.session, owner["name"])
        if found is None and owner.get("code"):
            found = resolve_agency(self.session, owner["code"])
        if found is None:
            found = Agency(name=owner["name"], short_name=owner.get("code"), kind=AgencyKind.OTHER)
            self.session.add(found)
            self.session.flush()
            self.summary.agencies_created.append(found.name)
        return found

    def directive(self, data: dict[str, Any]) -> None:
        directive = self.session.scalar(select(Directive).where(Directive.number == data["number"]))
        if directive is None:
            directive = Directive(number=data["number"], kind=data["kind"], summary=data["summary"])
            self.session.add(directive)
        for name in ("kind", "issued_on", "issuer", "summary", "signer", "signer_title"):
            if getattr(directive, name) != data[name]:
                setattr(directive, name, data[name])
        directive.deleted_at = None
        sections = {s.number: s for s in directive.sections}
        for item in data["sections"]:
            section = sections.get(item["number"])
            if section is None:
                section = Section(
                    number=item["number"], title=item["title"], position=item["position"]
                )
                directive.sections.append(section)
                sections[item["number"]] = section
            section.title, section.position = item["title"], item["position"]
        self.session.flush()
        tasks = {
            t.position: t
            for t in self.session.scalars(
                select(Task).where(Task.directive_id == directive.id, Task.deleted_at.is_(None))
            )
        }
        for item in data["tasks"]:
            tasks[item["position"]] = self.task(
                directive, sections, tasks.get(item["position"]), item
            )
        for item in data["tasks"]:  # parents once every task of the directive exists
            parent = (
                tasks.get(item["parent_position"]) if item["parent_position"] is not None else None
            )
            task = tasks[item["position"]]
            if task.parent_id != (parent.id if parent else None):
                task.parent = parent
        self.summary.directives.append(directive.number or "")

    def task(
        self,
        directive: Directive,
        sections: dict[str, Section],
        task: Task | None,
        item: dict[str, Any],
    ) -> Task:
        if task is None:
            task = Task(directive=directive, title=item["title"], position=item["position"])
            self.session.add(task)
            self.summary.tasks_created += 1
        is_new = task in self.session.new
        values = {
            name: item[name]
            for name in (
                "outline",
                "code",
                "title",
                "lead_text",
                "coordinators_text",
                "assigned_on",
                "start_text",
                "deadline_text",
                "product",
                "status",
                "completed_on",
            )
        }
        values["section"] = sections.get(item["section"]) if item["section"] else None
        values["lead_agency"] = self.agency(item["lead_agency"])
        changed = False
        for name, value in values.items():
            if getattr(task, name) != value:
                setattr(task, name, value)
                changed = True
        coordinators = [self.agency(a) for a in item["coordinators"]]
        if {a.id for a in task.coordinators} != {a.id for a in coordinators if a}:
            task.coordinators = [a for a in coordinators if a]
            changed = True
        apply_deadline(task, today=self.today)
        self.session.flush()
        if changed and not is_new:
            self.summary.tasks_updated += 1
        self.explanations(task, item["explanations"])
        return task

    def explanations(self, task: Task, items: list[dict[str, Any]]) -> None:
        """Add the reports not there yet (same day, period, kind, agency and text)."""
        known = {
            (u.reported_on, u.period, u.kind, u.agency_id, u.explanation) for u in task.updates
        }
        for item in items:
            agency = self.agency(item["agency"])
            agency_id = agency.id if agency else None
            key = (
                item["reported_on"],
                item["period"],
                item["kind"],
                agency_id,
                item["explanation"],
            )
            if key in known:
                continue
            known.add(key)
            self.session.add(
                ProgressUpdate(
                    task=task,
                    agency_id=agency_id,
                    reported_on=item["reported_on"],
                    period=item["period"],
                    kind=item["kind"],
                    status=item["status"],
                    explanation=item["explanation"],
                    completed_on=item["completed_on"],
                    review_state=item["review_state"],
                )
            )
            self.summary.explanations_added += 1
        self.session.flush()


def import_document(session: Session, data: Any, *, today: date) -> ImportSummary:
    """Write an exchange document (checked first); the caller commits."""
    document = read_document(data)
    summary = ImportSummary()
    importer = _Importer(session, today, summary)
    for directive in document["directives"]:
        importer.directive(directive)
    session.flush()
    return summary
