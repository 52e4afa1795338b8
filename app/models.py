"""Import every model so metadata and mappers are complete wherever the app starts."""

from app.agencies.models import Agency, AgencyAlias, AgencyKind
from app.audit import AuditEntry
from app.auth.models import Role, User
from app.directives.models import Directive, DirectiveKind, Section
from app.notifications.models import MailOutbox, MailState, Notification
from app.ops.models import SchedulerHeartbeat
from app.reminders.models import ReminderLog
from app.reports.models import ReportKind, ReportSnapshot, ReportTemplate
from app.tasks.models import (
    CalendarDay,
    DeadlineExtension,
    ExtensionState,
    ProgressUpdate,
    ReviewState,
    Status,
    Task,
    UpdateKind,
)

__all__ = [
    "Agency",
    "AgencyAlias",
    "AgencyKind",
    "AuditEntry",
    "CalendarDay",
    "DeadlineExtension",
    "ExtensionState",
    "MailOutbox",
    "MailState",
    "Notification",
    "ReminderLog",
    "ReviewState",
    "UpdateKind",
    "Directive",
    "DirectiveKind",
    "ProgressUpdate",
    "ReportKind",
    "ReportSnapshot",
    "ReportTemplate",
    "SchedulerHeartbeat",
    "Role",
    "Section",
    "Status",
    "Task",
    "User",
]
