"""`flask deadlines …`: read a deadline phrase, or re-read every task's after a rule change."""

from __future__ import annotations

import json
from datetime import date, datetime

import click
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.audit import set_actor
from app.clock import today_local
from app.extensions import db
from app.tasks.deadlines import Deadline, explain_deadline, find_deadline
from app.tasks.models import Task
from app.tasks.services import apply_deadline


@click.group("deadlines")
def deadlines_cli() -> None:
    """Read Vietnamese deadline phrases."""


def _day(value: str | None) -> date:
    if not value:
        return today_local()
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as error:
        raise click.BadParameter("use YYYY-MM-DD", param_hint="--on") from error


@deadlines_cli.command("parse")
@click.argument("text")
@click.option(
    "--on", "on", help="Reference date (the directive's date), YYYY-MM-DD; default today."
)
@click.option("--find", is_flag=True, help="Find the deadline clause inside a longer sentence.")
def parse(text: str, on: str | None, find: bool) -> None:
    """Print how TEXT is read, as JSON: kind, due, start and dues, the rule that read it (its
    name in the docstring of app/tasks/deadlines), and the part of TEXT it read ("via" the
    whole "phrase", its "leading expression" or a "clause" inside it)."""
    reference = _day(on)
    if find:
        found = find_deadline(text, reference=reference)
        if found is None:
            click.echo(json.dumps(None))
            return
        span, deadline = found
        explained = {"rule": deadline.rule, "span": span, **deadline.to_json()}
        click.echo(json.dumps(explained, ensure_ascii=False))
        return
    click.echo(json.dumps(explain_deadline(text, reference=reference), ensure_ascii=False))


def _reading(kind: str, start: date | None, due: date | None) -> str:
    return f"{kind} {start.isoformat() if start else '-'} {due.isoformat() if due else '-'}"


@deadlines_cli.command("reparse")
@click.option("--dry-run", is_flag=True, help="Print the changes without saving them.")
@with_appcontext
def reparse(dry_run: bool) -> None:
    """Re-read every task's deadline phrase and print each change: kind, start and due before
    and after, and the rule that now reads the phrase."""
    set_actor(db.session, None, "flask deadlines reparse")
    changed = 0
    tasks = db.session.scalars(
        select(Task)
        .where(Task.deleted_at.is_(None))
        .options(selectinload(Task.directive))
        .order_by(Task.id)
    )
    for task in tasks:
        before = _reading(task.deadline_kind.value, task.deadline_start, task.deadline_due)
        deadline: Deadline = apply_deadline(task, today=today_local())
        after = _reading(task.deadline_kind.value, task.deadline_start, task.deadline_due)
        if before != after:
            changed += 1
            click.echo(
                f"task {task.id} {task.deadline_text!r}: {before} -> {after} ({deadline.rule})"
            )
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    click.echo(f"{changed} task(s) changed{' (dry run, nothing saved)' if dry_run else ''}")
