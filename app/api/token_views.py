"""The user's own API tokens: create one (its secret shown once), list and revoke them."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.api.forms import SCOPE_LABELS, TokenForm
from app.api.models import TokenScope
from app.api.tokens import create_token, revoke_token, user_tokens
from app.auth.forms import EmptyForm
from app.auth.permissions import roles
from app.clock import now_utc
from app.extensions import db
from app.forms import submit

bp = Blueprint("api_tokens", __name__)


def _page(form: TokenForm, status: int = 200, secret: str | None = None):  # type: ignore[no-untyped-def]
    return render_template(
        "account/tokens.html",
        form=form,
        tokens=user_tokens(db.session, current_user),
        scope_labels={scope.value: label for scope, label in SCOPE_LABELS.items()},
        secret=secret,
        revoke_form=EmptyForm(),
    ), status


@bp.route("/", methods=["GET", "POST"])
@roles()
def index():  # type: ignore[no-untyped-def]
    form = TokenForm()
    response = submit(
        lambda: create_token(
            db.session,
            user=current_user,
            name=form.name.data or "",
            scope=TokenScope(form.scope.data),
            now=now_utc(),
        ),
        form=form,
        # The secret goes out in this one response and is never stored: no redirect, no flash.
        done=lambda made: _page(TokenForm(formdata=None), 200, secret=made.secret),
    )
    return response or _page(form, 400 if form.errors else 200)


@bp.route("/<int:token_id>/revoke", methods=["POST"])
@roles()
def revoke(token_id: int):  # type: ignore[no-untyped-def]
    if not EmptyForm().validate_on_submit():
        abort(400)
    return submit(
        lambda: revoke_token(db.session, user=current_user, token_id=token_id, now=now_utc()),
        success=(_("The token has been revoked; it no longer works."), "info"),
        done=lambda _none: redirect(url_for("api_tokens.index")),
    )
