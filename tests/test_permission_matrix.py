"""Every route × every role: the expected status, and forbidden writes change nothing.

The table below is written by hand, independently of the @roles declarations it checks.
A route registered in the app but missing here fails `test_every_route_is_in_the_matrix`.
Roles: anonymous, admin, office, leader, a department user of the task's lead agency
("own", Sở Thông tin và Truyền thông) and one of another agency ("other", Sở Tài chính).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, inspect, select

from app.agencies.models import Agency
from app.agencies.services import resolve_agency
from app.api.models import TokenScope
from app.api.tokens import create_token
from app.auth.models import Role
from app.clock import now_utc
from app.db import Base
from app.directives.models import Section
from app.imports.services import ImportFile, ImportOptions, build_preview
from app.imports.store import ImportStore
from app.notifications.models import MailOutbox, MailState
from app.notifications.services import notify
from app.reports.scope import Scope
from app.reports.services import build_report
from app.tasks.calendar import add_calendar_day
from app.tasks.models import (
    CalendarDayKind,
    DeadlineExtension,
    ProgressUpdate,
    ReviewState,
    Task,
    UpdateKind,
)
from tests.conftest import csrf_token, login

ROLES = ("anonymous", "admin", "office", "leader", "own", "other")
LOGIN = 302  # anonymous users are sent to the login page


def everyone(status: int) -> dict[str, int]:
    return {role: status for role in ROLES if role != "anonymous"} | {"anonymous": LOGIN}


def only(allowed: dict[str, int], denied: int = 403) -> dict[str, int]:
    return {role: allowed.get(role, denied) for role in ROLES if role != "anonymous"} | {
        "anonymous": LOGIN
    }


EDITORS = {"admin", "office"}
VIEWERS = {"admin", "office", "leader"}  # the chairperson's pages: not departments


@dataclass
class World:
    """The rows the routes act on, made inside each test's transaction."""

    task: Task  # led by Sở TT&TT ("own"); not visible to Sở Tài chính ("other")
    coordinated: Task  # Sở TT&TT coordinates it; Sở Tài chính has nothing to do with it
    update: ProgressUpdate  # a report of "own" waiting for review
    notification_id: int  # belongs to the office user
    calendar_day_id: int
    directive_id: int
    extension_id: int  # a pending request of "own" on another of its dated tasks
    extension_task_id: int  # that other task
    section_id: int  # an empty section of the task's directive
    users: dict[str, Any] = field(default_factory=dict)
    report_id: int = 0  # the 2024-Q1 appendix of the task's directive, built by the office
    import_token: str = ""  # an upload of the office user's, waiting for its confirmation
    api_token_id: int = 0  # a personal API token of the office user's
    mail_id: int = 0  # a reminder mail whose delivery failed


@dataclass(frozen=True)
class Case:
    endpoint: str
    method: str
    url: Callable[[World], str]
    expect: dict[str, int]
    data: Callable[[World], dict[str, Any]] = lambda w: {}


def _task_url(suffix: str = "") -> Callable[[World], str]:
    return lambda w: f"/tasks/{w.task.id}{suffix}"


def _agency_url(suffix: str) -> Callable[[World], str]:
    """Sở Tài chính, the "other" department user's agency."""
    return lambda w: f"/agencies/{w.users['other'].agency_id}{suffix}"


def _directive_url(suffix: str = "") -> Callable[[World], str]:
    return lambda w: f"/directives/{w.directive_id}{suffix}"


def _section_url(suffix: str = "") -> Callable[[World], str]:
    return lambda w: f"/directives/{w.directive_id}/sections/{w.section_id}{suffix}"


def _section_data(w: World) -> dict[str, str]:
    prefix = f"s{w.section_id}"
    return {f"{prefix}-number": "IX", f"{prefix}-title": "Mục đã sửa", f"{prefix}-order": "1"}


def _import_url(suffix: str = "") -> Callable[[World], str]:
    """The office user's upload; anyone else's is "not found", whatever their role."""
    return lambda w: f"/directives/import/{w.import_token}{suffix}"


