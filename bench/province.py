"""The rows of a province's years of directives, as plain dicts ready for bulk inserts.

What a real province's data holds, in the proportions the province's documents show:
- agencies led unevenly (the busiest leads ~5 % of the tasks), each overseen by one of the
  four leaders (a few by none);
- directives of every kind over seven years, each handing out its tasks in three sections,
  with the deadlines a plan uses again and again ("Quý II năm 2024" for dozens of tasks);
- every deadline kind (dates, periods, recurring, continuous, unspecified), read by the
  app's own parser;
- tasks that are done (mostly on time), done late, on track or overdue, as their age makes
  likely; "every agency" tasks copied to several agencies; coordinating agencies on a third;
  a leader named on some; deadline extensions asked for, approved, refused or pending;
- progress reports through each task's life, the last one agreeing with the task's status;
  coordinators' contributions; reports accepted, returned with a reason, or awaiting review.

What the ORM listeners would store is computed with the app's code: search keys with
`app.text.fold` over each model's `__search_fields__`, deadlines with `parse_deadline`.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from werkzeug.security import generate_password_hash

from app.agencies.models import Agency
from app.auth.models import PASSWORD_METHOD, Role
from app.directives.models import Directive
from app.tasks.deadlines import Deadline, DeadlineKind, parse_deadline
from app.tasks.models import ExtensionState, ReviewState, Status, Task, UpdateKind
from app.text import fold, nfc
from bench.texts import (
    CONTINUOUS_PHRASES,
    DIRECTIVE_KINDS,
    EXPLANATION_SENTENCES,
    EXTENSION_REASONS,
    NUMBERED_AGENCIES,
    PRODUCTS,
    REAL_AGENCIES,
    RECURRING_PHRASES,
    RETURN_NOTES,
    ROMAN,
    SCOPES,
    SECTIONS,
    SIGNERS,
    TAILS,
    TOPICS,
    UNSPECIFIED_PHRASES,
    VERBS,
)

PASSWORD = "bench-password-2026"  # noqa: S105  (a throw-away benchmark account)
# The accounts the pages are timed as; the leader is one of the four who oversee agencies.
USERNAMES = {
    Role.ADMIN: "bench-admin",
    Role.OFFICE: "bench-office",
    Role.LEADER: "bench-leader",
    Role.DEPARTMENT: "bench-department",
}
LEADERS = [  # (username, full name): the chair and three vice-chairs
    ("bench-leader", "Lâm Hải Giang"),
    ("bench-chair", "Phạm Anh Tuấn"),
    ("bench-leader-2", "Nguyễn Tuấn Thanh"),
    ("bench-leader-3", "Nguyễn Tự Công Hoàng"),
]
SEED = 131
FIRST_ISSUE = date(2019, 1, 2)
LAST_DUE = date(2027, 12, 31)
LEAD_SKEW = 0.6  # agency k leads in proportion to 1 / k**0.6: the first ~5 %, the last ~0.2 %
BUSY_AGENCY_ID = 1  # the heaviest lead weight: the department user's agency
# Deadline kinds in the proportions the province's documents show.
KIND_WEIGHTS = {
    DeadlineKind.DATE: 50,
    DeadlineKind.PERIOD: 15,
    DeadlineKind.RECURRING: 15,
    DeadlineKind.CONTINUOUS: 10,
    DeadlineKind.UNSPECIFIED: 10,
}
PHRASES_PER_DIRECTIVE = 24  # dated phrases a directive's tasks share
GROUP_SHARE = 0.01  # tasks for "every agency", each copied to several agencies
COORDINATED_SHARE = 0.3
SUPERVISED_SHARE = 0.1  # tasks naming their own supervising leader
EXTENSION_SHARE = 0.04  # of the tasks with a date or period deadline and a lead agency
CONTRIBUTION_SHARE = 0.1  # of the updates of tasks with coordinators


@dataclass(frozen=True)
class Sizes:
    """How much data to generate."""

    tasks: int = 100_000
    agencies: int = 200
    updates: int = 300_000
    directives: int = 50

    def scaled(self, fraction: float) -> Sizes:
        """Tasks and updates scaled by `fraction` (agencies and directives kept)."""
        return Sizes(
            tasks=max(1, round(self.tasks * fraction)),
            agencies=self.agencies,
            updates=max(0, round(self.updates * fraction)),
            directives=self.directives,
        )


def stamp(day: date, minutes: int = 0) -> datetime:
    """A moment of office hours on `day`, in UTC."""
    return datetime(day.year, day.month, day.day, 1, 30, tzinfo=UTC) + timedelta(minutes=minutes)


@lru_cache(maxsize=8192)
def _fold(value: str) -> str:
    return fold(value)


def search_key(model: type, values: dict[str, Any]) -> str:
    """What the before-flush listener stores: `fold_join` of the model's search fields."""
    return " | ".join(_fold(v) for name in model.__search_fields__ if (v := values.get(name)))


