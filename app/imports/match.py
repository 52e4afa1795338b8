"""Matching an import to what is saved: the directive, its tasks (live and deleted) and the
progress reports of a period, each loaded in one query."""

from __future__ import annotations

import difflib
from collections import Counter
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.directives.models import Directive, DirectiveKind
from app.directives.services import _same_number
from app.imports.diff import match_key
from app.imports.preview import DirectiveHeader, PreviewTask
from app.tasks.models import ProgressUpdate, Task, UpdateKind
from app.text import fold

_SIMILAR = 0.9  # a notice item still matches a task whose text the office corrected a little


def find_directive(session: Session, header: DirectiveHeader) -> Directive | None:
    """By number (any spelling of it), else the unnumbered one of this kind and subject."""
    if header.number:
        return _same_number(session, header.number, None)
    if not header.subject:
        return None
    wanted = fold(header.subject)
    statement = select(Directive).where(Directive.number.is_(None)).order_by(Directive.id)
    if header.kind:
        statement = statement.where(Directive.kind == DirectiveKind(header.kind))
    return next((d for d in session.scalars(statement) if fold(d.summary) == wanted), None)


def existing_tasks(session: Session, directive: Directive | None) -> list[Task]:
    """Every task of the directive, deleted ones too (one query, owners loaded)."""
    if directive is None or directive.id is None:
        return []
    statement = (
        select(Task)
        .where(Task.directive_id == directive.id)
        .options(
            selectinload(Task.coordinators),
            selectinload(Task.lead_agency),
            selectinload(Task.section),
        )
        .order_by(Task.position, Task.id)
    )
    return list(session.scalars(statement))


def usual_assigned_on(tasks: list[Task]) -> date | None:
    days = Counter(t.assigned_on for t in tasks if t.assigned_on and t.deleted_at is None)
    return days.most_common(1)[0][0] if days else None


def period_updates(
    session: Session, task_ids: list[int | None], period: str | None
) -> dict[int, ProgressUpdate]:
    """The latest progress report of each task for `period` (one query)."""
    ids = [i for i in task_ids if i]
    if not period or not ids:
        return {}
    statement = (
        select(ProgressUpdate)
        .where(
            ProgressUpdate.task_id.in_(ids),
            ProgressUpdate.period == period,
            ProgressUpdate.kind == UpdateKind.REPORT,
        )
        .order_by(ProgressUpdate.reported_on, ProgressUpdate.id)
    )
    return {update.task_id: update for update in session.scalars(statement)}


class TaskMatcher:
    """Pairs preview tasks with the directive's live tasks: by outline number, else by folded
    text (the same lead first; for a task without outline, also a text a little different);
    a group's copy by its parent and lead agency. Each saved task is taken once."""

    def __init__(self, existing: list[Task]) -> None:
        live = [t for t in existing if t.deleted_at is None]
        self.tasks = {t.id: t for t in live}
        self.deleted = [t for t in existing if t.deleted_at is not None]
        # By (section, STT): a table's numbering may restart in each section.
        self.by_outline: dict[tuple[str, str], Task] = {}
        self.by_bare_outline: dict[str, list[Task]] = {}
        self.by_text: dict[str, list[Task]] = {}
        self.children: dict[int, list[Task]] = {}
        for task in live:
            if task.outline:
                section = fold(task.section.number) if task.section else ""
                self.by_outline.setdefault((section, task.outline), task)
                self.by_bare_outline.setdefault(task.outline, []).append(task)
            self.by_text.setdefault(match_key(task.title), []).append(task)
            if task.parent_id:
                self.children.setdefault(task.parent_id, []).append(task)
        self.claimed: set[int] = set()

    def match_all(self, tasks: list[PreviewTask]) -> None:
        """Set each task's `task_id`: outline numbers first (so that a renumbered row cannot
        take another row's task by its text), then texts, then a group's copies."""
        by_key = {t.key: t for t in tasks}
        copies = [t for t in tasks if t.group and t.parent]
        others = [t for t in tasks if not (t.group and t.parent)]
        for task in others:
            self.claim(task, self.by_outline_of(task))
        for task in others:
            if task.task_id is None:
                self.claim(task, self.by_text_of(task))
        for task in copies:
            parent = by_key.get(task.parent or "")
            siblings = self.children.get(parent.task_id or 0, []) if parent else []
            lead = task.lead.agency_id if task.lead else None
            self.claim(task, next((t for t in siblings if t.lead_agency_id == lead), None))

    def by_outline_of(self, task: PreviewTask) -> Task | None:
        """The saved task of the same section and STT; for a document without sections (an
        excerpt), the one saved task of that STT."""
        if not task.outline:
            return None
        found = self.by_outline.get((fold(task.section) if task.section else "", task.outline))
        if found is None and task.section is None:
            same = self.by_bare_outline.get(task.outline, [])
            found = same[0] if len(same) == 1 else None
        return found

    def claim(self, task: PreviewTask, found: Task | None) -> None:
        if found is not None and found.id not in self.claimed:
            self.claimed.add(found.id)
            task.task_id = found.id

    def by_text_of(self, task: PreviewTask) -> Task | None:
        lead = task.lead.agency_id if task.lead else None
        candidates = [
            t for t in self.by_text.get(match_key(task.title), []) if t.id not in self.claimed
        ]
        if candidates:
            return next((t for t in candidates if t.lead_agency_id == lead), candidates[0])
        return None if task.outline else self.similar(task, lead)

    def similar(self, task: PreviewTask, lead: int | None) -> Task | None:
        """A task of the same lead whose text differs a little (a corrected typo)."""
        wanted = match_key(task.title)
        best, score = None, _SIMILAR
        for candidate in self.tasks.values():
            if candidate.id in self.claimed or candidate.lead_agency_id != lead:
                continue
            matcher = difflib.SequenceMatcher(None, wanted, match_key(candidate.title))
            if matcher.real_quick_ratio() >= score and matcher.ratio() >= score:
                best, score = candidate, matcher.ratio()
        return best

    def deleted_alike(self, task: PreviewTask) -> bool:
        key = match_key(task.title)
        return any(
            (task.outline and t.outline == task.outline) or match_key(t.title) == key
            for t in self.deleted
        )

    def unclaimed(self) -> list[Task]:
        return [t for t in self.tasks.values() if t.id not in self.claimed]
