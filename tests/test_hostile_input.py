"""No input produces a 500: every route of the permission matrix, fed hostile values.

For each POST route, as a role allowed to use it, every field of the route's sample data is
replaced in turn by NFD text, a 100,000-character string, markup and impossible dates; each
GET route gets the same values in its query string. The answer may be a refusal, never a
server error, and markup never comes back unescaped.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import parse_qsl

import pytest

from tests.conftest import csrf_token, login
from tests.test_permission_matrix import MATRIX, Case, world  # noqa: F401  (fixture)

SCRIPT = "<script>alert(1)</script>"
HOSTILE = [
    unicodedata.normalize("NFD", "Sở Thông tin và Truyền thông — Quý I năm 2024"),
    "Nội dung " * 12_500,  # 112,500 characters
    SCRIPT,
    "2024-02-30",
    "31/02/2024",
    "-1",
    "99999999999999999999",
    '=HYPERLINK("http://x")',
    "\x00",
    "",
]
QUERY_KEYS = ("q", "page", "directive", "agency", "standing", "period", "start", "end", "due")


def _allowed_role(case: Case) -> str | None:
    for role in ("office", "admin", "leader", "own", "other"):
        if case.expect[role] not in (403, 404):
            return role
    return None


POSTS = [c for c in MATRIX if c.method == "POST" and _allowed_role(c)]
GETS = [c for c in MATRIX if c.method == "GET" and _allowed_role(c)]


def _check(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code < 500, response.get_data()[:500]
    if response.mimetype == "text/html":
        assert SCRIPT not in response.get_data(as_text=True)


@pytest.mark.parametrize("case", POSTS, ids=[f"{c.endpoint}-POST" for c in POSTS])
def test_post_routes_survive_hostile_values(app, db, world, case):  # noqa: F811
    role = _allowed_role(case)
    client = app.test_client()
    logs_out = case.endpoint.startswith("auth.logout")
    login(client, world.users[role].username)
    sample = case.data(world) or {"value": "x"}
    for field in sample:
        for value in HOSTILE:
            if logs_out and client.get("/notifications/").status_code != 200:
                login(client, world.users[role].username)  # the previous POST logged out
            token = csrf_token(client, "/notifications/")
            data = {**sample, field: value, "unexpected": SCRIPT}
            _check(client.post(case.url(world), data={"csrf_token": token, **data}))


@pytest.mark.parametrize("case", GETS, ids=[f"{c.endpoint}-GET" for c in GETS])
def test_get_routes_survive_hostile_query_strings(app, db, world, case):  # noqa: F811
    role = _allowed_role(case)
    client = app.test_client()
    login(client, world.users[role].username)
    path, _, query = case.url(world).partition("?")
    fixed = dict(parse_qsl(query))
    for value in HOSTILE[:1] + HOSTILE[2:]:  # the long string is covered by the POSTs
        for key in QUERY_KEYS + tuple(fixed):
            _check(client.get(path, query_string={**fixed, key: value}))
