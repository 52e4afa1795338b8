"""Confirming an import: the preview (as the user left it) written against the database as it
is now. Every check runs before the first write; the caller's SAVEPOINT undoes the rest."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.agencies.models import Agency, AgencyKind
from app.agencies.services import AgencyInput, save_agency
from app.auth.models import User
from app.directives.models import Directive, DirectiveKind, Section
from app.directives.services import (
    DirectiveInput,
    SectionInput,
    _same_number,
    add_section,
    save_directive,
    update_section,
)
from app.errors import ValidationFailed
from app.imports.agencies import guess_kind
from app.imports.diff import (
    ALL_FIELDS,
    DEADLINE_FIELDS,
    blank,
    carried,
    diff_task,
    progress_changes,
    ref_token,
    wanted_value,
)
from app.imports.match import period_updates
from app.imports.preview import (
    MATCHED,
    NEW,
    SKIP,
    AgencyRef,
    ImportPreview,
    ImportResult,
    PreviewTask,
)
from app.imports.sources import ImportRefused
from app.tasks.models import ProgressUpdate, ReviewState, Status, Task, UpdateKind
from app.tasks.services import apply_deadline
from app.text import fold

STATUSES = {s.value for s in Status}


def unknown_agencies(preview: ImportPreview) -> list[str]:
    """The new agencies the preview's tasks (those not skipped) refer to, by name."""
    names: dict[str, str] = {}
    for task in preview.tasks:
        if task.action == SKIP:
            continue
        for ref in (task.lead, *task.coordinators):
            if ref is not None and ref.status == NEW and ref.name:
                names.setdefault(fold(ref.name), ref.name)
    return list(names.values())


