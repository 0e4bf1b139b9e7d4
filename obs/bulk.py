"""Fast row transfer between pandas frames and the database on the raw DBAPI cursor.

SQL is written with ``?`` placeholders and converted for drivers of another paramstyle
(psycopg uses ``%s``), so the same statements run on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from sqlmodel import Session

from schemas.weather import SUBDAILY_VALUES

SUBDAILY_COLUMNS = ("id", "station_id", "ts", *SUBDAILY_VALUES, "qc", "import_id", "deleted_at")


#: Rows per ``INSERT`` of :func:`insert_frame`. Binding many rows to one statement is ~2.5×
#: faster than one statement per row (the DBAPI's per-execution work is paid once per batch).
ROWS_PER_INSERT = 100
#: Parameters per statement at most: the limit of SQLite before 3.32 (newer allow 32,766).
MAX_PARAMETERS = 999
#: Rows whose Python values :func:`insert_frame` makes at a time (memory: a few MB).
SLICE_ROWS = 25_000


def plain_rows(frame: pd.DataFrame, columns: Sequence[str]) -> list[tuple[Any, ...]]:
    """Rows as tuples of plain Python values, NaN/NA as None (PostgreSQL keeps NaN otherwise)."""
    return list(zip(*plain_columns(frame, columns), strict=True))


def plain_columns(frame: pd.DataFrame, columns: Sequence[str]) -> list[list[Any]]:
    """The columns as lists of plain Python values, NaN/NA as None."""
    return [_plain_objects(frame[name]).tolist() for name in columns]


def _plain_objects(col: pd.Series) -> npt.NDArray[np.object_]:
    """A column as an object array of plain Python values (float, int, bool, str…), NaN/NA as
    None: what every DBAPI driver binds."""
    if col.dtype.kind == "f":
        values = col.to_numpy(dtype=np.float64)
        obj: npt.NDArray[np.object_] = values.astype(object)
        obj[np.isnan(values)] = None
        return obj
    out = np.empty(len(col), dtype=object)
    out[:] = col.tolist()  # plain Python values (numpy scalars become int, bool, str…)
    if col.dtype.kind not in "iub" or col.hasnans:
        out[col.isna().to_numpy(dtype=bool)] = None
    return out


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


def execute_in(
    session: Session, sql: str, params: Sequence[Any], values: Sequence[Any], per: int = 500
) -> int:
    """Run ``sql``, whose last placeholder is ``IN ({})``, for ``values`` a block at a time
    (``params`` bound before them); the number of rows changed."""
    changed = 0
    for start in range(0, len(values), per):
        block = list(values[start : start + per])
        statement = sql.format(", ".join("?" * len(block)))
        changed += executemany(session, statement, [(*params, *block)])
    return changed


def insert_frame(
    session: Session,
    table: str,
    frame: pd.DataFrame,
    columns: Sequence[str],
    suffix: str = "",
    constants: Mapping[str, int | bool] | None = None,
) -> int:
    """Insert the ``columns`` of ``frame`` (named as in ``table``) with multi-row ``INSERT``s.

    ``constants`` are columns with one integer or boolean value for every row, written into
    the statement instead of bound row by row (fewer parameters bind faster). ``suffix`` is
    appended to each statement (e.g. an ``ON CONFLICT`` clause). Returns the number of rows
    the driver reports as inserted.
    """
    n, width = len(frame), len(columns)
    if n == 0:
        return 0
    fixed = {k: _literal(v) for k, v in (constants or {}).items()}
    per = max(1, min(ROWS_PER_INSERT, MAX_PARAMETERS // max(width, 1)))
    head = f"INSERT INTO {table} ({', '.join([*columns, *fixed])}) VALUES "
    row = "(" + ", ".join(["?"] * width + list(fixed.values())) + ")"
    full_sql = head + ", ".join([row] * per) + suffix
    stored = 0
    # a slice at a time, so that the Python values of a whole chunk are never all made at once
    step = per * max(1, SLICE_ROWS // per)
    for start in range(0, n, step):
        part = frame.iloc[start : start + step]
        grid = np.empty((len(part), width), dtype=object)
        for j, name in enumerate(columns):
            grid[:, j] = _plain_objects(part[name])
        full = len(part) - len(part) % per
        if full:
            stored += executemany(session, full_sql, grid[:full].reshape(-1, per * width).tolist())
        if full < len(part):
            sql = head + ", ".join([row] * (len(part) - full)) + suffix
            stored += executemany(session, sql, grid[full:].reshape(1, -1).tolist())
    return stored


def _literal(value: int | bool) -> str:
    """An integer or boolean as SQL text (the same on SQLite and PostgreSQL)."""
    if isinstance(value, bool | np.bool_):
        return "TRUE" if value else "FALSE"
    return str(int(value))


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


def deleted_times(session: Session, station_id: int, lo: int, hi: int) -> npt.NDArray[np.int64]:
    """``ts`` of the soft-deleted sub-daily rows of a station with ``lo <= ts <= hi``."""
    sql = (
        "SELECT ts FROM subdaily_weather WHERE station_id = ? AND ts >= ? AND ts <= ? "
        "AND deleted_at IS NOT NULL"
    )
    frame = query_frame(session, sql, (station_id, int(lo), int(hi)), ["ts"])
    return np.asarray(frame["ts"].to_numpy(dtype=np.int64), dtype=np.int64)


def stored_count(session: Session, station_id: int, lo: int, hi: int) -> int:
    """Number of sub-daily rows of a station with ``lo <= ts <= hi``, soft-deleted ones
    included (counted from the index alone, without reading the rows)."""
    sql = "SELECT count(*) FROM subdaily_weather WHERE station_id = ? AND ts >= ? AND ts <= ?"
    return int(query_frame(session, sql, (station_id, int(lo), int(hi)), ["n"])["n"].iloc[0])
