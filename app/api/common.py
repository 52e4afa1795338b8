"""Helpers shared by the API routes: pages of results and documented error responses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Select

from app.pagination import Page, paginate

F = Callable[..., Any]


def page_of(statement: Select[Any], args: dict[str, Any], *, rows: bool = False) -> dict[str, Any]:
    """One page of `statement` with its totals (an empty page past the end, never an error).

    Items are the first column's objects, or whole rows with `rows`."""
    return page_body(paginate(statement, page=args["page"], per_page=args["per_page"], rows=rows))


def page_body(page: Page) -> dict[str, Any]:
    """A page as every list of the API answers it: items, page, per_page, total, pages."""
    return {
        "items": page.items,
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
        "pages": page.pages,
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
