"""Contract tests of the read endpoints: shapes, filters, ordering, confinement, errors."""

from __future__ import annotations

from datetime import date

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select

from app.agencies.models import Agency
from app.notifications.services import notify
from app.reports.scope import Scope
from app.reports.services import build_report
from app.tasks.models import Task, task_coordinators
from app.tasks.standing import Standing, count_standings, standing
from app.text import fold
from tests.freeze import DASHBOARD_DAY, DASHBOARD_MOMENT


def _all_pages(api, caller, query: str) -> list[dict]:
    items, page = [], 1
    while True:
        body = api("GET", f"/api/v1/tasks?{query}&per_page=100&page={page}", caller).json
        items += body["items"]
        if page >= body["pages"]:
            return items
        page += 1


def _involved_ids(db, agency_id: int) -> set[int]:
    led = set(
        db.scalars(
            select(Task.id).where(Task.lead_agency_id == agency_id, Task.deleted_at.is_(None))
        )
    )
    coordinated = set(
        db.scalars(
            select(Task.id)
            .join(task_coordinators, task_coordinators.c.task_id == Task.id)
            .where(task_coordinators.c.agency_id == agency_id, Task.deleted_at.is_(None))
        )
    )
    return led | coordinated


def test_department_sees_only_its_agency_tasks_in_stable_order(db, api, callers, agencies):
    items = _all_pages(api, callers["own"], "")
    assert {t["id"] for t in items} == _involved_ids(db, agencies["own"].id)
    keys = [(t["directive"]["id"], t["id"]) for t in items]
    assert len(keys) == len(set(keys))
    office = _all_pages(api, callers["office"], "")
    live = db.scalar(select(func.count(Task.id)).where(Task.deleted_at.is_(None)))
    assert len(office) == live


