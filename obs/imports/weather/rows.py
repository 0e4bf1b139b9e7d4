"""Convert raw text chunks into typed rows, refusing a chunk or single rows.

Two modes, one conversion:

- :func:`parse_chunk` refuses the whole chunk (raises) on any cell it cannot read: an
  unparseable date or a non-numeric cell. Values outside the hard limits are kept for QC.
- :func:`split_chunk` keeps the rows it can read and within the hard limits of
  :mod:`schemas.weather`, and returns the others with a reason each, for a reject file.

A typed frame has ``line``, then ``ts`` (sub-daily: UTC epoch seconds of the interval end,
int64) or ``obs_date`` (daily: ``datetime.date``), then one float64 column per element code, and
``precip_trace`` (bool) when precipitation is present.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from obs.clock import epoch_seconds
from obs.errors import InputFormatError
from obs.imports.weather.columns import ColumnMap, elements_of
from obs.imports.weather.files import FileLayout
from obs.imports.weather.times import Clock, combine_date_time, parse_dates, parse_epoch_seconds
from obs.imports.weather.values import outside_hard_limits, to_numeric_column
from schemas.ingest import MAX_OFFENDERS_SHOWN, WEATHER_YEARS
from schemas.terms import Limits


@dataclass(frozen=True, slots=True)
class ChunkSplit:
    """The rows of a chunk that can be stored, and the refused ones.

    ``refused`` has ``line``, ``reason`` and the original text cells of each refused row.
    """

    good: pd.DataFrame
    refused: pd.DataFrame
    #: ``line`` and the time key (``ts`` or ``obs_date``) of the refused rows whose time was
    #: read: a time in the file twice refuses the file even when one of the rows is refused.
    refused_keys: pd.DataFrame | None = None


_FIRST_DAY = dt.date(WEATHER_YEARS[0], 1, 1)
_LAST_DAY = dt.date(WEATHER_YEARS[1], 12, 31)
#: UTC epoch seconds of the first and after the last instant of :data:`WEATHER_YEARS`.
_TS_RANGE = (epoch_seconds(_FIRST_DAY), epoch_seconds(_LAST_DAY + dt.timedelta(days=1)))
_RANGE_TEXT = f"outside the years {WEATHER_YEARS[0]}–{WEATHER_YEARS[1]}"


@dataclass(frozen=True, slots=True)
class _Converted:
    frame: pd.DataFrame
    time_text: pd.Series
    bad_time: pd.Series
    bad_cells: dict[str, pd.Series]
    #: Rows whose timestamp (or date) was read but lies outside :data:`WEATHER_YEARS`.
    out_of_range: pd.Series


def _time_text(raw: pd.DataFrame, columns: ColumnMap) -> tuple[str, pd.Series]:
    """The name of the time column(s) and their text, one timestamp or date per row."""
    if columns.datetime is not None:
        return columns.datetime, raw[columns.datetime]
    assert columns.date is not None  # resolve_columns guarantees a date or datetime column
    if columns.time is not None:
        return (
            f"{columns.date}+{columns.time}",
            combine_date_time(raw[columns.date], raw[columns.time]),
        )
    return columns.date, raw[columns.date]


def _parse_time(text: pd.Series, columns: ColumnMap, clock: Clock) -> tuple[str, pd.Series]:
    if columns.kind == "subdaily":
        return "ts", parse_epoch_seconds(text, clock)
    dates = parse_dates(text)
    return "obs_date", dates.dt.date.where(dates.notna(), None)


def _outside_years(times: pd.Series, subdaily: bool) -> pd.Series:
    """Rows with a time read but outside :data:`WEATHER_YEARS` (such a time is set to missing
    in the typed frame by the caller)."""
    if subdaily:
        lo, hi = _TS_RANGE
        return (times.notna() & ((times < lo) | (times >= hi))).astype("bool")
    return times.map(lambda d: d is not None and not _FIRST_DAY <= d <= _LAST_DAY).astype("bool")


def _convert(raw: pd.DataFrame, columns: ColumnMap, clock: Clock) -> _Converted:
    _, text = _time_text(raw, columns)
    key, times = _parse_time(text, columns, clock)
    outside = _outside_years(times, columns.kind == "subdaily")
    out = {"line": raw["line"].astype("int64"), key: times}
    bad_cells: dict[str, pd.Series] = {}
    traces: list[pd.Series] = []
    for col in columns.elements:
        is_precip = col.element.startswith("precip")
        numeric = to_numeric_column(raw[col.source], col.conversion, allow_trace=is_precip)
        out[col.element] = numeric.values
        bad_cells[col.source] = numeric.bad
        traces.extend([numeric.trace] if is_precip else [])
    if traces:
        out["precip_trace"] = pd.concat(traces, axis=1).any(axis=1)
    return _Converted(pd.DataFrame(out), text, times.isna(), bad_cells, outside)


def _listing(lines: pd.Series, cells: pd.Series, column: str) -> str:
    shown = [
        f"line {line}, column {column!r}: {cell.strip()!r}"
        for line, cell in zip(lines[:MAX_OFFENDERS_SHOWN], cells[:MAX_OFFENDERS_SHOWN], strict=True)
    ]
    more = len(lines) - len(shown)
    return "; ".join(shown) + (f" and {more} more" if more > 0 else "")


def _raise_unreadable(raw: pd.DataFrame, columns: ColumnMap, conv: _Converted) -> None:
    name, _ = _time_text(raw, columns)
    what = "timestamp" if columns.kind == "subdaily" else "date"
    if conv.bad_time.any():
        bad = conv.bad_time
        raise InputFormatError(
            f"{what} not understood: {_listing(raw['line'][bad], conv.time_text[bad], name)}",
            hint="write dates as 2024-01-31 and times as 08:00",
        )
    if conv.out_of_range.any():
        bad = conv.out_of_range
        raise InputFormatError(
            f"{what} {_RANGE_TEXT}: {_listing(raw['line'][bad], conv.time_text[bad], name)}",
            hint="correct the year of these rows",
        )
    for source, bad in conv.bad_cells.items():
        if bad.any():
            listing = _listing(raw["line"][bad], raw[source][bad], source)
            raise InputFormatError(
                f"not a number: {listing}", hint="missing values may be left empty or written as NA"
            )


def parse_chunk(raw: pd.DataFrame, layout: FileLayout, *, clock: Clock = Clock()) -> pd.DataFrame:
    """Typed rows of a raw chunk; raises :class:`InputFormatError` on any unreadable cell."""
    conv = _convert(raw, layout.columns, clock)
    _raise_unreadable(raw, layout.columns, conv)
    return _typed(conv.frame, layout.columns)


def _typed(frame: pd.DataFrame, columns: ColumnMap) -> pd.DataFrame:
    if columns.kind == "subdaily":
        frame = frame.astype({"ts": "int64"})
    return frame.reset_index(drop=True)


def _note(reasons: pd.Series, mask: pd.Series, prefix: str, shown: pd.Series, suffix: str) -> None:
    """Append ``prefix + shown + suffix`` to the reasons of the rows in ``mask`` (in place);
    ``shown`` holds the texts of those rows only."""
    if mask.any():
        reasons[mask] += "; " + prefix + shown.astype("str") + suffix


def _quoted(cells: pd.Series) -> pd.Series:
    return cells.astype("str").str.strip().map(repr)


def _reasons(raw: pd.DataFrame, columns: ColumnMap, conv: _Converted) -> pd.Series | None:
    """One ``"; "``-joined reason per row ('' for a good row); None when every row is good."""
    table = elements_of(columns.kind)
    outside = {
        col.element: outside_hard_limits(conv.frame[col.element], table[col.element].limits)
        for col in columns.elements
    }
    masks = [conv.bad_time, conv.out_of_range, *conv.bad_cells.values(), *outside.values()]
    if not np.logical_or.reduce([m.to_numpy(dtype=bool) for m in masks]).any():
        return None
    reasons = pd.Series("", index=raw.index, dtype="object")
    what = "timestamp" if columns.kind == "subdaily" else "date"
    bad = conv.bad_time
    _note(reasons, bad, f"{what} ", _quoted(conv.time_text[bad]), " not understood")
    bad = conv.out_of_range
    _note(reasons, bad, f"{what} ", _quoted(conv.time_text[bad]), f" {_RANGE_TEXT}")
    for col in columns.elements:
        bad = conv.bad_cells[col.source]
        _note(reasons, bad, f"{col.source} ", _quoted(raw[col.source][bad]), " is not a number")
        limits = table[col.element].limits
        values = conv.frame[col.element]
        out = outside[col.element]
        hard = Limits(limits.hard_min, limits.hard_max).describe()
        _note(reasons, out, f"{col.element} ", values[out].map("{:g}".format), f" outside {hard}")
    given = reasons != ""
    reasons[given] = reasons[given].str.removeprefix("; ")
    return reasons


def split_chunk(raw: pd.DataFrame, layout: FileLayout, *, clock: Clock = Clock()) -> ChunkSplit:
    """Split a raw chunk into storable rows and refused rows with their reasons."""
    conv = _convert(raw, layout.columns, clock)
    reasons = _reasons(raw, layout.columns, conv)
    if reasons is None:  # the usual case: every row is good
        rejects = raw.iloc[:0].assign(reason=pd.Series(dtype="str"))
        rejects = rejects[["line", "reason", *layout.headers]].reset_index(drop=True)
        return ChunkSplit(_typed(conv.frame, layout.columns), rejects)
    refused = reasons != ""
    rejects = raw[refused].copy()
    rejects.insert(1, "reason", reasons[refused].astype("str"))
    rejects = rejects[["line", "reason", *layout.headers]].reset_index(drop=True)
    key = "ts" if layout.columns.kind == "subdaily" else "obs_date"
    timed = refused & ~(conv.bad_time | conv.out_of_range)
    keys = _typed(conv.frame.loc[timed, ["line", key]], layout.columns)
    return ChunkSplit(_typed(conv.frame[~refused], layout.columns), rejects, keys)
