"""Weather summaries for reports: per month and per stage-to-stage period (§9.2, §9.3).

Both follow the policy of :mod:`obs.indices._base`: values are computed over the days
present, and ``days_present``, ``complete`` and ``incomplete_elements`` say how far to trust
them (§11.1: every element of ``SUMMARY_ELEMENTS`` must be present on ≥ 80 % of the days).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from obs.errors import InvalidValueError
from obs.indices._arrays import (
    DailyArrays,
    complete_counts,
    count_true,
    count_where,
    daily_arrays,
    extreme,
    longest_run,
    nanmean,
    nansum,
    present_count,
)
from obs.indices.thermal import Accumulation, accumulations, degree_days
from schemas.indices import (
    ACCUMULATION_BASES,
    DRY_DAY_PRECIP,
    FROST_DAY_TMIN,
    HOT_DAY_TMAX,
    RAIN_DAY_PRECIP,
    SUMMARY_ELEMENTS,
)

_SCALAR_COLUMNS: tuple[str, ...] = (
    "n_days", "days_present", "complete", "incomplete_elements",
    "t_mean", "t_max_mean", "t_min_mean",
    "t_max_extreme", "t_max_extreme_date", "t_min_extreme", "t_min_extreme_date",
    "precip", "rain_days", "sunshine", "gdd", "frost_days", "hot_days",
    "dry_spell_days", "dry_spell_start", "dry_spell_end",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class PeriodSummary:
    """Weather of an inclusive date window.

    Temperatures [°C], precip [mm], sunshine [h], gdd (base ``GDD_BASE``) and accumulated
    temperatures [°C·d], day counts and the dry spell [d].

    Means, extremes, totals, day counts, the dry spell and the accumulations are None when
    their element has no value in the window (no data is not zero); with some values
    missing, totals and counts are lower bounds (``complete`` False).
    """

    start: dt.date
    end: dt.date
    n_days: int
    days_present: int
    complete: bool
    incomplete_elements: tuple[str, ...]
    t_mean: float | None
    t_max_mean: float | None
    t_min_mean: float | None
    t_max_extreme: float | None
    t_max_extreme_date: dt.date | None
    t_min_extreme: float | None
    t_min_extreme_date: dt.date | None
    precip: float | None
    rain_days: int | None
    sunshine: float | None
    gdd: float | None
    frost_days: int | None
    hot_days: int | None
    dry_spell_days: int | None
    dry_spell_start: dt.date | None
    dry_spell_end: dt.date | None
    accumulations: tuple[Accumulation, ...]

    def as_row(self) -> dict[str, object]:
        """Scalar fields (lists comma-joined) plus ``active_ge<B>`` and ``effective_gt<B>``."""
        row: dict[str, object] = {name: getattr(self, name) for name in _SCALAR_COLUMNS}
        row["incomplete_elements"] = ",".join(self.incomplete_elements)
        for acc in self.accumulations:
            row[f"active_ge{acc.base:g}"] = acc.active.value
            row[f"effective_gt{acc.base:g}"] = acc.effective.value
        return row


def summary_columns(bases: tuple[float, ...] = ACCUMULATION_BASES) -> list[str]:
    """Column names of :meth:`PeriodSummary.as_row` and of :func:`monthly_climate`."""
    extra = [f"{kind}{base:g}" for base in bases for kind in ("active_ge", "effective_gt")]
    return [*_SCALAR_COLUMNS, *extra]


def stage_interval(stage_date: dt.date, next_stage_date: dt.date) -> tuple[dt.date, dt.date]:
    """Inclusive window between two stages: sums start the day after the first (§10.4)."""
    if next_stage_date <= stage_date:
        raise InvalidValueError(
            "stage dates",
            f"{stage_date}…{next_stage_date}",
            "the next stage must come after the first",
        )
    return stage_date + dt.timedelta(days=1), next_stage_date


def period_summary(
    daily: pd.DataFrame | DailyArrays, start: dt.date, end: dt.date
) -> PeriodSummary:
    """Summarise the weather of [start, end] (inclusive), e.g. from one stage to the next.

    Parameters
    ----------
    daily
        Daily frame indexed by date with ``t_mean``, ``t_max``, ``t_min`` [°C], ``precip``
        [mm] and ``sunshine`` [h] (absent columns count as missing), or the same as
        :func:`obs.indices.daily_arrays` (much faster when one frame is summarised often).
    start, end
        First and last day. For a stage-to-stage sum, see :func:`stage_interval`.

    Notes
    -----
    Same definitions as :mod:`obs.indices.counts` and :mod:`obs.indices.thermal` (means,
    extremes, totals, day counts, dry spell, GDD of McMaster & Wilhelm 1997 method 1 with base
    ``GDD_BASE``, accumulated temperatures of §10.4), computed on numpy arrays.
    """
    arrays = daily if isinstance(daily, DailyArrays) else daily_arrays(daily)
    w = arrays.window(start, end)
    n = (end - start).days + 1
    present = np.zeros(n, dtype=bool)
    for name in SUMMARY_ELEMENTS:
        present |= ~np.isnan(w[name])
    incomplete = tuple(name for name in SUMMARY_ELEMENTS if not complete_counts(w[name])[2])
    hottest = extreme(w["t_max"], start, highest=True)
    coldest = extreme(w["t_min"], start, highest=False)
    spell_days, spell_start = longest_run(w["precip"] < DRY_DAY_PRECIP)
    first_dry = start + dt.timedelta(days=spell_start) if spell_days else None
    last_dry = start + dt.timedelta(days=spell_start + spell_days - 1) if spell_days else None
    t_min, t_max, precip = w["t_min"], w["t_max"], w["precip"]
    gdd = degree_days(w["t_max"], w["t_min"])
    return PeriodSummary(
        start=start, end=end, n_days=n, days_present=count_true(present),
        complete=not incomplete, incomplete_elements=incomplete,
        t_mean=nanmean(w["t_mean"]), t_max_mean=nanmean(w["t_max"]),
        t_min_mean=nanmean(w["t_min"]),
        t_max_extreme=hottest[0], t_max_extreme_date=hottest[1],
        t_min_extreme=coldest[0], t_min_extreme_date=coldest[1],
        precip=nansum(precip), rain_days=count_where(precip >= RAIN_DAY_PRECIP, precip),
        sunshine=nansum(w["sunshine"]), gdd=nansum(gdd),
        frost_days=count_where(t_min <= FROST_DAY_TMIN, t_min),
        hot_days=count_where(t_max >= HOT_DAY_TMAX, t_max),
        dry_spell_days=spell_days if present_count(precip) else None,
        dry_spell_start=first_dry, dry_spell_end=last_dry,
        accumulations=accumulations(w["t_mean"]),
    )  # fmt: skip


def monthly_climate(daily: pd.DataFrame | DailyArrays) -> pd.DataFrame:
    """One row per calendar month from the first to the last month of ``daily``.

    Months are always whole: days of a partly covered month that ``daily`` lacks count as
    missing, so such a month is usually flagged incomplete. Months without any row in
    between still appear, with ``days_present`` 0. ``daily`` may be a frame or the arrays of
    :func:`obs.indices.daily_arrays`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``month`` (``"YYYY-MM"``), with the columns of :func:`summary_columns`.
    """
    arrays = daily if isinstance(daily, DailyArrays) else daily_arrays(daily)
    n_days = len(next(iter(arrays.values.values()), ()))
    if arrays.first is None or not n_days:
        return pd.DataFrame(columns=summary_columns(), index=pd.Index([], name="month"))
    last = arrays.first + dt.timedelta(days=n_days - 1)
    rows = {
        f"{first:%Y-%m}": period_summary(arrays, first, end).as_row()
        for first, end in _months(arrays.first, last)
    }
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=summary_columns())
    frame.index.name = "month"
    return frame


def _months(first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """First and last day of every calendar month from that of ``first`` to that of ``last``."""
    out = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        nxt = dt.date(year + month // 12, month % 12 + 1, 1)
        out.append((dt.date(year, month, 1), nxt - dt.timedelta(days=1)))
        year, month = nxt.year, nxt.month
    return out
