"""Migrations are code: one head, the head equals the models, up and down on both databases."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app.extensions import db
from tests.conftest import make_app


@pytest.fixture
def empty_app(database_url: str, tmp_path) -> Iterator[Flask]:
    """An app on a brand-new empty database of the same kind as `database_url`."""
    if database_url.startswith("sqlite"):
        yield make_app(f"sqlite:///{tmp_path / 'migrations.db'}")
        return
    name = f"nhiemvu_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    app = make_app(make_url(database_url).set(database=name).render_as_string(False))
    try:
        yield app
    finally:
        with app.app_context():
            db.engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _script(app: Flask) -> ScriptDirectory:
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
        return ScriptDirectory.from_config(config)


def test_single_head(app):
    heads = _script(app).get_heads()
    assert len(heads) == 1, heads


def test_every_revision_has_a_message(app):
    for revision in _script(app).walk_revisions():
        assert (revision.doc or "").strip(), revision.revision


def test_head_matches_models(empty_app):
    with empty_app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_upgrade_downgrade_upgrade(empty_app):
    with empty_app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"tasks", "directives", "agencies", "users", "audit_entries"} <= tables
        downgrade(revision="base")
        remaining = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        upgrade()
        assert "tasks" in inspect(db.engine).get_table_names()
