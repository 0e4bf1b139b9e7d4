"""The state of one weather import: counters, reject file, QC windows and chunk commits.

Each chunk is one transaction: its sub-daily rows, the days derived so far, their QC flags and
the batch counters are committed together by :meth:`ImportRun.finish_chunk`. Sub-daily QC lags
one context length (:func:`obs.qc.windows.qc_context_seconds`, from what the checks declare)
behind the stored rows, so the step and persistence checks of a record see the records after
it; the lag is checked at the end. The stored rows within one context length before and after
the file are checked again too: their neighbours may be new or changed. QC runs on the stored
state the import holds in memory (:meth:`ImportRun.keep`: the rows of the chunks, one context
length kept from the previous one), keyed by time, one :class:`~obs.qc.windows.Window` after
the other (the window type of ``obs validate``); stored rows around the file are read once,
and the held state is used only while it has as many rows as are stored in the window. New
rows are stored with ``qc`` 0 when they are checked in the same transaction and 9 otherwise
(the last context length of a chunk, checked with the next one).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from sqlmodel import Session

from obs.imports.common import ImportSummary, RejectWriter, commit_batch
from obs.imports.options import OnConflict, ProgressFn
from obs.imports.weather.store_days import DailyResult, differ_frame
from obs.imports.weather.store_rows import StoreResult
from obs.qc.driver import check_daily_range, check_subdaily_rows, check_subdaily_span
from obs.qc.windows import Window, daily_span, qc_context_seconds, subdaily_fields
from obs.store import subdaily
from schemas.qc import ERROR, SUSPECT
from schemas.qc_rules import QCRules
from schemas.site_tables import Station
from schemas.system_tables import ImportBatch

#: Conflicting rows listed in the message of ``--on-conflict fail``.
CONFLICTS_SHOWN = 5
#: Days stored before their QC runs (and at the end of the file): one check per decades of
#: data instead of one per chunk; the days wait with ``qc`` 9 (not checked) meanwhile.
DAILY_QC_DAYS = 10_000


def _span_days(days: tuple[dt.date, dt.date]) -> int:
    return (days[1] - days[0]).days + 1


@dataclass
class ImportRun:
    """One import in progress (see the module docstring)."""

    session: Session
    station: Station
    batch: ImportBatch
    summary: ImportSummary
    rejects: RejectWriter
    mode: OnConflict
    rules: QCRules
    reason: str
    actor: str
    progress: ProgressFn | None = None
    estimate: int | None = None
    daily_ids: list[int] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    qc_done: int | None = None
    stored_hi: int | None = None
    days: tuple[dt.date, dt.date] | None = None
    held: pd.DataFrame | None = None
    first_lo: int | None = None
    #: First and last day this run stored or updated.
    all_days: tuple[dt.date, dt.date] | None = None
    #: Every stored row met so far is one this run inserted into an empty range: such rows
    #: have no flags, and only those stored with ``qc`` 9 (:attr:`unchecked`) need a reset.
    own_rows: bool = True
    #: Ranges (a, b] of rows this run stored with ``qc`` 9 and has not checked yet.
    unchecked: list[tuple[int, int]] = field(default_factory=list)
    #: The last sub-daily time [UTC epoch s] and the last day of the committed chunks.
    committed_ts: int | None = None
    committed_day: dt.date | None = None
    #: Rows read, last time and last day of the chunk being committed (to tell, after an
    #: interrupt during the commit, whether it went through: the batch's ``rows_read``).
    committing: tuple[int, int | None, dt.date | None] | None = None

    def refused(self, rows: pd.DataFrame) -> None:
        """Count and write rows the reader refused."""
        self.summary.rows_read += len(rows)
        self.summary.refused += len(rows)
        self.rejects.write(rows)

    @property
    def context(self) -> int:
        """Context of a sub-daily QC window [s]."""
        return qc_context_seconds(self.rules)

    def subdaily_stored(self, result: StoreResult, rows: int, lo: int, hi: int) -> None:
        """Count a stored sub-daily chunk covering ``lo``…``hi`` [UTC epoch s] (its rows after
        ``hi`` − :attr:`context` stored with ``qc`` 9)."""
        self.own_rows = self.own_rows and result.fresh
        self.unchecked.append((max(hi - self.context, lo - 1), hi))
        s = self.summary
        s.rows_read += rows
        s.stored += result.stored
        s.updated += result.updated
        s.unchanged += result.unchanged
        if self.qc_done is None:
            # the stored rows up to one context length before the file are checked again:
            # their following records may be new or changed now
            self.first_lo = lo
            self.qc_done = lo - 1 - self.context
        self.stored_hi = hi
        if result.differ is not None and len(result.differ):
            self._differ(result.differ[["line", "reason"]], len(result.differ) - result.updated)
        if result.on_deleted is not None and len(result.on_deleted):
            s.kept += len(result.on_deleted)
            reason = "a deleted record is stored for this time (kept deleted; obs restore it first)"
            self.rejects.write(result.on_deleted[["line"]].assign(reason=reason))

    def days_stored(
        self, result: DailyResult, first: dt.date, last: dt.date, *, derived: bool
    ) -> None:
        """Count stored days (derived or read from a daily file) between ``first`` and ``last``."""
        s = self.summary
        self.daily_ids.extend(result.inserted_ids)
        if derived:
            s.days_stored += result.stored
            s.days_updated += result.updated
            s.days_unchanged += result.unchanged
            s.days_kept_manual += result.kept_manual
        else:
            s.stored += result.stored
            s.updated += result.updated
            s.unchanged += result.unchanged
            if result.differ:
                self._differ(differ_frame(result.differ), len(result.differ))
        lo, hi = self.days or (first, last)
        self.days = (min(lo, first), max(hi, last))
        lo, hi = self.all_days or (first, last)
        self.all_days = (min(lo, first), max(hi, last))

    def check_again(self) -> None:
        """Check the stored rows of the file's time range and around it again (after an undo:
        their flags were computed with the rows taken back)."""
        if self.first_lo is not None and self.stored_hi is not None:
            ctx = self.context
            lo, hi = self.first_lo - 1 - ctx, self.stored_hi + ctx
            rows = subdaily.count(self.session, self.station.id or 0, lo + 1, hi)
            for _ in check_subdaily_span(self.session, self.station, lo, hi, rows, self.rules):
                pass
        if self.all_days is not None:
            first, last = daily_span(*self.all_days, self.rules)
            check_daily_range(self.session, self.station, first, last, self.rules)

    def _differ(self, rows: pd.DataFrame, kept: int) -> None:
        if self.mode == "update":
            return
        if self.mode == "fail":
            self.conflicts.extend(f"line {n}: {r}" for n, r in rows.itertuples(index=False))
            prefix = "differs from the stored record: "
        else:
            self.summary.kept += kept
            prefix = "differs from the stored record (kept, --on-conflict skip): "
        self.rejects.write(rows.assign(reason=prefix + rows["reason"].astype("str")))

    def finish_chunk(self, *, final: bool = False) -> None:
        """QC what is settled, copy the counters to the batch and commit the chunk."""
        self._qc(final)
        last_day = self.all_days[1] if self.all_days is not None else None
        self.committing = (self.summary.rows_read, self.stored_hi, last_day)
        commit_batch(self.session, self.batch, self.summary)
        self.committed_ts, self.committed_day = self.stored_hi, last_day
        if self.progress is not None:
            self.progress(self.summary.rows_read, self.estimate)

    def keep(self, state: pd.DataFrame) -> None:
        """Hold the stored state (``ts`` and values, in time order) of rows just stored."""
        self.held = state if self.held is None else pd.concat([self.held, state])

    def _qc(self, final: bool) -> None:
        self._qc_subdaily(final)
        if self.days is not None and (final or _span_days(self.days) >= DAILY_QC_DAYS):
            _, found = check_daily_range(self.session, self.station, *self.days, self.rules)
            self._count_qc(found)
            self.days = None

    def _qc_subdaily(self, final: bool) -> None:
        if self.stored_hi is None or self.qc_done is None:
            return
        ctx = self.context
        # at the end, also the stored rows up to one context length after the file
        top = self.stored_hi + ctx if final else self.stored_hi - ctx
        if top <= self.qc_done:
            return
        window = Window(self.qc_done, top, ctx)
        frame = self._qc_frame(window, final)
        unflagged = self.unchecked if self.own_rows else None
        _, found = check_subdaily_rows(
            self.session, self.station, frame, window, self.rules, unflagged
        )
        self.unchecked = [(max(a, top), b) for a, b in self.unchecked if b > top]
        self._count_qc(found, in_file=True)
        self.qc_done = top
        if self.held is not None:
            self.held = self.held[self.held["ts"] >= top - ctx]

    def _qc_frame(self, window: Window, final: bool) -> pd.DataFrame:
        """The stored rows the window's checks read: the held state, with the stored rows
        before the file (first window) and after it (final one). Should the held rows not be
        as many as the stored ones (another writer, or soft-deleted rows in the window, which
        the quick count includes), the stored live ones."""
        sid, fields = self.station.id or 0, subdaily_fields()
        empty = pd.DataFrame(columns=list(fields))
        before = after = empty  # stored rows before the file (first window), after it (final)
        if self.first_lo is not None and window.read_lo < self.first_lo:
            before = subdaily.rows(self.session, sid, window.read_lo, self.first_lo - 1, fields)
        if final and self.stored_hi is not None:
            after = subdaily.rows(self.session, sid, self.stored_hi + 1, window.read_hi, fields)
        if len(before) or len(after):
            self.own_rows = False  # stored rows around the file are checked again
        parts = [p for p in (before, self.held, after) if p is not None and len(p)]
        if not parts:
            return subdaily.rows(self.session, sid, window.read_lo, window.read_hi, fields)
        state = pd.concat(parts) if len(parts) > 1 else parts[0]
        ts = state["ts"].to_numpy()
        if len(ts) > 1 and not (ts[1:] > ts[:-1]).all():
            state = state.drop_duplicates("ts").sort_values("ts", kind="stable")
        state = window.context_of(state)
        if subdaily.count(self.session, sid, window.read_lo, window.read_hi) != len(state):
            self.own_rows = False  # another writer, or soft-deleted rows: the stored ones count
            return subdaily.rows(self.session, sid, window.read_lo, window.read_hi, fields)
        return state

    def _count_qc(self, found: pd.DataFrame, *, in_file: bool = False) -> None:
        """Count findings; sub-daily ones (``in_file``) only for records within the file's
        time range (the stored records around it are checked, not counted)."""
        if found.empty:
            return
        if in_file and self.first_lo is not None and self.stored_hi is not None:
            ts = found["record_id"]
            found = found[(ts >= self.first_lo) & (ts <= self.stored_hi)]
        self.summary.qc_errors += int((found["flag"] == ERROR).sum())
        self.summary.qc_suspects += int((found["flag"] == SUSPECT).sum())
