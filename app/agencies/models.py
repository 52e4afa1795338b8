"""Agencies: the departments, district committees and other bodies that own tasks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.audit import Audited
from app.db import Base, SearchKeyMixin, TimestampMixin, str_enum
from app.labels import LabelledEnum
from app.text import fold

if TYPE_CHECKING:
    from app.auth.models import User


class AgencyKind(LabelledEnum):
    DEPARTMENT = "department", _l("Department")  # sở, ban, ngành of the province
    DISTRICT = "district", _l("District committee")  # UBND huyện, thị xã, thành phố
    # A central-government agency located in the province.
    CENTRAL = "central", _l("Central agency in the province")
    PARTY_MASS = "party_mass", _l("Party or mass organisation")  # party and mass organisations
    OTHER = "other", _l("Other")


class Agency(Audited, SearchKeyMixin, TimestampMixin, Base):
    """An organisation that leads, coordinates, issues or receives tasks."""

    __tablename__ = "agencies"
    __search_fields__ = ("name", "short_name")
    __audit_exclude__ = (*Audited.__audit_exclude__,)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    short_name: Mapped[str | None] = mapped_column(String(120))
    kind: Mapped[AgencyKind] = mapped_column(str_enum(AgencyKind), default=AgencyKind.OTHER)
    active: Mapped[bool] = mapped_column(default=True)
    email: Mapped[str | None] = mapped_column(String(255))  # the agency's official address
    # The vice-chair (role leader) who oversees this agency.
    supervisor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", use_alter=True), index=True
    )

    supervisor: Mapped[User | None] = relationship(foreign_keys=[supervisor_id])
    aliases: Mapped[list[AgencyAlias]] = relationship(
        back_populates="agency", cascade="all, delete-orphan", order_by="AgencyAlias.alias"
    )

    def search_parts(self) -> list[str | None]:
        return [self.name, self.short_name, *(a.alias for a in self.aliases)]

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def __str__(self) -> str:
        return self.name


class AgencyAlias(Base):
    """Another way an agency is written ("Sở TT&TT"); folded keys are unique across agencies."""

    __tablename__ = "agency_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(255))
    alias_key: Mapped[str] = mapped_column(String(255), unique=True)

    agency: Mapped[Agency] = relationship(back_populates="aliases")

    def __init__(self, alias: str, **kwargs: object) -> None:
        super().__init__(alias=alias, alias_key=fold(alias), **kwargs)

    @property
    def search_owner(self) -> Agency | None:
        return self.agency

    def __str__(self) -> str:
        return self.alias
