"""Database reads of the reports: only the rows and the date range a report needs, read once.

:func:`load` reads everything one report shows into a :class:`ReportData`; the section
builders are pure functions of it. Daily weather is read once from the first of the 30
seasons behind the appraisal's multi-year means to the end of the report period or of the
appraised season, whichever is later; disasters over the report period and the appraised
season together; sub-daily weather only for the chilling window, already averaged to hourly
means by the database (``GROUP BY`` hour), so a report stays fast on tens of millions of
10-minute rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlmodel import Session

from obs.clock import BT_OFFSET_SECONDS, epoch_seconds
from obs.clock import HOUR_S as _HOUR
from obs.errors import NotFoundError, UsageError
from obs.lookup import resolve_ref
from obs.seasons import season_bounds
from obs.store import daily, subdaily
from schemas import tables as T
from schemas.appraisal import NORMAL_MAX_SEASONS
from schemas.indices import HOURLY_DAY_END_BT, SUMMARY_ELEMENTS

#: Daily elements the reports read.
DAILY_COLUMNS: tuple[str, ...] = SUMMARY_ELEMENTS


@dataclass(frozen=True)
class Scope:
    """The station and the plots a report covers."""

    station: T.Station
    plots: tuple[T.Plot, ...]

    @property
    def plot_ids(self) -> list[int]:
        """Database ids of the plots."""
        return [p.id for p in self.plots if p.id is not None]


def resolve_scope(session: Session, station: str | None, plot: str | None) -> Scope:
    """The station and plots named by ``--station`` / ``--plot`` (the only station if neither)."""
    if plot is not None:
        plot_row = resolve_ref(session, "plot", plot)
        station_row = session.get(T.Station, plot_row.station_id)
        if station is not None and station_row is not None and station_row.code != station:
            raise UsageError(
                f"plot {plot} belongs to station {station_row.code}, not {station}",
                hint=f"drop --station or use --station {station_row.code}",
            )
        return Scope(station_row, (plot_row,))  # type: ignore[arg-type]
    station_row = resolve_ref(session, "station", station) if station else _only_station(session)
    L: Any = T.Plot
    plots = (
        session.exec(  # type: ignore[call-overload]
            select(L).where(L.station_id == station_row.id, L.deleted_at.is_(None)).order_by(L.code)
        )
        .scalars()
        .all()
    )
    return Scope(station_row, tuple(plots))


def _only_station(session: Session) -> Any:
    S: Any = T.Station
    rows = (
        session.exec(  # type: ignore[call-overload]
            select(S).where(S.deleted_at.is_(None)).limit(2)
        )
        .scalars()
        .all()
    )
    if not rows:
        raise NotFoundError(
            "the database has no station yet",
            hint="add one with: obs station add, or try: obs demo",
        )
    if len(rows) > 1:
        raise UsageError(
            "the database has several stations",
            hint="name one with --station CODE (see: obs station list)",
        )
    return rows[0]


def daily_weather(session: Session, station_id: int, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Daily weather of [start, end], indexed by every date of the window (gaps are NaN rows)."""
    # one range read of the columns wanted: a report reads up to 31 years of days for its normals
    frame = daily.values(session, station_id, start, end, DAILY_COLUMNS)
    return frame.reindex(pd.date_range(start, end, freq="D", name="day"))


def hourly_temperature(
    session: Session, station_id: int, start: dt.date, end: dt.date
) -> pd.Series:
    """Hourly mean air temperature [°C] of the climatological days [start, end].

    Sub-daily values are stamped at the end of their interval (UTC epoch seconds); the
    database averages each hour's values, the hour being named by its end (10-minute values
    00:10…01:00 form the hour ending 01:00). Returned as a Series on naive Beijing-time hours.
    """
    offset = BT_OFFSET_SECONDS
    first = epoch_seconds(start - dt.timedelta(days=1), HOURLY_DAY_END_BT) - offset
    last = epoch_seconds(end, HOURLY_DAY_END_BT) - offset
    means = subdaily.hourly_means(session, station_id, first, last)
    index = pd.DatetimeIndex(pd.to_datetime(means.index + offset, unit="s"), name="time")
    return pd.Series(means.to_numpy(), index=index, name="t", dtype="float64")


