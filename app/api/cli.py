"""`flask exchange export|import`: the exchange format (docs/exchange.schema.json) on files."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from app.api.exchange import export_directives, import_document
from app.audit import set_actor
from app.clock import today_local
from app.errors import DomainError, ValidationFailed
from app.extensions import db


@click.group("exchange")
def exchange_cli() -> None:
    """Exchange directives and their tasks with other systems as JSON."""


def dumps(document: dict) -> str:
    """The document as written to a file: UTF-8, stable key order, one trailing newline."""
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


@exchange_cli.command("export")
@click.option("--directive", "numbers", multiple=True, required=True, help="e.g. 131/NQ-CP")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@with_appcontext
def export_command(numbers: tuple[str, ...], out: Path) -> None:
    """Write the directives' tasks, owners, deadlines, statuses and explanations to OUT."""
    try:
        document = export_directives(db.session, list(numbers))
    except DomainError as error:
        raise click.ClickException(error.message) from None
    out.write_text(dumps(document), encoding="utf-8")
    tasks = sum(len(d["tasks"]) for d in document["directives"])
    click.echo(_("%(n)d task(s) written to %(file)s.", n=tasks, file=str(out)))


@exchange_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_command(file: Path) -> None:
    """Read FILE (an export) into this database, in one transaction; again changes nothing."""
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise click.ClickException(_("The file is not JSON: %(error)s", error=str(error))) from None
    set_actor(db.session, None, "flask exchange import")
    try:
        summary = import_document(db.session, data, today=today_local())
    except ValidationFailed as error:
        db.session.rollback()
        lines = [f"{field}: {'; '.join(messages)}" for field, messages in error.reasons.items()]
        raise click.ClickException("\n".join(lines[:50])) from None
    db.session.commit()
    click.echo(
        _(
            "Imported %(directives)s: %(created)d task(s) created, %(updated)d updated, "
            "%(explanations)d explanation(s) added.",
            directives=", ".join(summary.directives),
            created=summary.tasks_created,
            updated=summary.tasks_updated,
            explanations=summary.explanations_added,
        )
    )
    if summary.agencies_created:
        click.echo(_("Agencies created: %(names)s", names=", ".join(summary.agencies_created)))
