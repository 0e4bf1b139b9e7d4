"""Exact least-squares forcing requirement of the thermal-time model.

For a given start day ``t1`` and base temperature ``t_base`` the predicted day of every case
depends on ``f_crit`` only through which of the case's cumulative forcing values
``S_i(d) = sum(max(0, T_i - t_base) over t1+1 … d)`` reach it: the prediction vector, and so the
sum of squared errors, is constant on each interval between consecutive values of the union of
all ``S_i(d)``, and every such interval ends on one of those values. The least-squares
``f_crit`` is therefore found exactly by evaluating the objective at every distinct cumulative
forcing value (no grid on ``f_crit``); ``t1`` and ``t_base`` stay on their grids
(:data:`schemas.forecast.THERMAL_TIME`). Leave-one-season-out refits use the same candidates.

Every ``f_crit`` in the winning interval ``(previous value, value]`` gives the same fit; the one
reported (and used for the held-out season in cross-validation) is the middle of the interval,
written as the shortest decimal that stays inside it, so printing it reproduces the fit's
predictions and RMSE exactly, and a held-out season is not pushed to one end of the interval.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from obs.forecast.models import FloatArray, forcing_units
from schemas.forecast import SUM_TOLERANCE, ForecastModel

#: Most decimals tried when shortening the reported requirement.
_MAX_DECIMALS = 10
#: Sums of squared errors closer than this are equal [d²] (whole days squared: exact).
_TIE = 1e-9


@dataclass
class _Best:
    """The least objective found so far and where (t1, t_base, f_crit, predictions)."""

    value: float = np.inf
    t1: float = 0.0
    t_base: float = 0.0
    f_crit: float = 0.0
    low: float = 0.0  # the next smaller candidate: f_crit may be anything in (low, f_crit]
    days: FloatArray | None = None
    width: float = -1.0  # (f_crit - low) / f_crit

    def forcing(self, temps: FloatArray) -> FloatArray:
        """Daily forcing of every case at this base temperature. [°C·d]"""
        return forcing_units(temps.reshape(-1), np.array([self.t_base])).reshape(temps.shape)


def _predict(forcing: FloatArray, start: int, f_crit: FloatArray) -> FloatArray:
    """Event day of every case (rows) for every requirement, shape ``(len(f_crit), cases)``."""
    cum = np.cumsum(forcing, axis=1)
    since = cum - cum[:, start : start + 1]
    out = np.empty((f_crit.size, forcing.shape[0]))
    for case in range(forcing.shape[0]):
        out[:, case] = np.searchsorted(since[case], f_crit - SUM_TOLERANCE, side="left")
    out[out >= forcing.shape[1]] = np.nan
    return out


def _candidates(
    forcing: FloatArray, start: int, upper: float, observed: FloatArray
) -> tuple[FloatArray, float]:
    """Distinct cumulative forcing values that can be optimal (ascending), and the value just
    below the first of them (the lower end of its interval; 0 when there is none).

    Every prediction is non-decreasing in ``f_crit``. Up to ``lo = min_i S_i(obs_i)`` every
    case is predicted on or before its observed day, so raising ``f_crit`` to ``lo`` never
    increases an error; from ``hi = max_i S_i(obs_i)`` on every case is on or after it. The
    optimum of any subset of cases therefore lies in ``[lo, hi]``.
    """
    cum = np.cumsum(forcing[:, start + 1 :], axis=1)
    values = np.unique(cum)
    values = values[(values > 2 * SUM_TOLERANCE) & (values <= upper)]
    at_obs = np.concatenate([np.zeros((cum.shape[0], start + 1)), cum], axis=1)[
        np.arange(cum.shape[0]), observed.astype(np.intp)
    ]
    first = int(np.searchsorted(values, at_obs.min() - SUM_TOLERANCE, side="left"))
    last = int(np.searchsorted(values, at_obs.max() + SUM_TOLERANCE, side="right"))
    floor = float(values[first - 1]) if first > 0 else 0.0
    return values[first:last], floor


def fit_thermal_time(
    model: ForecastModel,
    temps: FloatArray,
    observed: FloatArray,
    groups: list[npt.NDArray[np.bool_]],
) -> tuple[dict[str, float], FloatArray, FloatArray]:
    """Least-squares thermal-time fit with ``f_crit`` solved exactly.

    Parameters
    ----------
    model : the thermal-time model; its ``t1`` and ``t_base`` grids are searched, its
        ``f_crit`` axis gives only the bounds.
    temps : daily mean temperature per case, shape ``(cases, days)``. [°C]
    observed : observed event day per case. [d of season]
    groups : masks of the cross-validation folds (one per season).

    Returns
    -------
    The parameters fitted on all cases, their predictions (``NaN`` = not reached), and each
    case's prediction by the fit without its fold (leave-one-season-out).
    """
    axes = {a.name: a for a in model.axes}
    days = temps.shape[1]
    best, folds = _Best(), [_Best() for _ in groups]
    # columns of each fold side by side, summed with reduceat (no BLAS: it is slow on small,
    # busy machines)
    order = np.concatenate([np.flatnonzero(g) for g in groups])
    starts = np.cumsum([0] + [int(g.sum()) for g in groups[:-1]])
    for t_base in axes["t_base"].values:
        forcing = forcing_units(temps.reshape(-1), np.array([t_base])).reshape(temps.shape)
        for t1 in axes["t1"].values:
            start = int(t1)
            values, floor = _candidates(forcing, start, axes["f_crit"].upper, observed)
            if values.size == 0:
                continue
            predicted = _predict(forcing, start, values)
            scored = np.where(np.isnan(predicted), float(days), predicted)
            errors = (scored - observed[None, :]) ** 2
            total = errors.sum(axis=1)
            _keep(best, total, values, floor, predicted, t1, t_base)
            without = total[:, None] - np.add.reduceat(errors[:, order], starts, axis=1)
            bests = np.array([fold.value for fold in folds])
            for f in np.flatnonzero(without.min(axis=0) <= bests + _TIE):
                _keep(folds[f], without[:, f], values, floor, predicted, t1, t_base)
    held = np.empty_like(observed)
    for fold, held_out in zip(folds, groups, strict=True):
        value = _middle(fold, temps)
        held[held_out] = _predict(fold.forcing(temps), int(fold.t1), np.array([value]))[0, held_out]
    assert best.days is not None
    params = {"t1": best.t1, "t_base": best.t_base, "f_crit": _middle(best, temps)}
    return params, best.days, held


def _keep(
    best: _Best,
    objective: FloatArray,
    values: FloatArray,
    floor: float,
    predicted: FloatArray,
    t1: float,
    t_base: float,
) -> None:
    """Remember the least objective; on a tie the widest interval of ``f_crit`` (relative to
    its value: the fit least sensitive to the requirement), then the first in grid order."""
    least = float(np.min(objective))
    if least > best.value + _TIE:
        return
    ties = np.flatnonzero(objective <= least + _TIE)
    lows = np.where(ties > 0, values[np.maximum(ties - 1, 0)], floor)
    widths = (values[ties] - lows) / values[ties]
    at = int(ties[int(np.argmax(widths))])
    width = float(widths.max())
    if least < best.value - _TIE or width > best.width:
        best.value, best.t1, best.t_base = least, float(t1), float(t_base)
        best.f_crit = float(values[at])
        best.low = float(values[at - 1]) if at > 0 else floor
        best.width = width
        best.days = predicted[at].copy()


def _middle(best: _Best, temps: FloatArray) -> float:
    """The shortest decimal near the middle of ``(low, f_crit]`` with the same predictions."""
    assert best.days is not None
    forcing = best.forcing(temps)
    middle = (best.low + best.f_crit) / 2
    for decimals in range(_MAX_DECIMALS + 1):
        value = round(middle, decimals)
        if not best.low + SUM_TOLERANCE < value <= best.f_crit + SUM_TOLERANCE / 2:
            continue
        days = _predict(forcing, int(best.t1), np.array([value]))[0]
        if np.array_equal(days, best.days, equal_nan=True):
            return value
    return best.f_crit
