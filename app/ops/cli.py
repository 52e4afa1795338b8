"""`flask backup create|verify|restore|prune`."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from app.clock import now_utc
from app.extensions import db
from app.ops.backup import (
    BackupError,
    Places,
    create_backup,
    prune_backups,
    restore_backup,
    verify_backup,
)


def _places() -> Places:
    return Places.of(current_app.config, current_app.instance_path)


def _app_version() -> str:
    try:
        return version("nhiemvu")
    except PackageNotFoundError:
        return "unknown"


def _fail(problems: list[str]) -> None:
    for problem in problems:
        click.echo(f"  - {problem}", err=True)
    raise SystemExit(1)


def _size(path: Path) -> str:
    return f"{path.stat().st_size / (1024 * 1024):.1f} MB"


@click.group("backup")
def backup_cli() -> None:
    """Back up the database, the instance folder and the attachments; verify and restore."""


@backup_cli.command("create")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory to write the archive into (default: BACKUP_DIR).",
)
@with_appcontext
def create_command(out: Path | None) -> None:
    """Write one archive: a consistent copy of the database, the instance files and the
    attachments, with a manifest of row counts and checksums."""
    places = _places()
    try:
        created = create_backup(
            places, out or places.backups, now=now_utc(), app_version=_app_version()
        )
    except BackupError as error:
        click.echo(_("The backup failed:"), err=True)
        _fail(error.problems)
    database = created.manifest.database
    click.echo(
        _("Backup written: %(path)s (%(size)s)", path=created.path, size=_size(created.path))
    )
    click.echo(
        _(
            "Database: %(kind)s, %(tables)s tables, %(rows)s rows, revision %(revision)s",
            kind=database["kind"],
            tables=len(database["tables"]),
            rows=sum(database["tables"].values()),
            revision=database["revision"] or "-",
        )
    )
    roots = [entry.root for entry in created.manifest.files]
    click.echo(
        _(
            "Files: %(instance)s from the instance folder, %(attachments)s attachments",
            instance=roots.count("instance"),
            attachments=roots.count("attachments"),
        )
    )


@backup_cli.command("verify")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def verify_command(archive: Path) -> None:
    """Check an archive without restoring it (exit status 1 when it is damaged)."""
    verified = verify_backup(archive)
    if not verified.ok or verified.manifest is None:
        click.echo(_("The backup %(path)s is damaged:", path=archive), err=True)
        _fail(verified.problems)
    manifest = verified.manifest
    click.echo(
        _(
            "The backup %(path)s is intact: made %(when)s, %(kind)s database with %(tables)s "
            "tables, %(files)s files; every checksum matches.",
            path=archive,
            when=manifest.created_at,
            kind=manifest.database["kind"],
            tables=len(manifest.database["tables"]),
            files=len(manifest.files),
        )
    )


@backup_cli.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def restore_command(archive: Path) -> None:
    """Restore an archive into the configured (empty) database and the instance and
    attachments folders, then compare every row count and checksum with its manifest."""
    db.engine.dispose()  # no connection of ours in the way of the restore
    places = _places()
    try:
        restored = restore_backup(archive, places)
    except BackupError as error:
        click.echo(_("Nothing was restored:"), err=True)
        _fail(error.problems)
    click.echo(_("Restored from %(path)s", path=archive))
    width = max(len(name) for name in restored.tables)
    for name, (expected, found) in restored.tables.items():
        mark = "=" if expected == found else "≠"
        click.echo(f"  {name.ljust(width)}  {expected} {mark} {found}")
    click.echo(
        _(
            "%(tables)s tables, %(rows)s rows; %(files)s files written to %(instance)s and "
            "%(attachments)s",
            tables=len(restored.tables),
            rows=sum(found or 0 for _expected, found in restored.tables.values()),
            files=restored.files,
            instance=places.instance,
            attachments=places.attachments,
        )
    )
    if restored.problems:
        click.echo(_("The restored data differ from the backup:"), err=True)
        _fail(restored.problems)
    click.echo(_("Every row count and every file checksum matches the backup."))


@backup_cli.command("prune")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory of the archives (default: BACKUP_DIR).",
)
@click.option("--keep-daily", type=click.IntRange(min=1), help="Default: BACKUP_KEEP_DAILY.")
@click.option("--keep-monthly", type=click.IntRange(min=0), help="Default: BACKUP_KEEP_MONTHLY.")
@with_appcontext
def prune_command(directory: Path | None, keep_daily: int | None, keep_monthly: int | None) -> None:
    """Delete old archives, keeping the newest of each of the latest N days and M months."""
    config = current_app.config
    directory = directory or _places().backups
    if not directory.is_dir():
        click.echo(_("No archives in %(path)s.", path=directory))
        return
    pruned = prune_backups(
        directory,
        daily=keep_daily or config["BACKUP_KEEP_DAILY"],
        monthly=config["BACKUP_KEEP_MONTHLY"] if keep_monthly is None else keep_monthly,
    )
    for path in pruned.removed:
        click.echo(_("Removed %(name)s", name=path.name))
    click.echo(
        _(
            "%(kept)s archives kept, %(removed)s removed.",
            kept=len(pruned.kept),
            removed=len(pruned.removed),
        )
    )
