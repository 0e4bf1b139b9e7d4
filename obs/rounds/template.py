"""Blank field sheets for a round (``obs template``): the columns ``obs import observations``
reads, headed ``<中文名> [<field>]``, one row per live plant (per-plant kinds) or one row for
the plot (per-plot kinds), the tag or plot and the date prefilled. CSV sheets carry an example
as a comment row (``#`` in the first cell, skipped on import); XLSX sheets a second sheet
``#示例 example`` (sheets named ``#…`` are skipped on import).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

from sqlmodel import Session

from obs.errors import ObsError
from obs.rounds.plan import live_plants, plot_named
from schemas.kinds import KINDS, Kind
from schemas.rounds_text import say
from schemas.terms import Lang

#: The kinds a sheet can be written for (recorded per plant or per plot).
TEMPLATE_KINDS: tuple[str, ...] = (
    "phenology",
    "growth",
    "yield",
    "status",
    "pest",
    "disaster",
    "fieldwork",
)
#: The sheet column naming the plot of a per-plant sheet (checked on import).
PLOT_COLUMN = "plot"
#: An example value per field type or field, for the example row.
_EXAMPLES: dict[str, str] = {
    "date": "2024-12-20",
    "time": "14:30",
    "float": "12.5",
    "int": "3",
    "bool": "true",
    "text": "",
    "observer": "王芳",
    "note": "示例，请勿导入",
    "flowers_open": "30",
    "buds_unopened": "12",
    "flowers_withered": "2",
    "percent": "",
    "stage_code": "FLS",
}


def template_kind(name: str, *, lang: Lang = "zh") -> Kind:
    """The kind of a template (ObsError for station, plant, weather …)."""
    if name not in TEMPLATE_KINDS:
        raise ObsError(
            say("template_kind", lang, kind=name),
            hint=say("template_kind_hint", lang, kinds=", ".join(TEMPLATE_KINDS)),
        )
    return KINDS[name]


def header(kind: Kind, name: str) -> str:
    """The sheet header of field ``name``: its Chinese label and its field name."""
    if name == PLOT_COLUMN and kind.scope == "plant":
        return f"观测地段 [{PLOT_COLUMN}]"
    return f"{kind.field(name).zh} [{name}]"


def columns_of(kind: Kind) -> list[str]:
    """The field names of a sheet, in order (a per-plant sheet leads with its plot)."""
    names = [s.name for s in kind.fields]
    return [PLOT_COLUMN, *names] if kind.scope == "plant" else names


def template_rows(
    session: Session, kind_name: str, plot: str, day: dt.date | None, *, lang: Lang = "zh"
) -> tuple[Kind, list[dict[str, Any]]]:
    """The kind and the prefilled rows of a blank sheet for ``plot``."""
    kind = template_kind(kind_name, lang=lang)
    row = plot_named(session, plot, lang=lang)
    dated = {kind.date_field: day.isoformat()} if day is not None else {}
    if kind.scope == "plant":
        plants = live_plants(session, [row.id])
        if not plants:
            raise ObsError(
                say("no_plants", lang, plot=row.code),
                hint=say("no_plants_hint", lang, plot=row.code),
            )
        return kind, [{PLOT_COLUMN: row.code, "plant": p.tag, **dated} for p in plants]
    return kind, [{"plot": row.code, **dated}]


def example_row(kind: Kind, plot: str) -> dict[str, str]:
    """A filled-in example row (codes from each field's vocabulary)."""
    from schemas.vocab_index import VOCABULARIES

    out: dict[str, str] = {PLOT_COLUMN: plot, "plant": "A-01"}
    for spec in kind.fields:
        if spec.name in out:
            continue
        if spec.name in _EXAMPLES:
            out[spec.name] = _EXAMPLES[spec.name]
        elif spec.vocab is not None:
            terms = [t for t in VOCABULARIES[spec.vocab] if getattr(t, "observed", True)]
            out[spec.name] = terms[0].code if terms else ""
        else:
            out[spec.name] = _EXAMPLES.get(spec.name, _EXAMPLES.get(spec.type, ""))
    return out


def write_template(
    path: Path, kind: Kind, rows: list[dict[str, Any]], fmt: str, *, plot: str
) -> None:
    """Write the sheet as CSV (UTF-8 with BOM, for spreadsheet programs) or XLSX."""
    names = columns_of(kind)
    headers = [header(kind, n) for n in names]
    example = example_row(kind, plot)
    try:
        if fmt == "xlsx":
            _write_xlsx(path, kind, names, headers, rows, example)
        else:
            path.write_text(_csv_text(names, headers, rows, example), encoding="utf-8-sig")
    except OSError as err:
        raise ObsError(
            f"cannot write {path}: {err.strerror}", hint="choose a writable path"
        ) from None


def _csv_text(
    names: list[str], headers: list[str], rows: list[dict[str, Any]], example: dict[str, str]
) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    commented = [example.get(n, "") for n in names]
    commented[0] = "# " + commented[0]
    writer.writerow(commented)
    writer.writerows([[row.get(n, "") for n in names] for row in rows])
    return buffer.getvalue()


def _write_xlsx(
    path: Path,
    kind: Kind,
    names: list[str],
    headers: list[str],
    rows: list[dict[str, Any]],
    example: dict[str, str],
) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = kind.name
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(n, "") for n in names])
    sample = book.create_sheet("#示例 example")
    sample.append(headers)
    sample.append([example.get(n, "") for n in names])
    book.save(path)
