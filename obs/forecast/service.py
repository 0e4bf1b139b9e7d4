"""Bloom forecast on the store: fit the models to a plot's past stage dates and forecast a season.

``bloom_forecast`` answers "when will this season's wintersweet open (FLS) or peak (FLF)?" for
one plot and cultivar; ``evaluate`` compares the models by leave-one-season-out cross-validation
against the climatology baseline. Event dates and temperatures are read as described in
:mod:`obs.forecast.inputs`; models, fitting and the forecast itself are the pure engine of
:mod:`obs.forecast` (docs/forecast.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlmodel import Session

from obs.errors import InvalidValueError, ObsError, UsageError
from obs.forecast.data import TrainingSet, build_training, from_day_of_season
from obs.forecast.fit import FitResult, fit_models
from obs.forecast.inputs import Site, event_dates, resolve_site, station_temperatures
from obs.forecast.predict import SeasonForecast, forecast_season
from obs.forecast.text import assumption_text, model_label
from obs.seasons import season_bounds, season_label, season_of
from schemas.forecast import (
    FORECAST_MODELS,
    FORECAST_MODELS_BY_CODE,
    FORECAST_REFERENCE,
    MIN_TRAINING_SEASONS,
)
from schemas.stages import STATUS_LABELS

#: Stages a forecast can be made for: first flowering (始花期) and full bloom (盛花期).
FORECAST_STAGES: tuple[str, ...] = ("FLS", "FLF")
#: Which derived date of the stage is the event: 普遍期 (>= 50 % of plants) or 始期 (>= 10 %).
FORECAST_STATUSES: tuple[str, ...] = ("general", "start")


class AlreadyReachedError(ObsError):
    """The season's event is already observed on or before the forecast date."""


def fit_for_site(
    session: Session, station: str | None, plot: str | None, stage: str, status: str
) -> tuple[Site, FitResult]:
    """The plot and the models fitted to all its seasons (for :func:`evaluate`)."""
    _check_choice(stage, status)
    site = resolve_site(session, station, plot)
    temps = station_temperatures(session, site.station)
    return site, _fit(site, stage, status, event_dates(session, site, stage, status), temps)


@dataclass(frozen=True, slots=True)
class SeasonCheck:
    """One training season: observed date and the selected model's held-out prediction."""

    season: int
    observed: dt.date
    predicted: dt.date | None
    error_days: int | None  # predicted − observed [d]; + = predicted later


@dataclass(frozen=True, slots=True)
class BloomForecast:
    """The forecast of one plot, cultivar, stage and season with the fit behind it.

    ``baseline_rmse`` is the climatology model's cross-validated RMSE [d]; ``observed`` is the
    season's own date when the forecast is a hindcast (``as_of`` before it); ``missing_days``
    counts days up to ``as_of`` without temperature, taken from the normals instead.
    """

    site: Site
    stage: str
    status: str
    season: int
    training_seasons: tuple[int, ...]
    excluded_seasons: tuple[int, ...]
    excluded_notes: tuple[str, ...]
    params: Mapping[str, float]
    cv_missed: int
    baseline_rmse: float
    forecast: SeasonForecast
    observed: dt.date | None
    normals_years: tuple[int, int] | None
    missing_days: int
    history: tuple[SeasonCheck, ...]
    #: The climatology baseline forecast of the same season from the same training seasons.
    baseline: SeasonForecast | None = None

    @property
    def model(self) -> str:
        """Code of the model used."""
        return self.forecast.model

    def assumption(self, lang: str = "en") -> str:
        """How the days after ``as_of`` are filled and how the range is built."""
        return assumption_text(self, lang)

    def scenarios(self, lang: str = "en") -> list[dict[str, Any]]:
        """Every scenario with its date: the normals first, then each past season's weather."""
        f = self.forecast
        normals = "常年值" if lang == "zh" else "normals"
        rows = [{"scenario": "normals", "label": normals, "date": f.normals}]
        climatology = f.model == "climatology"
        suffix = {(True, "zh"): "实测", (False, "zh"): "年气温"}.get(
            (climatology, lang), " observed" if climatology else " weather"
        )
        for season, day in f.scenarios:
            label = season_label(season) + suffix
            rows.append({"scenario": season_label(season), "label": label, "date": day})
        return rows

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """Plain data (dates as ``datetime.date``) for JSON output."""
        f = self.forecast
        return {
            "station": self.site.station,
            "plot": self.site.plot,
            "cultivar": self.site.cultivar,
            "stage": self.stage,
            "status": self.status,
            "season": season_label(self.season),
            "as_of": f.as_of,
            "model": self.model,
            "model_name": model_label(self.model, lang),
            "params": dict(self.params),
            "cv_rmse_days": round(f.cv_rmse, 2),
            "cv_bias_days": round(f.cv_bias, 2),
            "cv_missed": self.cv_missed,
            "baseline_cv_rmse_days": round(self.baseline_rmse, 2),
            "training_seasons": [season_label(s) for s in self.training_seasons],
            "excluded_seasons": [season_label(s) for s in self.excluded_seasons],
            "excluded_notes": list(self.excluded_notes),
            "predicted": f.predicted,
            "median": f.median,
            "low": f.low,
            "high": f.high,
            "earliest": f.earliest,
            "latest": f.latest,
            "normals": f.normals,
            "scenarios": self.scenarios(lang),
            "members": f.members,
            "members_not_reached": f.missed,
            "predicted_before_as_of": f.already_reached,
            "observed": self.observed,
            "missing_days": self.missing_days,
            "assumption": self.assumption(lang),
            "history": [
                {
                    "season": season_label(c.season),
                    "observed": c.observed,
                    "cv_predicted": c.predicted,
                    "error_days": c.error_days,
                }
                for c in self.history
            ],
        }


