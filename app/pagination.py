"""One way to paginate a list: flask-sqlalchemy's `Pagination`, bounded and counted in SQL.

Every list hands its template (and the API its schema) a `Page`: the items, `page`,
`per_page`, `total`, `pages`, `first`, `last`, `has_prev`, `has_next` and `iter_pages()`.
The page number comes from the caller (a view reads it from the query string with
`app.forms.PageNumber`), so services build pages too without reading the request.
"""

from __future__ import annotations

from math import ceil
from typing import Any

from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.extensions import db

#: Far beyond any real list; keeps OFFSET within what every database accepts.
MAX_PAGE = 10_000


class Page(Pagination):
    """One page of a list; past the end (a stale link) an empty page, or with
    `last_past_end` the last one.

    Read from a statement (`select`): its first column's objects, or whole rows with
    `rows`; counted by a COUNT over it, or by the window count each row carries in the
    column named `total_column`. A list read another way (groups counted first, say)
    overrides `_query_items`, setting `self._counted` when it learns the total."""

    _counted: int | None = None  # the total, when the items brought it
    _windowed = False  # each row carries the total: an empty first page means none

    def __init__(self, *, page: int, per_page: int, last_past_end: bool = False, **query: Any):
        query.setdefault("session", db.session)
        super().__init__(
            page=page, per_page=per_page, max_per_page=None, error_out=False, count=True, **query
        )
        if last_past_end and not self.items and self.page > 1:
            self.page = max(self.pages, 1)
            if self.total:
                self.items = self._query_items()

    def _counted_first(self, total: int) -> None:
        """For a list that counts before it reads (`_query_items` of a subclass): the total
        is known, and a page past the end (a stale link) is the last one."""
        self._counted = total
        self.page = min(self.page, max(1, ceil(total / self.per_page)))

    @property
    def _session(self) -> Session:
        return self._query_args["session"]  # type: ignore[no-any-return]

    def _query_items(self) -> list[Any]:
        statement: Select[Any] = self._query_args["select"]
        result = self._session.execute(statement.limit(self.per_page).offset(self._query_offset))
        if self._query_args.get("rows"):
            items: list[Any] = list(result.all())
        else:
            items = list(result.unique().scalars())
        if column := self._query_args.get("total_column"):
            self._windowed = True
            if items:
                self._counted = getattr(items[0], column)
        return items

    def _query_count(self) -> int:
        if self._counted is not None:
            return self._counted
        if self._windowed and self.page == 1:
            return 0
        # Past the end (a stale link) no row carried a window count: count apart.
        statement: Select[Any] = self._query_args["select"]
        counted = select(func.count()).select_from(statement.order_by(None).subquery())
        return self._session.scalar(counted) or 0


class Listed(Page):
    """A page of items already at hand, and their total (an empty result, say)."""

    def _query_items(self) -> list[Any]:
        return list(self._query_args["items"])

    def _query_count(self) -> int:
        return int(self._query_args["total"])


def paginate(
    statement: Select[Any],
    *,
    page: int,
    per_page: int | None = None,
    ids: InstrumentedAttribute[Any] | None = None,
    **options: Any,
) -> Page:
    """A page of `statement` (`per_page` by default the PAGE_SIZE setting).

    `ids`, the key of a list whose order no index gives (every match is sorted anyway): on
    PostgreSQL one statement then sorts the keys alone, the total riding on it as a window
    count, and the page's rows are loaded by key, instead of sorting whole rows and reading
    every match a second time to count them (a department's tasks: one scan of its 5,000
    tasks instead of two). SQLite keeps the two statements: asked for the keys alone, it
    reads a whole covering index rather than look the rows up (30 ms instead of 13)."""
    per_page = per_page or current_app.config["PAGE_SIZE"]
    if ids is not None and db.session.get_bind().dialect.name == "postgresql":
        return _IdsPage(page=page, per_page=per_page, select=statement, key=ids, **options)
    return Page(page=page, per_page=per_page, select=statement, **options)


class _IdsPage(Page):
    """`paginate` by `ids`: see there."""

    _windowed = True

    def _query_items(self) -> list[Any]:
        statement: Select[Any] = self._query_args["select"]
        key: InstrumentedAttribute[Any] = self._query_args["key"]
        numbered = statement.with_only_columns(key, func.count().over().label("total"))
        rows = self._session.execute(numbered.limit(self.per_page).offset(self._query_offset)).all()
        if not rows:
            return []
        self._counted = rows[0].total
        keys = [row[0] for row in rows]
        loaded = {
            getattr(item, key.key): item
            for item in self._session.scalars(statement.where(key.in_(keys)).order_by(None))
        }
        return [loaded[k] for k in keys]