# A conclusion notice of one task, for a known agency: the import routes' document.
IMPORT_NOTICE = """THÔNG BÁO
Kết luận của Chủ tịch UBND tỉnh về kiểm thử phân quyền nhập văn bản

Chủ tịch UBND tỉnh yêu cầu:

1. Sở Tài chính:
- Bố trí kinh phí kiểm thử phân quyền, hoàn thành trong tháng 9 năm 2099.
"""
UPLOADERS = {"office": 302, "admin": 404}  # the token's owner, and an editor who does not own it


def _account_url(suffix: str) -> Callable[[World], str]:
    """The leader's account: the one the administration routes act on."""
    return lambda w: f"/admin/users/{w.users['leader'].id}{suffix}"


def api_only(allowed: dict[str, int], denied: int = 403) -> dict[str, int]:
    """An API route: anonymous calls get 401, never a redirect to the login page."""
    return only(allowed, denied) | {"anonymous": 401}


def _api_task_url(suffix: str = "") -> Callable[[World], str]:
    return lambda w: f"/api/v1/tasks/{w.task.id}{suffix}"


API_MATRIX: list[Case] = [
    Case(
        "api-docs.openapi_json",
        "GET",
        lambda w: "/api/v1/openapi.json",
        everyone(200) | {"anonymous": 200},
    ),
    Case(
        "api-docs.openapi_swagger_ui",
        "GET",
        lambda w: "/api/v1/docs",
        everyone(200) | {"anonymous": 200},
    ),
    Case(
        "api.list_tasks",
        "GET",
        lambda w: "/api/v1/tasks?standing=overdue",
        api_only(dict.fromkeys(ROLES, 200)),
    ),
    Case(
        "api.get_one_task",
        "GET",
        _api_task_url(),
        api_only(dict.fromkeys(ROLES, 200) | {"other": 404}),
    ),
    Case(
        "api.post_progress",
        "POST",
        _api_task_url("/progress"),
        # the lead agency's user is let through, to be told the If-Match header is missing
        api_only({"own": 428, "other": 404}),
        lambda w: {"status": "partial", "explanation": "Báo cáo"},
    ),
    Case(
        "api.list_directives_api",
        "GET",
        lambda w: "/api/v1/directives?q=nghi+quyet",
        api_only(dict.fromkeys(ROLES, 200)),
    ),
    Case(
        "api.list_agencies",
        "GET",
        lambda w: "/api/v1/agencies?q=so",
        api_only(dict.fromkeys(ROLES, 200)),
    ),
    Case(
        "api.list_notifications",
        "GET",
        lambda w: "/api/v1/notifications",
        api_only(dict.fromkeys(ROLES, 200)),
    ),
    Case(
        "api.list_reports",
        "GET",
        lambda w: "/api/v1/reports",
        api_only(dict.fromkeys(VIEWERS, 200)),
    ),
    Case(
        "api.download_report",
        "GET",
        lambda w: f"/api/v1/reports/{w.report_id}/download/xlsx",
        api_only(dict.fromkeys(VIEWERS, 200)),
    ),
    Case(
        "api.standings",
        "GET",
        lambda w: "/api/v1/standings?on=2024-07-15",
        api_only(dict.fromkeys(ROLES, 200)),
    ),
    Case("api_tokens.index", "GET", lambda w: "/account/tokens/", everyone(200)),
    Case(
        "api_tokens.index",
        "POST",
        lambda w: "/account/tokens/",
        everyone(200),  # the page showing the new token once
        lambda w: {"name": "Máy chủ báo cáo", "scope": "read"},
    ),
    Case(
        "api_tokens.revoke",
        "POST",
        lambda w: f"/account/tokens/{w.api_token_id}/revoke",
        only({"office": 302}, denied=404),  # only its owner
    ),
]


