"""The import preview: what an import will write, as plain data that survives a round trip
through JSON (a web page carries it to the confirm step, and the user may edit it there).

Values are JSON types only: dates are ISO strings, enums their values. ``from_json`` is strict
(unknown keys, wrong types and unknown actions raise ``ValueError``), because what comes back
has been in a browser.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date
from typing import Any

PREVIEW_VERSION = 1
KINDS = ("notice", "plan", "appendix")
CREATE, UPDATE, UNCHANGED, SKIP = "create", "update", "unchanged", "skip"
ACTIONS = (CREATE, UPDATE, UNCHANGED, SKIP)
MATCHED, NEW = "matched", "new"  # an agency found in the table, or one proposed as new
# What the reader flags on a task for the clerk to check: set when the preview is built
# (ROW_UNSPLIT, STATUS_NOTE, COLUMNS_GUESSED) or seen on the task as it stands (NO_LEAD,
# UNKNOWN_AGENCY, DEADLINE_UNREAD).
NO_LEAD, UNKNOWN_AGENCY, DEADLINE_UNREAD = "no_lead", "unknown_agency", "deadline_unread"
ROW_UNSPLIT, STATUS_NOTE, COLUMNS_GUESSED = "row_unsplit", "status_note", "columns_guessed"
FLAGS = (NO_LEAD, UNKNOWN_AGENCY, DEADLINE_UNREAD, ROW_UNSPLIT, STATUS_NOTE, COLUMNS_GUESSED)

Changes = dict[str, list[Any]]  # field → [old, new]


def to_json(value: Any) -> Any:
    """Dataclasses as dicts (fields in order), dates as ISO strings, the rest as it is."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    return value


class JsonData:
    """A value of the preview: `to_json()` gives its plain form."""

    def to_json(self) -> dict[str, Any]:
        return to_json(self)


def day(value: Any, where: str) -> date | None:
    """An ISO date string (or None) from JSON."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{where}: a date must be written YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise ValueError(f"{where}: {value!r} is not a date YYYY-MM-DD") from error


def _typed(data: Any, cls: type, where: str) -> dict[str, Any]:
    """`data` as a dict holding only `cls`'s fields (its required ones all present)."""
    if not isinstance(data, dict):
        raise ValueError(f"{where}: expected an object")
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValueError(f"{where}: unknown keys {', '.join(unknown)}")
    return data


def _text(value: Any, where: str, *, required: bool = False) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{where}: expected text")
    return value


def _int(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{where}: expected a whole number")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"{where}: expected a list")
    return value


def _changes(value: Any, where: str) -> Changes:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(v, list) and len(v) == 2 for v in value.values()
    ):
        raise ValueError(f"{where}: changes are field → [old, new]")
    return value


@dataclass
class AgencyRef(JsonData):
    """An agency as the document writes it, and what it was matched to."""

    written: str
    status: str = MATCHED  # matched (agency_id set) or new (proposed under `name`)
    agency_id: int | None = None
    name: str | None = None  # the matched agency's name, or the proposed new agency's

    @classmethod
    def from_json(cls, data: Any, where: str) -> AgencyRef:
        data = _typed(data, cls, where)
        status = data.get("status", MATCHED)
        agency_id = _int(data.get("agency_id"), f"{where}.agency_id")
        if status not in (MATCHED, NEW):
            raise ValueError(f"{where}.status: use {MATCHED} or {NEW}")
        if status == MATCHED and agency_id is None:
            raise ValueError(f"{where}: a matched agency needs its agency_id")
        name = _text(data.get("name"), f"{where}.name")
        if status == NEW and not (name or "").strip():
            raise ValueError(f"{where}: a new agency needs a name")
        written = _text(data.get("written"), f"{where}.written", required=True) or ""
        return cls(written=written, status=status, agency_id=agency_id, name=name)


@dataclass
class ProposedAgency(JsonData):
    """An agency the document names that the table does not hold."""

    name: str
    kind: str
    written: list[str] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: Any, where: str) -> ProposedAgency:
        data = _typed(data, cls, where)
        return cls(
            name=_text(data.get("name"), f"{where}.name", required=True) or "",
            kind=_text(data.get("kind"), f"{where}.kind", required=True) or "",
            written=[
                _text(w, f"{where}.written", required=True) or ""
                for w in _list(data.get("written"), where)
            ],
        )


