"""Work the reader process does ahead: the days and QC findings of a file presumed alone.

Storing a sub-daily chunk needs the database, but what follows from the stored rows does not
when the file's time range held no stored rows: then the stored state *is* the file's rows, so
the derived days and the sub-daily QC findings are functions of the file alone. The reader
process (:mod:`obs.readahead`) computes them on that presumption while the importer stores
the chunk before, and sends them with each chunk as an :class:`Ahead`.

The importer uses them only while the presumption holds: every chunk's range was found empty
(no live or deleted rows), no stored row lies in the first day before the file, in the last
day after it, or within one QC context length around it, and the stored row counts of the QC
windows are the rows the import holds. QC findings are also used only for the very window the
importer checks (same bounds). Once the presumption fails the importer computes from the
stored rows itself, resuming the day stream from the state the reader had before that chunk
(:attr:`Ahead.stream`), so the results are the same either way.

The steps mirror :class:`obs.importing.run.ImportRun`: before the importer stores split *j* it
checks the window that ends one context length before the last stored record; after the last
split it checks through one context length after it (the final window).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd

from obs.errors import ObsError
from obs.ingest.daily_stream import DailyStream
from obs.ingest.readers import FileLayout
from obs.ingest.rows import ChunkSplit
from obs.ingest.stored import new_rows_state
from obs.ingest.stream import read_weather_chunks
from obs.ingest.times import Clock
from obs.qc.registry import Site
from obs.qc.windows import qc_context_seconds, subdaily_findings
from schemas.qc_rules import QCRules


@dataclass
class Ahead:
    """What the reader worked out for one split (or, after the last one, the final step).

    ``window`` (lo, hi] and ``found`` are the sub-daily QC window checked before this split
    is stored (the final window for the final step), None when there is none; ``stream`` is
    the day stream before this split's rows are added, ``days`` the days they complete (for
    the final step, the days still held back). None where the reader could not work it out.
    """

    window: tuple[int, int] | None = None
    found: pd.DataFrame | None = None
    stream: DailyStream | None = None
    days: list[pd.DataFrame] | None = None


class Presumption:
    """(In the reader) the days and QC findings of the file's rows alone, split by split."""

    def __init__(self, *, rules: QCRules, site: Site, with_08_08: bool) -> None:
        self.rules, self.site = rules, site
        self.ctx = qc_context_seconds(rules)
        self.stream: DailyStream | None = DailyStream(with_08_08=with_08_08)
        self.qc_ok = True
        self.held: pd.DataFrame | None = None
        self.qc_done: int | None = None
        self.stored_hi: int | None = None

    def split(self, good: pd.DataFrame) -> Ahead:
        """The window checked before ``good`` is stored, and the days it completes."""
        ahead = Ahead()
        self._window(ahead, final=False)
        if good.empty:
            ahead.stream = self.stream.copy() if self.stream is not None else None
            ahead.days = [] if self.stream is not None else None
            return ahead
        state = new_rows_state(good)
        lo, hi = int(state["ts"].iloc[0]), int(state["ts"].iloc[-1])
        if self.stored_hi is not None and lo <= self.stored_hi:
            self.stream, self.qc_ok = None, False  # not in time order: the importer refuses it
            return ahead
        if self.qc_done is None:
            self.qc_done = lo - 1 - self.ctx
        self.stored_hi = hi
        self.held = state if self.held is None else pd.concat([self.held, state])
        if self.stream is not None:
            ahead.stream = self.stream.copy()
            ahead.days = self._push(state)
        return ahead

    def final(self) -> Ahead:
        """The final window and the days still held back."""
        ahead = Ahead()
        self._window(ahead, final=True)
        if self.stream is not None:
            ahead.stream = self.stream.copy()
            ahead.days = self.stream.finish()
        return ahead

    def _push(self, state: pd.DataFrame) -> list[pd.DataFrame] | None:
        assert self.stream is not None
        try:
            return self.stream.push(state)
        except ObsError:
            self.stream = None  # the importer meets the same error in its own stream
            return None

    def _window(self, ahead: Ahead, *, final: bool) -> None:
        if not self.qc_ok or self.stored_hi is None or self.qc_done is None:
            return
        lo, ctx = self.qc_done, self.ctx
        top = self.stored_hi + ctx if final else self.stored_hi - ctx
        if top <= lo:
            return
        assert self.held is not None
        held = self.held
        frame = held[(held["ts"] >= lo - ctx) & (held["ts"] <= top + ctx)].reset_index(drop=True)
        _, found = subdaily_findings(frame, lo, top, self.site, self.rules)
        ahead.window, ahead.found = (lo, top), found
        self.qc_done = top
        self.held = held[held["ts"] >= top - ctx]


def presumed_splits(
    splits: Iterable[ChunkSplit], presumption: Presumption | None
) -> Iterator[tuple[ChunkSplit | None, Ahead | None]]:
    """Each split with what the reader worked out for it, then ``(None, final step)``; without
    a presumption, ``None`` in place of the work."""
    for split in splits:
        yield split, presumption.split(split.good) if presumption is not None else None
    yield None, presumption.final() if presumption is not None else None


def weather_items(
    layout: FileLayout,
    *,
    clock: Clock,
    chunk_rows: int,
    presumption: Presumption | None,
    raw_chunks: Iterable[pd.DataFrame] | None = None,
) -> Iterator[Any]:
    """What the importer reads from a weather file: its splits (rows refused with their
    reasons); for a sub-daily file paired with the work done ahead (:func:`presumed_splits`)."""
    splits = read_weather_chunks(
        layout, clock=clock, chunk_rows=chunk_rows, refuse_rows=True, raw_chunks=raw_chunks
    )
    if layout.columns.kind == "subdaily":
        return presumed_splits(splits, presumption)
    return splits