MATRIX: list[Case] = [
    Case("main.index", "GET", lambda w: "/", everyone(302)),
    # The load balancer's probe: public, and "degraded" (200) here, where no scheduler runs.
    Case("ops.healthz", "GET", lambda w: "/healthz", everyone(200) | {"anonymous": 200}),
    Case("auth.login", "GET", lambda w: "/auth/login", everyone(302) | {"anonymous": 200}),
    Case(
        "auth.login",
        "POST",
        lambda w: "/auth/login",
        everyone(302) | {"anonymous": 200},
        lambda w: {"username": "nobody", "password": "wrong password"},
    ),
    Case("auth.logout", "POST", lambda w: "/auth/logout", everyone(302)),
    Case("auth.logout_everywhere", "POST", lambda w: "/auth/logout-everywhere", everyone(302)),
    Case(
        "auth.language",
        "POST",
        lambda w: "/auth/language/en",
        everyone(302) | {"anonymous": 302},
        lambda w: {"next": "/tasks/"},
    ),
    Case("directives.index", "GET", lambda w: "/directives/", everyone(200)),
    Case("directives.detail", "GET", lambda w: f"/directives/{w.directive_id}", everyone(200)),
    Case(
        "directives.create", "GET", lambda w: "/directives/new", only(dict.fromkeys(EDITORS, 200))
    ),
    Case(
        "directives.create",
        "POST",
        lambda w: "/directives/new",
        only(dict.fromkeys(EDITORS, 302)),
        lambda w: {"kind": "decision", "number": "99/QĐ-MT", "summary": "Văn bản thử"},
    ),
    Case("directives.edit", "GET", _directive_url("/edit"), only(dict.fromkeys(EDITORS, 200))),
    Case(
        "directives.edit",
        "POST",
        _directive_url("/edit"),
        only(dict.fromkeys(EDITORS, 302)),
        lambda w: {"kind": "decision", "number": "98/QĐ-MT", "summary": "Trích yếu đã sửa"},
    ),
    Case("directives.delete", "GET", _directive_url("/delete"), only(dict.fromkeys(EDITORS, 200))),
    Case("directives.delete", "POST", _directive_url("/delete"), only(dict.fromkeys(EDITORS, 302))),
    Case(
        "directives.restore", "POST", _directive_url("/restore"), only(dict.fromkeys(EDITORS, 302))
    ),
    Case(
        "directives.sections", "GET", _directive_url("/sections"), only(dict.fromkeys(EDITORS, 200))
    ),
    Case(
        "directives.sections",
        "POST",
        _directive_url("/sections"),
        only(dict.fromkeys(EDITORS, 302)),
        lambda w: {"new-number": "X", "new-title": "Mục mới"},
    ),
    Case(
        "directives.section_update",
        "POST",
        _section_url(),
        only(dict.fromkeys(EDITORS, 302)),
        _section_data,
    ),
    Case(
        "directives.section_delete",
        "POST",
        _section_url("/delete"),
        only(dict.fromkeys(EDITORS, 302)),
    ),
    Case(
        "imports.upload",
        "GET",
        lambda w: "/directives/import",
        only(dict.fromkeys(EDITORS, 200)),
    ),
    Case(
        "imports.upload",
        "POST",
        lambda w: "/directives/import",
        only(dict.fromkeys(EDITORS, 302)),  # to the preview of what was read
        lambda w: {"kind": "notice", "text": IMPORT_NOTICE, "number": "75/TB-UBND"},
    ),
    Case(
        "imports.preview",
        "GET",
        _import_url(),
        only(UPLOADERS | {"office": 200}),
    ),
    Case(
        "imports.rebuild",
        "POST",
        _import_url("/rebuild"),
        only(UPLOADERS),
        lambda w: {"reference": "2024-01-18", "number": "76/TB-UBND"},
    ),
    Case(
        "imports.confirm",
        "POST",
        _import_url("/confirm"),
        only(UPLOADERS),
        lambda w: {"create_agencies": "y", "t0-title": "Bố trí kinh phí kiểm thử"},
    ),
    Case("imports.discard", "POST", _import_url("/discard"), only(UPLOADERS)),
    Case("tasks.index", "GET", lambda w: "/tasks/", everyone(200)),
    Case("tasks.detail", "GET", _task_url(), everyone(200) | {"other": 404}),
    Case("tasks.mine", "GET", lambda w: "/tasks/mine", only({"own": 200, "other": 200})),
    Case(
        "tasks.create",
        "GET",
        lambda w: f"/tasks/new?directive={w.directive_id}",
        only(dict.fromkeys(EDITORS, 200)),
    ),
    Case(
        "tasks.create",
        "POST",
        lambda w: f"/tasks/new?directive={w.directive_id}",
        only(dict.fromkeys(EDITORS, 302)),
        lambda w: {"title": "Nhiệm vụ mới", "status": "in_progress", "deadline_text": "2025"},
    ),
    Case("tasks.edit", "GET", _task_url("/edit"), only(dict.fromkeys(EDITORS, 200))),
    Case(
        "tasks.edit",
        "POST",
        _task_url("/edit"),
        only(dict.fromkeys(EDITORS, 302)),
        lambda w: {"title": "Đã sửa", "status": "partial", "version": str(w.task.version)},
    ),
    Case(
        "tasks.deadline_preview",
        "GET",
        lambda w: "/tasks/deadline-preview?deadline_text=2025",
        only(dict.fromkeys(EDITORS, 200)),
    ),
    Case("tasks.calendar", "GET", lambda w: "/tasks/calendar", only({"admin": 200})),
    Case(
        "tasks.calendar",
        "POST",
        lambda w: "/tasks/calendar",
        only({"admin": 302}),
        lambda w: {"day": "2026-10-10", "kind": "work", "note": "làm bù"},
    ),
    Case(
        "tasks.calendar_delete",
        "POST",
        lambda w: "/tasks/calendar/delete",
        only({"admin": 302}),
        lambda w: {"id": str(w.calendar_day_id)},
    ),
    Case(
        "tasks.report",
        "POST",
        lambda w: f"/tasks/{w.coordinated.id}/report",
        # "own" only coordinates this one: coordinators contribute, they do not report
        only({"own": 403, "other": 404}),
        lambda w: {"status": "partial", "explanation": "Báo cáo"},
    ),
    Case(
        "tasks.contribute",
        "POST",
        lambda w: f"/tasks/{w.coordinated.id}/contribute",
        only({"own": 302, "other": 404}),
        lambda w: {"explanation": "Ý kiến phối hợp"},
    ),
    Case(
        "tasks.accept",
        "POST",
        lambda w: f"/tasks/updates/{w.update.id}/accept",
        only(dict.fromkeys(EDITORS, 302)),
    ),
    Case(
        "tasks.return_update",
        "POST",
        lambda w: f"/tasks/updates/{w.update.id}/return",
        only(dict.fromkeys(EDITORS, 302)),
        lambda w: {"reason": "Thiếu số liệu"},
    ),
    Case(
        "tasks.delete",
        "POST",
        _task_url("/delete"),
        only(dict.fromkeys(EDITORS, 302)),
    ),
    Case(
        "tasks.restore",
        "POST",
        _task_url("/restore"),
        only(dict.fromkeys(EDITORS, 302)),
    ),
    Case("tasks.copy", "GET", _task_url("/copy"), only(dict.fromkeys(EDITORS, 200))),
    Case(
        "tasks.copy",
        "POST",
        _task_url("/copy"),
        only(dict.fromkeys(EDITORS, 302)),
        lambda w: {"agency_ids": [str(w.users["other"].agency_id)]},
    ),
    Case("notifications.index", "GET", lambda w: "/notifications/", everyone(200)),
    Case(
        "notifications.open_one",
        "POST",
        lambda w: f"/notifications/{w.notification_id}/open",
        only({"office": 302}, denied=404),
    ),
    Case("notifications.read_all", "POST", lambda w: "/notifications/read-all", everyone(302)),
    # Undelivered mail: administrators only (its retry goes to the configured SMTP server).
    Case("notifications.outbox", "GET", lambda w: "/notifications/outbox", only({"admin": 200})),
    Case(
        "notifications.retry",
        "POST",
        lambda w: f"/notifications/outbox/{w.mail_id}/retry",
        only({"admin": 302}),
    ),
    Case("search.index", "GET", lambda w: "/search/?q=so", everyone(200)),
    Case(
        "dashboard.index",
        "GET",
        lambda w: "/dashboard/",
        only({"admin": 200, "office": 200, "leader": 200}),
    ),
    Case(
        "dashboard.overdue",
        "GET",
        lambda w: "/dashboard/overdue",
        only({"admin": 200, "office": 200, "leader": 200}),
    ),
    Case(
        "dashboard.overdue_xlsx",
        "GET",
        lambda w: "/dashboard/overdue.xlsx",
        only({"admin": 200, "office": 200, "leader": 200}),
    ),
    Case(
        "dashboard.upcoming",
        "GET",
        lambda w: "/dashboard/upcoming",
        only({"admin": 200, "office": 200, "leader": 200}),
    ),
    Case(
        "extensions.index",
        "GET",
        lambda w: "/extensions/",
        only({"admin": 200, "office": 200, "leader": 200}),
    ),
    Case(
        "extensions.request_extension",
        "POST",
        lambda w: f"/extensions/task/{w.extension_task_id}/request",
        # allowed for the lead agency and the office; refused (303 back to the task, nothing
        # written) because a request is already waiting for a decision
        only({"own": 303, "office": 303, "other": 404}),
        lambda w: {"requested_due": "2099-06-30", "reason": "Chờ kinh phí"},
    ),
    Case(
        "extensions.approve",
        "POST",
        lambda w: f"/extensions/{w.extension_id}/approve",
        only({"leader": 302}),
        lambda w: {"note": "Đồng ý"},
    ),
    Case(
        "extensions.refuse",
        "POST",
        lambda w: f"/extensions/{w.extension_id}/refuse",
        only({"leader": 302}),
        lambda w: {"note": "Không đủ căn cứ"},
    ),
    Case("agencies.index", "GET", lambda w: "/agencies/", only({"admin": 200})),
    Case("agencies.create", "GET", lambda w: "/agencies/new", only({"admin": 200})),
    Case(
        "agencies.create",
        "POST",
        lambda w: "/agencies/new",
        only({"admin": 302}),
        lambda w: {"name": "Sở Du lịch", "kind": "department", "aliases": "Sở DL"},
    ),
    Case("agencies.edit", "GET", _agency_url("/edit"), only({"admin": 200})),
    Case(
        "agencies.edit",
        "POST",
        _agency_url("/edit"),
        only({"admin": 302}),
        lambda w: {"name": "Sở Tài chính", "kind": "department", "aliases": "STC"},
    ),
    Case("agencies.deactivate", "POST", _agency_url("/deactivate"), only({"admin": 302})),
    Case("agencies.reactivate", "POST", _agency_url("/reactivate"), only({"admin": 302})),
    Case(
        "agencies.search",
        "GET",
        lambda w: "/agencies/search?q=so+tttt&name=lead_agency_id",
        only({"admin": 200, "office": 200}),
    ),
    Case("users_admin.index", "GET", lambda w: "/admin/users/", only({"admin": 200})),
    Case("users_admin.create", "GET", lambda w: "/admin/users/new", only({"admin": 200})),
    Case(
        "users_admin.create",
        "POST",
        lambda w: "/admin/users/new",
        only({"admin": 200}),  # the page showing the generated password once
        lambda w: {"username": "m-new", "full_name": "Người mới", "role": "leader"},
    ),
    Case("users_admin.edit", "GET", _account_url("/edit"), only({"admin": 200})),
    Case(
        "users_admin.edit",
        "POST",
        _account_url("/edit"),
        only({"admin": 302}),
        lambda w: {"full_name": "Lãnh đạo đã sửa", "role": "leader", "agency": ""},
    ),
    Case("users_admin.deactivate", "POST", _account_url("/deactivate"), only({"admin": 302})),
    Case("users_admin.reactivate", "POST", _account_url("/reactivate"), only({"admin": 302})),
    Case("users_admin.reset", "POST", _account_url("/reset-password"), only({"admin": 200})),
    Case("users_admin.unlock_account", "POST", _account_url("/unlock"), only({"admin": 302})),
    Case("reports.index", "GET", lambda w: "/reports/", only(dict.fromkeys(VIEWERS, 200))),
    Case("reports.build", "GET", lambda w: "/reports/new", only(dict.fromkeys(EDITORS, 200))),
    Case(
        "reports.build",
        "POST",
        lambda w: "/reports/new",
        only(dict.fromkeys(EDITORS, 302)),
        lambda w: {"kind": "appendix", "period": "2023-Q2", "directives": str(w.directive_id)},
    ),
    Case(
        "reports.detail",
        "GET",
        lambda w: f"/reports/{w.report_id}",
        only(dict.fromkeys(VIEWERS, 200)),
    ),
    Case(
        "reports.download",
        "GET",
        lambda w: f"/reports/{w.report_id}/download/xlsx",
        only(dict.fromkeys(VIEWERS, 200)),
    ),
    Case(
        "reports.templates",
        "GET",
        lambda w: "/reports/templates",
        only(dict.fromkeys(EDITORS, 200)),
    ),
    Case(
        "reports.edit_template",
        "GET",
        lambda w: "/reports/templates/quarter",
        only(dict.fromkeys(EDITORS, 200)),
    ),
    Case(
        "reports.edit_template",
        "POST",
        lambda w: "/reports/templates/quarter",
        only(dict.fromkeys(EDITORS, 302)),
        lambda w: {
            "subject": "báo cáo {directive_short} trong {period}",
            "body": "Ủy ban nhân dân tỉnh {province} báo cáo.",
            "distribution": "- Như trên;",
        },
    ),
    *API_MATRIX,
]


