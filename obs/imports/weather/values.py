"""Turn the text cells of one column into numbers: sentinels, trace marks, units.

Every function here works on a whole column (a pandas Series of strings) at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd

from schemas.ingest import MISSING_NUMBERS, MISSING_TEXT, TRACE_NUMBERS, TRACE_TEXT, UnitConversion
from schemas.terms import Limits

ArrayT = TypeVar("ArrayT", pd.Series, npt.NDArray[np.float64])


@dataclass(frozen=True, slots=True)
class NumericColumn:
    """A column converted to numbers.

    ``values`` is float64 in the element's unit with NaN for missing cells; ``trace`` marks
    trace-precipitation cells (their value is 0.0); ``bad`` marks cells that are not numbers
    (their value is NaN).
    """

    values: pd.Series
    trace: pd.Series
    bad: pd.Series


def to_numeric_column(
    cells: pd.Series, conversion: UnitConversion, *, allow_trace: bool = False
) -> NumericColumn:
    """Convert text cells to numbers in the element's unit.

    Missing-value texts and numbers (``schemas.ingest.MISSING_*``) become NaN. With
    ``allow_trace`` (precipitation), trace marks become 0.0 and are flagged in ``trace``.
    Only the cells that do not read as numbers at once are looked at one by one. A column that
    is numeric already (read so by the CSV parser) is taken as it is.
    """
    parsed = cells.dtype.kind in "fiu"
    numbers = cells if parsed else pd.to_numeric(cells, errors="coerce")
    numbers = numbers.astype("float64")
    odd = numbers.isna()
    missing = odd.copy() if parsed else pd.Series(False, index=cells.index)
    trace = pd.Series(False, index=cells.index)
    if odd.any() and not parsed:
        text = cells[odd].astype("str").str.strip().str.upper()
        missing[odd] = text.isin(MISSING_TEXT)
        trace[odd] = text.isin(TRACE_TEXT) & allow_trace
    bad = odd & ~(missing | trace)
    if allow_trace:
        trace |= _equals_any(numbers, TRACE_NUMBERS)
    numbers = numbers.mask(_equals_any(numbers, MISSING_NUMBERS) | trace)
    values = (numbers * conversion.factor + conversion.offset).mask(trace, 0.0)
    return NumericColumn(values, trace, bad)


def _equals_any(numbers: pd.Series, codes: frozenset[float]) -> pd.Series:
    """True where a number is one of a few codes (faster than ``isin`` for a handful)."""
    values = numbers.to_numpy(dtype=np.float64)
    hit = np.zeros(len(values), dtype=bool)
    for code in codes:
        hit |= values == code
    return pd.Series(hit, index=numbers.index)


def outside_hard_limits(values: pd.Series, limits: Limits) -> pd.Series:
    """True where a value lies outside the hard range (NaN is never outside)."""
    low = -np.inf if limits.hard_min is None else limits.hard_min
    high = np.inf if limits.hard_max is None else limits.hard_max
    return (values < low) | (values > high)


def round_half_up(values: ArrayT, resolution: float) -> ArrayT:
    """Round to a multiple of ``resolution``, halves away from zero (四舍五入).

    Chinese surface-observation statistics round halves up, not to even as ``numpy.round``
    does [I-R, 《地面气象观测规范》 statistics chapter]. A tiny epsilon absorbs binary
    representation error (12.25 is stored as 12.2499999…).
    """
    scaled = np.abs(values) / resolution + 0.5 + 1e-9
    rounded = np.sign(values) * np.floor(scaled) * resolution
    decimals = max(0, -int(np.floor(np.log10(resolution)))) if resolution < 1 else 0
    return rounded.round(decimals)
