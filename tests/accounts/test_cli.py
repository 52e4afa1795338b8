from sqlalchemy import select

from app.auth.models import Role, User


def test_users_create_reads_password_from_stdin_and_list_shows_it(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create", "nv.stc", "--role", "department", "--agency", "so tai chinh"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    user = db.scalar(select(User).where(User.username == "nv.stc"))
    assert user.role == Role.DEPARTMENT
    assert user.agency.name == "Sở Tài chính"
    assert user.check_password("a long enough password")
    listed = runner.invoke(args=["users", "list"])
    assert "nv.stc\tdepartment\tSở Tài chính" in listed.output


def test_users_create_refuses_department_without_agency(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create", "nobody", "--role", "department"], input="a long enough password\n"
    )
    assert result.exit_code == 1
    assert db.scalar(select(User).where(User.username == "nobody")) is None


def test_users_create_refuses_short_password(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "x1", "--role", "office"], input="short\n")
    assert result.exit_code == 1
    assert "10" in result.output


def test_set_password_changes_it_and_ends_sessions(app, db, make_user):
    user = make_user(Role.OFFICE, "office1")
    version = user.session_version
    result = app.test_cli_runner().invoke(
        args=["users", "set-password", "office1"], input="brand new password\n"
    )
    assert result.exit_code == 0, result.output
    db.refresh(user)
    assert user.check_password("brand new password")
    assert user.session_version == version + 1
