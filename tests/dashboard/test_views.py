"""The leader's pages as a browser gets them: who may see them, what they show, bad input."""

from __future__ import annotations

import json
from io import BytesIO
from urllib.parse import parse_qs, urlsplit

import pytest
from openpyxl import load_workbook

from app.dashboard import views as dashboard_views
from app.tasks.lists import OVERDUE_PER_PAGE
from tests.dashboard.conftest import parse
from tests.fixtures.dashboard import ALPHA, BETA, GAMMA, LEADER_A, LEADER_B

PAGES = ("/dashboard/", "/dashboard/overdue", "/dashboard/overdue.xlsx", "/dashboard/upcoming")


def _get(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response


def _page(client, url: str, status: int = 200):
    return parse(_get(client, url, status).get_data(as_text=True))


def _rows(page) -> list[dict[str, str]]:
    """The agency table: name and every count cell of each row, in order."""
    rows = []
    for tr in page.all("agency-row"):
        cells = {
            td.attrs["data-testid"]: td.text
            for td in tr.children
            if td.tag == "td" and "data-testid" in td.attrs
        }
        name = tr.children[0].text
        rows.append({"name": name, **cells, "supervised": tr.attrs.get("data-supervised")})
    return rows


def _names(page) -> list[str]:
    return [tr.attrs["data-agency-id"] for tr in page.all("agency-row")]


# --- who may see the pages ------------------------------------------------------------------


@pytest.mark.parametrize("who", ["a", "office", "admin"])
@pytest.mark.parametrize("url", PAGES)
def test_leaders_office_and_admin_see_the_pages(as_user, who, url):
    _get(as_user(who), url)


@pytest.mark.parametrize("url", PAGES)
def test_department_users_are_refused(as_user, url):
    _get(as_user("department"), url, 403)


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_users_are_sent_to_log_in(app, dashboard_world, url):
    response = app.test_client().get(url)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


# --- the dashboard --------------------------------------------------------------------------


def test_dashboard_table_and_totals(as_user, dashboard_world):
    page = _page(as_user("office"), f"/dashboard/?directive={dashboard_world.directive.id}")
    ids = {name: str(agency.id) for name, agency in dashboard_world.agencies.items()}
    assert _names(page) == [ids[BETA], ids[ALPHA], ids[GAMMA]]  # most overdue first
    alpha = _rows(page)[1]
    assert alpha["name"].startswith(ALPHA)
    assert LEADER_A in alpha["name"]  # the supervising leader under the agency's name
    assert {k: v for k, v in alpha.items() if k.startswith("count-")} == {
        "count-done_on_time": "1",
        "count-done_late": "1",
        "count-on_track": "2",
        "count-overdue": "1",
        "count-no_deadline": "1",
        "count-total": "6",
        "count-percent": "60.0%",
    }
    totals = {s: page.one(f"total-{s}").text for s in ("done_on_time", "done_late")}
    assert totals == {"done_on_time": "3", "done_late": "1"}
    assert page.one("total-on_track").text == "7"
    assert page.one("total-overdue").text == "5"
    assert page.one("total-all").text == "17"
    assert page.one("total-percent").text == "62.5%"
    # The overdue count links to the agency's overdue list.
    (link,) = page.all("agency-row")[1].all("agency-overdue")
    assert parse_qs(urlsplit(link.attrs["href"]).query) == {"agency": [ids[ALPHA]]}


def test_percentages_in_vietnamese_use_a_decimal_comma(as_user, dashboard_world):
    page = _page(
        as_user("office", lang="vi"), f"/dashboard/?directive={dashboard_world.directive.id}"
    )
    assert page.one("total-percent").text == "62,5%"


def test_chart_is_drawn_from_the_table_with_the_vendored_library(as_user, dashboard_world):
    response = _get(as_user("a"), f"/dashboard/?directive={dashboard_world.directive.id}")
    html = response.get_data(as_text=True)
    page = parse(html)
    page.one("standing-chart")
    scripts = [n.attrs.get("src") for n in _walk(page) if n.tag == "script" and n.attrs.get("src")]
    assert "/static/vendor/chartjs/chart.umd.min.js" in scripts
    assert all(src.startswith("/static/") for src in scripts)  # no CDN
    data = json.loads(next(n for n in _walk(page) if n.attrs.get("id") == "chart-data").text)
    assert data["labels"] == [ALPHA, BETA, GAMMA]  # vice-chair A: A's agency first
    overdue = next(d for d in data["datasets"] if d["key"] == "overdue")
    assert overdue["data"] == [1, 3, 1]
    assert overdue["colour"] == "danger"


def _walk(node):
    for child in node.children:
        yield child
        yield from _walk(child)


def test_sort_links_sort_and_flip(as_user, dashboard_world):
    client = as_user("office")
    base = f"/dashboard/?directive={dashboard_world.directive.id}"
    ids = {name: str(agency.id) for name, agency in dashboard_world.agencies.items()}
    page = _page(client, f"{base}&sort=agency")
    assert _names(page) == [ids[ALPHA], ids[BETA], ids[GAMMA]]  # names A→Z by default
    link = page.one("sort-agency").attrs["href"]
    query = parse_qs(urlsplit(link).query)
    assert query["order"] == ["desc"]
    assert query["directive"] == [str(dashboard_world.directive.id)]  # the filters are kept
    assert _names(_page(client, link)) == [ids[GAMMA], ids[BETA], ids[ALPHA]]
    percent = _page(client, page.one("sort-percent").attrs["href"])
    assert _names(percent) == [ids[GAMMA], ids[ALPHA], ids[BETA]]  # figures biggest first
    ascending = _page(client, f"{base}&sort=total&order=asc")
    assert _names(ascending) == [ids[BETA], ids[ALPHA], ids[GAMMA]]


def test_vice_chair_sees_their_agencies_first_and_marked(as_user, dashboard_world):
    page = _page(as_user("b"), f"/dashboard/?directive={dashboard_world.directive.id}&sort=agency")
    rows = _rows(page)
    assert [r["supervised"] for r in rows] == ["1", None, None]
    assert rows[0]["name"].startswith(BETA)
    assert len(page.all("supervised-mark")) == 1
    office = _rows(
        _page(as_user("office"), f"/dashboard/?directive={dashboard_world.directive.id}")
    )
    assert not any(r["supervised"] for r in office)


def test_filters_narrow_the_counts(as_user, dashboard_world):
    client = as_user("office")
    base = f"/dashboard/?directive={dashboard_world.directive.id}"
    ids = {name: str(agency.id) for name, agency in dashboard_world.agencies.items()}
    by_leader = _page(client, f"{base}&leader={dashboard_world.leaders['b'].id}")
    assert _names(by_leader) == [ids[BETA]]
    assert by_leader.one("total-all").text == "4"
    quarter = _page(client, f"{base}&period=2024-Q2")
    assert quarter.one("total-all").text == "3"
    assert "30/06/2024" in quarter.one("due-window").text
    window = _page(client, f"{base}&from=2024-07-14&to=2024-07-15")
    assert window.one("total-all").text == "2"
    assert "14/07/2024" in window.one("due-window").text
    both = _page(client, f"{base}&directive={dashboard_world.other_directive.id}")
    assert both.one("total-overdue").text == "6"
    # Several directives in one comma-separated value read the same.
    same = _page(
        client,
        f"/dashboard/?directive={dashboard_world.directive.id},{dashboard_world.other_directive.id}",
    )
    assert same.one("total-overdue").text == "6"


def test_dashboard_without_filters_counts_every_live_task(as_user, dashboard_world):
    page = _page(as_user("office"), "/dashboard/")
    rows = _rows(page)
    assert len(rows) > 3  # the seeded documents' agencies too
    assert int(page.one("total-all").text) == sum(int(r["count-total"]) for r in rows)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("period=last+year", "Write a year (2024), a quarter (2024-Q1)"),
        ("period=0000", "Write a year (2024)"),
        ("period=2024-Q5", "Write a year (2024)"),
        ("directive=987654", "The chosen directive does not exist"),
        ("directive=abc", "The chosen directive does not exist"),
        ("leader=987654", "The chosen supervising leader does not exist"),
        ("leader=%C2%B2", "The chosen supervising leader does not exist"),  # "²".isdigit()
        ("leader=99999999999999999999999", "The chosen supervising leader does not exist"),
        ("from=2024-07-20&to=2024-07-01", "The first due date is after the last one."),
        ("from=2024-13-01", "Write the dates as year-month-day"),
        ("to=yesterday", "Write the dates as year-month-day"),
    ],
)
def test_bad_dashboard_filters_say_why_and_show_no_figures(
    as_user, dashboard_world, query, message
):
    page = _page(as_user("office"), f"/dashboard/?{query}", 400)
    assert message in page.one("filter-problems").text
    assert page.all("agency-table") == []
    assert page.all("totals") == []
    page.one("dashboard-filters")  # the form stays, to put it right


