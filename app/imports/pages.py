"""What the import preview page shows, computed from the preview: rows of tasks (as read and
as edited), values and changes in words, and the message a confirmed import leaves."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.agencies.models import AgencyKind
from app.imports.edits import field_name
from app.imports.preview import (
    COLUMNS_GUESSED,
    DEADLINE_UNREAD,
    NO_LEAD,
    ROW_UNSPLIT,
    SKIP,
    STATUS_NOTE,
    UNKNOWN_AGENCY,
    ImportPreview,
    ImportResult,
    PreviewTask,
)
from app.labels import label
from app.tasks.deadlines import Deadline, parse_deadline
from app.tasks.models import Status

LISTED = 5  # updated tasks named one by one in the confirmation message
CONTEXT = 40  # characters shown around the part of a long text that changed
LONG = 2 * CONTEXT

FIELD_LABELS = {
    "title": _l("Title"),
    "outline": _l("No."),
    "code": _l("Code"),
    "section": _l("Section"),
    "parent": _l("Parent task"),
    "lead": _l("Lead agency"),
    "lead_text": _l("Lead as written"),
    "coordinators": _l("Coordinating agencies"),
    "coordinators_text": _l("Coordinating as written"),
    "start_text": _l("Start"),
    "deadline_text": _l("Deadline"),
    "assigned_on": _l("Assigned on"),
    "product": _l("Expected product"),
    "status": _l("Status"),
    "explanation": _l("Explanation"),
    "number": _l("Number"),
    "issued_on": _l("Issued on"),
    "issuer": _l("Issuer"),
    "summary": _l("Subject"),
}


# What each flag asks the clerk to check, shown on the task's row.
FLAG_LABELS = {
    NO_LEAD: _l("No lead agency: choose one."),
    UNKNOWN_AGENCY: _l("An agency not in the list: choose an existing one, or create it."),
    DEADLINE_UNREAD: _l("The deadline gives no date: correct it if it has one."),
    ROW_UNSPLIT: _l("The row's cells could not be told apart: all of it is in the title."),
    STATUS_NOTE: _l("The status is written in other words: read as in progress."),
    COLUMNS_GUESSED: _l("The table's columns were told from their cells."),
}


@dataclass
class Row:
    """One task of the preview page: as read (`original`), as edited (`task`), and what the
    clerk should check on it (`flags`, for the task as it stands)."""

    index: int
    task: PreviewTask
    original: PreviewTask
    deadline: Deadline | None
    deadline_phrase: str
    parent: PreviewTask | None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    @property
    def skipped(self) -> bool:
        return self.task.action == SKIP

    @property
    def flag_labels(self) -> list[str]:
        return [str(FLAG_LABELS[flag]) for flag in self.flags if flag in FLAG_LABELS]

    def name(self, what: str) -> str:
        return field_name(self.index, what)

    @property
    def place(self) -> str:
        """Where the task is in the document: "trang 3, dòng 12", "dòng 12", or ""."""
        return place_of(self.original)


def place_of(task: PreviewTask) -> str:
    """A task's place in the document in words."""
    if task.page is not None and task.line is not None:
        return _("page %(page)d, line %(line)d", page=task.page, line=task.line)
    if task.line is not None:
        return _("line %(line)d", line=task.line)
    return ""


def rows(
    original: ImportPreview, shown: ImportPreview, errors: dict[str, list[str]], today: date
) -> list[Row]:
    """The page's rows: each task as read and as edited, its errors, warnings and deadline."""
    by_key = {t.key: t for t in shown.tasks}
    warnings: dict[str, list[str]] = {}
    for warning in original.warnings:
        if warning.task:
            warnings.setdefault(warning.task, []).append(warning.message)
    result = []
    for index, (before, task) in enumerate(zip(original.tasks, shown.tasks, strict=True)):
        phrase = " ".join(p for p in (task.start_text, task.deadline_text) if p)
        reference = task.assigned_on or original.reference_date or today
        deadline = parse_deadline(phrase, reference=reference) if phrase else None
        result.append(
            Row(
                index=index,
                task=task,
                original=before,
                deadline=deadline,
                deadline_phrase=phrase,
                parent=by_key.get(task.parent) if task.parent else None,
                errors=errors.get(task.key, []),
                warnings=warnings.get(task.key, []),
                flags=_seen_flags(task, deadline=deadline),
            )
        )
    return result


