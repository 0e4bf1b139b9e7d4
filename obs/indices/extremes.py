"""Indices people compare with other programs: heating and cooling degree days, temperature
day counts, rain days by the CMA classes, the wettest day, and precipitation totals summed
from unrounded values where the store has them.

All take a daily frame indexed by date (the columns of ``schemas.weather.DAILY_ELEMENTS``) and
an inclusive date range, and follow the missing-data policy of :mod:`obs.indices._base`.
Bases and thresholds are data in :mod:`schemas.indices`.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import numpy as np
import pandas as pd

from obs.imports.weather.values import round_half_up
from obs.indices._base import IndexValue, counted, daily_window, element, summed
from obs.indices.counts import Extreme, highest, lowest
from schemas.indices import (
    COOLING_DEGREE_BASE,
    DAILY_PRECIP_RESOLUTION,
    DEGREE_DAY_ELEMENT,
    HEATING_DEGREE_BASE,
    RAIN_CLASS_DAYS,
    TEMPERATURE_DAYS,
    DayThreshold,
)

DegreeDayKind = Literal["heating", "cooling"]


def degree_days(
    daily: pd.DataFrame,
    kind: DegreeDayKind,
    base: float,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> IndexValue:
    """Heating (Σ max(0, base − T)) or cooling (Σ max(0, T − base)) degree days of the daily
    mean T over the days present. [°C·d]"""
    t = element(daily_window(daily, start, end), DEGREE_DAY_ELEMENT)
    excess = (base - t) if kind == "heating" else (t - base)
    return summed(excess.clip(lower=0.0))


def threshold_days(
    daily: pd.DataFrame,
    rule: DayThreshold,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> IndexValue:
    """Days on which ``rule.element`` is ≥ or ≤ ``rule.threshold``, among the days present. [d]"""
    values = element(daily_window(daily, start, end), rule.element)
    mask = values >= rule.threshold if rule.comparison == ">=" else values <= rule.threshold
    return counted(mask, values)


def wettest_day(
    daily: pd.DataFrame, start: dt.date | None = None, end: dt.date | None = None
) -> Extreme:
    """The largest daily precipitation and every day it fell on (ties: several days); no days
    when it is 0 (a dry period has no wettest day). [mm]"""
    found = highest(daily, "precip", start, end)
    if found.value == 0.0:
        return Extreme(0.0, (), found.n_expected, found.n_missing, found.complete)
    return found


def precipitation_total_unrounded(
    daily: pd.DataFrame,
    unrounded: pd.Series | None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> IndexValue:
    """Total precipitation with each day's unrounded sum where the store has it. [mm]

    ``unrounded`` holds per day the sum of the stored sub-daily values of the climatological
    day. It replaces the stored daily value only where it rounds (half up, to
    ``DAILY_PRECIP_RESOLUTION``) to that value, so a day amended or stored from a daily file
    keeps its daily value. Without ``unrounded`` this is the sum of the daily values.
    """
    stored = element(daily_window(daily, start, end), "precip")
    if unrounded is None or unrounded.empty:
        return summed(stored)
    raw = _on_days(unrounded, stored.index)
    agrees = raw.notna() & stored.notna()
    agrees &= np.isclose(round_half_up(raw.fillna(0.0), DAILY_PRECIP_RESOLUTION), stored)
    return summed(stored.where(~agrees, raw))


def period_indices(
    daily: pd.DataFrame,
    start: dt.date,
    end: dt.date,
    *,
    heating_base: float = HEATING_DEGREE_BASE,
    cooling_base: float = COOLING_DEGREE_BASE,
    unrounded: pd.Series | None = None,
) -> dict[str, object]:
    """Every index of this module over [start, end], as one row (see :func:`index_columns`).

    ``*_days`` beside an extreme count the days it occurred on: more than 1 means ties, and the
    date given is the first of them.
    """
    wet, hot, cold = (
        wettest_day(daily, start, end),
        highest(daily, start=start, end=end),
        lowest(daily, start=start, end=end),
    )
    values: dict[str, IndexValue] = {
        "hdd": degree_days(daily, "heating", heating_base, start, end),
        "cdd": degree_days(daily, "cooling", cooling_base, start, end),
        **{r.key: threshold_days(daily, r, start, end) for r in TEMPERATURE_DAYS},
        "precip_total": precipitation_total_unrounded(daily, unrounded, start, end),
        **{r.key: threshold_days(daily, r, start, end) for r in RAIN_CLASS_DAYS},
    }
    row: dict[str, object] = {name: v.value for name, v in values.items()}
    row.update(
        precip_max=wet.value, precip_max_date=wet.day, precip_max_days=len(wet.days) or None,
        t_max_extreme=hot.value, t_max_extreme_date=hot.day,
        t_max_extreme_days=len(hot.days) or None,
        t_min_extreme=cold.value, t_min_extreme_date=cold.day,
        t_min_extreme_days=len(cold.days) or None,
        n_days=(end - start).days + 1,
        complete=all(v.complete for v in values.values()),
    )  # fmt: skip
    return {c: row[c] for c in index_columns()}


def index_columns() -> list[str]:
    """Columns of :func:`period_indices`, in order."""
    return [
        "hdd", "cdd", *(r.key for r in TEMPERATURE_DAYS),
        "t_max_extreme", "t_max_extreme_date", "t_max_extreme_days",
        "t_min_extreme", "t_min_extreme_date", "t_min_extreme_days",
        "precip_total", "precip_max", "precip_max_date", "precip_max_days",
        *(r.key for r in RAIN_CLASS_DAYS), "n_days", "complete",
    ]  # fmt: skip


def monthly_indices(
    daily: pd.DataFrame,
    start: dt.date,
    end: dt.date,
    *,
    heating_base: float = HEATING_DEGREE_BASE,
    cooling_base: float = COOLING_DEGREE_BASE,
    unrounded: pd.Series | None = None,
) -> pd.DataFrame:
    """:func:`period_indices` of every calendar month of [start, end] (months cut to the
    range), indexed by ``month`` (``"YYYY-MM"``)."""
    rows = {}
    first = start
    while first <= end:
        following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        last = min(end, following - dt.timedelta(days=1))
        rows[f"{first:%Y-%m}"] = period_indices(
            daily, first, last, heating_base=heating_base, cooling_base=cooling_base,
            unrounded=unrounded,
        )  # fmt: skip
        first = following
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=index_columns())
    frame.index.name = "month"
    return frame


def _on_days(series: pd.Series, days: pd.DatetimeIndex) -> pd.Series:
    """``series`` (indexed by dates or day timestamps) on ``days``, NaN where absent."""
    index = pd.DatetimeIndex(pd.to_datetime(series.index)).normalize()
    return pd.Series(series.to_numpy(dtype="float64"), index=index).reindex(days)
