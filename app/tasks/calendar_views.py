"""The administrator's working calendar: extra days off and make-up working days."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from app.auth.models import Role
from app.auth.permissions import roles
from app.extensions import db
from app.forms import submit
from app.labels import label
from app.tasks.calendar import add_calendar_day, delete_calendar_day, list_calendar_days
from app.tasks.forms import CalendarDayForm, DeleteForm
from app.tasks.models import CalendarDay, CalendarDayKind
from app.tasks.views import bp


@bp.route("/calendar", methods=["GET", "POST"])
@roles(Role.ADMIN)
def calendar():  # type: ignore[no-untyped-def]
    form = CalendarDayForm()
    form.kind.choices = [SelectChoice(k.value, label(k)) for k in CalendarDayKind]
    response = submit(
        lambda: add_calendar_day(
            db.session,
            day=form.day.data,
            kind=CalendarDayKind(form.kind.data),
            note=form.note.data or "",
        ),
        form=form,
        success=_("The calendar has been updated."),
        done=lambda _day: redirect(url_for("tasks.calendar")),
    )
    if response is not None:
        return response
    status = 400 if form.errors else 200
    days = list_calendar_days(db.session)
    return render_template(
        "tasks/calendar.html", form=form, days=days, delete_form=DeleteForm()
    ), status


@bp.route("/calendar/delete", methods=["POST"])
@roles(Role.ADMIN)
def calendar_delete():  # type: ignore[no-untyped-def]
    form = DeleteForm()
    if not form.validate_on_submit():
        abort(400)
    entry = db.session.get(CalendarDay, form.id.data)
    if entry is None:
        abort(404)
    return submit(
        lambda: delete_calendar_day(db.session, entry),
        success=_("The calendar has been updated."),
        done=lambda _none: redirect(url_for("tasks.calendar")),
    )
