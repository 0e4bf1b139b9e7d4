"""Clerk-ready XLSX workbooks of reports and listings (openpyxl).

Conventions of every sheet:

- sheet names in the report language (the section titles: 花期进程, 逐月气象条件, …; the
  report header is the sheet 表头 / Header), unique and at most 31 characters;
- row 1 holds the column labels, bold, frozen, and repeated on every printed page;
- column widths fitted to the content (a CJK character counts two);
- number formats by column: ``0`` for counts and whole percentages, ``0.0`` for
  temperatures, totals and other measured values, ``yyyy-mm-dd`` for dates (real dates);
- 是/否 (Yes/No) instead of TRUE/FALSE; vocabulary codes shown by their label;
- indicator names (``index``) in the report language, their codes in a column of their own;
- missing values are empty cells, and the notes below the table say so in those words;
- print setup A4 landscape, one page wide.

A report's chart, when given as PNG, is embedded in a sheet of its own.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence
from typing import Any

from obs.reports.labels import (
    CODE_COLUMNS,
    DECIMALS,
    cell_text,
    column_label,
    is_missing,
)
from obs.reports.model import Report, Section
from schemas.messages import message
from schemas.terms import Lang

#: Columns of whole numbers (``0``); other numeric columns get ``0.0``.
COUNT_COLUMNS = frozenset({
    "n_days", "days_present", "rain_days", "frost_days", "hot_days", "dry_spell_days",
    "n_plants", "plants", "n", "n_years", "duration_days", "anomaly_days", "hours_missing",
    "planting_year", "season", "id", "record_id", "version", "count", "flag", "qc",
})  # fmt: skip
DATE_FORMAT = "yyyy-mm-dd"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
#: Code columns whose codes get a column of their own next to their names.
SPLIT_CODE_COLUMNS = frozenset({"index"})


def to_xlsx(report: Report, lang: Lang = "zh", chart_png: bytes | None = None) -> bytes:
    """The report as a workbook: the header sheet, one sheet per section, then the chart."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    names: set[str] = set()
    sheet = book.active
    sheet.title = _sheet_name(message("xlsx.header", lang), names)
    sheet.append([report.title(lang)])
    sheet["A1"].font = Font(bold=True, size=14)
    for f in report.header:
        sheet.append([f.label(lang), _header_value(f.shown(lang), lang)])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    _fit_widths(sheet)
    _print_setup(sheet, repeat_header=False)
    for section in report.sections:
        ws = book.create_sheet(_sheet_name(section.title(lang), names))
        columns, labels, rows = _section_table(section, lang)
        write_table(ws, columns, labels, rows, lang, notes=section.notes(lang))
    if chart_png is not None:
        from openpyxl.drawing.image import Image

        ws = book.create_sheet(_sheet_name(message("pdf.chart", lang), names))
        image = Image(io.BytesIO(chart_png))
        image.anchor = "A1"
        ws.add_image(image)
        _print_setup(ws, repeat_header=False)
    return _saved(book)


