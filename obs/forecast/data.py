"""Plain-data inputs of the bloom forecast: day-of-season dates, daily temperature windows, normals.

A season is named by the year its bloom starts (``2024`` = 2024/25, :mod:`obs.seasons`). Within a
season, days are counted from the forecast reference date (1 Oct of the season year by default,
day 0), across the new year, so 5 Jan 2025 is day 96 of season 2024.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from obs.errors import InvalidValueError
from obs.seasons import day_of_season, season_label, season_of
from schemas.forecast import (
    FORECAST_REFERENCE,
    MAX_INTERPOLATED_GAP_DAYS,
    NORMALS_SMOOTHING_DAYS,
    TRAINING_MARGIN_DAYS,
    WINDOW_DAYS,
)

FloatArray = npt.NDArray[np.float64]

#: Number of positions in the leap-year calendar used for daily normals.
_CALENDAR_DAYS = 366


def to_day_of_season(
    day: dt.date, reference: tuple[int, int] = FORECAST_REFERENCE
) -> tuple[int, int]:
    """``(season, day of season)`` of a date: its season starts on the last ``reference`` day.

    Example: 5 Jan 2025 -> ``(2024, 96)``; 1 Oct 2024 -> ``(2024, 0)``; 20 Apr 2025 -> ``(2024,
    201)``. For dates from 1 Oct to 31 Mar the season is :func:`obs.seasons.season_of`'s.
    """
    season = season_of(day, reference)
    return season, day_of_season(day, season, reference)


def derive_reference(
    dates: Sequence[dt.date], *, window_days: int = WINDOW_DAYS
) -> tuple[int, int]:
    """The season start for a series of event dates in any months.

    The default (1 Oct, :data:`schemas.forecast.FORECAST_REFERENCE`) when every event falls
    inside its window; else the first of the month nearest to the middle of the longest run of
    calendar days without an event (so an April–May budburst or a July event gets a window
    that starts months before it). Refused when the events spread over more of the year than
    the window holds.
    """
    if not dates:
        return FORECAST_REFERENCE
    if _fits(dates, FORECAST_REFERENCE, window_days):
        return FORECAST_REFERENCE
    index = pd.DatetimeIndex(pd.to_datetime(list(dates)))
    days = np.unique(calendar_position(index))
    gaps = np.diff(np.r_[days, days[0] + _CALENDAR_DAYS])
    at = int(np.argmax(gaps))
    middle = (int(days[at]) + int(gaps[at]) // 2) % _CALENDAR_DAYS
    day = dt.date(2000, 1, 1) + dt.timedelta(days=middle)  # 2000: a leap-year calendar
    month = day.month if day.day <= 15 else day.month % 12 + 1
    reference = (month, 1)
    if not _fits(dates, reference, window_days):
        first, last = min(dates), max(dates)
        raise InvalidValueError(
            "events",
            None,
            f"spread over more of the year than a {window_days}-day season window holds "
            f"({first} … {last})",
            hint="give --season-start MM-DD, or fit the events of each part of the year apart",
        )
    return reference


def _fits(dates: Sequence[dt.date], reference: tuple[int, int], window_days: int) -> bool:
    return all(0 <= to_day_of_season(d, reference)[1] < window_days for d in dates)


def parse_season_start(text: str, lang: str = "zh") -> tuple[int, int]:
    """``MM-DD`` -> ``(month, day)``; refuse a malformed or impossible day and 29 Feb."""
    zh = lang == "zh"
    parts = text.strip().split("-")
    if len(parts) != 2 or not all(p.isdigit() and len(p) == 2 for p in parts):
        raise InvalidValueError(
            "--season-start",
            text,
            "不是“月-日”格式" if zh else "is not a month and day",
            hint="写成 MM-DD，例如 10-01" if zh else "write MM-DD, e.g. 10-01",
        )
    month, day = int(parts[0]), int(parts[1])
    try:
        dt.date(2001, month, day)
    except ValueError:
        if (month, day) == (2, 29):
            hint = (
                "2月29日不是每年都有；用 02-28 或 03-01"
                if zh
                else "29 Feb is not in every year; use 02-28 or 03-01"
            )
        else:
            hint = (
                "用每年都有的日期，例如 10-01"
                if zh
                else "a day that exists in every year, e.g. 10-01"
            )
        problem = "不是一年中的日期" if zh else "is not a day of the year"
        raise InvalidValueError("--season-start", text, problem, hint=hint) from None
    return month, day


def from_day_of_season(
    season: int, day: int, reference: tuple[int, int] = FORECAST_REFERENCE
) -> dt.date:
    """The date of day ``day`` of ``season`` (inverse of :func:`to_day_of_season`)."""
    return dt.date(season, *reference) + dt.timedelta(days=int(day))


def events_from_dates(
    dates: Iterable[dt.date], reference: tuple[int, int] = FORECAST_REFERENCE
) -> pd.DataFrame:
    """Event dates -> frame with columns ``season`` and ``doy`` (day of season). [d]"""
    rows = [to_day_of_season(day, reference) for day in dates]
    return pd.DataFrame(rows, columns=["season", "doy"], dtype="int64")


@dataclass(frozen=True, slots=True)
class TrainingSet:
    """Observed events with the temperature window of their season, one row per case.

    ``temps[i]`` is the daily mean temperature [°C] of case ``i`` by day of season;
    ``seasons`` groups the cases for leave-one-season-out (several sites share a season when
    pooled). ``excluded`` lists seasons dropped because they lack temperature up to their event
    plus :data:`schemas.forecast.TRAINING_MARGIN_DAYS`, and ``notes`` says why, one sentence per
    dropped case ("2024/25: needs daily mean temperature to 2025-01-02; data end 2024-12-20").
    ``filled`` lists the seasons whose window after that day was taken from the daily normals.
    """

    seasons: npt.NDArray[np.int64]
    sites: tuple[str, ...]
    observed: FloatArray
    temps: FloatArray
    excluded: tuple[int, ...]
    reference: tuple[int, int] = FORECAST_REFERENCE
    notes: tuple[str, ...] = ()
    filled: tuple[int, ...] = ()
    notes_zh: tuple[str, ...] = ()  # ``notes`` in Chinese, in the same order

    def notes_in(self, lang: str) -> tuple[str, ...]:
        """``notes`` in ``lang`` (zh or en)."""
        return self.notes_zh if lang == "zh" and self.notes_zh else self.notes


def daily_series(temps: pd.Series) -> pd.Series:
    """Daily mean temperature on a gap-free daily index, short gaps interpolated. [°C]

    Interior runs of at most :data:`schemas.forecast.MAX_INTERPOLATED_GAP_DAYS` missing days
    are filled linearly; longer runs stay ``NaN``.
    """
    index = pd.DatetimeIndex(pd.to_datetime(temps.index)).normalize()
    series = pd.Series(pd.to_numeric(temps.to_numpy(), errors="coerce"), index=index).dropna()
    if series.index.has_duplicates:
        first = series.index[series.index.duplicated()][0]
        raise InvalidValueError("temperature date", first.date(), "appears more than once")
    if series.empty:
        raise InvalidValueError(
            "temperature",
            None,
            "has no values",
            hint="pass daily mean temperatures indexed by date",
        )
    full = series.sort_index().asfreq("D")
    return full.interpolate(limit=MAX_INTERPOLATED_GAP_DAYS, limit_area="inside").where(
        _short_gap_mask(full)
    )


def _short_gap_mask(series: pd.Series) -> pd.Series:
    """True where a value is present or sits in an interior gap short enough to fill."""
    missing = series.isna()
    run_id = (missing != missing.shift()).cumsum()
    run_len = missing.groupby(run_id).transform("size")
    return ~missing | (run_len <= MAX_INTERPOLATED_GAP_DAYS)


def season_window(
    series: pd.Series,
    season: int,
    *,
    reference: tuple[int, int] = FORECAST_REFERENCE,
    window_days: int = WINDOW_DAYS,
) -> FloatArray:
    """Temperatures of one season by day of season, ``NaN`` where missing. [°C]"""
    start = pd.Timestamp(dt.date(season, *reference))
    index = pd.date_range(start, periods=window_days, freq="D")
    return np.asarray(series.reindex(index).to_numpy(dtype=np.float64), dtype=np.float64)


def complete_windows(
    series: pd.Series,
    seasons: Sequence[int],
    *,
    reference: tuple[int, int] = FORECAST_REFERENCE,
    window_days: int = WINDOW_DAYS,
) -> dict[int, FloatArray]:
    """Windows of the given seasons that have no missing day."""
    windows = {
        s: season_window(series, s, reference=reference, window_days=window_days) for s in seasons
    }
    return {s: w for s, w in windows.items() if not np.isnan(w).any()}


def _event_table(events: pd.DataFrame, reference: tuple[int, int]) -> pd.DataFrame:
    if {"season", "doy"} <= set(events.columns):
        table = events[["season", "doy"]]
    elif "date" in events.columns:
        table = events_from_dates((pd.Timestamp(d).date() for d in events["date"]), reference)
    else:
        raise InvalidValueError("events", None, "needs columns season and doy (or date)")
    values = table.to_numpy(dtype=np.float64, na_value=np.nan)
    if np.isnan(values).any() or np.any(values != np.round(values)):
        raise InvalidValueError("events", None, "season and doy must be whole numbers")
    return pd.DataFrame(values.astype(np.int64), columns=["season", "doy"])


def build_training(
    events: pd.DataFrame,
    temps: pd.Series,
    *,
    site: str = "",
    reference: tuple[int, int] = FORECAST_REFERENCE,
    window_days: int = WINDOW_DAYS,
    margin_days: int = TRAINING_MARGIN_DAYS,
) -> TrainingSet:
    """Pair each observed event with its season's temperature window.

    A season trains when its daily mean temperature is complete from the reference date to
    ``margin_days`` after its event; the window's later days, where missing, are taken from
    the daily normals of all of ``temps`` (:func:`daily_normals`). On complete windows nothing
    is filled, so the fit is the same as with the whole window required.

    Parameters
    ----------
    events : columns ``season`` and ``doy`` (day of season) [d], or a ``date`` column.
    temps : daily mean temperature indexed by date. [°C]
    site : label carried into the result (for pooled fits and messages).
    margin_days : days after the event that must have temperature. [d]
    """
    table = _event_table(events, reference)
    _check_events(table, site, window_days, reference)
    series = daily_series(temps)
    normals = daily_normals(series)
    windows: dict[int, FloatArray] = {}
    notes: list[str] = []
    notes_zh: list[str] = []
    filled: list[int] = []
    for season, doy in table.itertuples(index=False, name=None):
        window = season_window(series, season, reference=reference, window_days=window_days)
        need = min(int(doy) + margin_days + 1, window_days)
        why = _lacking(series, season, window, need, reference)
        if why is None and np.isnan(window[need:]).any():
            dates = pd.date_range(dt.date(season, *reference), periods=window_days, freq="D")
            window = np.where(np.isnan(window), normals[calendar_position(dates)], window)
            filled.append(season)
            if np.isnan(window).any():
                after = dates[need - 1].date()
                why = (f"no daily normals to fill the window after {after}",
                       f"{after}以后的窗口没有逐日常年值可补")  # fmt: skip
        if why is None:
            windows[season] = window
        else:
            notes.append(f"{season_label(season)}{_at(site)}: {why[0]}")
            at_zh = f"（站点{site}）" if site else ""
            notes_zh.append(f"{season_label(season)}年度{at_zh}：{why[1]}")
    kept = table[table["season"].isin(list(windows))]
    return TrainingSet(
        seasons=kept["season"].to_numpy(dtype=np.int64),
        sites=(site,) * len(kept),
        observed=kept["doy"].to_numpy(dtype=np.float64),
        temps=np.array([windows[s] for s in kept["season"]], dtype=np.float64).reshape(
            len(kept), window_days
        ),
        excluded=tuple(sorted(set(table["season"]) - set(windows))),
        reference=reference,
        notes=tuple(notes),
        filled=tuple(s for s in filled if s in windows),
        notes_zh=tuple(notes_zh),
    )


def _at(site: str) -> str:
    return f" at site {site}" if site else ""


def _check_events(
    table: pd.DataFrame, site: str, window_days: int, reference: tuple[int, int]
) -> None:
    """Refuse two events in one season and an event outside the window."""
    if table["season"].duplicated().any():
        season = int(table.loc[table["season"].duplicated(), "season"].iloc[0])
        raise InvalidValueError(
            "season",
            season_label(season),
            f"has two events{_at(site)} (seasons start on {reference[0]:02d}-{reference[1]:02d})",
        )
    outside = table[(table["doy"] < 0) | (table["doy"] >= window_days)]
    if not outside.empty:
        row = outside.iloc[0]
        season = int(row["season"])
        day = from_day_of_season(season, int(row["doy"]), reference)
        end = from_day_of_season(2001, window_days - 1, reference)
        raise InvalidValueError(
            "event",
            day,
            f"of season {season_label(season)}{_at(site)} is outside the season window "
            f"{reference[0]:02d}-{reference[1]:02d}…{end:%m-%d} ({window_days} days)",
            hint="give --season-start MM-DD so the window covers every event, or leave it out "
            "to derive the window from the events",
        )


def _lacking(
    series: pd.Series, season: int, window: FloatArray, need: int, reference: tuple[int, int]
) -> tuple[str, str] | None:
    """Why the first ``need`` days of a season's window cannot train (en, zh), or None."""
    gaps = np.flatnonzero(np.isnan(window[:need]))
    if gaps.size == 0:
        return None
    start = dt.date(season, *reference)
    until = start + dt.timedelta(days=need - 1)
    first = start + dt.timedelta(days=int(gaps[0]))
    if gaps.size == need - gaps[0]:  # everything from the first gap on is missing
        before = series[series.index < pd.Timestamp(first)].dropna()
        end = before.index[-1].date() if not before.empty else None
        shown = f"data end {end}" if end is not None else "no data up to then"
        shown_zh = f"资料止于{end}" if end is not None else "此前无资料"
        return (
            f"needs daily mean temperature to {until}; {shown}",
            f"需要截至{until}的日平均气温；{shown_zh}",
        )
    if gaps[0] == 0 and series[series.index < pd.Timestamp(start)].dropna().empty:
        begins = series.dropna().index[0].date()
        return (
            f"needs daily mean temperature from {start} to {until}; data start {begins}",
            f"需要{start}至{until}的日平均气温；资料始于{begins}",
        )
    return (
        f"needs daily mean temperature {start} to {until}; {gaps.size} day(s) missing from {first}",
        f"需要{start}至{until}的日平均气温；自{first}起缺{gaps.size}天",
    )


