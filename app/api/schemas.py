"""The API's marshmallow schemas: separate In (requests) and Out (responses), unknown=RAISE."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from app.agencies.models import AgencyKind
from app.directives.models import DirectiveKind
from app.reports.models import ReportKind
from app.tasks.deadlines import DeadlineKind
from app.tasks.models import ReviewState, Status, UpdateKind
from app.tasks.standing import Standing

MAX_ID = 2_147_483_647
MAX_PAGE = 10_000
MAX_PER_PAGE = 100
NO_NUL = "^[^\\x00]*$"  # documented in the OpenAPI document: NUL is refused


class Strict(Schema):
    class Meta:
        unknown = RAISE


class Text(fields.String):
    """A string a person could have typed: no NUL, no lone surrogate (neither can be stored)."""

    def __init__(self, **kwargs: Any) -> None:
        metadata = {"pattern": NO_NUL, **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text or any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
            raise ValidationError("Invalid text.")
        return text


# --- In: query strings and bodies ---


class PageIn(Strict):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PER_PAGE))


class DirectiveQueryIn(PageIn):
    q = Text(load_default="", validate=validate.Length(max=200))


class TaskQueryIn(PageIn):
    directive = fields.Integer(validate=validate.Range(min=1, max=MAX_ID))
    agency = fields.Integer(validate=validate.Range(min=1, max=MAX_ID))
    standing = fields.Enum(Standing, by_value=True)
    status = fields.Enum(Status, by_value=True)
    due_from = fields.Date()
    due_to = fields.Date()
    q = Text(load_default="", validate=validate.Length(max=200))


class AgencyQueryIn(PageIn):
    q = Text(load_default="", validate=validate.Length(max=200))
    kind = fields.Enum(AgencyKind, by_value=True)


class StandingQueryIn(Strict):
    on = fields.Date()
    directive = fields.Integer(validate=validate.Range(min=1, max=MAX_ID))


class ProgressIn(Strict):
    status = fields.Enum(Status, by_value=True, required=True)
    explanation = Text(required=True, validate=validate.Length(min=1, max=200_000))
    completed_on = fields.Date(allow_none=True, load_default=None)


# --- Out ---


class PagedOut(Schema):
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)
    pages = fields.Integer(required=True)


class AgencyRefOut(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    short_name = fields.String(allow_none=True, required=True)


class AgencyOut(AgencyRefOut):
    kind = fields.Enum(AgencyKind, by_value=True, required=True)
    active = fields.Boolean(required=True)


class AgencyPageOut(PagedOut):
    items = fields.List(fields.Nested(AgencyOut), required=True)


class DirectiveRefOut(Schema):
    id = fields.Integer(required=True)
    number = fields.String(allow_none=True, required=True)


class DirectiveOut(DirectiveRefOut):
    kind = fields.Enum(DirectiveKind, by_value=True, required=True)
    issued_on = fields.Date(allow_none=True, required=True)
    issuer = fields.String(allow_none=True, required=True)
    summary = fields.String(required=True)
    signer = fields.String(allow_none=True, required=True)
    implements_id = fields.Integer(allow_none=True, required=True)
    task_count = fields.Integer(required=True)


class DirectivePageOut(PagedOut):
    items = fields.List(fields.Nested(DirectiveOut), required=True)


class DeadlineOut(Schema):
    text = fields.String(allow_none=True, required=True)
    start_text = fields.String(allow_none=True, required=True)
    kind = fields.Enum(DeadlineKind, by_value=True, required=True)
    start = fields.Date(allow_none=True, required=True)
    due = fields.Date(allow_none=True, required=True)
    dues = fields.List(fields.String(), required=True)
    extended_due = fields.Date(allow_none=True, required=True)
    effective_due = fields.Date(allow_none=True, required=True)


class TaskOut(Schema):
    id = fields.Integer(required=True)
    directive = fields.Nested(DirectiveRefOut, required=True)
    section = fields.String(allow_none=True, required=True)
    parent_id = fields.Integer(allow_none=True, required=True)
    outline = fields.String(allow_none=True, required=True)
    code = fields.String(allow_none=True, required=True)
    title = fields.String(required=True)
    lead_agency = fields.Nested(AgencyRefOut, allow_none=True, required=True)
    lead_text = fields.String(allow_none=True, required=True)
    coordinators = fields.List(fields.Nested(AgencyRefOut), required=True)
    coordinators_text = fields.String(allow_none=True, required=True)
    deadline = fields.Nested(DeadlineOut, required=True)
    product = fields.String(allow_none=True, required=True)
    status = fields.Enum(Status, by_value=True, required=True)
    completed_on = fields.Date(allow_none=True, required=True)
    standing = fields.Enum(Standing, by_value=True, required=True)
    version = fields.Integer(required=True)


class ProgressOut(Schema):
    id = fields.Integer(required=True)
    task_id = fields.Integer(required=True)
    kind = fields.Enum(UpdateKind, by_value=True, required=True)
    agency = fields.Nested(AgencyRefOut, allow_none=True, required=True)
    reported_on = fields.Date(required=True)
    period = fields.String(allow_none=True, required=True)
    status = fields.Enum(Status, by_value=True, required=True)
    explanation = fields.String(required=True)
    completed_on = fields.Date(allow_none=True, required=True)
    review_state = fields.Enum(ReviewState, by_value=True, required=True)
    review_note = fields.String(allow_none=True, required=True)


class TaskDetailOut(TaskOut):
    updates = fields.List(fields.Nested(ProgressOut), required=True)


class TaskPageOut(PagedOut):
    items = fields.List(fields.Nested(TaskOut), required=True)


class NotificationOut(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    message = fields.String(required=True)
    link = fields.String(allow_none=True, required=True)
    task_id = fields.Integer(allow_none=True, required=True)
    created_at = fields.AwareDateTime(required=True)
    read_at = fields.AwareDateTime(allow_none=True, required=True)


class NotificationPageOut(PagedOut):
    items = fields.List(fields.Nested(NotificationOut), required=True)


class ReportOut(Schema):
    id = fields.Integer(required=True)
    kind = fields.Enum(ReportKind, by_value=True, required=True)
    period_code = fields.String(required=True)
    cutoff_start = fields.Date(allow_none=True, required=True)
    cutoff_end = fields.Date(required=True)
    title = fields.String(required=True)
    scope_label = fields.String(required=True)
    rows = fields.Integer(required=True)
    built_at = fields.AwareDateTime(required=True)
    current = fields.Boolean(required=True)
    formats = fields.List(fields.String(), required=True)


class ReportPageOut(PagedOut):
    items = fields.List(fields.Nested(ReportOut), required=True)


class StandingRowOut(Schema):
    agency = fields.Nested(AgencyRefOut, allow_none=True, required=True)
    done_on_time = fields.Integer(required=True)
    done_late = fields.Integer(required=True)
    on_track = fields.Integer(required=True)
    overdue = fields.Integer(required=True)
    no_deadline = fields.Integer(required=True)
    total = fields.Integer(required=True)


class StandingsOut(Schema):
    on = fields.Date(required=True)
    agencies = fields.List(fields.Nested(StandingRowOut), required=True)
    total = fields.Nested(StandingRowOut, required=True)


class ErrorOut(Schema):
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), required=True)
