"""`flask reports build|overdue`: build (or find) a report and write it out in some formats."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from app.agencies.services import resolve_agency
from app.audit import set_actor
from app.auth.models import User
from app.clock import today_local
from app.directives.models import Directive
from app.errors import DomainError, ValidationFailed
from app.extensions import db
from app.reports.models import ReportKind, ReportSnapshot
from app.reports.scope import Scope
from app.reports.services import build_report, formats, get_snapshot, render
from app.text import fold

LABEL = "flask reports"


@click.group("reports")
def reports_cli() -> None:
    """Build periodic reports and the overdue list, and write them to files."""


def _directive_ids(numbers: tuple[str, ...]) -> tuple[int, ...]:
    if not numbers:
        return ()
    known = {
        fold(number): directive_id
        for directive_id, number in db.session.execute(
            select(Directive.id, Directive.number).where(
                Directive.number.is_not(None), Directive.deleted_at.is_(None)
            )
        )
    }
    ids = []
    for number in numbers:
        directive_id = known.get(fold(number))
        if directive_id is None:
            raise click.BadParameter(f"no directive numbered {number!r}", param_hint="--directive")
        ids.append(directive_id)
    return tuple(ids)


def _agency_id(name: str | None) -> int | None:
    if not name:
        return None
    agency = resolve_agency(db.session, name)
    if agency is None:
        raise click.BadParameter(f"no agency called {name!r}", param_hint="--agency")
    return agency.id


def _actor(username: str | None) -> User | None:
    if not username:
        return None
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise click.BadParameter(f"no user {username!r}", param_hint="--user")
    return user


def _formats(value: str, kind: ReportKind) -> list[str]:
    allowed = formats(kind)
    chosen = [part.strip() for part in value.split(",") if part.strip()]
    if chosen == ["all"]:
        return list(allowed)
    unknown = [fmt for fmt in chosen if fmt not in allowed]
    if unknown or not chosen:
        raise click.BadParameter(
            f"choose among {', '.join(allowed)} (or all)", param_hint="--format"
        )
    return list(dict.fromkeys(chosen))


class _Bar:
    """A click progress bar opened once the number of tasks is known."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=max(total, 1), label=self.label)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _run(build: Callable[[_Bar], ReportSnapshot], chosen: list[str], out: str) -> None:
    bar = _Bar("Gathering tasks")
    try:
        snapshot = build(bar)
    except ValidationFailed as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    finally:
        bar.close()
    fresh = snapshot.fresh
    db.session.commit()
    if fresh:
        click.echo(f"Built report #{snapshot.id} ({snapshot.rows} tasks).")
    else:
        click.echo(
            f"Report #{snapshot.id} was already built on {snapshot.built_at:%Y-%m-%d %H:%M} UTC; "
            "writing it as built (--rebuild replaces it)."
        )
    snapshot = get_snapshot(db.session, snapshot.id)
    directory = Path(out)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    with click.progressbar(chosen, label="Writing files") as items:
        for fmt in items:
            try:
                name, _mimetype, body = render(snapshot, fmt)
            except DomainError as error:
                raise click.ClickException(f"{fmt}: {error.message}") from None
            path = directory / name
            path.write_bytes(body)
            written.append(path)
    for path in written:
        click.echo(str(path))


@reports_cli.command("build")
@click.option("--period", required=True, help='"2024-03", "2024-Q1", "2024-H1" or "2024".')
@click.option("--directive", "directives", multiple=True, help='A directive number, "131/NQ-CP".')
@click.option("--agency", help="Only the tasks this agency leads (name, short name or alias).")
@click.option(
    "--format", "fmt", default="pdf,docx,xlsx", show_default=True, help="Comma-separated."
)
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Output directory.")
@click.option("--rebuild", is_flag=True, help="Replace the report already built, on purpose.")
@click.option("--user", help="Record this user as the builder (default: the command).")
@with_appcontext
def build_command(
    period: str,
    directives: tuple[str, ...],
    agency: str | None,
    fmt: str,
    out: str,
    rebuild: bool,
    user: str | None,
) -> None:
    """Build the progress-report appendix of PERIOD (and its cover letter)."""
    set_actor(db.session, None, LABEL)
    chosen = _formats(fmt, ReportKind.APPENDIX)
    scope = Scope(_directive_ids(directives), _agency_id(agency))
    actor = _actor(user)

    def build(bar: _Bar) -> ReportSnapshot:
        return build_report(
            db.session,
            period=period,
            scope=scope,
            actor=actor,
            rebuild=rebuild,
            today=today_local(),
            actor_label=LABEL,
            progress=bar,
        )

    _run(build, chosen, out)


@reports_cli.command("overdue")
@click.option("--on", "on", type=click.DateTime(formats=["%Y-%m-%d"]), help="Default: today.")
@click.option("--directive", "directives", multiple=True, help='A directive number, "131/NQ-CP".')
@click.option("--agency", help="Only the tasks this agency leads (name, short name or alias).")
@click.option("--format", "fmt", default="pdf,xlsx", show_default=True, help="Comma-separated.")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Output directory.")
@click.option("--rebuild", is_flag=True, help="Replace the list already built for that day.")
@click.option("--user", help="Record this user as the builder (default: the command).")
@with_appcontext
def overdue_command(
    on: Any,
    directives: tuple[str, ...],
    agency: str | None,
    fmt: str,
    out: str,
    rebuild: bool,
    user: str | None,
) -> None:
    """Build the chairperson's list of overdue tasks as of a day."""
    set_actor(db.session, None, LABEL)
    chosen = _formats(fmt, ReportKind.OVERDUE)
    scope = Scope(_directive_ids(directives), _agency_id(agency))
    actor = _actor(user)
    today = today_local()
    day: date = on.date() if on is not None else today

    def build(bar: _Bar) -> ReportSnapshot:
        return build_report(
            db.session,
            period=day,
            scope=scope,
            actor=actor,
            rebuild=rebuild,
            today=today,
            kind=ReportKind.OVERDUE,
            actor_label=LABEL,
            progress=bar,
        )

    _run(build, chosen, out)
