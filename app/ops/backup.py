"""Backups: create one archive of everything an install holds, verify it, restore it into
an empty database and instance folder, and prune old archives (N daily, M monthly).

What an install holds: the database; the instance folder (secret key, uploads awaiting
confirmation, the SQLite database itself travelling as the database copy); the attachments
folder (ATTACHMENTS_DIR, wherever it is). Left out: the scheduler's lock file, the backups
themselves, the benchmark's cached databases.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask_babel import gettext as _

from app.clock import LOCAL_TZ
from app.ops.archive import (
    ArchiveError,
    ArchiveWriter,
    FileEntry,
    Manifest,
    check_members,
    extract_all,
    read_manifest,
    safe_relative,
    sha256_of,
    walk_files,
)
from app.ops.dumps import (
    DumpError,
    check_sqlite,
    database_kind,
    database_tables,
    dump_database,
    postgresql_dump_tables,
    restore_database,
    sqlite_path,
    sqlite_tables,
)

ARCHIVE_NAME = re.compile(r"^nhiemvu-(\d{8}-\d{6})(?:-\d+)?\.tar\.gz$")


class BackupError(RuntimeError):
    """A backup could not be made or restored; `problems` says why, in the user's language."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Places:
    """Where an install keeps what a backup holds."""

    database_url: str
    instance: Path
    attachments: Path
    backups: Path

    @classmethod
    def of(cls, config: Mapping[str, Any], instance_path: str) -> Places:
        return cls(
            config["SQLALCHEMY_DATABASE_URI"],
            Path(instance_path),
            Path(config["ATTACHMENTS_DIR"]),
            Path(config["BACKUP_DIR"]),
        )

    def root(self, name: str) -> Path:
        return {"instance": self.instance, "attachments": self.attachments}[name]

    def left_out(self) -> list[Path]:
        """What the walk of the instance folder skips."""
        skip = [
            self.instance / "scheduler.lock",
            self.instance / "bench",  # the benchmark's cached databases: made again at will
            self.backups,
            self.attachments,  # archived as a root of its own
        ]
        if database_kind(self.database_url) == "sqlite":
            database = sqlite_path(self.database_url)
            skip += [Path(f"{database}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")]
        return skip


@dataclass(frozen=True)
class Created:
    path: Path
    manifest: Manifest


def _archive_path(directory: Path, moment: datetime) -> Path:
    stamp = moment.astimezone(LOCAL_TZ).strftime("%Y%m%d-%H%M%S")
    path = directory / f"nhiemvu-{stamp}.tar.gz"
    number = 1
    while path.exists():
        number += 1
        path = directory / f"nhiemvu-{stamp}-{number}.tar.gz"
    return path


def create_backup(places: Places, out: Path, *, now: datetime, app_version: str) -> Created:
    """Write one archive into `out`: a consistent copy of the database, the instance files
    and the attachments, with the manifest. Written under a temporary name and renamed when
    complete, so a half-written archive never looks like a backup."""
    out.mkdir(parents=True, exist_ok=True, mode=0o700)
    final = _archive_path(out, now)
    partial = out / f".{final.name}.partial"
    try:
        with tempfile.TemporaryDirectory(dir=out, prefix=".dump-") as scratch:
            dumped = dump_database(places.database_url, Path(scratch))
            writer = ArchiveWriter(partial)
            try:
                member = dumped.path.name
                size, digest = writer.add_file(member, dumped.path)
                files = []
                for root in ("instance", "attachments"):
                    base = places.root(root)
                    for path in walk_files(base, places.left_out()):
                        relative = path.relative_to(base).as_posix()
                        file_size, file_digest = writer.add_file(f"{root}/{relative}", path)
                        files.append(FileEntry(root, relative, file_size, file_digest))
                manifest = Manifest(
                    created_at=now.isoformat(),
                    app_version=app_version,
                    database={
                        "kind": dumped.kind,
                        "member": member,
                        "size": size,
                        "sha256": digest,
                        "revision": dumped.revision,
                        "tables": dumped.tables,
                    },
                    files=files,
                )
                writer.finish(manifest)
            except BaseException:
                writer.abort()
                raise
    except (DumpError, OSError) as error:
        raise BackupError(
            [_("The backup could not be made: %(error)s", error=str(error))]
        ) from error
    os.replace(partial, final)
    return Created(final, manifest)


@dataclass
class Verified:
    """What checking an archive found: its manifest (when readable) and the problems."""

    manifest: Manifest | None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.manifest is not None and not self.problems


def _compare_counts(expected: Mapping[str, int], found: Mapping[str, int]) -> list[str]:
    problems = []
    for table in sorted(set(expected) | set(found)):
        if expected.get(table) != found.get(table):
            problems.append(
                _(
                    "Table %(table)s: %(found)s rows, the manifest says %(expected)s.",
                    table=table,
                    found=found.get(table, "—"),
                    expected=expected.get(table, "—"),
                )
            )
    return problems


