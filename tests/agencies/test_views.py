"""Agency administration pages and the picker's search fragment."""

from __future__ import annotations

import re

import pytest
from flask import render_template_string
from sqlalchemy import func, select
from wtforms import SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice

from app.agencies.models import Agency, AgencyKind
from app.agencies.services import resolve_agency, search_agencies
from app.auth.models import Role
from app.forms import BaseForm
from tests.conftest import csrf_token, login

OPTION = re.compile(r'data-agency-id="(\d+)"')


def _post(client, path: str, **data):
    return client.post(path, data={"csrf_token": csrf_token(client, "/tasks/"), **data})


def _form(agency: Agency, **changes) -> dict:
    """The edit form as the browser would send it back, with `changes`."""
    data = {
        "name": agency.name,
        "short_name": agency.short_name or "",
        "kind": agency.kind.value,
        "aliases": "\n".join(a.alias for a in agency.aliases),
        "email": agency.email or "",
        "supervisor_id": str(agency.supervisor_id or ""),
    }
    data.update(changes)
    return data


def _picked(client, query: str, **params) -> list[int]:
    response = client.get("/agencies/search", query_string={"q": query, "name": "x", **params})
    assert response.status_code == 200
    return [int(i) for i in OPTION.findall(response.get_data(as_text=True))]


def _count(db) -> int:
    return db.scalar(select(func.count(Agency.id)))


# --- list ---------------------------------------------------------------------------------


def test_list_searches_folded_and_shows_inactive_agencies(admin, db):
    finance = resolve_agency(db, "Sở Tài chính")
    finance.active = False
    db.commit()
    body = admin.get("/agencies/?q=so tai chinh").get_data(as_text=True)
    assert f'data-agency-id="{finance.id}"' in body
    assert 'data-testid="agency-inactive"' in body
    assert body.count('data-testid="agency-row"') == 1

    everything = admin.get("/agencies/").get_data(as_text=True)
    assert everything.count('data-testid="agency-row"') == _count(db)
    assert "Sở TT&amp;TT" in everything  # short names escaped, not raw


# --- create / edit ------------------------------------------------------------------------


def test_create_an_agency(admin, db, make_user):
    leader = make_user(Role.LEADER, "pct1")
    response = _post(
        admin,
        "/agencies/new",
        name="Sở Du lịch",
        short_name="SDL",
        kind="department",
        aliases="Sở Du lịch tỉnh\n\nSở DL\n",
        email="sdl@example.vn",
        supervisor_id=str(leader.id),
    )
    assert response.status_code == 302
    agency = resolve_agency(db, "so dl")
    assert agency is not None
    assert (agency.name, agency.short_name, agency.kind, agency.email, agency.supervisor_id) == (
        "Sở Du lịch",
        "SDL",
        AgencyKind.DEPARTMENT,
        "sdl@example.vn",
        leader.id,
    )
    assert sorted(a.alias for a in agency.aliases) == ["Sở DL", "Sở Du lịch tỉnh"]


def test_form_offers_active_leaders_only(admin, db, make_user):
    active = make_user(Role.LEADER, "pct1")
    gone = make_user(Role.LEADER, "pct2")
    gone.active = False
    db.commit()
    body = admin.get("/agencies/new").get_data(as_text=True)
    assert f'<option value="{active.id}"' in body
    assert f'<option value="{gone.id}"' not in body


