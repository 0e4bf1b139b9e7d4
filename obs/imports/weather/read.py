"""Read a whole weather file chunk by chunk: the function the importer calls.

Structural problems refuse the whole file (:class:`~obs.errors.InputFormatError`): an unreadable
file, missing columns, and a timestamp (or date) that occurs twice anywhere in the file, which
names both lines (also when one of the two rows is refused). Unreadable cells refuse the file
too, unless ``refuse_rows`` is set: then such rows, and rows outside the hard limits, come back
in :attr:`ChunkSplit.refused`.

Repeated keys are found across the chunks in little memory (:class:`SeenKeys`): keys already
seen are kept as arithmetic runs ``(start, step, count, first_line)``, rows whose key grows by a
constant step on consecutive lines. A logger file in time order therefore costs one run per gap,
not one entry per row; a file in random order degrades to one run per row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
import numpy.typing as npt
import pandas as pd

from obs.clock import EPOCH_DAY
from obs.errors import InputFormatError
from obs.imports.weather.files import FileLayout, iter_raw_chunks
from obs.imports.weather.rows import ChunkSplit, parse_chunk, split_chunk
from obs.imports.weather.times import Clock, bt_text
from schemas.ingest import DEFAULT_CHUNK_ROWS

Ints = npt.NDArray[np.int64]

#: A duplicate: the key and the two lines (earlier first) that carry it.
Duplicate = tuple[int, int, int]


def _first_duplicate_within(keys: Ints, lines: Ints) -> Duplicate | None:
    order = np.lexsort((lines, keys))
    same = np.flatnonzero(np.diff(keys[order]) == 0)
    if not len(same):
        return None
    later = order[same + 1]
    pick = int(np.argmin(lines[later]))
    return int(keys[later[pick]]), int(lines[order[same[pick]]]), int(lines[later[pick]])


def _runs(keys: Ints, lines: Ints) -> Ints:
    """Encode keys in line order as runs; returns an array of shape (n_runs, 4)."""
    step = np.diff(keys)
    breaks = (np.diff(lines) != 1) | (step <= 0)
    breaks[1:] |= step[1:] != step[:-1]
    first = np.flatnonzero(np.r_[True, breaks])
    counts = np.diff(np.r_[first, len(keys)])
    steps = np.ones_like(counts)
    multi = counts > 1
    steps[multi] = step[first[multi]]
    return np.column_stack([keys[first], steps, counts, lines[first]]).astype(np.int64)


class SeenKeys:
    """The keys of the rows read so far from one file."""

    def __init__(self) -> None:
        self._runs: Ints = np.empty((0, 4), dtype=np.int64)

    @property
    def run_count(self) -> int:
        """How many runs are held (a measure of the memory used)."""
        return len(self._runs)

    def _first_duplicate_before(self, keys: Ints, lines: Ints) -> Duplicate | None:
        start, step, count, first_line = self._runs.T
        end = start + step * (count - 1)
        near = np.flatnonzero((start <= keys.max()) & (end >= keys.min()))
        best: Duplicate | None = None
        for run in near:
            offset = keys - start[run]
            hit = (offset >= 0) & (keys <= end[run]) & (offset % step[run] == 0)
            if hit.any():
                i = int(np.flatnonzero(hit)[np.argmin(lines[hit])])
                dup = (int(keys[i]), int(first_line[run] + offset[i] // step[run]), int(lines[i]))
                best = dup if best is None or dup[2] < best[2] else best
        return best

    def add(self, keys: Ints, lines: Ints) -> Duplicate | None:
        """Record a chunk's keys; return the first duplicate found (and record nothing then)."""
        if not len(keys):
            return None
        dup = _first_duplicate_within(keys, lines)
        if dup is None and len(self._runs):
            dup = self._first_duplicate_before(keys, lines)
        if dup is None:
            order = np.argsort(lines, kind="stable")
            self._runs = np.vstack([self._runs, _runs(keys[order], lines[order])])
        return dup


def _keys(frame: pd.DataFrame) -> npt.NDArray[np.int64]:
    """Integer keys of the rows: ``ts`` [s], or days since 1970-01-01 for daily rows."""
    if "ts" in frame:
        return np.asarray(frame["ts"], dtype=np.int64)
    return np.array([(day - EPOCH_DAY).days for day in frame["obs_date"]], dtype=np.int64)


def _describe(key: int, daily: bool, clock: Clock) -> str:
    if daily:
        return f"date {EPOCH_DAY + dt.timedelta(days=key)}"
    return f"timestamp {bt_text(key, clock)}"


def check_duplicates(frame: pd.DataFrame, seen: SeenKeys, *, clock: Clock = Clock()) -> None:
    """Record a typed chunk's keys in ``seen``; raise when one was already in the file."""
    dup = seen.add(_keys(frame), frame["line"].to_numpy(dtype=np.int64))
    if dup is not None:
        key, first, second = dup
        raise InputFormatError(
            f"{_describe(key, 'ts' not in frame, clock)} appears twice: lines {first} and {second}",
            hint="remove the repeated row, or import the two parts of the file separately",
        )


def read_weather_chunks(
    layout: FileLayout,
    *,
    clock: Clock = Clock(),
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    refuse_rows: bool = False,
) -> Iterator[ChunkSplit]:
    """Stream typed chunks of a file opened with :func:`~obs.imports.weather.open_weather_file`.

    Parameters
    ----------
    layout
        The file and the meaning of its columns.
    clock
        Station time offset and whether zone-less timestamps are UTC.
    chunk_rows
        Rows per chunk; memory use grows with it, not with the file.
    refuse_rows
        Return unreadable or out-of-limit rows in ``refused`` instead of raising.
    """
    seen = SeenKeys()
    for raw in iter_raw_chunks(layout, chunk_rows=chunk_rows):
        if refuse_rows:
            split = split_chunk(raw, layout, clock=clock)
        else:
            split = ChunkSplit(parse_chunk(raw, layout, clock=clock), raw.iloc[:0])
        keyed = split.good
        if split.refused_keys is not None and len(split.refused_keys):
            key = "ts" if "ts" in split.refused_keys else "obs_date"
            keyed = pd.concat([split.good[["line", key]], split.refused_keys], ignore_index=True)
        check_duplicates(keyed, seen, clock=clock)
        yield split
