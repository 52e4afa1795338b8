"""Named points in time for freezegun, so tests speak of moments, not raw dates."""

from datetime import date

# The demo data is seeded as if on this day: after every seeded document was issued.
SEEDED_ON = date(2025, 3, 31)