@dataclass
class DirectiveHeader(JsonData):
    """The directive the tasks belong to: matched (id) or to be created from these fields."""

    kind: str | None = None
    number: str | None = None
    issued_on: date | None = None
    issuer: str | None = None
    subject: str | None = None
    id: int | None = None
    action: str = CREATE  # create, or unchanged / update for an existing directive
    changes: Changes = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Any, where: str = "directive") -> DirectiveHeader:
        data = _typed(data, cls, where)
        return cls(
            kind=_text(data.get("kind"), f"{where}.kind"),
            number=_text(data.get("number"), f"{where}.number"),
            issued_on=day(data.get("issued_on"), f"{where}.issued_on"),
            issuer=_text(data.get("issuer"), f"{where}.issuer"),
            subject=_text(data.get("subject"), f"{where}.subject"),
            id=_int(data.get("id"), f"{where}.id"),
            action=_action(data.get("action", CREATE), where),
            changes=_changes(data.get("changes"), f"{where}.changes"),
        )


@dataclass
class PreviewSection(JsonData):
    """A Roman-numeral section of the directive."""

    number: str
    title: str
    id: int | None = None
    action: str = CREATE
    changes: Changes = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Any, where: str) -> PreviewSection:
        data = _typed(data, cls, where)
        return cls(
            number=_text(data.get("number"), f"{where}.number", required=True) or "",
            title=_text(data.get("title"), f"{where}.title", required=True) or "",
            id=_int(data.get("id"), f"{where}.id"),
            action=_action(data.get("action", CREATE), where),
            changes=_changes(data.get("changes"), f"{where}.changes"),
        )


@dataclass
class PreviewProgress(JsonData):
    """An appendix row's status and explanation, as the progress report for `period`."""

    period: str
    status: str | None
    explanation: str
    reported_on: date | None = None  # set on a new report; an existing one keeps its date
    update_id: int | None = None
    action: str = CREATE
    changes: Changes = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Any, where: str) -> PreviewProgress:
        data = _typed(data, cls, where)
        return cls(
            period=_text(data.get("period"), f"{where}.period", required=True) or "",
            status=_text(data.get("status"), f"{where}.status"),
            explanation=_text(data.get("explanation") or "", f"{where}.explanation") or "",
            reported_on=day(data.get("reported_on"), f"{where}.reported_on"),
            update_id=_int(data.get("update_id"), f"{where}.update_id"),
            action=_action(data.get("action", CREATE), where),
            changes=_changes(data.get("changes"), f"{where}.changes"),
        )


@dataclass
class PreviewTask(JsonData):
    """One task the import creates or updates (or finds unchanged), with every field it sets.

    `parent` is the `key` of another task of this preview. `deadline` is how the phrase reads
    (informational: the deadline is read again when the task is written). `group` is the group
    phrase ("Các sở, ban, ngành") the task heads or was copied out of."""

    key: str
    title: str
    action: str = CREATE
    task_id: int | None = None
    outline: str | None = None
    code: str | None = None
    section: str | None = None
    parent: str | None = None
    lead: AgencyRef | None = None
    lead_text: str | None = None
    coordinators: list[AgencyRef] = field(default_factory=list)
    coordinators_text: str | None = None
    start_text: str | None = None
    deadline_text: str | None = None
    deadline: dict[str, Any] | None = None
    assigned_on: date | None = None
    product: str | None = None
    status: str | None = None
    progress: PreviewProgress | None = None
    group: str | None = None
    changes: Changes = field(default_factory=dict)
    page: int | None = None  # where the task is in the document: page (a PDF) and line
    line: int | None = None
    flags: list[str] = field(default_factory=list)  # what the reader is unsure of (FLAGS)

    def seen_flags(self) -> list[str]:
        """The flags of the task as it stands (after the clerk's edits): those set when the
        preview was built that the task cannot show by itself, then a missing lead, an
        unknown agency, a deadline phrase that reads as no date."""
        flags = [f for f in self.flags if f not in (NO_LEAD, UNKNOWN_AGENCY, DEADLINE_UNREAD)]
        if self.lead is None and not self.lead_text and not self.group:
            flags.append(NO_LEAD)
        if any(ref is not None and ref.status == NEW for ref in (self.lead, *self.coordinators)):
            flags.append(UNKNOWN_AGENCY)
        if self.deadline_text and (self.deadline or {}).get("kind") == "unspecified":
            flags.append(DEADLINE_UNREAD)
        return flags

    @classmethod
    def from_json(cls, data: Any, where: str) -> PreviewTask:
        data = _typed(data, cls, where)
        text = {
            name: _text(data.get(name), f"{where}.{name}")
            for name in (
                "outline",
                "code",
                "section",
                "parent",
                "lead_text",
                "coordinators_text",
                "start_text",
                "deadline_text",
                "product",
                "status",
                "group",
            )
        }
        lead = data.get("lead")
        progress = data.get("progress")
        deadline = data.get("deadline")
        if deadline is not None and not isinstance(deadline, dict):
            raise ValueError(f"{where}.deadline: expected an object")
        return cls(
            key=_text(data.get("key"), f"{where}.key", required=True) or "",
            title=_text(data.get("title"), f"{where}.title", required=True) or "",
            action=_action(data.get("action", CREATE), where),
            task_id=_int(data.get("task_id"), f"{where}.task_id"),
            lead=AgencyRef.from_json(lead, f"{where}.lead") if lead is not None else None,
            coordinators=[
                AgencyRef.from_json(c, f"{where}.coordinators[{i}]")
                for i, c in enumerate(_list(data.get("coordinators"), where))
            ],
            deadline=deadline,
            assigned_on=day(data.get("assigned_on"), f"{where}.assigned_on"),
            progress=(
                PreviewProgress.from_json(progress, f"{where}.progress")
                if progress is not None
                else None
            ),
            changes=_changes(data.get("changes"), f"{where}.changes"),
            page=_int(data.get("page"), f"{where}.page"),
            line=_int(data.get("line"), f"{where}.line"),
            flags=_flags(data.get("flags"), f"{where}.flags"),
            **text,
        )


