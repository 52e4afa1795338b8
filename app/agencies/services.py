"""Agency lookup by any of the ways it is written, and agency administration."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.agencies.models import Agency, AgencyAlias, AgencyKind
from app.auth.models import Role, User
from app.errors import NotFound, ValidationFailed
from app.text import clean_multiline, fold, nfc

ALIAS_MAX = 255


def agency_index(session: Session) -> dict[str, Agency]:
    """Folded name, short name and every alias → agency (the table is small: one query)."""
    index: dict[str, Agency] = {}
    agencies = session.scalars(select(Agency).options(selectinload(Agency.aliases)))
    for agency in agencies:
        for written in (agency.name, agency.short_name, *(a.alias for a in agency.aliases)):
            if written:
                index.setdefault(fold(written), agency)
    return index


def resolve_agency(session: Session, written: str) -> Agency | None:
    """The agency written as `written` (name, short name or alias, any case or accents)."""
    return agency_index(session).get(fold(written))


def search_agencies(
    session: Session, query: str, limit: int | None = 20, *, include_inactive: bool = False
) -> list[Agency]:
    """Agencies (active only unless asked) whose folded name, short name or alias holds every
    query word; `limit=None` returns them all."""
    statement = select(Agency).order_by(Agency.name)
    if not include_inactive:
        statement = statement.where(Agency.active.is_(True))
    if limit is not None:
        statement = statement.limit(limit)
    for word in fold(query).split():
        statement = statement.where(Agency.search_key.contains(word, autoescape=True))
    return list(session.scalars(statement))


def matching_alias(agency: Agency, query: str) -> str | None:
    """The alias that made `agency` match `query` when its name and short name do not."""
    words = fold(query).split()
    if not words:
        return None

    def matches(text: str | None) -> bool:
        return bool(text) and all(word in fold(text) for word in words)

    if matches(agency.name) or matches(agency.short_name):
        return None
    return next((a.alias for a in agency.aliases if matches(a.alias)), None)


def get_agency(session: Session, agency_id: int) -> Agency:
    """The agency with this id, or NotFound."""
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise NotFound()
    return agency


def leaders(session: Session) -> list[User]:
    """Active users with role leader: who may supervise an agency."""
    statement = (
        select(User)
        .where(User.role == Role.LEADER, User.active.is_(True))
        .order_by(User.full_name, User.username)
    )
    return list(session.scalars(statement))


def parse_aliases(text: str | None) -> list[str]:
    """One alias per non-blank line, trimmed, in the order written."""
    return [line.strip() for line in (clean_multiline(text) or "").splitlines() if line.strip()]


@dataclass(frozen=True)
class AgencyInput:
    """What the administrator typed into the agency form."""

    name: str
    short_name: str | None = None
    kind: AgencyKind = AgencyKind.OTHER
    aliases: tuple[str, ...] = ()
    email: str | None = None
    supervisor_id: int | None = None


def _distinct_aliases(name: str, aliases: tuple[str, ...]) -> list[str]:
    """Aliases minus repeats of one another or of the name (compared folded)."""
    seen = {fold(name)}
    kept: list[str] = []
    for alias in aliases:
        alias = nfc(alias.strip()) or ""
        if alias and fold(alias) not in seen:
            seen.add(fold(alias))
            kept.append(alias)
    return kept


def _others_index(session: Session, agency: Agency | None) -> dict[str, Agency]:
    """How every other agency is written (folded) → that agency."""
    return {
        key: other
        for key, other in agency_index(session).items()
        if agency is None or other.id != agency.id
    }


def _check(
    session: Session, data: AgencyInput, aliases: list[str], agency: Agency | None
) -> dict[str, list[str]]:
    reasons: dict[str, list[str]] = {}
    others = _others_index(session, agency)
    name = data.name.strip()
    if not name:
        reasons["name"] = [_("A name is required.")]
    elif fold(name) in others:
        reasons["name"] = [
            _("This name is already used by %(agency)s.", agency=others[fold(name)].name)
        ]
    short_name = (data.short_name or "").strip()
    if short_name and fold(short_name) in others:
        reasons["short_name"] = [
            _(
                "This short name is already used by %(agency)s.",
                agency=others[fold(short_name)].name,
            )
        ]
    for alias in aliases:
        owner = others.get(fold(alias))
        if len(alias) > ALIAS_MAX:
            reasons.setdefault("aliases", []).append(
                _("Each line may have at most %(n)d characters.", n=ALIAS_MAX)
            )
        elif owner is not None:
            reasons.setdefault("aliases", []).append(
                _("“%(alias)s” is already used by %(agency)s.", alias=alias, agency=owner.name)
            )
    if data.supervisor_id is not None:
        supervisor = session.get(User, data.supervisor_id)
        if supervisor is None or supervisor.role != Role.LEADER or not supervisor.active:
            reasons["supervisor_id"] = [_("The supervisor must be an active leader.")]
    return reasons


def _sync_aliases(agency: Agency, aliases: list[str]) -> None:
    """Add new aliases, drop removed ones, respell kept ones: rows keyed by their folded text."""
    wanted = {fold(alias): alias for alias in aliases}
    for row in list(agency.aliases):
        if row.alias_key not in wanted:
            agency.aliases.remove(row)
        elif row.alias != wanted[row.alias_key]:
            row.alias = wanted[row.alias_key]
    have = {row.alias_key for row in agency.aliases}
    for key, alias in wanted.items():
        if key not in have:
            agency.aliases.append(AgencyAlias(alias))


def save_agency(session: Session, *, data: AgencyInput, agency: Agency | None = None) -> Agency:
    """Create or edit an agency: every way it is written must be free among other agencies."""
    aliases = _distinct_aliases(data.name, data.aliases)
    reasons = _check(session, data, aliases, agency)
    if reasons:
        raise ValidationFailed(reasons)
    if agency is None:
        agency = Agency(name=data.name.strip())
        session.add(agency)
    agency.name = data.name.strip()
    agency.short_name = (data.short_name or "").strip() or None
    agency.kind = data.kind
    agency.email = (data.email or "").strip() or None
    agency.supervisor_id = data.supervisor_id
    _sync_aliases(agency, aliases)
    session.flush()
    return agency


def set_agency_active(session: Session, agency: Agency, active: bool) -> None:
    """Deactivate (hidden from pickers and new assignments) or reactivate an agency."""
    agency.active = active
    session.flush()
