"""``obs import weather``: a daily or sub-daily weather file into the station's tables.

Sub-daily files go to ``subdaily_weather`` and their days, derived with the Chinese conventions
(:class:`obs.ingest.daily_stream.DailyStream`: 20:00 BT day, 20–08/08–20 precipitation, tmean
method), to ``daily_weather`` with source "derived". Days are derived from the *stored* records
of each day, so two files that meet inside a day give the whole day. Daily files go to
``daily_weather`` with source "imported". Each chunk is committed on its own (see
:mod:`obs.importing.run`); a file refused whole leaves nothing behind
(:mod:`obs.importing.undo`).

The file is read in a second process (:mod:`obs.readahead`), which for a sub-daily file whose
time range holds no stored rows also derives the days and runs the sub-daily QC ahead
(:mod:`obs.ingest.presumed`); the importer takes that work only while the presumption holds.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd
from sqlalchemy import update
from sqlmodel import Session, col

from obs.bulk import stored_range
from obs.db import bulk_writes
from obs.errors import DuplicateError, InputFormatError, ObsError
from obs.importing.common import (
    ImportSummary,
    RejectWriter,
    commit_batch,
    file_sha256,
    start_batch,
    update_reason,
)
from obs.importing.daily import DERIVED, store_days
from obs.importing.options import ProgressFn, WeatherImportOptions, open_layout
from obs.importing.run import CONFLICTS_SHOWN, ImportRun
from obs.importing.subdaily import store_subdaily
from obs.importing.undo import undo_batch
from obs.ingest import (
    ChunkSplit,
    Clock,
    FileLayout,
)
from obs.ingest.daily import climatological_day
from obs.ingest.daily_stream import DailyStream
from obs.ingest.presumed import Ahead, Presumption, weather_items
from obs.lookup import resolve_ref
from obs.qc.driver import site_of
from obs.qc.windows import qc_context_seconds
from obs.readahead import EarlyReader, read_ahead
from obs.readahead import enabled as ahead_enabled
from schemas.ingest import BT_OFFSET_HOURS, SNIFF_BYTES
from schemas.site_tables import Station
from schemas.system_tables import ImportBatch
from schemas.weather import DAY_END_HOUR_BT, SUBDAILY_VALUES

_DAY_S = 86_400


def estimate_rows(layout: FileLayout) -> int | None:
    """Rough count of data rows of a CSV file, from its size and first lines (None for XLSX)."""
    if layout.format != "csv":
        return None
    size = layout.path.stat().st_size
    with layout.path.open("rb") as handle:
        sample = handle.read(SNIFF_BYTES)
    lines = max(sample.count(b"\n"), 1)
    return max(int(size / (len(sample) / lines)) - 1, 0)


def import_weather(
    path: str | Path,
    *,
    station: str,
    session: Session,
    options: WeatherImportOptions = WeatherImportOptions(),
    progress: ProgressFn | None = None,
    reader: EarlyReader[Any] | None = None,
) -> ImportSummary:
    """Import a weather file for ``station``; returns what happened to its rows.

    ``reader`` is the file's reader process when it was started already
    (:func:`obs.importing.launch.start_weather_reader`); otherwise the file is read ahead in a
    process started here (:func:`obs.readahead.read_ahead`), or in this one.

    Raises :class:`InputFormatError` for a file refused whole and :class:`DuplicateError` when
    ``on_conflict="fail"`` meets stored rows with other values; nothing is stored then.
    """
    layout = open_layout(path, options)
    st = resolve_ref(session, "station", station)
    items = _reading(layout, st, options, reader)  # the reader goes on while the batch starts
    kind = layout.columns.kind
    summary = ImportSummary(layout.path.name, file_sha256(layout.path), kind)
    _mark_interrupted(session, summary.sha256, st.id)
    batch = start_batch(session, summary, station_id=st.id, actor=options.actor)
    rejects = RejectWriter(options.reject_path)
    rejects.write(pd.DataFrame(columns=["line", "reason", *layout.headers]))
    run = ImportRun(
        session,
        st,
        batch,
        summary,
        rejects,
        options.on_conflict,
        options.rules,
        update_reason(summary),
        options.actor,
        progress,
        estimate_rows(layout),
    )
    try:
        _run(run, items, subdaily=kind == "subdaily", with_08_08=options.with_08_08)
    except ObsError:
        _undo(run)
        raise
    finally:
        summary.reject_file = rejects.close()
    commit_batch(session, batch, summary, "done")
    return summary


def _reading(
    layout: FileLayout,
    station: Station,
    options: WeatherImportOptions,
    reader: EarlyReader[Any] | None,
) -> Iterator[Any]:
    """What the importer reads from the file (:func:`obs.ingest.presumed.weather_items`): sent
    for by an early reader (which goes on with the clock it is sent now), else read ahead in a
    process forked when the first item is asked for, or in this one."""
    offset = options.utc_offset_hours
    clock = Clock(station.utc_offset_hours if offset is None else offset, options.assume_utc)
    # the reader works out days and QC ahead only where it runs in a process of its own
    presumption = (
        Presumption(rules=options.rules, site=site_of(station), with_08_08=options.with_08_08)
        if layout.columns.kind == "subdaily" and (reader is not None or ahead_enabled())
        else None
    )
    if reader is not None:
        return reader.items((clock, presumption))
    return read_ahead(
        lambda: weather_items(
            layout, clock=clock, chunk_rows=options.chunk_rows, presumption=presumption
        )
    )


def _run(run: ImportRun, items: Iterator[Any], *, subdaily: bool, with_08_08: bool) -> None:
    with closing(_bulk(run.session, items)) as chunks:
        if subdaily:
            _subdaily(run, chunks, with_08_08)
        else:
            _daily(run, chunks)
    run.finish_chunk(final=True)
    if run.conflicts:
        shown = "; ".join(run.conflicts[:CONFLICTS_SHOWN])
        more = len(run.conflicts) - CONFLICTS_SHOWN
        raise DuplicateError(
            f"{len(run.conflicts)} rows differ from stored records: {shown}"
            + (f" and {more} more" if more > 0 else ""),
            hint="nothing was stored; use --on-conflict update to replace them (with history) "
            "or --on-conflict skip to keep the stored values; the reject file lists them all",
        )
    if run.summary.days_kept_manual:
        run.summary.notes.append(
            f"{run.summary.days_kept_manual} days already had a daily record of another source; "
            "kept (use --on-conflict update to replace them by the derived values)"
        )


def _bulk(session: Session, items: Iterator[Any]) -> Generator[Any, None, None]:
    """The items; from the first on (the reader process is forked by then), with SQLite set up
    for bulk writes (:func:`obs.db.bulk_writes`: a larger page cache, the WAL copied into the
    database file in the background)."""
    with closing(cast(Generator[Any, None, None], items)):  # the reader stops with us
        first = next(items, _END)
        if first is _END:
            return
        with bulk_writes(session):
            yield first
            yield from items


_END = object()


def _daily(run: ImportRun, chunks: Iterator[ChunkSplit]) -> None:
    for split in chunks:
        run.finish_chunk()
        run.refused(split.refused)
        good: pd.DataFrame = split.good
        run.summary.rows_read += len(good)
        if good.empty:
            continue
        result = store_days(
            run.session,
            good,
            station_id=run.station.id or 0,
            source="imported",
            mode=run.mode,
            reason=run.reason,
            actor=run.actor,
        )
        run.days_stored(result, good["obs_date"].min(), good["obs_date"].max(), derived=False)


def _day_end(day: int) -> int:
    """UTC epoch second at which climatological day ``day`` ends (20:00 BT)."""
    return day * _DAY_S + round((DAY_END_HOUR_BT - BT_OFFSET_HOURS) * 3600)


def _day_of(ts: int) -> int:
    """The climatological day of UTC epoch second ``ts``."""
    return int(climatological_day(np.array([ts]), BT_OFFSET_HOURS)[0])


def _store_split(run: ImportRun, good: pd.DataFrame, previous: int | None) -> pd.DataFrame:
    """Store one chunk's good rows; the stored records of the days it covers, in time order
    (from the end of the chunk before, or from the start of its first day)."""
    station_id = run.station.id or 0
    lo, hi = int(good["ts"].min()), int(good["ts"].max())
    if previous is not None and lo <= previous:
        line = int(good["line"].iloc[int(good["ts"].to_numpy().argmin())])
        raise InputFormatError(
            f"line {line}: records are not in time order",
            hint="sort the file by time before importing it",
        )
    result = store_subdaily(
        run.session,
        good,
        station_id=station_id,
        batch_id=run.batch.id or 0,
        mode=run.mode,
        reason=run.reason,
        actor=run.actor,
        checked_through=hi - qc_context_seconds(run.rules),
    )
    run.subdaily_stored(result, len(good), lo, hi, hi - qc_context_seconds(run.rules))
    start = previous if previous is not None else _day_end(_day_of(lo) - 1)
    before = stored_range(run.session, station_id, start + 1, lo - 1, ("ts", *SUBDAILY_VALUES))
    run.all_new = run.all_new and before.empty
    stored = result.frame if result.frame is not None else before
    state = pd.concat([before, stored]) if len(before) else stored
    run.keep(state)
    return state


class _Days:
    """The days of the stored records: the reader's while the file is alone in its time range
    (:mod:`obs.ingest.presumed`), else derived here, resuming the reader's day stream."""

    def __init__(self, with_08_08: bool) -> None:
        self.with_08_08 = with_08_08
        self.own: DailyStream | None = None
        self.taken = False  # days of the reader were stored

    def after(self, run: ImportRun, ahead: Ahead | None, state: pd.DataFrame) -> list[pd.DataFrame]:
        """The days completed by a stored chunk whose records (and context) are ``state``."""
        if self.own is None and run.all_new and ahead is not None and ahead.days is not None:
            self.taken = True
            return ahead.days
        return self._stream(ahead).push(state)

    def final(self, run: ImportRun, ahead: Ahead | None, rest: pd.DataFrame) -> list[pd.DataFrame]:
        """The days held back, with ``rest``, the stored records after the file in its last day."""
        reader = ahead.days if ahead is not None else None
        if self.own is None and run.all_new and rest.empty and reader is not None:
            return reader
        stream = self._stream(ahead)
        return [*stream.push(rest), *stream.finish()]

    def _stream(self, ahead: Ahead | None) -> DailyStream:
        if self.own is None:
            resumed = ahead.stream if ahead is not None else None
            if resumed is None and self.taken:
                raise RuntimeError("the reader's day stream cannot be resumed")  # a bug
            self.own = resumed if resumed is not None else DailyStream(with_08_08=self.with_08_08)
        return self.own