def table_xlsx(
    title: str,
    columns: Sequence[str],
    labels: Mapping[str, str],
    rows: Sequence[Mapping[str, Any]],
    lang: Lang = "zh",
) -> bytes:
    """A listing (``obs list KIND --format xlsx``) as a one-sheet workbook, same conventions."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = _sheet_name(title, set())
    values = [[row.get(c) for c in columns] for row in rows]
    write_table(ws, list(columns), [labels.get(c, column_label(c, lang)) for c in columns],
                values, lang)  # fmt: skip
    return _saved(book)


def write_table(
    ws: Any,
    columns: list[str],
    labels: list[str],
    rows: list[list[Any]],
    lang: Lang,
    *,
    notes: Sequence[str] = (),
) -> None:
    """Header row, typed cells with their number formats, notes, widths and print setup."""
    from openpyxl.styles import Alignment, Font

    ws.append(labels)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    empty = False
    for values in rows:
        cells = [_cell(c, v, lang) for c, v in zip(columns, values, strict=True)]
        empty = empty or any(v is None for v in cells)
        ws.append(cells)
    for index, column in enumerate(columns, start=1):
        fmt = _number_format(column, [r[index - 1] for r in rows])
        if fmt is None:
            continue
        for (cell,) in ws.iter_rows(min_row=2, max_row=len(rows) + 1, min_col=index,
                                    max_col=index):  # fmt: skip
            cell.number_format = fmt
    ws.freeze_panes = "A2"
    _fit_widths(ws)
    texts = [xlsx_note(n, lang) for n in notes]
    if empty and not any(message("xlsx.blank", lang) in t for t in texts):
        texts.append(message("xlsx.empty_cells", lang, text=message("xlsx.empty_means", lang)))
    if texts:
        ws.append([])
        for text in texts:
            ws.append([text])
    _print_setup(ws, repeat_header=True)


def xlsx_note(note: str, lang: Lang) -> str:
    """A note as the sheet says it: the printed missing mark “—” is an empty cell here."""
    return note.replace("“—”", message("xlsx.blank_quoted", lang))


def _section_table(section: Section, lang: Lang) -> tuple[list[str], list[str], list[list[Any]]]:
    """Columns, labels and raw rows; split code columns get a code column after them."""
    columns: list[str] = []
    labels: list[str] = []
    for name in map(str, section.frame.columns):
        columns.append(name)
        labels.append(column_label(name, lang))
        if name in SPLIT_CODE_COLUMNS:
            columns.append(f"{name}:code")
            labels.append(message("xlsx.code", lang))
    rows = []
    for record in section.frame.itertuples(index=False, name=None):
        values: list[Any] = []
        for name, value in zip(map(str, section.frame.columns), record, strict=True):
            values.append(value)
            if name in SPLIT_CODE_COLUMNS:
                values.append(None if is_missing(value) else str(value))
        rows.append(values)
    return columns, labels, rows


def _cell(column: str, value: Any, lang: Lang) -> Any:
    """A cell value: dates and numbers as such, 是/否, codes by label, None when missing."""
    if is_missing(value):
        return None
    if column.endswith(":code"):
        return value
    if isinstance(value, bool):
        return message("yes" if value else "no", lang)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, int | float):
        return value
    if column in CODE_COLUMNS or column in SPLIT_CODE_COLUMNS or column in ("source", "unit"):
        return cell_text(column, value, lang, "")
    return str(value)


def _number_format(column: str, values: list[Any]) -> str | None:
    present = [v for v in values if not is_missing(v)]
    if not present:
        return None
    if all(isinstance(v, dt.datetime) for v in present):
        return "yyyy-mm-dd hh:mm:ss"
    if all(isinstance(v, dt.date) for v in present):
        return DATE_FORMAT
    numeric = [v for v in present if not isinstance(v, bool) and isinstance(_plain(v), int | float)]
    if not numeric or len(numeric) != len(present):
        return None
    if column in COUNT_COLUMNS or DECIMALS.get(column) == 0:
        return "0"
    if all(isinstance(_plain(v), int) for v in numeric) and column not in DECIMALS:
        return "0"
    return "0.0"


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def _header_value(value: Any, lang: Lang) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return cell_text("", value, lang, "")


def _display_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 19
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, float):
        return len(f"{value:.1f}")
    text = str(value)
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _fit_widths(ws: Any) -> None:
    """Each column as wide as its widest cell (notes below the table excluded), 6 to 60."""
    from openpyxl.utils import get_column_letter

    widths: dict[int, int] = {}
    for row in ws.iter_rows():
        filled = [c for c in row if c.value is not None]
        if len(filled) == 1 and filled[0].column == 1 and ws.max_column > 1 and row[0].row > 1:
            continue  # a note line spills over the empty cells beside it
        for cell in filled:
            widths[cell.column] = max(widths.get(cell.column, 0), _display_width(cell.value))
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = max(6, min(width + 2, 60))


def _print_setup(ws: Any, *, repeat_header: bool) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if repeat_header:
        ws.print_title_rows = "1:1"


def _sheet_name(title: str, used: set[str]) -> str:
    """A valid, unique sheet name: no ``[]:*?/\\``, at most 31 characters."""
    base = _BAD_SHEET_CHARS.sub("", title).strip()[:31] or "Sheet"
    name, n = base, 2
    while name in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name)
    return name


def _saved(book: Any) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
