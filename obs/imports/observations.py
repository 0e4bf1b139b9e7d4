"""``obs import observations``: field sheets of any observation kind, row by row.

The kind of a table comes from ``kind`` (``--kind``), else from a ``kind`` column (per row),
else from the XLSX sheet name (an XLSX with one sheet per kind imports every sheet). Each row
goes through :func:`obs.records.create` (``style="column"``), so it is validated exactly like
an entry at the command line. A refused row goes to the reject file with its reason; a row
whose record is stored already with the same values is *unchanged* (re-importing a sheet stores
nothing new); one whose key is stored with other values is refused (correct it with ``obs
amend``). Rows are committed in blocks; phenology and daily weather are checked by QC after.

A row stored already with other values — found by its ``id`` column (an edited ``obs list``
output) or by its natural key — follows ``on_conflict``: ``skip`` keeps the stored record (the
row goes to the reject file), ``update`` amends it through :func:`obs.records.amend.amend`
(same validation and history; reason: the file name or ``reason``), ``fail`` refuses the whole
file before anything is written. The reject file has the input's columns plus ``reason``, so
it can be corrected and imported again as it is. Unknown or duplicated columns refuse the file;
a per-plant sheet with a ``plot`` column (``obs template``) must name that plant's plot.

An ``obs list`` output in CSV or XLSX (its labels, ``CODE label`` cells, 是/否, the note row
under the table) reads back through the same path (:mod:`obs.imports.stored_rows`): its
read-only columns are ignored, and a field it has no column for (an ``id`` row) stays as stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from sqlmodel import Session, col, select

from obs.errors import (
    DuplicateError,
    InputFormatError,
    InterruptedImportError,
    NotFoundError,
    ObsError,
)
from obs.imports import stored_rows as R
from obs.imports.common import ImportSummary, RejectWriter, commit_batch, file_sha256, start_batch
from obs.imports.options import ProgressFn
from obs.imports.sheets import (
    KIND_COLUMN_ALIASES,
    Sheet,
    field_aliases,
    kind_named,
    open_sheets,
    sheet_rows,
)
from obs.lookup import resolve_ref
from obs.qc.driver import check_daily_range, check_phenology
from obs.records.create import create
from schemas import tables as T
from schemas.kinds import KINDS, RECORD_KINDS, Kind
from schemas.qc import ERROR, SUSPECT
from schemas.rounds_text import say
from schemas.terms import Lang

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
    on_conflict: str = "skip"
    reason: str | None = None
    #: Observer of new rows that name none (OBS_OBSERVER or the config's); language of notes.
    observer: str = ""
    lang: Lang = "zh"


def _layout(sheet: Sheet, kind: Kind | None) -> tuple[Kind | None, int | None]:
    """The sheet's kind (None: given per row) and the index of its kind column."""
    kind_keys = {R.header_key(a) for a in KIND_COLUMN_ALIASES}
    kind_col = next((i for i, h in enumerate(sheet.headers) if R.header_key(h) in kind_keys), None)
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
    keys = {R.header_key(h) for h in headers}
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


def _columns(sheet: Sheet, kind: Kind) -> dict[int, str]:
    aliases = field_aliases(kind)
    found = {
        i: aliases[R.header_key(h)]
        for i, h in enumerate(sheet.headers)
        if R.header_key(h) in aliases
    }
    named = [(sheet.headers[i], field) for i, field in found.items()]
    for field in {f for _, f in named if [g for _, g in named].count(f) > 1}:
        raise InputFormatError(  # as obs import weather: never silently use one of them
            f"{sheet.path.name} ({sheet.name}): columns "
            f"{', '.join(repr(h) for h, f in named if f == field)} all name the field {field}",
            hint="keep one of them, or rename the others",
        )
    missing = [s.name for s in kind.fields if s.required and s.name not in found.values()]
    if missing and not R.has_id_column(sheet):  # an id row keeps what it has no column for
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
    for sheet, kind, kind_col in plans:
        if kind is not None:
            found = _columns(sheet, _observation_kind(kind.name))
            if kind_col is None:
                R.refuse_odd_columns(sheet, kind, found)
                R.check_plot_column(session, sheet, kind, found)
    if options.on_conflict == "fail":
        for sheet, kind, kind_col in plans:
            _refuse_conflicts(session, sheet, kind, kind_col)
    for sheet, _, _ in plans:
        if sheet.format == "csv":  # a ragged or undecodable CSV is refused before any write
            for _ in sheet_rows(sheet):
                pass
    summary = ImportSummary(path.name, file_sha256(path), "observations")
    batch = start_batch(session, summary, station_id=None, actor=options.actor)
    rejects: list[dict[str, str]] = []
    touched: dict[str, set[Any]] = {"phenology": set(), "weather": set()}
    try:
        for sheet, kind, kind_col in plans:
            _import_sheet(
                session, sheet, kind, kind_col, summary, rejects, options, touched, batch, progress
            )
        _qc(session, touched, summary)
    except ObsError:
        _refused(session, batch)
        raise
    except KeyboardInterrupt:
        raise _interrupted(session, batch) from None
    finally:
        summary.reject_file = _write_rejects(options.reject_path, rejects, len(plans) > 1)
    commit_batch(session, batch, summary, "done")
    return summary


def _refused(session: Session, batch: T.ImportBatch) -> None:
    """A file refused while importing: the open part rolled back; the batch removed when no
    chunk was committed (the database as it was), else marked ``failed``."""
    session.rollback()
    session.refresh(batch)
    if batch.rows_read:
        batch.status = "failed"
        session.add(batch)
    else:
        session.delete(batch)
    session.commit()


