"""Fit the bloom models from external CSV files (e.g. a phenology network's export).

Files (UTF-8, optional BOM; comma, semicolon or tab separated; header names case-insensitive):

* events: ``site, year, doy`` — calendar year and calendar day of year of the event
  (1 = 1 Jan), the usual layout of phenology databases; it is converted to a season
  (:func:`obs.seasons.season_of`) and a day of season.
* temperatures: ``site, date`` and one of ``t_mean, tmean, temperature, temp`` — daily mean
  air temperature [°C]; empty, ``NA``, ``NaN`` or ``-9999`` cells are missing.

Per site (default) each site is fitted on its own events and temperatures. Pooled, all sites'
events form one training set whose cross-validation leaves out a whole season (every site's event
of that season), so the weather of the held-out year never leaks into the fit.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from obs.errors import InputFormatError, ObsError
from obs.forecast.data import (
    TrainingSet,
    build_training,
    combine_training,
    derive_reference,
    to_day_of_season,
)
from obs.forecast.fit import FitResult, fit_models
from schemas.forecast import (
    EVENT_COLUMNS,
    FORECAST_MODELS,
    POOLED_SITE,
    TEMPERATURE_BOUNDS,
    TEMPERATURE_COLUMNS,
    TEMPERATURE_VALUE_ALIASES,
    ForecastModel,
)

#: Cell texts read as a missing temperature (lower-case).
MISSING_MARKERS: frozenset[str] = frozenset({"", "na", "nan", "null", "-9999", "-999.9"})

_DATE_RE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")

Row = tuple[int, dict[str, str]]


def _rows(path: Path, required: tuple[str, ...], aliases: tuple[str, ...] = ()) -> Iterator[Row]:
    """Yield ``(line number, {column: cell})``; refuse a missing column or a ragged line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise InputFormatError(f"{path}: cannot be read ({err})") from None
    lines = text.splitlines()
    if not lines:
        raise InputFormatError(f"{path}: is empty", hint=f"expected columns {', '.join(required)}")
    delimiter = max(",;\t", key=lines[0].count)
    reader = csv.reader(lines, delimiter=delimiter)
    header = [name.strip().lower() for name in next(reader)]
    wanted = [
        *required,
        *([next((a for a in aliases if a in header), aliases[0])] if aliases else []),
    ]
    for name in wanted:
        if name not in header:
            raise InputFormatError(
                f"{path} line 1: no column {name!r}", hint=f"expected columns {', '.join(wanted)}"
            )
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise InputFormatError(
                f"{path} line {number}: {len(cells)} fields, header has {len(header)}"
            )
        row = dict(zip(header, (c.strip() for c in cells), strict=True))
        yield number, {name: row[name] for name in wanted}


def _bad(path: Path, number: int, column: str, cell: str, problem: str) -> InputFormatError:
    return InputFormatError(f"{path} line {number}, column {column!r}: {cell!r} {problem}")


def _whole(path: Path, number: int, column: str, cell: str, low: int, high: int) -> int:
    if not re.fullmatch(r"[+-]?\d+", cell) or not low <= int(cell) <= high:
        raise _bad(path, number, column, cell, f"is not a whole number in {low}…{high}")
    return int(cell)


def read_events(path: Path) -> dict[str, list[dt.date]]:
    """Event dates by site from a ``site, year, doy`` file, in date order.

    One event per site and season is checked when the season window is known
    (:func:`fit_from_files`).
    """
    return {site: sorted(days) for site, days in _read_events(path).items()}


def _read_events(path: Path) -> dict[str, dict[dt.date, int]]:
    """Event dates by site with the line each came from."""
    events: dict[str, dict[dt.date, int]] = {}
    for number, row in _rows(path, EVENT_COLUMNS):
        year = _whole(path, number, "year", row["year"], 1, 9999)
        doy = _whole(path, number, "doy", row["doy"], 1, 366)
        day = dt.date(year, 1, 1) + dt.timedelta(days=doy - 1)
        if day.year != year:
            raise _bad(path, number, "doy", row["doy"], f"is past the end of {year}")
        days = events.setdefault(row["site"], {})
        if day in days:
            raise _bad(path, number, "doy", row["doy"], "repeats an event of this site")
        days[day] = number
    if not events:
        raise InputFormatError(f"{path}: has no event rows")
    return events


def _one_per_season(
    path: Path, site: str, days: dict[dt.date, int], reference: tuple[int, int]
) -> None:
    """Refuse a second event of a site in one season, naming its line."""
    seen: set[int] = set()
    for day, number in sorted(days.items(), key=lambda item: item[1]):
        season, _ = to_day_of_season(day, reference)
        if season in seen:
            raise _bad(
                path,
                number,
                "year",
                str(day.year),
                f"repeats a season of site {site!r} (seasons start on "
                f"{reference[0]:02d}-{reference[1]:02d})",
            )
        seen.add(season)


