"""`flask import notice|plan|appendix FILE`: import a document's tasks; `flask import confirm
PREVIEW.json`: write a preview saved with `--dry-run --json` (and perhaps edited)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from app.audit import set_actor
from app.clock import today_local
from app.directives.models import DirectiveKind
from app.errors import DomainError
from app.extensions import db
from app.imports.pages import FLAG_LABELS, place_of
from app.imports.preview import CREATE, UPDATE
from app.imports.services import (
    ImportOptions,
    ImportPreview,
    ImportResult,
    apply_import,
    build_preview,
    read_path,
    unknown_agencies,
)

LISTED = 40  # tasks listed one by one in the summary before "… and N more"
DAY = click.DateTime(formats=["%Y-%m-%d"])


@click.group("import")
def import_cli() -> None:
    """Import the tasks of a notice, a plan or a progress appendix (.txt, .docx, .xlsx)."""


def _columns(values: tuple[str, ...]) -> dict[str, int | str] | None:
    mapping: dict[str, int | str] = {}
    for value in values:
        name, sep, where = value.partition("=")
        if not sep or not name.strip() or not where.strip():
            raise click.BadParameter("write FIELD=HEADER or FIELD=NUMBER", param_hint="--column")
        where = where.strip()
        mapping[name.strip()] = int(where) if where.isdigit() else where
    return mapping or None


def _sheet(value: str | None) -> str | int | None:
    return int(value) if value is not None and value.isdigit() else value


def _date(value: datetime | None) -> Any:
    return value.date() if value else None


def _fail(error: DomainError) -> click.ClickException:
    db.session.rollback()
    return click.ClickException(error.message)


def _import_command(kind: str, help_text: str) -> Callable[..., None]:
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--directive", "number", help="The directive's number and symbol.")
    @click.option(
        "--directive-kind",
        type=click.Choice([k.value for k in DirectiveKind]),
        help="Its kind, when it is new.",
    )
    @click.option("--subject", help="Its subject (trích yếu), when the document gives none.")
    @click.option("--issued-on", type=DAY, help="Its date, YYYY-MM-DD.")
    @click.option("--issuer", help="Who issued it.")
    @click.option("--on", "reference", type=DAY, help="Read deadlines against this date.")
    @click.option("--period", help="An appendix's reporting period: 2023-Q1, 2023-H1, 2023-03.")
    @click.option("--reported-on", type=DAY, help="The date of an appendix's report.")
    @click.option("--lead", help="Who an appendix's new tasks belong to (default UBND tỉnh).")
    @click.option("--sheet", help="The .xlsx sheet (name or 0-based number); default the first.")
    @click.option("--column", "columns", multiple=True, help="FIELD=HEADER or FIELD=NUMBER.")
    @click.option("--convert-legacy", type=click.Choice(["tcvn3", "vni"]), help="Convert text.")
    @click.option(
        "--expand-groups/--no-expand-groups",
        default=True,
        help="One task per agency of a group heading.",
    )
    @click.option("--create-agencies", is_flag=True, help="Create the unknown agencies.")
    @click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON (the preview or result).")
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    @with_appcontext
    def command(file: Path, **values: Any) -> None:
        set_actor(db.session, None, f"flask import {kind}")
        options = ImportOptions(
            kind=kind,
            number=values["number"],
            directive_kind=values["directive_kind"],
            subject=values["subject"],
            issued_on=_date(values["issued_on"]),
            issuer=values["issuer"],
            reference=_date(values["reference"]),
            period=values["period"],
            reported_on=_date(values["reported_on"]),
            lead=values["lead"],
            sheet=_sheet(values["sheet"]),
            columns=_columns(values["columns"]),
            convert=values["convert_legacy"],
            expand_groups=values["expand_groups"],
            province=current_app.config.get("PROVINCE_NAME"),
        )
        max_bytes = current_app.config["IMPORT_MAX_BYTES"]
        try:
            preview = build_preview(
                db.session,
                read_path(file, max_bytes),
                options,
                today=today_local(),
                max_bytes=max_bytes,
            )
        except DomainError as error:
            raise _fail(error) from error
        _finish(preview, values)

    command.__doc__ = help_text
    return command


def _finish(preview: ImportPreview, values: dict[str, Any]) -> None:
    """Show the preview, then write it unless it is a dry run."""
    as_json, dry_run = values["as_json"], values["dry_run"]
    if dry_run:
        db.session.rollback()
        if as_json:
            click.echo(json.dumps(preview.to_json(), ensure_ascii=False, indent=2))
        else:
            click.echo(summary(preview))
            click.echo(_("Dry run: nothing was written."))
        return
    if not as_json:
        click.echo(summary(preview))
    source = preview.source
    if source.legacy_encoding and not source.converted:
        db.session.rollback()
        raise click.ClickException(
            _(
                "The text looks typed in %(encoding)s: run again with --convert-legacy %(option)s.",
                encoding=source.legacy_encoding.upper(),
                option=source.legacy_encoding,
            )
        )
    unknown = unknown_agencies(preview)
    if unknown and not values["create_agencies"]:
        db.session.rollback()
        raise click.ClickException(
            _(
                "Unknown agencies: %(names)s. Add them (or their spelling as an alias) to the "
                "agencies, or run again with --create-agencies.",
                names="; ".join(unknown),
            )
        )
    if not values["yes"]:
        click.confirm(_("Write these changes?"), abort=True, err=True)
    try:
        result = apply_import(
            db.session,
            preview,
            today=today_local(),
            create_agencies=values["create_agencies"],
        )
        db.session.commit()
    except DomainError as error:
        raise _fail(error) from error
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(result_summary(result))


for _kind, _help in (
    ("notice", "Import a conclusion notice or directive letter (.txt, .docx): one task per item."),
    ("plan", "Import a plan table (.txt, .docx, .xlsx): one task per numbered row."),
    ("appendix", "Import a progress appendix (.txt, .docx, .xlsx) for --period."),
):
    import_cli.command(_kind)(_import_command(_kind, _help))


@import_cli.command("confirm")
@click.argument("preview_file", type=click.File("r", encoding="utf-8"))
@click.option("--create-agencies", is_flag=True, help="Create the unknown agencies.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def confirm(preview_file: Any, create_agencies: bool, as_json: bool, yes: bool) -> None:
    """Write a preview saved by `--dry-run --json` (edited or not); "-" reads standard input."""
    set_actor(db.session, None, "flask import confirm")
    try:
        preview = ImportPreview.from_json(json.load(preview_file))
    except ValueError as error:  # json.JSONDecodeError is one too
        raise click.ClickException(
            _("The preview is not valid: %(detail)s", detail=str(error))
        ) from error
    values = {
        "as_json": as_json,
        "dry_run": False,
        "yes": yes,
        "create_agencies": create_agencies,
    }
    _finish(preview, values)


# -- readable summaries -----------------------------------------------------------------------
def summary(preview: ImportPreview) -> str:
    """The preview as a person reads it in a terminal."""
    header = preview.directive
    counts = preview.counts()
    lines = [
        _(
            "Directive: %(label)s (%(state)s)",
            label=header.number or header.subject or "?",
            state=_("new") if header.id is None else _("existing"),
        ),
        _(
            "Tasks: %(create)d to create, %(update)d to update, %(unchanged)d unchanged.",
            create=counts[CREATE],
            update=counts[UPDATE],
            unchanged=counts["unchanged"],
        ),
    ]
    for field_name, (old, new) in header.changes.items():
        lines.append(f"  directive {field_name}: {old!r} → {new!r}")
    created = [t for t in preview.tasks if t.action == CREATE]
    for task in created[:LISTED]:
        owner = task.lead.name if task.lead else task.lead_text or ""
        lines.append(f"  + {task.outline or task.key} [{owner}] {task.title[:70]}")
    if len(created) > LISTED:
        lines.append("  " + _("… and %(n)d more.", n=len(created) - LISTED))
    for task in preview.tasks:
        if task.action == UPDATE:
            lines.append(f"  ~ {task.outline or task.key} {task.title[:70]}")
            for field_name, (old, new) in task.changes.items():
                lines.append(f"      {field_name}: {old!r} → {new!r}")
        if task.progress and task.progress.action != "unchanged":
            mark = "+" if task.progress.action == CREATE else "~"
            label = _("progress report %(period)s", period=task.progress.period)
            lines.append(f"  {mark} {task.outline or task.key} {label}")
    lines += _to_check(preview)
    if preview.new_agencies:
        lines.append(_("Proposed new agencies:"))
        lines += [f"  {a.name} ({a.kind})" for a in preview.new_agencies]
    if preview.warnings:
        lines.append(_("Warnings:"))
        lines += [f"  - {w.message}" for w in preview.warnings]
    return "\n".join(lines)


def _to_check(preview: ImportPreview) -> list[str]:
    """The flagged tasks, where they are and what to check on each."""
    flagged = [t for t in preview.tasks if t.flags and not (t.group and t.parent)]
    if not flagged:
        return []
    lines = [_("To check:")]
    for task in flagged[:LISTED]:
        place = place_of(task)
        where = f"{task.outline or task.key}" + (f" ({place})" if place else "")
        labels = "; ".join(str(FLAG_LABELS[f]) for f in task.flags if f in FLAG_LABELS)
        lines.append(f"  ! {where}: {labels}")
    if len(flagged) > LISTED:
        lines.append("  " + _("… and %(n)d more.", n=len(flagged) - LISTED))
    return lines


def result_summary(result: ImportResult) -> str:
    """What a confirmed import wrote, in one paragraph."""
    lines = [
        _(
            "Written: %(created)d task(s) created, %(updated)d updated, %(unchanged)d "
            "unchanged; %(progress)d progress report(s) created, %(progress_updated)d updated.",
            created=len(result.created),
            updated=len(result.updated),
            unchanged=result.unchanged,
            progress=result.progress_created,
            progress_updated=result.progress_updated,
        )
    ]
    if result.agencies_created:
        lines.append(_("New agencies: %(names)s", names="; ".join(result.agencies_created)))
    return "\n".join(lines)