def _flags(value: Any, where: str) -> list[str]:
    flags = _list(value, where)
    if not all(isinstance(flag, str) and flag in FLAGS for flag in flags):
        raise ValueError(f"{where}: use {', '.join(FLAGS)}")
    return flags


@dataclass
class ColumnUse(JsonData):
    """Which column of the document's table a field was read from (`index` counts from 0)."""

    field: str
    index: int
    header: str = ""

    @classmethod
    def from_json(cls, data: Any, where: str) -> ColumnUse:
        data = _typed(data, cls, where)
        index = _int(data.get("index"), f"{where}.index")
        if index is None or index < 0:
            raise ValueError(f"{where}.index: expected a column number")
        return cls(
            field=_text(data.get("field"), f"{where}.field", required=True) or "",
            index=index,
            header=_text(data.get("header") or "", f"{where}.header") or "",
        )


@dataclass
class PreviewWarning(JsonData):
    """Something the user should look at before confirming; `task` is a task's key."""

    code: str
    message: str
    task: str | None = None

    @classmethod
    def from_json(cls, data: Any, where: str) -> PreviewWarning:
        data = _typed(data, cls, where)
        return cls(
            code=_text(data.get("code"), f"{where}.code", required=True) or "",
            message=_text(data.get("message"), f"{where}.message", required=True) or "",
            task=_text(data.get("task"), f"{where}.task"),
        )


@dataclass
class SourceInfo(JsonData):
    """Which file was read, and how."""

    filename: str
    format: str  # txt, docx, xlsx
    size: int
    encoding: str | None = None  # of a .txt file
    legacy_encoding: str | None = None  # "tcvn3" / "vni" when the text looked legacy-encoded
    converted: bool = False  # whether that conversion was applied

    @classmethod
    def from_json(cls, data: Any, where: str = "source") -> SourceInfo:
        data = _typed(data, cls, where)
        converted = data.get("converted", False)
        if not isinstance(converted, bool):
            raise ValueError(f"{where}.converted: expected true or false")
        return cls(
            filename=_text(data.get("filename"), f"{where}.filename", required=True) or "",
            format=_text(data.get("format"), f"{where}.format", required=True) or "",
            size=_int(data.get("size"), f"{where}.size") or 0,
            encoding=_text(data.get("encoding"), f"{where}.encoding"),
            legacy_encoding=_text(data.get("legacy_encoding"), f"{where}.legacy_encoding"),
            converted=converted,
        )


