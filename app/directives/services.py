"""Directive queries, and the office's edits: directives, their sections, delete and restore."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.audit import AuditEntry
from app.directives.models import Directive, DirectiveKind, Section
from app.errors import NotFound, ValidationFailed
from app.text import fold

Fail = Callable[[str, str], None]


def get_directive(session: Session, directive_id: int) -> Directive:
    """The live directive with this id, else NotFound."""
    directive = session.get(Directive, directive_id)
    if directive is None or directive.deleted_at is not None:
        raise NotFound()
    return directive


def find_directive(session: Session, directive_id: int, *, include_deleted: bool) -> Directive:
    """The directive with this id; a soft-deleted one only when `include_deleted`."""
    if not include_deleted:
        return get_directive(session, directive_id)
    directive = session.get(Directive, directive_id)
    if directive is None:
        raise NotFound()
    return directive


def directive_journal(session: Session, directive: Directive) -> list[AuditEntry]:
    """The directive's journal entries, newest first."""
    statement = (
        select(AuditEntry)
        .where(AuditEntry.entity_type == "Directive", AuditEntry.entity_id == directive.id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    return list(session.scalars(statement))


# Directives ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DirectiveInput:
    """What an office user enters for a directive (already shaped by the form)."""

    kind: DirectiveKind
    summary: str
    number: str | None = None
    issued_on: date | None = None
    issuer: str | None = None
    signer: str | None = None
    signer_title: str | None = None
    full_text: str | None = None
    implements_id: int | None = None


def _blank_to_none(value: str | None) -> str | None:
    return value.strip() or None if value else None


def _implementers_of(session: Session, directive: Directive | None) -> set[int]:
    """Ids of every directive that implements `directive`, directly or through others
    (deleted ones included: restoring one must not close a loop)."""
    if directive is None or directive.id is None:
        return set()
    links = session.execute(select(Directive.id, Directive.implements_id)).all()
    children: dict[int, list[int]] = {}
    for child, parent in links:
        if parent is not None:
            children.setdefault(parent, []).append(child)
    found: set[int] = set()
    stack = [directive.id]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def implements_candidates(session: Session, directive: Directive | None) -> list[Directive]:
    """Live directives `directive` may implement: never itself, nor one implementing it."""
    excluded = _implementers_of(session, directive)
    if directive is not None and directive.id is not None:
        excluded.add(directive.id)
    statement = (
        select(Directive)
        .where(Directive.deleted_at.is_(None))
        .order_by(Directive.issued_on.desc().nulls_last(), Directive.number, Directive.id)
    )
    return [d for d in session.scalars(statement) if d.id not in excluded]


def _same_number(session: Session, number: str, directive: Directive | None) -> Directive | None:
    """Another directive (deleted or not) printed with this number, ignoring case and accents."""
    wanted = fold(number)
    candidates = session.scalars(
        select(Directive).where(Directive.search_key.contains(wanted, autoescape=True))
    )
    for other in candidates:
        if other is not directive and other.number and fold(other.number) == wanted:
            return other
    return None


def _describe(directive: Directive) -> str:
    summary = directive.summary if len(directive.summary) <= 80 else directive.summary[:79] + "…"
    dated = f", {directive.issued_on:%d/%m/%Y}" if directive.issued_on else ""
    return f"{directive.number}{dated} — {summary}"


def _check_number(
    session: Session, number: str | None, directive: Directive | None, fail: Fail
) -> None:
    if not number:
        return
    other = _same_number(session, number, directive)
    if other is None:
        return
    if other.deleted_at is not None:
        fail(
            "number",
            _(
                "This number is already used by the deleted directive %(directive)s; "
                "restore it instead.",
                directive=_describe(other),
            ),
        )
    else:
        fail(
            "number", _("This number is already used by %(directive)s.", directive=_describe(other))
        )


def _check_implements(
    session: Session, implements_id: int | None, directive: Directive | None, fail: Fail
) -> None:
    if implements_id is None:
        return
    if directive is not None and implements_id == directive.id:
        fail("implements_id", _("A directive cannot implement itself."))
        return
    target = session.get(Directive, implements_id)
    if target is None:
        fail("implements_id", _("Choose an existing directive."))
        return
    unchanged = directive is not None and directive.implements_id == implements_id
    if target.deleted_at is not None and not unchanged:
        fail("implements_id", _("Choose a directive that has not been deleted."))
    if implements_id in _implementers_of(session, directive):
        fail(
            "implements_id",
            _(
                "%(directive)s already implements this directive (directly or through others): "
                "choosing it would make a loop.",
                directive=target.label,
            ),
        )


def _check_directive_input(
    session: Session, directive: Directive | None, data: DirectiveInput, today: date
) -> dict[str, list[str]]:
    reasons: dict[str, list[str]] = {}

    def fail(field: str, message: str) -> None:
        reasons.setdefault(field, []).append(message)

    if not data.summary.strip():
        fail("summary", _("A subject is required."))
    if data.issued_on is not None and data.issued_on > today:
        fail("issued_on", _("The issue date cannot be in the future."))
    _check_number(session, _blank_to_none(data.number), directive, fail)
    _check_implements(session, data.implements_id, directive, fail)
    return reasons


def save_directive(
    session: Session, *, data: DirectiveInput, today: date, directive: Directive | None = None
) -> Directive:
    """Create (directive None) or update a directive after checking every rule."""
    reasons = _check_directive_input(session, directive, data, today)
    if reasons:
        raise ValidationFailed(reasons)
    if directive is None:
        directive = Directive(kind=data.kind, summary=data.summary.strip())
        session.add(directive)
    values = {
        "kind": data.kind,
        "number": _blank_to_none(data.number),
        "issued_on": data.issued_on,
        "issuer": _blank_to_none(data.issuer),
        "summary": data.summary.strip(),
        "signer": _blank_to_none(data.signer),
        "signer_title": _blank_to_none(data.signer_title),
        "full_text": _blank_to_none(data.full_text),
        "implements_id": data.implements_id,
    }
    for name, value in values.items():
        if getattr(directive, name) != value:
            setattr(directive, name, value)
    try:
        session.flush()
    except IntegrityError as error:  # a concurrent save took the number between check and flush
        raise ValidationFailed({"number": [_("This number is already used.")]}) from error
    return directive


def delete_directive(session: Session, directive: Directive, *, now: datetime) -> None:
    """Soft-delete the directive; its tasks and sections are left as they are."""
    if directive.deleted_at is None:
        directive.deleted_at = now
        session.flush()


def restore_directive(session: Session, directive: Directive) -> None:
    """Bring a soft-deleted directive back."""
    if directive.deleted_at is not None:
        directive.deleted_at = None
        session.flush()


# Sections -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionInput:
    """A section's number ("II"), title, and 1-based place among the directive's sections."""

    number: str
    title: str
    order: int | None = None


def ordered_sections(directive: Directive) -> list[Section]:
    """The directive's sections in their order (the loaded list may be stale after a move)."""
    return sorted(directive.sections, key=lambda s: (s.position, s.id or 0))


def _check_section(
    directive: Directive, section: Section | None, data: SectionInput
) -> dict[str, list[str]]:
    reasons: dict[str, list[str]] = {}
    if not data.number.strip():
        reasons.setdefault("number", []).append(_("A section number is required."))
    if not data.title.strip():
        reasons.setdefault("title", []).append(_("A section title is required."))
    wanted = fold(data.number)
    for other in directive.sections:
        if other is not section and wanted and fold(other.number) == wanted:
            reasons.setdefault("number", []).append(
                _("This directive already has a section %(number)s.", number=other.number)
            )
    return reasons


def _place(directive: Directive, section: Section, order: int | None) -> None:
    """Move `section` to the 1-based place `order` (the end when None) and renumber the rest,
    touching only the positions that change."""
    others = [s for s in ordered_sections(directive) if s is not section]
    index = len(others) if order is None else min(max(order - 1, 0), len(others))
    others.insert(index, section)
    for position, item in enumerate(others):
        if item.position != position:
            item.position = position


def add_section(session: Session, directive: Directive, data: SectionInput) -> Section:
    """Add a section to the directive, at `data.order` or at the end."""
    reasons = _check_section(directive, None, data)
    if reasons:
        raise ValidationFailed(reasons)
    section = Section(number=data.number.strip(), title=data.title.strip(), position=0)
    _place(directive, section, data.order)
    directive.sections.append(section)
    session.flush()
    return section


def update_section(
    session: Session, directive: Directive, section: Section, data: SectionInput
) -> Section:
    """Rename, renumber or move a section."""
    reasons = _check_section(directive, section, data)
    if reasons:
        raise ValidationFailed(reasons)
    if section.number != data.number.strip():
        section.number = data.number.strip()
    if section.title != data.title.strip():
        section.title = data.title.strip()
    if data.order is not None:
        _place(directive, section, data.order)
    session.flush()
    return section


def remove_section(session: Session, directive: Directive, section: Section) -> None:
    """Remove a section and renumber the rest. No task may point at it any more: the tasks'
    side (`app.tasks.directive_tasks.delete_section`) checks and releases them first."""
    directive.sections.remove(section)
    session.flush()
    for position, item in enumerate(ordered_sections(directive)):
        if item.position != position:
            item.position = position
    session.flush()
