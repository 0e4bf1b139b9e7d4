"""Time in obs: the current instant, Beijing time, the epoch day and the climatological day.

Sub-daily values are stamped in UTC epoch seconds at the end of their interval; a
climatological day D runs from 20:00 BT of D−1 (exclusive) to 20:00 BT of D (inclusive),
§10.1. Every module that needs one of these asks this one; nothing here reads or writes.
Numpy and pandas are imported only by the functions that take their types, so the start-up
path of ``obs record`` stays light.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, TypeVar, cast

from schemas.ingest import BT_OFFSET_HOURS
from schemas.weather import DAY_END_HOUR_BT

if TYPE_CHECKING:
    import pandas as pd

#: Beijing time, UTC+8, whatever the station's own time system (§10.1).
BEIJING = dt.timezone(dt.timedelta(hours=BT_OFFSET_HOURS), "BT")
HOUR_S = 3_600
DAY_S = 86_400
#: Beijing time's offset from UTC [s].
BT_OFFSET_SECONDS = round(BT_OFFSET_HOURS * HOUR_S)
#: Day 0 of the day numbers (days since 1970-01-01).
EPOCH_DAY = dt.date(1970, 1, 1)

#: An int or an int64 array: the day arithmetic is the same for one stamp and for many.
Stamps = TypeVar("Stamps")


def now_utc() -> dt.datetime:
    """The current instant, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


def today_bt() -> dt.date:
    """Today's date in Beijing time."""
    return dt.datetime.now(BEIJING).date()


def epoch_seconds(day: dt.date, hour: int = 0) -> int:
    """Seconds since 1970-01-01 of ``day`` at ``hour`` on a clock without offset."""
    return (day - EPOCH_DAY).days * DAY_S + hour * HOUR_S


def day_number(ts: Stamps, end_hour: int, offset_hours: float = BT_OFFSET_HOURS) -> Stamps:
    """Day (days since 1970-01-01) of values stamped ``ts`` [s] for days ending at ``end_hour``.

    ``ts`` is an int or an int64 array. A value stamped exactly at ``end_hour`` closes that day;
    one a second later opens the next.
    """
    stamps: Any = ts
    shifted = stamps + round(offset_hours * HOUR_S) - end_hour * HOUR_S
    return cast(Stamps, -((-shifted) // DAY_S))


def climatological_day(ts: Stamps, offset_hours: float = BT_OFFSET_HOURS) -> Stamps:
    """Climatological day number of each value stamped ``ts`` (the day ending 20:00 BT)."""
    return day_number(ts, DAY_END_HOUR_BT, offset_hours)


def climatological_dates(times: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """The climatological day (midnight timestamp) of each naive Beijing-time timestamp."""
    import numpy as np
    import pandas as pd

    epoch = pd.Timestamp(EPOCH_DAY)
    seconds = ((times - epoch) // pd.Timedelta(seconds=1)).to_numpy(dtype=np.int64)
    days = climatological_day(seconds, offset_hours=0.0)
    return pd.DatetimeIndex(epoch + pd.to_timedelta(days, unit="D"), name=times.name)