@pytest.fixture
def world(app, db, make_user, tmp_path, monkeypatch) -> World:
    own = resolve_agency(db, "Sở Thông tin và Truyền thông")
    other = resolve_agency(db, "Sở Tài chính")
    users = {
        "admin": make_user(Role.ADMIN, "m-admin"),
        "office": make_user(Role.OFFICE, "m-office"),
        "leader": make_user(Role.LEADER, "m-leader"),
        "own": make_user(Role.DEPARTMENT, "m-own", own),
        "other": make_user(Role.DEPARTMENT, "m-other", other),
    }
    task = db.scalars(
        select(Task).where(
            Task.lead_agency_id == own.id, ~Task.coordinators.any(Agency.id == other.id)
        )
    ).first()
    coordinated = db.scalars(
        select(Task).where(
            Task.coordinators.any(Agency.id == own.id),
            ~Task.coordinators.any(Agency.id == other.id),
            Task.lead_agency_id != other.id,
        )
    ).first()
    update = ProgressUpdate(
        task=task,
        agency_id=own.id,
        author=users["own"],
        reported_on=date(2024, 3, 1),
        kind=UpdateKind.REPORT,
        review_state=ReviewState.SUBMITTED,
        status=task.status,
        explanation="Đang thực hiện",
    )
    db.add(update)
    db.flush()
    (note,) = notify(db, [users["office"]], kind="test", message="m", task=task, link="/tasks/")
    day = add_calendar_day(db, day=date(2026, 10, 9), kind=CalendarDayKind.OFF, note="nghỉ")
    dated = db.scalars(
        select(Task)
        .where(Task.lead_agency_id == own.id, Task.deadline_due.is_not(None), Task.id != task.id)
        .order_by(Task.id)
    ).first()
    extension = DeadlineExtension(
        task=dated,
        agency_id=own.id,
        requested_by=users["own"],
        reason="Chờ ý kiến",
        previous_due=dated.effective_due,
        requested_due=date(2099, 12, 31),
    )
    db.add(extension)
    section = Section(directive_id=task.directive_id, number="IX", title="Mục trống", position=99)
    db.add(section)
    with app.app_context():
        report = build_report(
            db,
            period="2024-Q1",
            scope=Scope((task.directive_id,)),
            actor=users["office"],
            today=date(2025, 3, 31),
        )
    api_token = create_token(
        db, user=users["office"], name="Báo cáo tỉnh", scope=TokenScope.READ, now=now_utc()
    ).token
    mail = MailOutbox(
        kind="agency", recipients="vanthu@example.vn", subject="Nhắc việc", body_text="t",
        body_html="<p>t</p>", state=MailState.FAILED, attempts=1, last_error="refused",
    )  # fmt: skip
    db.add(mail)
    db.commit()
    return World(
        task,
        coordinated,
        update,
        note.id,
        day.id,
        task.directive_id,
        extension.id,
        dated.id,
        section.id,
        users,
        report.id,
        _waiting_import(app, db, users["office"], tmp_path, monkeypatch),
        api_token.id,
        mail.id,
    )


