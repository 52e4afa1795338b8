"""Named moments of the reminder tests: one task due on Wednesday 17/03/2027 (no holiday near)."""

from datetime import date

DUE = date(2027, 3, 17)
UPCOMING_7 = date(2027, 3, 8)  # Monday, 7 working days before
UPCOMING_3 = date(2027, 3, 12)  # Friday
UPCOMING_1 = date(2027, 3, 16)
WEEKEND = date(2027, 3, 13)  # Saturday: nothing is sent on a day off
DUE_TODAY = DUE
OVERDUE = date(2027, 3, 18)  # the first working day after the due date
OVERDUE_WEEK_2 = date(2027, 3, 25)
ESCALATION = date(2027, 3, 31)  # 10 working days overdue
EXTENDED_DUE = date(2027, 3, 26)  # the other agency's extension


def moment(day: date) -> str:
    """07:30 in the province (UTC+7): when the job runs."""
    return f"{day.isoformat()} 00:30:00"