def _check_choice(stage: str, status: str) -> None:
    if stage not in FORECAST_STAGES:
        raise InvalidValueError(
            "--stage", stage, "cannot be forecast", hint="one of " + ", ".join(FORECAST_STAGES)
        )
    if status not in FORECAST_STATUSES:
        raise InvalidValueError(
            "--status", status, "is not a forecast status", hint="general (普遍期) or start (始期)"
        )


def _event_name(stage: str, status: str) -> str:
    return f"{stage} {status} ({STATUS_LABELS[status][0]})"


def _training(
    site: Site, stage: str, status: str, events: Mapping[int, dt.date], temps: pd.Series
) -> TrainingSet:
    """Past events with complete temperature windows; refuse fewer than the minimum."""
    frame = pd.DataFrame({"date": [events[s] for s in sorted(events)]}, dtype="object")
    training = build_training(frame, temps, site=site.plot) if events else None
    n = len(training.seasons) if training is not None else 0
    if n >= MIN_TRAINING_SEASONS and training is not None:
        return training
    notes = training.notes if training is not None else ()
    hint = f"seasons with a date: {', '.join(season_label(s) for s in sorted(events)) or 'none'}"
    if notes:
        hint += "; left out: " + "; ".join(notes)
    raise ObsError(
        f"plot {site.plot} ({site.cultivar}) has {n} season(s) with a "
        f"{_event_name(stage, status)} date and daily temperature up to it; the forecast needs "
        f"at least {MIN_TRAINING_SEASONS}",
        hint=hint,
    )


def _fit(
    site: Site,
    stage: str,
    status: str,
    events: Mapping[int, dt.date],
    temps: pd.Series,
    model: str | None = None,
) -> FitResult:
    """All models fitted, or with ``model`` only it and the climatology baseline."""
    training = _training(site, stage, status, events, temps)
    if model is None:
        return fit_models(training)
    chosen = tuple(m for m in FORECAST_MODELS if m.code in ("climatology", model))
    return fit_models(training, models=chosen)


def _target(season: int | None, as_of: dt.date | None, temps: pd.Series) -> int:
    """The season asked for, else the season of ``as_of``, else of the last temperature."""
    last = pd.Timestamp(temps.index.max()).date()
    target = season if season is not None else season_of(as_of or last)
    if as_of is not None and season_of(as_of) != target:
        first, end = season_bounds(target)
        raise UsageError(
            f"--as-of {as_of} is outside season {season_label(target)}",
            hint=f"give a date from {first} to {end}",
        )
    first, end = season_bounds(target)
    upto = pd.Timestamp(min(as_of or end, end))
    if not ((temps.index >= pd.Timestamp(first)) & (temps.index <= upto)).any():
        raise ObsError(
            f"no daily temperature for season {season_label(target)} up to {upto.date()}",
            hint=f"the station's temperatures end on {last}; import the season's weather",
        )
    return target


