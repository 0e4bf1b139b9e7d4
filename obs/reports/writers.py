"""Report writers: Markdown, HTML, CSV, JSON and XLSX. Each returns text or bytes.

Choices:
- CSV is one file with the sections one after another: a title line ``# <id>: <title>``,
  the header row (snake_case column names), the rows, then an empty line. The report header
  comes first as a ``header`` section with ``field,value`` rows (values as the chosen
  language shows them, e.g. cultivar names).
- JSON is one document: ``kind``, ``title`` (zh/en), ``header`` (snake_case keys) and
  ``sections``, each with ``id``, ``title``, ``notes``, ``columns`` and ``rows`` (a list of
  objects); dates are ISO strings, missing values null, vocabulary codes kept as codes.
- CSV to a folder or a ``.zip`` (:func:`csv_files`) is one file per section instead:
  ``00_header.csv``, ``01_<id>.csv``, … each with the snake_case header row.
- XLSX: :mod:`obs.reports.xlsx` (sheets in the report language, typed cells, print setup).
- PDF: :mod:`obs.reports.pdf` (the A4-landscape forms).
- HTML is one self-contained file (inline CSS, no external references); a chart passed as
  SVG text is inlined. Its print CSS (``@page`` A4 landscape, header rows repeated, small
  table text, rows never split) makes a browser print the same pages as the PDF.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
from typing import Any

from obs.reports.labels import cell_text, is_missing
from obs.reports.model import Report, Section
from obs.reports.xlsx import to_xlsx
from schemas.messages import message
from schemas.terms import Lang

_EMPTY = {"zh": message("empty", "zh"), "en": message("empty", "en")}
__all__ = ["csv_files", "to_csv", "to_document", "to_html", "to_json", "to_markdown", "to_xlsx"]


def _rows(section: Section, lang: Lang, missing: str = "—") -> list[list[str]]:
    columns = [str(c) for c in section.frame.columns]
    return [
        [cell_text(c, v, lang, missing) for c, v in zip(columns, row, strict=True)]
        for row in section.frame.itertuples(index=False, name=None)
    ]


def _header_text(value: Any, lang: Lang) -> str:
    return cell_text("", value, lang) if not isinstance(value, str) else (value or "—")


# --- Markdown --------------------------------------------------------------------------------


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(report: Report, lang: Lang = "zh") -> str:
    """The report as Markdown: a title, the header as a list, one table per section."""
    lines = [f"# {report.title(lang)}", ""]
    lines += [f"- **{f.label(lang)}**: {_header_text(f.shown(lang), lang)}" for f in report.header]
    for section in report.sections:
        lines += ["", f"## {section.title(lang)}", ""]
        if section.frame.empty:
            lines.append(_EMPTY[lang])
        else:
            lines.append("| " + " | ".join(_md_cell(x) for x in section.labels(lang)) + " |")
            lines.append("|" + "---|" * len(section.frame.columns))
            lines += [
                "| " + " | ".join(_md_cell(x) for x in row) + " |" for row in _rows(section, lang)
            ]
        if section.notes(lang):
            lines.append("")
            lines += [f"> {note}" for note in section.notes(lang)]
    return "\n".join(lines) + "\n"


# --- HTML ------------------------------------------------------------------------------------

_CSS = """body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;
color:#222}table{border-collapse:collapse;margin:.5em 0 1em;font-size:.9em}
th,td{border:1px solid #bbb;padding:.2em .5em;text-align:right}th{background:#f0f0f0}
td:first-child,th:first-child{text-align:left}.notes{color:#555;font-size:.85em}
dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:bold}
figure{margin:1em 0}svg{max-width:100%;height:auto}
@page{size:A4 landscape;margin:12mm}
@media print{body{margin:0;font-size:9pt}table{font-size:7pt;width:100%;
page-break-inside:auto}thead{display:table-header-group}tr{page-break-inside:avoid}
th,td{padding:.1em .25em;white-space:nowrap}td.text{white-space:normal}
h2{page-break-after:avoid}figure{page-break-inside:avoid}svg{max-height:170mm}}"""


def to_html(report: Report, lang: Lang = "zh", chart_svg: str | None = None) -> str:
    """The report as one self-contained HTML page; ``chart_svg`` is inlined when given."""
    esc = html.escape
    parts = [
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}">',
        f'<head><meta charset="utf-8"><title>{esc(report.title(lang))}</title>'
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{esc(report.title(lang))}</h1><dl>",
    ]
    parts += [
        f"<dt>{esc(f.label(lang))}</dt><dd>{esc(_header_text(f.shown(lang), lang))}</dd>"
        for f in report.header
    ]
    parts.append("</dl>")
    if chart_svg:
        parts.append(f"<figure>{_inline_svg(chart_svg)}</figure>")
    for section in report.sections:
        parts.append(f'<h2 id="{esc(section.id)}">{esc(section.title(lang))}</h2>')
        parts.append(
            _html_table(section, lang) if not section.frame.empty else f"<p>{esc(_EMPTY[lang])}</p>"
        )
        parts += [f'<p class="notes">{esc(n)}</p>' for n in section.notes(lang)]
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _html_table(section: Section, lang: Lang) -> str:
    esc = html.escape
    head = "".join(f"<th>{esc(x)}</th>" for x in section.labels(lang))
    body = "".join(
        "<tr>" + "".join(f"<td>{esc(x)}</td>" for x in row) + "</tr>"
        for row in _rows(section, lang)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _inline_svg(svg: str) -> str:
    """The ``<svg>`` element of an SVG file (drops the XML prolog and DOCTYPE)."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else ""


# --- CSV and JSON ----------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A JSON/CSV-ready value: ISO dates, None for missing, Python scalars."""
    if is_missing(value):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


def to_csv(report: Report, lang: Lang = "zh") -> str:
    """All sections in one CSV text, each after a ``# id: title`` line (see module docs)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    buffer.write("# header\n")
    writer.writerow(["field", "value"])
    writer.writerows([f.key, _plain(f.shown(lang))] for f in report.header)
    for section in report.sections:
        buffer.write(f"\n# {section.id}: {section.title(lang)}\n")
        writer.writerow([str(c) for c in section.frame.columns])
        for row in section.frame.itertuples(index=False, name=None):
            writer.writerow(["" if _plain(v) is None else _plain(v) for v in row])
    return buffer.getvalue()


def csv_files(report: Report, lang: Lang = "zh") -> dict[str, str]:
    """One CSV text per section (file name -> text): ``00_header.csv``, ``01_<id>.csv``, …"""
    files: dict[str, str] = {}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["field", "value"])
    writer.writerows([f.key, _plain(f.shown(lang))] for f in report.header)
    files["00_header.csv"] = buffer.getvalue()
    for number, section in enumerate(report.sections, start=1):
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([str(c) for c in section.frame.columns])
        for row in section.frame.itertuples(index=False, name=None):
            writer.writerow(["" if _plain(v) is None else _plain(v) for v in row])
        files[f"{number:02d}_{section.id}.csv"] = buffer.getvalue()
    return files


def to_document(report: Report) -> dict[str, Any]:
    """The report as plain data (what :func:`to_json` serialises)."""
    return {
        "kind": report.kind,
        "title": {"zh": report.zh, "en": report.en},
        "header": {f.key: _plain(f.value) for f in report.header},
        "sections": [{
            "id": s.id, "title": {"zh": s.zh, "en": s.en},
            "notes": {"zh": list(s.notes_zh), "en": list(s.notes_en)},
            "columns": [str(c) for c in s.frame.columns],
            "rows": [{str(c): _plain(v) for c, v in zip(s.frame.columns, row, strict=True)}
                     for row in s.frame.itertuples(index=False, name=None)],
        } for s in report.sections],
    }  # fmt: skip


def to_json(report: Report) -> str:
    """The report as one JSON document (see module docs)."""
    return json.dumps(to_document(report), ensure_ascii=False, indent=2) + "\n"
