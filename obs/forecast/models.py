"""Phenology models for the date of a bloom event, vectorised over a parameter grid.

Every model takes the daily mean temperatures of one season as a 1-D array indexed by day of
season (0 = reference date, see :mod:`schemas.forecast`) and, for each parameter, a 1-D array of
candidate values. It returns the predicted event day for every combination, shaped as the outer
product of the parameter arrays in argument order; ``NaN`` where the requirement is not reached
inside the temperature window.

Conventions shared by all models
--------------------------------
* Forcing unit of a day = ``max(0, T_mean - t_base)`` [°C·d]: the base temperature is
  subtracted (effective accumulated temperature, specification §10.4 [S48]; Chuine, Cour &
  Rousseau 1999, Plant Cell Environ. 22:1–13, eq. "GDD").
* Chill unit of a day = 1 if ``chill_low <= T_mean <= chill_high`` else 0 [chill d] (a daily
  rectangle, the daily form of Weinberger's 1950 chilling-hours count; with the default
  ``chill_low`` = -10 °C it is the specification's §10.5 proxy "days with T_mean <= threshold").
* A sum "from day s" starts on day ``s + 1`` (specification §10.4: sums start the day after the
  period begins). The event is the first day ``d`` on which the sum over ``s+1 … d`` reaches the
  requirement (``>=``, with :data:`schemas.forecast.SUM_TOLERANCE` of slack). Hence at a
  constant temperature ``Tc > t_base`` the thermal-time event falls
  ``ceil(f_crit / (Tc - t_base))`` days after ``t1``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from obs.errors import InvalidValueError
from schemas.forecast import SUM_TOLERANCE

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


def forcing_units(temps: FloatArray, t_base: FloatArray) -> FloatArray:
    """Daily forcing ``max(0, T - t_base)``, shape ``(len(t_base), len(temps))``. [°C·d]"""
    return np.maximum(temps[None, :] - t_base[:, None], 0.0)


def chill_units(temps: FloatArray, low: FloatArray, high: FloatArray) -> FloatArray:
    """Daily chill units (1 inside ``[low, high]``), shape ``(len(low), len(high), days)``."""
    inside = (temps[None, None, :] >= low[:, None, None]) & (
        temps[None, None, :] <= high[None, :, None]
    )
    return inside.astype(np.float64)


def first_reach(cum: FloatArray, targets: FloatArray) -> FloatArray:
    """First day each row's running sum reaches each target; ``NaN`` if never.

    Parameters
    ----------
    cum : running sums, shape ``(rows, days)``, non-decreasing along each row.
    targets : values to reach, shape ``(rows, m)``; ``NaN`` targets are never reached.
    """
    days = cum.shape[1]
    found = np.empty(targets.shape, dtype=np.float64)
    for row in range(cum.shape[0]):
        found[row] = np.searchsorted(cum[row], targets[row] - SUM_TOLERANCE, side="left")
    found[found >= days] = np.nan
    return found


def _day_index(values: FloatArray, days: int, name: str) -> IntArray:
    index = np.asarray(values).astype(np.intp)
    if np.any(index != values) or np.any(index < 0) or np.any(index >= days):
        raise InvalidValueError(name, list(values), f"must be whole days within 0…{days - 1}")
    return index


def _gather_start(cum: FloatArray, day: FloatArray) -> FloatArray:
    """``cum[:, day]`` for every row, ``NaN`` where ``day`` is ``NaN``."""
    safe = np.nan_to_num(day, nan=0.0).astype(np.intp)
    return np.where(np.isnan(day)[None], np.nan, cum[:, safe])


def thermal_time(
    temps: FloatArray, *, t1: FloatArray, t_base: FloatArray, f_crit: FloatArray
) -> FloatArray:
    """Thermal-time (spring-warming) event day, shape ``(t1, t_base, f_crit)``. [d of season]

    Forcing ``max(0, T - t_base)`` is summed from ``t1`` (Cannell & Smith 1983, J. Appl. Ecol.
    20:951–963; Chuine 2000, J. Theor. Biol. 207:337–347, "spring warming"); the event is the
    first day the sum reaches ``f_crit``.

    Parameters
    ----------
    temps : daily mean temperature by day of season. [°C]
    t1 : day of season after which forcing is summed. [d]
    t_base : base temperature. [°C]
    f_crit : forcing requirement. [°C·d]
    """
    start = _day_index(t1, temps.size, "t1")
    cum = np.cumsum(forcing_units(temps, t_base), axis=1)
    targets = cum[:, start][:, :, None] + f_crit[None, None, :]
    days = first_reach(cum, targets.reshape(t_base.size, -1)).reshape(targets.shape)
    return days.transpose(1, 0, 2)


def chilling_met(
    temps: FloatArray,
    chill_start: FloatArray,
    chill_low: FloatArray,
    chill_high: FloatArray,
    c_crit: FloatArray,
) -> FloatArray:
    """Day chilling is met, shape ``(start, low, high, c_crit)``; ``NaN`` if never."""
    start = _day_index(chill_start, temps.size, "chill_start")
    rows = np.cumsum(chill_units(temps, chill_low, chill_high), axis=-1).reshape(-1, temps.size)
    targets = rows[:, start][:, :, None] + c_crit[None, None, :]
    met = first_reach(rows, targets.reshape(rows.shape[0], -1))
    met = met.reshape(chill_low.size, chill_high.size, start.size, c_crit.size)
    return met.transpose(2, 0, 1, 3)


def sequential(
    temps: FloatArray,
    *,
    chill_start: FloatArray,
    chill_low: FloatArray,
    chill_high: FloatArray,
    c_crit: FloatArray,
    t_base: FloatArray,
    f_crit: FloatArray,
) -> FloatArray:
    """Sequential chilling–forcing event day. [d of season]

    Chill units are summed from ``chill_start`` until they reach ``c_crit`` on day ``Dc``;
    forcing ``max(0, T - t_base)`` is summed only from ``Dc`` (first forcing day ``Dc + 1``) and
    the event is the first day it reaches ``f_crit`` (Sarvas 1974; Hänninen 1990, Acta For. Fenn.
    213; Kramer 1994, J. Appl. Ecol. 31:172–181; Chuine 2000 "unified model", sequential case).
    Shape ``(chill_start, chill_low, chill_high, c_crit, t_base, f_crit)``.
    """
    met = chilling_met(temps, chill_start, chill_low, chill_high, c_crit)
    cum = np.cumsum(forcing_units(temps, t_base), axis=1)
    targets = _gather_start(cum, met)[..., None] + f_crit
    days = first_reach(cum, targets.reshape(t_base.size, -1)).reshape(targets.shape)
    return np.moveaxis(days, 0, 4)


def parallel(
    temps: FloatArray,
    *,
    chill_start: FloatArray,
    chill_low: FloatArray,
    chill_high: FloatArray,
    c_crit: FloatArray,
    k_min: FloatArray,
    t_base: FloatArray,
    f_crit: FloatArray,
) -> FloatArray:
    """Parallel chilling–forcing event day. [d of season]

    Chilling state ``C(d)`` = chill units summed over ``chill_start+1 … d`` (day ``d``
    included). Forcing is summed over the same days at the rate
    ``max(0, T - t_base) * K(d)`` with ``K(d) = k_min + (1 - k_min) * min(1, C(d) / c_crit)``
    (Landsberg 1974, Ann. Bot. 38:1013–1023; Hänninen 1990; Chuine 2000, J. Theor. Biol.
    207:337–347, parallel model ``K = Kmin + (1-Kmin) Sc/C*`` below ``C*``, 1 above). With
    ``k_min = 1``, or chilling complete from the first day, it is thermal time with
    ``t1 = chill_start``. Shape ``(chill_start, chill_low, chill_high, c_crit, k_min, t_base,
    f_crit)``.
    """
    start = _day_index(chill_start, temps.size, "chill_start")
    cum_chill = np.cumsum(chill_units(temps, chill_low, chill_high), axis=-1)
    counting = np.arange(temps.size)[None, :] > start[:, None]
    state = cum_chill[None] - np.moveaxis(cum_chill[..., start], -1, 0)[..., None]
    state = np.where(counting[:, None, None, :], state, 0.0)
    share, crit = state[..., None, :], c_crit[:, None]
    ratio = np.ones(np.broadcast_shapes(share.shape, crit.shape))
    np.divide(share, crit, out=ratio, where=crit > 0)  # c_crit = 0: chilling complete at once
    ratio = np.minimum(ratio, 1.0)
    k = k_min[:, None] + (1.0 - k_min[:, None]) * ratio[..., None, :]
    rate = k[..., None, :] * forcing_units(temps, t_base)
    rate = rate * counting[:, None, None, None, None, None, :]
    cum = np.cumsum(rate, axis=-1)
    rows = cum.reshape(-1, temps.size)
    days = first_reach(rows, np.broadcast_to(f_crit, (rows.shape[0], f_crit.size)))
    return days.reshape(*cum.shape[:-1], f_crit.size)


def climatology_day(days: npt.ArrayLike) -> int:
    """Mean of whole days, rounded half-up (specification §9.4 [S21]: 29.3 -> 29, 29.5 -> 30).

    Exact integer arithmetic: ``floor((2 * sum + n) / (2 * n))``.
    """
    values = np.asarray(days)
    if values.size == 0 or np.any(values != np.round(values)):
        raise InvalidValueError("days", list(values.ravel()), "need at least one whole day")
    total = int(np.sum(values.astype(np.int64)))
    return (2 * total + values.size) // (2 * values.size)


#: Model code -> kernel; each kernel's keyword arguments are the axes of its grid in
#: :data:`schemas.forecast.FORECAST_MODELS`.
KERNELS: dict[str, Callable[..., FloatArray]] = {
    "thermal_time": thermal_time,
    "sequential": sequential,
    "parallel": parallel,
}


def event_day(model: str, temps: npt.ArrayLike, **params: float) -> int | None:
    """Event day of season for one parameter set, or ``None`` if not reached in the window.

    Example: ``event_day("thermal_time", [15.0] * 60, t1=10, t_base=5, f_crit=100)`` -> 20.
    """
    kernel = KERNELS[model]
    axes = {name: np.asarray([value], dtype=np.float64) for name, value in params.items()}
    day = float(kernel(np.asarray(temps, dtype=np.float64), **axes).ravel()[0])
    return None if np.isnan(day) else int(day)
