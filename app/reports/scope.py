"""What a report covers: some directives, one lead agency, both, or every task; and how
Vietnamese reports name it ("Nghị quyết số 131/NQ-CP ngày 06 tháng 10 năm 2022 của Chính phủ")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.agencies.models import Agency
from app.directives.models import Directive, DirectiveKind
from app.errors import ValidationFailed

# How a document names each kind of directive ("Nghị quyết số …").
KIND_NAMES = {
    DirectiveKind.RESOLUTION: "Nghị quyết",
    DirectiveKind.DECISION: "Quyết định",
    DirectiveKind.DIRECTIVE: "Chỉ thị",
    DirectiveKind.OFFICIAL_LETTER: "Công văn",
    DirectiveKind.PLAN: "Kế hoạch",
    DirectiveKind.CONCLUSION: "Thông báo",
    DirectiveKind.OTHER: "Văn bản",
}
MAX_DIRECTIVES = 200


@dataclass(frozen=True)
class Scope:
    """The report's tasks: those of `directive_ids` (any when empty), led by `agency_id`
    (any when None)."""

    directive_ids: tuple[int, ...] = ()
    agency_id: int | None = None

    @property
    def key(self) -> str:
        parts = []
        if self.directive_ids:
            parts.append("d:" + ",".join(str(i) for i in sorted(set(self.directive_ids))))
        if self.agency_id is not None:
            parts.append(f"a:{self.agency_id}")
        return "|".join(parts) or "all"


@dataclass(frozen=True)
class ResolvedScope:
    """A scope with its rows loaded, in report order (directives by date of issue)."""

    scope: Scope
    directives: tuple[Directive, ...]
    agency: Agency | None

    @property
    def directive_ids(self) -> tuple[int, ...]:
        return tuple(d.id for d in self.directives)

    def short(self) -> str:
        """ "Nghị quyết số 131/NQ-CP", or "các văn bản chỉ đạo" for no particular directive."""
        if not self.directives:
            return "các văn bản chỉ đạo"
        return _join([directive_short(d) for d in self.directives])

    def citation(self) -> str:
        if not self.directives:
            return "các văn bản chỉ đạo"
        return _join([directive_citation(d) for d in self.directives])

    def label(self) -> str:
        """One line for the archive: "131/NQ-CP · Sở Tài chính"."""
        parts = [d.label for d in self.directives]
        if self.agency is not None:
            parts.append(self.agency.name)
        return " · ".join(parts) or "Tất cả nhiệm vụ"


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " và " + items[-1]


def _date_words(day: date) -> str:
    return f"ngày {day:%d} tháng {day:%m} năm {day.year}"


def directive_short(directive: Directive) -> str:
    name = KIND_NAMES.get(directive.kind, "Văn bản")
    if directive.number:
        return f"{name} số {directive.number}"
    if directive.issued_on:
        return f"{name} {_date_words(directive.issued_on)}"
    summary = directive.summary if len(directive.summary) <= 100 else directive.summary[:99] + "…"
    return f"{name} {summary}"


def directive_citation(directive: Directive) -> str:
    """The way a letter cites it: kind, number, date of issue and issuer."""
    text = directive_short(directive)
    if directive.number and directive.issued_on:
        text += f" {_date_words(directive.issued_on)}"
    if directive.issuer:
        text += f" của {directive.issuer}"
    return text


def resolve_scope(session: Session, scope: Scope) -> ResolvedScope:
    """Load the scope's directives and agency; ValidationFailed if one does not exist."""
    reasons: dict[str, list[str]] = {}
    ids = tuple(dict.fromkeys(scope.directive_ids))
    directives: list[Directive] = []
    if len(ids) > MAX_DIRECTIVES:
        reasons["directives"] = [_("Choose at most %(n)d directives.", n=MAX_DIRECTIVES)]
    elif ids:
        directives = list(
            session.scalars(
                select(Directive)
                .where(Directive.id.in_(ids), Directive.deleted_at.is_(None))
                .order_by(Directive.issued_on.is_(None), Directive.issued_on, Directive.id)
            )
        )
        if len(directives) != len(ids):
            reasons["directives"] = [_("The chosen directive does not exist or has been deleted.")]
    agency = None
    if scope.agency_id is not None:
        agency = session.get(Agency, scope.agency_id)
        if agency is None:
            reasons["agency"] = [_("The chosen agency does not exist.")]
    if reasons:
        raise ValidationFailed(reasons)
    return ResolvedScope(Scope(ids, scope.agency_id), tuple(directives), agency)
