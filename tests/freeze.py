"""Named points in time for freezegun, so tests speak of moments, not raw dates."""

from datetime import date

# The demo data is seeded as if on this day: after every seeded document was issued.
SEEDED_ON = date(2025, 3, 31)

# The dashboard's day (a Monday), with tasks due on both sides of it; 10:00 in the province.
DASHBOARD_DAY = date(2024, 7, 15)
DASHBOARD_MOMENT = "2024-07-15 03:00:00"  # UTC

# The seeded Quarter I/2023 report (seed 001) was filed on this day, after the period's
# Decree 09 cut-off (15/12/2022 → 14/03/2023); 10:00 in the province.
REPORT_DAY = date(2023, 3, 20)
REPORT_MOMENT = "2023-03-20 03:00:00"  # UTC

# A fortnight after the seeded notice's first task (Sở TT&TT, due "trong tháng 02 năm 2024")
# fell due; 16:00 in the province.
NOTICE_TASK_OVERDUE = "2024-03-15 09:00:00"  # UTC
