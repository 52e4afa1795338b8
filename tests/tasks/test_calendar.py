from datetime import date

import pytest

from app.auth.models import Role
from app.errors import ValidationFailed
from app.tasks.calendar import add_calendar_day, office_calendar
from app.tasks.models import CalendarDayKind
from tests.conftest import csrf_token, login


def test_office_calendar_applies_adjustments(db):
    saturday = date(2026, 10, 10)
    friday = date(2026, 10, 9)
    assert not office_calendar(db).is_working_day(saturday)
    add_calendar_day(db, day=saturday, kind=CalendarDayKind.WORK, note="làm bù")
    add_calendar_day(db, day=friday, kind=CalendarDayKind.OFF, note="nghỉ bù")
    calendar = office_calendar(db)
    assert calendar.is_working_day(saturday)
    assert not calendar.is_working_day(friday)
    assert calendar.add_working_days(date(2026, 10, 8), 1) == saturday


def test_adjustment_that_changes_nothing_is_refused(app, db):
    with app.app_context(), pytest.raises(ValidationFailed) as error:
        add_calendar_day(db, day=date(2026, 10, 10), kind=CalendarDayKind.OFF, note="")
    assert "kind" in error.value.reasons


def test_admin_edits_the_calendar_page(client, make_user):
    make_user(Role.ADMIN, "admin1")
    login(client, "admin1")
    token = csrf_token(client, "/tasks/calendar")
    response = client.post(
        "/tasks/calendar",
        data={"csrf_token": token, "day": "2026-10-10", "kind": "work", "note": "Làm bù"},
    )
    assert response.status_code == 302
    page = client.get("/tasks/calendar").get_data(as_text=True)
    assert "10/10/2026" in page
    assert "Ngày làm bù" in page
    duplicate = client.post(
        "/tasks/calendar",
        data={"csrf_token": token, "day": "2026-10-10", "kind": "work", "note": ""},
    )
    assert duplicate.status_code == 400


def test_calendar_is_admin_only(client, make_user):
    make_user(Role.OFFICE, "office1")
    login(client, "office1")
    assert client.get("/tasks/calendar").status_code == 403
