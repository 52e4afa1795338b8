"""Personal API tokens: create (the secret shown once), revoke, and recognise on a request."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.api.models import ApiToken, TokenScope
from app.auth.models import User
from app.errors import NotFound, ValidationFailed

TOKEN_PREFIX = "nv_"  # noqa: S105  (marks a token, not a secret)
MAX_TOKENS = 20  # live tokens per user
MAX_NAME = 100
# last_used_at is written at most this often per token, not on every call.
TOUCH_EVERY = timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    """The stored form of a token: SHA-256 of the secret (random, so no salt or stretching)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class NewToken:
    """A token just made and its secret, which is never shown again."""

    token: ApiToken
    secret: str


def user_tokens(session: Session, user: User) -> list[ApiToken]:
    """The user's tokens, live first, newest first."""
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id)
        )
    )


def create_token(
    session: Session, *, user: User, name: str, scope: TokenScope, now: datetime
) -> NewToken:
    """Make a token for `user`; raises ValidationFailed with every reason."""
    name = (name or "").strip()
    reasons: dict[str, list[str]] = {}
    if not name:
        reasons.setdefault("name", []).append(_("Give the token a name."))
    elif len(name) > MAX_NAME:
        reasons.setdefault("name", []).append(
            _("The name is too long (at most %(n)d characters).", n=MAX_NAME)
        )
    live = [t for t in user_tokens(session, user) if not t.is_revoked]
    if len(live) >= MAX_TOKENS:
        reasons.setdefault("name", []).append(
            _("You already have %(n)d tokens; revoke one first.", n=MAX_TOKENS)
        )
    if reasons:
        raise ValidationFailed(reasons)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        scope=scope,
        prefix=secret[:10],
        token_hash=hash_secret(secret),
        created_at=now,
    )
    session.add(token)
    session.flush()
    return NewToken(token, secret)


def revoke_token(session: Session, *, user: User, token_id: int, now: datetime) -> ApiToken:
    """Revoke one of the user's own tokens (someone else's is NotFound); idempotent."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound()
    if token.revoked_at is None:
        token.revoked_at = now
        session.flush()
    return token


def token_for(session: Session, secret: str) -> ApiToken | None:
    """The live token with this secret whose user is active, else None (reads only)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_secret(secret)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    return token


def use_due(token: ApiToken, now: datetime) -> bool:
    """Whether a call at `now` is to be recorded as the token's last use (once a minute)."""
    return token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY


def record_use(session: Session, token_id: int, now: datetime) -> None:
    """Record `now` as the token's last use (not journaled: see ApiToken)."""
    session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))
