"""The backup archive: one .tar.gz holding the database copy, the instance files and the
attachments, and `manifest.json` (written last) naming each of them with its SHA-256, and
every table with its row count.

Layout: `database.pgdump` or `database.sqlite3`; `instance/…`; `attachments/…`;
`manifest.json`.
"""

from __future__ import annotations

import hashlib
import json
import os
import tarfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path, PurePosixPath
from typing import IO, Any

from flask_babel import gettext as _

FORMAT = "nhiemvu-backup"
VERSION = 1
MANIFEST = "manifest.json"
ROOTS = ("instance", "attachments")
CHUNK = 1024 * 1024
# What reading a damaged .tar.gz raises: gzip's and zlib's errors, tar's, a short file.
DAMAGE = (OSError, EOFError, ValueError, tarfile.TarError, zlib.error)


class ArchiveError(RuntimeError):
    """The archive is damaged, incomplete or not a backup; the message says what."""


@dataclass(frozen=True)
class FileEntry:
    """One file of the archive: under which root, its relative path, size and checksum."""

    root: str  # "instance" or "attachments"
    path: str  # POSIX, relative to the root
    size: int
    sha256: str

    @property
    def member(self) -> str:
        return f"{self.root}/{self.path}"


@dataclass
class Manifest:
    """What an archive holds."""

    created_at: str
    app_version: str
    database: dict[str, Any]  # kind, member, size, sha256, revision, tables
    files: list[FileEntry] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "created_at": self.created_at,
            "app_version": self.app_version,
            "database": self.database,
            "files": [entry.__dict__ for entry in self.files],
        }

    @classmethod
    def from_json(cls, data: Any) -> Manifest:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ArchiveError(_("This is not a nhiemvu backup (its manifest has another format)."))
        if data.get("version") != VERSION:
            raise ArchiveError(
                _(
                    "Backup format version %(version)s is not supported.",
                    version=data.get("version"),
                )
            )
        try:
            files = [FileEntry(**entry) for entry in data["files"]]
            database = data["database"]
            for key in ("kind", "member", "sha256", "tables"):
                database[key]  # noqa: B018  (a KeyError names the missing field)
            return cls(data["created_at"], data["app_version"], database, files)
        except (KeyError, TypeError) as error:
            raise ArchiveError(_("The manifest is incomplete (%(error)s).", error=error)) from error

    @property
    def members(self) -> dict[str, str]:
        """Every member but the manifest, with its expected SHA-256."""
        expected = {self.database["member"]: self.database["sha256"]}
        expected.update({entry.member: entry.sha256 for entry in self.files})
        return expected


def safe_relative(path: str) -> PurePosixPath:
    """`path` if it stays inside its root (no absolute path, no `..`), else ArchiveError."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or not pure.parts or any(part in ("..", "") for part in pure.parts):
        raise ArchiveError(_("Unsafe path in the archive: %(path)s", path=repr(path)))
    return pure


def walk_files(root: Path, skip: Iterable[Path]) -> Iterator[Path]:
    """Regular files under `root`, sorted, leaving out the paths in `skip` (and what is under
    them); symbolic links are not followed."""
    skipped = {p.resolve() for p in skip}
    if not root.is_dir():
        return
    for directory, names, files in os.walk(root):
        here = Path(directory)
        names[:] = sorted(n for n in names if (here / n).resolve() not in skipped)
        for name in sorted(files):
            path = here / name
            if path.resolve() in skipped or path.is_symlink() or not path.is_file():
                continue
            yield path


class _Hashing:
    """A reader that hashes what passes through it."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


class ArchiveWriter:
    """Writes the archive: members first, the manifest last."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # Readable by its owner only: it holds the secret key and the password hashes.
        self.handle = os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")
        self.tar = tarfile.open(fileobj=self.handle, mode="w:gz")  # noqa: SIM115  (closed by finish/abort)

    def add_file(self, member: str, source: Path) -> tuple[int, str]:
        """Add `source` as `member`; its size and SHA-256, as written."""
        info = self.tar.gettarinfo(str(source), arcname=member)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        with source.open("rb") as handle:
            reader = _Hashing(handle)
            self.tar.addfile(info, reader)  # type: ignore[arg-type]
        return info.size, reader.digest.hexdigest()

    def finish(self, manifest: Manifest) -> None:
        data = json.dumps(manifest.as_json(), ensure_ascii=False, indent=1).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        info.mode = 0o600
        self.tar.addfile(info, BytesIO(data))
        self.tar.close()
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()

    def abort(self) -> None:
        try:
            self.tar.close()
        finally:
            self.handle.close()
            self.path.unlink(missing_ok=True)


def _open(path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, "r:gz")
    except DAMAGE as error:
        raise ArchiveError(
            _("The file cannot be opened as a .tar.gz archive (%(error)s).", error=error)
        ) from error


def read_manifest(path: Path) -> Manifest:
    """The archive's manifest (ArchiveError when it is missing or unreadable)."""
    with _open(path) as tar:
        try:
            member = tar.getmember(MANIFEST)
            handle = tar.extractfile(member)
            if handle is None:
                raise KeyError(MANIFEST)
            return Manifest.from_json(json.loads(handle.read().decode()))
        except KeyError as error:
            raise ArchiveError(_("The manifest is missing: the archive is incomplete.")) from error
        except DAMAGE as error:
            raise ArchiveError(_("The archive is damaged (%(error)s).", error=error)) from error


def check_members(path: Path, manifest: Manifest) -> list[str]:
    """Read every member to the end and compare it with the manifest: the problems found."""
    expected = manifest.members
    seen: set[str] = set()
    problems = []
    try:
        with _open(path) as tar:
            for info in tar:
                if info.name == MANIFEST:
                    continue
                if not info.isfile():
                    problems.append(_("%(member)s: not a regular file.", member=info.name))
                    continue
                if info.name not in expected:
                    problems.append(_("%(member)s: not in the manifest.", member=info.name))
                    continue
                seen.add(info.name)
                handle = tar.extractfile(info)
                digest = hashlib.sha256()
                while handle is not None and (chunk := handle.read(CHUNK)):
                    digest.update(chunk)
                if digest.hexdigest() != expected[info.name]:
                    problems.append(
                        _("%(member)s: its checksum differs from the manifest.", member=info.name)
                    )
    except DAMAGE as error:
        problems.append(_("The archive is damaged (%(error)s).", error=error))
        return problems
    problems += [
        _("%(member)s: missing from the archive.", member=name)
        for name in sorted(set(expected) - seen)
    ]
    return problems


def extract_all(path: Path, targets: dict[str, Path]) -> dict[str, str]:
    """Write the members named in `targets` (member → path) in one pass over the archive,
    each through a temporary file beside it; the SHA-256 of each, as written."""
    digests: dict[str, str] = {}
    try:
        with _open(path) as tar:
            for info in tar:
                target = targets.get(info.name)
                if target is not None and info.isfile():
                    digests[info.name] = _write_member(tar, info, target)
    except (EOFError, tarfile.TarError, zlib.error) as error:
        raise ArchiveError(_("The archive is damaged (%(error)s).", error=error)) from error
    return digests


def _write_member(tar: tarfile.TarFile, info: tarfile.TarInfo, target: Path) -> str:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.restoring")
    digest = hashlib.sha256()
    handle = tar.extractfile(info)
    with partial.open("wb") as out:
        while handle is not None and (chunk := handle.read(CHUNK)):
            digest.update(chunk)
            out.write(chunk)
    os.replace(partial, target)
    return digest.hexdigest()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
