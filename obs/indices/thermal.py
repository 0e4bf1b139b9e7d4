"""Accumulated temperature (积温) and growing degree days from daily temperatures.

Definitions of §10.4 (after the CMA agrometeorology textbooks): with a biological lower limit
B, the active accumulated temperature (活动积温) is Σ T over the days with T ≥ B, and the
effective accumulated temperature (有效积温) is Σ (T − B) over the days with T > B, where T is
the daily mean temperature ``t_mean``. Unit °C·d.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from obs.errors import InvalidValueError
from obs.indices._arrays import Bools, Floats, complete_counts, count_where, floored, nansum
from obs.indices._base import IndexValue, daily_window, element
from schemas.indices import ACCUMULATION_BASES, GDD_BASE


@dataclass(frozen=True, slots=True)
class Accumulation:
    """Active and effective accumulated temperature for one base.

    ``days_active`` counts the days with t_mean ≥ base [d]; it and the sums [°C·d] are None
    when no daily mean is present.
    """

    base: float
    active: IndexValue
    effective: IndexValue
    days_active: int | None


def active_accumulated_temperature(
    daily: pd.DataFrame, base: float, start: dt.date | None = None, end: dt.date | None = None
) -> IndexValue:
    """Active accumulated temperature 活动积温: Σ t_mean over days with t_mean ≥ ``base``.

    Parameters
    ----------
    daily
        Daily frame with column ``t_mean`` [°C], indexed by date.
    base
        Biological lower limit B [°C].
    start, end
        Inclusive date range; defaults to the span of ``daily``.

    Returns
    -------
    IndexValue
        The sum [°C·d] over the days present (None when no day is), with the completeness
        counts.
    """
    return accumulations(_t_mean(daily, start, end), (base,))[0].active


def effective_accumulated_temperature(
    daily: pd.DataFrame, base: float, start: dt.date | None = None, end: dt.date | None = None
) -> IndexValue:
    """Effective accumulated temperature 有效积温: Σ (t_mean − B) over days with t_mean > B.

    Same parameters as :func:`active_accumulated_temperature`; the result is in [°C·d].
    """
    return accumulations(_t_mean(daily, start, end), (base,))[0].effective


def accumulated_temperatures(
    daily: pd.DataFrame,
    start: dt.date | None = None,
    end: dt.date | None = None,
    bases: tuple[float, ...] = ACCUMULATION_BASES,
) -> tuple[Accumulation, ...]:
    """Active and effective sums for each base (default 0, 5 and 10 °C), as in §10.4."""
    return accumulations(_t_mean(daily, start, end), bases)


def accumulations(
    t_mean: Floats, bases: tuple[float, ...] = ACCUMULATION_BASES
) -> tuple[Accumulation, ...]:
    """Active (Σ T, T ≥ B) and effective (Σ (T − B), T > B) sums per base B (§10.4) [°C·d].

    ``t_mean`` holds the daily means of every day of the window (NaN = missing); the
    summaries of :mod:`obs.indices.summary` call this on their numpy windows.
    """
    counts = complete_counts(t_mean)
    return tuple(
        Accumulation(
            base=base,
            active=IndexValue(nansum(np.where(_kept(t_mean, base), t_mean, 0.0)), *counts),
            effective=IndexValue(nansum(floored(t_mean - base)), *counts),
            days_active=count_where(t_mean >= base, t_mean),
        )
        for base in bases
    )


def _kept(t_mean: Floats, base: float) -> Bools:
    """Days whose mean counts in the active sum as itself: T ≥ B, or missing (kept NaN)."""
    return np.isnan(t_mean) | (t_mean >= base)


def _t_mean(daily: pd.DataFrame, start: dt.date | None, end: dt.date | None) -> Floats:
    """The daily means of every day of [start, end] as floats (NaN = missing)."""
    values: Floats = element(daily_window(daily, start, end), "t_mean").to_numpy(np.float64)
    return values


def growing_degree_days(
    daily: pd.DataFrame,
    base: float = GDD_BASE,
    start: dt.date | None = None,
    end: dt.date | None = None,
    *,
    cap: float | None = None,
) -> IndexValue:
    """Growing degree days by the average method, floored at zero.

    GDD = Σ max(0, (min(t_max, cap) + t_min) / 2 − base): McMaster & Wilhelm (1997, Agric.
    For. Meteorol. 87: 291–300) method 1, with the optional upper cap applied to t_max
    before averaging (the usual horizontal cut-off). A day counts as missing unless both
    t_max and t_min are present.

    Parameters
    ----------
    daily
        Daily frame with ``t_max`` and ``t_min`` [°C].
    base
        Base temperature [°C].
    start, end
        Inclusive date range; defaults to the span of ``daily``.
    cap
        Upper threshold for t_max [°C], or None for no cap.

    Returns
    -------
    IndexValue
        GDD [°C·d] over the days present.
    """
    if cap is not None and cap <= base:
        raise InvalidValueError("GDD cap", cap, f"must be above the base {base:g} °C")
    window = daily_window(daily, start, end)
    t_max, t_min = element(window, "t_max"), element(window, "t_min")
    if cap is not None:
        t_max = t_max.clip(upper=cap)
    values = degree_days(t_max.to_numpy(dtype=np.float64), t_min.to_numpy(dtype=np.float64), base)
    return IndexValue(nansum(values), *complete_counts(values))


def degree_days(t_max: Floats, t_min: Floats, base: float = GDD_BASE) -> Floats:
    """Each day's degree days max(0, (t_max + t_min) / 2 − base) [°C·d]; NaN when either is."""
    return floored((t_max + t_min) / 2.0 - base)