@dataclass
class ImportPreview(JsonData):
    """Everything an import will do, for the user to check (and edit) before confirming."""

    kind: str
    source: SourceInfo
    directive: DirectiveHeader
    reference_date: date | None = None  # what deadline phrases are read against
    period: str | None = None  # an appendix's reporting period ("2023-Q1")
    sections: list[PreviewSection] = field(default_factory=list)
    tasks: list[PreviewTask] = field(default_factory=list)
    new_agencies: list[ProposedAgency] = field(default_factory=list)
    warnings: list[PreviewWarning] = field(default_factory=list)
    # Live tasks of the directive that the document no longer lists: left as they are.
    missing: list[dict[str, Any]] = field(default_factory=list)
    version: int = PREVIEW_VERSION
    # A table's columns as read (from its header, or guessed from its cells when it has none).
    columns: list[ColumnUse] = field(default_factory=list)
    columns_guessed: bool = False

    def counts(self) -> dict[str, int]:
        """How many tasks each action concerns."""
        counts = dict.fromkeys(ACTIONS, 0)
        for task in self.tasks:
            counts[task.action] += 1
        return counts

    def to_json(self) -> dict[str, Any]:
        return {**to_json(self), "counts": self.counts()}

    @classmethod
    def from_json(cls, data: Any) -> ImportPreview:
        """The preview from its JSON form; ValueError says what is wrong with it."""
        if not isinstance(data, dict):
            raise ValueError("preview: expected an object")
        data = {k: v for k, v in data.items() if k != "counts"}  # derived, ignored
        data = _typed(data, cls, "preview")
        if data.get("version") != PREVIEW_VERSION:
            raise ValueError(f"preview: version {PREVIEW_VERSION} expected")
        if data.get("kind") not in KINDS:
            raise ValueError(f"preview.kind: use one of {', '.join(KINDS)}")
        tasks = [
            PreviewTask.from_json(t, f"tasks[{i}]")
            for i, t in enumerate(_list(data.get("tasks"), "tasks"))
        ]
        keys = [t.key for t in tasks]
        if len(set(keys)) != len(keys):
            raise ValueError("tasks: every key must be different")
        missing = _list(data.get("missing"), "missing")
        if not all(isinstance(m, dict) for m in missing):
            raise ValueError("missing: expected objects")
        return cls(
            kind=data["kind"],
            source=SourceInfo.from_json(data.get("source")),
            directive=DirectiveHeader.from_json(data.get("directive")),
            reference_date=day(data.get("reference_date"), "reference_date"),
            period=_text(data.get("period"), "period"),
            sections=[
                PreviewSection.from_json(s, f"sections[{i}]")
                for i, s in enumerate(_list(data.get("sections"), "sections"))
            ],
            tasks=tasks,
            new_agencies=[
                ProposedAgency.from_json(a, f"new_agencies[{i}]")
                for i, a in enumerate(_list(data.get("new_agencies"), "new_agencies"))
            ],
            warnings=[
                PreviewWarning.from_json(w, f"warnings[{i}]")
                for i, w in enumerate(_list(data.get("warnings"), "warnings"))
            ],
            missing=missing,
            columns=[
                ColumnUse.from_json(c, f"columns[{i}]")
                for i, c in enumerate(_list(data.get("columns"), "columns"))
            ],
            columns_guessed=_bool(data.get("columns_guessed", False), "columns_guessed"),
        )


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{where}: expected true or false")
    return value


def _action(value: Any, where: str) -> str:
    if value not in ACTIONS:
        raise ValueError(f"{where}.action: use one of {', '.join(ACTIONS)}")
    return value


@dataclass(frozen=True)
class ImportOptions:
    """What the user says about the document beside the file itself.

    `number`, `directive_kind`, `subject`, `issued_on`, `issuer` name the directive (over what
    the document prints); `reference` is the date deadline phrases are read against; `period`
    (required for an appendix, "2023-Q1") and `reported_on` describe its progress report;
    `lead` owns an appendix's new tasks; `sheet` and `columns` (field → header or index) read
    a table; `convert` ("tcvn3"/"vni") converts legacy text; `expand_groups` gives a notice's
    group heading one task per agency; `province` helps match "Sở Tài chính tỉnh Bình Định"."""

    kind: str
    number: str | None = None
    directive_kind: str | None = None
    subject: str | None = None
    issued_on: date | None = None
    issuer: str | None = None
    reference: date | None = None
    period: str | None = None
    reported_on: date | None = None
    lead: str | None = None
    sheet: str | int | None = None
    columns: Mapping[str, int | str] | None = None
    convert: str | None = None
    expand_groups: bool = True
    province: str | None = None


@dataclass
class ImportResult(JsonData):
    """What a confirmed import wrote."""

    directive_id: int
    directive_created: bool = False
    created: list[dict[str, Any]] = field(default_factory=list)  # {key, task_id, title}
    updated: list[dict[str, Any]] = field(default_factory=list)  # {key, task_id, title, changes}
    unchanged: int = 0
    skipped: int = 0
    agencies_created: list[str] = field(default_factory=list)
    sections_created: list[str] = field(default_factory=list)
    sections_updated: list[str] = field(default_factory=list)
    progress_created: int = 0
    progress_updated: int = 0