@lru_cache(maxsize=65_536)
def _read_deadline(phrase: str, reference: date) -> Deadline:
    return parse_deadline(phrase, reference=reference)


def forget() -> None:
    """Drop the generator's caches: the timed requests must not share the process with
    tens of thousands of leftover objects for the garbage collector to walk."""
    _read_deadline.cache_clear()
    _fold.cache_clear()


@dataclass
class _Task:
    """What the later tables need to know of a generated task."""

    id: int
    assigned: date
    lead: int | None
    status: Status
    completed_on: date | None
    coordinators: list[int]


class Province:
    """Generates the rows table by table, remembering what later tables refer to."""

    def __init__(self, sizes: Sizes, today: date, seed: int = SEED) -> None:
        self.sizes = sizes
        self.today = today
        self.rng = random.Random(seed)
        self.agency_ids = list(range(1, sizes.agencies + 1))
        self.user_ids = {role: index + 1 for index, role in enumerate(USERNAMES)}
        self.leader_ids = [self.user_ids[Role.LEADER]] + [
            len(USERNAMES) + index for index in range(1, len(LEADERS))
        ]
        self.directive_issued: list[date] = []
        self.tasks_made: list[_Task] = []
        self.explanations = [self._explanation() for _ in range(2_000)]

    # agencies, users, directives --------------------------------------------------------

    def agencies(self) -> Iterator[dict[str, Any]]:
        """Real names first (the busiest leads most), then numbered ones; no supervisors yet:
        the leaders are inserted after them."""
        now = stamp(FIRST_ISSUE)
        for index in range(self.sizes.agencies):
            if index < len(REAL_AGENCIES):
                name, short_name, kind = REAL_AGENCIES[index]
            else:
                prefix, kind = NUMBERED_AGENCIES[index % len(NUMBERED_AGENCIES)]
                name, short_name = f"{prefix} {index + 1:03d}", None
            values = {"name": nfc(name), "short_name": nfc(short_name)}
            yield {
                "id": index + 1,
                **values,
                "kind": kind,
                "active": True,
                "email": None,
                "supervisor_id": None,
                "search_key": search_key(Agency, values),
                "created_at": now,
                "updated_at": now,
            }

    def supervisors(self) -> dict[int, list[int]]:
        """Leader id → the agencies that leader oversees: in turn, one in twenty by none."""
        overseen: dict[int, list[int]] = {}
        for agency_id in self.agency_ids:
            if agency_id % 20 != 7:
                leader = self.leader_ids[(agency_id - 1) % len(self.leader_ids)]
                overseen.setdefault(leader, []).append(agency_id)
        return overseen

    def users(self) -> list[dict[str, Any]]:
        # One hash for all: scrypt is deliberately slow, and the salt is irrelevant here.
        password_hash = generate_password_hash(PASSWORD, method=PASSWORD_METHOD)
        now = stamp(FIRST_ISSUE)
        names = {
            Role.ADMIN: "Quản trị hệ thống",
            Role.OFFICE: "Trần Thị Chuyên Viên",
            Role.LEADER: LEADERS[0][1],
            Role.DEPARTMENT: "Nguyễn Văn Sở",
        }
        people = [(self.user_ids[role], USERNAMES[role], names[role], role) for role in USERNAMES]
        people += [
            (user_id, username, name, Role.LEADER)
            for user_id, (username, name) in zip(self.leader_ids[1:], LEADERS[1:], strict=True)
        ]
        return [
            {
                "id": user_id,
                "username": username,
                "full_name": name,
                "email": None,
                "role": role,
                "agency_id": BUSY_AGENCY_ID if role == Role.DEPARTMENT else None,
                "password_hash": password_hash,
                "active": True,
                "session_version": 1,
                "last_login_at": None,
                "failed_logins": 0,
                "locked_until": None,
                "created_at": now,
                "updated_at": now,
            }
            for user_id, username, name, role in people
        ]

    def directives(self) -> Iterator[dict[str, Any]]:
        count = self.sizes.directives
        last_issue = min(self.today - timedelta(days=60), date(2026, 9, 30))
        span = max((last_issue - FIRST_ISSUE).days, 0)
        for index in range(count):
            issued = FIRST_ISSUE + timedelta(days=span * index // max(count - 1, 1))
            self.directive_issued.append(issued)
            kind, symbol, opening = DIRECTIVE_KINDS[index % len(DIRECTIVE_KINDS)]
            signer, title = SIGNERS[index % len(SIGNERS)]
            topic = TOPICS[index % len(TOPICS)]
            values = {
                "number": f"{120 + index * 37}/{symbol}",
                "summary": nfc(f"{opening} {topic} trên địa bàn tỉnh năm {issued.year}"),
                "issuer": "UBND tỉnh Bình Định",
                "signer": signer,
            }
            yield {
                "id": index + 1,
                "kind": kind,
                **values,
                "issued_on": issued,
                "signer_title": title,
                "full_text": None,
                # A plan now and then carries out the directive before it.
                "implements_id": index if index % 5 == 1 else None,
                "deleted_at": None,
                "search_key": search_key(Directive, values),
                "created_at": stamp(issued),
                "updated_at": stamp(issued),
            }

    def sections(self) -> Iterator[dict[str, Any]]:
        for directive in range(self.sizes.directives):
            for position, title in enumerate(SECTIONS):
                yield {
                    "id": directive * len(SECTIONS) + position + 1,
                    "directive_id": directive + 1,
                    "number": ROMAN[position],
                    "title": title,
                    "position": position,
                }

    # deadlines ------------------------------------------------------------------------------

    def _date_phrase(self, due: date) -> str:
        quarter = (due.month - 1) // 3
        forms = [
            f"trước ngày {due.day}/{due.month}/{due.year}",
            f"Tháng {due.month}/{due.year}",
            f"Quý {ROMAN[quarter]} năm {due.year}",
            f"trong năm {due.year}",
            f"trong tháng {due.month:02d} năm {due.year}",
            f"chậm nhất ngày {due.day:02d}/{due.month:02d}/{due.year}",
        ]
        return self.rng.choice(forms)

    def _period_phrase(self, due: date) -> str:
        rng = self.rng
        last = due.year
        first = last - rng.randint(1, 4)
        month = rng.randint(1, 9)
        forms = [
            f"Giai đoạn {first}-{last}",
            f"{first} {last}",
            f"Tháng {month}/{last} - Tháng {month + rng.randint(1, 3)}/{last}",
            f"từ tháng {month}/{first} đến tháng {rng.randint(1, 12)}/{last}",
            f"{first}; {last}",
        ]
        return rng.choice(forms)

    def _phrase_pool(self, issued: date) -> dict[DeadlineKind, list[str | None]]:
        """The deadline phrases one directive uses: a plan names a few dates for many tasks."""
        rng = self.rng
        dated = PHRASES_PER_DIRECTIVE // 2

        def due(low: int, high: int) -> date:
            return min(issued + timedelta(days=rng.randint(low, high)), LAST_DUE)

        return {
            DeadlineKind.DATE: [self._date_phrase(due(20, 900)) for _ in range(dated)],
            DeadlineKind.PERIOD: [self._period_phrase(due(180, 1400)) for _ in range(dated // 2)],
            DeadlineKind.RECURRING: list(RECURRING_PHRASES),
            DeadlineKind.CONTINUOUS: list(CONTINUOUS_PHRASES),
            DeadlineKind.UNSPECIFIED: list(UNSPECIFIED_PHRASES),
        }

    # tasks ------------------------------------------------------------------------------------

    def _title(self, year: int) -> str:
        rng = self.rng
        scope = rng.choice(SCOPES).format(year=year)
        return f"{rng.choice(VERBS)} {rng.choice(TOPICS)} {scope}{rng.choice(TAILS)}"

    def _status(self, deadline: Deadline, assigned: date) -> tuple[Status, date | None]:
        """A status its age makes likely, and the completion date of a completed task."""
        rng = self.rng
        today = self.today
        due = deadline.due
        if deadline.kind in (DeadlineKind.DATE, DeadlineKind.PERIOD) and due is not None:
            # Most tasks past their date are done (a fifth of those late); a few early.
            done = 0.8 if due < today else 0.15
            if rng.random() < done:
                finished = due + timedelta(days=rng.randint(-150, 25 if rng.random() < 0.8 else 0))
                if rng.random() < 0.2:
                    finished = due + timedelta(days=rng.randint(1, 120))
                return Status.COMPLETED, max(assigned, min(finished, today))
        elif rng.random() < 0.25:  # a yearly or standing task closed for good
            finished = assigned + timedelta(days=rng.randint(60, 900))
            return Status.COMPLETED, max(assigned, min(finished, today))
        return (Status.PARTIAL if rng.random() < 0.15 else Status.IN_PROGRESS), None

    def tasks(self) -> Iterator[dict[str, Any]]:
        """The task rows, directive by directive; group tasks are followed by their copies."""
        rng = self.rng
        n, directives = self.sizes.tasks, self.sizes.directives
        cum_weights = list(itertools.accumulate(1 / k**LEAD_SKEW for k in self.agency_ids))
        kinds, kind_weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
        task_id = 0
        for directive in range(directives):
            issued = self.directive_issued[directive]
            pool = self._phrase_pool(issued)
            quota = n * (directive + 1) // directives - n * directive // directives
            per_section = -(-quota // len(SECTIONS))
            position = 0
            while position < quota:
                section = position // per_section
                # Most tasks are handed out with the directive; some by a later follow-up.
                assigned = issued + timedelta(days=rng.choice((0, 0, 0, 0, 0, 0, 14, 30, 60)))
                kind = rng.choices(kinds, kind_weights)[0]
                phrase = rng.choice(pool[kind])
                title = nfc(self._title(assigned.year))
                product = rng.choice(PRODUCTS)
                copies: list[int | None] = [
                    rng.choices(self.agency_ids, cum_weights=cum_weights)[0]
                ]
                lead_text = None
                if rng.random() < GROUP_SHARE and quota - position > 8:
                    lead_text = "Các sở, ban, ngành, địa phương"
                    copies = [None, *rng.sample(self.agency_ids, rng.randint(3, 6))]
                parent = None
                for lead in copies:
                    task_id += 1
                    position += 1
                    row = self._task(
                        task_id, directive, section, position, assigned, phrase, title,
                        product, lead, lead_text if lead is None else None, parent,
                    )  # fmt: skip
                    if lead is None:
                        parent = task_id
                    yield row

    def _task(
        self,
        task_id: int,
        directive: int,
        section: int,
        position: int,
        assigned: date,
        phrase: str | None,
        title: str,
        product: str | None,
        lead: int | None,
        lead_text: str | None,
        parent: int | None,
    ) -> dict[str, Any]:
        rng = self.rng
        deadline = _read_deadline(phrase or "", assigned)
        status, completed_on = self._status(deadline, assigned)
        coordinators: list[int] = []
        if lead is not None and rng.random() < COORDINATED_SHARE:
            others = [a for a in rng.sample(self.agency_ids, 4) if a != lead]
            coordinators = others[: rng.randint(1, 3)]
        self.tasks_made.append(_Task(task_id, assigned, lead, status, completed_on, coordinators))
        values = {
            "title": title,
            "outline": f"{section + 1}.{position}",
            "code": f"NV.{assigned.year}.{task_id:06d}" if task_id % 3 == 0 else None,
            "lead_text": lead_text,
            "deadline_text": nfc(phrase),
            "product": product,
        }
        # About 1 % deleted, each at its own moment (as the journal would show).
        deleted_at = None
        if rng.random() < 0.01:
            deleted_at = stamp(assigned + timedelta(days=rng.randint(1, 400)), task_id % 600)
        supervised = rng.random() < SUPERVISED_SHARE
        return {
            "id": task_id,
            "directive_id": directive + 1,
            "section_id": directive * len(SECTIONS) + section + 1,
            "parent_id": parent,
            "position": position,
            **values,
            "lead_agency_id": lead,
            "coordinators_text": None,
            "supervisor_id": rng.choice(self.leader_ids) if supervised else None,
            "assigned_on": assigned,
            "start_text": None,
            "deadline_kind": deadline.kind,
            "deadline_start": deadline.start,
            "deadline_due": deadline.due,
            "deadline_dues": [d.isoformat() for d in deadline.dues],
            "extended_due": None,  # set by `extensions` for the approved ones
            "status": status,
            "completed_on": completed_on,
            "version": 1,
            "deleted_at": deleted_at,
            "search_key": search_key(Task, values),
            "created_at": stamp(assigned),
            "updated_at": stamp(assigned),
        }

    def coordinators(self) -> Iterator[dict[str, int]]:
        for task in self.tasks_made:
            for agency_id in task.coordinators:
                yield {"task_id": task.id, "agency_id": agency_id}

    # extensions -----------------------------------------------------------------------------

    def extensions(self, tasks: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """Requests on a few dated tasks; an approved one moves the task's due date, so
        `tasks` (the rows, not yet inserted) get their `extended_due` here."""
        rng = self.rng
        # The department user asks for its agency; the office asks on behalf of the others.
        requesters = {BUSY_AGENCY_ID: self.user_ids[Role.DEPARTMENT]}
        extension_id = 0
        for row in tasks:
            due = row["deadline_due"]
            if (
                row["deadline_kind"] not in (DeadlineKind.DATE, DeadlineKind.PERIOD)
                or due is None
                or row["lead_agency_id"] is None
                or rng.random() >= EXTENSION_SHARE
            ):
                continue
            asked = max(row["assigned_on"], due - timedelta(days=rng.randint(5, 40)))
            if asked >= self.today:
                continue
            completed = row["status"] == Status.COMPLETED
            state = rng.choices(
                [ExtensionState.APPROVED, ExtensionState.REFUSED, ExtensionState.PENDING],
                [70, 15, 0 if completed else 15],
            )[0]
            requested = due + timedelta(days=rng.randint(30, 180))
            decided = asked + timedelta(days=rng.randint(2, 15))
            pending = state == ExtensionState.PENDING or decided >= self.today
            if pending and completed:
                continue
            if pending:
                state = ExtensionState.PENDING
            elif state == ExtensionState.APPROVED:
                row["extended_due"] = requested
            extension_id += 1
            yield {
                "id": extension_id,
                "task_id": row["id"],
                "agency_id": row["lead_agency_id"],
                "requested_by_id": requesters.get(
                    row["lead_agency_id"], self.user_ids[Role.OFFICE]
                ),
                "requested_at": stamp(asked, 60),
                "reason": rng.choice(EXTENSION_REASONS),
                "previous_due": due,
                "requested_due": requested,
                "state": state,
                "decided_by_id": None if pending else rng.choice(self.leader_ids),
                "decided_at": None if pending else stamp(decided, 120),
                "decision_note": None,
                "created_at": stamp(asked, 60),
                "updated_at": stamp(asked if pending else decided, 120),
            }

    # progress updates -------------------------------------------------------------------------

    def _explanation(self) -> str:
        count = self.rng.randint(3, 6)
        return nfc(" ".join(self.rng.sample(EXPLANATION_SENTENCES, count)))

    def updates(self) -> Iterator[dict[str, Any]]:
        """`sizes.updates` reports, spread over the tasks by age (older ones have more), each
        task's in date order with the last one agreeing with the task's status."""
        rng = self.rng
        tasks = self.tasks_made
        if not tasks or not self.sizes.updates:
            return
        ages = [max((self._end(t) - t.assigned).days, 1) for t in tasks]
        per_task = [0] * len(tasks)
        cum = list(itertools.accumulate(ages))
        total = cum[-1]
        for _ in range(self.sizes.updates):
            per_task[bisect.bisect_right(cum, rng.random() * total)] += 1
        reviewer = self.user_ids[Role.OFFICE]
        for task, count in zip(tasks, per_task, strict=True):
            if count:
                yield from self._task_updates(task, count, reviewer)

    def _end(self, task: _Task) -> date:
        return task.completed_on or self.today

    def _task_updates(self, task: _Task, count: int, reviewer: int) -> Iterator[dict[str, Any]]:
        rng = self.rng
        span = max((self._end(task) - task.assigned).days, 0)
        days = sorted(rng.randint(0, span) for _ in range(count))
        for number, offset in enumerate(days, start=1):
            reported = task.assigned + timedelta(days=offset)
            last = number == count
            agency, kind = task.lead, UpdateKind.REPORT
            if task.coordinators and not last and rng.random() < CONTRIBUTION_SHARE:
                agency, kind = rng.choice(task.coordinators), UpdateKind.CONTRIBUTION
            status = task.status if last else rng.choice((Status.IN_PROGRESS, Status.PARTIAL))
            review, note = ReviewState.ACCEPTED, None
            if kind == UpdateKind.REPORT and not last and rng.random() < 0.02:
                review, note = ReviewState.RETURNED, rng.choice(RETURN_NOTES)
            elif last and status != Status.COMPLETED and rng.random() < 0.05:
                review = ReviewState.SUBMITTED  # the office has not read it yet
            reviewed = None
            if review != ReviewState.SUBMITTED:
                reviewed = stamp(min(reported + timedelta(days=rng.randint(1, 5)), self.today))
            yield {
                "task_id": task.id,
                "agency_id": agency,
                "author_id": None,
                "reported_on": reported,
                "period": f"{reported.year}-Q{(reported.month - 1) // 3 + 1}",
                "status": status,
                "explanation": rng.choice(self.explanations),
                "completed_on": task.completed_on if status == Status.COMPLETED else None,
                "kind": kind,
                "review_state": review,
                "reviewed_by_id": reviewer if reviewed else None,
                "reviewed_at": reviewed,
                "review_note": note,
                "created_at": stamp(reported, number),
                "updated_at": reviewed or stamp(reported, number),
            }