def test_bad_dashboard_filters_are_all_listed_and_marked(as_user, dashboard_world):
    page = _page(as_user("office"), "/dashboard/?period=soon&leader=0&directive=1,x", 400)
    problems = page.one("filter-problems").text
    for message in ("directive does not exist", "leader does not exist", "Write a year"):
        assert message in problems
    invalid = [n.attrs.get("id") for n in _walk(page) if "is-invalid" in n.attrs.get("class", "")]
    assert set(invalid) == {"f-directive", "f-leader", "f-period"}


def test_leader_of_a_user_who_is_not_a_leader_is_refused(as_user, dashboard_world):
    page = _page(as_user("office"), f"/dashboard/?leader={dashboard_world.users['office'].id}", 400)
    page.one("filter-problems")


def test_harmless_oddities_are_ignored(as_user, dashboard_world):
    """Unknown sort or order values and empty fields fall back to the defaults."""
    page = _page(as_user("office"), "/dashboard/?sort=evil&order=sideways&period=&from=&leader=")
    page.one("agency-table")


# --- the overdue list -----------------------------------------------------------------------


def test_overdue_page_groups_days_explanations_and_supervisors(as_user, dashboard_world):
    page = _page(as_user("a"), f"/dashboard/overdue?directive={dashboard_world.directive.id}")
    assert page.one("overdue-total").text == "5"
    groups = page.all("overdue-group")
    ids = {name: str(agency.id) for name, agency in dashboard_world.agencies.items()}
    assert [g.attrs["data-agency-id"] for g in groups] == [ids[BETA], ids[ALPHA], ids[GAMMA]]
    assert [g.one("group-count").text for g in groups] == ["3", "1", "1"]
    rows = {int(r.attrs["data-task-id"]): r for r in page.all("overdue-row")}
    t = dashboard_world.tasks
    long_overdue = rows[t["beta_long_overdue"].id]
    assert long_overdue.one("days-overdue").text == "61"
    assert long_overdue.one("last-explanation").text == "20/06/2024: Chờ ý kiến của Bộ."
    assert long_overdue.one("supervisor").text == LEADER_B
    pending = rows[t["beta_overdue"].id]
    assert "Đã gửi Sở Tư pháp thẩm định." in pending.one("last-explanation").text
    assert pending.one("explanation-pending").text == "Waiting for review"
    extended = rows[t["beta_extended_overdue"].id]
    assert extended.one("due").text.startswith("05/07/2024")
    assert "01/05/2024" in extended.one("original-due").text
    assert rows[t["gamma_overdue"].id].one("days-overdue").text == "106"
    assert rows[t["gamma_overdue"].id].one("supervisor").text == LEADER_A
    assert t["deleted_overdue"].id not in rows


