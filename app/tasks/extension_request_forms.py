"""HTML forms of deadline extensions: the request and the leader's decision."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, TextAreaField
from wtforms.validators import Optional

from app.forms import BaseForm


class ExtensionRequestForm(BaseForm):
    """The lead agency's request: the new due date and why (the service checks both)."""

    requested_due = DateField(_l("Requested due date"), validators=[Optional()])
    reason = TextAreaField(_l("Reason for the extension"), validators=[Optional()])


class DecisionForm(BaseForm):
    """A leader's decision note: optional to approve, the reason when refusing."""

    note = TextAreaField(_l("Note"), validators=[Optional()])