def _history(fit: FitResult) -> tuple[SeasonCheck, ...]:
    training, best = fit.training, fit.best
    checks = []
    for season, observed, predicted in zip(
        training.seasons.tolist(), training.observed.tolist(), best.cv.predicted, strict=True
    ):
        obs_date = from_day_of_season(season, int(observed), training.reference)
        pred = (
            None if predicted is None else from_day_of_season(season, predicted, training.reference)
        )
        error = None if predicted is None else predicted - int(observed)
        checks.append(SeasonCheck(season, obs_date, pred, error))
    return tuple(checks)


def _missing_days(temps: pd.Series, season: int, as_of: dt.date | None) -> int:
    """Window days up to ``as_of`` without a temperature (filled from the normals). [d]"""
    if as_of is None:
        return 0
    start = pd.Timestamp(dt.date(season, *FORECAST_REFERENCE))
    days = pd.date_range(start, pd.Timestamp(as_of), freq="D")
    return int((~days.isin(temps.index)).sum())


def _normals_years(temps: pd.Series, season: int) -> tuple[int, int] | None:
    history = temps[temps.index < pd.Timestamp(dt.date(season, *FORECAST_REFERENCE))]
    return None if history.empty else (int(history.index[0].year), int(history.index[-1].year))


def bloom_forecast(
    *,
    session: Session,
    station: str | None = None,
    plot: str | None = None,
    season: int | None = None,
    stage: str = "FLS",
    status: str = "general",
    as_of: dt.date | None = None,
    model: str | None = None,
) -> BloomForecast:
    """Forecast the date of ``stage`` (its ``status`` date) at one plot in ``season``.

    Parameters
    ----------
    session : open session; nothing is written.
    station, plot : codes; the plot may be omitted when the station has only one.
    season : season year (2024 = 2024/25); default the season of ``as_of``, else of the
        station's last daily temperature.
    stage, status : ``FLS`` or ``FLF``; ``general`` (普遍期) or ``start`` (始期).
    as_of : last day of observed temperature to use [date]; default the last one in the window.
        Before an already observed date of the season this is a hindcast.
    model : model code; default the one with the lowest cross-validated RMSE. When given, only
        it and the climatology baseline are fitted.

    Every other season with a date is used for training (the season itself never is).
    """
    _check_choice(stage, status)
    if model is not None and model not in FORECAST_MODELS_BY_CODE:
        raise InvalidValueError(
            "--model", model, "is not a model", hint="one of " + ", ".join(FORECAST_MODELS_BY_CODE)
        )
    site = resolve_site(session, station, plot)
    temps = station_temperatures(session, site.station)
    target = _target(season, as_of, temps)
    events = event_dates(session, site, stage, status)
    observed = events.pop(target, None)
    if observed is not None and (as_of is None or as_of >= observed):
        raise AlreadyReachedError(
            f"season {season_label(target)} at plot {site.plot}: {_event_name(stage, status)} "
            f"was already observed on {observed}",
            hint=f"for a hindcast give --as-of before {observed}, or forecast a later --season",
        )
    fit = _fit(site, stage, status, events, temps, model)
    forecast = forecast_season(fit, temps, target, as_of=as_of, model=model)
    baseline = forecast_season(fit, temps, target, as_of=as_of, model="climatology")
    return BloomForecast(
        site=site,
        stage=stage,
        status=status,
        season=target,
        training_seasons=tuple(int(s) for s in fit.training.seasons),
        excluded_seasons=fit.training.excluded,
        excluded_notes=fit.training.notes,
        params=forecast.params,
        cv_missed=fit.fit_of(forecast.model).cv.n_missed,
        baseline_rmse=fit.fit_of("climatology").cv.rmse,
        forecast=forecast,
        observed=observed,
        normals_years=_normals_years(temps, target),
        missing_days=_missing_days(temps, target, forecast.as_of),
        history=_history(fit) if model is None else _history_of(fit, forecast.model),
        baseline=baseline,
    )


def _history_of(fit: FitResult, model: str) -> tuple[SeasonCheck, ...]:
    return _history(FitResult(fit.fits, model, fit.training))
