"""``obs import observations``: field sheets of any observation kind, row by row.

The kind of a table comes from ``kind`` (``--kind``), else from a ``kind`` column (per row),
else from the XLSX sheet name (an XLSX with one sheet per kind imports every sheet). Each row
goes through :func:`obs.records.create` (``style="column"``), so it is validated exactly like
an entry at the command line. A refused row goes to the reject file with its reason; a row
whose record is stored already with the same values is *unchanged* (re-importing a sheet stores
nothing new); one whose key is stored with other values is refused (correct it with ``obs
amend``). Rows are committed in blocks; phenology and daily weather are checked by QC after.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from sqlmodel import Session, col, select

from obs.errors import DuplicateError, InputFormatError, NotFoundError, ObsError
from obs.importing.common import ImportSummary, RejectWriter, commit_batch, file_sha256, start_batch
from obs.importing.options import ProgressFn
from obs.importing.sheets import (
    KIND_COLUMN_ALIASES,
    Sheet,
    field_aliases,
    kind_named,
    open_sheets,
    sheet_rows,
)
from obs.ingest import normalize_header
from obs.lookup import TABLES, resolve_ref
from obs.records import history as H
from obs.records.create import create
from obs.records.entry import coerce
from obs.records.parse import today_bt
from obs.validate import check_daily_range, check_phenology
from schemas import tables as T
from schemas.kinds import KINDS, RECORD_KINDS, Kind
from schemas.qc import ERROR, SUSPECT

#: Rows committed together.
COMMIT_ROWS = 500


@dataclass(frozen=True)
class ObservationImportOptions:
    """How to read a field-sheet file (the options of ``obs import observations``)."""

    kind: str | None = None
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    reject_path: Path | None = None
    actor: str = ""


def _layout(sheet: Sheet, kind: Kind | None) -> tuple[Kind | None, int | None]:
    """The sheet's kind (None: given per row) and the index of its kind column."""
    kind_keys = {_header_key(a) for a in KIND_COLUMN_ALIASES}
    kind_col = next((i for i, h in enumerate(sheet.headers) if _header_key(h) in kind_keys), None)
    if kind is None and kind_col is None:
        kind = kind_named(sheet.name) or kind_from_headers(sheet.headers)
    if kind is None and kind_col is None:
        raise InputFormatError(
            f"{sheet.path.name}: cannot tell the record kind of {sheet.name!r}",
            hint="give --kind, add a 'kind' column, or name the sheet after "
            "the kind (e.g. phenology / 发育期观测)",
        )
    return kind, kind_col


def kind_from_headers(headers: tuple[str, ...]) -> Kind | None:
    """The one observation kind whose required fields all have a column, preferring the kind
    that uses the most columns; None when no kind, or two equally good ones, fit."""
    keys = {_header_key(h) for h in headers}
    fits: list[tuple[int, Kind]] = []
    for name in RECORD_KINDS:
        aliases = field_aliases(KINDS[name])
        named = {aliases[k] for k in keys if k in aliases}
        if all(s.name in named for s in KINDS[name].fields if s.required):
            fits.append((len(named), KINDS[name]))
    fits.sort(key=lambda fit: -fit[0])
    if not fits or (len(fits) > 1 and fits[0][0] == fits[1][0]):
        return None
    return fits[0][1]


def _header_key(text: str) -> str:
    return normalize_header(text)[0]


def _columns(sheet: Sheet, kind: Kind) -> dict[int, str]:
    aliases = field_aliases(kind)
    found = {
        i: aliases[_header_key(h)] for i, h in enumerate(sheet.headers) if _header_key(h) in aliases
    }
    named = [(sheet.headers[i], field) for i, field in found.items()]
    for field in {f for _, f in named if [g for _, g in named].count(f) > 1}:
        raise InputFormatError(  # as obs import weather: never silently use one of them
            f"{sheet.path.name} ({sheet.name}): columns "
            f"{', '.join(repr(h) for h, f in named if f == field)} all name the field {field}",
            hint="keep one of them, or rename the others",
        )
    missing = [s.name for s in kind.fields if s.required and s.name not in found.values()]
    if missing:
        raise InputFormatError(
            f"{sheet.path.name} ({sheet.name}): no column for {', '.join(missing)} of {kind.name}",
            hint="the columns of a kind are its field names; see docs/import.md",
        )
    return found


def _observation_kind(name: str) -> Kind:
    kind = kind_named(name)
    if kind is None or kind.name not in RECORD_KINDS:
        raise NotFoundError(
            f"{name!r} is not an observation kind", hint="one of " + ", ".join(RECORD_KINDS)
        )
    return kind


