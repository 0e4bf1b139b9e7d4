"""``obs import weather``: a daily or sub-daily weather file into the station's tables.

Sub-daily files go to ``subdaily_weather`` and their days, derived with the Chinese conventions
(:class:`obs.imports.weather.days.DailyStream`: 20:00 BT day, 20–08/08–20 precipitation, tmean
method), to ``daily_weather`` with source "derived". Days are derived from the *stored* records
of each day, so two files that meet inside a day give the whole day. Daily files go to
``daily_weather`` with source "imported".

One chunk loop (:func:`_run`): read a chunk (:mod:`obs.imports.weather.read`; parsed one
chunk ahead in a second process where it can, :mod:`obs.imports.weather.ahead`),
store it (:mod:`~obs.imports.weather.store_rows`), derive the days it completes
(:mod:`~obs.imports.weather.days`, :mod:`~obs.imports.weather.store_days`), check what is
settled and commit (:class:`obs.imports.weather.state.ImportRun`). A file refused whole leaves
nothing behind (:mod:`obs.imports.undo`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import update
from sqlmodel import Session, col

from obs.clock import DAY_S, climatological_day, now_utc
from obs.db import disk_full
from obs.errors import (
    DatabaseError,
    DuplicateError,
    InputFormatError,
    InterruptedImportError,
    ObsError,
)
from obs.imports.common import (
    ImportSummary,
    RejectWriter,
    commit_batch,
    file_sha256,
    start_batch,
    update_reason,
)
from obs.imports.options import ProgressFn, WeatherImportOptions, open_layout
from obs.imports.undo import undo_batch
from obs.imports.weather.ahead import read_ahead
from obs.imports.weather.days import DailyStream
from obs.imports.weather.derive import with_daily_mean
from obs.imports.weather.files import FileLayout
from obs.imports.weather.read import read_weather_chunks
from obs.imports.weather.rows import ChunkSplit
from obs.imports.weather.state import CONFLICTS_SHOWN, ImportRun
from obs.imports.weather.store_days import DERIVED, store_days
from obs.imports.weather.store_rows import store_subdaily
from obs.imports.weather.times import Clock, bt_text
from obs.lookup import resolve_ref
from obs.store import subdaily
from schemas.ingest import BT_OFFSET_HOURS, SNIFF_BYTES
from schemas.system_tables import ImportBatch
from schemas.weather import DAY_END_HOUR_BT, SUBDAILY_VALUES


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
) -> ImportSummary:
    """Import a weather file for ``station``; returns what happened to its rows.

    Raises :class:`InputFormatError` for a file refused whole and :class:`DuplicateError` when
    ``on_conflict="fail"`` meets stored rows with other values; nothing is stored then.
    """
    layout = open_layout(path, options)
    st = resolve_ref(session, "station", station)
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
    offset = options.utc_offset_hours
    clock = Clock(st.utc_offset_hours if offset is None else offset, options.assume_utc)
    splits = read_ahead(
        lambda: read_weather_chunks(
            layout, clock=clock, chunk_rows=options.chunk_rows, refuse_rows=True
        )
    )
    days = DailyStream(with_08_08=options.with_08_08) if kind == "subdaily" else None
    try:
        with closing(splits):  # the reader stops with us
            _run(run, splits, days)
    except ObsError:
        _undo(run)
        raise
    except KeyboardInterrupt:
        raise _stopped(run, clock, None) from None
    except Exception as err:  # the gateways run raw DBAPI cursors: driver errors come bare
        if not disk_full(err):
            raise
        raise _stopped(run, clock, err) from None
    finally:
        summary.reject_file = rejects.close()
    commit_batch(session, batch, summary, "done")
    return summary


def _run(run: ImportRun, splits: Iterator[ChunkSplit], days: DailyStream | None) -> None:
    """The chunk loop: store each chunk, then what it settles (``days`` derives the days of a
    sub-daily file; None for a daily file)."""
    previous: int | None = None  # the last stored time of a sub-daily file
    for split in splits:
        run.finish_chunk()
        run.refused(split.refused)
        good: pd.DataFrame = split.good
        if good.empty:
            continue
        if days is None:
            run.summary.rows_read += len(good)
            _store_days(run, [with_daily_mean(good)], derived=False)
            continue
        state = _store_split(run, good, previous)
        previous = int(good["ts"].max())
        _store_days(run, days.push(state), derived=True)
    if days is not None and previous is not None:
        # the days held back, with the stored records after the file in its last day
        fields = ("ts", *SUBDAILY_VALUES)
        rest = subdaily.rows(
            run.session, run.station.id or 0, previous + 1, _day_end(_day_of(previous)), fields
        )
        _store_days(run, [*days.push(rest), *days.finish()], derived=True)
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


def _day_end(day: int) -> int:
    """UTC epoch second at which climatological day ``day`` ends (20:00 BT)."""
    return day * DAY_S + round((DAY_END_HOUR_BT - BT_OFFSET_HOURS) * 3600)


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
        checked_through=hi - run.context,  # checked before this chunk commits
    )
    run.subdaily_stored(result, len(good), lo, hi)
    start = previous if previous is not None else _day_end(_day_of(lo) - 1)
    before = subdaily.rows(run.session, station_id, start + 1, lo - 1, ("ts", *SUBDAILY_VALUES))
    run.own_rows = run.own_rows and before.empty
    stored = result.frame if result.frame is not None else before
    state = pd.concat([before, stored]) if len(before) else stored
    run.keep(state)
    return state


def _store_days(run: ImportRun, frames: list[pd.DataFrame], *, derived: bool) -> None:
    """Store days derived from the stored records (``derived``) or read from a daily file."""
    for days in frames:
        result = store_days(
            run.session,
            days,
            station_id=run.station.id or 0,
            source=DERIVED if derived else "imported",
            mode=run.mode,
            reason=run.reason,
            actor=run.actor,
        )
        run.days_stored(result, days["obs_date"].min(), days["obs_date"].max(), derived=derived)


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
    """Roll back the open chunk, undo the committed ones and remove the batch: a refused file
    leaves the database as it was (the reject file and the error tell what happened)."""
    session = run.session
    session.rollback()
    undo_batch(session, run.batch.id or 0, run.reason, run.daily_ids)
    run.check_again()
    session.delete(run.batch)
    session.commit()


def _stopped(run: ImportRun, clock: Clock, full: Exception | None) -> ObsError:
    """The error of an import stopped by Ctrl-C (``full`` None) or a full disk after some
    chunks were committed: it says what is stored, and the batch is marked ``interrupted`` (a
    later run of the same file completes it)."""
    session = run.session
    session.rollback()  # the open chunk
    batch = run.batch
    marked = True
    try:
        session.refresh(batch)  # the counters of the committed chunks
        if batch.rows_read:
            batch.status = "interrupted"
            batch.finished_at = now_utc()
            session.add(batch)
        else:  # nothing committed: no trace either
            session.delete(batch)
        session.commit()
    except Exception:  # the disk may be too full even for that
        session.rollback()
        marked = False
    what = "interrupted" if full is None else "the disk is full"
    if not batch.rows_read:
        return (
            InterruptedImportError(f"{what}; nothing of the file was written")
            if full is None
            else DatabaseError(
                f"{what}; nothing of the file was written",
                hint="free some space and run the command again",
            )
        )
    last_ts, last_day = run.committed_ts, run.committed_day
    if run.committing is not None and run.committing[0] == batch.rows_read:
        _, last_ts, last_day = run.committing  # stopped just as that commit went through
    if last_ts is not None:
        through = f"records up to {bt_text(last_ts, clock)}"
    elif last_day is not None:
        through = f"days up to {last_day}"
    else:
        through = "no records"
    message = (
        f"{what} after line {batch.rows_read + 1} of {run.summary.file_name}: the first "
        f"{batch.rows_read} rows are committed ({batch.stored} stored, {batch.updated} updated, "
        f"{batch.unchanged} unchanged, {through}); the rest of the file was not written"
    )
    hint = "run the same command again: it keeps what is stored and completes the import" + (
        "" if marked else " (the unfinished batch is still marked running until then)"
    )
    if full is None:
        return InterruptedImportError(message, hint=hint)
    return DatabaseError(message, hint="free some space, then " + hint)
