"""API fixtures: users of every role, their tokens, and a client that sends them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from app.agencies.models import Agency
from app.agencies.services import resolve_agency
from app.api import ratelimit
from app.api.models import TokenScope
from app.api.tokens import create_token
from app.auth.models import Role, User
from app.clock import now_utc
from app.tasks.models import Task

OWN = "Sở Thông tin và Truyền thông"
OTHER = "Sở Tài chính"


@dataclass
class Caller:
    """A user and the secret of a token of theirs."""

    user: User
    secret: str

    def headers(self, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secret}", **extra}


def make_token(db, user: User, scope: TokenScope = TokenScope.READ_WRITE, name: str = "t") -> str:
    made = create_token(db, user=user, name=name, scope=scope, now=now_utc())
    db.commit()
    return made.secret


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    ratelimit.reset()
    yield
    ratelimit.reset()


@pytest.fixture
def agencies(db) -> dict[str, Agency]:
    return {"own": resolve_agency(db, OWN), "other": resolve_agency(db, OTHER)}


@pytest.fixture
def callers(db, make_user, agencies) -> dict[str, Caller]:
    users = {
        "admin": make_user(Role.ADMIN, "a-admin"),
        "office": make_user(Role.OFFICE, "a-office"),
        "leader": make_user(Role.LEADER, "a-leader"),
        "own": make_user(Role.DEPARTMENT, "a-own", agencies["own"]),
        "other": make_user(Role.DEPARTMENT, "a-other", agencies["other"]),
    }
    return {role: Caller(user, make_token(db, user)) for role, user in users.items()}


@pytest.fixture
def own_task(db, agencies) -> Task:
    """A live, open, dated task led by Sở TT&TT, not involving Sở Tài chính."""
    return db.scalars(
        select(Task)
        .where(
            Task.lead_agency_id == agencies["own"].id,
            Task.deleted_at.is_(None),
            Task.status != "completed",
            ~Task.coordinators.any(Agency.id == agencies["other"].id),
        )
        .order_by(Task.id)
    ).first()


@pytest.fixture
def api(client: FlaskClient):
    """`api("GET", path, caller, **kwargs)` → response."""

    def call(method: str, path: str, caller: Caller | None = None, **kwargs: Any):
        headers = dict(kwargs.pop("headers", {}))
        if caller is not None:
            headers = caller.headers(**headers)
        return client.open(path, method=method, headers=headers, **kwargs)

    return call
