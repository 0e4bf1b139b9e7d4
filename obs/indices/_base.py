"""Shared shapes of the indices: the result type, date windows and input normalisation.

Policy on missing data, applied by every index: compute over the values that are present,
and report how many were expected and how many were missing (``n_expected``, ``n_missing``).
When no value at all is present, every index (mean, total, day count, accumulation) is
``None``: "no data" is not "zero".
``complete`` applies the rule of §11.1: at least ``MIN_FRACTION_PRESENT`` of the expected
values are present. Sums over incomplete data are therefore lower bounds; callers decide
whether to show them, and :func:`obs.indices.missing_days` says what is missing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from obs.clock import BEIJING, climatological_dates
from obs.errors import InvalidValueError
from schemas.indices import HOURLY_DAY_END_BT, MIN_FRACTION_PRESENT, MIN_HOURS_PER_DAY


@dataclass(frozen=True, slots=True)
class IndexValue:
    """One index over a date window.

    Attributes
    ----------
    value
        The index; ``None`` when no value of the window is present (nothing was measured,
        which is not the same as a total of zero).
    n_expected
        Values the window should hold (days, or hours for hourly indices).
    n_missing
        Expected values that are absent or NaN.
    complete
        True when the §11.1 completeness rule is met.
    """

    value: float | None
    n_expected: int
    n_missing: int
    complete: bool


def is_complete(n_present: int, n_expected: int) -> bool:
    """The §11.1 rule: at least ``MIN_FRACTION_PRESENT`` of ``n_expected`` are present."""
    return n_expected > 0 and n_present >= MIN_FRACTION_PRESENT * n_expected


def to_date(day: dt.date | pd.Timestamp) -> dt.date:
    """A plain ``datetime.date`` from a date or a day timestamp."""
    return day.date() if isinstance(day, dt.datetime) else day


def daily_window(
    daily: pd.DataFrame, start: dt.date | None = None, end: dt.date | None = None
) -> pd.DataFrame:
    """``daily`` on every day of [start, end] (inclusive); absent days become NaN rows.

    The bounds default to the first and last day of ``daily``. The result is indexed by a
    ``DatetimeIndex`` of midnights named ``day``.
    """
    frame = _normalised_daily(daily)
    bounds = _bounds(frame.index, start, end)
    if bounds is None:
        return frame.iloc[0:0]
    first, last = bounds
    days = pd.date_range(first, last, freq="D", name="day")
    return frame.reindex(days)


def element(window: pd.DataFrame, name: str) -> pd.Series:
    """Column ``name`` as floats; a column the frame lacks is all NaN (i.e. missing)."""
    if name not in window.columns:
        return pd.Series(float("nan"), index=window.index, dtype="float64", name=name)
    return window[name].astype("float64")


def summed(values: pd.Series) -> IndexValue:
    """Sum of the present values (None when none is), with the completeness counts."""
    present = int(values.notna().sum())
    total = float(values.sum()) if present else None
    return IndexValue(total, len(values), len(values) - present, is_complete(present, len(values)))


def counted(mask: pd.Series, values: pd.Series) -> IndexValue:
    """Days where ``mask`` holds, among the days where ``values`` is present (None if none)."""
    present = int(values.notna().sum())
    count = int((mask & values.notna()).sum()) if present else None
    return IndexValue(count, len(values), len(values) - present, is_complete(present, len(values)))


def hourly_window(
    hourly: pd.Series, start: dt.date | None = None, end: dt.date | None = None
) -> pd.Series:
    """``hourly`` on every hour of the climatological days [start, end]; gaps become NaN.

    A climatological day D runs from 21:00 BT on D−1 to 20:00 BT on D (§10.1), so an hourly
    value stamped 20:00 belongs to D and one stamped 21:00 to D+1. The bounds default to the
    first and last day present.
    """
    series = normalised_hourly(hourly)
    bounds = _bounds(climatological_dates(series.index), start, end)
    if bounds is None:
        return series.iloc[0:0]
    first, last = bounds
    offset = pd.Timedelta(hours=24 - HOURLY_DAY_END_BT)
    hours = pd.date_range(
        first - offset + pd.Timedelta(hours=1),
        last + pd.Timedelta(hours=HOURLY_DAY_END_BT),
        freq="h",
        name="time",
    )
    return series.reindex(hours)


def normalised_hourly(hourly: pd.Series) -> pd.Series:
    """Hourly temperatures as floats on a naive BT ``DatetimeIndex`` of whole hours, sorted."""
    if not isinstance(hourly.index, pd.DatetimeIndex):
        raise InvalidValueError(
            "hourly series",
            None,
            "is not indexed by timestamps",
            hint="index hourly values by their Beijing-time timestamps",
        )
    index = hourly.index
    if index.tz is not None:
        index = index.tz_convert(BEIJING).tz_localize(None)
    if index.has_duplicates:
        raise InvalidValueError(
            "hourly series", None, "has duplicate timestamps", hint="keep one value per hour"
        )
    if len(index) and bool((index != index.floor("h")).any()):
        raise InvalidValueError(
            "hourly series",
            None,
            "has times that are not whole hours",
            hint="aggregate sub-hourly data to hourly values first",
        )
    return pd.Series(hourly.to_numpy(dtype="float64"), index=index, name="t").sort_index()


def _normalised_daily(daily: pd.DataFrame) -> pd.DataFrame:
    """``daily`` indexed by midnight timestamps, sorted, with duplicates refused."""
    try:
        index = pd.DatetimeIndex(pd.to_datetime(daily.index)).normalize()
    except (TypeError, ValueError) as err:
        raise InvalidValueError(
            "daily frame", None, "is not indexed by dates", hint="index daily rows by datetime.date"
        ) from err
    if index.tz is not None:
        index = index.tz_localize(None)
    if index.has_duplicates:
        raise InvalidValueError(
            "daily frame", None, "has more than one row for a day", hint="keep one row per day"
        )
    frame = daily.set_axis(index, axis=0)
    return frame.sort_index()


def _bounds(
    days: pd.DatetimeIndex, start: dt.date | None, end: dt.date | None
) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """First and last day of a window: ``start``/``end``, else the first/last of ``days``;
    None when a bound is missing and ``days`` is empty. Refuses a start after the end."""
    if (start is None or end is None) and len(days) == 0:
        return None
    first = pd.Timestamp(start) if start is not None else days.min()
    last = pd.Timestamp(end) if end is not None else days.max()
    if first > last:
        raise InvalidValueError(
            "date range",
            f"{first.date()}…{last.date()}",
            "the start is after the end",
            hint="swap the two dates",
        )
    return first, last


def hourly_result(window: pd.Series, value: float) -> IndexValue:
    """An hourly index with counts in hours; complete when ≥ 80 % of days have ≥ 20 hours.

    The value is None when no hour is present.
    """
    present = window.notna()
    per_day = present.groupby(climatological_dates(window.index)).sum()
    full_days = int((per_day >= MIN_HOURS_PER_DAY).sum())
    n_missing = int((~present).sum())
    shown = value if bool(present.any()) else None
    return IndexValue(shown, len(window), n_missing, is_complete(full_days, len(per_day)))
