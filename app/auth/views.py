"""Login, logout, and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask import session as http_session
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.audit import set_actor
from app.auth.forms import EmptyForm, LoginForm
from app.auth.models import User
from app.auth.permissions import public, roles
from app.auth.services import authenticate, end_sessions
from app.clock import now_utc
from app.extensions import db, login_manager
from app.forms import Text, query_args, read_query

bp = Blueprint("auth", __name__)
LOGIN_ARGS = query_args(next=Text(strip=False))


@login_manager.user_loader
def load_user(token: str) -> User | None:
    """Resolve the session cookie; a stale session version means the session has ended."""
    user_id, _sep, version = token.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths are followed after login."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("main.index")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        set_actor(db.session, None, "login")
        user = authenticate(db.session, form.username.data, form.password.data, now_utc())
        db.session.commit()
        if user is not None:
            http_session.clear()
            login_user(user)
            return redirect(_safe_next(read_query(LOGIN_ARGS)["next"]))
        flash(_("Wrong username or password, or the account is locked."), "danger")
    return render_template("auth/login.html", form=form), 200 if not form.errors else 400


@bp.route("/logout", methods=["POST"])
@roles()
def logout():  # type: ignore[no-untyped-def]
    if not EmptyForm().validate_on_submit():
        abort(400)
    logout_user()
    http_session.clear()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/logout-everywhere", methods=["POST"])
@roles()
def logout_everywhere():  # type: ignore[no-untyped-def]
    if not EmptyForm().validate_on_submit():
        abort(400)
    end_sessions(current_user._get_current_object())
    db.session.commit()
    logout_user()
    http_session.clear()
    flash(_("All your sessions have ended."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/language/<code>", methods=["POST"])
@public
def language(code: str):  # type: ignore[no-untyped-def]
    if not EmptyForm().validate_on_submit() or code not in current_app.config["LANGUAGES"]:
        abort(400)
    http_session["lang"] = code
    return redirect(_safe_next(request.form.get("next")))
