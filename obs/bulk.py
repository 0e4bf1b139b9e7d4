"""Fast row transfer between pandas frames and the database on the raw DBAPI cursor.

SQL is written with ``?`` placeholders and converted for drivers of another paramstyle
(psycopg uses ``%s``), so the same statements run on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from sqlmodel import Session

#: Value columns of ``subdaily_weather``.
SUBDAILY_VALUES: tuple[str, ...] = (
    "t",
    "rh",
    "precip",
    "precip_trace",
    "wind_speed",
    "wind_dir",
    "wind_gust",
    "sunshine",
    "ground_t",
)
SUBDAILY_COLUMNS = ("id", "station_id", "ts", *SUBDAILY_VALUES, "qc", "import_id", "deleted_at")
SUBDAILY_COLUMNS = ("id", "station_id", "ts", *SUBDAILY_VALUES, "qc", "import_id", "deleted_at")


def plain_rows(frame: pd.DataFrame, columns: Sequence[str]) -> list[tuple[Any, ...]]:
    """Rows as tuples of plain Python values, NaN/NA as None (PostgreSQL keeps NaN otherwise)."""
    out: list[Iterable[Any]] = []
    for name in columns:
        col = frame[name]
        if col.dtype.kind == "f":
            values = col.to_numpy(dtype=np.float64)
            obj = values.astype(object)
            obj[np.isnan(values)] = None
            out.append(obj.tolist())
        elif col.dtype.kind in "iub":
            out.append(col.to_numpy().tolist())
        else:
            out.append([None if _missing(v) else v for v in col.tolist()])
    return list(zip(*out, strict=True))


def _missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def executemany(session: Session, sql: str, rows: Sequence[Sequence[Any]]) -> int:
    """Run ``sql`` (written with ``?`` placeholders) once per row on the raw DBAPI cursor.

    Returns the number of rows the driver reports as changed.
    """
    if not rows:
        return 0
    connection = session.connection()
    if connection.dialect.paramstyle != "qmark":
        sql = sql.replace("?", "%s")
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(sql, rows)
        return int(cursor.rowcount)
    finally:
        cursor.close()


def query_frame(
    session: Session, sql: str, params: Sequence[Any], columns: Sequence[str]
) -> pd.DataFrame:
    """The rows of a raw SQL query (``?`` placeholders) as a DataFrame."""
    connection = session.connection()
    if connection.dialect.paramstyle != "qmark":
        sql = sql.replace("?", "%s")
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql, tuple(params))
        rows = cursor.fetchall()
    finally:
        cursor.close()
    return pd.DataFrame.from_records(rows, columns=list(columns))


def stored_range(
    session: Session, station_id: int, lo: int, hi: int, columns: Sequence[str] = SUBDAILY_COLUMNS
) -> pd.DataFrame:
    """Live sub-daily rows of a station with ``lo <= ts <= hi`` [UTC epoch s], by time."""
    sql = (
        f"SELECT {', '.join(columns)} FROM subdaily_weather WHERE station_id = ? "
        "AND ts >= ? AND ts <= ? AND deleted_at IS NULL ORDER BY ts"
    )
    frame = query_frame(session, sql, (station_id, int(lo), int(hi)), columns)
    for name in columns:
        if name in SUBDAILY_VALUES and name != "precip_trace":
            frame[name] = pd.to_numeric(frame[name], errors="coerce").astype("float64")
    if "precip_trace" in frame:
        frame["precip_trace"] = frame["precip_trace"].astype(bool)
    return frame


def stored_ids(
    session: Session, station_id: int, lo: int, hi: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """``ts`` and ``id`` of the live sub-daily rows of a station with ``lo <= ts <= hi``, by time
    (two integer arrays, read without building a frame)."""
    sql = (
        "SELECT ts, id FROM subdaily_weather WHERE station_id = ? AND ts >= ? AND ts <= ? "
        "AND deleted_at IS NULL ORDER BY ts"
    )
    connection = session.connection()
    if connection.dialect.paramstyle != "qmark":
        sql = sql.replace("?", "%s")
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql, (station_id, int(lo), int(hi)))
        pairs = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, 2)
    finally:
        cursor.close()
    return pairs[:, 0], pairs[:, 1]