def test_duplicate_folded_name_is_refused_with_input_kept(admin, db):
    before = _count(db)
    response = _post(
        admin, "/agencies/new", name="so tai chinh", kind="department", aliases="Sở TC mới"
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert 'value="so tai chinh"' in body
    assert "Sở TC mới" in body
    assert 'data-testid="form-errors"' in body
    assert _count(db) == before


def test_alias_of_another_agency_is_refused_naming_it(admin, db):
    finance = resolve_agency(db, "Sở Tài chính")
    response = _post(
        admin, f"/agencies/{finance.id}/edit", **_form(finance, aliases="STC\nSở TT&TT")
    )
    assert response.status_code == 400
    assert "Sở Thông tin và Truyền thông" in response.get_data(as_text=True)
    db.expire_all()
    assert resolve_agency(db, "STC") is None


def test_alias_edits_through_the_form_keep_search_in_sync(admin, db):
    agency = resolve_agency(db, "Sở TT&TT")
    aliases = "\n".join(a.alias for a in agency.aliases if a.alias != "Sở TTTT")
    response = _post(
        admin, f"/agencies/{agency.id}/edit", **_form(agency, aliases=aliases + "\nSở Bưu điện")
    )
    assert response.status_code == 302
    db.expire_all()
    assert agency in search_agencies(db, "so buu dien")
    assert resolve_agency(db, "Sở TTTT") is None
    assert agency.id in _picked(admin, "buu dien")

    # Dropping the new alias again: the picker no longer finds the agency by it.
    response = _post(admin, f"/agencies/{agency.id}/edit", **_form(agency, aliases=aliases))
    assert response.status_code == 302
    assert agency.id not in _picked(admin, "buu dien")
    db.expire_all()
    assert agency not in search_agencies(db, "so buu dien")


def test_edit_page_prefills_aliases_one_per_line(admin, db):
    agency = resolve_agency(db, "Sở TT&TT")
    body = admin.get(f"/agencies/{agency.id}/edit").get_data(as_text=True)
    textarea = re.search(r'<textarea[^>]*name="aliases"[^>]*>(.*?)</textarea>', body, re.S)
    lines = textarea.group(1).strip().splitlines()
    assert sorted(lines) == sorted(a.alias for a in agency.aliases)


def test_deactivate_and_reactivate(admin, db):
    agency = resolve_agency(db, "Sở Nội vụ")
    assert _post(admin, f"/agencies/{agency.id}/deactivate").status_code == 302
    db.expire_all()
    assert agency.active is False
    assert agency not in search_agencies(db, "noi vu")
    assert _post(admin, f"/agencies/{agency.id}/reactivate").status_code == 302
    db.expire_all()
    assert agency.active is True


def test_state_changes_need_post_and_csrf(admin, db):
    agency = resolve_agency(db, "Sở Nội vụ")
    assert admin.get(f"/agencies/{agency.id}/deactivate").status_code == 405
    assert admin.post(f"/agencies/{agency.id}/deactivate").status_code == 400
    db.expire_all()
    assert agency.active is True


def test_unknown_agency_is_404(admin):
    assert admin.get("/agencies/999999/edit").status_code == 404


@pytest.mark.parametrize("role", [Role.OFFICE, Role.DEPARTMENT, Role.LEADER])
def test_other_roles_get_403_on_agency_administration(client, db, make_user, role):
    agency = resolve_agency(db, "Sở TT&TT")
    make_user(role, "intruder0", agency if role == Role.DEPARTMENT else None)
    login(client, "intruder0")
    before = (agency.name, agency.active, agency.search_key, len(agency.aliases))
    count = _count(db)
    token = csrf_token(client, "/tasks/")
    form = {"csrf_token": token, **_form(agency, name="Hacked", aliases="")}
    for path in ("/agencies/", "/agencies/new", f"/agencies/{agency.id}/edit"):
        assert client.get(path).status_code == 403, path
    for path in (
        "/agencies/new",
        f"/agencies/{agency.id}/edit",
        f"/agencies/{agency.id}/deactivate",
        f"/agencies/{agency.id}/reactivate",
    ):
        assert client.post(path, data=form).status_code == 403, path
    db.expire_all()
    assert (agency.name, agency.active, agency.search_key, len(agency.aliases)) == before
    assert _count(db) == count


# --- the picker's fragment ----------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["so tttt", "Sở TT&TT", "SỞ THÔNG TIN", "sttt", "thong tin - truyen"]
)
def test_picker_finds_by_folded_name_short_name_and_alias(office, db, query):
    agency = resolve_agency(db, "Sở TT&TT")
    assert agency.id in _picked(office, query)


