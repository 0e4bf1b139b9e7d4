"""Vectorised helpers shared by the checks: columns, months, per-row limits, reason text."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt
import pandas as pd

from obs.errors import InputFormatError
from schemas.qc_rules import LimitTable, QCRules, effective_limits

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

SECONDS_PER_HOUR = 3600.0


def require(frame: pd.DataFrame, kind: str, columns: Iterable[str]) -> None:
    """Refuse a frame that lacks one of ``columns``."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputFormatError(
            f"the {kind} rows have no column {', '.join(missing)}",
            hint="pass rows shaped like the table in schemas/tables.py",
        )


def values(frame: pd.DataFrame, column: str) -> FloatArray:
    """A numeric column as floats; missing values and an absent column become NaN."""
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    if frame[column].dtype.kind == "f":
        return np.asarray(frame[column].to_numpy(dtype=np.float64), dtype=np.float64)
    numbers = pd.to_numeric(frame[column], errors="coerce")
    return np.asarray(numbers.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)


def ids(frame: pd.DataFrame) -> IntArray:
    """The ``id`` column as integers."""
    return np.asarray(frame["id"].to_numpy(dtype=np.int64), dtype=np.int64)


def daily_months(frame: pd.DataFrame) -> IntArray:
    """Calendar month (1–12) of each daily row's ``obs_date``."""
    return np.asarray(pd.to_datetime(frame["obs_date"]).dt.month, dtype=np.int64)


def local_months(ts: IntArray, utc_offset_hours: float) -> IntArray:
    """Local calendar month (1–12) of UTC epoch seconds ``ts``."""
    local = (ts + round(utc_offset_hours * SECONDS_PER_HOUR)).astype("datetime64[s]")
    months = local.astype("datetime64[M]").astype(np.int64)
    return months % 12 + 1


def row_bounds(
    rules: QCRules, table: LimitTable, element: str, months: IntArray, station: str | None
) -> FloatArray:
    """Per-row limits of ``element`` as a (4, n) array: hard min, hard max, soft min, soft max;
    a (4, 1) array, which broadcasts the same way, when every row's month has the same limits.

    Open bounds are ±inf, so comparisons with them are never true.
    """
    open_bounds = np.array([-np.inf, np.inf, -np.inf, np.inf])
    table13 = np.tile(open_bounds[:, None], (1, 13))
    present = np.flatnonzero(np.bincount(months, minlength=13))
    for month in present:
        lim = effective_limits(rules, table, station=station, month=int(month)).get(element)
        if lim is not None:
            given = (lim.hard_min, lim.hard_max, lim.soft_min, lim.soft_max)
            table13[:, month] = [
                o if v is None else v for v, o in zip(given, open_bounds, strict=True)
            ]
    if len(present) and (table13[:, present] == table13[:, present[:1]]).all():
        return table13[:, present[:1]]
    return table13[:, months]


def fmt(numbers: Iterable[float]) -> list[str]:
    """Numbers as short text (``12.3``, ``-7``)."""
    return [f"{float(v):g}" for v in numbers]


def sorted_order(frame: pd.DataFrame, time_column: str) -> IntArray:
    """Positions that sort ``frame`` by station (when present) then ``time_column``."""
    times = frame[time_column].to_numpy()
    one_station = "station_id" not in frame.columns or frame["station_id"].nunique() <= 1
    if one_station and times.dtype.kind in "iu" and (times[1:] >= times[:-1]).all():
        return np.arange(len(frame), dtype=np.int64)  # in order already (the usual case)
    keys = [time_column] if "station_id" not in frame.columns else ["station_id", time_column]
    order = frame.reset_index(drop=True).sort_values(keys, kind="stable").index
    return np.asarray(order, dtype=np.int64)


def same_station_as_previous(frame: pd.DataFrame, order: IntArray) -> BoolArray:
    """True where the sorted row has the station of the row before it (False for the first)."""
    same = np.zeros(len(order), dtype=bool)
    if len(order) < 2:
        return same
    if "station_id" not in frame.columns:
        same[1:] = True
        return same
    station = frame["station_id"].to_numpy()[order]
    same[1:] = station[1:] == station[:-1]
    return same
