"""Administration of user accounts: list, create, edit, (de)activate, reset, unlock.

Above both auth (the accounts) and agencies (the one a user belongs to), which is why it is
not in auth: auth sits below every package, whose pages all carry its access declarations.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from wtforms.fields.choices import SelectChoice

from app.accounts.forms import UserCreateForm, UserEditForm
from app.agencies.models import Agency
from app.auth.forms import EmptyForm
from app.auth.models import Role, User
from app.auth.permissions import roles
from app.auth.services import (
    UserFilters,
    change_active,
    create_account,
    is_locked,
    list_users,
    reset_password,
    unlock,
    update_account,
)
from app.clock import now_utc
from app.errors import NotFound, ValidationFailed
from app.extensions import db
from app.forms import Choice, Id, Text, query_args, read_query, submit
from app.labels import label

bp = Blueprint("users_admin", __name__)
LIST_ARGS = query_args(q=Text(), role=Choice(Role), agency=Id())


def _get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    return user


def _agencies(current: Agency | None = None) -> list[Agency]:
    """Active agencies, plus the account's current one should it have been deactivated."""
    condition = Agency.active.is_(True)
    if current is not None:
        condition = or_(condition, Agency.id == current.id)
    return list(db.session.scalars(select(Agency).where(condition).order_by(Agency.name)))


def _fill_choices(form: UserEditForm, agencies: list[Agency]) -> None:
    form.role.choices = [SelectChoice(r.value, label(r)) for r in Role]
    form.agency.choices = [SelectChoice("", "—")] + [SelectChoice(a.id, a.name) for a in agencies]


def _chosen_agency(form: UserEditForm) -> Agency | None:
    return db.session.get(Agency, form.agency.data) if form.agency.data else None


def _password_page(user: User, password: str, created: bool):  # type: ignore[no-untyped-def]
    """The one and only time the password is shown: never cached, never stored."""
    response = make_response(
        render_template("admin/password.html", user=user, password=password, created=created)
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/")
@roles(Role.ADMIN)
def index():  # type: ignore[no-untyped-def]
    args = read_query(LIST_ARGS)
    filters = UserFilters(query=args["q"], role=args["role"], agency_id=args["agency"])
    agencies = db.session.scalars(select(Agency).order_by(Agency.name)).all()
    return render_template(
        "admin/users.html",
        users=list_users(db.session, filters),
        filters=filters,
        roles=list(Role),
        agencies=agencies,
        now=now_utc(),
        is_locked=is_locked,
    )


@bp.route("/new", methods=["GET", "POST"])
@roles(Role.ADMIN)
def create():  # type: ignore[no-untyped-def]
    form = UserCreateForm()
    _fill_choices(form, _agencies())
    response = submit(
        lambda: create_account(
            db.session,
            username=form.username.data or "",
            full_name=form.full_name.data or "",
            role=Role(form.role.data),
            agency=_chosen_agency(form),
            email=form.email.data,
        ),
        form=form,
        done=lambda made: _password_page(*made, created=True),
    )
    if response is not None:
        return response
    status = 400 if form.errors or form.form_errors else 200
    return render_template("admin/user_form.html", form=form, user=None), status


def _render_edit(user: User, form: UserEditForm, status: int = 200, errors=()):  # type: ignore[no-untyped-def]
    return render_template(
        "admin/user_form.html",
        form=form,
        user=user,
        action_form=EmptyForm(formdata=None),
        action_errors=list(errors),
        locked=is_locked(user, now_utc()),
    ), status


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
@roles(Role.ADMIN)
def edit(user_id: int):  # type: ignore[no-untyped-def]
    user = _get_user(user_id)
    form = UserEditForm(obj=user if request.method == "GET" else None)
    _fill_choices(form, _agencies(user.agency))
    if request.method == "GET":
        form.role.data = user.role.value
        form.agency.data = user.agency_id
    response = submit(
        lambda: update_account(
            db.session,
            actor=current_user,
            user=user,
            full_name=form.full_name.data or "",
            email=form.email.data,
            role=Role(form.role.data),
            agency=_chosen_agency(form),
        ),
        form=form,
        success=_("The account has been saved."),
        done=lambda _none: _back_to(user),
    )
    if response is not None:
        return response
    status = 400 if form.errors or form.form_errors else 200
    return _render_edit(user, form, status)


def _action_user(user_id: int) -> User:
    """The account a POST button acts on, after checking the button's CSRF token."""
    user = _get_user(user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    return user


def _back_to(user: User):  # type: ignore[no-untyped-def]
    return redirect(url_for("users_admin.edit", user_id=user.id))


def _refused(user: User, error: ValidationFailed):  # type: ignore[no-untyped-def]
    form = UserEditForm(formdata=None, obj=user)
    _fill_choices(form, _agencies(user.agency))
    form.role.data = user.role.value
    form.agency.data = user.agency_id
    return _render_edit(user, form, 400, error.messages)


@bp.route("/<int:user_id>/deactivate", methods=["POST"])
@roles(Role.ADMIN)
def deactivate(user_id: int):  # type: ignore[no-untyped-def]
    user = _action_user(user_id)
    return submit(
        lambda: change_active(db.session, actor=current_user, user=user, active=False),
        success=_("The account has been deactivated and its sessions ended."),
        refused=lambda error: _refused(user, error),
        done=lambda _none: _back_to(user),
    )


@bp.route("/<int:user_id>/reactivate", methods=["POST"])
@roles(Role.ADMIN)
def reactivate(user_id: int):  # type: ignore[no-untyped-def]
    user = _action_user(user_id)
    return submit(
        lambda: change_active(db.session, actor=current_user, user=user, active=True),
        success=_("The account has been reactivated."),
        done=lambda _none: _back_to(user),
    )


@bp.route("/<int:user_id>/reset-password", methods=["POST"])
@roles(Role.ADMIN)
def reset(user_id: int):  # type: ignore[no-untyped-def]
    user = _action_user(user_id)
    return submit(
        lambda: reset_password(db.session, user),
        done=lambda password: _password_page(user, password, created=False),
    )


@bp.route("/<int:user_id>/unlock", methods=["POST"])
@roles(Role.ADMIN)
def unlock_account(user_id: int):  # type: ignore[no-untyped-def]
    user = _action_user(user_id)
    return submit(
        lambda: unlock(db.session, user),
        success=_("The account has been unlocked."),
        done=lambda _none: _back_to(user),
    )
