"""Deny by default, and department users confined to their agency's tasks."""

from __future__ import annotations

import pytest
from flask import Blueprint
from sqlalchemy import select

from app.agencies.services import resolve_agency
from app.auth.models import Role
from app.auth.permissions import access_of
from app.tasks.models import Task
from tests.conftest import login


def test_every_endpoint_declares_who_may_reach_it(app):
    with app.test_request_context():
        undeclared = [
            rule.endpoint
            for rule in app.url_map.iter_rules()
            if rule.endpoint != "static" and access_of(rule.endpoint) is None
        ]
    assert undeclared == []


def test_an_undeclared_view_is_refused(seeded, tmp_path):
    from tests.conftest import make_app

    fresh = make_app(f"sqlite:///{tmp_path / 'x.db'}")
    bp = Blueprint("probe", __name__)
    bp.add_url_rule("/probe", "probe", lambda: "open")
    fresh.register_blueprint(bp)
    assert fresh.test_client().get("/probe").status_code == 403


@pytest.fixture
def stttt_user(db, make_user):
    return make_user(Role.DEPARTMENT, "sotttt-test", resolve_agency(db, "Sở TT&TT"))


def test_department_sees_only_its_agency_tasks(client, db, stttt_user):
    login(client, "sotttt-test")
    body = client.get("/tasks/?q=").get_data(as_text=True)
    own = db.scalars(select(Task).where(Task.lead_agency_id == stttt_user.agency_id)).first()
    assert own.title[:40] in body or own.title[:40].replace("&", "&amp;") in body
    other = db.scalar(
        select(Task).where(Task.lead_agency_id != stttt_user.agency_id, ~Task.coordinators.any())
    )
    assert client.get(f"/tasks/{other.id}").status_code == 404
    assert client.get(f"/tasks/{own.id}").status_code == 200


def test_department_sees_tasks_it_coordinates(client, db, stttt_user):
    from app.agencies.models import Agency

    coordinated = db.scalars(
        select(Task).where(Task.coordinators.any(Agency.id == stttt_user.agency_id))
    ).first()
    assert coordinated is not None
    login(client, "sotttt-test")
    assert client.get(f"/tasks/{coordinated.id}").status_code == 200


@pytest.mark.parametrize("role", [Role.OFFICE, Role.LEADER, Role.ADMIN])
def test_other_roles_see_every_task(client, db, make_user, role):
    make_user(role, "someone")
    login(client, "someone")
    any_task = db.scalars(select(Task)).first()
    assert client.get(f"/tasks/{any_task.id}").status_code == 200