def test_overdue_page_prints_and_offers_the_spreadsheet_with_its_filters(as_user, dashboard_world):
    client = as_user("office")
    alpha = dashboard_world.agencies[ALPHA].id
    html = _get(client, f"/dashboard/overdue?agency={alpha}").get_data(as_text=True)
    page = parse(html)
    page.one("print")
    assert "@media print" in html
    href = page.one("download-xlsx").attrs["href"]
    assert urlsplit(href).path == "/dashboard/overdue.xlsx"
    assert parse_qs(urlsplit(href).query) == {"agency": [str(alpha)]}
    rows = {int(r.attrs["data-task-id"]) for r in page.all("overdue-row")}
    assert rows == {dashboard_world.tasks["overdue"].id, dashboard_world.tasks["other_overdue"].id}


def test_overdue_page_shows_a_hundred_rows_and_the_spreadsheet_every_row(
    as_user, dashboard_world, monkeypatch
):
    assert OVERDUE_PER_PAGE == 100  # the lead's decision; 500 made a 666 KiB page
    monkeypatch.setattr(dashboard_views, "OVERDUE_PER_PAGE", 2)  # the dashboard_world has 5 overdue
    client = as_user("office")
    query = f"directive={dashboard_world.directive.id}"
    first = _page(client, f"/dashboard/overdue?{query}")
    assert first.one("overdue-total").text == "5"
    assert len(first.all("overdue-row")) == 2
    links = [li.children[0].attrs["href"] for li in first.one("pagination").children[0].children]
    assert [parse_qs(urlsplit(href).query)["page"] for href in links] == [["1"], ["2"], ["3"]]
    last = _page(client, f"/dashboard/overdue?{query}&page=3")
    assert len(last.all("overdue-row")) == 1
    # Printing prints the page shown, and says where the whole list is.
    assert "Excel file holds the full list" in first.one("print-note").text
    sheet = load_workbook(BytesIO(_get(client, f"/dashboard/overdue.xlsx?{query}").data))
    assert sheet.worksheets[0].max_row == 1 + 5  # the header and every overdue task