def _date(path: Path, number: int, cell: str) -> dt.date:
    match = _DATE_RE.match(cell)
    try:
        return dt.date(*(int(g) for g in match.groups())) if match else dt.date.fromisoformat(cell)
    except ValueError:
        raise _bad(path, number, "date", cell, "is not a date (YYYY-MM-DD)") from None


def _temperature(path: Path, number: int, column: str, cell: str) -> float | None:
    if cell.lower() in MISSING_MARKERS:
        return None
    try:
        value = float(cell)
    except ValueError:
        raise _bad(path, number, column, cell, "is not a number") from None
    low, high = TEMPERATURE_BOUNDS
    if not low <= value <= high:
        raise _bad(path, number, column, cell, f"is outside {low:g}…{high:g} °C")
    return value


def read_temperatures(path: Path) -> dict[str, pd.Series]:
    """Daily mean temperature by site from a ``site, date, t_mean`` file. [°C]"""
    values: dict[str, dict[dt.date, float]] = {}
    for number, row in _rows(path, TEMPERATURE_COLUMNS, TEMPERATURE_VALUE_ALIASES):
        column = next(k for k in row if k not in TEMPERATURE_COLUMNS)
        day = _date(path, number, row["date"])
        value = _temperature(path, number, column, row[column])
        site = values.setdefault(row["site"], {})
        if day in site:
            raise _bad(path, number, "date", row["date"], "repeats a date of this site")
        if value is not None:
            site[day] = value
    if not any(values.values()):
        raise InputFormatError(f"{path}: has no temperature values")
    return {site: pd.Series(days, dtype="float64") for site, days in values.items()}


def fit_from_files(
    events_csv: Path | str,
    temps_csv: Path | str,
    *,
    pooled: bool = False,
    models: tuple[ForecastModel, ...] = FORECAST_MODELS,
    season_start: tuple[int, int] | None = None,
) -> dict[str, FitResult]:
    """Fit and cross-validate the models on external files, per site or pooled.

    Parameters
    ----------
    season_start : (month, day) on which every season's window starts; default derived from
        the events of each site (of all sites when pooled) by
        :func:`obs.forecast.data.derive_reference`: 1 Oct when the events fit its window.

    Returns
    -------
    Fit result by site code, or one result under :data:`schemas.forecast.POOLED_SITE`; each
    result's ``training.reference`` is the season start used and ``training.notes`` names the
    seasons left out for lack of temperature. A site with events but no temperatures is an
    input error.
    """
    lines = _read_events(Path(events_csv))
    events = {site: sorted(days) for site, days in lines.items()}
    everything = [day for days in events.values() for day in days]
    common = season_start or (_reference(events_csv, "", everything) if pooled else None)
    references = {
        site: common or _reference(events_csv, site, days) for site, days in events.items()
    }
    for site, days in lines.items():
        _one_per_season(Path(events_csv), site, days, references[site])
    temps = read_temperatures(Path(temps_csv))
    missing = sorted(set(events) - set(temps))
    if missing:
        raise InputFormatError(
            f"{temps_csv}: no temperatures for site {missing[0]!r}",
            hint="every site in the events file needs daily temperatures",
        )
    sets = {
        site: _training(events_csv, site, days, temps[site], references[site])
        for site, days in sorted(events.items())
    }
    if pooled:
        return {POOLED_SITE: fit_models(combine_training(list(sets.values())), models=models)}
    return {site: _fit_site(events_csv, site, training, models) for site, training in sets.items()}


def _reference(source: Path | str, site: str, days: list[dt.date]) -> tuple[int, int]:
    try:
        return derive_reference(days)
    except ObsError as err:
        where = f"site {site!r}" if site else "the events of all sites"
        raise InputFormatError(f"{source}: {where}: {err.message}", hint=err.hint) from None


def _training(
    source: Path | str,
    site: str,
    days: list[dt.date],
    temps: pd.Series,
    reference: tuple[int, int],
) -> TrainingSet:
    try:
        return build_training(
            pd.DataFrame({"date": days}, dtype="object"), temps, site=site, reference=reference
        )
    except ObsError as err:
        raise InputFormatError(f"{source}: site {site!r}: {err.message}", hint=err.hint) from None


def _fit_site(
    source: Path | str, site: str, training: TrainingSet, models: tuple[ForecastModel, ...]
) -> FitResult:
    try:
        return fit_models(training, models=models)
    except ObsError as err:
        raise InputFormatError(f"{source}: site {site!r}: {err.message}", hint=err.hint) from None
