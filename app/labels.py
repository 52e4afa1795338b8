"""Enums that carry their own labels, and `label()`, which shows any value by its label.

Each enum is written beside its labels, member by member::

    class Status(LabelledEnum):
        IN_PROGRESS = "in_progress", _l("In progress")

The member's value stays the string ("in_progress": stored, compared, sent in JSON); the label
is a lazy translation, read in the user's language each time it is shown.
"""

from __future__ import annotations

import enum
from typing import Any


class LabelledEnum(enum.StrEnum):
    """A StrEnum whose members are declared as `(value, label)`."""

    _label: Any

    def __new__(cls, value: str, label: Any) -> LabelledEnum:
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label
        return member

    @property
    def label(self) -> str:
        return str(self._label)


def label(value: Any) -> str:
    """A value as people read it: an enum member by its label, None as "", anything else as is."""
    if value is None:
        return ""
    if isinstance(value, LabelledEnum):
        return value.label
    return str(value)
