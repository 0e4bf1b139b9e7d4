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
:func:`obs.ingest.daily_stream.derive_daily_stream` does that bookkeeping over a stream of
time-ordered chunks.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy.typing as npt
import pandas as pd

from obs.ingest.fixed_times import daily_mean, fixed_times, hourly_means
from obs.ingest.values import round_half_up
from schemas.ingest import BT_OFFSET_HOURS
from schemas.weather import DAILY_BY_CODE, DAY_END_HOUR_BT

Ints = npt.NDArray[np.int64]

_DAY_S = 86_400
_HOUR_S = 3_600
#: Hour (BT) that splits the 20–20 precipitation day into 20–08 and 08–20 (§10.2).
SPLIT_HOUR_BT = 8
_EPOCH_DAY = dt.date(1970, 1, 1)

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


def day_number(ts: Ints, end_hour: int, offset_hours: float = BT_OFFSET_HOURS) -> Ints:
    """Day (days since 1970-01-01) of records stamped ``ts`` for days ending at ``end_hour``.

    A record stamped exactly at ``end_hour`` closes that day; one a second later opens the next.
    """
    shifted = ts + round(offset_hours * _HOUR_S) - end_hour * _HOUR_S
    return -((-shifted) // _DAY_S)


def climatological_day(ts: Ints, offset_hours: float = BT_OFFSET_HOURS) -> Ints:
    """Climatological day number of each record (day ending 20:00 BT)."""
    return day_number(ts, DAY_END_HOUR_BT, offset_hours)


def detect_interval(ts: Ints) -> int | None:
    """The recording interval: the median step between distinct timestamps [s]."""
    ordered = ts if len(ts) < 2 or (ts[1:] >= ts[:-1]).all() else np.sort(ts)
    steps = np.diff(ordered)
    steps = steps[steps > 0]
    return int(np.median(steps)) if len(steps) else None


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame:
        return frame[name].astype("float64")
    return pd.Series(np.nan, index=frame.index, dtype="float64")


def _precip(frame: pd.DataFrame, day: Ints, ts: Ints, offset_hours: float) -> pd.DataFrame:
    """Per day: 20–20, 20–08 and 08–20 totals and the trace flag (§10.2)."""
    rain = _column(frame, "precip")
    morning = day_number(ts, SPLIT_HOUR_BT, offset_hours) == day  # (20:00 D−1, 08:00 D]
    trace = (
        frame["precip_trace"].astype(bool)
        if "precip_trace" in frame
        else pd.Series(False, index=frame.index)
    )
    by_day = pd.DataFrame(
        {"p": rain, "m": rain.where(morning), "e": rain.where(~morning), "tr": trace}
    ).groupby(day)
    out = pd.DataFrame(
        {
            "precip": by_day["p"].sum(min_count=1),
            "precip_20_08": by_day["m"].sum(min_count=1),
            "precip_08_20": by_day["e"].sum(min_count=1),
        }
    )
    out["precip_trace"] = by_day["tr"].any() & (out["precip"] == 0)
    return out


def _precip_08_08(frame: pd.DataFrame, ts: Ints, offset_hours: float) -> pd.Series:
    """Totals of the 24 h ending 08:00 BT on each day: 08–20 of D−1 plus 20–08 of D."""
    day = day_number(ts, SPLIT_HOUR_BT, offset_hours)
    return _column(frame, "precip").groupby(day).sum(min_count=1).rename("precip_08_08")


def _extremes(frame: pd.DataFrame, day: Ints) -> pd.DataFrame:
    temps = pd.DataFrame(
        {
            "t_max": _column(frame, "t"),
            "t_min": _column(frame, "t"),
            "wind_gust": _column(frame, "wind_gust"),
            "sunshine": _column(frame, "sunshine"),
            "ground_min": _column(frame, "ground_t"),
        }
    ).groupby(day)
    return pd.DataFrame(
        {
            "n_records": temps.size(),
            "t_max": temps["t_max"].max(),
            "t_min": temps["t_min"].min(),
            "wind_gust": temps["wind_gust"].max(),
            "sunshine": temps["sunshine"].sum(min_count=1),
            "ground_min": temps["ground_min"].min(),
        }
    )


def _means(frame: pd.DataFrame, day: Ints, ts: Ints, offset_hours: float) -> pd.DataFrame:
    """Fixed-time temperatures and the daily means of t, rh and wind speed."""
    local = ts + round(offset_hours * _HOUR_S)
    on_hour = local % _HOUR_S == 0
    hour = np.where(on_hour, (local // _HOUR_S) % 24, -1)
    first, n_days = int(day.min()), int(day.max() - day.min() + 1)
    out: dict[str, pd.Series] = {}
    for element, name in (("t", "t_mean"), ("rh", "rh_mean"), ("wind_speed", "wind_mean")):
        values = _column(frame, element)
        fixed = fixed_times(values, day, hour, first, n_days)
        mean = daily_mean(hourly_means(values, day, on_hour), fixed)
        out[name] = mean["value"]
        if element == "t":
            out.update(fixed.frame("t").items())
            out["tmean_method"] = mean["method"]
            out["interpolated"] = _interpolated_names(fixed.frame("t"), fixed.interpolated)
    return pd.DataFrame(out)


def _interpolated_names(four: pd.DataFrame, mask: npt.NDArray[np.bool_]) -> pd.Series:
    names = np.array(four.columns, dtype=object)
    return pd.Series([",".join(names[row]) for row in mask], index=four.index, dtype="object")


def _fallback_maxmin(days: pd.DataFrame) -> pd.DataFrame:
    """(Tmax + Tmin)/2 where neither 24 h nor 4 fixed times gave a mean (§10.3 [S45])."""
    use = days["t_mean"].isna() & days["t_max"].notna() & days["t_min"].notna()
    days.loc[use, "t_mean"] = (days.loc[use, "t_max"] + days.loc[use, "t_min"]) / 2
    days.loc[use, "tmean_method"] = "maxmin"
    method = days["tmean_method"].astype("object")
    days["tmean_method"] = method.where(method.notna(), None)
    return days


def round_daily(days: pd.DataFrame) -> pd.DataFrame:
    """Round every element column to its resolution in :data:`schemas.weather.DAILY_BY_CODE`."""
    for name in days.columns:
        element = DAILY_BY_CODE.get("precip" if name == "precip_08_08" else name)
        if element is not None:
            days[name] = round_half_up(days[name], element.resolution)
    return days


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
    day = climatological_day(ts, offset_hours)
    interval = interval_s or detect_interval(ts)
    parts = [
        _extremes(frame, day),
        _precip(frame, day, ts, offset_hours),
        _means(frame, day, ts, offset_hours),
    ]
    days = pd.concat(parts, axis=1, join="inner")
    days = _fallback_maxmin(days)
    days["n_expected"] = _DAY_S // interval if interval else pd.NA
    days["obs_date"] = [_EPOCH_DAY + dt.timedelta(days=int(d)) for d in days.index]
    if with_08_08:
        days = days.join(_precip_08_08(frame, ts, offset_hours), how="left")
    return round_daily(days[columns].reset_index(drop=True))
