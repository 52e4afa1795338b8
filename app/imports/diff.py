"""Comparing an import's task with a saved task, field by field: what the preview shows and
what the confirm step writes are computed by the same functions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from app.imports.preview import MATCHED, AgencyRef, ImportPreview, PreviewProgress, PreviewTask
from app.tasks.models import ProgressUpdate, Task
from app.text import fold, nfc

# The fields an import of each kind sets on an existing task; the others stay as they are.
FIELDS = {
    "notice": (
        "title",
        "lead",
        "lead_text",
        "coordinators",
        "coordinators_text",
        "deadline_text",
        "assigned_on",
    ),
    "plan": (
        "outline",
        "code",
        "title",
        "section",
        "parent",
        "lead",
        "lead_text",
        "coordinators",
        "coordinators_text",
        "start_text",
        "deadline_text",
        "product",
        "assigned_on",
    ),
    "appendix": ("outline", "title", "section", "deadline_text", "assigned_on", "status"),
}
# An appendix that has these columns sets these fields too.
APPENDIX_OWNERS = ("lead", "lead_text", "coordinators", "coordinators_text", "product")
# A new task gets every field the import has a value for.
ALL_FIELDS = (*FIELDS["plan"], "status")
DEADLINE_FIELDS = frozenset({"start_text", "deadline_text", "assigned_on"})
# The table columns a field is read from: a table without them leaves the field as it is.
_COLUMNS_OF = {
    "title": ("title", "name"),
    "outline": ("outline", "stt"),
    "code": ("code",),
    "lead": ("lead",),
    "lead_text": ("lead",),
    "coordinators": ("coordinators",),
    "coordinators_text": ("coordinators",),
    "start_text": ("start",),
    "deadline_text": ("deadline",),
    "product": ("product",),
    "status": ("completed", "in_progress", "status"),
}
EVERY_COLUMN = frozenset(column for names in _COLUMNS_OF.values() for column in names)


def carried(preview: ImportPreview) -> frozenset[str]:
    """What the document carries: the columns its table has (every one for a text copy or a
    notice) and "section" when it has sections. The fields it does not carry are left as
    they are on a saved task: a table without a time column keeps the tasks' deadlines, an
    excerpt without section rows keeps their sections."""
    return carried_by(preview.kind, [c.field for c in preview.columns], bool(preview.sections))


def carried_by(kind: str, columns: list[str], has_sections: bool) -> frozenset[str]:
    """`carried` from a document's kind, table columns (none for text) and sections."""
    if columns:
        found = frozenset(columns)
    elif kind == "appendix":  # a text copy's appendix: no owner or product columns
        found = EVERY_COLUMN - {"lead", "coordinators", "product"}
    else:
        found = EVERY_COLUMN
    return found | ({"section"} if has_sections else frozenset())


def blank(value: str | None) -> str | None:
    """Trimmed NFC text, None for blank."""
    value = nfc(value.strip()) if value else None
    return value or None


def match_key(text: str | None) -> str:
    """How tasks are matched by text: folded, without a closing full stop."""
    return fold(text).rstrip(" .;")


def plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def ref_token(ref: AgencyRef) -> Any:
    """What identifies an agency reference: its id, or the folded name of a new agency."""
    return ref.agency_id if ref.status == MATCHED else ("new", fold(ref.name))


def compared(
    kind: str, task: PreviewTask, document: frozenset[str] | None = None
) -> tuple[str, ...]:
    """The fields compared for `task`: a notice's task has a parent only as a group's copy;
    an appendix with owner or product columns sets those too; with `document` (see
    `carried`), a table's fields whose columns it lacks are left out."""
    names = FIELDS[kind]
    if kind == "notice" and task.parent:
        names = (*names, "parent")
    if document is None:
        return names
    if kind == "appendix":
        names = (*names, *APPENDIX_OWNERS)
    return tuple(name for name in names if _carried(name, document))


def _carried(name: str, document: frozenset[str]) -> bool:
    if name == "section":
        return "section" in document
    columns = _COLUMNS_OF.get(name)
    return columns is None or any(column in document for column in columns)


def diff_task(
    kind: str,
    task: PreviewTask,
    current: Task,
    by_key: Mapping[str, PreviewTask],
    document: frozenset[str] | None = None,
) -> dict[str, list[Any]]:
    """Field → [as saved, as imported] for each field the import would change."""
    changes: dict[str, list[Any]] = {}
    for name in compared(kind, task, document):
        wanted = wanted_value(task, name, by_key)
        if name == "status" and wanted is None:
            continue  # no mark in the appendix: the status stays
        if saved_value(current, name) != wanted:
            changes[name] = [shown_saved(current, name), shown_wanted(task, name, by_key)]
    return changes


def saved_value(task: Task, name: str) -> Any:
    if name == "lead":
        return task.lead_agency_id
    if name == "coordinators":
        return frozenset(a.id for a in task.coordinators)
    if name == "section":
        return fold(task.section.number) if task.section else None
    if name == "parent":
        return task.parent_id
    if name == "status":
        return task.status.value
    return getattr(task, name)


def wanted_value(task: PreviewTask, name: str, by_key: Mapping[str, PreviewTask]) -> Any:
    if name == "lead":
        return ref_token(task.lead) if task.lead else None
    if name == "coordinators":
        return frozenset(ref_token(c) for c in task.coordinators)
    if name == "section":
        return fold(task.section) if task.section else None
    if name == "parent":
        parent = by_key.get(task.parent) if task.parent else None
        if parent is None:
            return None
        return parent.task_id if parent.task_id else ("new", parent.key)
    value = getattr(task, name)
    return blank(value) if isinstance(value, str) else value


def shown_saved(task: Task, name: str) -> Any:
    """A saved field as the preview shows it (names, not ids)."""
    if name == "lead":
        return task.lead_agency.name if task.lead_agency else None
    if name == "coordinators":
        return sorted(a.name for a in task.coordinators)
    if name == "section":
        return task.section.number if task.section else None
    if name == "parent":
        return str(task.parent) if task.parent else None
    return plain(saved_value(task, name))


def shown_wanted(task: PreviewTask, name: str, by_key: Mapping[str, PreviewTask]) -> Any:
    """An imported field as the preview shows it."""
    if name == "lead":
        return task.lead.name if task.lead else None
    if name == "coordinators":
        return sorted(c.name or c.written for c in task.coordinators)
    if name == "section":
        return task.section
    if name == "parent":
        parent = by_key.get(task.parent) if task.parent else None
        if parent is None:
            return None
        prefix = f"{parent.outline}. " if parent.outline else ""
        return f"{prefix}{parent.title[:80]}"
    return plain(wanted_value(task, name, by_key))


def progress_changes(progress: PreviewProgress, update: ProgressUpdate) -> dict[str, list[Any]]:
    """What the import changes in an existing report of the period (its date stays)."""
    changes: dict[str, list[Any]] = {}
    if progress.status and progress.status != update.status.value:
        changes["status"] = [update.status.value, progress.status]
    if (blank(progress.explanation) or "") != update.explanation:
        changes["explanation"] = [update.explanation, progress.explanation]
    return changes
