"""The one place where SQL meets the driver: statements on the raw DBAPI cursor, frames in and
out.

Every statement of the gateways (:mod:`obs.store.subdaily`, :mod:`obs.store.daily`,
:mod:`obs.store.qc_flag`) is written once, with ``?`` placeholders, in SQL that SQLite and
PostgreSQL both run; :func:`dialect_sql` converts it for drivers of another paramstyle
(psycopg uses ``%s``), and :func:`bind` turns a Python value into what the dialect stores
(dates and times as SQLAlchemy binds them). Nothing else in ``obs`` needs to know which
database it talks to for these tables.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from sqlmodel import Session

#: Rows per ``INSERT`` of :func:`insert_frame`. Binding many rows to one statement is ~2.5×
#: faster than one statement per row (the DBAPI's per-execution work is paid once per batch).
ROWS_PER_INSERT = 100
#: Parameters per statement at most: the limit of SQLite before 3.32 (newer allow 32,766).
MAX_PARAMETERS = 999
#: Rows whose Python values :func:`insert_frame` makes at a time (memory: a few MB).
SLICE_ROWS = 25_000


def dialect_sql(session: Session, sql: str) -> str:
    """``sql`` written with ``?`` placeholders, for the session's driver."""
    if session.connection().dialect.paramstyle != "qmark":
        return sql.replace("?", "%s")
    return sql


def binder(session: Session, table: Any, column: str) -> Callable[[Any], Any]:
    """A function giving a value as the dialect binds it for ``table.column`` (a date or a
    timestamp, say)."""
    dialect = session.connection().dialect
    process = table.c[column].type.dialect_impl(dialect).bind_processor(dialect)
    return (lambda value: value) if process is None else process


def bind(session: Session, table: Any, column: str, value: Any) -> Any:
    """``value`` as the dialect binds it for ``table.column``."""
    return binder(session, table, column)(value)


def scalar(session: Session, sql: str, params: Sequence[Any]) -> Any:
    """The one value of a query (``?`` placeholders)."""
    return query_frame(session, sql, params, ["value"])["value"].iloc[0]


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
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    sql = dialect_sql(session, sql)
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


def set_flags(session: Session, table: str, qc: np.ndarray, ids: np.ndarray) -> None:
    """Set the ``qc`` column of the rows ``ids`` of ``table`` (one statement per value and
    block of ids)."""
    for value in np.unique(qc).tolist():
        sql = f"UPDATE {table} SET qc = {int(value)} WHERE id IN ({{}})"
        execute_in(session, sql, [], ids[qc == value].tolist())


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
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    sql = dialect_sql(session, sql)
    try:
        cursor.execute(sql, tuple(params))
        rows = cursor.fetchall()
    finally:
        cursor.close()
    return pd.DataFrame.from_records(rows, columns=list(columns))
