"""`flask users …`: accounts for operators."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from app.agencies.services import resolve_agency
from app.audit import set_actor
from app.auth.models import Role, User
from app.auth.services import MIN_PASSWORD_LENGTH, create_user, end_sessions, find_user
from app.errors import ValidationFailed
from app.extensions import db


def _read_password() -> str:
    """Typed twice at a terminal, else the first line of standard input."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\n")


@click.group("users")
def users_cli() -> None:
    """Manage user accounts."""


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--agency", "agency_name", help="Agency name or alias (required for department).")
@click.option("--email", default=None)
@click.option("--full-name", default="", help="Defaults to the username.")
@with_appcontext
def create(
    username: str, role: str, agency_name: str | None, email: str | None, full_name: str
) -> None:
    """Create USERNAME; the password is read from standard input (one line)."""
    agency = None
    if agency_name:
        agency = resolve_agency(db.session, agency_name)
        if agency is None:
            raise click.UsageError(f"No agency matches {agency_name!r}.")
    password = _read_password()
    set_actor(db.session, None, "flask users create")
    try:
        user = create_user(
            db.session,
            username=username,
            full_name=full_name,
            role=Role(role),
            password=password,
            agency=agency,
            email=email,
        )
    except ValidationFailed as error:
        db.session.rollback()
        for messages in error.reasons.values():
            for message in messages:
                click.echo(f"error: {message}", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"created {user.username} ({user.role.value})")


@users_cli.command("list")
@with_appcontext
def list_users() -> None:
    """List accounts: username, role, agency, active."""
    for user in db.session.scalars(select(User).order_by(User.username)):
        agency = user.agency.name if user.agency else "-"
        state = "active" if user.active else "inactive"
        click.echo(f"{user.username}\t{user.role.value}\t{agency}\t{state}\t{user.full_name}")


@users_cli.command("set-password")
@click.argument("username")
@with_appcontext
def set_password(username: str) -> None:
    """Set USERNAME's password (read from standard input) and end their live sessions."""
    user = find_user(db.session, username)
    if user is None:
        raise click.UsageError(f"No user {username!r}.")
    password = _read_password()
    if len(password) < MIN_PASSWORD_LENGTH:
        click.echo(
            f"error: the password must have at least {MIN_PASSWORD_LENGTH} characters", err=True
        )
        sys.exit(1)
    set_actor(db.session, None, "flask users set-password")
    user.set_password(password)
    user.failed_logins = 0
    user.locked_until = None
    end_sessions(user)
    db.session.commit()
    click.echo(f"password of {user.username} changed; their sessions have ended")
