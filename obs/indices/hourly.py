"""Hourly air temperatures synthesised from daily t_min and t_max (Linvill 1990).

Daytime (sunrise < h ≤ sunset) follows a sine, T = Tmin + (Tmax − Tmin)·sin(π (h − sunrise) /
(L + 4)), with L the day length; at night the temperature decays logarithmically from the
sunset value Ts to the next day's Tmin, T = Ts − (Ts − Tmin_next)·ln(1 + t)/ln(1 + N), with t
the hours since sunset and N the night length (Linvill 1990, HortScience 25: 14–16, in the
form used by chillR ``make_hourly_temps``). Sunrise and sunset come from the solar
declination of Spencer (1971) with the sun's centre at −0.8333°, shifted from local solar
time to Beijing time by (120° − longitude)/15 h (the equation of time, < 17 min, is ignored).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from obs.clock import climatological_dates
from obs.errors import InvalidValueError
from obs.indices._base import daily_window, element
from schemas.indices import (
    BT_MERIDIAN,
    LINVILL_DAYLENGTH_PAD,
    MAX_ABS_LATITUDE,
    STATION_LATITUDE,
    STATION_LONGITUDE,
    SUNRISE_ALTITUDE,
)


def sun_times(days: pd.DatetimeIndex, latitude: float, longitude: float) -> pd.DataFrame:
    """Sunrise and sunset [h, Beijing time] and day length [h] for each day.

    Declination by the Fourier series of Spencer (1971); hour angle of sunrise from
    cos ω = (sin h0 − sin φ sin δ)/(cos φ cos δ) with h0 = −0.8333°.
    """
    gamma = 2 * np.pi * (days.day_of_year.to_numpy() - 1) / 365
    decl = (
        0.006918
        - 0.399912 * np.cos(gamma)
        + 0.070257 * np.sin(gamma)
        - 0.006758 * np.cos(2 * gamma)
        + 0.000907 * np.sin(2 * gamma)
        - 0.002697 * np.cos(3 * gamma)
        + 0.00148 * np.sin(3 * gamma)
    )
    phi = math.radians(latitude)
    cos_w = (math.sin(math.radians(SUNRISE_ALTITUDE)) - math.sin(phi) * np.sin(decl)) / (
        math.cos(phi) * np.cos(decl)
    )
    half_day = np.degrees(np.arccos(np.clip(cos_w, -1.0, 1.0))) / 15.0
    noon = 12.0 + (BT_MERIDIAN - longitude) / 15.0
    return pd.DataFrame(
        {"sunrise": noon - half_day, "sunset": noon + half_day, "day_length": 2 * half_day},
        index=days,
    )


def hourly_from_daily(
    daily: pd.DataFrame,
    latitude: float = STATION_LATITUDE,
    longitude: float = STATION_LONGITUDE,
) -> pd.Series:
    """Hourly temperatures [°C] from daily ``t_min`` and ``t_max`` by the Linvill curve.

    Parameters
    ----------
    daily
        Daily frame with ``t_min`` and ``t_max`` [°C], indexed by date.
    latitude, longitude
        Site position [°N, °E]; defaults to Beibei.

    Returns
    -------
    pandas.Series
        Temperatures on the hours of the climatological days of ``daily`` (21:00 BT of the day
        before to 20:00 BT), indexed by naive BT timestamps. Hours whose curve needs a missing
        t_min or t_max (of the day itself or a neighbour) are NaN, so they count as missing.
    """
    if abs(latitude) > MAX_ABS_LATITUDE:
        raise InvalidValueError(
            "latitude",
            latitude,
            "is too far from the equator for the day/night temperature curve",
            hint=f"use |latitude| ≤ {MAX_ABS_LATITUDE:g}°",
        )
    window = daily_window(daily)
    if window.empty:
        return pd.Series([], index=pd.DatetimeIndex([], name="time"), dtype="float64", name="t")
    days = pd.date_range(
        window.index[0] - pd.Timedelta(days=2), window.index[-1] + pd.Timedelta(days=1), freq="D"
    )
    frame = sun_times(days, latitude, longitude)
    frame["t_min"] = element(window, "t_min").reindex(days)
    frame["t_max"] = element(window, "t_max").reindex(days)
    values = _linvill(frame).ravel()
    times = pd.DatetimeIndex(np.repeat(days.to_numpy(), 24), name="time") + pd.to_timedelta(
        np.tile(np.arange(24), len(days)), unit="h"
    )
    hourly = pd.Series(values, index=times, name="t")
    keep = climatological_dates(hourly.index).isin(window.index)
    return hourly[keep]


def _linvill(frame: pd.DataFrame) -> np.ndarray:
    """Curve values for clock hours 0–23 (columns) of each calendar day (rows)."""
    rise, sset, length = (frame[c].to_numpy()[:, None] for c in ("sunrise", "sunset", "day_length"))
    t_min, t_max = frame["t_min"].to_numpy()[:, None], frame["t_max"].to_numpy()[:, None]
    pad = LINVILL_DAYLENGTH_PAD
    t_sunset = t_min + (t_max - t_min) * np.sin(np.pi * length / (length + pad))
    hour = np.arange(24.0)[None, :]
    next_min, next_rise = np.roll(t_min, -1, axis=0), np.roll(rise, -1, axis=0)
    prev_ts, prev_set = np.roll(t_sunset, 1, axis=0), np.roll(sset, 1, axis=0)
    day = t_min + (t_max - t_min) * np.sin(np.pi * (hour - rise) / (length + pad))
    evening = t_sunset - (t_sunset - next_min) * np.log1p(np.maximum(hour - sset, 0.0)) / np.log1p(
        24 - sset + next_rise
    )
    morning = prev_ts - (prev_ts - t_min) * np.log1p(hour + 24 - prev_set) / np.log1p(
        24 - prev_set + rise
    )
    values: np.ndarray = np.where(hour <= rise, morning, np.where(hour <= sset, day, evening))
    values[[0, -1], :] = np.nan  # np.roll wrapped these rows around; they are padding only
    return values
