"""The PDF writers: the progress appendix (Phụ lục), the cover letter (Công văn) and the
overdue list, each laid out with the engine of app/reports/layout/."""

from app.reports.layout import register_fonts
from app.reports.pdf.appendix import appendix_pdf
from app.reports.pdf.letter import cover_letter_pdf
from app.reports.pdf.overdue import overdue_pdf

__all__ = ["appendix_pdf", "cover_letter_pdf", "overdue_pdf", "register_fonts"]
