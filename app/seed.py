"""`flask seed`: load the real documents under seeds/ as demo data, idempotently.

Rows are matched by natural key (agency name; directive number, else kind + summary;
section number; task outline number, else its position; progress update by task, agency,
period and date), and fields are only assigned when they differ, so a second run changes
nothing and journals nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import click
import yaml
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.agencies.models import Agency, AgencyAlias, AgencyKind
from app.agencies.services import agency_index
from app.audit import set_actor
from app.auth.models import Role, User
from app.auth.services import create_user, generate_password
from app.clock import today_local
from app.directives.models import Directive, DirectiveKind, Section
from app.extensions import db
from app.tasks.models import ProgressUpdate, Status, Task
from app.tasks.services import apply_deadline
from app.text import clean_multiline, fold

DEMO_USERS = (
    # username, full name, role, agency
    ("admin", "Quản trị hệ thống", Role.ADMIN, None),
    ("vanphong", "Chuyên viên Văn phòng UBND tỉnh", Role.OFFICE, "Văn phòng UBND tỉnh"),
    (
        "sotttt",
        "Chuyên viên Sở Thông tin và Truyền thông",
        Role.DEPARTMENT,
        "Sở Thông tin và Truyền thông",
    ),
    ("lanhdao", "Lãnh đạo UBND tỉnh", Role.LEADER, None),
)

# The demo leader oversees these agencies (as a vice-chair oversees a sector), so that the
# dashboard's "supervised first" ordering and the supervisor column have something to show.
DEMO_SUPERVISED = ("lanhdao", ("Sở Thông tin và Truyền thông", "Cục Thống kê tỉnh", "Sở Nội vụ"))


@dataclass
class SeedReport:
    """What a seed run found and created, per document."""

    counts: dict[str, int] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=dict)
    passwords: dict[str, str] = field(default_factory=dict)

    def saw(self, what: str, created: bool) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1
        if created:
            self.created[what] = self.created.get(what, 0) + 1


def _assign(obj: Any, **values: Any) -> None:
    """Set only the fields that differ, so unchanged rows stay clean."""
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)


def _text(value: Any) -> str | None:
    return clean_multiline(str(value)) if value is not None else None


def _read(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


class Loader:
    """Loads the seed files of one directory into one session."""

    def __init__(self, session: Session, directory: Path, today: date) -> None:
        self.session = session
        self.directory = directory
        self.today = today
        self.report = SeedReport()
        self.directives: dict[str, Directive] = {}
        self._agencies: dict[str, Agency] = {}

    # agencies -----------------------------------------------------------------------------
    def agencies(self) -> None:
        existing = {a.name: a for a in self.session.scalars(select(Agency))}
        for row in _read(self.directory / "agencies.yaml"):
            agency = existing.get(row["name"])
            created = agency is None
            if agency is None:
                agency = Agency(name=row["name"])
                self.session.add(agency)
            _assign(
                agency,
                short_name=row.get("short_name"),
                kind=AgencyKind(row.get("kind") or "other"),
            )
            known = {a.alias_key for a in agency.aliases}
            for alias in row.get("aliases") or []:
                if fold(alias) not in known and fold(alias) != fold(agency.name):
                    agency.aliases.append(AgencyAlias(alias))
                    known.add(fold(alias))
            self.report.saw("agencies", created)
        self.session.flush()
        self._agencies = agency_index(self.session)

    def agency(self, written: str | None) -> Agency | None:
        if not written:
            return None
        agency = self._agencies.get(fold(written))
        if agency is None:
            raise click.ClickException(f"seed names an unknown agency: {written!r}")
        return agency

    # directives ---------------------------------------------------------------------------
    def directive_rows(self) -> None:
        rows = _read(self.directory / "directives.yaml")
        for row in rows:
            kind = DirectiveKind(row["kind"])
            summary = _text(row["summary"]) or ""
            if row.get("number"):
                statement = select(Directive).where(Directive.number == str(row["number"]))
            else:
                statement = select(Directive).where(
                    Directive.kind == kind, Directive.number.is_(None), Directive.summary == summary
                )
            directive = self.session.scalar(statement)
            created = directive is None
            if directive is None:
                directive = Directive(kind=kind, summary=summary, issuer=row["issuer"])
                self.session.add(directive)
            _assign(
                directive,
                kind=kind,
                number=str(row["number"]) if row.get("number") else None,
                issued_on=row.get("issued_on"),
                issuer=row["issuer"],
                summary=summary,
                signer=row.get("signer"),
                signer_title=_text(row.get("signer_title")),
                full_text=_text(row.get("full_text")),
            )
            self.directives[row["key"]] = directive
            self.report.saw("directives", created)
        self.session.flush()
        for row in rows:
            target = self.directives[row["implements"]] if row.get("implements") else None
            _assign(self.directives[row["key"]], implements=target)

    # sections and tasks -------------------------------------------------------------------
    def section(self, directive: Directive, number: str, title: str, position: int) -> Section:
        section = next((s for s in directive.sections if s.number == number), None)
        if section is None:
            section = Section(number=number, title=title, position=position)
            directive.sections.append(section)
        _assign(section, title=_text(title), position=position)
        return section

    def task(self, directive: Directive, what: str, position: int, **values: Any) -> Task:
        outline = values.get("outline")
        key = Task.outline == outline if outline else Task.position == position
        task = self.session.scalar(
            select(Task).where(Task.directive_id == directive.id, key, Task.deleted_at.is_(None))
        )
        created = task is None
        if task is None:
            task = Task(directive=directive, title=values["title"], position=position)
            self.session.add(task)
        coordinators = values.pop("coordinators", [])
        _assign(task, position=position, **values)
        if {a.id for a in task.coordinators} != {a.id for a in coordinators}:
            task.coordinators = coordinators
        apply_deadline(task, today=self.today)
        self.report.saw(what, created)
        return task

    def appendix(self, filename: str) -> None:
        data = _read(self.directory / filename)
        directive = self.directives[data["directive"]]
        lead = self.agency(data.get("lead"))
        report = data.get("report") or {}
        position = 0
        for s_index, section_row in enumerate(data["sections"]):
            section = self.section(directive, section_row["number"], section_row["title"], s_index)
            for row in section_row["tasks"]:
                position += 1
                status = Status(row["status"])
                task = self.task(
                    directive,
                    f"tasks in {filename}",
                    position,
                    outline=str(row["outline"]),
                    title=_text(row["title"]),
                    section=section,
                    lead_agency=lead,
                    deadline_text=_text(row.get("deadline")),
                    assigned_on=directive.issued_on,
                    status=status,
                )
                if row.get("explanation"):
                    self.progress(task, report, status, _text(row["explanation"]) or "")

    def progress(self, task: Task, report: dict[str, Any], status: Status, text: str) -> None:
        agency = self.agency(report.get("reporting_agency"))
        self.session.flush()
        update = self.session.scalar(
            select(ProgressUpdate).where(
                ProgressUpdate.task_id == task.id,
                ProgressUpdate.period == report.get("period"),
                ProgressUpdate.reported_on == report["reported_on"],
            )
        )
        created = update is None
        if update is None:
            update = ProgressUpdate(task=task, reported_on=report["reported_on"], status=status)
            self.session.add(update)
        _assign(update, agency=agency, period=report.get("period"), status=status, explanation=text)
        self.report.saw("progress updates", created)

    def notice(self, filename: str) -> None:
        data = _read(self.directory / filename)
        directive = self.directives[data["directive"]]
        position = 0
        for heading in data["headings"]:
            for item in heading["items"]:
                position += 1
                lead_text = item.get("lead_text") or (
                    heading["owner_text"] if not heading.get("lead") else None
                )
                self.task(
                    directive,
                    f"tasks in {filename}",
                    position,
                    title=_text(item["title"]),
                    lead_agency=self.agency(item.get("lead") or heading.get("lead")),
                    lead_text=_text(lead_text),
                    coordinators=[self.agency(n) for n in item.get("coordinators") or []],
                    coordinators_text=_text(item.get("coordinators_text")),
                    deadline_text=_text(item.get("deadline")),
                    assigned_on=data.get("reference_date"),
                )

    def plan(self, filename: str) -> None:
        data = _read(self.directory / filename)
        directive = self.directives[data["directive"]]
        by_outline: dict[str, Task] = {}
        position = 0
        for s_index, section_row in enumerate(data["sections"]):
            section = self.section(directive, section_row["number"], section_row["title"], s_index)
            for row in section_row["rows"]:
                position += 1
                outline = str(row["outline"]).strip()
                lead = self.agency(row.get("lead"))
                lead_text = _text(row.get("lead_text"))
                task = self.task(
                    directive,
                    f"tasks in {filename}",
                    position,
                    outline=outline,
                    code=str(row["code"]) if row.get("code") is not None else None,
                    title=_text(row["title"]),
                    section=section,
                    parent=self._parent(by_outline, outline),
                    lead_agency=lead,
                    lead_text=lead_text if lead is None or lead_text != lead.name else None,
                    coordinators=[self.agency(n) for n in row.get("coordinators") or []],
                    coordinators_text=_text(row.get("coordinators_text")),
                    start_text=_text(row.get("start")),
                    deadline_text=_text(row.get("deadline")),
                    product=_text(row.get("product")),
                    assigned_on=data.get("reference_date"),
                )
                by_outline[outline] = task

    @staticmethod
    def _parent(by_outline: dict[str, Task], outline: str) -> Task | None:
        """The nearest listed ancestor: 5.3.2.1 hangs under 5.3 when 5.3.2 is not printed."""
        parts = outline.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            parent = by_outline.get(".".join(parts[:cut]))
            if parent is not None:
                return parent
        return None

    # users --------------------------------------------------------------------------------
    def demo_users(self) -> None:
        for username, full_name, role, agency_name in DEMO_USERS:
            if self.session.scalar(select(User).where(User.username == username)) is not None:
                self.report.saw("users", False)
                continue
            password = generate_password()
            user = create_user(
                self.session,
                username=username,
                full_name=full_name,
                role=role,
                password=password,
                agency=self.agency(agency_name),
            )
            self.report.passwords[username] = password
            self.report.saw("users", True)
            if username == DEMO_SUPERVISED[0]:
                # Only when the account is new: a later choice by an administrator stands.
                for name in DEMO_SUPERVISED[1]:
                    agency = self.agency(name)
                    if agency is not None and agency.supervisor_id is None:
                        agency.supervisor = user


SEED_FILES = {
    "appendix": ("appendix_131.yaml",),
    "notice": ("notice_cds_2024.yaml",),
    "plan": ("plan_statistics_2022.yaml",),
}


def load_seeds(
    session: Session, directory: Path, *, today: date, demo_users: bool = True
) -> SeedReport:
    """Load every seed file in order; the caller commits."""
    loader = Loader(session, directory, today)
    loader.agencies()
    loader.directive_rows()
    for name in SEED_FILES["appendix"]:
        loader.appendix(name)
    for name in SEED_FILES["notice"]:
        loader.notice(name)
    for name in SEED_FILES["plan"]:
        loader.plan(name)
    if demo_users:
        loader.demo_users()
    session.flush()
    return loader.report


def seeds_directory() -> Path:
    return Path(current_app.root_path).parent / "seeds"


@click.command("seed")
@click.option("--demo-users/--no-demo-users", default=True, help="Create one user per role.")
@with_appcontext
def seed_command(demo_users: bool) -> None:
    """Load the province's real documents as demo data (safe to run again)."""
    set_actor(db.session, None, "flask seed")
    report = load_seeds(db.session, seeds_directory(), today=today_local(), demo_users=demo_users)
    db.session.commit()
    for what, count in report.counts.items():
        click.echo(f"{what}: {count} ({report.created.get(what, 0)} new)")
    if report.passwords:
        click.echo("\nDemo accounts (passwords are shown this once):")
        for username, password in report.passwords.items():
            click.echo(f"  {username:<10} {password}")
