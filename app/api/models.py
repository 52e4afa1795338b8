"""Personal API tokens: a user's key for the JSON API, stored only as a hash."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.audit import Audited
from app.auth.models import User
from app.clock import now_utc
from app.db import Base, str_enum


class TokenScope(enum.StrEnum):
    READ = "read"  # GET only
    READ_WRITE = "read_write"  # also progress reports


class ApiToken(Audited, Base):
    """A personal token: shown once when made, then known only by its SHA-256 hash."""

    __tablename__ = "api_tokens"
    __audit_hidden__ = ("token_hash",)
    # Touched on use: journaling every call would fill the journal with noise.
    __audit_exclude__ = (*Audited.__audit_exclude__, "last_used_at")

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    scope: Mapped[TokenScope] = mapped_column(str_enum(TokenScope))
    # The first characters of the secret, to tell tokens apart in the list (not secret enough
    # to matter: the rest of the 43 random characters are).
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)

    user: Mapped[User] = relationship()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def __str__(self) -> str:
        return self.name
