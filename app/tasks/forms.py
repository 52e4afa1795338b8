"""HTML forms of tasks and the working calendar."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.forms import MAX_ID, BaseForm, optional_id, record_id
from app.tasks.models import CalendarDayKind, Status


class TaskForm(BaseForm):
    """Create or edit a task (office staff)."""

    title = TextAreaField(_l("Title"), validators=[DataRequired(), Length(max=10000)])
    outline = StringField(_l("No."), validators=[Optional(), Length(max=40)])
    code = StringField(_l("Code"), validators=[Optional(), Length(max=40)])
    section_id = SelectField(_l("Section"), coerce=optional_id, validate_choice=False)
    parent_id = SelectField(_l("Part of"), coerce=optional_id, validate_choice=False)
    lead_agency_id = SelectField(_l("Lead agency"), coerce=optional_id, validate_choice=False)
    lead_text = StringField(_l("Lead as written"), validators=[Optional(), Length(max=1000)])
    coordinator_ids = SelectMultipleField(
        _l("Coordinating agencies"), coerce=record_id, validate_choice=False
    )
    coordinators_text = StringField(
        _l("Coordinating as written"), validators=[Optional(), Length(max=2000)]
    )
    assigned_on = DateField(_l("Assigned on"), validators=[Optional()])
    start_text = StringField(_l("Start"), validators=[Optional(), Length(max=255)])
    deadline_text = StringField(_l("Deadline"), validators=[Optional(), Length(max=1000)])
    product = TextAreaField(_l("Expected product"), validators=[Optional(), Length(max=10000)])
    status = SelectField(
        _l("Status"), choices=[SelectChoice(s.value) for s in Status], validators=[InputRequired()]
    )
    completed_on = DateField(_l("Completed on"), validators=[Optional()])
    version = HiddenField()


class CalendarDayForm(BaseForm):
    """An extra day off or a make-up working day."""

    day = DateField(_l("Day"), validators=[InputRequired()])
    kind = SelectField(
        _l("Kind"),
        choices=[SelectChoice(k.value) for k in CalendarDayKind],
        validators=[InputRequired()],
    )
    note = StringField(_l("Note"), validators=[Optional(), Length(max=255)])


class DeleteForm(BaseForm):
    """A POST button with its CSRF token and the row's id."""

    id = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=MAX_ID)])


class ReportForm(BaseForm):
    """The lead agency's progress report."""

    status = SelectField(
        _l("Progress"),
        choices=[SelectChoice(s.value) for s in Status],
        validators=[InputRequired()],
    )
    explanation = TextAreaField(_l("Explanation"), validators=[Optional()])
    completed_on = DateField(_l("Completed on"), validators=[Optional()])


class ContributionForm(BaseForm):
    """A coordinating agency's contribution (ý kiến phối hợp)."""

    explanation = TextAreaField(_l("Contribution"), validators=[Optional()])


class ReturnForm(BaseForm):
    """Why the office sends a report back."""

    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=5000)])


class CopyForm(BaseForm):
    """Agencies to give a copy of a group task to."""

    agency_ids = SelectMultipleField(_l("Agencies"), coerce=record_id, validate_choice=False)
