"""Dates as people read them: dd/mm/yyyy in tables, "ngày … tháng … năm …" in documents."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import format_date, get_locale

from app.clock import to_local

# How Vietnamese administrative documents write a date (Decree 30/2020/NĐ-CP).
VN_ADMIN_DATE = "'ngày' dd 'tháng' MM 'năm' yyyy"


def short_date(value: date | datetime | None) -> str:
    """dd/MM/yyyy, the way offices write dates in tables."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return to_local(value).strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


def long_date(value: date | None) -> str:
    """ "ngày 06 tháng 10 năm 2022" in Vietnamese, the locale's long form otherwise."""
    if value is None:
        return ""
    if str(get_locale()) == "vi":
        return format_date(value, VN_ADMIN_DATE)
    return format_date(value, "long")
