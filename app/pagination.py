"""One way to paginate a list page: the page number read leniently, bounded, counted in SQL."""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, select
from sqlalchemy.orm import InstrumentedAttribute

from app.extensions import db
from app.forms import parse_id

#: Far beyond any real list; keeps OFFSET within what every database accepts.
MAX_PAGE = 10_000


def page_number() -> int:
    """`?page=` as a number from 1 to MAX_PAGE; anything else is page 1."""
    return min(parse_id(request.args.get("page")) or 1, MAX_PAGE)


def paginate(
    statement: Select[Any],
    per_page: int | None = None,
    *,
    ids: InstrumentedAttribute[Any] | None = None,
) -> Pagination:
    """A page of `statement` (an empty page past the end, never an error).

    `ids`, the key of a list whose order no index gives (every match is sorted anyway): on
    PostgreSQL one statement then sorts the keys alone, the total riding on it as a window
    count, and the page's rows are loaded by key, instead of sorting whole rows and reading
    every match a second time to count them (a department's tasks: one scan of its 5,000
    tasks instead of two). SQLite keeps the two statements: asked for the keys alone, it
    reads a whole covering index rather than look the rows up (30 ms instead of 13)."""
    page, per_page = page_number(), per_page or current_app.config["PAGE_SIZE"]
    if ids is not None and db.session.get_bind().dialect.name == "postgresql":
        return _IdsPagination(
            page=page,
            per_page=per_page,
            max_per_page=None,
            error_out=False,
            count=True,
            select=statement,
            key=ids,
        )
    return db.paginate(
        statement, page=page, per_page=per_page, max_per_page=None, error_out=False, count=True
    )


class _IdsPagination(Pagination):
    """`paginate` by `ids`: see there."""

    _total: int | None = None

    def _query_items(self) -> list[Any]:
        statement: Select[Any] = self._query_args["select"]
        key: InstrumentedAttribute[Any] = self._query_args["key"]
        numbered = statement.with_only_columns(key, func.count().over().label("total"))
        rows = db.session.execute(numbered.limit(self.per_page).offset(self._query_offset)).all()
        if not rows:
            return []
        self._total = rows[0].total
        keys = [row[0] for row in rows]
        loaded = {
            getattr(item, key.key): item
            for item in db.session.scalars(statement.where(key.in_(keys)).order_by(None))
        }
        return [loaded[k] for k in keys]

    def _query_count(self) -> int:
        if self._total is not None:
            return self._total
        if self.page == 1:
            return 0
        # Past the end (a stale link): no row carried the window count.
        statement: Select[Any] = self._query_args["select"]
        counted = select(func.count()).select_from(statement.order_by(None).subquery())
        return db.session.scalar(counted) or 0
