"""Accounts: creation, password checks with lockout, ending sessions."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.auth.models import Role, User
from app.errors import ValidationFailed
from app.text import fold, fold_join

if TYPE_CHECKING:
    from app.agencies.models import Agency

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10


def generate_password() -> str:
    """A random password for a new account (shown once, never stored in clear)."""
    return secrets.token_urlsafe(12)


def find_user(session: Session, username: str) -> User | None:
    """The user with this username, case-insensitively."""
    return session.scalar(select(User).where(func.lower(User.username) == username.lower()))


def create_user(
    session: Session,
    *,
    username: str,
    full_name: str,
    role: Role,
    password: str,
    agency: Agency | None = None,
    email: str | None = None,
) -> User:
    """Create an account after checking every rule; raises ValidationFailed with all reasons."""
    reasons: dict[str, list[str]] = {}
    username = username.strip()
    if not username:
        reasons.setdefault("username", []).append(_("A username is required."))
    elif find_user(session, username) is not None:
        reasons.setdefault("username", []).append(_("This username is already taken."))
    if role == Role.DEPARTMENT and agency is None:
        reasons.setdefault("agency", []).append(_("A department user must belong to an agency."))
    if len(password) < MIN_PASSWORD_LENGTH:
        reasons.setdefault("password", []).append(
            _("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)
        )
    if reasons:
        raise ValidationFailed(reasons)
    user = User(
        username=username,
        full_name=full_name.strip() or username,
        role=role,
        agency=agency,
        email=(email or "").strip() or None,
    )
    user.set_password(password)
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str, now: datetime) -> User | None:
    """The user if the password matches and the account is usable; counts failures."""
    user = find_user(session, username)
    if user is None:
        return None
    if not user.active or (user.locked_until is not None and user.locked_until > now):
        return None
    if not user.check_password(password):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = now + LOCKOUT
            user.failed_logins = 0
        return None
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    return user


def end_sessions(user: User) -> None:
    """Invalidate every live login of `user` (their cookies carry the old version)."""
    user.session_version += 1


def set_active(user: User, active: bool) -> None:
    """Activate or deactivate; deactivation ends live sessions at once."""
    user.active = active
    if not active:
        end_sessions(user)


# --- Administration of accounts (role admin) ---


@dataclass(frozen=True)
class UserFilters:
    """What the administrator narrowed the account list to."""

    query: str = ""
    role: Role | None = None
    agency_id: int | None = None


def is_locked(user: User, now: datetime) -> bool:
    """Whether repeated failures currently lock the account."""
    return user.locked_until is not None and user.locked_until > now


def list_users(session: Session, filters: UserFilters) -> list[User]:
    """Accounts matching the filters; the query matches username, full name and email, folded."""
    statement = select(User).options(selectinload(User.agency)).order_by(User.username)
    if filters.role is not None:
        statement = statement.where(User.role == filters.role)
    if filters.agency_id is not None:
        statement = statement.where(User.agency_id == filters.agency_id)
    users = list(session.scalars(statement))
    words = fold(filters.query).split()
    if not words:
        return users
    # Accounts number in the hundreds at most: folding in Python keeps đ → d on every database.
    return [
        user
        for user in users
        if all(word in fold_join(user.username, user.full_name, user.email) for word in words)
    ]


def _agency_reasons(
    role: Role, agency: Agency | None, current: Agency | None
) -> dict[str, list[str]]:
    """Department users must belong to an agency (it confines what they see); for other roles
    it is optional (office staff belong to the office); no new link to an inactive agency."""
    if role == Role.DEPARTMENT and agency is None:
        return {"agency": [_("A department user must belong to an agency.")]}
    if agency is not None and not agency.active and agency is not current:
        return {"agency": [_("This agency is inactive.")]}
    return {}


def create_account(
    session: Session,
    *,
    username: str,
    full_name: str,
    role: Role,
    agency: Agency | None = None,
    email: str | None = None,
) -> tuple[User, str]:
    """Create an account with a generated password; returns it once, for the admin to hand over."""
    reasons = _agency_reasons(role, agency, None)
    if reasons:
        # Report the username's problems too, so the admin sees every failure at once.
        if not username.strip():
            reasons["username"] = [_("A username is required.")]
        elif find_user(session, username.strip()) is not None:
            reasons["username"] = [_("This username is already taken.")]
        raise ValidationFailed(reasons)
    password = generate_password()
    user = create_user(
        session,
        username=username,
        full_name=full_name,
        role=role,
        password=password,
        agency=agency,
        email=email,
    )
    return user, password


def update_account(
    session: Session,
    *,
    actor: User,
    user: User,
    full_name: str,
    email: str | None,
    role: Role,
    agency: Agency | None,
) -> None:
    """Change an account's name, email, role and agency; an admin keeps their own admin role."""
    reasons = _agency_reasons(role, agency, user.agency)
    if user.id == actor.id and role != Role.ADMIN:
        reasons["role"] = [_("You cannot remove your own administrator role.")]
    if not full_name.strip():
        reasons["full_name"] = [_("A full name is required.")]
    if reasons:
        raise ValidationFailed(reasons)
    user.full_name = full_name.strip()
    user.email = (email or "").strip() or None
    user.role = role
    user.agency = agency
    session.flush()


def change_active(session: Session, *, actor: User, user: User, active: bool) -> None:
    """Deactivate (ending live sessions at once) or reactivate; never one's own account."""
    if not active and user.id == actor.id:
        raise ValidationFailed({"active": [_("You cannot deactivate your own account.")]})
    if user.active != active:
        set_active(user, active)
    session.flush()


def unlock(session: Session, user: User) -> None:
    """Lift a lockout: clear the failure count and the lock."""
    user.failed_logins = 0
    user.locked_until = None
    session.flush()


def reset_password(session: Session, user: User) -> str:
    """Give `user` a new random password (returned once), end their sessions, lift any lock."""
    password = generate_password()
    user.set_password(password)
    end_sessions(user)
    unlock(session, user)
    return password
