"""The gateway of ``daily_weather``: every statement on the table, in one place.

Rows are keyed by (station, ``obs_date``) among the live ones. Reads come back as frames with
``obs_date`` as :class:`datetime.date` (SQLite gives text, PostgreSQL dates: the same here);
the records an import reconciles come as ORM rows, since their changes go through the history
(:func:`obs.records.history.apply_change`). Statements are written once with ``?``
placeholders and run through :mod:`obs.store.sql`, which handles the dialect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from sqlmodel import Session, col, select

from obs.store.sql import bind, binder, executemany, insert_frame, query_frame, set_flags
from schemas.weather_tables import DailyWeather

TABLE = "daily_weather"
#: Every column of the table.
DAILY_COLUMNS: tuple[str, ...] = tuple(DailyWeather.model_fields)
_LIVE = "station_id = ? AND deleted_at IS NULL"


def _dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values).dt.date


def rows(
    session: Session,
    station_id: int,
    first: dt.date | None = None,
    last: dt.date | None = None,
    columns: Sequence[str] = DAILY_COLUMNS,
) -> pd.DataFrame:
    """Live rows of a station (all, or ``first <= obs_date <= last``), by date."""
    names = list(columns)
    sql = f"SELECT {', '.join(names)} FROM {TABLE} WHERE {_LIVE}"
    params: list[Any] = [station_id]
    if first is not None and last is not None:
        sql += " AND obs_date >= ? AND obs_date <= ?"
        params += [first.isoformat(), last.isoformat()]
    frame = query_frame(session, sql + " ORDER BY obs_date", params, names)
    if "obs_date" in frame:
        frame["obs_date"] = _dates(frame["obs_date"])
    return frame


def values(
    session: Session, station_id: int, first: dt.date, last: dt.date, elements: Sequence[str]
) -> pd.DataFrame:
    """The ``elements`` of a station's live days ``first``…``last`` as float64, indexed by
    day (a DatetimeIndex named ``day``; days without a row are absent)."""
    frame = rows(session, station_id, first, last, ["obs_date", *elements])
    out = pd.DataFrame(
        {e: pd.to_numeric(frame[e], errors="coerce").to_numpy(dtype=np.float64) for e in elements},
        index=pd.DatetimeIndex(pd.to_datetime(frame["obs_date"]), name="day"),
    )
    return out


def records(
    session: Session, station_id: int, first: dt.date, last: dt.date
) -> dict[dt.date, DailyWeather]:
    """The live records of a station ``first``…``last`` as ORM rows, by date."""
    D = DailyWeather
    query = select(D).where(
        D.station_id == station_id,
        col(D.obs_date).between(first, last),
        col(D.deleted_at).is_(None),
    )
    return {r.obs_date: r for r in session.exec(query).all()}


def insert(session: Session, station_id: int, frame: pd.DataFrame) -> list[int]:
    """Insert new days (every column they need, ``uid`` among them) with multi-row
    ``INSERT``s; their ids, in the order of ``frame``."""
    table = DailyWeather.__table__  # type: ignore[attr-defined]
    frame = frame.reset_index(drop=True)
    date = binder(session, table, "obs_date")
    frame["obs_date"] = pd.Series([date(d) for d in frame["obs_date"].tolist()], dtype=object)
    created = frame["created_at"].iloc[0]
    at = bind(session, table, "created_at", created)  # one time for every row: bound once
    frame["created_at"] = pd.Series([at] * len(frame), dtype=object)
    insert_frame(session, TABLE, frame, list(frame.columns))
    # the new rows' ids, by uid, from the live rows of their dates (one indexed range query)
    sql = f"SELECT uid, id FROM {TABLE} WHERE {_LIVE} AND obs_date >= ? AND obs_date <= ?"
    bounds = [frame["obs_date"].min(), frame["obs_date"].max()]
    pairs = query_frame(session, sql, [station_id, *bounds], ["uid", "id"])
    found = dict(zip(pairs["uid"].tolist(), pairs["id"].tolist(), strict=True))
    return [int(found[u]) for u in frame["uid"]]


def set_qc(session: Session, qc: npt.NDArray[np.int64], ids: npt.NDArray[np.int64]) -> None:
    """Set ``qc`` of the rows ``ids``."""
    set_flags(session, TABLE, qc, ids)


def delete(session: Session, ids: Sequence[int]) -> None:
    """Remove the rows ``ids`` (days an import inserted and takes back)."""
    executemany(session, f"DELETE FROM {TABLE} WHERE id = ?", [(int(i),) for i in ids])