def import_observations(
    path: str | Path,
    *,
    session: Session,
    options: ObservationImportOptions = ObservationImportOptions(),
    progress: ProgressFn | None = None,
) -> ImportSummary:
    """Import the rows of a field-sheet file; returns what happened to them."""
    path = Path(path)
    forced = _observation_kind(options.kind) if options.kind else None
    sheets = open_sheets(
        path, sheet=options.sheet, encoding=options.encoding, delimiter=options.delimiter
    )
    plans = [(s, *_layout(s, forced)) for s in sheets]
    for sheet, kind, _ in plans:
        if kind is not None:
            _columns(sheet, _observation_kind(kind.name))
    summary = ImportSummary(path.name, file_sha256(path), "observations")
    batch = start_batch(session, summary, station_id=None, actor=options.actor)
    rejects = RejectWriter(options.reject_path)
    rejects.write(pd.DataFrame(columns=["line", "reason", "sheet", "cells"]))
    touched: dict[str, set[Any]] = {"phenology": set(), "weather": set()}
    try:
        for sheet, kind, kind_col in plans:
            _import_sheet(
                session, sheet, kind, kind_col, summary, rejects, options, touched, batch, progress
            )
        _qc(session, touched, summary)
    finally:
        summary.reject_file = rejects.close()
    commit_batch(session, batch, summary, "done")
    return summary


def _import_sheet(
    session: Session,
    sheet: Sheet,
    kind: Kind | None,
    kind_col: int | None,
    summary: ImportSummary,
    rejects: RejectWriter,
    options: ObservationImportOptions,
    touched: dict[str, set[Any]],
    batch: T.ImportBatch,
    progress: ProgressFn | None,
) -> None:
    layouts: dict[str, dict[int, str]] = {}
    for line, cells in sheet_rows(sheet):
        summary.rows_read += 1
        try:
            row_kind = kind or _observation_kind(cells[kind_col or 0])
            columns = layouts.get(row_kind.name) or layouts.setdefault(
                row_kind.name, _columns(sheet, row_kind)
            )
            raw = {name: cells[i] for i, name in columns.items() if cells[i].strip()}
            outcome = _store_row(session, row_kind, raw, options.actor)
        except ObsError as err:
            summary.refused += 1
            reason = err.message + (f" ({err.hint})" if err.hint else "")
            rejects.write(
                pd.DataFrame(
                    [
                        {
                            "line": line,
                            "reason": reason,
                            "sheet": sheet.name,
                            "cells": " | ".join(cells),
                        }
                    ]
                )
            )
            continue
        setattr(summary, outcome, getattr(summary, outcome) + 1)
        if row_kind.name in touched:
            touched[row_kind.name].add(raw.get("plant") or raw.get("station"))
        if summary.rows_read % COMMIT_ROWS == 0:
            commit_batch(session, batch, summary)
            if progress is not None:
                progress(summary.rows_read, None)


def _store_row(session: Session, kind: Kind, raw: dict[str, str], actor: str) -> str:
    """Create the record in a savepoint: 'stored', or 'unchanged' for an identical one."""
    try:
        with session.begin_nested():
            create(kind.name, raw, session=session, actor=actor, style="column")
        return "stored"
    except DuplicateError:
        if _identical(session, kind, raw):
            return "unchanged"
        raise DuplicateError(
            f"a {kind.name} record with this key is stored with other values",
            hint=f"correct it with: obs amend {kind.name} ID --set FIELD=VALUE --reason TEXT",
        ) from None


def _identical(session: Session, kind: Kind, raw: dict[str, str]) -> bool:
    checked = coerce(kind, raw, today=today_bt(), style="column")
    for name, code in checked.refs.items():
        checked.values[f"{name}_id"] = resolve_ref(session, kind.field(name).ref or name, code).id
    found = H.same_key(session, kind, checked.values, exclude_id=None)
    if found is None:
        return False
    record = session.get(TABLES[kind.name], found)
    return all(_same(getattr(record, c), v) for c, v in checked.values.items())


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= 1e-9
    return bool(a == b)


def _qc(session: Session, touched: dict[str, set[Any]], summary: ImportSummary) -> None:
    """Check the phenology and daily weather of the stations the sheet touched."""
    codes = {c for c in touched["weather"] if c}
    tags = {t for t in touched["phenology"] if t}
    if tags:
        S, P, L = T.Station, T.Plant, T.Plot
        query = (
            select(S.code)
            .join(L, col(L.station_id) == S.id)
            .join(P, col(P.plot_id) == L.id)
            .where(col(P.tag).in_(tags))
        )
        codes |= {"phen:" + c for c in session.exec(query).all()}
    for code in sorted(codes):
        station = resolve_ref(session, "station", code.removeprefix("phen:"))
        check = check_phenology if code.startswith("phen:") else check_daily_range
        _, found = check(session, station)
        if not found.empty:
            summary.qc_errors += int((found["flag"] == ERROR).sum())
            summary.qc_suspects += int((found["flag"] == SUSPECT).sum())
    session.commit()
