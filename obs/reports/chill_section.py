"""Chilling and forcing before first bloom (§10.5), from hourly data when the station has them.

The window runs from 1 October (:func:`obs.indices.chill_start`) to the day before the first
flowering date (FLS). Hourly temperatures are the sub-daily records averaged per hour by the
database; when the window has no sub-daily data they are synthesised from daily t_min/t_max
by the Linvill curve (:func:`obs.indices.hourly_from_daily`) and the notes say so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd

from obs import indices
from obs.reports.model import Section, whole_numbers
from obs.reports.stage_tables import single_dates
from obs.seasons import season_bounds

#: Share of the window's hours that sub-daily data must cover to be used instead of the
#: synthesised curve [1]; below it the Linvill hours are used for the whole window.
MIN_OBSERVED_HOUR_SHARE = 0.8
_COLUMNS = ["index", "value", "unit", "source", "start", "end", "hours_missing", "complete"]
_MODELS = (  # (index name, function, unit, decimals)
    ("chilling_hours", indices.chilling_hours, "h", 0),
    ("chill_portions", indices.chill_portions, "CP", 1),
    ("utah_chill_units", indices.utah_chill_units, "CU", 0),
    ("growing_degree_hours", indices.growing_degree_hours, "°C·h", 0),
)


def chill_window(
    season: int, first_bloom: dt.date | None, last_day: dt.date
) -> tuple[dt.date, dt.date]:
    """1 Oct of the season to the day before first bloom (or ``last_day`` without one)."""
    start = indices.chill_start(season)
    end = first_bloom - dt.timedelta(days=1) if first_bloom is not None else last_day
    return start, max(start, min(end, last_day))


def window_of(season: int, dates: Sequence[Any]) -> tuple[dt.date, dt.date]:
    """The chilling window of ``season`` from the stage dates: to the day before its first FLS."""
    single = single_dates([d for d in dates if d.season == season])
    fls = single.loc[single["stage"] == "FLS", "date"]
    first_bloom = min(fls) if len(fls) else None
    _, season_end = season_bounds(season)
    return chill_window(season, first_bloom, season_end)


def hourly_for(
    observed: pd.Series,
    latitude: float,
    longitude: float,
    daily: pd.DataFrame,
    start: dt.date,
    end: dt.date,
) -> tuple[pd.Series, bool]:
    """Hourly temperatures of the window and whether they were observed (else synthesised).

    ``observed`` holds the hourly means of the sub-daily records of the window.
    """
    expected = ((end - start).days + 1) * 24
    if len(observed) >= MIN_OBSERVED_HOUR_SHARE * expected:
        return observed, True
    window = daily.loc[pd.Timestamp(start - dt.timedelta(days=1)) : pd.Timestamp(end)]
    synthetic = indices.hourly_from_daily(window, latitude, longitude)
    return synthetic, False


def chill_section(
    hourly: pd.Series, observed: bool, daily: pd.DataFrame, start: dt.date, end: dt.date
) -> Section:
    """Chilling hours, chill portions, Utah units, GDH and the daily proxy over the window."""
    source = "observed hourly" if observed else "hourly from daily (Linvill)"
    rows = []
    for name, func, unit, decimals in _MODELS:
        value = func(hourly, start, end)
        rows.append(_row(name, value, unit, decimals, source, start, end))
    days = indices.chill_days(daily, start, end)
    rows.append(_row("chill_days_tmean_le7", days, "d", 0, "daily", start, end))
    frame = whole_numbers(pd.DataFrame(rows, columns=_COLUMNS), ("hours_missing",))
    frame["value"] = pd.Series([r["value"] for r in rows], index=frame.index, dtype=object)
    zh = (
        f"需冷量统计时段 {start}…{end}（10月1日至始花期前一日）。",
        "逐时气温来自逐时/分钟观测资料按小时平均。"
        if observed
        else "本时段无逐时观测资料，逐时气温由逐日最高、最低气温按 Linvill 曲线推算。",
    )
    en = (
        f"Chilling window {start}…{end} (1 Oct to the day before first flowering).",
        "Hourly temperatures are hourly means of the sub-daily records."
        if observed
        else "No sub-daily records in this window: hourly temperatures were synthesised from "
        "daily Tmin/Tmax (Linvill curve).",
    )
    return Section("chilling", "始花前需冷量", "Chilling before first bloom", frame, zh, en)


def _row(
    name: str,
    value: indices.IndexValue,
    unit: str,
    decimals: int,
    source: str,
    start: dt.date,
    end: dt.date,
) -> dict[str, object]:
    number: float | int | None = None
    if value.value is not None:
        number = round(float(value.value), decimals) if decimals else round(value.value)
    missing = int(value.n_missing) if unit != "d" else None
    return {
        "index": name,
        "value": number,
        "unit": unit,
        "source": source,
        "start": start,
        "end": end,
        "hours_missing": missing,
        "complete": value.complete,
    }
