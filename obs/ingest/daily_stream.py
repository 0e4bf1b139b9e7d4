"""Daily weather over a stream of time-ordered chunks of sub-daily records.

:func:`~obs.ingest.daily.derive_daily` needs whole days and, to interpolate a missing 02:00 or
20:00 value, the neighbouring days; this module holds records back between chunks so that every
day is derived once, from all of its records and neighbours.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

import numpy as np
import pandas as pd

from obs.errors import InputFormatError
from obs.ingest.daily import climatological_day, derive_daily, detect_interval
from schemas.ingest import BT_OFFSET_HOURS

_EPOCH_DAY = dt.date(1970, 1, 1)


def _emit(days: pd.DataFrame, after: int | None, through: int | None) -> pd.DataFrame:
    numbers = np.array([(d - _EPOCH_DAY).days for d in days["obs_date"]], dtype=np.int64)
    keep = np.ones(len(days), dtype=bool)
    if after is not None:
        keep &= numbers > after
    if through is not None:
        keep &= numbers <= through
    return days[keep].reset_index(drop=True)


def derive_daily_stream(
    chunks: Iterable[pd.DataFrame],
    *,
    offset_hours: float = BT_OFFSET_HOURS,
    interval_s: int | None = None,
    with_08_08: bool = False,
) -> Iterator[pd.DataFrame]:
    """Daily rows from time-ordered chunks of one station's sub-daily records, each day once.

    Carry-over: the records of the last three days of each chunk are held back and put in
    front of the next chunk. The last day may still be open; the day before it may need 02:00
    of the open day to interpolate its 20:00 value; the third is context for the 02:00 value
    and the 08–08 total of the second. A day is emitted once the records two days later have
    arrived, and the held-back days when the chunks end. The interval is detected once, from
    the first chunk. Raises :class:`InputFormatError` when a chunk goes back to a day that was
    already emitted (a file not in time order).
    """
    pending: pd.DataFrame | None = None
    done: int | None = None
    for chunk in chunks:
        if chunk.empty:
            continue
        chunk_days = climatological_day(chunk["ts"].to_numpy(dtype=np.int64), offset_hours)
        if done is not None and int(chunk_days.min()) <= done:
            line = int(chunk["line"].iloc[int(np.argmin(chunk_days))]) if "line" in chunk else 0
            raise InputFormatError(
                f"line {line}: records are not in time order",
                hint="sort the file by time before importing it",
            )
        frame = chunk if pending is None else pd.concat([pending, chunk], ignore_index=True)
        interval_s = interval_s or detect_interval(frame["ts"].to_numpy(dtype=np.int64))
        day = climatological_day(frame["ts"].to_numpy(dtype=np.int64), offset_hours)
        through = int(day.max()) - 2
        days = derive_daily(
            frame, offset_hours=offset_hours, interval_s=interval_s, with_08_08=with_08_08
        )
        yield from _nonempty(_emit(days, done, through))
        done = through if done is None else max(done, through)
        pending = frame[day >= through]
    if pending is not None:
        days = derive_daily(
            pending, offset_hours=offset_hours, interval_s=interval_s, with_08_08=with_08_08
        )
        yield from _nonempty(_emit(days, done, None))


def _nonempty(days: pd.DataFrame) -> Iterator[pd.DataFrame]:
    if len(days):
        yield days
