"""Building an import's preview: the directive, its sections, and every task matched to
the directive's saved tasks, with what the import would change. Reads, never writes."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from app.directives.models import Directive, DirectiveKind
from app.imports.agencies import AgencyMatcher, is_group
from app.imports.diff import (
    blank,
    carried_by,
    diff_task,
    plain,
    progress_changes,
    ref_token,
)
from app.imports.documents import Document, DraftTask
from app.imports.match import (
    TaskMatcher,
    existing_tasks,
    find_directive,
    period_updates,
    usual_assigned_on,
)
from app.imports.preview import (
    CREATE,
    MATCHED,
    NEW,
    UNCHANGED,
    UPDATE,
    AgencyRef,
    DirectiveHeader,
    ImportOptions,
    ImportPreview,
    PreviewProgress,
    PreviewSection,
    PreviewTask,
    PreviewWarning,
)
from app.imports.sources import ImportRefused
from app.tasks.deadlines import DeadlineKind, parse_deadline
from app.tasks.models import ProgressUpdate, Task
from app.text import fold, nfc

DEFAULT_LEAD = "UBND tỉnh"  # who a province's report appendix speaks for
_SYMBOL_KINDS = {"NQ": "resolution", "QD": "decision", "CT": "directive", "KH": "plan"}
_SYMBOL_KINDS |= {"TB": "conclusion", "TTR": "other", "BC": "other", "ND": "other", "TT": "other"}
_DEFAULT_KINDS = {"notice": "conclusion", "plan": "plan", "appendix": "resolution"}


class Previewer:
    """Builds one preview: the directive, sections, tasks and what each changes."""

    def __init__(
        self,
        session: Session,
        document: Document,
        options: ImportOptions,
        period: str | None,
        today: date,
    ) -> None:
        self.session = session
        self.document = document
        self.options = options
        self.kind = options.kind
        self.period = period
        self.today = today
        self.agencies = AgencyMatcher(session, options.province)
        self.warnings: list[PreviewWarning] = list(document.warnings)
        self.tasks: list[PreviewTask] = []
        self.lead_assumed = False
        self.document_fields = carried_by(
            self.kind,
            [c.field for c in document.columns],
            any(draft.section for draft in document.tasks),
        )

    def warn(self, code: str, message: str, task: str | None = None) -> None:
        self.warnings.append(PreviewWarning(code, message, task))

    def build(self) -> ImportPreview:
        header, directive = self.directive()
        existing = existing_tasks(self.session, directive)
        reference = self.reference(header, directive, existing)
        sections = self.sections(directive)
        self.draft_tasks(reference)
        matcher = TaskMatcher(existing)
        matcher.match_all(self.tasks)
        by_key = {t.key: t for t in self.tasks}
        updates = period_updates(self.session, [t.task_id for t in self.tasks], self.period)
        for task in self.tasks:
            current = matcher.tasks.get(task.task_id) if task.task_id else None
            if current is None and matcher.deleted_alike(task):
                self.warn(
                    "deleted_alike",
                    _(
                        "A deleted task has the same number or text; a new task will be "
                        "created (restore the deleted one instead if it is the same)."
                    ),
                    task.key,
                )
            if current:
                task.changes = diff_task(self.kind, task, current, by_key, self.document_fields)
            task.action = CREATE if current is None else UPDATE if task.changes else UNCHANGED
            if task.progress is not None:
                _preview_progress(task.progress, updates.get(task.task_id or 0))
        self.summarise()
        return ImportPreview(
            kind=self.kind,
            source=self.document.source,
            directive=header,
            reference_date=reference,
            period=self.period,
            sections=sections,
            tasks=self.tasks,
            new_agencies=list(self.agencies.proposals.values()),
            warnings=self.warnings,
            missing=[
                {"task_id": t.id, "outline": t.outline, "title": t.title}
                for t in matcher.unclaimed()
            ],
            columns=list(self.document.columns),
            columns_guessed=self.document.columns_guessed,
        )

    # directive ------------------------------------------------------------------------------
    def directive(self) -> tuple[DirectiveHeader, Directive | None]:
        printed = self.document.header
        options = self.options
        if self.kind == "appendix":  # the appendix's own header is the report letter's
            number = options.number or self.document.cited_number
            header = DirectiveHeader(number=number, issued_on=options.issued_on)
            header.issuer, header.subject = options.issuer, options.subject
        else:
            header = DirectiveHeader(
                kind=printed.kind,
                number=options.number or printed.number,
                issued_on=options.issued_on or printed.issued_on,
                issuer=options.issuer or printed.issuer,
                subject=options.subject or printed.subject,
            )
        header.kind = options.directive_kind or header.kind
        if header.issuer and (agency := self.agencies.find(header.issuer)):
            header.issuer = agency.name
        directive = find_directive(self.session, header)  # by kind only when it is known
        header.kind = header.kind or _kind_of(header.number, self.kind)
        if directive is None:
            header.action = CREATE
            if not header.subject:
                self.warn(
                    "directive_subject",
                    _(
                        "The directive %(number)s is not in the system and the document gives "
                        "no subject: give its subject before confirming.",
                        number=header.number or "",
                    ),
                )
            return header, None
        if directive.deleted_at is not None:
            raise ImportRefused(
                _(
                    "The directive %(directive)s was deleted: restore it before importing into it.",
                    directive=directive.label,
                )
            )
        header.id = directive.id
        header.changes = self.header_changes(header, directive)
        header.action = UPDATE if header.changes else UNCHANGED
        return header, directive

    def header_changes(self, header: DirectiveHeader, directive: Directive) -> dict[str, list[Any]]:
        """Blank fields of the directive are filled; different ones are kept, with a warning."""
        changes: dict[str, list[Any]] = {}
        pairs = {
            "number": (directive.number, header.number),
            "issued_on": (directive.issued_on, header.issued_on),
            "issuer": (directive.issuer, header.issuer),
            "summary": (directive.summary, header.subject),
        }
        for name, (saved, given) in pairs.items():
            if given is None or saved == given:
                continue
            if saved is None or saved == "":
                changes[name] = [None, plain(given)]
            elif fold(str(saved)) != fold(str(given)):
                labels = {
                    "number": _("number and symbol"),
                    "issued_on": _("issue date"),
                    "issuer": _("issuer"),
                    "summary": _("subject"),
                }
                self.warn(
                    "directive_differs",
                    _(
                        "The document gives %(field)s “%(document)s”; the directive has "
                        "“%(saved)s”, which is kept.",
                        field=labels[name],
                        document=plain(given),
                        saved=plain(saved),
                    ),
                )
        return changes

    # dates --------------------------------------------------------------------------------
    def reference(
        self, header: DirectiveHeader, directive: Directive | None, existing: list[Task]
    ) -> date:
        """The date deadline phrases are read against (see the module docstring)."""
        doc = self.document
        found: list[tuple[date | None, str | None]] = [(self.options.reference, None)]
        if self.kind != "appendix":
            found += [
                (doc.header.issued_on, None),
                (
                    doc.meeting_date,
                    _("the meeting's date; the notice prints no date of its own"),
                ),
                (doc.partial_date, _("the document's month; its day is left blank")),
            ]
        found += [
            (directive.issued_on if directive else header.issued_on, None),
            (usual_assigned_on(existing), _("the date the directive's tasks were given")),
            (self.today, _("today; the document prints no date: give one")),
        ]
        day, why = next((d, w) for d, w in found if d is not None)
        if why:
            self.warn(
                "reference_date",
                _(
                    "Deadlines are read against %(date)s: %(why)s.",
                    date=day.strftime("%d/%m/%Y"),
                    why=why,
                ),
            )
        return day

    # sections and tasks ---------------------------------------------------------------------
    def sections(self, directive: Directive | None) -> list[PreviewSection]:
        saved = {fold(s.number): s for s in directive.sections} if directive else {}
        out: dict[str, PreviewSection] = {}
        for draft in self.document.tasks:
            if draft.section is None or fold(draft.section[0]) in out:
                continue
            number, title = draft.section
            section = PreviewSection(number=number, title=title)
            current = saved.get(fold(number))
            if current is not None:
                section.id = current.id
                if nfc(title) != current.title and title:
                    section.changes = {"title": [current.title, title]}
                section.action = UPDATE if section.changes else UNCHANGED
            out[fold(number)] = section
        return list(out.values())

    def draft_tasks(self, reference: date) -> None:
        by_outline: dict[tuple[str, str], str] = {}  # (section, outline) → key
        lead: AgencyRef | None = None
        for draft in self.document.tasks:
            task = self.task(draft, reference)
            section = draft.section[0] if draft.section else ""
            if draft.outline:
                by_outline[(section, draft.outline)] = task.key
            if draft.parent_outline:
                task.parent = by_outline.get((section, draft.parent_outline))
            if self.kind == "appendix" and task.lead is None and not task.lead_text:
                lead = lead or self.appendix_lead()
                task.lead = AgencyRef(**lead.to_json())
            task.flags = task.seen_flags()
            self.tasks.append(task)
            if draft.owner_group and self.options.expand_groups:
                self.expand(task, draft.owner_group)

    def task(self, draft: DraftTask, reference: date) -> PreviewTask:
        key = f"t{len(self.tasks) + 1}"
        task = PreviewTask(
            key=key,
            title=blank(draft.title) or "",
            outline=draft.outline,
            code=draft.code,
            section=draft.section[0] if draft.section else None,
            start_text=blank(draft.start_text),
            deadline_text=blank(draft.deadline_text),
            assigned_on=reference,
            product=blank(draft.product),
            status=draft.status,
            page=draft.page,
            line=draft.line,
            flags=list(draft.flags),
        )
        if self.kind != "appendix" or draft.leads or draft.lead_text or draft.coordinators:
            self.owners(task, draft)
        if draft.status_note:
            self.warn(
                "status_note",
                _(
                    "The status is written “%(note)s”: read as “in progress”, the note kept "
                    "here (whether a task is overdue is computed from its deadline).",
                    note=draft.status_note,
                ),
                key,
            )
        task.deadline = self.deadline(task)
        if self.period and (draft.status or draft.explanation):
            task.progress = PreviewProgress(
                period=self.period,
                status=draft.status,
                explanation=blank(draft.explanation) or "",
                reported_on=self.reported_on(),
            )
        return task

    def owners(self, task: PreviewTask, draft: DraftTask) -> None:
        """Lead and coordinators, with the texts kept as this kind of document keeps them."""
        leads = [name for name in draft.leads if not is_group(name)]
        refs = [self.agencies.find(name) for name in leads]
        index = next((i for i, agency in enumerate(refs) if agency is not None), None)
        if index is not None:
            task.lead = self.agencies.ref(leads[index])
        elif leads:  # none known: the first is proposed as a new agency
            task.lead = self.agencies.ref(leads[0])
        task.lead_text = blank(draft.lead_text)
        table = self.kind in ("plan", "appendix")
        if table and task.lead and task.lead_text == task.lead.name:
            task.lead_text = None
        names = [n for n in draft.coordinators if not is_group(n)]
        task.coordinators = _distinct([self.agencies.ref(n) for n in names], task.lead)
        grouped = len(names) < len(draft.coordinators)
        if table or grouped:
            task.coordinators_text = blank(draft.coordinators_text)
        if task.lead and len(task.coordinators) < len(names):
            self.warn(
                "lead_coordinates",
                _("The lead agency cannot also coordinate: it is left out of the coordinators."),
                task.key,
            )
        for ref in (task.lead, *task.coordinators):
            if ref is not None and ref.status == NEW:
                self.warn(
                    "unknown_agency",
                    _("Unknown agency “%(name)s”: proposed as a new agency.", name=ref.written),
                    task.key,
                )

    def expand(self, parent: PreviewTask, group: str) -> None:
        """A group heading's task: one copy per agency of the group, under the original."""
        parent.group = group
        members = self.agencies.members(group)
        if not members:
            self.warn(
                "group_not_expanded",
                _(
                    "“%(group)s” names no kind of agency: one task without a lead agency.",
                    group=group,
                ),
                parent.key,
            )
            return
        for agency in members:
            child = replace(
                parent,
                key=f"t{len(self.tasks) + 1}",
                parent=parent.key,
                lead=AgencyRef(agency.name, MATCHED, agency.id, agency.name),
                lead_text=None,
                coordinators=[replace(c) for c in parent.coordinators if c.agency_id != agency.id],
                changes={},
            )
            self.tasks.append(child)

    def appendix_lead(self) -> AgencyRef:
        """Who an appendix's new tasks go to: as given, else its issuer, else UBND tỉnh."""
        written = self.options.lead or self.document.header.issuer or DEFAULT_LEAD
        self.lead_assumed = not (self.options.lead or self.document.header.issuer)
        return self.agencies.ref(written)

    def reported_on(self) -> date:
        doc = self.document
        return self.options.reported_on or doc.header.issued_on or doc.partial_date or self.today

    def deadline(self, task: PreviewTask) -> dict[str, Any] | None:
        phrase = " ".join(p for p in (task.start_text, task.deadline_text) if p)
        if not phrase:
            return None
        deadline = parse_deadline(phrase, reference=task.assigned_on or self.today)
        if deadline.kind == DeadlineKind.UNSPECIFIED:
            self.warn(
                "unspecified_deadline",
                _(
                    "The deadline “%(text)s” gives no date: it is kept as written, “unspecified”.",
                    text=phrase,
                ),
                task.key,
            )
        return deadline.to_json()

    def summarise(self) -> None:
        created = [t for t in self.tasks if t.action == CREATE]
        if self.lead_assumed and created:
            self.warn(
                "appendix_lead",
                _(
                    "The appendix names no lead agency: new tasks go to %(agency)s.",
                    agency=created[0].lead.name if created[0].lead else DEFAULT_LEAD,
                ),
            )
        lead = created[0].lead if created and self.kind == "appendix" else None
        if lead is not None and lead.status == NEW:
            self.warn(
                "unknown_agency",
                _("Unknown agency “%(name)s”: proposed as a new agency.", name=lead.written),
            )
        undated = sum(1 for t in self.tasks if not t.deadline_text and not t.start_text)
        if undated:
            self.warn(
                "no_deadline",
                _("%(count)d task(s) state no deadline: “unspecified”.", count=undated),
            )
        groups = Counter(t.group for t in self.tasks if t.group and t.parent)
        for group, count in groups.items():
            parents = sum(1 for t in self.tasks if t.group == group and not t.parent)
            self.warn(
                "group_expanded",
                _(
                    "“%(group)s”: %(count)d task(s) copied to each of %(agencies)d agencies.",
                    group=group,
                    count=parents,
                    agencies=count // max(parents, 1),
                ),
            )


def _kind_of(number: str | None, import_kind: str) -> str:
    """The directive's kind from its symbol ("131/NQ-CP" → resolution), else by import kind."""
    if number and "/" in number:
        symbol = fold(number.split("/")[-1].split("-")[0]).upper()
        if symbol in _SYMBOL_KINDS:
            return _SYMBOL_KINDS[symbol]
        if not number.split("/")[-1][:1].isdigit():
            return DirectiveKind.OFFICIAL_LETTER.value
    return _DEFAULT_KINDS[import_kind]


def _distinct(refs: list[AgencyRef], lead: AgencyRef | None) -> list[AgencyRef]:
    """Coordinators once each, without the lead."""
    seen = {ref_token(lead)} if lead else set()
    out = []
    for ref in refs:
        if ref_token(ref) not in seen:
            seen.add(ref_token(ref))
            out.append(ref)
    return out


def _preview_progress(progress: PreviewProgress, update: ProgressUpdate | None) -> None:
    if update is None:
        progress.action, progress.update_id = CREATE, None
        return
    progress.update_id = update.id
    progress.reported_on = update.reported_on
    progress.changes = progress_changes(progress, update)
    progress.action = UPDATE if progress.changes else UNCHANGED
