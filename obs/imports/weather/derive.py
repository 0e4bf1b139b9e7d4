"""Derive daily weather from the sub-daily records of one station (pure, vectorised).

Day boundary (domain spec §10.1 [S43]): the climatological day D is (20:00 BT of D−1,
20:00 BT of D]. Sub-daily timestamps mark the *end* of their interval, so an hourly record
stamped 20:00 on D (rain between 19:00 and 20:00) counts for D and one stamped 21:00 on D counts
for D+1. Precipitation is also split at 08:00 BT into 20–08 and 08–20 (§10.2 [S44]).

Sunshine keeps the 20:00 day although its official day ends at sunset (§10.1). The two agree at
Beibei (29.8 °N, 106.4 °E) because the sun always sets there before 20:00 BT. Check, with the
standard sunrise equation (solar depression 0.833° for refraction and the solar radius) and
Spencer's (1971) series for declination δ and the equation of time, as used by the NOAA solar
calculator: solar noon is 12:00 + (120 − 106.4)·4 min − equation of time ≈ 12:38–13:09 BT; the
half day at the June solstice is arccos((sin(−0.833°) − sin φ sin δ)/(cos φ cos δ)) ≈ 105.5°
≈ 7 h 02 min. The latest sunset of the year (early July, noon ≈ 12:58) is therefore ≈ 19:59 BT
and the earliest sunrise ≈ 05:54 BT. The margin is about a minute, but a sunshine recorder also
needs direct irradiance ≥ 120 W/m² (WMO-No. 8, the sunshine threshold), which the sun cannot
give within a degree of the horizon. So no sunshine falls in (20:00 D−1, 24:00 D−1] nor in
(sunset D, 20:00 D], and the 20–20 sum equals both the sunset-day and the calendar-day sum.

Chunks: :func:`derive_daily` needs every record of the days it returns, plus the neighbouring
days when fixed-time values are to be interpolated across midnight;
:func:`obs.imports.weather.days.derive_daily_stream` does that bookkeeping over a stream of
time-ordered chunks.

Fixed-time (02, 08, 14, 20 BT) values and daily means (domain spec §10.3): a fixed-time value
is the record stamped exactly at that hour (BT); one missing fixed-time value is interpolated as
the mean of its two neighbouring fixed times (the neighbours of 02 are 20 of the day before and
08; of 20, 14 and 02 of the day after); two or more consecutive missing values are not
interpolated and stay missing [S52]; a daily mean comes from the on-the-hour values when at
least :data:`~schemas.weather.MIN_HOURS_FOR_24H_MEAN` of the 24 are present [S47], else from
the 4 fixed times when all 4 are available after interpolation [S45].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from obs.clock import DAY_S, HOUR_S, climatological_day, day_number
from obs.imports.weather.values import round_half_up
from schemas.ingest import BT_OFFSET_HOURS
from schemas.weather import DAILY_BY_CODE, FIXED_HOURS, MIN_HOURS_FOR_24H_MEAN

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]

#: Hour (BT) that splits the 20–20 precipitation day into 20–08 and 08–20 (§10.2).
SPLIT_HOUR_BT = 8

#: Output columns of :func:`derive_daily` (``precip_08_08`` only when asked for).
DAILY_COLUMNS: tuple[str, ...] = (
    "obs_date",
    "n_records",
    "n_expected",
    "precip",
    "precip_20_08",
    "precip_08_20",
    "precip_trace",
    "t_max",
    "t_min",
    "t02",
    "t08",
    "t14",
    "t20",
    "t_mean",
    "tmean_method",
    "interpolated",
    "rh_mean",
    "wind_mean",
    "wind_gust",
    "sunshine",
    "ground_min",
)


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


def detect_interval(ts: Ints) -> int | None:
    """The recording interval: the median step between distinct timestamps [s]."""
    ordered = ts if len(ts) < 2 or (ts[1:] >= ts[:-1]).all() else np.sort(ts)
    steps = np.diff(ordered)
    steps = steps[steps > 0]
    return int(np.median(steps)) if len(steps) else None


@dataclass(frozen=True, slots=True)
class _DayGroups:
    """Records in time order grouped by day: the distinct days and where each one starts.

    Days of records in time order are contiguous, so per-day sums, extremes and counts are
    ``ufunc.reduceat`` over the starts (no hashing, no sorting).
    """

    numbers: Ints
    starts: Ints

    @classmethod
    def of(cls, day: Ints) -> _DayGroups:
        starts = np.flatnonzero(np.r_[True, day[1:] != day[:-1]])
        return cls(day[starts], starts)

    def count(self, mask: npt.NDArray[np.bool_]) -> Ints:
        return np.add.reduceat(mask.astype(np.int64), self.starts)

    def sum(self, values: Floats) -> Floats:
        """Sums skipping NaN; NaN for a day without a value (pandas' ``min_count=1``)."""
        ok = ~np.isnan(values)
        total = np.add.reduceat(np.where(ok, values, 0.0), self.starts)
        return np.where(self.count(ok) > 0, total, np.nan)

    def max(self, values: Floats) -> Floats:
        return np.fmax.reduceat(values, self.starts)

    def min(self, values: Floats) -> Floats:
        return np.fmin.reduceat(values, self.starts)

    def any(self, mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
        return np.logical_or.reduceat(mask, self.starts)


def _column(frame: pd.DataFrame, name: str) -> Floats:
    if name in frame:
        return np.asarray(frame[name].to_numpy(dtype=np.float64, na_value=np.nan))
    return np.full(len(frame), np.nan)


def _precip(
    frame: pd.DataFrame, groups: _DayGroups, day: Ints, ts: Ints, offset_hours: float
) -> dict[str, npt.NDArray[Any]]:
    """Per day: 20–20, 20–08 and 08–20 totals and the trace flag (§10.2)."""
    rain = _column(frame, "precip")
    morning = day_number(ts, SPLIT_HOUR_BT, offset_hours) == day  # (20:00 D−1, 08:00 D]
    trace = (
        frame["precip_trace"].to_numpy(dtype=bool)
        if "precip_trace" in frame
        else np.zeros(len(frame), dtype=bool)
    )
    total = groups.sum(rain)
    return {
        "precip": total,
        "precip_20_08": groups.sum(np.where(morning, rain, np.nan)),
        "precip_08_20": groups.sum(np.where(morning, np.nan, rain)),
        "precip_trace": groups.any(trace) & (total == 0),
    }


def _precip_08_08(frame: pd.DataFrame, groups: _DayGroups, ts: Ints, offset_hours: float) -> Floats:
    """Totals of the 24 h ending 08:00 BT on each day: 08–20 of D−1 plus 20–08 of D."""
    by_08 = _DayGroups.of(day_number(ts, SPLIT_HOUR_BT, offset_hours))
    totals = by_08.sum(_column(frame, "precip"))
    at = np.minimum(np.searchsorted(by_08.numbers, groups.numbers), len(by_08.numbers) - 1)
    return np.where(by_08.numbers[at] == groups.numbers, totals[at], np.nan)


def _extremes(frame: pd.DataFrame, groups: _DayGroups) -> dict[str, npt.NDArray[Any]]:
    t = _column(frame, "t")
    return {
        "n_records": np.diff(np.r_[groups.starts, len(frame)]),
        "t_max": groups.max(t),
        "t_min": groups.min(t),
        "wind_gust": groups.max(_column(frame, "wind_gust")),
        "sunshine": groups.sum(_column(frame, "sunshine")),
        "ground_min": groups.min(_column(frame, "ground_t")),
    }


def _means(
    frame: pd.DataFrame, groups: _DayGroups, day: Ints, ts: Ints, offset_hours: float
) -> dict[str, npt.NDArray[Any]]:
    """Fixed-time temperatures and the daily means of t, rh and wind speed."""
    local = ts + round(offset_hours * HOUR_S)
    on_hour = local % HOUR_S == 0
    hour = np.where(on_hour, (local // HOUR_S) % 24, -1)
    first = int(groups.numbers[0])
    n_days = int(groups.numbers[-1]) - first + 1
    rows = groups.numbers - first  # the days with records among all days of the range
    out: dict[str, npt.NDArray[Any]] = {}
    for element, name in (("t", "t_mean"), ("rh", "rh_mean"), ("wind_speed", "wind_mean")):
        values = _column(frame, element)
        fixed = fixed_times(values, day, hour, first, n_days)
        present = on_hour & ~np.isnan(values)
        count = groups.count(present)
        total = np.add.reduceat(np.where(present, values, 0.0), groups.starts)
        hourly = np.where(count > 0, total / np.maximum(count, 1), np.nan)
        mean, method = daily_mean(hourly, count, fixed.values[rows])
        out[name] = mean
        if element == "t":
            for k, hour_name in enumerate(FIXED_HOURS):
                out[f"t{hour_name:02d}"] = fixed.values[rows, k]
            out["tmean_method"] = method
            out["interpolated"] = _interpolated_names(fixed.interpolated[rows])
    return out


#: ``interpolated`` text of each combination of filled-in fixed times (bit k = hour k).
_INTERPOLATED_TEXT = np.array(
    [
        ",".join(f"t{h:02d}" for k, h in enumerate(FIXED_HOURS) if code >> k & 1)
        for code in range(1 << len(FIXED_HOURS))
    ],
    dtype=object,
)


def _interpolated_names(mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.object_]:
    code = mask.astype(np.int64) @ (1 << np.arange(len(FIXED_HOURS), dtype=np.int64))
    return np.asarray(_INTERPOLATED_TEXT[code], dtype=object)


def _fallback_maxmin(days: dict[str, npt.NDArray[Any]]) -> None:
    """(Tmax + Tmin)/2 where neither 24 h nor 4 fixed times gave a mean (§10.3 [S45])."""
    use = np.isnan(days["t_mean"]) & ~np.isnan(days["t_max"]) & ~np.isnan(days["t_min"])
    days["t_mean"] = np.where(use, (days["t_max"] + days["t_min"]) / 2, days["t_mean"])
    days["tmean_method"] = np.where(use, "maxmin", days["tmean_method"]).astype(object)


def round_daily(days: pd.DataFrame) -> pd.DataFrame:
    """Round every element column to its resolution in :data:`schemas.weather.DAILY_BY_CODE`."""
    for name in days.columns:
        element = DAILY_BY_CODE.get("precip" if name == "precip_08_08" else name)
        if element is not None:
            days[name] = round_half_up(days[name], element.resolution)
    return days


def _rounded(name: str, values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    element = DAILY_BY_CODE.get("precip" if name == "precip_08_08" else name)
    return values if element is None else round_half_up(values, element.resolution)


def derive_daily(
    frame: pd.DataFrame,
    *,
    offset_hours: float = BT_OFFSET_HOURS,
    interval_s: int | None = None,
    with_08_08: bool = False,
) -> pd.DataFrame:
    """Daily weather of every climatological day that has records in ``frame``.

    Parameters
    ----------
    frame
        Sub-daily records of one station: ``ts`` (UTC epoch seconds of the interval end) and
        any of ``t`` [°C], ``rh`` [%], ``precip`` [mm], ``precip_trace``, ``wind_speed``
        [m/s], ``wind_gust`` [m/s], ``sunshine`` [h], ``ground_t`` [°C].
    offset_hours
        Offset of Beijing time from UTC [h]; the day ends at 20:00 in this time.
    interval_s
        Recording interval [s]; detected from the median step when not given.
    with_08_08
        Add ``precip_08_08``, the total of the 24 h ending 08:00 BT on the day (08–20 of D−1
        plus 20–08 of D); for the first day of ``frame`` it holds only what ``frame`` has.

    Returns
    -------
    pandas.DataFrame
        One row per day, columns :data:`DAILY_COLUMNS`: ``n_expected`` is the record count a
        complete day has; ``tmean_method`` is '24h', '4obs', 'maxmin' or None; ``interpolated``
        lists the fixed-time temperatures filled in from their neighbours. Values are rounded
        to the element resolutions only here, at the end.
    """
    columns = list(DAILY_COLUMNS)
    if with_08_08:
        columns.insert(columns.index("precip_08_20") + 1, "precip_08_08")
    if frame.empty:
        return pd.DataFrame(columns=columns)
    ts = frame["ts"].to_numpy(dtype=np.int64)
    if len(ts) > 1 and not (ts[1:] >= ts[:-1]).all():
        frame = frame.iloc[np.argsort(ts, kind="stable")]
        ts = frame["ts"].to_numpy(dtype=np.int64)
    day = climatological_day(ts, offset_hours)
    groups = _DayGroups.of(day)
    interval = interval_s or detect_interval(ts)
    days = {
        **_extremes(frame, groups),
        **_precip(frame, groups, day, ts, offset_hours),
        **_means(frame, groups, day, ts, offset_hours),
    }
    _fallback_maxmin(days)
    if with_08_08:
        days["precip_08_08"] = _precip_08_08(frame, groups, ts, offset_hours)
    out = pd.DataFrame(
        {
            name: pd.Series(values, dtype=object) if values.dtype == object else values
            for name, values in ((n, _rounded(n, v)) for n, v in days.items())
        },
        copy=False,
    )
    out["n_expected"] = DAY_S // interval if interval else pd.NA
    out["obs_date"] = groups.numbers.astype("datetime64[D]").astype(object)
    return out[columns]


#: Columns :func:`obs.records.entry.daily_mean` reads.
_MEAN_SOURCES = ("t_mean", "t02", "t08", "t14", "t20", "t_max", "t_min")


def with_daily_mean(days: pd.DataFrame) -> pd.DataFrame:
    """Daily rows read from a file with the daily mean completed by the rule of entry
    (:func:`obs.records.entry.daily_mean`: as given, else the mean of 02/08/14/20 BT, else
    (Tmax + Tmin)/2, half up to 0.1 °C) and its method in ``tmean_method``."""
    from obs.records.entry import daily_mean

    sources = [c for c in _MEAN_SOURCES if c in days.columns]
    if sources == ["t_mean"] or not sources:
        return days
    means: list[float | None] = []
    methods: list[str] = []
    for row in days[sources].itertuples(index=False):
        values: dict[str, Any] = {
            k: None if pd.isna(x) else float(x) for k, x in zip(sources, row, strict=True)
        }
        daily_mean(values)
        means.append(values.get("t_mean"))
        methods.append(str(values.get("tmean_method", "")))  # as entry: no mean, no method
    return days.assign(
        t_mean=pd.Series(means, index=days.index, dtype="float64"),
        tmean_method=pd.Series(methods, index=days.index, dtype="object"),
    )
