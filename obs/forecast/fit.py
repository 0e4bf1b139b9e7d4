"""Fit the bloom models by grid search and score them by leave-one-season-out cross-validation.

Fitting is deterministic brute force: every model predicts every season for every point of its
grid (:mod:`schemas.forecast`) once; the fit on any subset of seasons is then the grid point with
the least sum of squared errors over that subset (first in grid order on ties). Thermal time's
``f_crit`` is not gridded but solved exactly for each ``t1`` and ``t_base``
(:mod:`obs.forecast.exact`). No randomness.

A season in which a model's requirement is not reached inside the window is scored as if the
event fell on day ``window_days`` (the day after the window) and counted in ``n_missed``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from obs.errors import InvalidValueError
from obs.forecast.data import TrainingSet
from obs.forecast.exact import fit_thermal_time
from obs.forecast.models import KERNELS, FloatArray, climatology_day
from schemas.forecast import FORECAST_MODELS, MIN_TRAINING_SEASONS, ForecastModel


@dataclass(frozen=True, slots=True)
class CrossValidation:
    """Leave-one-season-out scores of one model.

    ``rmse`` and ``bias`` (mean predicted − observed; + = predicted later) are in days over all
    held-out cases; ``predicted`` holds each case's held-out prediction (``None`` = not reached).
    """

    rmse: float
    bias: float
    n_seasons: int
    n_cases: int
    n_missed: int
    predicted: tuple[int | None, ...]


@dataclass(frozen=True, slots=True)
class ModelFit:
    """One model fitted on all training seasons, with its cross-validation scores."""

    model: str
    params: Mapping[str, float]
    rmse: float
    n_missed: int
    cv: CrossValidation


@dataclass(frozen=True, slots=True)
class FitResult:
    """All fitted models; ``selected`` is the one with the lowest cross-validated RMSE."""

    fits: tuple[ModelFit, ...]
    selected: str
    training: TrainingSet

    @property
    def best(self) -> ModelFit:
        """The selected model's fit."""
        return next(f for f in self.fits if f.model == self.selected)

    def fit_of(self, model: str) -> ModelFit:
        """The fit of ``model`` (a code of :data:`schemas.forecast.FORECAST_MODELS`)."""
        return next(f for f in self.fits if f.model == model)


def check_grid(model: ForecastModel) -> None:
    """Refuse an empty grid axis or a grid value outside the axis bounds."""
    for axis in model.axes:
        values = np.asarray(axis.values, dtype=np.float64)
        if values.size == 0 or np.any(values < axis.lower) or np.any(values > axis.upper):
            raise InvalidValueError(
                f"{model.code}.{axis.name}",
                list(axis.values),
                f"must be a non-empty grid within {axis.lower}…{axis.upper}",
            )


def grid_points(model: ForecastModel) -> FloatArray:
    """All parameter combinations of a model, shape ``(points, parameters)``, in grid order."""
    mesh = np.meshgrid(*(np.asarray(a.values, dtype=np.float64) for a in model.axes), indexing="ij")
    return np.stack(mesh, axis=-1).reshape(-1, len(model.axes))


def predict_grid(model: ForecastModel, temps: FloatArray) -> FloatArray:
    """Event day of every case for every grid point, shape ``(points, cases)``; ``NaN`` = missed."""
    axes = {a.name: np.asarray(a.values, dtype=np.float64) for a in model.axes}
    kernel = KERNELS[model.code]
    return np.stack([kernel(row, **axes).ravel() for row in temps], axis=1)


def predict_params(model: str, params: Mapping[str, float], temps: FloatArray) -> FloatArray:
    """Event day of each case (rows of ``temps``) for one parameter set; ``NaN`` = missed."""
    axes = {name: np.asarray([value], dtype=np.float64) for name, value in params.items()}
    return np.array([KERNELS[model](row, **axes).ravel()[0] for row in temps], dtype=np.float64)


def _scores(predicted: FloatArray, observed: FloatArray, window_days: int) -> tuple[float, float]:
    scored = np.where(np.isnan(predicted), float(window_days), predicted) - observed
    return float(np.sqrt(np.mean(scored**2))), float(np.mean(scored))


