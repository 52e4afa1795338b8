"""Account administration: every action, its guards, and what never leaks (the password)."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.agencies.services import resolve_agency
from app.audit import AuditEntry
from app.auth.models import Role, User
from app.auth.services import MAX_FAILED_LOGINS, create_user, find_user
from app.clock import now_utc
from tests.conftest import PASSWORD, csrf_token, login

NEW_PASSWORD = re.compile(r'data-testid="new-password">([^<]+)<')


@pytest.fixture
def target(db, make_user):
    """The office account the administrator acts on."""
    return make_user(Role.OFFICE, "office1")


def _token(client) -> str:
    return csrf_token(client, "/tasks/")


def _post(client, path: str, **data):
    return client.post(path, data={"csrf_token": _token(client), **data})


def _password_in(response) -> str:
    match = NEW_PASSWORD.search(response.get_data(as_text=True))
    assert match, "no password shown"
    return match.group(1).strip()


def _journal_text(db) -> str:
    return json.dumps(
        [e.changes for e in db.scalars(select(AuditEntry))], ensure_ascii=False, default=str
    )


def _row(db, user: User) -> dict:
    db.expire_all()
    fresh = db.get(User, user.id)
    return {
        column: getattr(fresh, column)
        for column in (
            "full_name",
            "email",
            "role",
            "agency_id",
            "active",
            "session_version",
            "password_hash",
            "failed_logins",
            "locked_until",
        )
    }


# --- list ---------------------------------------------------------------------------------


def test_list_shows_every_column_and_filters(admin, db):
    agency = resolve_agency(db, "Sở TT&TT")
    create_user(
        db,
        username="duc.nv",
        full_name="Nguyễn Văn Đức",
        role=Role.DEPARTMENT,
        password=PASSWORD,
        agency=agency,
        email="duc@example.vn",
    )
    create_user(
        db, username="hoa.tt", full_name="Trần Thị Hoa", role=Role.LEADER, password=PASSWORD
    )
    db.commit()
    page = admin.get("/admin/users/")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    for text in ("duc.nv", "Nguyễn Văn Đức", "hoa.tt", agency.name, 'data-testid="user-active"'):
        assert text in body

    folded = admin.get("/admin/users/?q=nguyen van duc").get_data(as_text=True)
    assert 'data-username="duc.nv"' in folded
    assert 'data-username="hoa.tt"' not in folded

    by_role = admin.get("/admin/users/?role=leader").get_data(as_text=True)
    assert 'data-username="hoa.tt"' in by_role
    assert 'data-username="duc.nv"' not in by_role

    by_agency = admin.get(f"/admin/users/?agency={agency.id}").get_data(as_text=True)
    assert 'data-username="duc.nv"' in by_agency
    assert 'data-username="hoa.tt"' not in by_agency


def test_list_marks_locked_and_inactive_accounts(admin, db, target):
    target.locked_until = now_utc() + timedelta(minutes=10)
    target.active = False
    db.commit()
    body = admin.get("/admin/users/?q=office1").get_data(as_text=True)
    assert 'data-testid="user-locked"' in body
    assert 'data-testid="user-inactive"' in body


# --- create -------------------------------------------------------------------------------


def test_create_shows_a_working_password_once_and_never_journals_it(app, admin, db):
    agency = resolve_agency(db, "Sở Tài chính")
    response = _post(
        admin,
        "/admin/users/new",
        username="tc.le",
        full_name="Lê Thị Tài",
        email="tai@example.vn",
        role="department",
        agency=str(agency.id),
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    password = _password_in(response)
    assert len(password) >= 10

    user = find_user(db, "tc.le")
    assert (user.full_name, user.email, user.role, user.agency_id) == (
        "Lê Thị Tài",
        "tai@example.vn",
        Role.DEPARTMENT,
        agency.id,
    )
    assert password not in user.password_hash
    assert password not in _journal_text(db)
    assert password not in admin.get(f"/admin/users/{user.id}/edit").get_data(as_text=True)

    other = app.test_client()
    assert login(other, "tc.le", password).status_code == 302
    assert other.get("/tasks/mine").status_code == 200


def test_create_requires_an_agency_for_a_department_user(admin, db):
    response = _post(
        admin,
        "/admin/users/new",
        username="nobody",
        full_name="Phạm Văn Không",
        role="department",
        agency="",
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert 'value="Phạm Văn Không"' in body  # input kept
    assert 'data-testid="new-password"' not in body
    assert find_user(db, "nobody") is None


def test_office_staff_may_belong_to_the_office(admin, db):
    agency = resolve_agency(db, "Văn phòng UBND tỉnh")
    response = _post(
        admin,
        "/admin/users/new",
        username="office9",
        full_name="Võ Văn Chín",
        role="office",
        agency=str(agency.id),
    )
    assert response.status_code == 200  # the page showing the generated password
    assert find_user(db, "office9").agency_id == agency.id


def test_a_department_account_needs_an_agency(admin, db):
    response = _post(
        admin, "/admin/users/new", username="dept9", full_name="Võ Văn Chín", role="department"
    )
    assert response.status_code == 400
    assert find_user(db, "dept9") is None


def test_create_refuses_a_username_taken_in_another_case(admin, db, target):
    response = _post(
        admin, "/admin/users/new", username="OFFICE1", full_name="Someone", role="office"
    )
    assert response.status_code == 400
    assert 'value="OFFICE1"' in response.get_data(as_text=True)
    assert db.scalars(select(User).where(User.username == "OFFICE1")).first() is None


def test_create_refuses_a_malformed_email_and_keeps_the_input(admin, db):
    response = _post(
        admin,
        "/admin/users/new",
        username="leader9",
        full_name="Đặng Văn Lâm",
        email="not-an-email",
        role="leader",
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert 'value="not-an-email"' in body
    assert 'value="Đặng Văn Lâm"' in body
    assert find_user(db, "leader9") is None


def test_create_form_offers_the_agency_picker(admin):
    body = admin.get("/admin/users/new").get_data(as_text=True)
    assert 'data-testid="agency-picker"' in body
    assert 'hx-get="/agencies/search?name=agency&amp;multiple=0"' in body


# --- edit ---------------------------------------------------------------------------------


def test_edit_changes_name_email_role_and_agency(admin, db, target):
    agency = resolve_agency(db, "Sở Nội vụ")
    response = _post(
        admin,
        f"/admin/users/{target.id}/edit",
        full_name="Hồ Thị Mới",
        email="moi@example.vn",
        role="department",
        agency=str(agency.id),
    )
    assert response.status_code == 302
    row = _row(db, target)
    assert (row["full_name"], row["email"], row["role"], row["agency_id"]) == (
        "Hồ Thị Mới",
        "moi@example.vn",
        Role.DEPARTMENT,
        agency.id,
    )


def test_edit_with_an_error_keeps_the_input(admin, db, target):
    response = _post(
        admin,
        f"/admin/users/{target.id}/edit",
        full_name="Tên Đã Gõ",
        role="department",
        agency="",
    )
    assert response.status_code == 400
    assert 'value="Tên Đã Gõ"' in response.get_data(as_text=True)
    assert _row(db, target)["role"] == Role.OFFICE


def test_admin_cannot_remove_their_own_admin_role(admin, db):
    me = find_user(db, "admin1")
    response = _post(admin, f"/admin/users/{me.id}/edit", full_name="Admin", role="office")
    assert response.status_code == 400
    assert _row(db, me)["role"] == Role.ADMIN


def test_admin_can_remove_another_admins_role(admin, db, make_user):
    other = make_user(Role.ADMIN, "admin2")
    response = _post(admin, f"/admin/users/{other.id}/edit", full_name="Ex admin", role="leader")
    assert response.status_code == 302
    assert _row(db, other)["role"] == Role.LEADER


# --- deactivate / reactivate --------------------------------------------------------------


def test_deactivation_ends_the_users_live_session_at_once(app, admin, db, target):
    theirs = app.test_client()
    login(theirs, "office1")
    assert theirs.get("/tasks/").status_code == 200
    before = _row(db, target)["session_version"]

    response = _post(admin, f"/admin/users/{target.id}/deactivate")
    assert response.status_code == 302
    row = _row(db, target)
    assert row["active"] is False
    assert row["session_version"] == before + 1
    assert theirs.get("/tasks/").status_code == 302  # sent back to the login page
    assert login(theirs, "office1").status_code == 200  # and the login is refused

    assert _post(admin, f"/admin/users/{target.id}/reactivate").status_code == 302
    assert _row(db, target)["active"] is True
    assert login(theirs, "office1").status_code == 302
    assert theirs.get("/tasks/").status_code == 200


def test_admin_cannot_deactivate_themselves(admin, db):
    me = find_user(db, "admin1")
    response = _post(admin, f"/admin/users/{me.id}/deactivate")
    assert response.status_code == 400
    assert 'data-testid="action-errors"' in response.get_data(as_text=True)
    assert _row(db, me)["active"] is True
    assert admin.get("/admin/users/").status_code == 200  # still logged in


# --- reset password / unlock --------------------------------------------------------------


def test_reset_password_shows_a_new_one_ends_sessions_and_lifts_the_lock(app, admin, db, target):
    theirs = app.test_client()
    login(theirs, "office1")
    target.failed_logins = 3
    target.locked_until = now_utc() + timedelta(minutes=10)
    db.commit()

    response = _post(admin, f"/admin/users/{target.id}/reset-password")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    password = _password_in(response)
    row = _row(db, target)
    assert (row["failed_logins"], row["locked_until"]) == (0, None)
    assert password not in _journal_text(db)
    assert theirs.get("/tasks/").status_code == 302  # the old session has ended

    assert login(theirs, "office1", PASSWORD).status_code == 200  # old password refused
    assert login(theirs, "office1", password).status_code == 302
    assert theirs.get("/tasks/").status_code == 200


def test_unlock_clears_a_lockout(app, admin, db, target):
    theirs = app.test_client()
    for _ in range(MAX_FAILED_LOGINS):
        login(theirs, "office1", "wrong wrong wrong")
    assert _row(db, target)["locked_until"] is not None
    login(theirs, "office1")
    assert theirs.get("/tasks/").status_code == 302  # locked: the right password is refused
    assert 'data-testid="user-locked"' in admin.get(f"/admin/users/{target.id}/edit").get_data(
        as_text=True
    )

    assert _post(admin, f"/admin/users/{target.id}/unlock").status_code == 302
    row = _row(db, target)
    assert (row["failed_logins"], row["locked_until"]) == (0, None)
    assert login(theirs, "office1").status_code == 302
    assert theirs.get("/tasks/").status_code == 200


# --- guards -------------------------------------------------------------------------------


def _endpoints(user_id: int) -> list[tuple[str, str, dict]]:
    edit = {"full_name": "Hacked", "role": "admin", "agency": ""}
    return [
        ("get", "/admin/users/", {}),
        ("get", "/admin/users/new", {}),
        ("post", "/admin/users/new", {"username": "intruder", "full_name": "X", "role": "admin"}),
        ("get", f"/admin/users/{user_id}/edit", {}),
        ("post", f"/admin/users/{user_id}/edit", edit),
        ("post", f"/admin/users/{user_id}/deactivate", {}),
        ("post", f"/admin/users/{user_id}/reactivate", {}),
        ("post", f"/admin/users/{user_id}/reset-password", {}),
        ("post", f"/admin/users/{user_id}/unlock", {}),
    ]


@pytest.mark.parametrize("role", [Role.OFFICE, Role.DEPARTMENT, Role.LEADER])
def test_other_roles_get_403_on_every_admin_endpoint_and_change_nothing(
    client, db, make_user, target, role
):
    agency = resolve_agency(db, "Sở TT&TT") if role == Role.DEPARTMENT else None
    make_user(role, "intruder0", agency)
    target.failed_logins = 2
    target.locked_until = now_utc() + timedelta(minutes=10)
    db.commit()
    before = _row(db, target)
    login(client, "intruder0")
    token = _token(client)
    for method, path, data in _endpoints(target.id):
        if method == "get":
            response = client.get(path)
        else:
            response = client.post(path, data={"csrf_token": token, **data})
        assert response.status_code == 403, (method, path)
    assert _row(db, target) == before
    assert find_user(db, "intruder") is None


def test_anonymous_visitors_are_sent_to_login(client, target):
    response = client.get("/admin/users/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_state_changes_need_post_and_a_csrf_token(admin, db, target):
    before = _row(db, target)
    assert admin.get(f"/admin/users/{target.id}/deactivate").status_code == 405
    assert admin.post(f"/admin/users/{target.id}/deactivate").status_code == 400
    assert admin.post(f"/admin/users/{target.id}/reset-password").status_code == 400
    assert _row(db, target) == before


def test_unknown_account_is_404(admin):
    assert admin.get("/admin/users/999999/edit").status_code == 404
    assert _post(admin, "/admin/users/999999/unlock").status_code == 404