def combine_training(parts: Sequence[TrainingSet]) -> TrainingSet:
    """Pool training sets of several sites; a season stays one cross-validation group."""
    return TrainingSet(
        seasons=np.concatenate([p.seasons for p in parts]),
        sites=tuple(site for p in parts for site in p.sites),
        observed=np.concatenate([p.observed for p in parts]),
        temps=np.concatenate([p.temps for p in parts], axis=0),
        excluded=tuple(sorted({s for p in parts for s in p.excluded})),
        reference=parts[0].reference,
        notes=tuple(n for p in parts for n in p.notes),
        notes_zh=tuple(n for p in parts for n in p.notes_in("zh")),
        filled=tuple(sorted({s for p in parts for s in p.filled})),
    )


def calendar_position(index: pd.DatetimeIndex) -> npt.NDArray[np.intp]:
    """Position 0…365 of each date in a leap-year calendar (29 Feb = 59, 1 Mar = 60)."""
    shift = (~index.is_leap_year & (index.month > 2)).astype(np.intp)
    return np.asarray(index.day_of_year.to_numpy() - 1 + shift, dtype=np.intp)


def daily_normals(series: pd.Series, width: int = NORMALS_SMOOTHING_DAYS) -> FloatArray:
    """Mean temperature by calendar day, smoothed by a centred circular moving average. [°C]

    The mean of each of the 366 calendar days over all years present is averaged with its
    ``width`` neighbours (circular across 31 Dec / 1 Jan; days without data are skipped).
    Returned by :func:`calendar_position`; ``NaN`` only where no day in the window has data.
    """
    valid = series.dropna()
    position = calendar_position(pd.DatetimeIndex(valid.index))
    sums = np.bincount(position, weights=valid.to_numpy(dtype=np.float64), minlength=_CALENDAR_DAYS)
    counts = np.bincount(position, minlength=_CALENDAR_DAYS)
    present = counts > 0
    means = np.divide(sums, counts, out=np.zeros(_CALENDAR_DAYS), where=present)
    kernel = np.ones(width)
    total = np.convolve(np.tile(means, 3), kernel, mode="same")[_CALENDAR_DAYS:-_CALENDAR_DAYS]
    weight = np.convolve(np.tile(present * 1.0, 3), kernel, mode="same")[
        _CALENDAR_DAYS:-_CALENDAR_DAYS
    ]
    normals = np.full(_CALENDAR_DAYS, np.nan)
    np.divide(total, weight, out=normals, where=weight > 0)
    return normals