def _seen_flags(task: PreviewTask, *, deadline: Deadline | None) -> list[str]:
    """The task's flags as it stands: the edited deadline phrase is read again here."""
    flags = [f for f in task.seen_flags() if f != DEADLINE_UNREAD]
    if task.deadline_text and deadline is not None and deadline.kind.value == "unspecified":
        flags.append(DEADLINE_UNREAD)
    return flags


def flagged(rows: list[Row]) -> list[Row]:
    """The rows with something to check (skipped ones left out)."""
    return [row for row in rows if row.flags and not row.skipped]


def shown_value(value: Any) -> str:
    """An old or new value of a change, as the page shows it."""
    if value is None or value in ("", []):
        return "—"
    if isinstance(value, list):
        return "; ".join(shown_value(v) for v in value)
    if isinstance(value, str) and value in Status.__members__.values():
        return label(Status(value))
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return str(value)


@dataclass(frozen=True)
class ShownChange:
    """A field's change in words. For a long text, only the part that differs is in `old` and
    `new`, between a little of the text they share (`before`, `after`)."""

    field: str
    old: str
    new: str
    before: str = ""
    after: str = ""

    @property
    def inline(self) -> bool:
        return bool(self.before or self.after)


def shown_changes(changes: dict[str, list[Any]]) -> list[ShownChange]:
    """Each change of a preview (field → [old, new]) as the page shows it."""
    shown = []
    for name, (old, new) in changes.items():
        title = str(FIELD_LABELS.get(name, name))
        old_text, new_text = shown_value(old), shown_value(new)
        if min(len(old_text), len(new_text)) < LONG:
            shown.append(ShownChange(title, old_text, new_text))
            continue
        start = len(os.path.commonprefix([old_text, new_text]))
        tail = os.path.commonprefix([old_text[start:][::-1], new_text[start:][::-1]])
        end = len(tail)
        before = old_text[:start]
        after = old_text[len(old_text) - end :] if end else ""
        shown.append(
            ShownChange(
                title,
                old_text[start : len(old_text) - end],
                new_text[start : len(new_text) - end],
                before=("…" + before[-CONTEXT:]) if len(before) > CONTEXT else before,
                after=(after[:CONTEXT] + "…") if len(after) > CONTEXT else after,
            )
        )
    return shown


def kind_label(kind: str) -> str:
    """A proposed agency's kind in words."""
    return label(AgencyKind(kind)) if kind in AgencyKind.__members__.values() else kind


def result_messages(result: ImportResult) -> list[tuple[str, str]]:
    """The flash messages saying what a confirmed import wrote."""
    messages = [
        (
            _(
                "Import confirmed: %(created)d task(s) created, %(updated)d updated, "
                "%(unchanged)d unchanged, %(skipped)d skipped.",
                created=len(result.created),
                updated=len(result.updated),
                unchanged=result.unchanged,
                skipped=result.skipped,
            ),
            "success",
        )
    ]
    if result.progress_created or result.progress_updated:
        messages.append(
            (
                _(
                    "Progress reports: %(created)d created, %(updated)d updated.",
                    created=result.progress_created,
                    updated=result.progress_updated,
                ),
                "info",
            )
        )
    if result.agencies_created:
        names = "; ".join(result.agencies_created)
        messages.append((_("New agencies created: %(names)s.", names=names), "info"))
    if result.updated:
        changed = [
            _(
                "“%(title)s” (%(fields)s)",
                title=entry["title"][:80],
                fields=", ".join(str(FIELD_LABELS.get(f, f)) for f in entry["changes"]),
            )
            for entry in result.updated[:LISTED]
        ]
        more = len(result.updated) - LISTED
        if more > 0:
            changed.append(_("%(count)d more", count=more))
        messages.append((_("Changed: %(tasks)s.", tasks="; ".join(changed)), "info"))
    return messages
