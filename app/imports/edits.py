"""The user's edits of an import preview, read from the posted form of the preview page.

Each task's fields are named ``t<index>-<field>`` after its place in the stored preview. A field
that is not posted leaves the task as the preview has it, so a partial or tampered form can
only change what it names, and only to values checked here: a title, a deadline phrase, a
lead (an active agency, none, or the new agency the document named), the coordinators kept
(``t<index>-keep``, when ``t<index>-kept`` says their checkboxes were shown) and one active
agency added, and "skip".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from flask_babel import gettext as _

from app.agencies.models import Agency
from app.forms import parse_id
from app.imports.diff import ref_token
from app.imports.preview import (
    MATCHED,
    NEW,
    SKIP,
    AgencyRef,
    ImportPreview,
    PreviewTask,
)
from app.text import nfc

TITLE_MAX = 10_000
DEADLINE_MAX = 1_000
NO_LEAD, NEW_LEAD = "", "new"
FIELDS = ("skip", "title", "deadline_text", "lead", "kept", "add")


class FormData(Protocol):
    """What a posted form offers (a werkzeug MultiDict)."""

    def get(self, key: str) -> str | None: ...

    def getlist(self, key: str) -> list[str]: ...


def field_name(index: int, name: str) -> str:
    """The form field of the `index`-th task's `name`."""
    return f"t{index}-{name}"


@dataclass
class Edited:
    """The preview as the user left it, and what is wrong with the edits (by task key)."""

    preview: ImportPreview
    errors: dict[str, list[str]] = field(default_factory=dict)

    def fail(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)


def apply_edits(preview: ImportPreview, form: FormData, agencies: Mapping[int, Agency]) -> Edited:
    """A copy of `preview` with the posted edits; `agencies` are the active ones by id."""
    edited = Edited(ImportPreview.from_json(preview.to_json()))
    for index, task in enumerate(edited.preview.tasks):
        posted = {name: form.get(field_name(index, name)) for name in FIELDS}
        if posted["skip"]:
            task.action = SKIP
        if posted["title"] is not None:
            _title(edited, task, posted["title"])
        if posted["deadline_text"] is not None:
            _deadline(edited, task, posted["deadline_text"])
        if posted["lead"] is not None and posted["lead"] != lead_value(task.lead):
            _lead(edited, task, posted["lead"], agencies)
        if posted["kept"] is not None:  # the coordinators' checkboxes were on the form
            kept = set(form.getlist(field_name(index, "keep")))
            task.coordinators = [c for j, c in enumerate(task.coordinators) if str(j) in kept]
        if posted["add"]:
            _add_coordinator(edited, task, posted["add"], agencies)
    return edited


def _title(edited: Edited, task: PreviewTask, value: str) -> None:
    title = nfc(value.strip()) or ""
    if not title:
        edited.fail(task.key, _("Give the task a title."))
    elif len(title) > TITLE_MAX:
        edited.fail(task.key, _("The title is too long."))
    else:
        task.title = title


def _deadline(edited: Edited, task: PreviewTask, value: str) -> None:
    phrase = nfc(value.strip()) or ""
    if len(phrase) > DEADLINE_MAX:
        edited.fail(task.key, _("The deadline phrase is too long."))
    else:
        task.deadline_text = phrase or None


def _lead(edited: Edited, task: PreviewTask, value: str, agencies: Mapping[int, Agency]) -> None:
    if value == NO_LEAD:
        task.lead = None
        return
    agency = _agency(value, agencies)
    if agency is None:
        edited.fail(task.key, _("Choose the lead agency from the list."))
    else:
        written = task.lead.written if task.lead is not None else agency.name
        task.lead = _ref(agency, written)


def _add_coordinator(
    edited: Edited, task: PreviewTask, value: str, agencies: Mapping[int, Agency]
) -> None:
    agency = _agency(value, agencies)
    if agency is None:
        edited.fail(task.key, _("Choose the coordinating agency from the list."))
    elif agency.id not in {ref_token(c) for c in task.coordinators}:
        task.coordinators.append(_ref(agency, agency.name))


def lead_value(ref: AgencyRef | None) -> str:
    """The lead select's value for `ref`: an agency id, "new", or "" for none."""
    if ref is None:
        return NO_LEAD
    return NEW_LEAD if ref.status == NEW else str(ref.agency_id)


def _agency(value: str, agencies: Mapping[int, Agency]) -> Agency | None:
    agency_id = parse_id(value)
    return agencies.get(agency_id) if agency_id is not None else None


def _ref(agency: Agency, written: str) -> AgencyRef:
    return AgencyRef(written=written, status=MATCHED, agency_id=agency.id, name=agency.name)
