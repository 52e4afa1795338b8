"""The one pagination: a `Page` of a statement, bounded and counted in SQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.agencies.models import Agency, AgencyKind
from app.pagination import Listed, Page
from tests.sql import statements

PREFIX = "Sở Phân trang"


@pytest.fixture
def agencies(db) -> list[int]:
    """Seven agencies, in name order (ids)."""
    made = [Agency(name=f"{PREFIX} {n}", kind=AgencyKind.DEPARTMENT) for n in range(1, 8)]
    db.add_all(made)
    db.flush()
    return [agency.id for agency in made]


def _statement():
    return select(Agency).where(Agency.name.startswith(PREFIX)).order_by(Agency.name)


def _page(db, page: int, per_page: int = 3, **options) -> Page:
    return Page(page=page, per_page=per_page, session=db, select=_statement(), **options)


def test_pages_of_a_statement(db, agencies):
    pages = [_page(db, n) for n in (1, 2, 3)]
    assert [[a.id for a in page.items] for page in pages] == [
        agencies[0:3],
        agencies[3:6],
        agencies[6:],
    ]
    last = pages[-1]
    assert (last.page, last.total, last.pages, last.first, last.last) == (3, 7, 3, 7, 7)
    assert (last.has_prev, last.has_next, list(last.iter_pages())) == (True, False, [1, 2, 3])


def test_past_the_end_an_empty_page_or_the_last_one(db, agencies):
    stale = _page(db, 9)
    assert (stale.page, stale.items, stale.total) == (9, [], 7)
    last = _page(db, 9, last_past_end=True)
    assert (last.page, [a.id for a in last.items], last.total) == (3, agencies[6:], 7)
    nothing = Page(
        page=4,
        per_page=3,
        last_past_end=True,
        session=db,
        select=_statement().where(Agency.id < 0),
    )
    assert (nothing.page, nothing.items, nothing.total, nothing.pages) == (1, [], 0, 0)


def test_whole_rows(db, agencies):
    counted = _statement().with_only_columns(Agency.id, Agency.name)
    page = Page(page=1, per_page=2, session=db, select=counted, rows=True)
    assert [(row.id, row.name) for row in page.items] == [
        (agencies[0], f"{PREFIX} 1"),
        (agencies[1], f"{PREFIX} 2"),
    ]


def test_a_window_count_carried_by_the_rows_spares_the_count(db, agencies):
    windowed = _statement().with_only_columns(Agency.id, func.count().over().label("total"))
    with statements(db) as seen:
        page = Page(
            page=2, per_page=3, session=db, select=windowed, rows=True, total_column="total"
        )
    assert ([row.id for row in page.items], page.total, len(seen)) == (agencies[3:6], 7, 1)
    with statements(db) as seen:
        empty = Page(page=1, per_page=3, session=db, select=windowed.where(Agency.id < 0),
                     rows=True, total_column="total")  # fmt: skip
    assert (empty.items, empty.total, len(seen)) == ([], 0, 1)
    # Past the end no row carries the count: counted apart, then the last page read.
    with statements(db) as seen:
        stale = Page(page=5, per_page=3, session=db, select=windowed, rows=True,
                     total_column="total", last_past_end=True)  # fmt: skip
    assert ([row.id for row in stale.items], stale.page, stale.total) == (agencies[6:], 3, 7)
    assert len(seen) == 3


def test_a_listed_page(app):
    page = Listed(page=1, per_page=20, items=[], total=0)
    assert (page.items, page.total, page.pages, page.first, page.has_next) == ([], 0, 0, 0, False)
