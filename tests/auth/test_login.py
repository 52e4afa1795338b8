from __future__ import annotations

from datetime import timedelta

from freezegun import freeze_time

from app.auth.models import Role
from app.auth.services import MAX_FAILED_LOGINS, set_active
from app.clock import now_utc
from tests.conftest import PASSWORD, csrf_token, login


def test_pages_require_login(client):
    response = client.get("/tasks/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_login_and_logout(client, make_user):
    make_user(Role.OFFICE, "office1")
    response = login(client, "office1")
    assert response.status_code == 302
    assert client.get("/tasks/").status_code == 200
    token = csrf_token(client, "/tasks/")
    assert client.post("/auth/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/tasks/").status_code == 302


def test_wrong_password_is_refused_in_vietnamese(client, make_user):
    make_user(Role.OFFICE, "office1")
    response = login(client, "office1", "wrong password")
    assert response.status_code == 200
    assert "Sai tên đăng nhập hoặc mật khẩu" in response.get_data(as_text=True)


def test_login_without_csrf_token_is_rejected(client, make_user):
    make_user(Role.OFFICE, "office1")
    response = client.post("/auth/login", data={"username": "office1", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/tasks/").status_code == 302


def test_account_locks_after_repeated_failures(client, make_user, db):
    user = make_user(Role.OFFICE, "office1")
    for _ in range(MAX_FAILED_LOGINS):
        login(client, "office1", "nope nope nope")
    db.refresh(user)
    assert user.locked_until is not None
    login(client, "office1")  # the right password does not open a locked account
    assert client.get("/tasks/").status_code == 302
    with freeze_time(now_utc() + timedelta(minutes=16)):
        login(client, "office1")
        assert client.get("/tasks/").status_code == 200


def test_deactivation_ends_a_live_session(client, make_user, db):
    user = make_user(Role.OFFICE, "office1")
    login(client, "office1")
    assert client.get("/tasks/").status_code == 200
    set_active(user, False)
    db.commit()
    assert client.get("/tasks/").status_code == 302


def test_logout_everywhere_ends_other_sessions(app, client, make_user):
    make_user(Role.OFFICE, "office1")
    other = app.test_client()
    login(client, "office1")
    login(other, "office1")
    token = csrf_token(client, "/tasks/")
    client.post("/auth/logout-everywhere", data={"csrf_token": token})
    assert other.get("/tasks/").status_code == 302


def test_password_is_hashed(make_user):
    user = make_user(Role.OFFICE, "office1")
    assert PASSWORD not in user.password_hash
    assert user.password_hash.startswith("scrypt:")


def test_open_redirect_after_login_is_refused(client, make_user):
    make_user(Role.OFFICE, "office1")
    token = csrf_token(client)
    response = client.post(
        "/auth/login?next=//evil.example/x",
        data={"username": "office1", "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"].endswith("/")
    assert "evil" not in response.headers["Location"]


def test_language_switch_to_english(client, make_user):
    make_user(Role.OFFICE, "office1")
    login(client, "office1")
    token = csrf_token(client, "/tasks/")
    client.post("/auth/language/en", data={"csrf_token": token, "next": "/tasks/"})
    assert "Log out" in client.get("/tasks/").get_data(as_text=True)
