"""Daily weather as numpy arrays on consecutive days: the fast path of the summaries.

A report summarises the same daily frame two dozen times (12 months, the total, each stage
interval). Normalising and reindexing a DataFrame per window costs ~60 ms each; here the frame
is normalised once into one float array per element on consecutive days, and a window is a
slice of it (padded with NaN where it reaches past the data). The reductions mirror pandas'
skip-NaN definitions exactly (NaN replaced by 0, then numpy's pairwise ``sum``), so results are
bit-for-bit those of the pandas functions in :mod:`obs.indices.counts`. The accumulated
temperatures and degree days of :mod:`obs.indices.thermal` are computed on these arrays for
both callers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from obs.errors import InvalidValueError
from obs.indices._base import daily_window, element, is_complete, to_date
from schemas.indices import SUMMARY_ELEMENTS

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class DailyArrays:
    """Daily elements as float arrays [unit of each element] on consecutive days.

    ``values[name][i]`` is the value on ``first + i`` days (NaN = missing); ``first`` is None
    when there are no days at all. Build it with :func:`daily_arrays`.
    """

    first: dt.date | None
    values: dict[str, Floats]

    def window(self, start: dt.date, end: dt.date) -> dict[str, Floats]:
        """Each element on every day of [start, end] (a fresh array; NaN outside the data)."""
        if start > end:
            raise InvalidValueError(
                "date range",
                f"{start}…{end}",
                "the start is after the end",
                hint="swap the two dates",
            )
        n = (end - start).days + 1
        offset = 0 if self.first is None else (start - self.first).days
        out: dict[str, Floats] = {}
        for name, data in self.values.items():
            part = np.full(n, np.nan)
            lo, hi = max(0, -offset), min(n, len(data) - offset)
            if hi > lo:
                part[lo:hi] = data[offset + lo : offset + hi]
            out[name] = part
        return out


def daily_arrays(daily: pd.DataFrame, elements: tuple[str, ...] = SUMMARY_ELEMENTS) -> DailyArrays:
    """Normalise ``daily`` once (sorted, every day, absent columns NaN) into arrays."""
    frame = daily_window(daily)
    first = to_date(frame.index[0]) if len(frame) else None
    values = {name: element(frame, name).to_numpy(dtype=np.float64, copy=True) for name in elements}
    return DailyArrays(first, values)


def present_count(values: Floats) -> int:
    """Number of non-NaN values."""
    return int(np.count_nonzero(~np.isnan(values)))


def nansum(values: Floats) -> float | None:
    """Sum skipping NaN, as pandas' ``Series.sum()`` (NaN set to 0, then ``ndarray.sum``).

    None when no value is present (the policy of :mod:`obs.indices._base`).
    """
    if not present_count(values):
        return None
    return float(np.where(np.isnan(values), 0.0, values).sum())


def nanmean(values: Floats) -> float | None:
    """Mean of the values present, as pandas' ``Series.mean()``; None when none is."""
    present = present_count(values)
    if not present:
        return None
    return float(np.where(np.isnan(values), 0.0, values).sum() / np.float64(present))


def floored(values: Floats, floor: float = 0.0) -> Floats:
    """``values`` with those below ``floor`` set to it, NaN kept (pandas ``clip(lower=)``)."""
    return np.where(values < floor, floor, values)


def count_true(mask: Bools) -> int:
    """Days where ``mask`` holds (comparisons with NaN are already False)."""
    return int(np.count_nonzero(mask))


def count_where(mask: Bools, values: Floats) -> int | None:
    """Days where ``mask`` (a test on ``values``) holds; None when no value is present."""
    return count_true(mask) if present_count(values) else None


def extreme(
    values: Floats, start: dt.date, *, highest: bool
) -> tuple[float | None, dt.date | None]:
    """Highest or lowest value present and the first day it occurred on."""
    if not present_count(values):
        return None, None
    value = float(np.nanmax(values) if highest else np.nanmin(values))
    first = int(np.flatnonzero(values == value)[0])
    return value, start + dt.timedelta(days=first)


def true_runs(mask: Bools) -> list[tuple[int, int]]:
    """(first position, length) of every run of consecutive True values, in order."""
    padded = np.concatenate(([False], mask, [False])).astype(np.int8)
    edges = np.diff(padded)
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return [(int(a), int(b - a)) for a, b in zip(starts, ends, strict=True)]


def longest_run(mask: Bools) -> tuple[int, int]:
    """Length and first position of the longest run of True (the first one on ties)."""
    runs = true_runs(mask)
    if not runs:
        return 0, -1
    best = max(runs, key=lambda run: run[1])  # max keeps the first of equal runs
    return best[1], best[0]


def complete_counts(values: Floats) -> tuple[int, int, bool]:
    """(n_expected, n_missing, complete by §11.1) of one element over a window."""
    present = present_count(values)
    return len(values), len(values) - present, is_complete(present, len(values))
