"""Agrometeorological indices over daily or hourly weather: pure functions over pandas data.

Daily input is a frame indexed by date with the columns of ``schemas.weather.DAILY_ELEMENTS``
(``t_mean``, ``t_max``, ``t_min``, ``precip``, ``sunshine``, …); hourly input is a Series of air
temperature [°C] indexed by Beijing-time timestamps. Every function takes an optional
inclusive date range. Missing data are never skipped silently: indices are computed over the
values present and report ``n_expected``, ``n_missing`` and ``complete`` (§11.1); see
:mod:`obs.indices._base`. Thresholds and model parameters live in ``schemas.indices``.
"""

from obs.indices._arrays import DailyArrays, daily_arrays, true_runs
from obs.indices._base import IndexValue, is_complete
from obs.indices.chill import (
    chill_days,
    chill_portion_increments,
    chill_portions,
    chill_start,
    chilling_hours,
    gdh_weights,
    growing_degree_hours,
    utah_chill_units,
    utah_weights,
)
from obs.indices.completeness import MissingDays, hourly_coverage, missing_days
from obs.indices.counts import (
    DrySpell,
    Extreme,
    frost_days,
    highest,
    hot_days,
    longest_dry_spell,
    lowest,
    mean_of,
    precipitation_total,
    rain_days,
    sunshine_total,
    total,
)
from obs.indices.hourly import hourly_from_daily, sun_times
from obs.indices.summary import (
    PeriodSummary,
    monthly_climate,
    period_summary,
    stage_interval,
    summary_columns,
)
from obs.indices.thermal import (
    Accumulation,
    accumulated_temperatures,
    active_accumulated_temperature,
    effective_accumulated_temperature,
    growing_degree_days,
)

__all__ = [
    "Accumulation",
    "DailyArrays",
    "DrySpell",
    "Extreme",
    "IndexValue",
    "MissingDays",
    "PeriodSummary",
    "accumulated_temperatures",
    "active_accumulated_temperature",
    "chill_days",
    "chill_portion_increments",
    "chill_portions",
    "chill_start",
    "chilling_hours",
    "daily_arrays",
    "effective_accumulated_temperature",
    "frost_days",
    "gdh_weights",
    "growing_degree_days",
    "growing_degree_hours",
    "highest",
    "hot_days",
    "hourly_coverage",
    "hourly_from_daily",
    "is_complete",
    "longest_dry_spell",
    "lowest",
    "mean_of",
    "missing_days",
    "monthly_climate",
    "period_summary",
    "precipitation_total",
    "rain_days",
    "stage_interval",
    "summary_columns",
    "sun_times",
    "sunshine_total",
    "total",
    "true_runs",
    "utah_chill_units",
    "utah_weights",
]
