"""The `reminders` job: plan the day, log each reminder once, notify, queue and send mail.

Exactly once: each (task, recipient, kind, occurrence) is inserted into the reminder log in
its own SAVEPOINT before anything is sent; a duplicate key (an earlier run, or another process
running now) means someone else already gave it. The log, the bell's notifications and the
digest's outbox row are committed together, one digest at a time, so a run that dies halfway
leaves whole digests behind and the next run gives the rest. Mail leaves only from the
outbox, claimed row by row, and a failed delivery stays there to be retried.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, case, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.auth.models import User
from app.clock import now_utc
from app.mail import Mailer, MailError, build_message
from app.notifications.services import notify
from app.reminders.digests import (
    Digest,
    build_digests,
    kind_label,
    kind_rank,
    notification_text,
    render_digest,
)
from app.reminders.models import MailOutbox, MailState, ReminderLog
from app.reminders.plan import (
    DUE_TODAY,
    ESCALATION,
    OVERDUE,
    REPORT_REQUEST,
    Reminder,
    plan_reminders,
)

CLAIM_TIMEOUT = timedelta(hours=1)  # a row left "sending" this long was claimed by a dead run


@dataclass
class DigestSummary:
    key: str
    name: str
    addresses: list[str]
    users: int
    kinds: Counter[str] = field(default_factory=Counter)
    reminders: list[Reminder] = field(default_factory=list)


@dataclass
class RunSummary:
    """What a run did (or, dry, would do)."""

    day: date
    dry_run: bool
    planned: int = 0  # (task, kind) reminders due today
    already_given: int = 0  # (task, recipient, kind) given by an earlier or concurrent run
    digests: list[DigestSummary] = field(default_factory=list)
    mails_sent: int = 0
    mails_failed: int = 0

    @property
    def given(self) -> int:
        return sum(sum(d.kinds.values()) for d in self.digests)

    def describe(self) -> str:
        """A readable account, in the current locale."""
        day = self.day.strftime("%d/%m/%Y")
        if self.dry_run:
            head = _("Reminders of %(day)s (dry run, nothing written or sent):", day=day)
        else:
            head = _("Reminders of %(day)s:", day=day)
        lines = [
            head,
            _(
                "%(planned)s reminders due, %(given)s given now, %(already)s given before.",
                planned=self.planned,
                given=self.given,
                already=self.already_given,
            ),
        ]
        for digest in self.digests:
            to = ", ".join(digest.addresses) or _("no email address")
            lines.append(f"- {digest.name}")
            lines.append(
                "    " + _("mail to: %(to)s; bell: %(users)s users", to=to, users=digest.users)
            )
            for kind, count in sorted(digest.kinds.items(), key=lambda item: kind_rank(item[0])):
                lines.append(f"    {kind_label(kind)}: {count}")
                if self.dry_run:
                    lines.extend(_task_lines([r for r in digest.reminders if r.kind == kind]))
        if not self.dry_run:
            lines.append(
                _(
                    "Mail: %(sent)s sent, %(failed)s failed (retried on the next run).",
                    sent=self.mails_sent,
                    failed=self.mails_failed,
                )
            )
        return "\n".join(lines)


SHOWN_PER_KIND = 10  # tasks listed under each kind of a dry run's digest


def _task_lines(reminders: list[Reminder]) -> list[str]:
    """A dry run's task lines: outline, title, due date and how far off it is."""
    lines = []
    for r in reminders[:SHOWN_PER_KIND]:
        title = r.title if len(r.title) <= 90 else r.title[:89] + "…"
        label = f"{r.outline}. {title}" if r.outline else title
        due = r.due.strftime("%d/%m/%Y")
        if r.kind in (OVERDUE, ESCALATION):
            when = _("due %(due)s, %(days)s working days overdue", due=due, days=r.days)
        elif r.kind == REPORT_REQUEST:
            when = _("report by the cut-off %(due)s", due=due)
        elif r.kind == DUE_TODAY:
            when = _("due today %(due)s", due=due)
        else:
            when = _("due %(due)s, %(days)s working days left", due=due, days=r.days)
        lines.append(f"      • [#{r.task_id}] {label} — {when}")
    if len(reminders) > SHOWN_PER_KIND:
        more = len(reminders) - SHOWN_PER_KIND
        lines.append("      " + _("… and %(count)s more tasks", count=more))
    return lines


def _settings(config: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "days_before": config.get("REMINDER_DAYS_BEFORE", (7, 3, 1)),
        "escalate_after": config.get("REMINDER_ESCALATE_AFTER", 10),
        "report_days_before": config.get("REMINDER_REPORT_DAYS_BEFORE", 5),
    }


