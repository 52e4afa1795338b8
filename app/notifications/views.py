"""The notification list and the bell; for administrators, the mail not delivered yet."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.forms import EmptyForm
from app.auth.models import Role
from app.auth.permissions import roles
from app.extensions import db
from app.forms import submit
from app.notifications.models import MailOutbox, MailState, Notification
from app.notifications.outbox import retry_mail, undelivered_mail
from app.notifications.services import mark_read, recent, unread_count

bp = Blueprint("notifications", __name__)


@bp.app_context_processor
def bell() -> dict[str, object]:
    """The unread count shown in every page's bell (one COUNT query)."""
    if not current_user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": unread_count(db.session, current_user)}


@bp.route("/")
@roles()
def index():  # type: ignore[no-untyped-def]
    items = recent(db.session, current_user)
    return render_template("notifications/index.html", items=items, form=EmptyForm())


@bp.route("/<int:notification_id>/open", methods=["POST"])
@roles()
def open_one(notification_id: int):  # type: ignore[no-untyped-def]
    if not EmptyForm().validate_on_submit():
        abort(400)
    note = db.session.get(Notification, notification_id)
    if note is None or note.user_id != current_user.id:
        abort(404)
    target = note.link if note.link and note.link.startswith("/") else None
    return submit(
        lambda: mark_read(db.session, current_user, note.id),
        done=lambda _none: redirect(target or url_for("notifications.index")),
    )


@bp.route("/read-all", methods=["POST"])
@roles()
def read_all():  # type: ignore[no-untyped-def]
    if not EmptyForm().validate_on_submit():
        abort(400)
    return submit(
        lambda: mark_read(db.session, current_user),
        done=lambda _none: redirect(url_for("notifications.index")),
    )


@bp.route("/outbox")
@roles(Role.ADMIN)
def outbox():  # type: ignore[no-untyped-def]
    """Reminder mail that failed or is still waiting, with its attempts and last error."""
    mails = undelivered_mail(db.session)
    return render_template("notifications/outbox.html", mails=mails, form=EmptyForm())


@bp.route("/outbox/<int:mail_id>/retry", methods=["POST"])
@roles(Role.ADMIN)
def retry(mail_id: int):  # type: ignore[no-untyped-def]
    if not EmptyForm().validate_on_submit():
        abort(400)
    mail = db.session.get(MailOutbox, mail_id)
    if mail is None or mail.state == MailState.SENT:
        abort(404)
    outcome = retry_mail(db.session, mail, current_app.config)
    if outcome is True:
        flash(_("The mail has been delivered."), "success")
    elif outcome is False:
        db.session.refresh(mail)
        flash(_("Delivery failed again: %(error)s", error=mail.last_error or ""), "danger")
    else:
        flash(_("Another run is sending this mail right now."), "warning")
    return redirect(url_for("notifications.outbox"))