def _subdaily(
    run: ImportRun, chunks: Iterator[tuple[ChunkSplit | None, Ahead | None]], with_08_08: bool
) -> None:
    station_id, previous, days = run.station.id or 0, None, _Days(with_08_08)
    for split, ahead in chunks:
        run.ahead = ahead
        if split is None:  # after the last split: the final step
            if previous is None:
                return
            rest = stored_range(
                run.session,
                station_id,
                previous + 1,
                _day_end(_day_of(previous)),
                ("ts", *SUBDAILY_VALUES),
            )
            _store_days(run, days.final(run, ahead, rest))
            return
        run.finish_chunk()
        run.refused(split.refused)
        good: pd.DataFrame = split.good
        if good.empty:
            continue
        state = _store_split(run, good, previous)
        previous = int(good["ts"].max())
        _store_days(run, days.after(run, ahead, state))


def _store_days(run: ImportRun, frames: list[pd.DataFrame]) -> None:
    for days in frames:
        result = store_days(
            run.session,
            days,
            station_id=run.station.id or 0,
            source=DERIVED,
            mode=run.mode,
            reason=run.reason,
            actor=run.actor,
        )
        run.days_stored(result, days["obs_date"].min(), days["obs_date"].max(), derived=True)


def _mark_interrupted(session: Session, sha256: str, station_id: int | None) -> None:
    """Earlier runs of the same file still 'running' were killed: call them interrupted."""
    B = ImportBatch
    session.execute(
        update(B)
        .where(col(B.file_sha256) == sha256, col(B.station_id) == station_id)
        .where(col(B.status) == "running")
        .values(status="interrupted")
    )


def _undo(run: ImportRun) -> None:
    """Roll back the open chunk, undo the committed ones and record the failure."""
    session = run.session
    session.rollback()
    undo_batch(session, run.batch.id or 0, run.reason, run.daily_ids)
    run.check_again()
    commit_batch(session, run.batch, run.summary, "failed")
