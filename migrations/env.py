"""Alembic environment: the app's metadata, batch mode for SQLite, scheduler tables ignored."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db


def include_object(obj, name, type_, reflected, compare_to):
    """APScheduler owns its job-store tables; autogenerate must not try to drop them."""
    return not (type_ == "table" and name and name.startswith("apscheduler_"))


def process_revision_directives(context_, revision, directives):
    """No empty migration files when the models did not change."""
    if getattr(config.cmd_opts, "autogenerate", False):
        script = directives[0]
        if script.upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")


def render_item(type_, obj, autogen_context):
    """Render the app's UTC datetime type as what it stores, so migrations never import app code."""
    if type_ == "type" and type(obj).__name__ == "UTCDateTime":
        return "sa.DateTime(timezone=True)"
    return False


def configure(connection):
    args = dict(current_app.extensions["migrate"].configure_args)
    args.setdefault("process_revision_directives", process_revision_directives)
    args.setdefault("render_as_batch", True)
    args.setdefault("compare_type", True)
    # All the pending migrations in one transaction, on SQLite too (Alembic's default there
    # is a commit per statement): a migration that fails leaves the database as it was.
    args.setdefault("transactional_ddl", True)
    context.configure(
        connection=connection,
        target_metadata=target_db.metadata,
        include_object=include_object,
        render_item=render_item,
        **args,
    )


def run_migrations_online():
    # Tests hand in their own connection; otherwise use the app's engine.
    connection = config.attributes.get("connection")
    if connection is not None:
        configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    with target_db.engine.connect() as connection:
        configure(connection)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Offline migrations are not supported; run against a database.")
run_migrations_online()
