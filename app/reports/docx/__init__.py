"""The appendix (Phụ lục) and the cover letter (Công văn) as Word documents.

python-docx supplies the package (styles, section, header/footer parts, core properties:
`package`); the body is written as WordprocessingML text (`wordml`) and the document part
parsed once with it (`package.save`): python-docx's cell objects cost more per row the longer
the table (each lookup walks the grid), and a thousand tasks with their paragraphs, merges and
run formatting take 0.5 s this way. Every string goes through `wordml.clean` (NFC, characters
XML cannot hold dropped) and is escaped there.

Same input, same bytes: core properties come from `built_at` (left out when it is None), the
revision is fixed and the zip entries are rewritten with one fixed timestamp (`stable_zip`).
"""

from app.reports.docx.appendix import appendix_docx
from app.reports.docx.letter import cover_letter_docx
from app.reports.docx.package import stable_zip, utc_naive

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

__all__ = ["DOCX_MIMETYPE", "appendix_docx", "cover_letter_docx", "stable_zip", "utc_naive"]
