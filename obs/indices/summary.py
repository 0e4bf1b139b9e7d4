"""Weather summaries for reports: per month and per stage-to-stage period (§9.2, §9.3).

Both follow the policy of :mod:`obs.indices._data`: values are computed over the days
present, and ``days_present``, ``complete`` and ``incomplete_elements`` say how far to trust
them (§11.1: every element of ``SUMMARY_ELEMENTS`` must be present on ≥ 80 % of the days).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from obs.errors import InvalidValueError
from obs.indices import counts
from obs.indices._data import daily_window, element, to_date
from obs.indices.completeness import missing_days
from obs.indices.thermal import Accumulation, accumulated_temperatures, growing_degree_days
from schemas.indices import ACCUMULATION_BASES, GDD_BASE, SUMMARY_ELEMENTS

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

    Means and extremes are None when the element has no value in the window.
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
    precip: float
    rain_days: int
    sunshine: float
    gdd: float
    frost_days: int
    hot_days: int
    dry_spell_days: int
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


def period_summary(daily: pd.DataFrame, start: dt.date, end: dt.date) -> PeriodSummary:
    """Summarise the weather of [start, end] (inclusive), e.g. from one stage to the next.

    Parameters
    ----------
    daily
        Daily frame indexed by date with ``t_mean``, ``t_max``, ``t_min`` [°C], ``precip``
        [mm] and ``sunshine`` [h]; absent columns count as missing.
    start, end
        First and last day. For a stage-to-stage sum, see :func:`stage_interval`.
    """
    window = daily_window(daily, start, end)
    gaps = missing_days(window, start, end)
    present = pd.concat([element(window, n) for n in SUMMARY_ELEMENTS], axis=1).notna()
    hottest, coldest = counts.highest(window, "t_max"), counts.lowest(window, "t_min")
    spell = counts.longest_dry_spell(window)
    return PeriodSummary(
        start=start, end=end, n_days=len(window),
        days_present=int(present.any(axis=1).sum()),
        complete=not gaps.incomplete_elements, incomplete_elements=gaps.incomplete_elements,
        t_mean=counts.mean_of(window, "t_mean").value,
        t_max_mean=counts.mean_of(window, "t_max").value,
        t_min_mean=counts.mean_of(window, "t_min").value,
        t_max_extreme=hottest.value, t_max_extreme_date=hottest.day,
        t_min_extreme=coldest.value, t_min_extreme_date=coldest.day,
        precip=_number(counts.precipitation_total(window).value),
        rain_days=int(_number(counts.rain_days(window).value)),
        sunshine=_number(counts.sunshine_total(window).value),
        gdd=_number(growing_degree_days(window, GDD_BASE).value),
        frost_days=int(_number(counts.frost_days(window).value)),
        hot_days=int(_number(counts.hot_days(window).value)),
        dry_spell_days=spell.length, dry_spell_start=spell.start, dry_spell_end=spell.end,
        accumulations=accumulated_temperatures(window),
    )  # fmt: skip


def monthly_climate(daily: pd.DataFrame) -> pd.DataFrame:
    """One row per calendar month from the first to the last month of ``daily``.

    Months are always whole: days of a partly covered month that ``daily`` lacks count as
    missing, so such a month is usually flagged incomplete. Months without any row in
    between still appear, with ``days_present`` 0.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``month`` (``"YYYY-MM"``), with the columns of :func:`summary_columns`.
    """
    window = daily_window(daily)
    if window.empty:
        return pd.DataFrame(columns=summary_columns(), index=pd.Index([], name="month"))
    months = pd.period_range(window.index[0], window.index[-1], freq="M")
    rows = {
        str(month): period_summary(
            window, to_date(month.start_time), to_date(month.end_time.normalize())
        ).as_row()
        for month in months
    }
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=summary_columns())
    frame.index.name = "month"
    return frame


def _number(value: float | None) -> float:
    """Sums and counts are never None; this narrows the type."""
    return 0.0 if value is None else float(value)
