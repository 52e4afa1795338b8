"""Uploads waiting for their confirmation: the file, the options it was read with and its
preview, kept on the server (a directory under instance/) between the upload and the confirm.

The browser only ever holds a random token and the user's edits; what is written comes from
here. Each upload belongs to the user who sent it (anyone else gets "not found") and expires
after a day. Confirming *claims* the upload by renaming its record, an atomic step, so a
confirmation sent twice is written once; what stays afterwards is a small tombstone naming
the directive, so the second attempt can be told so.

No Flask request in here: the caller passes the directory and the time.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from app.errors import NotFound
from app.imports.preview import ImportOptions
from app.imports.sources import ImportFile

LIFETIME = timedelta(days=1)
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
_DATES = ("issued_on", "reference", "reported_on")


def options_to_json(options: ImportOptions) -> dict[str, Any]:
    """The options as JSON values (dates as ISO strings)."""
    data = asdict(options)
    for name in _DATES:
        if data[name] is not None:
            data[name] = data[name].isoformat()
    if data["columns"] is not None:
        data["columns"] = dict(data["columns"])
    return data


def options_from_json(data: Mapping[str, Any]) -> ImportOptions:
    """The options written by `options_to_json` (our own file: trusted, not a browser's)."""
    values = dict(data)
    for name in _DATES:
        if values.get(name):
            values[name] = date.fromisoformat(values[name])
    return ImportOptions(**values)


class AlreadyClaimed(Exception):
    """The upload is being confirmed, or was, by another request."""


@dataclass
class StoredImport:
    """One upload: who sent it, how to read it, and what reading it gave.

    Exactly one of `preview` (the preview's JSON) and `problem` is set. A problem is what
    stops a preview and that the user can fix on the page: {"kind": "columns", "message"}
    (a table whose header is not recognised: a column mapping is asked for) or
    {"kind": "legacy", "message", "encoding"} (legacy text unreadable until converted)."""

    token: str
    user_id: int
    created_at: datetime
    filename: str
    options: dict[str, Any]
    preview: dict[str, Any] | None = None
    problem: dict[str, Any] | None = None

    @property
    def import_options(self) -> ImportOptions:
        return options_from_json(self.options)

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "created_at": self.created_at.isoformat()}


@dataclass(frozen=True)
class Tombstone:
    """What is left of a confirmed upload: whose it was and the directive it went into."""

    user_id: int
    directive_id: int


class ImportStore:
    """The uploads of one directory."""

    def __init__(self, directory: Path, now: datetime, lifetime: timedelta = LIFETIME) -> None:
        self.directory = directory
        self.now = now
        self.lifetime = lifetime

    # paths ----------------------------------------------------------------------------------
    def _path(self, token: str, suffix: str) -> Path:
        if not _TOKEN.match(token):
            raise NotFound()
        return self.directory / f"{token}.{suffix}"

    def _write(self, path: Path, data: bytes) -> None:
        """Write `data` to `path` whole or not at all (a temporary file, then a rename)."""
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
        temporary.write_bytes(data)
        os.replace(temporary, path)

    def _write_json(self, path: Path, value: Any) -> None:
        self._write(path, json.dumps(value, ensure_ascii=False).encode("utf-8"))

    # life cycle -----------------------------------------------------------------------------
    def create(
        self,
        user_id: int,
        file: ImportFile,
        options: ImportOptions,
        *,
        preview: dict[str, Any] | None = None,
        problem: dict[str, Any] | None = None,
    ) -> StoredImport:
        """Keep a new upload; returns it with its token."""
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.purge()
        stored = StoredImport(
            token=secrets.token_urlsafe(24),
            user_id=user_id,
            created_at=self.now,
            filename=file.filename,
            options=options_to_json(options),
            preview=preview,
            problem=problem,
        )
        self._write(self._path(stored.token, "bin"), file.data)
        self.save(stored)
        return stored

    def save(self, stored: StoredImport) -> None:
        """Write the upload's record again (after reading the file with other options)."""
        self._write_json(self._path(stored.token, "json"), stored.to_json())

    def get(self, token: str, user_id: int) -> StoredImport:
        """The user's upload under `token`; NotFound when it is missing, expired or not theirs."""
        path = self._path(token, "json")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise NotFound() from error
        try:
            data["created_at"] = datetime.fromisoformat(data["created_at"])
            stored = StoredImport(**data)
        except (KeyError, TypeError, ValueError) as error:  # written by another version
            raise NotFound() from error
        if stored.user_id != user_id:
            raise NotFound()
        if self.now - stored.created_at > self.lifetime:
            self.discard(stored)
            raise NotFound()
        return stored

    def file(self, stored: StoredImport) -> ImportFile:
        """The uploaded file itself."""
        try:
            data = self._path(stored.token, "bin").read_bytes()
        except OSError as error:
            raise NotFound() from error
        return ImportFile(stored.filename, data)

    @contextlib.contextmanager
    def claim(self, stored: StoredImport) -> Iterator[None]:
        """Hold the upload while it is written. Raises AlreadyClaimed when another request
        holds it or has confirmed it; an error inside gives it back, to correct and retry."""
        record = self._path(stored.token, "json")
        claimed = self._path(stored.token, "claimed")
        try:
            os.rename(record, claimed)  # atomic: of two confirmations, one gets the record
        except FileNotFoundError as error:
            raise AlreadyClaimed() from error
        try:
            yield
        except BaseException:
            os.replace(claimed, record)
            raise

    def finish(self, stored: StoredImport, directive_id: int) -> None:
        """After the commit: leave a tombstone and drop the rest."""
        self._write_json(
            self._path(stored.token, "done"),
            {"user_id": stored.user_id, "directive_id": directive_id},
        )
        for suffix in ("claimed", "bin", "json"):
            self._path(stored.token, suffix).unlink(missing_ok=True)

    def tombstone(self, token: str, user_id: int) -> Tombstone | None:
        """The user's confirmed upload under `token`, if that is what it is."""
        try:
            data = json.loads(self._path(token, "done").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if data.get("user_id") != user_id:
            return None
        return Tombstone(user_id=data["user_id"], directive_id=data["directive_id"])

    def discard(self, stored: StoredImport) -> None:
        """Forget an upload the user cancelled (or that expired)."""
        for suffix in ("json", "bin"):
            self._path(stored.token, suffix).unlink(missing_ok=True)

    def purge(self) -> None:
        """Delete what is older than the lifetime: uploads never confirmed, tombstones."""
        limit = self.now.timestamp() - self.lifetime.total_seconds()
        for path in self.directory.iterdir():
            with contextlib.suppress(OSError):
                if path.is_file() and path.stat().st_mtime < limit:
                    path.unlink()