def test_overdue_page_past_the_end_shows_the_last_page(as_user, dashboard_world):
    page = _page(
        as_user("office"), f"/dashboard/overdue?directive={dashboard_world.directive.id}&page=42"
    )
    assert len(page.all("overdue-row")) == 5


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("agency=987654", "The chosen agency does not exist."),
        ("agency=-1", "The chosen agency does not exist."),
        ("directive=987654", "The chosen directive does not exist"),
    ],
)
def test_overdue_page_with_unknown_filters_says_so(as_user, dashboard_world, query, message):
    page = _page(as_user("office"), f"/dashboard/overdue?{query}", 400)
    assert message in page.one("filter-problems").text
    assert page.all("overdue-table") == []
    assert page.all("download-xlsx") == []


def test_spreadsheet_with_unknown_filters_is_an_error_page(as_user, dashboard_world):
    response = _get(as_user("office"), "/dashboard/overdue.xlsx?agency=987654", 400)
    assert response.mimetype == "text/html"
    assert "The chosen agency does not exist." in response.get_data(as_text=True)


def test_page_numbers_out_of_range_are_harmless(as_user, dashboard_world):
    client = as_user("office")
    for page in ("0", "-3", "abc", "999999999999999999"):
        _get(client, f"/dashboard/overdue?page={page}")
        _get(client, f"/dashboard/upcoming?page={page}")


# --- upcoming deadlines ---------------------------------------------------------------------


def _upcoming_ids(page) -> list[int]:
    return [int(r.attrs["data-task-id"]) for r in page.all("upcoming-row")]


def test_upcoming_seven_and_thirty_days(as_user, dashboard_world):
    client = as_user("a")
    t = dashboard_world.tasks
    base = f"/dashboard/upcoming?directive={dashboard_world.directive.id}"
    week = _page(client, base)
    assert _upcoming_ids(week) == [t["due_today"].id, t["on_track"].id, t["due_in_7"].id]
    assert [r.one("days-left").text for r in week.all("upcoming-row")] == ["0", "5", "7"]
    assert week.one("window-7").attrs.get("aria-current") == "page"
    month_link = week.one("window-30").attrs["href"]
    assert parse_qs(urlsplit(month_link).query)["directive"] == [str(dashboard_world.directive.id)]
    month = _page(client, month_link)
    assert _upcoming_ids(month) == [
        t["due_today"].id,
        t["on_track"].id,
        t["due_in_7"].id,
        t["due_in_8"].id,
        t["extended"].id,
        t["due_in_30"].id,
    ]
    assert month.one("upcoming-total").text == "6"


@pytest.mark.parametrize("days", ["14", "0", "abc", "-7"])
def test_upcoming_other_windows_are_refused_with_a_message(as_user, dashboard_world, days):
    page = _page(as_user("office"), f"/dashboard/upcoming?days={days}", 400)
    assert "Choose one of the windows offered." in page.one("filter-problems").text
    assert page.all("upcoming-table") == []


def test_upcoming_agency_filter(as_user, dashboard_world):
    gamma = dashboard_world.agencies[GAMMA].id
    page = _page(as_user("office"), f"/dashboard/upcoming?days=30&agency={gamma}")
    t = dashboard_world.tasks
    assert _upcoming_ids(page) == [
        t["due_today"].id,
        t["due_in_7"].id,
        t["due_in_8"].id,
        t["due_in_30"].id,
    ]
