"""Upgrades: the previous release's database — the demo data and the benchmark's 10,000 tasks,
at that release's migration head — is upgraded by `flask db upgrade` to today's head without
losing a row, into the very schema the models describe; a migration that fails leaves the
database as it was (one transaction: DDL is transactional on PostgreSQL, and SQLite too)."""

from __future__ import annotations

import logging
import shutil
import textwrap
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import Engine, MetaData, create_engine, func, inspect, select, text
from sqlalchemy.exc import SQLAlchemyError

from app.audit import set_actor
from app.db import Base
from app.extensions import db
from app.ops.dumps import database_tables
from app.seed import load_seeds
from bench.generate import _populate
from bench.province import Province, Sizes
from tests.conftest import SEEDS, make_app
from tests.freeze import SEEDED_ON
from tests.ops.conftest import ROOT, drop_database, make_database

# main's migration head when the production work branched off it: the database every
# installation of the previous release has. Move it forward at each release.
PREVIOUS_RELEASE = "70d6ec94ee1e"
BENCH_TASKS = Sizes().scaled(0.1)  # 10,000 tasks, 30,000 progress updates, 200 agencies


def _quiet_upgrade(**kwargs: str) -> None:
    logging.disable(logging.INFO)  # Alembic logs every step at INFO
    try:
        upgrade(**kwargs)
    finally:
        logging.disable(logging.NOTSET)


def _revision(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return list(connection.scalars(text("SELECT version_num FROM alembic_version")))
    finally:
        engine.dispose()


def _schema(engine: Engine) -> dict[str, list[str]]:
    inspector = inspect(engine)
    return {
        t: sorted(c["name"] for c in inspector.get_columns(t)) for t in inspector.get_table_names()
    }


def _fill_source(app: Flask) -> None:
    """Today's schema holding the benchmark's province and the demo data."""
    with app.app_context():
        _quiet_upgrade()
        _populate(db.engine, Province(BENCH_TASKS, SEEDED_ON), lambda _phase, _seconds: None)
        if db.engine.dialect.name == "postgresql":
            _move_sequences(db.engine)
        set_actor(db.session, None, "upgrade test")
        load_seeds(db.session, SEEDS, today=SEEDED_ON)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def _move_sequences(engine: Engine) -> None:
    """PostgreSQL: each id sequence past the ids written without it."""
    with engine.begin() as connection:
        for table in inspect(engine).get_table_names():
            columns = {c["name"] for c in inspect(engine).get_columns(table)}
            if "id" in columns:
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"  # noqa: S608  (our tables)
                        f' (SELECT coalesce(max(id), 0) + 1 FROM "{table}"), false)'
                    )
                )


def _copy(source_url: str, target_url: str) -> None:
    """Every row of the source, into the tables and columns the target's schema has (that
    release knew nothing of later columns and tables)."""
    source, target = create_engine(source_url), create_engine(target_url)
    try:
        theirs = MetaData()
        theirs.reflect(target)
        ours = MetaData()
        ours.reflect(source)
        order = [t.name for t in Base.metadata.sorted_tables if t.name in theirs.tables]
        with source.connect() as reading, target.begin() as writing:
            if target.dialect.name == "postgresql":
                # Rows go in table by table; their references are whole only at the end.
                writing.execute(text("SET session_replication_role = replica"))
            for name in order:
                columns = [c for c in theirs.tables[name].c if c.name in ours.tables[name].c]
                query = select(*(ours.tables[name].c[c.name] for c in columns))
                rows = [
                    dict(zip([c.name for c in columns], row, strict=True))
                    for row in reading.execute(query)
                ]
                for start in range(0, len(rows), 5_000):
                    writing.execute(theirs.tables[name].insert(), rows[start : start + 5_000])
        if target.dialect.name == "postgresql":
            _move_sequences(target)
    finally:
        source.dispose()
        target.dispose()


