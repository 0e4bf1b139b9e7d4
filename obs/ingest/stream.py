"""Read a whole weather file chunk by chunk: the function the importer calls.

Structural problems refuse the whole file (:class:`~obs.errors.InputFormatError`): an unreadable
file, missing columns, and a timestamp (or date) that occurs twice anywhere in the file, which
names both lines. Unreadable cells refuse the file too, unless ``refuse_rows`` is set: then such
rows, and rows outside the hard limits, come back in :attr:`ChunkSplit.refused`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator

import numpy as np
import numpy.typing as npt
import pandas as pd

from obs.errors import InputFormatError, ObsError
from obs.ingest.dupes import SeenKeys
from obs.ingest.readers import FileLayout, iter_raw_chunks
from obs.ingest.rows import ChunkSplit, parse_chunk, split_chunk
from obs.ingest.times import Clock, bt_text
from schemas.ingest import DEFAULT_CHUNK_ROWS

_EPOCH_DAY = dt.date(1970, 1, 1)
#: Rows a reader started early reads ahead while it waits for the station's clock (the first
#: chunks: 20,000 + 40,000 + 80,000 + 150,000 rows, about 40 MB of text).
PREFETCH_ROWS = 290_000


def _keys(frame: pd.DataFrame) -> npt.NDArray[np.int64]:
    """Integer keys of the rows: ``ts`` [s], or days since 1970-01-01 for daily rows."""
    if "ts" in frame:
        return np.asarray(frame["ts"], dtype=np.int64)
    return np.array([(day - _EPOCH_DAY).days for day in frame["obs_date"]], dtype=np.int64)


def _describe(key: int, daily: bool, clock: Clock) -> str:
    if daily:
        return f"date {_EPOCH_DAY + dt.timedelta(days=key)}"
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
    raw_chunks: Iterable[pd.DataFrame] | None = None,
) -> Iterator[ChunkSplit]:
    """Stream typed chunks of a file opened with :func:`~obs.ingest.open_weather_file`.

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
    raw_chunks
        The file's text chunks, when read already (:class:`RawPrefetch`).
    """
    seen = SeenKeys()
    raws = iter_raw_chunks(layout, chunk_rows=chunk_rows) if raw_chunks is None else raw_chunks
    for raw in raws:
        if refuse_rows:
            split = split_chunk(raw, layout, clock=clock)
        else:
            split = ChunkSplit(parse_chunk(raw, layout, clock=clock), raw.iloc[:0])
        check_duplicates(split.good, seen, clock=clock)
        yield split


class RawPrefetch:
    """The first text chunks of a file, read before the rest of the reading can go on (the
    reader waits to learn the station's clock), up to ``limit_rows`` rows or until ``ready()``.

    Iterating gives those chunks and then the rest of the file; an error met while reading
    ahead is raised after the chunks before it, where reading would have met it.
    """

    def __init__(
        self,
        layout: FileLayout,
        *,
        chunk_rows: int = DEFAULT_CHUNK_ROWS,
        ready: Callable[[], bool] = lambda: True,
        limit_rows: int = PREFETCH_ROWS,
    ) -> None:
        self._rest = iter_raw_chunks(layout, chunk_rows=chunk_rows)
        self._chunks: list[pd.DataFrame] = []
        self._error: ObsError | None = None
        rows = 0
        try:
            while rows < limit_rows and not ready():
                chunk = next(self._rest, None)
                if chunk is None:
                    break
                self._chunks.append(chunk)
                rows += len(chunk)
        except ObsError as err:
            self._error = err

    def __iter__(self) -> Iterator[pd.DataFrame]:
        while self._chunks:
            yield self._chunks.pop(0)
        if self._error is not None:
            raise self._error
        yield from self._rest
