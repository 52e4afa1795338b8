"""A small world for the leader's pages: three agencies, two vice-chairs, tasks of every standing.

On DASHBOARD_DAY (15/07/2024), the tasks of the `directive` stand as follows:

| agency | on time | late | on track | overdue | no deadline | on time % |
| --- | --- | --- | --- | --- | --- | --- |
| Sở Kiểm thử A (vice-chair A) | 1 | 1 | 2 (one by extension) | 1 | 1 | 60.0 |
| Sở Kiểm thử B (vice-chair B) | 1 | 0 | 0 | 3 (one despite an extension) | 0 | 25.0 |
| UBND huyện Kiểm thử (nobody) | 1 | 0 | 5 | 1 | 0 | 85.7 |

plus a deleted overdue task (never counted) and, in `other_directive`, one more overdue task
of agency A.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser

import pytest
from freezegun import freeze_time
from sqlalchemy.orm import Session

from app.agencies.models import Agency, AgencyKind
from app.auth.models import Role, User
from app.clock import now_utc
from app.directives.models import Directive, DirectiveKind
from app.tasks.deadlines import DeadlineKind as Kind
from app.tasks.models import ProgressUpdate, ReviewState, Status, Task, UpdateKind
from tests.conftest import login
from tests.freeze import DASHBOARD_DAY, DASHBOARD_MOMENT

ALPHA, BETA, GAMMA = "Sở Kiểm thử A", "Sở Kiểm thử B", "UBND huyện Kiểm thử"
LEADER_A, LEADER_B = "Phó Chủ tịch Nguyễn Văn A", "Phó Chủ tịch Trần Thị B"
FORMULA_TITLE = '=HYPERLINK("http://evil.example","Bấm vào đây")'

# key: (agency, due date, other columns); every one an in-progress dated task unless it says.
TASKS: dict[str, tuple[str, date | None, dict]] = {
    "on_time": (
        ALPHA,
        date(2024, 6, 30),
        {"status": Status.COMPLETED, "completed_on": date(2024, 6, 28)},
    ),
    "late": (
        ALPHA,
        date(2024, 6, 30),
        {"status": Status.COMPLETED, "completed_on": date(2024, 7, 5)},
    ),
    "on_track": (ALPHA, date(2024, 7, 20), {}),
    "overdue": (ALPHA, date(2024, 7, 1), {}),
    # Overdue on its original date, within the approved extension.
    "extended": (ALPHA, date(2024, 7, 1), {"extended_due": date(2024, 8, 10)}),
    "continuous": (ALPHA, None, {"deadline_kind": Kind.CONTINUOUS}),
    "beta_long_overdue": (BETA, date(2024, 5, 15), {"status": Status.PARTIAL}),
    "beta_overdue": (BETA, date(2024, 7, 14), {}),
    # Overdue even on the extended date; the original one stays on record.
    "beta_extended_overdue": (
        BETA,
        date(2024, 5, 1),
        {"extended_due": date(2024, 7, 5)},
    ),
    # Completed without a completion date: counted on time.
    "beta_done": (BETA, date(2024, 7, 10), {"status": Status.COMPLETED}),
    # The task names vice-chair A although its agency has no supervisor.
    "gamma_overdue": (GAMMA, date(2024, 3, 31), {"title": FORMULA_TITLE, "supervisor": "a"}),
    "due_today": (GAMMA, DASHBOARD_DAY, {}),
    "due_in_7": (GAMMA, date(2024, 7, 22), {}),
    "due_in_8": (GAMMA, date(2024, 7, 23), {}),
    "due_in_30": (GAMMA, date(2024, 8, 14), {}),
    "due_in_31": (GAMMA, date(2024, 8, 15), {}),
    "done_soon": (
        GAMMA,
        date(2024, 7, 18),
        {"status": Status.COMPLETED, "completed_on": date(2024, 7, 12)},
    ),
    "deleted_overdue": (GAMMA, date(2024, 6, 1), {"deleted": True}),
}


@dataclass
class World:
    directive: Directive
    other_directive: Directive
    agencies: dict[str, Agency]
    leaders: dict[str, User]  # "a", "b": the vice-chairs
    tasks: dict[str, Task]
    users: dict[str, User] = field(default_factory=dict)  # "office", "admin", "department"


@pytest.fixture
def frozen() -> Iterator[None]:
    with freeze_time(DASHBOARD_MOMENT):
        yield


def _report(
    task: Task, on: date, text: str, state=ReviewState.ACCEPTED, kind=UpdateKind.REPORT
) -> ProgressUpdate:
    return ProgressUpdate(
        task=task,
        agency_id=task.lead_agency_id,
        reported_on=on,
        status=task.status,
        explanation=text,
        kind=kind,
        review_state=state,
    )


@pytest.fixture
def world(db: Session, make_user, frozen) -> World:
    leaders = {
        "a": make_user(Role.LEADER, "pct-a"),
        "b": make_user(Role.LEADER, "pct-b"),
    }
    leaders["a"].full_name, leaders["b"].full_name = LEADER_A, LEADER_B
    agencies = {
        ALPHA: Agency(name=ALPHA, kind=AgencyKind.DEPARTMENT, supervisor=leaders["a"]),
        BETA: Agency(name=BETA, kind=AgencyKind.DEPARTMENT, supervisor=leaders["b"]),
        GAMMA: Agency(name=GAMMA, kind=AgencyKind.DISTRICT),
    }
    db.add_all(agencies.values())
    directive = Directive(
        kind=DirectiveKind.CONCLUSION,
        number="99/TB-KT",
        issued_on=date(2024, 1, 10),
        summary="Thông báo kết luận kiểm thử bảng điều khiển",
        issuer="UBND tỉnh",
    )
    other = Directive(
        kind=DirectiveKind.PLAN,
        number="98/KH-KT",
        issued_on=date(2024, 1, 5),
        summary="Kế hoạch kiểm thử khác",
        issuer="UBND tỉnh",
    )
    db.add_all([directive, other])
    tasks = {}
    for position, (key, (agency, due, extra)) in enumerate(TASKS.items()):
        extra = dict(extra)
        supervisor = extra.pop("supervisor", None)
        deleted = extra.pop("deleted", False)
        task = Task(
            directive=directive,
            position=position,
            outline=str(position + 1),
            title=extra.pop("title", f"Nhiệm vụ {key}"),
            lead_agency=agencies[agency],
            deadline_text=due.strftime("%d/%m/%Y") if due else "Thường xuyên",
            deadline_kind=extra.pop("deadline_kind", Kind.DATE),
            deadline_due=due,
            supervisor=leaders[supervisor] if supervisor else None,
            deleted_at=now_utc() if deleted else None,
            **extra,
        )
        db.add(task)
        tasks[key] = task
    tasks["other_overdue"] = Task(
        directive=other,
        title="Nhiệm vụ của kế hoạch khác",
        lead_agency=agencies[ALPHA],
        deadline_kind=Kind.DATE,
        deadline_due=date(2024, 2, 15),
        deadline_text="Tháng 02/2024",
    )
    db.add(tasks["other_overdue"])
    db.flush()  # the tasks' defaults (status) and keys, for their reports
    db.add_all(
        [
            _report(tasks["beta_long_overdue"], date(2024, 6, 1), "Đã trình dự thảo."),
            _report(tasks["beta_long_overdue"], date(2024, 6, 20), "Chờ ý kiến của Bộ."),
            _report(
                tasks["beta_long_overdue"],
                date(2024, 7, 1),
                "Báo cáo sơ sài.",
                ReviewState.RETURNED,
            ),
            _report(
                tasks["beta_long_overdue"],
                date(2024, 7, 5),
                "Ý kiến phối hợp.",
                kind=UpdateKind.CONTRIBUTION,
            ),
            _report(tasks["beta_overdue"], date(2024, 7, 1), "Đang hoàn thiện hồ sơ."),
            _report(
                tasks["beta_overdue"],
                date(2024, 7, 10),
                "Đã gửi Sở Tư pháp thẩm định.",
                ReviewState.SUBMITTED,
            ),
            # Two reports on one day: the later one is the last word.
            _report(tasks["overdue"], date(2024, 7, 5), "Lần một."),
            _report(tasks["overdue"], date(2024, 7, 5), "Lần hai."),
        ]
    )
    db.commit()
    users = {
        "office": make_user(Role.OFFICE, "dash-office"),
        "admin": make_user(Role.ADMIN, "dash-admin"),
        "department": make_user(Role.DEPARTMENT, "dash-dept", agencies[ALPHA]),
    }
    return World(directive, other, agencies, leaders, tasks, users)


@pytest.fixture
def as_user(app, world):
    """A logged-in client for one of the world's users (the clock already frozen)."""

    def make(who: str, lang: str = "en"):
        user = world.leaders.get(who) or world.users[who]
        client = app.test_client()
        assert login(client, user.username).status_code == 302
        with client.session_transaction() as session:
            session["lang"] = lang  # English: the messages are asserted by their msgids
        return client

    return make


# --- reading pages ------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None]
    children: list[Node] = field(default_factory=list)
    parts: list[str | Node] = field(default_factory=list)  # text and children's text, in order

    @property
    def text(self) -> str:
        return " ".join("".join(self._pieces()).split())

    def _pieces(self) -> Iterator[str]:
        for part in self.parts:
            yield part if isinstance(part, str) else "".join(part._pieces())

    def all(self, testid: str) -> list[Node]:
        """Every element below this one with `data-testid="{testid}"`, in document order."""
        found = []
        for child in self.children:
            if child.attrs.get("data-testid") == testid:
                found.append(child)
            found.extend(child.all(testid))
        return found

    def one(self, testid: str) -> Node:
        (found,) = self.all(testid)
        return found


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        self.stack[-1].parts.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].parts.append(data)


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    return builder.root
