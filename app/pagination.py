"""One way to paginate a list page: the page number read leniently, bounded, counted in SQL."""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from app.extensions import db
from app.forms import parse_id

#: Far beyond any real list; keeps OFFSET within what every database accepts.
MAX_PAGE = 10_000


def page_number() -> int:
    """`?page=` as a number from 1 to MAX_PAGE; anything else is page 1."""
    return min(parse_id(request.args.get("page")) or 1, MAX_PAGE)


def paginate(statement: Select[Any], per_page: int | None = None) -> Pagination:
    """A page of `statement` (an empty page past the end, never an error)."""
    return db.paginate(
        statement,
        page=page_number(),
        per_page=per_page or current_app.config["PAGE_SIZE"],
        max_per_page=None,
        error_out=False,
        count=True,
    )
