"""The one form-submit sequence (`submit`, `committing`) and the query-string fields."""

from __future__ import annotations

from datetime import date

import pytest
from flask import get_flashed_messages
from sqlalchemy import func, select
from wtforms import StringField
from wtforms.validators import DataRequired

from app.agencies.models import Agency, AgencyKind
from app.errors import Conflict, ValidationFailed
from app.extensions import db as _db
from app.forms import (
    BaseForm,
    Choice,
    Day,
    Flag,
    Id,
    Ids,
    PageNumber,
    Text,
    committing,
    query_args,
    read_query,
    submit,
)
from app.pagination import MAX_PAGE
from app.tasks.models import Status

NAME = "Sở Thử nghiệm Gửi biểu mẫu"


class AgencyNameForm(BaseForm):
    class Meta(BaseForm.Meta):
        csrf = False

    name = StringField(validators=[DataRequired()])


def _add_agency() -> Agency:
    agency = Agency(name=NAME, kind=AgencyKind.DEPARTMENT)
    _db.session.add(agency)
    _db.session.flush()
    return agency


def _refuse(**reasons: list[str]) -> None:
    _add_agency()
    raise ValidationFailed(reasons)


def _stored(db) -> int:
    return db.scalar(select(func.count()).select_from(Agency).where(Agency.name == NAME))


def test_submit_commits_flashes_and_answers(app, db):
    with app.test_request_context("/", method="POST", data={"name": "x"}):
        answer = submit(
            _add_agency,
            form=AgencyNameForm(),
            success=lambda agency: (f"{agency.name} saved", "info"),
            done=lambda agency: f"done {agency.id}",
        )
        assert answer.startswith("done ")
        assert get_flashed_messages(with_categories=True) == [("info", f"{NAME} saved")]
    assert _stored(db) == 1


def test_submit_leaves_an_invalid_form_to_be_shown_again_and_calls_nothing(app, db):
    called = []
    with app.test_request_context("/", method="POST", data={"name": ""}):
        form = AgencyNameForm()
        assert submit(lambda: called.append(1), form=form, done=lambda _: "done") is None
        assert form.errors["name"]
    assert called == []


def test_a_refusal_is_rolled_back_and_shown_beside_the_fields(app, db):
    with app.test_request_context("/", method="POST", data={"name": "x"}):
        form = AgencyNameForm()
        refused = submit(
            lambda: _refuse(name=["Taken."], other=["Not a field."]),
            form=form,
            success="never flashed",
            done=lambda _: "done",
        )
        assert refused is None
        assert form.name.errors == ["Taken."]
        assert form.form_errors == ["Not a field."]
        assert get_flashed_messages() == []
        assert _stored(_db.session) == 0  # rolled back at once, not when the request ends


def test_a_refusal_without_a_form_is_answered_by_refused(app, db):
    with app.test_request_context("/", method="POST"):
        answer = submit(
            lambda: _refuse(name=["One."], when=["Two."]),
            refused=lambda error: ("refused", error.messages),
            done=lambda _: "done",
        )
        assert _stored(_db.session) == 0
    assert answer == ("refused", ["One.", "Two."])


def test_a_conflict_is_rolled_back_then_raised_or_answered(app, db):
    def clash() -> None:
        _add_agency()
        raise Conflict("changed meanwhile")

    with app.test_request_context("/", method="POST"):
        with pytest.raises(Conflict):
            submit(clash, done=lambda _: "done")
        assert _stored(_db.session) == 0
        assert submit(clash, conflict=lambda error: error.message, done=lambda _: "done") == (
            "changed meanwhile"
        )
        assert _stored(_db.session) == 0


def _write_then_fail() -> None:
    with committing():
        _add_agency()
        raise RuntimeError("disk full")


def test_committing_rolls_back_whatever_is_raised(app, db):
    with app.test_request_context("/"):
        with pytest.raises(RuntimeError):
            _write_then_fail()
        assert _stored(_db.session) == 0
    with app.test_request_context("/"), committing():
        _add_agency()
    assert _stored(db) == 1


# --- query strings ---------------------------------------------------------------------------

ARGS = query_args(
    q=Text(max_length=5),
    raw=Text(strip=False),
    deleted=Flag(),
    agency=Id(),
    within=Id(choices=(7, 30)),
    directive=Ids(),
    page=PageNumber(),
    status=Choice(Status),
    order=Choice(("asc", "desc"), default="asc"),
    **{"from": Day()},
)
DEFAULTS = {
    "q": "",
    "raw": "",
    "deleted": False,
    "agency": None,
    "within": None,
    "directive": (),
    "page": 1,
    "status": None,
    "order": "asc",
    "from": None,
}


def _read(app, query: str):
    with app.test_request_context(f"/?{query}"):
        return read_query(ARGS)


def test_an_empty_query_string_reads_as_the_defaults(app):
    args = _read(app, "")
    assert (dict(args), args.unusable) == (DEFAULTS, set())


def test_query_values_are_read(app):
    args = _read(
        app,
        "q=+ab+cdef+&raw=+x+&deleted=1&agency=12&within=30&directive=3,4&directive=3"
        "&page=2&status=partial&order=desc&from=2024-07-31&unknown=1",
    )
    assert dict(args) == {
        "q": "ab cd",
        "raw": " x ",
        "deleted": True,
        "agency": 12,
        "within": 30,
        "directive": (3, 4),
        "page": 2,
        "status": Status.PARTIAL,
        "order": "desc",
        "from": date(2024, 7, 31),
    }
    assert args.unusable == set()


def test_blank_values_are_as_good_as_absent(app):
    args = _read(app, "q=&agency=+&within=&directive=,+,&page=&status=&order=&from=+")
    assert (dict(args), args.unusable) == (DEFAULTS, set())


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("agency=abc", "agency"),
        ("agency=%C2%B2", "agency"),  # "²".isdigit()
        ("agency=0", "agency"),
        ("agency=99999999999999999999", "agency"),
        ("within=14", "within"),
        ("status=done", "status"),
        ("order=sideways", "order"),
        ("from=2024-13-01", "from"),
    ],
)
def test_an_unusable_value_takes_the_default_and_is_named(app, query, name):
    args = _read(app, query)
    assert (dict(args), args.unusable) == (DEFAULTS, {name})


def test_unusable_ids_are_named_and_the_others_kept(app):
    args = _read(app, "directive=1,x&directive=2&agency=-1")
    assert (args["directive"], args["agency"]) == ((1, 2), None)
    assert args.unusable == {"directive", "agency"}


@pytest.mark.parametrize(
    ("raw", "page"), [("3", 3), ("0", 1), ("-2", 1), ("x", 1), ("99999999", MAX_PAGE)]
)
def test_a_page_number_is_always_a_page(app, raw, page):
    args = _read(app, f"page={raw}")
    assert (args["page"], args.unusable) == (page, set())
