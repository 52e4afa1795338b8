"""Helpers shared by the API routes: pages of results and documented error responses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Select, func, select

from app.extensions import db

F = Callable[..., Any]


def page_of(statement: Select[Any], args: dict[str, Any], *, rows: bool = False) -> dict[str, Any]:
    """One page of `statement` with its totals (an empty page past the end, never an error).

    Items are the first column's objects, or whole rows with `rows`."""
    page, per_page = args["page"], args["per_page"]
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    limited = statement.limit(per_page).offset((page - 1) * per_page)
    result = db.session.execute(limited)
    items = list(result.all() if rows else result.scalars().unique())
    total = total or 0
    return {
        "items": items,
        "page": page,
        "per_page": per_page,
        "total": total,
        "pages": -(-total // per_page),
    }


def documented_errors(*codes: int) -> Callable[[F], F]:
    """Declare the error statuses a route answers with, all in the one error shape."""
    from app.api import blp
    from app.api.schemas import ErrorOut

    def decorate(view: F) -> F:
        for code in sorted({401, 403, *codes}, reverse=True):
            view = blp.alt_response(code, schema=ErrorOut, description=_DESCRIPTIONS[code])(view)
        return view

    return decorate


_DESCRIPTIONS = {
    400: "Malformed request",
    401: "No valid token or session",
    403: "Not allowed for this user or token",
    404: "Not found, or not visible to this user",
    412: "If-Match does not match the task's current ETag",
    422: "Invalid input",
    428: "If-Match header missing",
    429: "Too many calls for this token",
}