def _given_before(session: Session, digests: list[Digest]) -> set[tuple[int, str, str, date]]:
    """Keys already in the log among those the digests would write (only the log rows of
    the kinds and dates at stake are read, not the log's history)."""
    wanted = {(r.task_id, d.key, r.kind, r.occurrence) for d in digests for r in d.reminders}
    if not wanted:
        return set()
    dates: dict[str, set[date]] = defaultdict(set)
    for _task, _recipient, kind, occurrence in wanted:
        dates[kind].add(occurrence)
    rows = session.execute(
        select(
            ReminderLog.task_id, ReminderLog.recipient, ReminderLog.kind, ReminderLog.occurrence
        ).where(
            or_(
                *(
                    and_(ReminderLog.kind == kind, ReminderLog.occurrence.in_(sorted(days)))
                    for kind, days in dates.items()
                )
            )
        )
    )
    return {tuple(row) for row in rows} & wanted  # type: ignore[misc]


def _log_entry(digest: Digest, reminder: Reminder, day: date) -> ReminderLog:
    return ReminderLog(
        task_id=reminder.task_id,
        recipient=digest.key,
        kind=reminder.kind,
        occurrence=reminder.occurrence,
        run_day=day,
    )


def _claim_log(
    session: Session, digest: Digest, reminder: Reminder, day: date
) -> ReminderLog | None:
    """Insert the reminder's log row; None when it was given already."""
    entry = _log_entry(digest, reminder, day)
    try:
        with session.begin_nested():
            session.add(entry)
    except IntegrityError:
        return None
    return entry


def _claim_logs(
    session: Session, digest: Digest, reminders: list[Reminder], day: date
) -> list[tuple[Reminder, ReminderLog]]:
    """Insert the log rows of `reminders` (not given before, as far as the run knew when it
    started) in one SAVEPOINT; if another process gave some of them since, one by one."""
    entries = [_log_entry(digest, r, day) for r in reminders]
    try:
        with session.begin_nested():
            session.add_all(entries)
    except IntegrityError:
        claimed = ((r, _claim_log(session, digest, r, day)) for r in reminders)
        return [(r, entry) for r, entry in claimed if entry is not None]
    return list(zip(reminders, entries, strict=True))


def _give_digest(
    session: Session,
    digest: Digest,
    day: date,
    config: Mapping[str, Any],
    given_before: set[tuple[int, str, str, date]],
) -> list[Reminder]:
    """Log, notify and queue one digest's fresh reminders (the caller commits)."""
    pending = [
        r
        for r in digest.reminders
        if (r.task_id, digest.key, r.kind, r.occurrence) not in given_before
    ]
    fresh = _claim_logs(session, digest, pending, day) if pending else []
    if not fresh:
        return []
    reminders = [r for r, _entry in fresh]
    base_url = config.get("BASE_URL", "")
    users = [u for u in (session.get(User, uid) for uid in digest.user_ids) if u is not None]
    for reminder in reminders:
        notify(
            session,
            users,
            kind=f"reminder_{reminder.kind}",
            message=notification_text(reminder),
            task_id=reminder.task_id,
            link=f"/tasks/{reminder.task_id}",
            flush=False,
        )
    if digest.addresses:
        subject, text, html = render_digest(
            digest,
            reminders,
            day=day,
            base_url=base_url,
            province=config.get("PROVINCE_NAME", ""),
        )
        mail = MailOutbox(
            kind=digest.kind,
            recipients="\n".join(digest.addresses),
            subject=subject,
            body_text=text,
            body_html=html,
        )
        session.add(mail)
        session.flush()
        for _reminder, entry in fresh:
            entry.outbox_id = mail.id
    session.flush()
    return reminders


def run_reminders(
    session: Session,
    day: date,
    *,
    dry_run: bool = False,
    send: bool = True,
    config: Mapping[str, Any] | None = None,
) -> RunSummary:
    """The `reminders` job for `day`. Commits once per digest (and per mail sent); a dry run
    writes nothing and says who would receive what."""
    config = config if config is not None else current_app.config
    locale = config.get("BABEL_DEFAULT_LOCALE", "vi")
    summary = RunSummary(day, dry_run)
    with force_locale(locale):
        plan = plan_reminders(session, day, **_settings(config))
        summary.planned = len(plan.reminders)
        digests = build_digests(session, plan)
        if dry_run:
            seen = _given_before(session, digests)
            for digest in digests:
                pending = [
                    r
                    for r in digest.reminders
                    if (r.task_id, digest.key, r.kind, r.occurrence) not in seen
                ]
                summary.already_given += len(digest.reminders) - len(pending)
                if pending:
                    summary.digests.append(_summarise(digest, pending))
            return summary
        # What the log already holds is skipped without a write (the unique key still guards
        # against a run going on at the same time).
        given_before = _given_before(session, digests)
        # End the read transaction: SQLite (WAL) refuses a write in a transaction that read
        # before another process wrote; each digest's transaction starts with its insert.
        session.commit()
        for digest in digests:
            given = _give_digest(session, digest, day, config, given_before)
            session.commit()
            summary.already_given += len(digest.reminders) - len(given)
            if given:
                summary.digests.append(_summarise(digest, given))
    if send:
        summary.mails_sent, summary.mails_failed = deliver_outbox(session, config)
    return summary


