"""Agencies: administration pages and the search behind the agency picker."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from app.agencies.forms import AgencyForm
from app.agencies.models import Agency, AgencyKind
from app.agencies.services import (
    AgencyInput,
    get_agency,
    leaders,
    matching_alias,
    parse_aliases,
    save_agency,
    search_agencies,
    set_agency_active,
)
from app.auth.forms import EmptyForm
from app.auth.models import Role
from app.auth.permissions import roles
from app.extensions import db
from app.forms import Flag, Text, query_args, read_query, submit
from app.labels import label

bp = Blueprint("agencies", __name__)
PICKER_LIMIT = 20
LIST_ARGS = query_args(q=Text())
PICKER_ARGS = query_args(q=Text(), name=Text(strip=False), multiple=Flag())


@bp.route("/")
@roles(Role.ADMIN)
def index():  # type: ignore[no-untyped-def]
    query = read_query(LIST_ARGS)["q"]
    agencies = search_agencies(db.session, query, limit=None, include_inactive=True)
    return render_template(
        "agencies/index.html", agencies=agencies, query=query, action_form=EmptyForm()
    )


def _fill_choices(form: AgencyForm) -> None:
    form.kind.choices = [SelectChoice(k.value, label(k)) for k in AgencyKind]
    form.supervisor_id.choices = [SelectChoice("", "—")] + [
        SelectChoice(u.id, u.full_name) for u in leaders(db.session)
    ]


def _input(form: AgencyForm) -> AgencyInput:
    return AgencyInput(
        name=form.name.data or "",
        short_name=form.short_name.data,
        kind=AgencyKind(form.kind.data),
        aliases=tuple(parse_aliases(form.aliases.data)),
        email=form.email.data,
        supervisor_id=form.supervisor_id.data,
    )


def _save(form: AgencyForm, agency: Agency | None):  # type: ignore[no-untyped-def]
    """Validate and save; on failure the form comes back with every reason, input kept."""
    response = submit(
        lambda: save_agency(db.session, data=_input(form), agency=agency),
        form=form,
        success=_("The agency has been saved."),
        done=lambda saved: redirect(url_for("agencies.edit", agency_id=saved.id)),
    )
    if response is not None:
        return response
    status = 400 if form.errors or form.form_errors else 200
    return render_template(
        "agencies/form.html", form=form, agency=agency, action_form=EmptyForm(formdata=None)
    ), status


@bp.route("/new", methods=["GET", "POST"])
@roles(Role.ADMIN)
def create():  # type: ignore[no-untyped-def]
    form = AgencyForm()
    _fill_choices(form)
    if request.method == "GET":
        form.kind.data = AgencyKind.DEPARTMENT.value
    return _save(form, None)


@bp.route("/<int:agency_id>/edit", methods=["GET", "POST"])
@roles(Role.ADMIN)
def edit(agency_id: int):  # type: ignore[no-untyped-def]
    agency = get_agency(db.session, agency_id)
    form = AgencyForm(obj=agency if request.method == "GET" else None)
    _fill_choices(form)
    if request.method == "GET":
        form.kind.data = agency.kind.value
        form.aliases.data = "\n".join(a.alias for a in agency.aliases)
        form.supervisor_id.data = agency.supervisor_id
    return _save(form, agency)


def _set_active(agency_id: int, active: bool):  # type: ignore[no-untyped-def]
    agency = get_agency(db.session, agency_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    return submit(
        lambda: set_agency_active(db.session, agency, active),
        success=_("The agency has been reactivated.")
        if active
        else _("The agency has been deactivated; it is no longer offered in forms."),
        done=lambda _none: redirect(url_for("agencies.edit", agency_id=agency.id)),
    )


@bp.route("/<int:agency_id>/deactivate", methods=["POST"])
@roles(Role.ADMIN)
def deactivate(agency_id: int):  # type: ignore[no-untyped-def]
    return _set_active(agency_id, False)


@bp.route("/<int:agency_id>/reactivate", methods=["POST"])
@roles(Role.ADMIN)
def reactivate(agency_id: int):  # type: ignore[no-untyped-def]
    return _set_active(agency_id, True)


@bp.route("/search")
@roles(Role.OFFICE, Role.ADMIN)
def search():  # type: ignore[no-untyped-def]
    """htmx fragment for the agency picker: active agencies matching the folded query."""
    args = read_query(PICKER_ARGS)
    query = args["q"]
    agencies = search_agencies(db.session, query, limit=PICKER_LIMIT) if query else []
    return render_template(
        "agencies/_results.html",
        results=[(agency, matching_alias(agency, query)) for agency in agencies],
        query=query,
        name=args["name"],
        multiple=args["multiple"],
    )