@pytest.fixture
def previous_release(database_url: str, tmp_path: Path):
    """(URL of the previous release's database, the row counts it should keep)."""
    source_url, source_name = make_database(database_url, tmp_path / "source")
    target_url, target_name = make_database(database_url, tmp_path / "target")
    (tmp_path / "source").mkdir()
    (tmp_path / "target").mkdir()
    try:
        _fill_source(make_app(source_url))
        old = make_app(target_url)
        with old.app_context():
            _quiet_upgrade(revision=PREVIOUS_RELEASE)
            db.engine.dispose()
        _copy(source_url, target_url)
        yield target_url, database_tables(source_url)
    finally:
        for name in (source_name, target_name):
            if name:
                drop_database(database_url, name)


def test_the_previous_release_upgrades_to_head_without_losing_a_row(previous_release):
    url, source_rows = previous_release
    before = database_tables(url)
    assert before["tasks"] >= 10_000
    assert before["progress_updates"] >= 30_000
    assert _revision(url) == [PREVIOUS_RELEASE]
    app = make_app(url)
    with app.app_context():
        _quiet_upgrade()
        heads = app.extensions["migrate"].migrate.get_config()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            assert compare_metadata(context, db.metadata) == []  # today's schema, exactly
            assert (
                connection.scalar(select(func.count()).select_from(Base.metadata.tables["tasks"]))
                == before["tasks"]
            )
        db.engine.dispose()
    after = database_tables(url)
    assert {name: after[name] for name in before if name != "alembic_version"} == {
        name: count for name, count in before.items() if name != "alembic_version"
    }
    # Nothing of the data the previous release held was left behind in the copy either.
    assert {t: n for t, n in source_rows.items() if t in before and t != "alembic_version"} == {
        t: n for t, n in before.items() if t != "alembic_version"
    }
    with app.app_context():
        from alembic.script import ScriptDirectory

        head = ScriptDirectory.from_config(heads).get_heads()
    assert _revision(url) == head
    response = app.test_client().get("/healthz")
    assert response.get_json()["checks"]["migrations"]["ok"] is True
    with app.app_context():
        db.engine.dispose()


FAILING = '''
"""A migration that fails halfway (test only)

Revision ID: ffffffffffff
Revises: {head}
"""
from alembic import op
import sqlalchemy as sa

revision = "ffffffffffff"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("upgrade_probe", sa.Column("id", sa.Integer(), primary_key=True))
    with op.batch_alter_table("tasks") as batch_op:
        batch_op.add_column(sa.Column("probe", sa.Integer(), nullable=True))
    op.execute("UPDATE tasks SET probe = 1")
    op.execute("INSERT INTO no_such_table VALUES (1)")


def downgrade():
    pass
'''


def test_a_failed_migration_leaves_the_database_as_it_was(database_url, tmp_path):
    url, name = make_database(database_url, tmp_path)
    try:
        app = make_app(url)
        with app.app_context():
            _quiet_upgrade(revision=PREVIOUS_RELEASE)
            set_actor(db.session, None, "upgrade test")
            load_seeds(db.session, SEEDS, today=SEEDED_ON)
            db.session.commit()
            db.session.remove()
            db.engine.dispose()
        engine = create_engine(url)
        schema, rows = _schema(engine), database_tables(url)
        # Today's migrations, and after them one that fails.
        migrations = tmp_path / "migrations"
        shutil.copytree(
            ROOT / "migrations", migrations, ignore=shutil.ignore_patterns("__pycache__")
        )
        with app.app_context():
            from alembic.script import ScriptDirectory

            (head,) = ScriptDirectory.from_config(
                app.extensions["migrate"].migrate.get_config()
            ).get_heads()
        (migrations / "versions" / "zz_fails.py").write_text(
            textwrap.dedent(FAILING.format(head=head))
        )
        with app.app_context(), pytest.raises(SQLAlchemyError, match="no_such_table"):
            _quiet_upgrade(directory=str(migrations))
        with app.app_context():
            db.engine.dispose()
        # Not a step of it stayed: today's migrations before the failing one included.
        assert _revision(url) == [PREVIOUS_RELEASE]
        assert _schema(engine) == schema
        assert database_tables(url) == rows
        engine.dispose()
    finally:
        if name:
            drop_database(database_url, name)
