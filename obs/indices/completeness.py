"""What is missing from a window of daily or hourly data (§11.1).

Rules (``schemas.indices``): a statistic over days is complete when at least 80 % of its days
are present (a month needs ≥ 80 % of its days); a day's hourly statistics need at least 20
hourly values. These functions name the gaps so that reports can say what is missing rather
than skip it silently.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from obs.clock import climatological_dates
from obs.indices._base import (
    daily_window,
    element,
    hourly_window,
    is_complete,
    to_date,
)
from schemas.indices import MIN_HOURS_PER_DAY, SUMMARY_ELEMENTS


@dataclass(frozen=True, slots=True)
class MissingDays:
    """Days on which each element is absent or NaN in an inclusive window.

    ``start``/``end`` are None for an empty window; ``by_element`` maps every requested
    element (also those with no gap) to its missing days in date order.
    """

    start: dt.date | None
    end: dt.date | None
    n_days: int
    by_element: dict[str, tuple[dt.date, ...]] = field(default_factory=dict)

    @property
    def incomplete_elements(self) -> tuple[str, ...]:
        """Elements present on fewer than 80 % of the days."""
        return tuple(
            name
            for name, days in self.by_element.items()
            if not is_complete(self.n_days - len(days), self.n_days)
        )

    @property
    def has_gaps(self) -> bool:
        """True when any element misses any day."""
        return any(self.by_element.values())


def missing_days(
    daily: pd.DataFrame,
    start: dt.date | None = None,
    end: dt.date | None = None,
    elements: tuple[str, ...] = SUMMARY_ELEMENTS,
) -> MissingDays:
    """Which days each element is missing on, over [start, end] (default: span of ``daily``).

    A day without a row and an element without a column both count as missing.
    """
    window = daily_window(daily, start, end)
    if window.empty:
        return MissingDays(None, None, 0, dict.fromkeys(elements, ()))
    by_element = {
        name: tuple(to_date(day) for day in window.index[element(window, name).isna()])
        for name in elements
    }
    return MissingDays(to_date(window.index[0]), to_date(window.index[-1]), len(window), by_element)


def hourly_coverage(
    hourly: pd.Series, start: dt.date | None = None, end: dt.date | None = None
) -> pd.DataFrame:
    """Hourly values present per climatological day (21:00 BT of D−1 to 20:00 BT of D).

    Returns
    -------
    pandas.DataFrame
        Indexed by day (``datetime.date``), columns ``hours_present`` [h] and ``complete``
        (at least 20 hours, §11.1).
    """
    temps = hourly_window(hourly, start, end)
    per_day = temps.notna().groupby(climatological_dates(temps.index)).sum().astype("int64")
    frame = pd.DataFrame({"hours_present": per_day, "complete": per_day >= MIN_HOURS_PER_DAY})
    frame.index = pd.Index([to_date(day) for day in per_day.index], name="day")
    return frame
