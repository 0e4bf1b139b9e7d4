"""Forecast the bloom date of the current, incomplete season from a fitted model.

The season's window is filled with the observed daily means up to ``as_of``. The days after it
are filled by scenarios:

* **normals**: the station's daily normals, the mean by calendar day over all years before the
  season, smoothed by a centred 15-day circular moving average
  (:func:`obs.forecast.data.daily_normals`); observed days still missing after gap filling
  are also taken from the normals;
* **past seasons**: every past season with a complete window supplies its own weather for the
  remaining days, aligned by day of season (the "historical years" ensemble of Extended
  Streamflow Prediction, Day 1985, J. Water Resour. Plann. Manage. 111:157–170).

The forecast (the headline date) is the median of the past-season ensemble, with its 10–90 % and
min–max range; the normals scenario is one more scenario shown beside the past seasons, not the
headline (a smoothed mean year accumulates forcing differently from any real year). Members
that never reach the event inside the window count as later than any date; a quantile that falls
on them is ``None``.
For the climatology baseline the "ensemble" is the observed training dates themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from obs.errors import InvalidValueError
from obs.forecast.data import (
    FloatArray,
    calendar_position,
    complete_windows,
    daily_normals,
    daily_series,
    from_day_of_season,
)
from obs.forecast.fit import FitResult, predict_params
from obs.forecast.models import climatology_day
from obs.seasons import season_label
from schemas.forecast import ENSEMBLE_PERCENTILES


@dataclass(frozen=True, slots=True)
class SeasonForecast:
    """Predicted event dates of one season; ``None`` = not reached inside the window.

    ``as_of`` is the last day of observed temperature used (``None`` if none yet);
    ``predicted`` (the ensemble median) is the forecast, ``low``/``high`` its range;
    ``normals`` is the date under the normals scenario and ``scenarios`` the date under each
    past season's weather (season, date), in season order;
    ``already_reached`` is true when the predicted date is before ``as_of``.
    ``cv_rmse`` and ``cv_bias`` [d] are the model's leave-one-season-out scores.
    """

    season: int
    model: str
    params: Mapping[str, float]
    as_of: dt.date | None
    normals: dt.date | None
    median: dt.date | None
    low: dt.date | None
    high: dt.date | None
    earliest: dt.date | None
    latest: dt.date | None
    members: int
    missed: int
    cv_rmse: float
    cv_bias: float
    already_reached: bool
    scenarios: tuple[tuple[int, dt.date | None], ...] = ()

    @property
    def predicted(self) -> dt.date | None:
        """The forecast date: the ensemble median the range belongs to."""
        return self.median


def _window_dates(season: int, reference: tuple[int, int], days: int) -> pd.DatetimeIndex:
    return pd.date_range(pd.Timestamp(dt.date(season, *reference)), periods=days, freq="D")


def _observed_days(series: pd.Series, dates: pd.DatetimeIndex, as_of: dt.date | None) -> int:
    """Number of window days up to ``as_of`` (default: the last day with data)."""
    if as_of is None:
        present = series.reindex(dates).notna().to_numpy()
        return int(np.flatnonzero(present)[-1] + 1) if present.any() else 0
    return int(np.clip((pd.Timestamp(as_of) - dates[0]).days + 1, 0, dates.size))


def _percentile(ranked: FloatArray, q: float) -> float:
    """Linear-interpolation percentile of sorted values (numpy's default method). [d]"""
    position = (ranked.size - 1) * q / 100.0
    lower, weight = int(np.floor(position)), position - np.floor(position)
    if weight == 0.0:
        return float(ranked[lower])
    return float(ranked[lower] + (ranked[lower + 1] - ranked[lower]) * weight)


def _quantile_dates(
    days: FloatArray, season: int, reference: tuple[int, int]
) -> tuple[dt.date | None, ...]:
    """Median, low and high percentile, earliest and latest day as dates (half-up rounded)."""
    ranked = np.sort(np.where(np.isnan(days), np.inf, days))
    values = [_percentile(ranked, q) for q in (50.0, *ENSEMBLE_PERCENTILES, 0.0, 100.0)]
    return tuple(
        from_day_of_season(season, int(np.floor(v + 0.5)), reference) if np.isfinite(v) else None
        for v in values
    )


def _scenarios(
    fit: FitResult, series: pd.Series, season: int, observed: int
) -> tuple[FloatArray, FloatArray, tuple[int, ...]]:
    """Window under normals (1-D), under each historical season (2-D), and those seasons. [°C]"""
    reference, days = fit.training.reference, fit.training.temps.shape[1]
    dates = _window_dates(season, reference, days)
    history = series[series.index < dates[0]]
    normals = daily_normals(history)[calendar_position(dates)]
    window = series.reindex(dates).to_numpy(dtype=np.float64, copy=True)
    window[observed:] = np.nan
    window = np.where(np.isnan(window), normals, window)
    if np.isnan(window).any():
        raise InvalidValueError(
            "temperature",
            None,
            "has no normals for part of the window",
            hint="give at least one full past year of daily temperature",
        )
    seasons = range(history.index[0].year - 1, season) if not history.empty else range(0)
    past = complete_windows(history, list(seasons), reference=reference, window_days=days)
    members = np.array([np.r_[window[:observed], w[observed:]] for w in past.values()])
    return window, members.reshape(len(past), days), tuple(past)


def forecast_season(
    fit: FitResult,
    temps: pd.Series,
    season: int,
    *,
    as_of: dt.date | None = None,
    model: str | None = None,
) -> SeasonForecast:
    """Forecast the event date of ``season`` from the temperatures observed so far.

    Parameters
    ----------
    fit : result of :func:`obs.forecast.fit.fit_models`.
    temps : daily mean temperature indexed by date, past seasons included. [°C]
    season : season to forecast (year the bloom starts).
    as_of : last day of observations to use; default the last day with data in the window.
    model : model code; default the selected (lowest CV RMSE) model.
    """
    chosen = fit.fit_of(model) if model else fit.best
    series = daily_series(temps)
    reference = fit.training.reference
    dates = _window_dates(season, reference, fit.training.temps.shape[1])
    observed = _observed_days(series, dates, as_of)
    if chosen.model == "climatology":
        normals = float(climatology_day(fit.training.observed))
        ensemble = fit.training.observed
        member_seasons = tuple(int(s) for s in fit.training.seasons)
    else:
        window, members, member_seasons = _scenarios(fit, series, season, observed)
        normals = float(predict_params(chosen.model, chosen.params, window[None])[0])
        ensemble = predict_params(chosen.model, chosen.params, members)
    if ensemble.size == 0:
        raise InvalidValueError(
            "season",
            season_label(season),
            "has no past season to compare",
            hint="give daily temperatures of earlier seasons",
        )
    median, low, high, earliest, latest = _quantile_dates(ensemble, season, reference)
    return SeasonForecast(
        season=season,
        model=chosen.model,
        params=chosen.params,
        as_of=dates[observed - 1].date() if observed else None,
        normals=_date(season, normals, reference),
        median=median,
        low=low,
        high=high,
        earliest=earliest,
        latest=latest,
        members=int(ensemble.size),
        missed=int(np.isnan(ensemble).sum()),
        cv_rmse=chosen.cv.rmse,
        cv_bias=chosen.cv.bias,
        already_reached=bool(median is not None and _day_of(median, season, reference) < observed),
        scenarios=tuple(
            (int(s), _date(season, float(d), reference))
            for s, d in zip(member_seasons, ensemble.tolist(), strict=True)
        ),
    )


def _date(season: int, day: float, reference: tuple[int, int]) -> dt.date | None:
    return None if np.isnan(day) else from_day_of_season(season, int(day), reference)


def _day_of(day: dt.date, season: int, reference: tuple[int, int]) -> int:
    return (day - dt.date(season, *reference)).days
