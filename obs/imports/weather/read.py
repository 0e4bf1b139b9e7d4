"""Read a whole weather file chunk by chunk: the function the importer calls.

Structural problems refuse the whole file (:class:`~obs.errors.InputFormatError`): an unreadable
file, missing columns, and a timestamp (or date) that occurs twice anywhere in the file, which
names both lines. Unreadable cells refuse the file too, unless ``refuse_rows`` is set: then such
rows, and rows outside the hard limits, come back in :attr:`ChunkSplit.refused`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
import numpy.typing as npt
import pandas as pd

from obs.errors import InputFormatError
from obs.imports.weather.dupes import SeenKeys
from obs.imports.weather.files import FileLayout, iter_raw_chunks
from obs.imports.weather.rows import ChunkSplit, parse_chunk, split_chunk
from obs.imports.weather.times import Clock, bt_text
from schemas.ingest import DEFAULT_CHUNK_ROWS

_EPOCH_DAY = dt.date(1970, 1, 1)


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
        check_duplicates(split.good, seen, clock=clock)
        yield split