def precip_unrounded(session: Session, station_id: int, start: dt.date, end: dt.date) -> pd.Series:
    """Per climatological day of [start, end]: the sum of the stored sub-daily precipitation,
    unrounded [mm] (days without sub-daily precipitation absent).

    Day D is (20:00 BT of D−1, 20:00 BT of D], as the hourly temperatures and the daily
    derivation of the import.
    """
    offset = BT_OFFSET_SECONDS
    first = epoch_seconds(start - dt.timedelta(days=1), HOURLY_DAY_END_BT) - offset
    last = epoch_seconds(end, HOURLY_DAY_END_BT) - offset
    shift = offset - HOURLY_DAY_END_BT * _HOUR + 86_399
    sums = subdaily.precip_per_day(session, station_id, first, last, shift)
    days = pd.DatetimeIndex(pd.to_datetime(sums.index, unit="D"), name="day")
    return pd.Series(sums.to_numpy(), index=days, name="precip", dtype="float64")


def plot_rows(
    session: Session,
    table: Any,
    plot_ids: Sequence[int],
    date_column: str,
    start: dt.date,
    end: dt.date,
) -> list[Any]:
    """Live rows of a plot-level table whose date falls in [start, end], by date."""
    date_col = getattr(table, date_column)
    query = (
        select(table)
        .where(
            table.plot_id.in_(plot_ids), table.deleted_at.is_(None), date_col.between(start, end)
        )
        .order_by(date_col, table.id)
    )
    return list(session.exec(query).scalars().all())  # type: ignore[call-overload]


def plant_rows(
    session: Session, table: Any, plot_ids: Sequence[int], start: dt.date, end: dt.date
) -> list[tuple[Any, str, str]]:
    """Live rows of a plant-level table in [start, end] with the plant's plot code and tag."""
    P: Any = T.Plant
    L: Any = T.Plot
    query = (
        select(table, L.code, P.tag)
        .join(P, P.id == table.plant_id)
        .join(L, L.id == P.plot_id)
        .where(
            P.plot_id.in_(plot_ids), table.deleted_at.is_(None), table.obs_date.between(start, end)
        )
        .order_by(table.obs_date, P.tag)
    )
    return [tuple(r) for r in session.exec(query).all()]  # type: ignore[call-overload, misc]


def plant_counts(session: Session, plot_ids: Sequence[int]) -> dict[int, int]:
    """Number of live marked plants per plot id."""
    P: Any = T.Plant
    query = (
        select(P.plot_id, func.count(P.id))
        .where(P.plot_id.in_(plot_ids), P.deleted_at.is_(None))
        .group_by(P.plot_id)
    )
    return {int(k): int(v) for k, v in session.exec(query).all()}  # type: ignore[call-overload]


def observers(session: Session, plot_ids: Sequence[int], start: dt.date, end: dt.date) -> list[str]:
    """Distinct observer names on the phenology visits of the plots in [start, end]."""
    Ph: Any = T.PhenologyObservation
    P: Any = T.Plant
    query = (
        select(Ph.observer)
        .join(P, P.id == Ph.plant_id)
        .where(
            P.plot_id.in_(plot_ids),
            Ph.deleted_at.is_(None),
            Ph.observer != "",
            Ph.obs_date.between(start, end),
        )
        .distinct()
    )
    return sorted(str(o) for o in session.exec(query).scalars().all())  # type: ignore[call-overload]


def stage_dates(session: Session, station: str, plot: str | None, method: str) -> list[Any]:
    """Stage dates of every season of the station (or one plot) from the stage-dates engine."""
    from obs.stagedates import derive_stage_dates

    return list(derive_stage_dates(session=session, station=station, plot=plot, method=method))


