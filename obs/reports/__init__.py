"""Season and year reports (§9.2–9.4): data first, then writers for each file format.

``season_report`` and ``year_report`` read the database once (:func:`obs.reports.reads.load`)
and build a :class:`Report` (header fields and ordered sections of pandas frames) with section
builders that are pure functions of what was read; the writers in :mod:`obs.reports.writers`
turn a report into Markdown, HTML, CSV, JSON or XLSX, and :mod:`obs.reports.pdf` into the
printable PDF forms.
"""

from obs.reports.model import HeaderField, Report, Section
from obs.reports.season import season_report
from obs.reports.writers import (
    csv_files,
    to_csv,
    to_document,
    to_html,
    to_json,
    to_markdown,
    to_xlsx,
)
from obs.reports.year import year_report

__all__ = [
    "HeaderField",
    "Report",
    "Section",
    "csv_files",
    "season_report",
    "to_csv",
    "to_document",
    "to_html",
    "to_json",
    "to_markdown",
    "to_xlsx",
    "year_report",
]
