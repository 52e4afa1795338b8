"""Digests: the day's reminders grouped per recipient, and the email each one becomes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.agencies.models import Agency
from app.auth.models import Role, User
from app.mail import clean_header, valid_address
from app.reminders.plan import (
    DUE_TODAY,
    ESCALATION,
    OVERDUE,
    REPORT_REQUEST,
    Reminder,
    ReminderPlan,
)

AGENCY, LEADER, OFFICE = "agency", "leader", "office"


@dataclass
class Digest:
    """What one recipient (an agency, a leader, the office) is told on one day."""

    key: str  # the reminder log's recipient: "agency:3", "leader:7", "office"
    kind: str
    name: str
    user_ids: list[int] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    reminders: list[Reminder] = field(default_factory=list)


def kind_label(kind: str, days: int = 0) -> str:
    """A reminder kind as a heading."""
    if kind == DUE_TODAY:
        return _("Due today")
    if kind == OVERDUE:
        return _("Overdue")
    if kind == ESCALATION:
        return _("Overdue for long (escalated)")
    if kind == REPORT_REQUEST:
        return _("Progress report requested before the cut-off")
    return _("Due in %(days)s working days", days=kind.rpartition("_")[2])


def _addresses(*values: str | None) -> list[str]:
    found: list[str] = []
    for value in values:
        for part in (value or "").replace(";", ",").split(","):
            address = valid_address(part)
            if address and address.lower() not in {a.lower() for a in found}:
                found.append(address)
    return found


def build_digests(session: Session, plan: ReminderPlan) -> list[Digest]:
    """Group the plan: each agency its tasks, each leader the overdue tasks of the agencies
    they supervise and the escalations, the office the escalations."""
    groups: dict[str, list[Reminder]] = defaultdict(list)
    for reminder in plan.reminders:
        if reminder.kind == ESCALATION:
            if reminder.leader_id is not None:
                groups[f"{LEADER}:{reminder.leader_id}"].append(reminder)
            groups[OFFICE].append(reminder)
            continue
        groups[f"{AGENCY}:{reminder.agency_id}"].append(reminder)
        if reminder.kind == OVERDUE and reminder.agency_leader_id is not None:
            groups[f"{LEADER}:{reminder.agency_leader_id}"].append(reminder)
    agency_ids = {int(k.partition(":")[2]) for k in groups if k.startswith(AGENCY)}
    leader_ids = {int(k.partition(":")[2]) for k in groups if k.startswith(LEADER)}
    agencies = {a.id: a for a in session.scalars(select(Agency).where(Agency.id.in_(agency_ids)))}
    members: dict[int, list[User]] = defaultdict(list)
    for user in session.scalars(
        select(User).where(
            User.agency_id.in_(agency_ids), User.role == Role.DEPARTMENT, User.active.is_(True)
        )
    ):
        members[user.agency_id or 0].append(user)
    leaders = {
        u.id: u
        for u in session.scalars(select(User).where(User.id.in_(leader_ids), User.active.is_(True)))
    }
    office = list(
        session.scalars(select(User).where(User.role == Role.OFFICE, User.active.is_(True)))
    )
    digests = []
    for key in sorted(groups):
        kind, _sep, ident = key.partition(":")
        if kind == AGENCY:
            agency = agencies[int(ident)]
            users = sorted(members[agency.id], key=lambda u: u.id)
            digest = Digest(key, kind, agency.name, [u.id for u in users])
            digest.addresses = _addresses(agency.email, *(u.email for u in users))
        elif kind == LEADER:
            leader = leaders.get(int(ident))
            if leader is None:
                continue
            digest = Digest(key, kind, leader.full_name, [leader.id], _addresses(leader.email))
        else:
            digest = Digest(key, kind, _("Office"), [u.id for u in office])
            digest.addresses = _addresses(*(u.email for u in office))
        digest.reminders = sorted(groups[key], key=lambda r: (r.kind, r.due, r.task_id))
        digests.append(digest)
    return digests


def _date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def task_url(base_url: str, task_id: int) -> str:
    return f"{base_url}/tasks/{task_id}"


def _sections(reminders: list[Reminder]) -> list[tuple[str, list[Reminder]]]:
    order: dict[str, list[Reminder]] = defaultdict(list)
    for reminder in reminders:
        order[reminder.kind].append(reminder)
    ranked = sorted(order, key=kind_rank)
    return [(kind_label(kind), order[kind]) for kind in ranked]


def kind_rank(kind: str) -> tuple[int, int]:
    """The order of the kinds in a digest: the most urgent first."""
    fixed = {ESCALATION: -3, OVERDUE: -2, DUE_TODAY: -1, REPORT_REQUEST: 99}
    if kind in fixed:
        return (fixed[kind], 0)
    return (0, int(kind.rpartition("_")[2]))


def render_digest(
    digest: Digest, reminders: list[Reminder], *, day: date, base_url: str, province: str
) -> tuple[str, str, str]:
    """(subject, plain text, HTML) of a digest's email, in the current locale."""
    subject = clean_header(
        _(
            "[%(province)s] Task reminders of %(day)s for %(name)s",
            province=province,
            day=_date(day),
            name=digest.name,
        )
    )
    intro = _(
        "The task tracking system reminds %(name)s of the following tasks as of %(day)s.",
        name=digest.name,
        day=_date(day),
    )
    due_word = _("due")
    text = [intro, ""]
    html = [f"<p>{escape(intro)}</p>"]
    for heading, items in _sections(reminders):
        text.append(f"{heading} ({len(items)}):")
        html.append(f"<h3>{escape(heading)} ({len(items)})</h3><ul>")
        for r in items:
            label = f"{r.outline}. {r.title}" if r.outline else r.title
            url = task_url(base_url, r.task_id)
            text.append(f"- {label} ({due_word} {_date(r.due)})\n  {url}")
            html.append(
                f'<li><a href="{escape(url)}">{escape(label)}</a> '
                f"({escape(due_word)} {_date(r.due)})</li>"
            )
        text.append("")
        html.append("</ul>")
    footer = _("This message was sent automatically; please do not reply.")
    text.append(footer)
    html.append(f"<p><small>{escape(footer)}</small></p>")
    body_html = '<!doctype html><html lang="vi"><meta charset="utf-8"><body>' + "".join(html)
    return subject, "\n".join(text), body_html + "</body></html>"


def notification_text(reminder: Reminder) -> str:
    """The bell's line for one reminder."""
    return _(
        "%(kind)s (due %(due)s): %(title)s",
        kind=kind_label(reminder.kind),
        due=_date(reminder.due),
        title=reminder.title[:300],
    )
