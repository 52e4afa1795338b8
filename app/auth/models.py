"""Users, their roles, and what a login session is bound to."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.audit import Audited
from app.db import Base, TimestampMixin, str_enum
from app.labels import LabelledEnum

if TYPE_CHECKING:
    from app.agencies.models import Agency

PASSWORD_METHOD = "scrypt"  # noqa: S105  (a hashing method name, not a password)


class Role(LabelledEnum):
    ADMIN = "admin", _l("Administrator")  # manages users, agencies, settings
    OFFICE = "office", _l("Office staff")  # chuyên viên of the office: records directives and tasks
    DEPARTMENT = "department", _l("Department")  # a user of one agency: reports progress
    LEADER = "leader", _l("Leader")  # chairperson and vice-chairs: read-only overview


class User(Audited, UserMixin, TimestampMixin, Base):
    """A person who logs in; department users belong to exactly one agency."""

    __tablename__ = "users"
    __audit_hidden__ = ("password_hash",)
    __audit_exclude__ = (*Audited.__audit_exclude__, "last_login_at", "failed_logins")
    __table_args__ = (
        CheckConstraint("role != 'department' OR agency_id IS NOT NULL", name="department_agency"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped to end every live session of this user (logout everywhere, deactivation,
    # password change): the login cookie carries it through get_id().
    session_version: Mapped[int] = mapped_column(default=1)
    last_login_at: Mapped[datetime | None] = mapped_column(default=None)
    # Brute-force control that holds across workers: consecutive failures lock the account.
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(default=None)

    agency: Mapped[Agency | None] = relationship(foreign_keys=[agency_id])

    def set_password(self, password: str) -> None:
        # PASSWORD_METHOD is read at call time: the test suite lowers the work factor.
        self.password_hash = generate_password_hash(password, method=PASSWORD_METHOD)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def __str__(self) -> str:
        return self.full_name