def _check_database_copy(archive: Path, manifest: Manifest) -> list[str]:
    """Open the database copy itself: SQLite's integrity check and row counts, or the
    PostgreSQL dump's table of contents read to the end."""
    member = manifest.database["member"]
    tables = manifest.database["tables"]
    with tempfile.TemporaryDirectory(dir=archive.parent, prefix=".verify-") as scratch:
        copy = Path(scratch) / member
        extract_all(archive, {member: copy})
        if manifest.database["kind"] == "sqlite":
            result = check_sqlite(copy)
            if result != "ok":
                return [_("The database copy is damaged: %(error)s", error=result)]
            return _compare_counts(tables, sqlite_tables(copy))
        try:
            listed = postgresql_dump_tables(copy)
        except DumpError as error:
            return [_("The database copy is damaged: %(error)s", error=str(error))]
    missing = sorted(set(tables) - listed)
    return [_("The database copy lacks table %(table)s.", table=table) for table in missing]


def verify_backup(archive: Path) -> Verified:
    """Check an archive without restoring it: manifest, every member's checksum, and the
    database copy itself."""
    try:
        manifest = read_manifest(archive)
    except ArchiveError as error:
        return Verified(None, [str(error)])
    problems = check_members(archive, manifest)
    if not problems:
        problems = _check_database_copy(archive, manifest)
    return Verified(manifest, problems)


@dataclass
class Restored:
    """What a restore wrote, and how it compares with the manifest."""

    manifest: Manifest
    tables: dict[str, tuple[int | None, int | None]]  # table → (manifest, restored)
    files: int
    problems: list[str] = field(default_factory=list)


def _refuse_unless_empty(places: Places, manifest: Manifest) -> None:
    kind = database_kind(places.database_url)
    if kind != manifest.database["kind"]:
        raise BackupError(
            [
                _(
                    "This backup is of a %(archive)s database, and DATABASE_URL names a "
                    "%(target)s database.",
                    archive=manifest.database["kind"],
                    target=kind,
                )
            ]
        )
    try:
        existing = database_tables(places.database_url)
    except DumpError as error:
        raise BackupError([str(error)]) from error
    if existing:
        raise BackupError(
            [
                _(
                    "The database is not empty (%(count)s tables): a backup is restored only "
                    "into an empty database. Create a new one, or empty this one first.",
                    count=len(existing),
                )
            ]
        )


def restore_backup(archive: Path, places: Places) -> Restored:
    """Verify `archive`, restore its database into the empty database of `places`, write its
    files into the instance and attachments folders, then compare row counts and checksums
    with the manifest."""
    verified = verify_backup(archive)
    if not verified.ok or verified.manifest is None:
        raise BackupError(verified.problems)
    manifest = verified.manifest
    _refuse_unless_empty(places, manifest)
    member = manifest.database["member"]
    try:
        with tempfile.TemporaryDirectory(prefix="nhiemvu-restore-") as scratch:
            copy = Path(scratch) / member
            extract_all(archive, {member: copy})
            restore_database(places.database_url, copy)
        targets = {
            entry.member: places.root(entry.root) / safe_relative(entry.path)
            for entry in manifest.files
        }
        extract_all(archive, targets)
        found = database_tables(places.database_url)
    except (DumpError, ArchiveError, OSError) as error:
        raise BackupError([_("The restore failed: %(error)s", error=str(error))]) from error
    problems = _compare_counts(manifest.database["tables"], found)
    for entry in manifest.files:
        path = targets[entry.member]
        if not path.is_file() or sha256_of(path) != entry.sha256:
            problems.append(_("File %(path)s differs from the backup.", path=entry.member))
    expected = manifest.database["tables"]
    tables = {name: (expected.get(name), found.get(name)) for name in sorted({*expected, *found})}
    return Restored(manifest, tables, len(manifest.files), problems)


# --- keeping N daily and M monthly archives ------------------------------------------------


def archive_moment(name: str) -> datetime | None:
    """When an archive named by create_backup was made (province time), else None."""
    match = ARCHIVE_NAME.match(name)
    if match is None:
        return None
    return datetime.strptime(match.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=LOCAL_TZ)


def archives_to_keep(moments: Iterable[datetime], *, daily: int, monthly: int) -> set[datetime]:
    """The newest archive of each of the `daily` latest days that have one, and of each of
    the `monthly` latest months; the newest archive always."""
    keep: set[datetime] = set()
    days: set[date] = set()
    months: set[tuple[int, int]] = set()
    for moment in sorted(moments, reverse=True):
        if not keep:
            keep.add(moment)
        day, month = moment.date(), (moment.year, moment.month)
        if day not in days and len(days) < daily:
            keep.add(moment)
        if month not in months and len(months) < monthly:
            keep.add(moment)
        days.add(day)
        months.add(month)
    return keep


@dataclass(frozen=True)
class Pruned:
    kept: list[Path]
    removed: list[Path]


def prune_backups(directory: Path, *, daily: int, monthly: int) -> Pruned:
    """Delete the archives of `directory` that archives_to_keep() does not keep (only files
    named as create_backup names them)."""
    archives = {
        path: moment
        for path in sorted(directory.glob("nhiemvu-*.tar.gz"))
        if (moment := archive_moment(path.name)) is not None
    }
    keep = archives_to_keep(archives.values(), daily=daily, monthly=monthly)
    kept, removed = [], []
    for path, moment in archives.items():
        if moment in keep:
            kept.append(path)
        else:
            path.unlink()
            removed.append(path)
    return Pruned(kept, removed)