def _summarise(digest: Digest, reminders: list[Reminder]) -> DigestSummary:
    return DigestSummary(
        digest.key,
        digest.name,
        list(digest.addresses),
        len(digest.user_ids),
        Counter(r.kind for r in reminders),
        sorted(reminders, key=lambda r: (r.due, r.task_id)),
    )


def _claimable(now: Any) -> Any:
    return or_(
        MailOutbox.state.in_((MailState.PENDING, MailState.FAILED)),
        and_(MailOutbox.state == MailState.SENDING, MailOutbox.claimed_at < now - CLAIM_TIMEOUT),
    )


def deliver_outbox(
    session: Session, config: Mapping[str, Any], *, only: Collection[int] | None = None
) -> tuple[int, int]:
    """Send every mail waiting in the outbox (or those of `only`), each claimed by one
    process, over one SMTP connection for the whole batch; (sent, failed)."""
    waiting = select(MailOutbox.id).where(_claimable(now_utc())).order_by(MailOutbox.id)
    if only is not None:
        waiting = waiting.where(MailOutbox.id.in_(list(only)))
    ids = list(session.scalars(waiting))
    session.commit()
    with Mailer(config) as mailer:
        return _deliver(session, config, mailer, ids)


def _deliver(
    session: Session, config: Mapping[str, Any], mailer: Mailer, ids: list[int]
) -> tuple[int, int]:
    sent = failed = 0
    for mail_id in ids:
        now = now_utc()
        claimed = session.execute(
            update(MailOutbox)
            .where(MailOutbox.id == mail_id, _claimable(now))
            .values(state=MailState.SENDING, claimed_at=now, attempts=MailOutbox.attempts + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not claimed:
            session.commit()
            continue
        mail = session.execute(
            select(
                MailOutbox.recipients,
                MailOutbox.subject,
                MailOutbox.body_text,
                MailOutbox.body_html,
            ).where(MailOutbox.id == mail_id)
        ).one()
        session.commit()
        values: dict[str, Any]
        try:
            message = build_message(
                sender=config.get("MAIL_SENDER", "nhiemvu@localhost"),
                recipients=mail.recipients.split("\n"),
                subject=mail.subject,
                text=mail.body_text,
                html=mail.body_html,
            )
            mailer.send(message)
        except MailError as error:
            values = {"state": MailState.FAILED, "last_error": str(error)[:2000]}
            failed += 1
        else:
            values = {"state": MailState.SENT, "sent_at": now_utc(), "last_error": None}
            sent += 1
        session.execute(
            update(MailOutbox)
            .where(MailOutbox.id == mail_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        session.commit()
    return sent, failed


def failed_mail(session: Session) -> list[MailOutbox]:
    """Mail that could not be delivered yet, newest first (for administrators)."""
    return list(
        session.scalars(
            select(MailOutbox)
            .where(MailOutbox.state == MailState.FAILED)
            .order_by(MailOutbox.created_at.desc())
        )
    )


def undelivered_mail(session: Session, limit: int = 500) -> list[MailOutbox]:
    """Mail not delivered yet (failed, waiting, or being sent), failed first, then newest."""
    failed_first = case((MailOutbox.state == MailState.FAILED, 0), else_=1)
    return list(
        session.scalars(
            select(MailOutbox)
            .where(MailOutbox.state != MailState.SENT)
            .order_by(failed_first, MailOutbox.created_at.desc(), MailOutbox.id.desc())
            .limit(limit)
        )
    )


def retry_mail(session: Session, mail: MailOutbox, config: Mapping[str, Any]) -> bool | None:
    """Try to deliver one undelivered mail now: True if the SMTP server took it, False if it
    failed again, None if another run is sending it at this moment (it is left to it)."""
    sent, failed = deliver_outbox(session, config, only=[mail.id])
    if sent:
        return True
    if failed:
        return False
    return None