def test_task_list_pages_with_totals(api, callers):
    first = api("GET", "/api/v1/tasks?per_page=2", callers["office"]).json
    second = api("GET", "/api/v1/tasks?per_page=2&page=2", callers["office"]).json
    assert first["per_page"] == 2
    assert first["page"] == 1
    assert first["total"] == second["total"] > 4
    assert first["pages"] == -(-first["total"] // 2)
    assert {t["id"] for t in first["items"]}.isdisjoint({t["id"] for t in second["items"]})
    past = api("GET", "/api/v1/tasks?page=9999", callers["office"]).json
    assert past["items"] == []
    assert past["total"] == first["total"]


@freeze_time(DASHBOARD_MOMENT)
def test_task_fields_and_standing_filter(db, api, callers, agencies):
    overdue = _all_pages(api, callers["own"], f"standing=overdue&agency={agencies['own'].id}")
    assert overdue, "the seed has overdue tasks for Sở TT&TT on this day"
    for item in overdue:
        task = db.get(Task, item["id"])
        assert standing(task, DASHBOARD_DAY) == Standing.OVERDUE
        assert item["standing"] == "overdue"
        assert item["deadline"]["text"] == task.deadline_text
        assert item["deadline"]["kind"] == task.deadline_kind.value
        assert item["deadline"]["due"] == (
            task.deadline_due.isoformat() if task.deadline_due else None
        )
        assert item["version"] == task.version
    one = overdue[0]
    assert set(one) >= {
        "lead_agency",
        "coordinators",
        "directive",
        "status",
        "completed_on",
        "title",
    }


def test_due_between_and_directive_filters(db, api, callers):
    items = _all_pages(api, callers["office"], "due_from=2024-01-01&due_to=2024-12-31")
    assert items
    for item in items:
        assert "2024-01-01" <= item["deadline"]["effective_due"] <= "2024-12-31"
    directive_id = items[0]["directive"]["id"]
    same = _all_pages(api, callers["office"], f"directive={directive_id}")
    assert {t["directive"]["id"] for t in same} == {directive_id}


def test_search_ignores_diacritics(db, api, callers):
    task = db.scalars(select(Task).where(Task.title.contains("đ")).order_by(Task.id)).first()
    word = next(w for w in task.title.split() if "đ" in w.lower())
    folded = fold(word)
    found = _all_pages(api, callers["office"], f"q={folded}")
    assert task.id in {t["id"] for t in found}
    assert all(
        folded
        in fold(
            " ".join(
                filter(
                    None,
                    [
                        t["title"],
                        t["outline"],
                        t["code"],
                        t["lead_text"],
                        t["deadline"]["text"],
                        t["product"],
                    ],
                )
            )
        )
        for t in found
    )


def test_bad_query_parameters_are_422_in_the_error_shape(api, callers):
    response = api("GET", "/api/v1/tasks?page=0&standing=late&nope=1", callers["office"])
    assert response.status_code == 422
    errors = response.json["errors"]
    assert errors["page"] == ["Phải nằm trong khoảng từ 1 đến 10000."]
    assert errors["nope"] == ["Trường không được hỗ trợ."]
    assert errors["standing"][0].startswith("Phải là một trong các giá trị:")
    english = api(
        "GET",
        "/api/v1/tasks?due_from=2024-02-30",
        callers["office"],
        headers={"Accept-Language": "en"},
    )
    assert english.json == {"errors": {"due_from": ["Not a valid date."]}}


def test_nul_in_a_query_is_a_400_in_json(api, callers):
    response = api("GET", "/api/v1/tasks?q=%00", callers["office"])
    assert response.status_code == 400
    assert response.is_json
    assert "_request" in response.json["errors"]


def test_task_detail_has_etag_and_is_hidden_from_other_agencies(api, callers, own_task):
    response = api("GET", f"/api/v1/tasks/{own_task.id}", callers["own"])
    assert response.status_code == 200
    assert response.headers["ETag"] == f'"{own_task.version}"'
    assert response.json["id"] == own_task.id
    assert isinstance(response.json["updates"], list)
    hidden = api("GET", f"/api/v1/tasks/{own_task.id}", callers["other"])
    assert hidden.status_code == 404
    assert hidden.json["errors"]["_request"]
    assert api("GET", "/api/v1/tasks/999999", callers["office"]).status_code == 404


def test_directives_list(db, api, callers):
    body = api("GET", "/api/v1/directives?q=131/nq-cp", callers["own"]).json
    numbers = [d["number"] for d in body["items"]]
    assert "131/NQ-CP" in numbers
    assert body["total"] == len(numbers)
    resolution = body["items"][numbers.index("131/NQ-CP")]
    assert resolution["task_count"] > 0
    assert resolution["kind"] == "resolution"
    assert api("GET", "/api/v1/directives?per_page=101", callers["own"]).status_code == 422


def test_agencies_list_folds_the_query(api, callers):
    body = api("GET", "/api/v1/agencies?q=so tai chinh", callers["own"]).json
    assert "Sở Tài chính" in [a["name"] for a in body["items"]]
    by_kind = api("GET", "/api/v1/agencies?kind=district&per_page=100", callers["own"]).json
    assert by_kind["items"]
    assert {a["kind"] for a in by_kind["items"]} == {"district"}


def test_notifications_are_only_the_callers_own(db, api, callers, own_task):
    notify(db, [callers["own"].user], kind="test", message="Cho Sở", task=own_task, link="/")
    notify(db, [callers["other"].user], kind="test", message="Cho người khác", link="/")
    db.commit()
    mine = api("GET", "/api/v1/notifications", callers["own"]).json
    assert [n["message"] for n in mine["items"]] == ["Cho Sở"]
    assert mine["items"][0]["task_id"] == own_task.id
    assert mine["items"][0]["read_at"] is None


@pytest.fixture
def report(app, db, callers, own_task):
    with app.app_context():
        built = build_report(
            db,
            period="2024-Q1",
            scope=Scope((own_task.directive_id,)),
            actor=callers["office"].user,
            today=date(2025, 3, 31),
        )
    db.commit()
    return built


def test_report_archive_and_download(api, callers, report):
    body = api("GET", "/api/v1/reports", callers["leader"]).json
    listed = next(r for r in body["items"] if r["id"] == report.id)
    assert listed["period_code"] == "2024-Q1"
    assert "xlsx" in listed["formats"]
    download = api("GET", f"/api/v1/reports/{report.id}/download/xlsx", callers["leader"])
    assert download.status_code == 200
    assert download.data[:2] == b"PK"
    assert "attachment" in download.headers["Content-Disposition"]
    assert (
        api("GET", f"/api/v1/reports/{report.id}/download/exe", callers["leader"]).status_code
        == 404
    )
    assert api("GET", "/api/v1/reports", callers["own"]).status_code == 403
    assert (
        api("GET", f"/api/v1/reports/{report.id}/download/xlsx", callers["own"]).status_code == 403
    )


@freeze_time(DASHBOARD_MOMENT)
def test_standings_match_the_dashboard_counts(db, api, callers, agencies):
    body = api("GET", "/api/v1/standings?on=2024-07-15", callers["office"]).json
    expected = count_standings(db, DASHBOARD_DAY)
    assert body["on"] == "2024-07-15"
    assert body["total"]["total"] == sum(c.total for c in expected.values())
    own = next(
        r for r in body["agencies"] if r["agency"] and r["agency"]["id"] == agencies["own"].id
    )
    counts = expected[agencies["own"].id].counts
    assert own["overdue"] == counts[Standing.OVERDUE]
    assert own["on_track"] == counts[Standing.ON_TRACK]
    # a department sees its own agency only
    mine = api("GET", "/api/v1/standings?on=2024-07-15", callers["own"]).json
    assert [r["agency"]["id"] for r in mine["agencies"]] == [agencies["own"].id]
    assert mine["total"]["total"] == own["total"]
    today = api("GET", "/api/v1/standings", callers["office"]).json
    assert today["on"] == "2024-07-15"


def test_unknown_api_paths_and_methods_answer_json(api, callers, client):
    missing = api("GET", "/api/v1/nothing", callers["office"])
    assert missing.status_code == 404
    assert missing.is_json
    wrong = api("DELETE", "/api/v1/tasks", callers["office"])
    assert wrong.status_code == 405
    assert wrong.is_json
    assert "GET" in wrong.headers["Allow"]
    # the pages keep their HTML error pages
    page = client.get("/no-such-page")
    assert page.status_code == 404
    assert page.mimetype == "text/html"


def test_agency_names_are_agencies(db):
    assert db.scalar(select(Agency).where(Agency.name == "Sở Tài chính")) is not None
