"""Settings read from the environment once, validated at start-up."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LANGUAGES = ("vi", "en")


class ConfigError(RuntimeError):
    """A setting is missing or malformed; the app refuses to start."""


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept under instance/."""
    key = os.environ.get("SECRET_KEY")
    if key:
        if len(key) < 32:
            raise ConfigError("SECRET_KEY must be at least 32 characters long.")
        return key
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def database_url(instance_path: Path) -> str:
    """DATABASE_URL, defaulting to SQLite under instance/; postgres URLs use psycopg 3."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'nhiemvu.db'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix) :]
    if not url.startswith(("sqlite:", "postgresql+psycopg:")):
        raise ConfigError("DATABASE_URL must be a sqlite:/// or postgresql:// URL.")
    return url


@dataclass
class Settings:
    """The Flask config mapping, built from the environment plus explicit overrides."""

    instance_path: Path
    overrides: dict[str, Any] = field(default_factory=dict)

    def as_mapping(self) -> dict[str, Any]:
        language = os.environ.get("DEFAULT_LANGUAGE", "vi")
        if language not in LANGUAGES:
            raise ConfigError(f"DEFAULT_LANGUAGE must be one of {', '.join(LANGUAGES)}.")
        values: dict[str, Any] = {
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
            "BABEL_DEFAULT_LOCALE": language,
            "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
            "LANGUAGES": LANGUAGES,
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "0") == "1",
            "REMEMBER_COOKIE_HTTPONLY": True,
            "PROVINCE_NAME": os.environ.get("PROVINCE_NAME", "Bình Định"),
            "PAGE_SIZE": 50,
        }
        values.update(self.overrides)
        if "SQLALCHEMY_DATABASE_URI" not in values:
            values["SQLALCHEMY_DATABASE_URI"] = database_url(self.instance_path)
        if "SECRET_KEY" not in values:
            values["SECRET_KEY"] = _secret_key(self.instance_path)
        return values
