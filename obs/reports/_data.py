"""Database reads of the reports: only the rows and the date range a report needs.

Daily weather is read for the report period (and, for the multi-year means of the appraisal,
for the 30 seasons before it); sub-daily weather only for the chilling window,
already averaged to hourly means by the database (``GROUP BY`` hour), so a report stays fast on
tens of millions of 10-minute rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlmodel import Session

from obs.errors import NotFoundError, UsageError
from obs.lookup import resolve_ref
from obs.store import daily, subdaily
from schemas import tables as T
from schemas.indices import HOURLY_DAY_END_BT, SUMMARY_ELEMENTS

#: Daily elements the reports read.
DAILY_COLUMNS: tuple[str, ...] = SUMMARY_ELEMENTS
_HOUR = 3600
#: Beijing time is UTC+8 whatever the station's own time system (§10.1) [s].
BT_OFFSET_SECONDS = 8 * _HOUR


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
    first = _epoch(start - dt.timedelta(days=1), HOURLY_DAY_END_BT) - offset
    last = _epoch(end, HOURLY_DAY_END_BT) - offset
    means = subdaily.hourly_means(session, station_id, first, last)
    index = pd.DatetimeIndex(pd.to_datetime(means.index + offset, unit="s"), name="time")
    return pd.Series(means.to_numpy(), index=index, name="t", dtype="float64")


def _epoch(day: dt.date, hour: int) -> int:
    """Seconds since 1970-01-01 of ``day`` at ``hour`` on a clock without offset."""
    return (day - dt.date(1970, 1, 1)).days * 86400 + hour * _HOUR


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
