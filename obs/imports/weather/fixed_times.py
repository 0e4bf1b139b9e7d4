"""Fixed-time (02, 08, 14, 20 BT) values and daily means from sub-daily records.

Rules (domain spec §10.3):

- a fixed-time value is the record stamped exactly at that hour (BT);
- one missing fixed-time value is interpolated as the mean of its two neighbouring fixed times
  (the neighbours of 02 are 20 of the day before and 08; of 20, 14 and 02 of the day after);
  two or more consecutive missing values are not interpolated and stay missing [S52];
- a daily mean comes from the on-the-hour values when at least
  :data:`~schemas.weather.MIN_HOURS_FOR_24H_MEAN` of the 24 are present [S47], else from the
  4 fixed times when all 4 are available after interpolation [S45].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from schemas.weather import FIXED_HOURS, MIN_HOURS_FOR_24H_MEAN

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class FixedTimes:
    """Fixed-time values of consecutive days ``first_day``, ``first_day + 1``, ….

    ``values`` has one row per day and one column per hour of
    :data:`~schemas.weather.FIXED_HOURS`; ``interpolated`` marks the filled-in values.
    """

    first_day: int
    values: Floats
    interpolated: npt.NDArray[np.bool_]

    def frame(self, prefix: str) -> pd.DataFrame:
        """The values as columns ``<prefix>02`` … ``<prefix>20`` indexed by day number."""
        days = np.arange(self.first_day, self.first_day + len(self.values))
        names = [f"{prefix}{hour:02d}" for hour in FIXED_HOURS]
        return pd.DataFrame(self.values, index=days, columns=names)


def interpolate_single_gaps(series: Floats) -> tuple[Floats, npt.NDArray[np.bool_]]:
    """Fill each missing value whose two neighbours are present with their mean.

    Returns the filled series and the mask of filled positions. Runs of two or more missing
    values, and missing values at either end, are left missing (domain spec §10.3 [S52]).
    """
    missing = np.isnan(series)
    before = np.r_[np.nan, series[:-1]]
    after = np.r_[series[1:], np.nan]
    single = missing & ~np.isnan(before) & ~np.isnan(after)
    filled = np.where(single, (before + after) / 2, series)
    return filled, single


def fixed_times(
    values: npt.ArrayLike, day: Ints, hour: Ints, first_day: int, n_days: int
) -> FixedTimes:
    """Collect the fixed-time values of days ``first_day … first_day + n_days - 1``.

    Parameters
    ----------
    values
        One element's values, one per record (NaN for missing).
    day
        Climatological day number of each record (days since 1970-01-01).
    hour
        BT hour of each record stamped exactly on the hour, -1 for other records.
    """
    slot = np.full(len(hour), -1, dtype=np.int64)
    for k, fixed_hour in enumerate(FIXED_HOURS):
        slot[hour == fixed_hour] = k
    grid = np.full(n_days * len(FIXED_HOURS), np.nan)
    take = (slot >= 0) & (day >= first_day) & (day < first_day + n_days)
    numbers = np.asarray(values, dtype=np.float64)
    grid[(day[take] - first_day) * len(FIXED_HOURS) + slot[take]] = numbers[take]
    filled, single = interpolate_single_gaps(grid)
    shape = (n_days, len(FIXED_HOURS))
    return FixedTimes(first_day, filled.reshape(shape), single.reshape(shape))


def daily_mean(hourly: Floats, hours: Ints, four: Floats) -> tuple[Floats, npt.NDArray[np.object_]]:
    """Per day, the daily mean and its method ('24h', '4obs' or None).

    ``hourly`` is the mean of the day's on-the-hour values, ``hours`` how many there are, and
    ``four`` the day's fixed-time values (one row per day, after interpolation).
    """
    complete = ~np.isnan(four).any(axis=1)
    four_mean = np.where(complete, four.sum(axis=1) / four.shape[1], np.nan)
    enough = hours >= MIN_HOURS_FOR_24H_MEAN
    value = np.where(enough, hourly, four_mean)
    method = np.full(len(value), None, dtype=object)
    method[complete] = "4obs"
    method[enough] = "24h"
    return value, method