def _no_hours() -> pd.Series:
    return pd.Series(dtype="float64")


@dataclass(frozen=True)
class ReportData:
    """What one report shows, read once by :func:`load`.

    ``start``/``end`` bound the report period. ``stage_dates`` are those of every season (the
    anomalies and the bloom history need them); ``daily`` covers the appraisal's multi-year
    window as well as the period (read it through :meth:`daily_between`); ``disasters``
    cover the period and the appraised season (read them through :meth:`disasters_between`);
    the other record rows, ``plant_counts``, ``observers`` and ``unrounded`` (the daily sums
    of sub-daily precipitation) are those of the period.
    ``hourly`` holds the hourly means of the chilling window ``chill`` when the report has one.
    """

    scope: Scope
    start: dt.date
    end: dt.date
    stage_dates: tuple[Any, ...]
    daily: pd.DataFrame
    disasters: tuple[Any, ...]
    pests: tuple[Any, ...]
    status: tuple[Any, ...]
    growth: tuple[tuple[Any, str, str], ...]
    yields: tuple[Any, ...]
    fieldwork: tuple[Any, ...]
    plant_counts: dict[int, int]
    observers: tuple[str, ...]
    unrounded: pd.Series
    chill: tuple[dt.date, dt.date] | None = None
    hourly: pd.Series = field(default_factory=_no_hours)

    def daily_between(self, start: dt.date, end: dt.date) -> pd.DataFrame:
        """Daily weather of [start, end] on every date of the window (gaps are NaN rows)."""
        return self.daily.reindex(pd.date_range(start, end, freq="D", name="day"))

    def disasters_between(self, start: dt.date, end: dt.date) -> list[Any]:
        """The disasters that started in [start, end], by date."""
        return [r for r in self.disasters if start <= r.start_date <= end]


def load(
    session: Session,
    *,
    station: str | None,
    plot: str | None,
    method: str,
    period: tuple[dt.date, dt.date],
    appraised: int,
    chill_window: Callable[[Sequence[Any]], tuple[dt.date, dt.date]] | None = None,
) -> ReportData:
    """Read what a report of ``period`` shows, with the appraisal of season ``appraised``.

    ``chill_window``, when given, maps the stage dates to the chilling window whose hourly
    temperatures the report needs (:func:`obs.reports.chill_section.window_of`).
    """
    scope = resolve_scope(session, station, plot)
    start, end = period
    station_id = int(scope.station.id or 0)
    season_start, season_end = season_bounds(appraised)
    normals_start, _ = season_bounds(appraised - NORMAL_MAX_SEASONS)
    dates = tuple(stage_dates(session, scope.station.code, plot, method))
    ids = scope.plot_ids
    chill = chill_window(dates) if chill_window is not None else None
    return ReportData(
        scope=scope,
        start=start,
        end=end,
        stage_dates=dates,
        daily=daily_weather(session, station_id, min(start, normals_start), max(end, season_end)),
        disasters=tuple(
            plot_rows(
                session,
                T.DisasterObservation,
                ids,
                "start_date",
                min(start, season_start),
                max(end, season_end),
            )
        ),
        pests=tuple(plot_rows(session, T.PestObservation, ids, "obs_date", start, end)),
        status=tuple(plot_rows(session, T.GrowthStatus, ids, "obs_date", start, end)),
        growth=tuple(plant_rows(session, T.GrowthMeasurement, ids, start, end)),
        yields=tuple(plot_rows(session, T.YieldItem, ids, "obs_date", start, end)),
        fieldwork=tuple(plot_rows(session, T.FieldWork, ids, "start_date", start, end)),
        plant_counts=plant_counts(session, ids),
        observers=tuple(observers(session, ids, start, end)),
        unrounded=precip_unrounded(session, station_id, start, end),
        chill=chill,
        hourly=hourly_temperature(session, station_id, *chill) if chill else _no_hours(),
    )