class Applier:
    """Writes one preview; `run` returns what it changed."""

    def __init__(
        self,
        session: Session,
        preview: ImportPreview,
        today: date,
        actor: User | None,
        create_agencies: bool,
    ) -> None:
        self.session = session
        self.preview = preview
        self.today = today
        self.actor = actor
        self.create_agencies = create_agencies
        self.tasks = [t for t in preview.tasks if t.action != SKIP]
        self.by_key = {t.key: t for t in preview.tasks}
        self.document = carried(preview)
        self.reasons: dict[str, list[str]] = {}
        self.agencies: dict[Any, Agency] = {}  # ref token → agency
        self.saved: dict[int, Task] = {}

    def fail(self, where: str, message: str) -> None:
        self.reasons.setdefault(where, []).append(message)

    def run(self) -> ImportResult:
        directive = self.directive()
        self.check(directive)
        if self.reasons:
            raise ValidationFailed(self.reasons)
        result = ImportResult(directive_id=0, skipped=len(self.preview.tasks) - len(self.tasks))
        if directive is None:
            directive = self.create_directive()
            result.directive_created = True
        else:
            self.fill_directive(directive)
        self.new_agencies(result)
        sections = self.sections(directive, result)
        written = self.write_tasks(directive, sections, result)
        self.progress(written, result)
        self.session.flush()
        result.directive_id = directive.id
        return result

    # checks ---------------------------------------------------------------------------------
    def directive(self) -> Directive | None:
        header = self.preview.directive
        if header.id is None:
            return None
        directive = self.session.get(Directive, header.id)
        if directive is None or directive.deleted_at is not None:
            raise ImportRefused(
                _("The directive of this preview no longer exists: read the file again.")
            )
        return directive

    def check(self, directive: Directive | None) -> None:
        header = self.preview.directive
        if directive is None:
            if not (header.subject or "").strip():
                self.fail("directive", _("Give the subject of the new directive."))
            if header.kind not in {k.value for k in DirectiveKind}:
                self.fail("directive", _("Choose the kind of the new directive."))
        unknown = unknown_agencies(self.preview)
        if unknown and not self.create_agencies:
            raise ImportRefused(
                _(
                    "Unknown agencies: %(names)s. Match them to existing agencies, or allow "
                    "creating them.",
                    names="; ".join(unknown),
                )
            )
        self.check_agencies()
        self.check_saved_tasks(directive)
        sections = {fold(s.number) for s in self.preview.sections}
        seen: set[str] = set()
        for task in self.tasks:
            if not task.title.strip():
                self.fail(task.key, _("Task %(key)s has no title.", key=task.key))
            if task.parent and task.parent not in seen:
                self.fail(
                    task.key,
                    _(
                        "Task %(key)s must come after its parent task, which is imported too.",
                        key=task.key,
                    ),
                )
            if task.section and fold(task.section) not in sections:
                self.fail(
                    task.key, _("Section %(number)s is not in the preview.", number=task.section)
                )
            if task.progress and task.progress.period != self.preview.period:
                self.fail(task.key, _("Task %(key)s reports on another period.", key=task.key))
            statuses = [task.status, task.progress.status if task.progress else None]
            if any(s and s not in STATUSES for s in statuses):
                self.fail(task.key, _("Task %(key)s has an unknown status.", key=task.key))
            seen.add(task.key)

    def check_agencies(self) -> None:
        ids = {
            ref.agency_id
            for task in self.tasks
            for ref in (task.lead, *task.coordinators)
            if ref is not None and ref.status == MATCHED
        }
        found = self.session.scalars(select(Agency).where(Agency.id.in_(ids)))
        self.agencies = {agency.id: agency for agency in found}
        for task in self.tasks:
            if task.lead is not None and task.lead.status == MATCHED:
                lead = self.agencies.get(task.lead.agency_id)
                if lead is None or not lead.active:
                    self.fail(
                        task.key,
                        _(
                            "Task %(key)s: choose an existing, active lead agency.",
                            key=task.key,
                        ),
                    )
            if task.lead is not None and ref_token(task.lead) in {
                ref_token(c) for c in task.coordinators
            }:
                self.fail(
                    task.key,
                    _(
                        "Task %(key)s: the lead agency cannot also be a coordinating agency.",
                        key=task.key,
                    ),
                )
            if any(
                c.status == MATCHED and c.agency_id not in self.agencies for c in task.coordinators
            ):
                self.fail(task.key, _("Task %(key)s: choose existing agencies.", key=task.key))

    def check_saved_tasks(self, directive: Directive | None) -> None:
        ids = {t.task_id for t in self.tasks if t.task_id}
        if ids and directive is None:
            self.fail("tasks", _("Tasks of another directive cannot be updated here."))
            return
        statement = (
            select(Task)
            .where(Task.id.in_(ids))
            .options(selectinload(Task.coordinators), selectinload(Task.section))
        )
        self.saved = {task.id: task for task in self.session.scalars(statement)}
        for task in self.tasks:
            saved = self.saved.get(task.task_id) if task.task_id else None
            if task.task_id and (
                saved is None
                or saved.deleted_at is not None
                or directive is None
                or saved.directive_id != directive.id
            ):
                self.fail(
                    task.key,
                    _(
                        "Task %(key)s was deleted or moved since the preview: read the file again.",
                        key=task.key,
                    ),
                )

    # directive and agencies -----------------------------------------------------------------
    def create_directive(self) -> Directive:
        header = self.preview.directive
        data = DirectiveInput(
            kind=DirectiveKind(header.kind),
            summary=header.subject or "",
            number=header.number,
            issued_on=header.issued_on,
            issuer=header.issuer,
        )
        return save_directive(self.session, data=data, today=self.today)

    def fill_directive(self, directive: Directive) -> None:
        """Blank fields of an existing directive take the document's values."""
        header = self.preview.directive
        values = {
            "issued_on": header.issued_on,
            "issuer": blank(header.issuer),
            "summary": blank(header.subject),
        }
        number = blank(header.number)
        if (
            directive.number is None
            and number
            and _same_number(self.session, number, directive) is None
        ):
            directive.number = number
        for name, value in values.items():
            if value is not None and not getattr(directive, name):
                setattr(directive, name, value)

    def new_agencies(self, result: ImportResult) -> None:
        kinds = {fold(p.name): p.kind for p in self.preview.new_agencies}
        for name in unknown_agencies(self.preview):
            kind = kinds.get(fold(name)) or guess_kind(name).value
            agency = save_agency(
                self.session,
                data=AgencyInput(name=name, kind=_kind(kind)),
            )
            self.agencies[("new", fold(name))] = agency
            result.agencies_created.append(agency.name)

    def agency(self, ref: AgencyRef | None) -> Agency | None:
        return self.agencies[ref_token(ref)] if ref is not None else None

    # sections, tasks, progress --------------------------------------------------------------
    def sections(self, directive: Directive, result: ImportResult) -> dict[str, Section]:
        """The preview's sections: new ones added at the end, changed titles renamed."""
        saved = {fold(s.number): s for s in directive.sections}
        for item in self.preview.sections:
            section = saved.get(fold(item.number))
            data = SectionInput(number=item.number, title=blank(item.title) or item.number)
            if section is None:
                section = add_section(self.session, directive, data)
                saved[fold(item.number)] = section
                result.sections_created.append(section.number)
            elif blank(item.title) and section.title != data.title:
                update_section(self.session, directive, section, data)
                result.sections_updated.append(section.number)
        return saved

    def write_tasks(
        self, directive: Directive, sections: dict[str, Section], result: ImportResult
    ) -> dict[str, Task]:
        position = _max_position(self.session, directive)
        written: dict[str, Task] = {}
        for item in self.tasks:
            task = self.saved.get(item.task_id) if item.task_id else None
            if task is None:
                position += 1
                task = Task(directive=directive, title=item.title, position=position)
                self.session.add(task)
                names = [n for n in ALL_FIELDS if _has_value(item, n)]
            else:
                changes = diff_task(self.preview.kind, item, task, self.by_key, self.document)
                names = list(changes)
            for name in names:
                self.assign(task, item, name, sections, written)
            if task.id is None or DEADLINE_FIELDS.intersection(names):
                apply_deadline(task, today=self.today)
            written[item.key] = task
            entry = {"key": item.key, "task_id": item.task_id, "title": task.title}
            if task.id is None:
                result.created.append(entry)
            elif names:
                result.updated.append({**entry, "changes": changes})
            else:
                result.unchanged += 1
        self.session.flush()
        for entry in result.created:
            entry["task_id"] = written[entry["key"]].id
        return written

    def assign(
        self,
        task: Task,
        item: PreviewTask,
        name: str,
        sections: dict[str, Section],
        written: dict[str, Task],
    ) -> None:
        if name == "lead":
            task.lead_agency = self.agency(item.lead)
        elif name == "coordinators":
            task.coordinators = [self.agency(c) for c in item.coordinators]  # type: ignore[misc]
        elif name == "section":
            task.section = sections[fold(item.section)] if item.section else None
        elif name == "parent":
            task.parent = written.get(item.parent) if item.parent else None
        elif name == "status":
            task.status = Status(item.status)
        else:
            setattr(task, name, wanted_value(item, name, self.by_key))

    def progress(self, written: dict[str, Task], result: ImportResult) -> None:
        items = [(t.key, t.progress) for t in self.tasks if t.progress is not None]
        period = self.preview.period
        saved = period_updates(self.session, [written[key].id for key, _progress in items], period)
        for key, progress in items:
            task = written[key]
            update = saved.get(task.id)
            if update is None:
                self.session.add(
                    ProgressUpdate(
                        task=task,
                        agency=task.lead_agency,
                        author_id=self.actor.id if self.actor else None,
                        reported_on=progress.reported_on or self.today,
                        period=progress.period,
                        status=Status(progress.status) if progress.status else task.status,
                        explanation=blank(progress.explanation) or "",
                        kind=UpdateKind.REPORT,
                        review_state=ReviewState.ACCEPTED,
                    )
                )
                result.progress_created += 1
                continue
            changes = progress_changes(progress, update)
            if "status" in changes:
                update.status = Status(progress.status)
            if "explanation" in changes:
                update.explanation = blank(progress.explanation) or ""
            if changes:
                result.progress_updated += 1


def _has_value(item: PreviewTask, name: str) -> bool:
    if name == "coordinators":
        return bool(item.coordinators)
    value = getattr(item, name)
    return value is not None and value != ""


def _max_position(session: Session, directive: Directive) -> int:
    if directive.id is None:
        return 0
    statement = select(func.coalesce(func.max(Task.position), 0)).where(
        Task.directive_id == directive.id
    )
    return session.scalar(statement) or 0


def _kind(value: str) -> AgencyKind:
    return AgencyKind(value) if value in {k.value for k in AgencyKind} else AgencyKind.OTHER
