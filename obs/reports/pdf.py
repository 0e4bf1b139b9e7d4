"""Printable reports: the bureau's A4-landscape forms (农气表-1 / 农气表-3) as PDF, with fpdf2;
and text documents (the bloom-forecast bulletin) on A4 portrait with the same font, tables and
footer (:func:`document_pdf`).

Layout of every page: a page header (station, report title, period) and footer (page N of
M); the first page carries the form number and title, the station/plot/cultivar/year block
and, when given, the chart; then one table per section with its notes; the last block is the
signature block the forms carry (观测员 / 校对 / 预审 / 审核, each with a date line).

Tables never cut a column: widths are fitted to the longest value of dates, codes and numbers
(they never wrap; text columns wrap inside their cell); a table wider than the page is printed
at a smaller size, and one still too wide is split into column groups that each repeat the
row's identifying columns (plot, month, stage, …). A table longer than a page continues on the
next one with its header row repeated.

Chinese is set in Noto Sans CJK SC (:mod:`obs.reports.fonts`), embedded as a subset; the same
layout serves ``lang="en"``. Why fpdf2: it is pure Python on PyPI (fontTools and Pillow are
its only dependencies, both wheels), embeds and subsets OpenType/CFF collection fonts, and
has tables with repeated headings; ReportLab cannot embed CFF-outline (OTF/OTC) fonts such
as Noto CJK, and WeasyPrint needs system Pango/Cairo libraries.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from obs.errors import ObsError
from obs.reports.labels import MISSING_MARK, cell_text, is_missing
from obs.reports.model import Report, Section
from schemas.messages import message
from schemas.terms import Lang

if TYPE_CHECKING:
    from obs.forecast.document import Document

#: Page geometry [mm]: A4 landscape and the margins of the forms.
PAGE_W, PAGE_H, MARGIN = 297.0, 210.0, 12.0
BODY_W = PAGE_W - 2 * MARGIN
#: Margins of text documents (:func:`document_pdf`, A4 portrait, 170 mm of text) [mm].
TEXT_MARGIN = 20.0
#: Font sizes [pt] tried for a table before it is split into column groups.
TABLE_SIZES: tuple[float, ...] = (8.0, 7.0, 6.0)
#: Widest a wrapping text column is made [mm], and the cell padding [mm].
TEXT_COLUMN_MAX, CELL_PAD = 60.0, 1.2
#: Columns repeated in every column group of a split table (they name the row).
KEY_COLUMNS: tuple[str, ...] = (
    "plot", "month", "index", "element", "stage", "from_stage", "to_stage", "item", "date",
)  # fmt: skip
#: Columns whose values wrap inside the cell (free text); all others never wrap.
TEXT_COLUMNS = frozenset({
    "symptoms", "basis", "control", "method", "missing", "name", "organs", "changes", "reason",
    "value",
})  # fmt: skip
_FONT = "cjk"
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
#: Closing punctuation a line of running text never starts with.
_NO_LINE_START = "，。、；：？！）》」』】〕…%,.;:?!)]"


@dataclass(frozen=True)
class _Column:
    name: str
    label: str
    width: float
    align: str


def table_pdf(
    title: str,
    columns: Sequence[str],
    labels: Mapping[str, str],
    rows: Sequence[Sequence[str]],
    lang: Lang = "zh",
) -> bytes:
    """A listing (``obs list``, ``obs stages``) as a printable table: cells as shown text.

    Same page layout as the forms (header, footer with page N of M, repeated header rows,
    columns never cut), without the header block and the signatures.
    """
    import pandas as pd

    frame = pd.DataFrame([list(r) for r in rows], columns=list(columns), dtype=object)
    section = Section("table", title, title, frame)
    report = Report("table", title, title, (), (section,))
    return to_pdf(report, lang, labels=labels, signatures=False)


def document_pdf(document: Document) -> bytes:
    """A text document (headings, paragraphs, tables: :mod:`obs.forecast.document`, e.g. the
    bloom-forecast bulletin) as a PDF on A4 portrait.

    A published text is read down a sheet, as the bureau's notices (公文) are: portrait gives
    running text a readable line, and the text's tables are narrow. The
    level-1 heading is the title; the paragraphs before the first level-2 heading are the
    masthead (centred, over a rule); the running head (the title) starts on page 2. Tables
    are the forms' tables (widths fitted to their values, headers repeated); the footer is
    the forms' "page N of M". The same layout serves ``lang="en"``.
    """
    import pandas as pd
    from fpdf.enums import WrapMode

    from obs.forecast.document import Heading, Paragraph

    lang: Lang = "zh" if document.lang == "zh" else "en"
    wrap = WrapMode.CHAR if lang == "zh" else WrapMode.WORD
    title = next((b.text for b in document.blocks if isinstance(b, Heading) and b.level == 1), "")
    pdf = _new_pdf(
        title, lang, ("", title, ""), orientation="P", margin=TEXT_MARGIN, head_on_first_page=False
    )
    pdf.add_page()
    masthead = True
    for block in document.blocks:
        if isinstance(block, Heading) and block.level == 1:
            pdf.set_font(_FONT, size=20)
            pdf.cell(0, 12, block.text, align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif isinstance(block, Heading):
            if masthead:
                masthead = False
                pdf.set_draw_color(120)
                pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.w - pdf.r_margin, pdf.get_y() + 1)
                pdf.ln(4)
            if pdf.get_y() > pdf.h - 50:  # a heading is kept with what follows it
                pdf.add_page()
            pdf.ln(2)
            pdf.set_font(_FONT, size=13 if block.level == 2 else 11)
            pdf.cell(0, 8, block.text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif isinstance(block, Paragraph):
            pdf.set_font(_FONT, size=11 if masthead else 10.5)
            for line in _text_lines(pdf, block.text, wrap):
                pdf.cell(
                    0, 6.5, line, align="C" if masthead else "L", new_x="LMARGIN", new_y="NEXT"
                )
            pdf.ln(2)
        else:
            names = [f"c{i}" for i in range(len(block.header))]
            frame = pd.DataFrame([list(r) for r in block.rows], columns=names, dtype=object)
            section = Section("table", "", "", frame)
            labels = dict(zip(names, block.header, strict=True))
            for group in _column_groups(pdf, section, lang, labels, body=pdf.epw):
                _table(pdf, section, group, lang, wrap)
            pdf.ln(2)
    return _finished(pdf)


def _text_lines(pdf: Any, text: str, wrap: Any) -> list[str]:
    """``text`` broken into lines of the body width; a line never starts with closing
    punctuation (，。、）…): it hangs at the end of the line before (标点悬挂), as Chinese
    typesetting does."""
    lines: list[str] = pdf.multi_cell(0, 6.5, text, wrapmode=wrap, dry_run=True, output="LINES")
    for i in range(len(lines) - 1, 0, -1):
        body = lines[i].lstrip(_NO_LINE_START)
        if body != lines[i]:
            lines[i - 1] += lines[i][: len(lines[i]) - len(body)]
            lines[i] = body
    return [line for line in lines if line]


def to_pdf(
    report: Report,
    lang: Lang = "zh",
    chart_png: bytes | None = None,
    *,
    labels: Mapping[str, str] | None = None,
    signatures: bool = True,
) -> bytes:
    """The report as a PDF form (A4 landscape); ``chart_png`` is placed after the header block.

    ``labels`` replaces the report's column labels (listings); ``signatures`` adds the
    signature block. Raises ObsError when the bundled CJK font is missing (its message names
    the fix).
    """
    from fpdf.enums import WrapMode

    station = _field(report, "station")
    period = _field(report, "season") or _field(report, "year")
    title = report.title(lang)
    wrap = WrapMode.CHAR if lang == "zh" else WrapMode.WORD
    left = f"{message('pdf.station', lang)}: {station}" if station else ""
    right = f"{message('pdf.period', lang)}: {period}" if period else ""
    pdf = _new_pdf(title, lang, (left, title, right), orientation="L", margin=MARGIN)
    pdf.add_page()
    _title_block(pdf, report, lang)
    if report.header:
        _header_block(pdf, report, lang)
    if chart_png is not None:
        _chart(pdf, chart_png)
    for section in report.sections:
        _section(pdf, section, lang, wrap, labels)
    if signatures:
        _signatures(pdf, lang)
    return _finished(pdf)


def _new_pdf(
    title: str,
    lang: Lang,
    running_head: tuple[str, str, str],
    *,
    orientation: str,
    margin: float,
    head_on_first_page: bool = True,
) -> Any:
    """An A4 fpdf2 document in ``orientation`` ("L" forms, "P" texts) with the bundled CJK
    font embedded, the running head (left, centre, right) over a rule and the footer
    "page N of M". Raises ObsError when the font is missing (its message names the fix)."""
    from fpdf import FPDF

    from obs.reports.fonts import CJK_FACE_INDEX, cjk_font_path, missing_font_note

    font = cjk_font_path()
    if font is None:
        raise ObsError(missing_font_note("en"), hint=message("fix.cjk_font", "en"))

    class Page(FPDF):  # type: ignore[misc]
        def header(self) -> None:
            if self.page_no() == 1 and not head_on_first_page:
                return
            self.set_font(_FONT, size=8)
            self.set_text_color(90)
            third = self.epw / 3
            for text, align in zip(running_head, ("L", "C", "R"), strict=True):
                self.cell(third, 5, text, align=align)
            self.ln(5)
            self.set_draw_color(150)
            self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
            self.ln(2)
            self.set_text_color(0)

        def footer(self) -> None:
            self.set_y(-10)
            self.set_font(_FONT, size=8)
            self.set_text_color(90)
            text = message("pdf.page", lang, page=self.page_no(), pages="{nb}")
            self.cell(0, 5, text, align="C")
            self.set_text_color(0)

    pdf = Page(orientation=orientation, unit="mm", format="A4")
    pdf.set_margins(margin, margin, margin)
    pdf.set_auto_page_break(True, margin=14)
    pdf.set_creator("obs")
    pdf.set_title(title)
    pdf.set_lang("zh-CN" if lang == "zh" else "en")
    pdf.set_creation_date(dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    pdf.add_font(_FONT, "", str(font), collection_font_number=CJK_FACE_INDEX)
    # the subset keeps the whole font's bounding boxes: recomputing them from every glyph
    # outline on save took half of the PDF's time (fontTools' recalcBBoxes)
    pdf.fonts[_FONT].ttfont.recalcBBoxes = False  # type: ignore[union-attr]
    return pdf


def _finished(pdf: Any) -> bytes:
    """The document's bytes; the font file fontTools keeps open for lazy reads is closed."""
    try:
        return bytes(pdf.output())
    finally:
        pdf.fonts[_FONT].ttfont.close()