def _as_days(predicted: FloatArray) -> tuple[int | None, ...]:
    return tuple(None if np.isnan(p) else int(p) for p in predicted)


def _cv(predicted: FloatArray, training: TrainingSet) -> CrossValidation:
    window_days = training.temps.shape[1]
    rmse, bias = _scores(predicted, training.observed, window_days)
    return CrossValidation(
        rmse,
        bias,
        len(set(training.seasons.tolist())),
        predicted.size,
        int(np.isnan(predicted).sum()),
        _as_days(predicted),
    )


def _groups(training: TrainingSet) -> list[npt.NDArray[np.bool_]]:
    return [training.seasons == s for s in np.unique(training.seasons)]


def _fit_climatology(training: TrainingSet) -> ModelFit:
    observed = training.observed
    predicted = np.empty_like(observed)
    for held_out in _groups(training):
        predicted[held_out] = climatology_day(observed[~held_out])
    rmse, _ = _scores(np.full_like(observed, climatology_day(observed)), observed, 0)
    return ModelFit("climatology", {}, rmse, 0, _cv(predicted, training))


def _fit_exact(model: ForecastModel, training: TrainingSet) -> ModelFit:
    """Thermal time with ``f_crit`` solved exactly (:mod:`obs.forecast.exact`)."""
    check_grid(model)
    window_days = training.temps.shape[1]
    params, days, predicted = fit_thermal_time(
        model, training.temps, training.observed, _groups(training)
    )
    rmse, _ = _scores(days, training.observed, window_days)
    return ModelFit(model.code, params, rmse, int(np.isnan(days).sum()), _cv(predicted, training))


def fit_model(model: ForecastModel, training: TrainingSet, *, exact: bool = True) -> ModelFit:
    """One model fitted and cross-validated: solved axes exactly, else on the whole grid."""
    if model.code == "climatology":
        return _fit_climatology(training)
    if exact and model.code == "thermal_time" and "f_crit" in model.solved:
        return _fit_exact(model, training)
    return _fit_grid(model, training)


def _fit_grid(model: ForecastModel, training: TrainingSet) -> ModelFit:
    check_grid(model)
    window_days = training.temps.shape[1]
    days = predict_grid(model, training.temps)
    scored = np.where(np.isnan(days), float(window_days), days)
    errors = (scored - training.observed[None, :]) ** 2
    total = errors.sum(axis=1)
    predicted = np.empty_like(training.observed)
    for held_out in _groups(training):
        best = int(np.argmin(total - errors[:, held_out].sum(axis=1)))
        predicted[held_out] = days[best, held_out]
    best = int(np.argmin(total))
    params = dict(zip((a.name for a in model.axes), grid_points(model)[best].tolist(), strict=True))
    return ModelFit(
        model.code,
        params,
        float(np.sqrt(total[best] / training.observed.size)),
        int(np.isnan(days[best]).sum()),
        _cv(predicted, training),
    )


def fit_models(
    training: TrainingSet, *, models: Sequence[ForecastModel] = FORECAST_MODELS
) -> FitResult:
    """Fit every model on all seasons, cross-validate each, and select the best.

    Parameters
    ----------
    training : events with their temperature windows (:func:`obs.forecast.data.build_training`).
    models : models with their grids; the climatology baseline has no grid.

    Returns
    -------
    FitResult whose ``selected`` model has the lowest leave-one-season-out RMSE [d]; ties go to
    the model listed first (the simpler one in :data:`schemas.forecast.FORECAST_MODELS`).
    """
    n_seasons = len(set(training.seasons.tolist()))
    if n_seasons < MIN_TRAINING_SEASONS:
        raise InvalidValueError(
            "training seasons",
            n_seasons,
            f"are too few (need {MIN_TRAINING_SEASONS})",
            hint=_excluded_hint(training),
        )
    fits = tuple(fit_model(m, training) for m in models)
    selected = min(fits, key=lambda f: f.cv.rmse).model
    return FitResult(fits, selected, training)


def _excluded_hint(training: TrainingSet) -> str:
    if training.notes:
        return "left out: " + "; ".join(training.notes)
    return "add observed events of more seasons"
