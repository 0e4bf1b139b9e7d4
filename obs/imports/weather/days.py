"""Daily weather over a stream of time-ordered chunks of sub-daily records.

:func:`~obs.imports.weather.derive.derive_daily` needs whole days and, to interpolate a
missing 02:00 or 20:00 value, the neighbouring days; this module holds records back between
chunks so that every day is derived once, from all of its records and neighbours.
:class:`DailyStream` keeps that state between chunks; :func:`derive_daily_stream` runs one over
an iterable of chunks.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from obs.clock import EPOCH_DAY, climatological_day
from obs.errors import InputFormatError
from obs.imports.weather.derive import derive_daily, detect_interval
from schemas.ingest import BT_OFFSET_HOURS


def _emit(days: pd.DataFrame, after: int | None, through: int | None) -> list[pd.DataFrame]:
    numbers = np.array([(d - EPOCH_DAY).days for d in days["obs_date"]], dtype=np.int64)
    keep = np.ones(len(days), dtype=bool)
    if after is not None:
        keep &= numbers > after
    if through is not None:
        keep &= numbers <= through
    out = days[keep].reset_index(drop=True)
    return [out] if len(out) else []


@dataclass
class DailyStream:
    """Days from time-ordered chunks of one station's sub-daily records, each day once.

    Carry-over: the records of the last three days of each chunk are held back (``pending``)
    and put in front of the next chunk. The last day may still be open; the day before it may
    need 02:00 of the open day to interpolate its 20:00 value; the third is context for the
    02:00 value and the 08–08 total of the second. A day is emitted once the records two days
    later have arrived (``done`` is the last day emitted), and the held-back days by
    :meth:`finish`. The interval is detected once, from the first chunk.
    """

    offset_hours: float = BT_OFFSET_HOURS
    interval_s: int | None = None
    with_08_08: bool = False
    pending: pd.DataFrame | None = None
    done: int | None = None

    def push(self, chunk: pd.DataFrame) -> list[pd.DataFrame]:
        """Add the next chunk; the days it completes (none or one frame).

        Raises :class:`InputFormatError` when the chunk goes back to a day that was already
        emitted (a file not in time order).
        """
        if chunk.empty:
            return []
        chunk_days = climatological_day(chunk["ts"].to_numpy(dtype=np.int64), self.offset_hours)
        if self.done is not None and int(chunk_days.min()) <= self.done:
            line = int(chunk["line"].iloc[int(np.argmin(chunk_days))]) if "line" in chunk else 0
            raise InputFormatError(
                f"line {line}: records are not in time order",
                hint="sort the file by time before importing it",
            )
        pending = self.pending
        frame = chunk if pending is None else pd.concat([pending, chunk], ignore_index=True)
        ts = frame["ts"].to_numpy(dtype=np.int64)
        self.interval_s = self.interval_s or detect_interval(ts)
        day = climatological_day(ts, self.offset_hours)
        through = int(day.max()) - 2
        emitted = _emit(self._derive(frame), self.done, through)
        self.done = through if self.done is None else max(self.done, through)
        self.pending = frame[day >= through]
        return emitted

    def finish(self) -> list[pd.DataFrame]:
        """The days still held back (none or one frame); the stream is empty afterwards."""
        if self.pending is None:
            return []
        emitted = _emit(self._derive(self.pending), self.done, None)
        self.pending = None
        return emitted

    def _derive(self, frame: pd.DataFrame) -> pd.DataFrame:
        return derive_daily(
            frame,
            offset_hours=self.offset_hours,
            interval_s=self.interval_s,
            with_08_08=self.with_08_08,
        )


def derive_daily_stream(
    chunks: Iterable[pd.DataFrame],
    *,
    offset_hours: float = BT_OFFSET_HOURS,
    interval_s: int | None = None,
    with_08_08: bool = False,
) -> Iterator[pd.DataFrame]:
    """Daily rows from time-ordered chunks of one station's sub-daily records, each day once
    (see :class:`DailyStream`)."""
    stream = DailyStream(offset_hours, interval_s, with_08_08)
    for chunk in chunks:
        yield from stream.push(chunk)
    yield from stream.finish()
