"""Synthetic Beibei-like weather for the demo database (deterministic for a seed).

Climate targets (§10.6, Chongqing/Beibei): annual mean ≈ 18 °C, January ≈ 7.5 °C, July–August
≈ 28.5 °C, summer maxima reaching 38–40 °C, a few winter minima ≤ 0 °C, ≈ 1100 mm of rain a
year mostly in May–September and ≈ 1000–1300 h of sunshine. Daily mean temperature is a
harmonic climatology plus AR(1) anomalies; precipitation occurs with a monthly probability and
a gamma-distributed amount; sunshine is a share of the astronomical day length.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from obs.indices import hourly_from_daily, sun_times

#: Annual mean [°C], half the annual range [°C] and the warmest day of the year.
T_ANNUAL_MEAN, T_AMPLITUDE, T_PEAK_DOY = 18.5, 10.5, 208
#: AR(1) persistence [1] and innovation standard deviation [°C] of daily-mean anomalies.
T_AR1, T_NOISE_SD = 0.75, 1.45
#: Typical diurnal range [°C] and its extra on sunny days [°C per unit sunshine share].
DTR_BASE, DTR_SUN = 5.5, 6.0
#: Monthly precipitation normals, Jan–Dec [mm], and the chance of a rain day [1].
PRECIP_NORMALS = (20, 25, 42, 100, 150, 190, 175, 140, 130, 80, 42, 22)
RAIN_DAY_CHANCE = (0.40, 0.40, 0.42, 0.45, 0.48, 0.48, 0.40, 0.35, 0.45, 0.50, 0.42, 0.40)
#: Mean sunshine share of the day length on dry days, Jan–Dec [1].
SUN_SHARE_DRY = (0.20, 0.25, 0.30, 0.36, 0.38, 0.36, 0.55, 0.60, 0.40, 0.25, 0.20, 0.17)
#: Gamma shape of daily rain amounts [1].
RAIN_SHAPE = 0.65
#: Standard deviation of the hourly noise added to the synthesised day curve [°C].
HOURLY_NOISE_SD = 0.3


def daily_weather(
    start: dt.date, end: dt.date, rng: np.random.Generator, latitude: float, longitude: float
) -> pd.DataFrame:
    """Daily t_mean, t_max, t_min [°C], precip [mm] and sunshine [h], indexed by date."""
    days = pd.date_range(start, end, freq="D", name="day")
    doy = days.day_of_year.to_numpy()
    month = days.month.to_numpy() - 1
    clim = T_ANNUAL_MEAN + T_AMPLITUDE * np.cos(2 * np.pi * (doy - T_PEAK_DOY) / 365.25)
    anomaly = _ar1(len(days), rng)
    rain = rng.random(len(days)) < np.take(RAIN_DAY_CHANCE, month)
    amount = _rain_amounts(rng, month, rain, days)
    share = np.clip(np.take(SUN_SHARE_DRY, month) * rng.uniform(0.3, 1.9, len(days)), 0, 0.85)
    share = np.where(rain, share * rng.uniform(0.0, 0.4, len(days)), share)
    t_mean = clim + anomaly - 1.0 * rain
    dtr = DTR_BASE + DTR_SUN * share + rng.normal(0, 0.8, len(days))
    day_length = sun_times(days, latitude, longitude)["day_length"].to_numpy()
    frame = pd.DataFrame({
        "t_mean": t_mean, "t_max": t_mean + 0.55 * dtr, "t_min": t_mean - 0.45 * dtr,
        "precip": amount, "sunshine": share * day_length,
    }, index=days)  # fmt: skip
    return frame.round(1)


def _ar1(n: int, rng: np.random.Generator) -> np.ndarray:
    noise = rng.normal(0, T_NOISE_SD, n)
    out = np.empty(n)
    level = 0.0
    for i in range(n):
        level = T_AR1 * level + noise[i]
        out[i] = level
    scaled: np.ndarray = out / np.sqrt(1 / (1 - T_AR1**2)) * 1.6
    return scaled


def _rain_amounts(
    rng: np.random.Generator, month: np.ndarray, rain: np.ndarray, days: pd.DatetimeIndex
) -> np.ndarray:
    per_day = np.take(PRECIP_NORMALS, month) / days.days_in_month.to_numpy()
    mean_wet = per_day / np.take(RAIN_DAY_CHANCE, month)
    amounts = rng.gamma(RAIN_SHAPE, mean_wet / RAIN_SHAPE)
    return np.where(rain, np.maximum(amounts, 0.1), 0.0)


def cold_spell(frame: pd.DataFrame, first: dt.date, t_min: tuple[float, ...]) -> None:
    """Overwrite a run of days from ``first`` with a cold spell of the given minima [°C]."""
    for offset, low in enumerate(t_min):
        day = pd.Timestamp(first + dt.timedelta(days=offset))
        frame.loc[day, ["t_min", "t_max", "t_mean", "precip"]] = [low, low + 5.0, low + 2.2, 0.0]


def hourly_records(
    frame: pd.DataFrame, rng: np.random.Generator, latitude: float, longitude: float
) -> pd.Series:
    """Hourly temperatures [°C] on naive BT hours: the Linvill curve plus a little noise."""
    hourly = hourly_from_daily(frame, latitude, longitude).dropna()
    return (hourly + rng.normal(0, HOURLY_NOISE_SD, len(hourly))).round(1)
