"""Search across directives, tasks and agencies, with the matching words highlighted."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask_login import current_user

from app.auth.permissions import roles
from app.extensions import db
from app.forms import PageNumber, Text, query_args, read_query
from app.search.highlight import highlight, matches, snippet
from app.search.services import GROUPS, search

bp = Blueprint("search", __name__)
MAX_QUERY = 200


ARGS = query_args(
    q=Text(max_length=MAX_QUERY), **{f"{group}_page": PageNumber() for group in GROUPS}
)


@bp.route("/")
@roles()
def index():  # type: ignore[no-untyped-def]
    args = read_query(ARGS)
    query = args["q"]
    results = search(
        db.session, current_user, query, pages={group: args[f"{group}_page"] for group in GROUPS}
    )
    shown = {f"{group}_page": getattr(results, group).page for group in GROUPS}

    def page_url(group: str, page: int) -> str:
        """This search with one group moved to `page`, the others where they are."""
        args = {key: value for key, value in shown.items() if value > 1}
        args[f"{group}_page"] = page
        return url_for("search.index", q=query, **args, _anchor=group)

    return render_template(
        "search/index.html",
        query=query,
        results=results,
        page_url=page_url,
        # Mark what was searched for: the words kept after folding and the word limit.
        marked=" ".join(results.words),
        highlight=highlight,
        snippet=snippet,
        matches=matches,
    )
