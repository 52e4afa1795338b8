"""Search across directives, tasks and agencies on their folded `search_key` columns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Integer, Select, cast, func, select
from sqlalchemy.orm import Session, selectinload

from app.agencies.models import Agency
from app.auth.models import User
from app.directives.models import Directive
from app.pagination import Listed, Page
from app.search.highlight import query_words
from app.tasks.models import Task
from app.tasks.services import visible_tasks

PER_PAGE = 20
# A query is typed into a box: past this many words it is pasted text, not a search.
MAX_WORDS = 12
GROUPS = ("directives", "tasks", "agencies")


def _no_results() -> Page:
    return Listed(page=1, per_page=PER_PAGE, items=[], total=0)


@dataclass(frozen=True)
class SearchResults:
    """The three groups of results for one query, a page of each."""

    query: str
    words: list[str]
    directives: Page = field(default_factory=_no_results)
    tasks: Page = field(default_factory=_no_results)
    agencies: Page = field(default_factory=_no_results)

    @property
    def total(self) -> int:
        return self.directives.total + self.tasks.total + self.agencies.total


def _every_word(statement: Select[Any], column: Any, words: list[str]) -> Select[Any]:
    for word in words:
        statement = statement.where(column.contains(word, autoescape=True))
    return statement


def _page(session: Session, statement: Select[Any], page: int, per_page: int) -> Page:
    """A page of `statement`; past the end (a stale link) the last page."""
    return Page(page=page, per_page=per_page, last_past_end=True, session=session, select=statement)


def directive_matches(words: list[str]) -> Select[tuple[Directive]]:
    """Live directives whose folded text holds every word, newest first."""
    statement = select(Directive).where(Directive.deleted_at.is_(None))
    statement = _every_word(statement, Directive.search_key, words)
    return statement.order_by(Directive.issued_on.desc().nulls_last(), Directive.id.desc())


def task_matches(actor: User, words: list[str]) -> Select[tuple[Task]]:
    """Tasks the actor may see whose folded text holds every word, grouped by directive
    (newest directive first) in document order."""
    statement = _every_word(visible_tasks(actor), Task.search_key, words)
    return (
        statement.join(Task.directive)
        .options(selectinload(Task.directive), selectinload(Task.lead_agency))
        .order_by(
            Directive.issued_on.desc().nulls_last(), Directive.id.desc(), Task.position, Task.id
        )
    )


class _TaskPage(Page):
    """One page of `task_matches`, reading the tasks' text once.

    Every task is read to match the words; that one reading counts the matches of each
    directive (a few dozen numbers). They give the total and, the directive being the list's
    first sort key, the directives the page spans; only those directives' matching tasks are
    then read in order, up to the page's last, and loaded by id. A window count over the
    matches made the database keep and sort every one of them (12,000 for "chuyển đổi số")
    to show twenty; `_page` reads every task twice, then sorts whole rows."""

    def _query_items(self) -> list[Any]:
        session, actor, words = self._session, self._query_args["actor"], self._query_args["words"]
        matches = _every_word(visible_tasks(actor), Task.search_key, words)
        # Grouped by the column itself, SQLite (without statistics) reads the tasks in
        # directive order from ix_tasks_list and fetches every row to match it, twice as long
        # as matching them in the narrow copy ix_tasks_search_scan; grouped by an expression,
        # it does that.
        directive = cast(Task.directive_id, Integer)
        per_directive: dict[int, int] = {
            directive_id: count
            for directive_id, count in session.execute(
                matches.with_only_columns(directive, func.count()).group_by(directive)
            )
        }
        self._counted_first(sum(per_directive.values()))
        if not self._counted:
            return []
        directives = session.scalars(
            select(Directive.id)
            .where(Directive.id.in_(per_directive))
            .order_by(Directive.issued_on.desc().nulls_last(), Directive.id.desc())
        )
        ids: list[int] = []
        skip = self._query_offset  # matches before the page, in list order
        for directive_id in directives:
            count = per_directive[directive_id]
            if skip >= count:
                skip -= count
                continue
            ids += session.scalars(
                matches.with_only_columns(Task.id)
                .where(Task.directive_id == directive_id)
                .order_by(Task.position, Task.id)
                .limit(self.per_page - len(ids))
                .offset(skip)
            )
            skip = 0
            if len(ids) == self.per_page:
                break
        loaded = {
            task.id: task
            for task in session.scalars(task_matches(actor, words).where(Task.id.in_(ids)))
        }
        return [loaded[i] for i in ids]


def _task_page(session: Session, actor: User, words: list[str], page: int, per_page: int) -> Page:
    return _TaskPage(page=page, per_page=per_page, session=session, actor=actor, words=words)


def agency_matches(words: list[str]) -> Select[tuple[Agency]]:
    """Active agencies whose name, short name or an alias holds every word, by name."""
    statement = select(Agency).where(Agency.active.is_(True))
    statement = _every_word(statement, Agency.search_key, words)
    return statement.options(selectinload(Agency.aliases)).order_by(Agency.name, Agency.id)


def search(
    session: Session,
    actor: User,
    query: str,
    *,
    pages: dict[str, int] | None = None,
    per_page: int = PER_PAGE,
) -> SearchResults:
    """Every word of `query` must match (diacritic-insensitively); an empty query finds nothing."""
    words = query_words(query)[:MAX_WORDS]
    if not words:
        return SearchResults(query=query, words=[])
    pages = pages or {}
    return SearchResults(
        query=query,
        words=words,
        directives=_page(session, directive_matches(words), pages.get("directives", 1), per_page),
        tasks=_task_page(session, actor, words, pages.get("tasks", 1), per_page),
        agencies=_page(session, agency_matches(words), pages.get("agencies", 1), per_page),
    )
