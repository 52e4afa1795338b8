"""The leader's figures: standing counts per agency, the overdue and the upcoming lists."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.dashboard.services import (
    DashboardFilters,
    standing_dashboard,
    unknown_filters,
)
from app.periods import parse_period
from app.tasks.lists import ListFilters, overdue_tasks, upcoming_tasks
from app.tasks.models import Task
from app.tasks.standing import Standing, clear_counts_cache, standing
from tests.fixtures.dashboard import ALPHA, BETA, FORMULA_TITLE, GAMMA, LEADER_A, LEADER_B
from tests.freeze import DASHBOARD_DAY
from tests.sql import grouped, statements

TODAY = DASHBOARD_DAY
S = Standing

# The counts of the dashboard_world's directive, by agency (see conftest).
EXPECTED = {
    ALPHA: {S.DONE_ON_TIME: 1, S.DONE_LATE: 1, S.ON_TRACK: 2, S.OVERDUE: 1, S.NO_DEADLINE: 1},
    BETA: {S.DONE_ON_TIME: 1, S.DONE_LATE: 0, S.ON_TRACK: 0, S.OVERDUE: 3, S.NO_DEADLINE: 0},
    GAMMA: {S.DONE_ON_TIME: 1, S.DONE_LATE: 0, S.ON_TRACK: 5, S.OVERDUE: 1, S.NO_DEADLINE: 0},
}


def _dashboard(db, dashboard_world, actor: User | None = None, **filters):
    filters.setdefault("directive_ids", (dashboard_world.directive.id,))
    sort = filters.pop("sort", "overdue")
    descending = filters.pop("descending", True)
    return standing_dashboard(
        db,
        actor or dashboard_world.users["office"],
        TODAY,
        DashboardFilters(**filters),
        sort=sort,
        descending=descending,
    )


def _counts(dashboard) -> dict[str, dict[Standing, int]]:
    return {row.name: dict(row.counts.counts) for row in dashboard.rows}


# --- the dashboard -------------------------------------------------------------------------


def test_counts_per_agency_and_in_all(db, dashboard_world):
    dashboard = _dashboard(db, dashboard_world)
    assert _counts(dashboard) == EXPECTED
    assert dashboard.total.counts == {
        S.DONE_ON_TIME: 3,
        S.DONE_LATE: 1,
        S.ON_TRACK: 7,
        S.OVERDUE: 5,
        S.NO_DEADLINE: 1,
    }
    assert dashboard.total.on_time_percent == 62.5  # (3 + 7) of the 16 with a deadline
    percent = {row.name: row.counts.on_time_percent for row in dashboard.rows}
    assert percent == {ALPHA: 60.0, BETA: 25.0, GAMMA: 85.7}
    supervisors = {row.name: row.supervisor_name for row in dashboard.rows}
    assert supervisors == {ALPHA: LEADER_A, BETA: LEADER_B, GAMMA: None}


def test_counts_agree_with_the_per_task_standing_on_the_whole_database(db, dashboard_world):
    """Seeded documents and the dashboard_world together, no filter: SQL and Python judge alike."""
    dashboard = _dashboard(db, dashboard_world, directive_ids=())
    expected: dict[int | None, Counter] = {}
    for task in db.scalars(select(Task).where(Task.deleted_at.is_(None))):
        expected.setdefault(task.lead_agency_id, Counter())[standing(task, TODAY)] += 1
    got = {
        row.agency_id: {s: n for s, n in row.counts.counts.items() if n} for row in dashboard.rows
    }
    assert got == {agency: dict(counts) for agency, counts in expected.items()}
    assert dashboard.total.total == sum(sum(c.values()) for c in expected.values())


def test_counts_are_one_grouped_statement(db, dashboard_world):
    _dashboard(db, dashboard_world, directive_ids=())  # loads the actor (expired by the commit)
    clear_counts_cache()
    with statements(db) as seen:
        _dashboard(db, dashboard_world, directive_ids=())
    assert len(grouped(seen)) == 1
    assert len(seen) == 4  # the tasks' fingerprint (two), the counts, the agencies' names
    with statements(db) as seen:
        _dashboard(db, dashboard_world, directive_ids=())
    assert grouped(seen) == []  # the counts were kept
    assert len(seen) == 3


def test_directive_filter_narrows_and_widens(db, dashboard_world):
    only_one = _dashboard(db, dashboard_world)
    both = _dashboard(
        db,
        dashboard_world,
        directive_ids=(dashboard_world.directive.id, dashboard_world.other_directive.id),
    )
    assert _counts(both)[ALPHA][S.OVERDUE] == _counts(only_one)[ALPHA][S.OVERDUE] + 1
    alone = _dashboard(db, dashboard_world, directive_ids=(dashboard_world.other_directive.id,))
    assert _counts(alone) == {ALPHA: {**dict.fromkeys(Standing, 0), S.OVERDUE: 1}}


def test_leader_filter_follows_the_agency_supervisor(db, dashboard_world):
    """Vice-chair A oversees agency A; the task of agency C naming A does not count for A."""
    dashboard = _dashboard(db, dashboard_world, leader_id=dashboard_world.leaders["a"].id)
    assert _counts(dashboard) == {ALPHA: EXPECTED[ALPHA]}
    assert _counts(_dashboard(db, dashboard_world, leader_id=dashboard_world.leaders["b"].id)) == {
        BETA: EXPECTED[BETA]
    }


def test_period_filter_uses_the_due_date_in_force(db, dashboard_world):
    quarter = parse_period("2024-Q2")
    dashboard = _dashboard(db, dashboard_world, due_from=quarter.start, due_to=quarter.end)
    # due 30/06 (done on time, done late), 15/05 (overdue), 01/05 but extended to 05/07: out
    assert _counts(dashboard) == {
        ALPHA: {**dict.fromkeys(Standing, 0), S.DONE_ON_TIME: 1, S.DONE_LATE: 1},
        BETA: {**dict.fromkeys(Standing, 0), S.OVERDUE: 1},
    }
    month = parse_period("2024-07")
    july = _counts(_dashboard(db, dashboard_world, due_from=month.start, due_to=month.end))
    # The extended task (01/07 → 10/08) has left July; the one extended to 05/07 came in.
    assert july[ALPHA] == {**dict.fromkeys(Standing, 0), S.ON_TRACK: 1, S.OVERDUE: 1}
    assert july[BETA] == {**dict.fromkeys(Standing, 0), S.DONE_ON_TIME: 1, S.OVERDUE: 2}


def test_from_until_window_includes_both_ends_and_leaves_undated_out(db, dashboard_world):
    dashboard = _dashboard(db, dashboard_world, due_from=date(2024, 7, 14), due_to=TODAY)
    assert _counts(dashboard) == {
        BETA: {**dict.fromkeys(Standing, 0), S.OVERDUE: 1},
        GAMMA: {**dict.fromkeys(Standing, 0), S.ON_TRACK: 1},
    }
    open_ended = _counts(_dashboard(db, dashboard_world, due_from=date(2024, 8, 1)))
    assert open_ended == {
        ALPHA: {**dict.fromkeys(Standing, 0), S.ON_TRACK: 1},  # the extension, to 10/08
        GAMMA: {**dict.fromkeys(Standing, 0), S.ON_TRACK: 2},
    }
    assert (
        _dashboard(db, dashboard_world, due_from=date(2024, 8, 1), due_to=date(2024, 7, 1)).rows
        == []
    )


@pytest.mark.parametrize(
    ("sort", "descending", "order"),
    [
        ("overdue", True, [BETA, ALPHA, GAMMA]),  # ties (1, 1) by name
        ("overdue", False, [ALPHA, GAMMA, BETA]),
        ("agency", False, [ALPHA, BETA, GAMMA]),
        ("agency", True, [GAMMA, BETA, ALPHA]),
        ("percent", True, [GAMMA, ALPHA, BETA]),
        ("on_track", False, [BETA, ALPHA, GAMMA]),
        ("done_late", True, [ALPHA, BETA, GAMMA]),
        ("total", True, [GAMMA, ALPHA, BETA]),  # 7, 6, 4
        ("no-such-column", True, [BETA, ALPHA, GAMMA]),  # the default: most overdue first
    ],
)
def test_sorting_by_any_column(db, dashboard_world, sort, descending, order):
    dashboard = _dashboard(db, dashboard_world, sort=sort, descending=descending)
    assert [row.name for row in dashboard.rows] == order
    assert (
        dashboard.chart_data(dict.fromkeys(Standing, "c"), dict.fromkeys(Standing, "n"), "-")[
            "labels"
        ]
        == order
    )


def test_agency_without_a_percentage_sorts_last_both_ways(db, dashboard_world):
    """Only undated tasks: no percentage, so it ends the list whichever way it is sorted."""
    dashboard_world.tasks["due_in_31"].deadline_kind = dashboard_world.tasks[
        "continuous"
    ].deadline_kind
    dashboard_world.tasks["due_in_31"].lead_agency = None
    db.flush()
    for descending in (True, False):
        rows = _dashboard(db, dashboard_world, sort="percent", descending=descending).rows
        assert rows[-1].agency_id is None
        assert rows[-1].counts.on_time_percent is None


def test_a_vice_chair_sees_the_agencies_they_supervise_first(db, dashboard_world):
    office = _dashboard(db, dashboard_world)
    assert [row.name for row in office.rows] == [BETA, ALPHA, GAMMA]
    assert not any(row.supervised for row in office.rows)
    vice_a = _dashboard(db, dashboard_world, dashboard_world.leaders["a"])
    assert [(row.name, row.supervised) for row in vice_a.rows] == [
        (ALPHA, True),
        (BETA, False),
        (GAMMA, False),
    ]
    # Whatever the sort: B's agency comes before A's and C's even sorted by name descending.
    vice_b = _dashboard(
        db, dashboard_world, dashboard_world.leaders["b"], sort="agency", descending=True
    )
    assert [row.name for row in vice_b.rows] == [BETA, GAMMA, ALPHA]


def test_chart_data_follows_the_table(db, dashboard_world):
    dashboard = _dashboard(db, dashboard_world)
    chart = dashboard.chart_data(
        {s: s.value.upper() for s in Standing}, {s: f"<{s.value}>" for s in Standing}, "none"
    )
    assert chart["labels"] == [BETA, ALPHA, GAMMA]
    by_key = {d["key"]: d for d in chart["datasets"]}
    assert list(by_key) == ["done_on_time", "done_late", "on_track", "overdue"]
    assert by_key["overdue"]["data"] == [3, 1, 1]
    assert by_key["on_track"]["data"] == [0, 2, 5]
    assert by_key["overdue"]["colour"] == "OVERDUE"
    assert by_key["overdue"]["label"] == "<overdue>"


# --- the overdue list -----------------------------------------------------------------------


def _overdue(db, dashboard_world, **kwargs):
    filters = kwargs.pop("filters", ListFilters(directive_ids=(dashboard_world.directive.id,)))
    return overdue_tasks(db, dashboard_world.users["office"], TODAY, filters, **kwargs)


def test_overdue_list_grouped_by_agency_with_days_overdue(db, dashboard_world):
    page = _overdue(db, dashboard_world)
    assert page.total == 5
    t = dashboard_world.tasks
    assert [(g.agency_name, g.count, [r.task_id for r in g.rows]) for g in page.groups] == [
        # Most overdue tasks first, then by name; in a group, the longest overdue first.
        (BETA, 3, [t["beta_long_overdue"].id, t["beta_extended_overdue"].id, t["beta_overdue"].id]),
        (ALPHA, 1, [t["overdue"].id]),
        (GAMMA, 1, [t["gamma_overdue"].id]),
    ]
    days = {row.task_id: row.days for row in page.rows}
    assert days[t["beta_long_overdue"].id] == 61  # 15/05 → 15/07
    assert days[t["beta_extended_overdue"].id] == 10  # from the extended date, 05/07
    assert days[t["beta_overdue"].id] == 1
    assert days[t["gamma_overdue"].id] == 106
    extended = next(r for r in page.rows if r.task_id == t["beta_extended_overdue"].id)
    assert (extended.due, extended.original_due) == (date(2024, 7, 5), date(2024, 5, 1))
    assert all(r.original_due is None for r in page.rows if r is not extended)


def test_overdue_list_leaves_out_deleted_tasks_due_today_and_done_ones(db, dashboard_world):
    listed = {row.task_id for row in _overdue(db, dashboard_world).rows}
    for key in ("deleted_overdue", "due_today", "late", "extended", "continuous"):
        assert dashboard_world.tasks[key].id not in listed


def test_overdue_supervisor_is_the_tasks_own_else_the_agencys(db, dashboard_world):
    rows = {row.task_id: row for row in _overdue(db, dashboard_world).rows}
    assert rows[dashboard_world.tasks["beta_overdue"].id].supervisor_name == LEADER_B
    assert rows[dashboard_world.tasks["overdue"].id].supervisor_name == LEADER_A
    # Agency C has no supervisor; the task itself names vice-chair A.
    gamma = rows[dashboard_world.tasks["gamma_overdue"].id]
    assert (gamma.supervisor_name, gamma.title) == (LEADER_A, FORMULA_TITLE)


def test_last_explanation_is_the_newest_report_not_returned(db, dashboard_world):
    rows = {row.task_id: row for row in _overdue(db, dashboard_world).rows}
    # Reports of 01/06 and 20/06 accepted, 01/07 returned, 05/07 a coordinator's contribution.
    long_overdue = rows[dashboard_world.tasks["beta_long_overdue"].id]
    assert (long_overdue.explanation, long_overdue.explained_on) == (
        "Chờ ý kiến của Bộ.",
        date(2024, 6, 20),
    )
    assert not long_overdue.explanation_pending
    # A submitted report not yet reviewed is the agency's latest word, marked as such.
    pending = rows[dashboard_world.tasks["beta_overdue"].id]
    assert pending.explanation == "Đã gửi Sở Tư pháp thẩm định."
    assert pending.explanation_pending
    # Two reports on one day: the one made last.
    assert rows[dashboard_world.tasks["overdue"].id].explanation == "Lần hai."
    never = rows[dashboard_world.tasks["gamma_overdue"].id]
    assert (never.explanation, never.explained_on) == (None, None)


def test_overdue_list_is_three_statements_whatever_its_length(db, dashboard_world):
    _overdue(db, dashboard_world, filters=ListFilters())  # loads the actor (expired by the commit)
    with statements(db) as seen:
        page = _overdue(db, dashboard_world, filters=ListFilters())
    assert page.total > 5  # the seeded documents' overdue tasks as well
    # The agencies' counts, the page's rows, then every row's last explanation.
    assert len(seen) == 3


def test_overdue_filters(db, dashboard_world):
    alpha = dashboard_world.agencies[ALPHA].id
    page = _overdue(db, dashboard_world, filters=ListFilters(agency_id=alpha))
    assert {row.task_id for row in page.rows} == {
        dashboard_world.tasks["overdue"].id,
        dashboard_world.tasks["other_overdue"].id,
    }
    page = _overdue(
        db,
        dashboard_world,
        filters=ListFilters(agency_id=alpha, directive_ids=(dashboard_world.other_directive.id,)),
    )
    assert [row.task_id for row in page.rows] == [dashboard_world.tasks["other_overdue"].id]


def test_overdue_pages_keep_the_groups_totals(db, dashboard_world):
    first = _overdue(db, dashboard_world, per_page=2)
    assert (first.total, first.pages, len(first.rows)) == (5, 3, 2)
    second = _overdue(db, dashboard_world, page=2, per_page=2)
    (beta, alpha) = second.groups
    assert (beta.agency_name, beta.count, len(beta.rows)) == (BETA, 3, 1)
    assert (alpha.agency_name, alpha.count, len(alpha.rows)) == (ALPHA, 1, 1)
    # A stale link past the end shows the last page rather than an empty list.
    stale = _overdue(db, dashboard_world, page=9, per_page=2)
    assert (stale.page, stale.total, [r.task_id for r in stale.rows]) == (
        3,
        5,
        [dashboard_world.tasks["gamma_overdue"].id],
    )
    nothing = _overdue(db, dashboard_world, page=4, filters=ListFilters(directive_ids=(-1,)))
    assert (nothing.page, nothing.total, nothing.rows) == (1, 0, [])


# --- upcoming deadlines ---------------------------------------------------------------------


def _upcoming(db, dashboard_world, days: int, **kwargs):
    filters = kwargs.pop("filters", ListFilters(directive_ids=(dashboard_world.directive.id,)))
    return upcoming_tasks(db, dashboard_world.users["office"], TODAY, days, filters, **kwargs)


def test_upcoming_seven_days(db, dashboard_world):
    page = _upcoming(db, dashboard_world, 7)
    t = dashboard_world.tasks
    assert [(r.task_id, r.days) for r in page.rows] == [
        (t["due_today"].id, 0),
        (t["on_track"].id, 5),
        (t["due_in_7"].id, 7),
    ]
    assert page.total == 3


def test_upcoming_thirty_days(db, dashboard_world):
    page = _upcoming(db, dashboard_world, 30)
    t = dashboard_world.tasks
    assert [(r.task_id, r.days) for r in page.rows] == [
        (t["due_today"].id, 0),
        (t["on_track"].id, 5),
        (t["due_in_7"].id, 7),
        (t["due_in_8"].id, 8),
        (t["extended"].id, 26),  # on its extended date
        (t["due_in_30"].id, 30),
    ]
    extended = page.rows[4]
    assert (extended.due, extended.original_due) == (date(2024, 8, 10), date(2024, 7, 1))
    # Never: completed (done_soon, 18/07), overdue, undated, deleted, day 31.
    assert t["done_soon"].id not in {r.task_id for r in page.rows}


def test_upcoming_agency_filter_and_paging(db, dashboard_world):
    gamma = ListFilters(agency_id=dashboard_world.agencies[GAMMA].id)
    page = _upcoming(db, dashboard_world, 30, filters=gamma, per_page=2, page=2)
    assert (page.total, page.pages, [r.days for r in page.rows]) == (4, 2, [8, 30])


# --- unknown filter values ------------------------------------------------------------------


def test_unknown_filters_are_named(db, dashboard_world):
    assert unknown_filters(db, directive_ids=(dashboard_world.directive.id,)) == set()
    assert unknown_filters(db, directive_ids=(dashboard_world.directive.id, 987654)) == {
        "directive"
    }
    assert unknown_filters(db, leader_id=dashboard_world.leaders["b"].id) == set()
    # An office user is no supervising leader.
    assert unknown_filters(db, leader_id=dashboard_world.users["office"].id) == {"leader"}
    assert unknown_filters(db, agency_id=987654, leader_id=987654) == {"agency", "leader"}
    dashboard_world.other_directive.deleted_at = dashboard_world.tasks["deleted_overdue"].deleted_at
    db.flush()
    assert unknown_filters(db, directive_ids=(dashboard_world.other_directive.id,)) == {"directive"}