def _interrupted(session: Session, batch: T.ImportBatch) -> InterruptedImportError:
    """Ctrl-C: the open part rolled back; what the committed parts hold, the batch marked
    ``interrupted`` (removed when nothing was committed)."""
    session.rollback()
    session.refresh(batch)
    if not batch.rows_read:
        session.delete(batch)
        session.commit()
        return InterruptedImportError("interrupted; nothing of the file was written")
    batch.status = "interrupted"
    session.add(batch)
    session.commit()
    return InterruptedImportError(
        f"interrupted after {batch.rows_read} data rows of {batch.file_name}: they are committed "
        f"({batch.stored} stored, {batch.updated} updated, {batch.unchanged} unchanged, "
        f"{batch.refused} refused); the rest of the file was not written",
        hint="run the same command again: it keeps what is stored and completes the import",
    )


def _write_rejects(path: Path | None, rows: list[dict[str, str]], sheets: bool) -> str | None:
    """The refused rows with the input's columns plus ``reason`` (and ``sheet`` when the file
    had several); None when nothing was refused."""
    if not rows or path is None:
        return None
    columns = list(dict.fromkeys(c for row in rows for c in row if c not in ("reason", "sheet")))
    columns += ["reason", "sheet"] if sheets else ["reason"]
    writer = RejectWriter(path)
    writer.write(pd.DataFrame(rows).reindex(columns=columns))
    return writer.close()


def _import_sheet(
    session: Session,
    sheet: Sheet,
    kind: Kind | None,
    kind_col: int | None,
    summary: ImportSummary,
    rejects: list[dict[str, str]],
    options: ObservationImportOptions,
    touched: dict[str, set[Any]],
    batch: T.ImportBatch,
    progress: ProgressFn | None,
) -> None:
    layouts: dict[str, dict[int, str]] = {}
    unnamed = 0
    for line, cells in sheet_rows(sheet):
        summary.rows_read += 1
        try:
            row_kind = kind or _observation_kind(cells[kind_col or 0])
            columns = layouts.get(row_kind.name) or layouts.setdefault(
                row_kind.name, _columns(sheet, row_kind)
            )
            present = R.row_values(row_kind, columns, cells)
            raw = {name: text for name, text in present.items() if text.strip()}
            if R.unfilled(row_kind, raw):
                summary.rows_read -= 1
                continue
            outcome = _store_row(
                session, row_kind, raw, present, R.record_id(sheet, cells), options, summary
            )
        except ObsError as err:
            kept = isinstance(err, R.KeptError)
            summary.kept += kept
            summary.refused += not kept
            reason = f"line {line}: " + err.message + (f" ({err.hint})" if err.hint else "")
            cells_by_header = dict(zip(sheet.headers, cells, strict=False))
            rejects.append({**cells_by_header, "reason": reason, "sheet": sheet.name})
            continue
        setattr(summary, outcome, getattr(summary, outcome) + 1)
        if outcome == "stored" and R.has_observer(row_kind) and not raw.get("observer"):
            unnamed += not options.observer
        if row_kind.name in touched:
            touched[row_kind.name].add(raw.get("plant") or raw.get("station"))
        if summary.rows_read % COMMIT_ROWS == 0:
            commit_batch(session, batch, summary)
            if progress is not None:
                progress(summary.rows_read, None)
    if unnamed:
        summary.notes.append(say("no_observer_rows", options.lang, count=unnamed))


def _store_row(
    session: Session,
    kind: Kind,
    raw: dict[str, str],
    present: dict[str, str],
    record_id: int | None,
    options: ObservationImportOptions,
    summary: ImportSummary,
) -> str:
    """Create the record in a savepoint: 'stored', 'unchanged' for an identical one, or (with
    ``update``) 'updated' through obs amend; a differing row is kept or refused."""
    if record_id is None:
        new = raw
        if options.observer and "observer" not in raw and R.has_observer(kind):
            new = {**raw, "observer": options.observer}  # (not compared on a re-import)
        try:
            with session.begin_nested():
                create(kind.name, new, session=session, actor=options.actor, style="column")
            return "stored"
        except DuplicateError:
            record_id, present = R.existing_id(session, kind, raw), raw  # empty: not given
            assert record_id is not None, "a duplicate key names a stored record"
    changes = R.differences(session, kind, record_id, present)
    if not changes:
        return "unchanged"
    if options.on_conflict != "update":
        raise R.KeptError(
            f"{kind.name} #{record_id} is stored with other values "
            f"({', '.join(sorted(changes))}); kept as stored",
            hint="import with --on-conflict update to change it, or: "
            f"obs amend {kind.name} {record_id} --set FIELD=VALUE --reason TEXT",
        )
    from obs.records.amend import amend

    reason = options.reason or summary.file_name
    with session.begin_nested():
        amend(kind.name, record_id, changes, reason=reason, session=session, actor=options.actor)
    return "updated"


def _refuse_conflicts(
    session: Session, sheet: Sheet, kind: Kind | None, kind_col: int | None
) -> None:
    """``--on-conflict fail``: the first row stored with other values refuses the file."""
    for line, cells in sheet_rows(sheet):
        row_kind = kind or _observation_kind(cells[kind_col or 0])
        present = R.row_values(row_kind, _columns(sheet, row_kind), cells)
        raw = {k: v for k, v in present.items() if v.strip()}
        try:
            record_id = R.record_id(sheet, cells)
            if record_id is None:
                record_id, present = R.existing_id(session, row_kind, raw), raw
            changes = R.differences(session, row_kind, record_id, present) if record_id else {}
        except ObsError:
            continue  # refused row by row later
        if changes:
            raise DuplicateError(
                f"{sheet.path.name} line {line}: {row_kind.name} #{record_id} is stored with "
                f"other values ({', '.join(sorted(changes))}); nothing imported",
                hint="import with --on-conflict update or skip, or correct the row",
            )


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
