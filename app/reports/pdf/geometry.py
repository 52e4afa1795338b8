"""The pages of the PDF documents: size and margins."""

from __future__ import annotations

from typing import Final

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from app.reports.layout import Geometry

# The appendix and the overdue list: landscape A4.
LANDSCAPE: Final = Geometry(landscape(A4), top=20 * mm, bottom=15 * mm, left=20 * mm, right=15 * mm)
# The cover letter: portrait A4 with the margins of Decree 30/2020/NĐ-CP.
PORTRAIT: Final = Geometry(A4, top=20 * mm, bottom=20 * mm, left=30 * mm, right=15 * mm)