def _field(report: Report, key: str) -> str:
    for f in report.header:
        if f.key == key:
            return str(f.value)
    return ""


def _title_block(pdf: Any, report: Report, lang: Lang) -> None:
    form = message("pdf.form_year", lang) if report.kind == "year" else ""
    pdf.set_font(_FONT, size=16)
    pdf.cell(0, 9, report.title(lang), align="C", new_x="LMARGIN", new_y="NEXT")
    if form:
        pdf.set_font(_FONT, size=9)
        pdf.cell(0, 5, form, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _header_block(pdf: Any, report: Report, lang: Lang) -> None:
    """Station, plots, cultivars, year/season, observers and plants: label/value pairs."""
    from fpdf.fonts import FontFace

    pairs = [(f.label(lang), cell_text("", f.shown(lang), lang)) for f in report.header]
    per_row = 3
    pdf.set_font(_FONT, size=9)
    grey = FontFace(fill_color=(235, 235, 235))
    with pdf.table(
        col_widths=(22, 69) * per_row,
        width=BODY_W,
        first_row_as_headings=False,
        line_height=6,
        text_align="LEFT",
    ) as table:
        for start in range(0, len(pairs), per_row):
            row = table.row()
            chunk = pairs[start : start + per_row]
            for label, value in chunk + [("", "")] * (per_row - len(chunk)):
                row.cell(label, style=grey)
                row.cell(value)
    pdf.ln(3)


def _chart(pdf: Any, png: bytes) -> None:
    """The chart, centred, at most 150 mm high: on this page when at least 110 mm are left."""
    import io

    room = PAGE_H - 16 - pdf.get_y()
    if room < 110:
        pdf.add_page()
        room = PAGE_H - 16 - pdf.get_y()
    height = min(150.0, room)
    pdf.image(io.BytesIO(png), x=MARGIN + (BODY_W - height * 11 / 8) / 2, h=height)
    pdf.ln(3)


def _section(
    pdf: Any, section: Section, lang: Lang, wrap: Any, labels: Mapping[str, str] | None
) -> None:
    if pdf.get_y() > PAGE_H - 45:
        pdf.add_page()
    if section.id != "table":  # a listing's title is the page's title already
        pdf.set_font(_FONT, size=11)
        pdf.cell(0, 7, section.title(lang), new_x="LMARGIN", new_y="NEXT")
    if section.frame.empty:
        pdf.set_font(_FONT, size=9)
        pdf.cell(0, 6, message("empty", lang), new_x="LMARGIN", new_y="NEXT")
    else:
        for group in _column_groups(pdf, section, lang, labels):
            _table(pdf, section, group, lang, wrap)
    notes = section.notes(lang)
    if notes:
        pdf.set_font(_FONT, size=7.5)
        pdf.set_text_color(70)
        for note in notes:
            pdf.multi_cell(0, 4, note, wrapmode=wrap, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0)
    pdf.ln(3)


def _texts(section: Section, lang: Lang) -> dict[str, list[str]]:
    frame = section.frame
    return {str(c): [cell_text(str(c), v, lang) for v in frame[c].tolist()] for c in frame.columns}


def _numeric(values: Sequence[Any]) -> bool:
    import numbers

    present = [v for v in values if not is_missing(v)]
    return bool(present) and all(
        isinstance(v, numbers.Real) and not isinstance(v, bool) for v in present
    )


def _column_groups(
    pdf: Any,
    section: Section,
    lang: Lang,
    custom: Mapping[str, str] | None = None,
    body: float = BODY_W,
) -> list[tuple[float, list[_Column]]]:
    """(font size, columns) of each printed table: one group when the table fits the
    ``body`` width [mm] (the forms' by default)."""
    texts = _texts(section, lang)
    labels = dict(zip(map(str, section.frame.columns), section.labels(lang), strict=True))
    labels.update({c: custom.get(c, labels[c]) for c in labels} if custom else {})
    numeric = {c: _numeric(section.frame[c].tolist()) or _numeric_texts(texts[c]) for c in texts}
    for size in TABLE_SIZES:
        pdf.set_font(_FONT, size=size)
        columns = [_measure(pdf, c, labels[c], texts[c], numeric[c]) for c in texts]
        if sum(c.width for c in columns) <= body:
            return [(size, _stretched(columns, body))]
    keys = [c for c in columns if c.name in KEY_COLUMNS][:3]
    rest = [c for c in columns if c not in keys]
    groups: list[list[_Column]] = []
    room = body - sum(c.width for c in keys)
    current: list[_Column] = []
    for col in rest:
        if current and sum(c.width for c in current) + col.width > room:
            groups.append(current)
            current = []
        current.append(col)
    groups.append(current)
    return [(TABLE_SIZES[-1], _stretched(keys + group, body)) for group in groups]


def _numeric_texts(values: Sequence[str]) -> bool:
    """Cells given as text that all read as numbers (listings): right-aligned."""
    present = [v for v in values if v not in ("", MISSING_MARK)]
    try:
        [float(v) for v in present]
    except ValueError:
        return False
    return bool(present)


def _measure(pdf: Any, name: str, label: str, values: list[str], numeric: bool) -> _Column:
    """The width a column needs: its widest value unwrapped; the label may take three lines."""
    pad = 2 * CELL_PAD + 2 * pdf.c_margin  # the table's padding and fpdf2's own cell margin
    content = max((pdf.get_string_width(v) for v in values), default=0.0) + pad
    words = label.split() if " " in label else [label]
    head_min = max(pdf.get_string_width(w) for w in words) + pad
    if _CJK.search(label) and " " not in label:  # wraps between characters: three lines
        head_min = pdf.get_string_width(label) / 3 + pad
    if name in TEXT_COLUMNS:
        content = min(content, TEXT_COLUMN_MAX)
    width = max(content, head_min, 8.0)
    return _Column(name, label, width, "RIGHT" if numeric else "LEFT")


def _stretched(columns: list[_Column], body: float = BODY_W) -> list[_Column]:
    """Columns widened in proportion to fill the ``body`` width when they leave room (a form
    fills its page), but never wider than twice what they need."""
    total = sum(c.width for c in columns)
    factor = min(body / total, 2.0) if total else 1.0
    return [_Column(c.name, c.label, c.width * factor, c.align) for c in columns]


def _table(
    pdf: Any, section: Section, group: tuple[float, list[_Column]], lang: Lang, wrap: Any
) -> None:
    from fpdf.fonts import FontFace

    size, columns = group
    texts = _texts(section, lang)
    pdf.set_font(_FONT, size=size)
    with pdf.table(
        col_widths=[c.width for c in columns],
        width=min(sum(c.width for c in columns), pdf.epw),  # not over by a rounding error
        align="LEFT",
        text_align=[c.align for c in columns],
        headings_style=FontFace(emphasis="", fill_color=(225, 225, 225)),
        line_height=size * 0.55,
        padding=CELL_PAD / 2,
        repeat_headings=1,
        wrapmode=wrap,
    ) as table:
        head = table.row()
        for col in columns:
            head.cell(col.label, align="CENTER")
        for i in range(len(section.frame)):
            row = table.row()
            for col in columns:
                row.cell(texts[col.name][i])
    pdf.ln(2)


def _signatures(pdf: Any, lang: Lang) -> None:
    """观测员 / 校对 / 预审 / 审核, each with room to sign and a date line, kept on one page."""
    from fpdf.fonts import FontFace

    if pdf.get_y() > PAGE_H - 50:
        pdf.add_page()
    pdf.ln(4)
    pdf.set_font(_FONT, size=11)
    pdf.cell(0, 7, message("pdf.signatures", lang), new_x="LMARGIN", new_y="NEXT")
    roles = ("pdf.sign_observer", "pdf.sign_checker", "pdf.sign_prereview", "pdf.sign_reviewer")
    date_line = (
        f"{message('pdf.sign_date', lang)}：      年     月     日"
        if lang == "zh"
        else f"{message('pdf.sign_date', lang)}: ____-__-__"
    )
    pdf.set_font(_FONT, size=9)
    with pdf.table(
        width=BODY_W,
        headings_style=FontFace(emphasis="", fill_color=(225, 225, 225)),
        line_height=6,
        text_align="LEFT",
    ) as table:
        head = table.row()
        for key in roles:
            head.cell(message(key, lang), align="CENTER")
        table.row(["\n\n"] * 4)
        table.row([date_line] * 4)
