"""Chilling and forcing from hourly air temperature (§3.1, §10.5), plus a daily chill proxy.

The models are the four used for wintersweet by the CPON study cited in §3.1: chilling hours,
the Utah model, the Dynamic model (chill portions) and growing degree hours (GDH). Hourly
input is a Series of air temperature [°C] indexed by Beijing-time timestamps; missing hours
are skipped and reported (see :mod:`obs.indices._base`). Without hourly data, either count
chill days with :func:`chill_days` or synthesise hours with
:func:`obs.indices.hourly_from_daily` and feed them to these functions.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from obs.errors import InvalidValueError
from obs.indices._base import IndexValue, counted, daily_window, element, hourly_result
from obs.indices._base import hourly_window as _window
from schemas.indices import (
    CHILL_DAY_TMEAN,
    CHILL_START,
    CHILLING_HOURS_HIGH,
    CHILLING_HOURS_LOW,
    DYNAMIC_MODEL,
    GDH_MODEL,
    UTAH_CLASSES,
    DynamicModelParameters,
    GdhParameters,
)


def chill_start(season: int) -> dt.date:
    """First day of chill accumulation for a season (1 Oct of its first year, §10.5)."""
    return dt.date(season, *CHILL_START)


def chilling_hours(
    hourly: pd.Series, start: dt.date | None = None, end: dt.date | None = None
) -> IndexValue:
    """Chilling hours: hours with 0 ≤ T ≤ 7.2 °C (Weinberger 1950). [h]"""
    temps = _window(hourly, start, end)
    inside = (temps >= CHILLING_HOURS_LOW) & (temps <= CHILLING_HOURS_HIGH)
    return hourly_result(temps, float(inside.sum()))


def utah_weights(temps: np.ndarray) -> np.ndarray:
    """Utah chill units per hour (Richardson et al. 1974, ``UTAH_CLASSES``); NaN stays. [CU]"""
    bounds = np.array([upper for upper, _ in UTAH_CLASSES])
    units = np.array([unit for _, unit in UTAH_CLASSES])
    classes = np.searchsorted(bounds, np.nan_to_num(temps, nan=0.0), side="left")
    return np.where(np.isnan(temps), np.nan, units[classes])


def utah_chill_units(
    hourly: pd.Series, start: dt.date | None = None, end: dt.date | None = None
) -> IndexValue:
    """Utah chill units summed over the hours present, negatives included (as chillR). [CU]"""
    temps = _window(hourly, start, end)
    present = temps.dropna().to_numpy()
    return hourly_result(temps, float(utah_weights(present).sum()))


def gdh_weights(temps: np.ndarray, params: GdhParameters = GDH_MODEL) -> np.ndarray:
    """Growing degree hours per hour, ASYMCUR (Anderson, Richardson & Kesner 1986). [°C·h]

    Between base and optimum: stress·(To − Tb)/2·(1 + cos(π + π (T − Tb)/(To − Tb))); between
    optimum and critical: stress·(To − Tb)·(1 + cos(π/2 + π/2 (T − To)/(Tc − To))); zero
    outside [Tb, Tc]; NaN stays NaN. Same case limits as chillR ``GDH``.
    """
    base, opt, crit, stress = params.base, params.optimum, params.critical, params.stress
    rising = stress * (opt - base) / 2 * (1 + np.cos(np.pi * (1 + (temps - base) / (opt - base))))
    falling = stress * (opt - base) * (1 + np.cos(np.pi / 2 * (1 + (temps - opt) / (crit - opt))))
    weights = np.where((temps >= base) & (temps <= opt), rising, 0.0)
    weights = np.where((temps > opt) & (temps <= crit), falling, weights)
    return np.where(np.isnan(temps), np.nan, weights)


def growing_degree_hours(
    hourly: pd.Series,
    start: dt.date | None = None,
    end: dt.date | None = None,
    params: GdhParameters = GDH_MODEL,
) -> IndexValue:
    """Growing degree hours (ASYMCUR: base 4, optimum 25, critical 36 °C). [°C·h]"""
    temps = _window(hourly, start, end)
    return hourly_result(temps, float(gdh_weights(temps.dropna().to_numpy(), params).sum()))


def chill_portion_increments(
    temps: np.ndarray, params: DynamicModelParameters = DYNAMIC_MODEL
) -> np.ndarray:
    """Chill portions gained in each hour by the Dynamic model (Fishman et al. 1987).

    Each hour the intermediate x relaxes towards xs = aa·exp(ee/T) at rate k1 = a1·exp(−e1/T):
    x ← xs − (xs − x)·exp(−k1). If x ≥ 1, the fraction ξ = sr/(1 + sr) with
    sr = exp(slp·tetmlt·(T − tetmlt)/T) becomes a permanent portion and leaves x. T in K.
    This is chillR's ``Dynamic_Model`` loop (Luedeling et al. 2009), except that the first
    hour contributes too: the result for hours 1…n equals chillR's for hours 0…n.
    ``temps`` [°C] must be gap-free (:func:`chill_portions` drops missing hours first).
    """
    if np.isnan(temps).any():
        raise InvalidValueError(
            "hourly temperatures", None, "contain NaN", hint="drop or fill the missing hours first"
        )
    tk = temps + params.kelvin_offset
    sr = np.exp(params.slp * params.tetmlt * (tk - params.tetmlt) / tk)
    xi = sr / (1.0 + sr)
    xs = params.aa * np.exp(params.ee / tk)
    keep = np.exp(-params.a1 * np.exp(-params.e1 / tk))
    gained = np.zeros(len(temps))
    x = 0.0
    for hour in range(len(temps)):
        x = float(xs[hour] - (xs[hour] - x) * keep[hour])
        if x >= 1.0:
            gained[hour] = x * xi[hour]
            x -= gained[hour]
    return gained


def chill_portions(
    hourly: pd.Series,
    start: dt.date | None = None,
    end: dt.date | None = None,
    params: DynamicModelParameters = DYNAMIC_MODEL,
) -> IndexValue:
    """Chill portions (Dynamic model) accumulated from zero at ``start``. [CP]

    Missing hours are skipped: the intermediate carries over the gap unchanged.
    """
    temps = _window(hourly, start, end)
    gained = chill_portion_increments(temps.dropna().to_numpy(), params)
    return hourly_result(temps, float(gained.sum()))


def chill_days(
    daily: pd.DataFrame,
    start: dt.date | None = None,
    end: dt.date | None = None,
    threshold: float = CHILL_DAY_TMEAN,
) -> IndexValue:
    """Daily chill proxy (§10.5): days with t_mean ≤ ``threshold`` (7 °C). [d]"""
    t_mean = element(daily_window(daily, start, end), "t_mean")
    return counted(t_mean <= threshold, t_mean)
