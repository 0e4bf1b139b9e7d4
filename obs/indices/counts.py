"""Day counts, totals, means, extremes and dry spells from the daily weather (§9.2).

All take a daily frame indexed by date with the columns of ``schemas.weather.DAILY_ELEMENTS``
and an optional inclusive date range, and follow the missing-data policy of
:mod:`obs.indices._base`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from obs.indices._base import (
    IndexValue,
    counted,
    daily_window,
    element,
    is_complete,
    summed,
    to_date,
)
from schemas.indices import DRY_DAY_PRECIP, FROST_DAY_TMIN, HOT_DAY_TMAX, RAIN_DAY_PRECIP


@dataclass(frozen=True, slots=True)
class Extreme:
    """The highest or lowest value of an element in a window and the days it occurred.

    ``value`` [unit of the element] and ``days`` are None / empty when nothing is present.
    """

    value: float | None
    days: tuple[dt.date, ...]
    n_expected: int
    n_missing: int
    complete: bool

    @property
    def day(self) -> dt.date | None:
        """The first day the extreme occurred."""
        return self.days[0] if self.days else None


@dataclass(frozen=True, slots=True)
class DrySpell:
    """The longest run of consecutive dry days (precip < 1 mm); the first one on ties.

    ``length`` [d] is 0 and ``start``/``end`` None when no day was dry; ``length`` is None
    when no precipitation is present at all. A missing day ends a run, since nobody knows
    whether it was dry. A run touching the window's edge may continue outside it.
    """

    length: int | None
    start: dt.date | None
    end: dt.date | None
    n_expected: int
    n_missing: int
    complete: bool


def frost_days(
    daily: pd.DataFrame, start: dt.date | None = None, end: dt.date | None = None
) -> IndexValue:
    """Days with t_min ≤ 0 °C. [d]"""
    t_min = element(daily_window(daily, start, end), "t_min")
    return counted(t_min <= FROST_DAY_TMIN, t_min)


def hot_days(
    daily: pd.DataFrame, start: dt.date | None = None, end: dt.date | None = None
) -> IndexValue:
    """Days with t_max ≥ 35 °C. [d]"""
    t_max = element(daily_window(daily, start, end), "t_max")
    return counted(t_max >= HOT_DAY_TMAX, t_max)


def rain_days(
    daily: pd.DataFrame, start: dt.date | None = None, end: dt.date | None = None
) -> IndexValue:
    """Days with precipitation (20–20 BT) ≥ 0.1 mm. [d]"""
    precip = element(daily_window(daily, start, end), "precip")
    return counted(precip >= RAIN_DAY_PRECIP, precip)


def total(
    daily: pd.DataFrame, name: str, start: dt.date | None = None, end: dt.date | None = None
) -> IndexValue:
    """Sum of element ``name`` over the days present [unit of the element, e.g. mm or h]."""
    return summed(element(daily_window(daily, start, end), name))


def precipitation_total(
    daily: pd.DataFrame, start: dt.date | None = None, end: dt.date | None = None
) -> IndexValue:
    """Total precipitation (20–20 BT). [mm]"""
    return total(daily, "precip", start, end)


def sunshine_total(
    daily: pd.DataFrame, start: dt.date | None = None, end: dt.date | None = None
) -> IndexValue:
    """Total sunshine duration. [h]"""
    return total(daily, "sunshine", start, end)


def mean_of(
    daily: pd.DataFrame, name: str, start: dt.date | None = None, end: dt.date | None = None
) -> IndexValue:
    """Mean of element ``name`` over the days present; None when none is. [unit of element]"""
    values = element(daily_window(daily, start, end), name)
    present = int(values.notna().sum())
    mean = float(values.mean()) if present else None
    return IndexValue(mean, len(values), len(values) - present, is_complete(present, len(values)))


def highest(
    daily: pd.DataFrame,
    name: str = "t_max",
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Extreme:
    """Highest value of ``name`` (default: extreme maximum temperature) and its days."""
    return _extreme(element(daily_window(daily, start, end), name), highest=True)


def lowest(
    daily: pd.DataFrame,
    name: str = "t_min",
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Extreme:
    """Lowest value of ``name`` (default: extreme minimum temperature) and its days."""
    return _extreme(element(daily_window(daily, start, end), name), highest=False)


def longest_dry_spell(
    daily: pd.DataFrame, start: dt.date | None = None, end: dt.date | None = None
) -> DrySpell:
    """Longest run of consecutive days with precipitation < 1 mm, with its first/last day."""
    precip = element(daily_window(daily, start, end), "precip")
    present = int(precip.notna().sum())
    counts = (len(precip), len(precip) - present, is_complete(present, len(precip)))
    if not present:
        return DrySpell(None, None, None, *counts)
    dry = (precip < DRY_DAY_PRECIP).to_numpy()
    best_len, best_end, run = 0, -1, 0
    for position, is_dry in enumerate(dry):
        run = run + 1 if is_dry else 0
        if run > best_len:
            best_len, best_end = run, position
    if best_len == 0:
        return DrySpell(0, None, None, *counts)
    days = precip.index
    return DrySpell(
        best_len, to_date(days[best_end - best_len + 1]), to_date(days[best_end]), *counts
    )


def _extreme(values: pd.Series, *, highest: bool) -> Extreme:
    """Extreme of ``values`` with every day it occurred on."""
    present = int(values.notna().sum())
    counts = (len(values), len(values) - present, is_complete(present, len(values)))
    if not present:
        return Extreme(None, (), *counts)
    value = float(values.max() if highest else values.min())
    days = tuple(to_date(day) for day in values.index[values == value])
    return Extreme(value, days, *counts)