def test_picker_fragment_markup(office, db):
    agency = resolve_agency(db, "Sở TT&TT")
    response = office.get("/agencies/search?q=stttt&name=lead_agency_id&multiple=1")
    body = response.get_data(as_text=True)
    assert response.mimetype == "text/html"
    assert "<html" not in body  # a fragment, not a page
    assert 'data-field="lead_agency_id"' in body
    assert f'data-agency-id="{agency.id}"' in body
    assert 'type="button"' in body
    assert "STTTT" in body  # the alias that matched is shown


def test_picker_leaves_out_inactive_agencies(office, db):
    agency = resolve_agency(db, "Sở Tài chính")
    assert agency.id in _picked(office, "tai chinh")
    agency.active = False
    db.commit()
    assert agency.id not in _picked(office, "tai chinh")


def test_picker_returns_at_most_20(office, db):
    for number in range(25):
        db.add(Agency(name=f"Ban thử nghiệm {number:02d}", kind=AgencyKind.OTHER))
    db.commit()
    assert len(_picked(office, "ban thu nghiem")) == 20


def test_picker_with_an_empty_query_lists_nothing(office):
    assert _picked(office, "") == []
    assert _picked(office, "   ") == []


def test_picker_escapes_the_field_name(office):
    body = office.get('/agencies/search?q=tttt&name="><script>x</script>').get_data(as_text=True)
    assert "<script>x" not in body


def test_picker_is_open_to_admin(admin, db):
    assert resolve_agency(db, "Sở TT&TT").id in _picked(admin, "so tttt")


@pytest.mark.parametrize("role", [Role.DEPARTMENT, Role.LEADER])
def test_picker_is_refused_to_other_roles(client, db, make_user, role):
    agency = resolve_agency(db, "Sở TT&TT")
    make_user(role, "someone", agency if role == Role.DEPARTMENT else None)
    login(client, "someone")
    assert client.get("/agencies/search?q=so").status_code == 403


# --- the picker macro ---------------------------------------------------------------------

MACRO = (
    '{% from "agencies/_picker.html" import agency_picker %}{{ agency_picker(field, agencies) }}'
)


class _PickerForm(BaseForm):
    class Meta:
        csrf = False

    lead = SelectField("Lead", coerce=int, validate_choice=False)
    coordinators = SelectMultipleField("Coordinators", coerce=int, validate_choice=False)


def _render(app, db, field_name: str, selected):
    agencies = db.scalars(select(Agency).where(Agency.active.is_(True)).order_by(Agency.name)).all()
    with app.test_request_context():
        form = _PickerForm(formdata=None)
        field = getattr(form, field_name)
        field.choices = [SelectChoice(a.id, a.name) for a in agencies]
        field.data = selected
        return render_template_string(MACRO, field=field, agencies=agencies), agencies


def test_macro_renders_the_select_and_an_htmx_search_box(app, db):
    chosen = resolve_agency(db, "Sở TT&TT")
    html, agencies = _render(app, db, "lead", chosen.id)
    assert html.count("<option ") == len(agencies)
    assert f'<option value="{chosen.id}" selected' in html
    assert '<select id="lead" name="lead"' in html
    assert 'hx-get="/agencies/search?name=lead&amp;multiple=0"' in html
    assert 'hx-trigger="input changed delay:250ms' in html
    assert 'hx-target="#lead-picker-results"' in html
    assert 'id="lead-picker-results"' in html
    assert "STTTT" in html  # aliases as the option's tooltip
    # The search box belongs to no form: it is never submitted and Enter submits nothing.
    assert 'form="lead-picker-none"' in html


def test_macro_for_a_multiple_select(app, db):
    first, second = resolve_agency(db, "Sở Tài chính"), resolve_agency(db, "Sở Nội vụ")
    html, _agencies = _render(app, db, "coordinators", [first.id, second.id])
    assert "multiple" in html
    assert "multiple=1" in html
    assert f'<option value="{first.id}" selected' in html
    assert f'<option value="{second.id}" selected' in html
