"""Fixtures: one app per database (SQLite always, PostgreSQL when TEST_DATABASE_URL is set),
its schema built by the migrations and the real documents seeded once; each test then runs
inside a transaction that is rolled back. Here too, once each: logged-in clients, the frozen
clock; the small worlds of some packages' tests live in tests/fixtures/, registered below."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from freezegun import freeze_time
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, scoped_session, sessionmaker

from app import create_app
from app.audit import set_actor
from app.auth import models as auth_models
from app.auth.models import Role, User
from app.auth.services import create_user
from app.extensions import db as _db
from app.seed import SeedReport, load_seeds
from app.tasks.standing import clear_counts_cache
from tests.freeze import SEEDED_ON

PASSWORD = "correct horse battery"

pytest_plugins = ["tests.fixtures.dashboard", "tests.fixtures.reminders", "tests.fixtures.reports"]

# scrypt with a small work factor: the same code path as production (werkzeug's default
# scrypt parameters) at a fraction of the cost, so hundreds of logins stay fast.
auth_models.PASSWORD_METHOD = "scrypt:1024:8:1"
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def pytest_report_header(config: pytest.Config) -> str:
    if POSTGRES_URL:
        return "databases: sqlite, postgresql (TEST_DATABASE_URL)"
    return "databases: sqlite only (set TEST_DATABASE_URL to also run on PostgreSQL)"


def reset_postgres(url: str) -> None:
    """Empty the throw-away database: drop and recreate the public schema."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def make_app(url: str) -> Flask:
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-1234",
            "SERVER_NAME": "localhost",
        }
    )


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "postgresql":
        if not POSTGRES_URL:
            pytest.skip("PostgreSQL tests need TEST_DATABASE_URL (the CI script sets it)")
        reset_postgres(POSTGRES_URL)
        return POSTGRES_URL
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def seeded(database_url: str) -> Iterator[tuple[Flask, SeedReport]]:
    """The app on a migrated database holding the seeded documents (committed once)."""
    app = make_app(database_url)
    with app.app_context():
        upgrade()
        set_actor(_db.session, None, "test seed")
        report = load_seeds(_db.session, SEEDS, today=SEEDED_ON)
        _db.session.commit()
        _db.session.remove()
    yield app, report
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture
def app(seeded: tuple[Flask, SeedReport]) -> Flask:
    return seeded[0]


@pytest.fixture
def seed_report(seeded: tuple[Flask, SeedReport]) -> SeedReport:
    return seeded[1]


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    """The test's own session; requests get theirs. All share one connection whose outer
    transaction is rolled back after the test, so commits only release savepoints.

    No app context stays pushed during the test: requests made by the test client must each
    get a fresh one (and a fresh `g`), as in production."""
    with app.app_context():
        connection = _db.engine.connect()
    outer = connection.begin()
    factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
    original = _db.session
    _db.session = scoped_session(factory, scopefunc=original.registry.scopefunc)
    session = factory()
    try:
        yield session
    finally:
        session.close()
        _db.session = original
        outer.rollback()
        # The rollback can bring back a state of the tasks whose fingerprint a later test
        # reaches with other data (SQLite gives a rolled-back id again): forget the counts.
        clear_counts_cache()
        connection.close()


@pytest.fixture
def client(app: Flask, db: Session) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def make_user(db: Session):
    """Create a user with the shared test password."""

    def make(role: Role, username: str | None = None, agency=None) -> User:
        user = create_user(
            db,
            username=username or f"{role.value}-user",
            full_name=f"Test {role.value}",
            role=role,
            password=PASSWORD,
            agency=agency,
        )
        db.commit()
        return user

    return make


CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/auth/login") -> str:
    match = CSRF.search(client.get(path).get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client: FlaskClient, username: str, password: str = PASSWORD):
    token = csrf_token(client)
    return client.post(
        "/auth/login",
        data={"username": username, "password": password, "csrf_token": token},
    )


@pytest.fixture
def office(client: FlaskClient, make_user) -> FlaskClient:
    """The test client, logged in as an office user ("office1")."""
    make_user(Role.OFFICE, "office1")
    login(client, "office1")
    return client


@pytest.fixture
def admin(client: FlaskClient, make_user) -> FlaskClient:
    """The test client, logged in as an administrator ("admin1")."""
    make_user(Role.ADMIN, "admin1")
    login(client, "admin1")
    return client


@pytest.fixture
def moment() -> str | date:
    """When `frozen` stops the clock: the day the demo data is seeded as of, unless a package
    or a module overrides this fixture with a moment of its own (tests/freeze.py)."""
    return SEEDED_ON


@pytest.fixture
def frozen(moment: str | date) -> Iterator[None]:
    """The clock stopped at `moment` for the test. A client must log in inside it (its
    session is signed with the clock): request it first, or `usefixtures("frozen")`."""
    with freeze_time(moment):
        yield
