"""Figures for the chairperson: standing counts per agency, and the checks of the filters.

Every page is a bounded number of SQL statements whatever the number of tasks or agencies:
the counts are one grouped statement, names one more. The overdue and upcoming lists it shows
are the tasks' own queries (`app.tasks.lists`), which the reports print too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from app.agencies.models import Agency
from app.auth.models import Role, User
from app.directives.models import Directive
from app.tasks.standing import (
    Standing,
    StandingCounts,
    StandingFilters,
    cached_count_standings,
)

UPCOMING_WINDOWS = (7, 30)

# --- the dashboard -----------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardFilters:
    """What the dashboard's counts are narrowed by."""

    directive_ids: tuple[int, ...] = ()
    leader_id: int | None = None  # the vice-chair overseeing the lead agencies
    due_from: date | None = None
    due_to: date | None = None


@dataclass
class AgencyRow:
    """One lead agency's counts (agency_id None: tasks without a lead agency)."""

    agency_id: int | None
    name: str | None
    supervisor_name: str | None
    supervised: bool  # overseen by the vice-chair looking at the page
    counts: StandingCounts


@dataclass
class Dashboard:
    """The per-agency rows in display order, and the overall counts."""

    rows: list[AgencyRow]
    total: StandingCounts

    def chart_data(
        self, colours: dict[Standing, str], names: dict[Standing, str], no_agency: str
    ) -> dict[str, Any]:
        """Labels and the four datasets for the stacked bar chart, in the table's order."""
        four = (Standing.DONE_ON_TIME, Standing.DONE_LATE, Standing.ON_TRACK, Standing.OVERDUE)
        return {
            "labels": [row.name or no_agency for row in self.rows],
            "datasets": [
                {
                    "key": standing.value,
                    "label": names[standing],
                    "colour": colours[standing],
                    "data": [row.counts.counts[standing] for row in self.rows],
                }
                for standing in four
            ],
        }


SORT_KEYS: dict[str, Callable[[AgencyRow], Any]] = {
    "agency": lambda row: (row.name or "").casefold(),
    **{
        standing.value: (lambda row, s=standing: row.counts.counts[s])  # type: ignore[misc]
        for standing in Standing
    },
    "total": lambda row: row.counts.total,
    "percent": lambda row: row.counts.on_time_percent,
}
DEFAULT_SORT = Standing.OVERDUE.value


def _sort_rows(rows: list[AgencyRow], sort: str, descending: bool) -> list[AgencyRow]:
    key = SORT_KEYS.get(sort, SORT_KEYS[DEFAULT_SORT])
    # Ties and the row without an agency keep a stable, readable order: by name, unnamed last.
    rows = sorted(rows, key=lambda row: (row.name is None, (row.name or "").casefold()))
    known = [row for row in rows if key(row) is not None]
    unknown = [row for row in rows if key(row) is None]  # no percentage: always at the end
    known.sort(key=key, reverse=descending)
    ordered = known + unknown
    # The vice-chair's own agencies come first, whatever the column sorted on.
    return [row for row in ordered if row.supervised] + [
        row for row in ordered if not row.supervised
    ]


def standing_dashboard(
    session: Session,
    actor: User,
    today: date,
    filters: DashboardFilters,
    *,
    sort: str = DEFAULT_SORT,
    descending: bool = True,
) -> Dashboard:
    """Standing counts overall and per lead agency, sorted; a vice-chair's agencies first."""
    counts = cached_count_standings(
        session,
        today,
        StandingFilters(
            directive_ids=filters.directive_ids,
            agency_supervisor_id=filters.leader_id,
            due_from=filters.due_from,
            due_to=filters.due_to,
        ),
    )
    supervisor = aliased(User)
    ids = [agency_id for agency_id in counts if agency_id is not None]
    agencies = {
        row.id: row
        for row in session.execute(
            select(Agency.id, Agency.name, Agency.supervisor_id, supervisor.full_name)
            .outerjoin(supervisor, supervisor.id == Agency.supervisor_id)
            .where(Agency.id.in_(ids))
        )
    }
    is_leader = actor.role == Role.LEADER
    rows = []
    total = StandingCounts()
    for agency_id, agency_counts in counts.items():
        for standing, number in agency_counts.counts.items():
            total.counts[standing] += number
        agency = agencies.get(agency_id) if agency_id is not None else None
        rows.append(
            AgencyRow(
                agency_id=agency_id,
                name=agency.name if agency else None,
                supervisor_name=agency.full_name if agency else None,
                supervised=bool(is_leader and agency and agency.supervisor_id == actor.id),
                counts=agency_counts,
            )
        )
    return Dashboard(rows=_sort_rows(rows, sort, descending), total=total)


def unknown_filters(
    session: Session,
    *,
    directive_ids: tuple[int, ...] = (),
    leader_id: int | None = None,
    agency_id: int | None = None,
) -> set[str]:
    """The filters naming nothing one could pick: "directive", "leader" and/or "agency"."""
    unknown = set()
    if directive_ids:
        live = select(func.count()).where(
            Directive.id.in_(directive_ids), Directive.deleted_at.is_(None)
        )
        if session.scalar(live) != len(set(directive_ids)):
            unknown.add("directive")
    if leader_id is not None:
        leader = select(User.id).where(User.id == leader_id, User.role == Role.LEADER)
        if session.scalar(leader) is None:
            unknown.add("leader")
    if agency_id is not None and session.get(Agency, agency_id) is None:
        unknown.add("agency")
    return unknown
