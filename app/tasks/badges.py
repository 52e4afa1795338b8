"""The Bootstrap badge of a task's status and standing: the pages' colours for them."""

from __future__ import annotations

from app.tasks.models import Status
from app.tasks.standing import Standing

STATUS_BADGES = {
    Status.IN_PROGRESS: "text-bg-warning",
    Status.PARTIAL: "text-bg-info",
    Status.COMPLETED: "text-bg-success",
}

STANDING_BADGES = {
    Standing.DONE_ON_TIME: "text-bg-success",
    Standing.DONE_LATE: "text-bg-secondary",
    Standing.ON_TRACK: "text-bg-primary",
    Standing.OVERDUE: "text-bg-danger",
    Standing.NO_DEADLINE: "text-bg-light border",
}