def _waiting_import(app, db, user, tmp_path, monkeypatch) -> str:
    """An upload of `user`'s read and kept (in this test's own directory); its token."""
    monkeypatch.setitem(app.config, "IMPORT_DIR", str(tmp_path / "imports"))
    file = ImportFile("tb.txt", IMPORT_NOTICE.encode("utf-8"))
    options = ImportOptions(kind="notice", number="70/TB-UBND")
    with app.test_request_context():
        preview = build_preview(db, file, options, today=date(2025, 3, 31))
        store = ImportStore(tmp_path / "imports", now_utc())
        return store.create(user.id, file, options, preview=preview.to_json()).token


def snapshot(db) -> dict[str, Any]:
    """Row counts of every table, and every column of the rows the routes act on."""
    state: dict[str, Any] = {
        table.name: db.scalar(select(func.count()).select_from(table))
        for table in Base.metadata.sorted_tables
    }
    db.expire_all()
    for model in (Task, ProgressUpdate, DeadlineExtension):
        for row in db.scalars(select(model).order_by(model.id)):
            state[f"{model.__name__}:{row.id}"] = {
                c.key: getattr(row, c.key) for c in inspect(model).column_attrs
            }
    return state


CASES = [(case, role) for case in MATRIX for role in ROLES]


def test_every_route_is_in_the_matrix(app):
    registered = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    covered = {(case.endpoint, case.method) for case in MATRIX}
    assert registered - covered == set(), "add these routes to the permission matrix"
    assert covered - registered == set(), "the matrix names routes that no longer exist"


@pytest.mark.parametrize(
    ("case", "role"), CASES, ids=[f"{c.endpoint}-{c.method}-{r}" for c, r in CASES]
)
def test_route_role(app, db, world, case, role):
    client = app.test_client()
    if role != "anonymous":
        login(client, world.users[role].username)
    url = case.url(world)
    if case.method == "GET":
        before = snapshot(db)
        response = client.get(url)
        assert response.status_code == case.expect[role], response.get_data(as_text=True)[:500]
        assert snapshot(db) == before, "a GET changed the database"
        return
    token = csrf_token(client, "/notifications/" if role != "anonymous" else "/auth/login")
    before = snapshot(db)
    response = client.post(url, data={"csrf_token": token, **case.data(world)})
    assert response.status_code == case.expect[role], response.get_data(as_text=True)[:500]
    if response.status_code in (302, 200, 303) and case.expect[role] not in (403, 404):
        return
    after = snapshot(db)
    if role == "anonymous" or case.expect[role] in (403, 404):
        assert after == before, "a forbidden write changed the database"
