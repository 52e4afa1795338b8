"""Directive sources: resolutions, decisions, letters, plans and conclusion notices."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.audit import Audited
from app.db import Base, SearchKeyMixin, SoftDeleteMixin, TimestampMixin, str_enum
from app.labels import LabelledEnum

if TYPE_CHECKING:
    from app.tasks.models import Task


class DirectiveKind(LabelledEnum):
    RESOLUTION = "resolution", _l("Resolution")  # Nghị quyết
    DECISION = "decision", _l("Decision")  # Quyết định
    DIRECTIVE = "directive", _l("Directive")  # Chỉ thị
    OFFICIAL_LETTER = "official_letter", _l("Official letter")  # Công văn
    PLAN = "plan", _l("Plan")  # Kế hoạch
    CONCLUSION = "conclusion", _l("Conclusion notice")  # Thông báo kết luận
    OTHER = "other", _l("Other document")  # laws, decrees, submissions, reports


class Directive(Audited, SoftDeleteMixin, SearchKeyMixin, TimestampMixin, Base):
    """A document that hands out tasks (or that others cite and implement)."""

    __tablename__ = "directives"
    __search_fields__ = ("number", "summary", "issuer", "signer")

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[DirectiveKind] = mapped_column(str_enum(DirectiveKind))
    # Number and symbol as printed ("131/NQ-CP"); some documents print none.
    number: Mapped[str | None] = mapped_column(String(80), unique=True)
    issued_on: Mapped[date | None]
    issuer: Mapped[str | None] = mapped_column(String(255))  # not always known for cited documents
    summary: Mapped[str] = mapped_column(Text)  # trích yếu
    signer: Mapped[str | None] = mapped_column(String(200))
    signer_title: Mapped[str | None] = mapped_column(String(200))
    full_text: Mapped[str | None] = mapped_column(Text)
    implements_id: Mapped[int | None] = mapped_column(ForeignKey("directives.id"), index=True)

    implements: Mapped[Directive | None] = relationship(
        remote_side="Directive.id", back_populates="implemented_by"
    )
    implemented_by: Mapped[list[Directive]] = relationship(back_populates="implements")
    sections: Mapped[list[Section]] = relationship(
        back_populates="directive", order_by="Section.position", cascade="all, delete-orphan"
    )
    tasks: Mapped[list[Task]] = relationship(back_populates="directive")

    @property
    def label(self) -> str:
        return self.number or self.summary[:80]

    def __str__(self) -> str:
        return self.label


class Section(Audited, Base):
    """A Roman-numeral group of a directive's tasks ("I. Về cải cách thủ tục hành chính…")."""

    __tablename__ = "sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    directive_id: Mapped[int] = mapped_column(ForeignKey("directives.id"), index=True)
    number: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)

    directive: Mapped[Directive] = relationship(back_populates="sections")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"
