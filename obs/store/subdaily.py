"""The gateway of ``subdaily_weather``: every statement on the table, in one place.

Rows are keyed by (station, ``ts``), ``ts`` the UTC epoch second at the end of the interval.
Reads come back as frames in time order (value columns as float64, ``precip_trace`` as bool);
writes take frames. Statements are written once with ``?`` placeholders and run through
:mod:`obs.store.sql`, which handles the dialect.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from sqlmodel import Session

from obs.store.sql import executemany, insert_frame, plain_rows, query_frame, scalar, set_flags
from schemas.weather import SUBDAILY_VALUES

TABLE = "subdaily_weather"
#: Every column of the table an import or the QC reads.
SUBDAILY_COLUMNS = ("id", "station_id", "ts", *SUBDAILY_VALUES, "qc", "import_id", "deleted_at")
#: Appended to an ``INSERT`` where rows of the chunk's range may be stored already.
ON_CONFLICT_NOTHING = " ON CONFLICT (station_id, ts) DO NOTHING"
_LIVE = "station_id = ? AND ts >= ? AND ts <= ? AND deleted_at IS NULL"
_TIMES_PER_QUERY = 500


def rows(
    session: Session, station_id: int, lo: int, hi: int, columns: Sequence[str] = SUBDAILY_COLUMNS
) -> pd.DataFrame:
    """Live rows of a station with ``lo <= ts <= hi`` [UTC epoch s], by time."""
    sql = f"SELECT {', '.join(columns)} FROM {TABLE} WHERE {_LIVE} ORDER BY ts"
    frame = query_frame(session, sql, (station_id, int(lo), int(hi)), columns)
    for name in columns:
        if name in SUBDAILY_VALUES and name != "precip_trace":
            frame[name] = pd.to_numeric(frame[name], errors="coerce").astype("float64")
    if "precip_trace" in frame:
        frame["precip_trace"] = frame["precip_trace"].astype(bool)
    return frame


def deleted_times(session: Session, station_id: int, lo: int, hi: int) -> npt.NDArray[np.int64]:
    """``ts`` of the soft-deleted rows of a station with ``lo <= ts <= hi``."""
    sql = (
        f"SELECT ts FROM {TABLE} WHERE station_id = ? AND ts >= ? AND ts <= ? "
        "AND deleted_at IS NOT NULL"
    )
    frame = query_frame(session, sql, (station_id, int(lo), int(hi)), ["ts"])
    return np.asarray(frame["ts"].to_numpy(dtype=np.int64), dtype=np.int64)


def count(session: Session, station_id: int, lo: int, hi: int) -> int:
    """Rows of a station with ``lo <= ts <= hi``, soft-deleted ones included (counted from the
    index alone, without reading the rows)."""
    sql = f"SELECT count(*) FROM {TABLE} WHERE station_id = ? AND ts >= ? AND ts <= ?"
    return int(scalar(session, sql, (station_id, int(lo), int(hi))))


def span(
    session: Session, station_id: int, after: int | None = None, through: int | None = None
) -> tuple[int, int, int] | None:
    """(lowest ``ts``, highest ``ts``, rows) of a station's live rows (with ``after < ts <=
    through`` when given); None when there are none."""
    sql = f"SELECT min(ts), max(ts), count(*) FROM {TABLE} WHERE station_id = ? "
    sql += "AND deleted_at IS NULL"
    params: list[Any] = [station_id]
    if after is not None and through is not None:
        sql += " AND ts > ? AND ts <= ?"
        params += [int(after), int(through)]
    found = query_frame(session, sql, params, ["lo", "hi", "n"]).iloc[0]
    return None if not found["n"] else (int(found["lo"]), int(found["hi"]), int(found["n"]))


def ids_at(session: Session, station_id: int, times: Sequence[int]) -> dict[int, int]:
    """``ts`` -> ``id`` of a station's live rows at ``times`` (a few hundred per query)."""
    ids: dict[int, int] = {}
    sql = f"SELECT ts, id FROM {TABLE} WHERE station_id = ? AND deleted_at IS NULL AND ts IN "
    for start in range(0, len(times), _TIMES_PER_QUERY):
        block = [int(t) for t in times[start : start + _TIMES_PER_QUERY]]
        marks = ", ".join("?" * len(block))
        found = query_frame(session, f"{sql}({marks})", [station_id, *block], ["ts", "id"])
        ids.update(zip(found["ts"].tolist(), found["id"].tolist(), strict=True))
    return ids


def hourly_means(session: Session, station_id: int, after: int, through: int) -> pd.Series:
    """Mean ``t`` per hour of a station's live rows ``after < ts <= through``, indexed by the
    hour's end [UTC epoch s] (10-minute values 00:10…01:00 form the hour ending 01:00)."""
    sql = (
        f"SELECT (ts + 3599) / 3600 AS hour, avg(t) FROM {TABLE} WHERE station_id = ? "
        "AND ts > ? AND ts <= ? AND t IS NOT NULL AND deleted_at IS NULL "
        "GROUP BY (ts + 3599) / 3600 ORDER BY hour"
    )
    found = query_frame(session, sql, (station_id, int(after), int(through)), ["hour", "t"])
    index = found["hour"].to_numpy(dtype=np.int64) * 3600
    return pd.Series(found["t"].to_numpy(dtype=np.float64), index=index, name="t")


def precip_per_day(
    session: Session, station_id: int, after: int, through: int, shift: int
) -> pd.Series:
    """Sum of ``precip`` per day of a station's live rows ``after < ts <= through``, unrounded,
    indexed by day number (days since 1970-01-01): the day of a stamp is
    ``(ts + shift) // 86400``, ``shift`` [s] moving the day's end to midnight."""
    day = f"(ts + {int(shift)}) / 86400"
    sql = (
        f"SELECT {day} AS day, sum(precip) FROM {TABLE} WHERE station_id = ? "
        "AND ts > ? AND ts <= ? AND precip IS NOT NULL AND deleted_at IS NULL "
        f"GROUP BY {day} ORDER BY day"
    )
    found = query_frame(session, sql, (station_id, int(after), int(through)), ["day", "precip"])
    index = found["day"].to_numpy(dtype=np.int64)
    return pd.Series(found["precip"].to_numpy(dtype=np.float64), index=index, name="precip")


def insert(
    session: Session,
    frame: pd.DataFrame,
    columns: Sequence[str],
    constants: Mapping[str, int | bool],
    *,
    if_absent: bool,
) -> int:
    """Insert the ``columns`` of ``frame`` with multi-row ``INSERT``s, ``constants`` the same
    for every row; with ``if_absent``, rows whose (station, ``ts``) is stored are left out."""
    suffix = ON_CONFLICT_NOTHING if if_absent else ""
    return insert_frame(session, TABLE, frame, columns, suffix, constants)


def update_values(
    session: Session, frame: pd.DataFrame, ids: npt.NDArray[np.int64], columns: Sequence[str]
) -> None:
    """Set ``columns`` of the rows ``ids`` to the values of ``frame`` (aligned), ``qc`` to 9
    (not checked)."""
    sets = ", ".join(f"{c} = ?" for c in columns)
    values = plain_rows(frame.assign(_id=ids), [*columns, "_id"])
    executemany(session, f"UPDATE {TABLE} SET {sets}, qc = 9 WHERE id = ?", values)


def restore_values(session: Session, record_id: int, values: Mapping[str, Any]) -> None:
    """Set the columns of row ``record_id`` back to ``values``, ``qc`` to 9."""
    sets = ", ".join(f"{c} = ?" for c in values)
    executemany(
        session, f"UPDATE {TABLE} SET {sets}, qc = 9 WHERE id = ?", [(*values.values(), record_id)]
    )


def reset_qc(session: Session, station_id: int, lo: int, hi: int) -> None:
    """``qc`` 0 for the live rows of a station with ``lo < ts <= hi`` (only those not 0)."""
    sql = f"UPDATE {TABLE} SET qc = 0 WHERE station_id = ? AND ts > ? AND ts <= ? "
    executemany(session, sql + "AND qc <> 0 AND deleted_at IS NULL", [(station_id, lo, hi)])


def set_qc(session: Session, qc: npt.NDArray[np.int64], ids: npt.NDArray[np.int64]) -> None:
    """Set ``qc`` of the rows ``ids``."""
    set_flags(session, TABLE, qc, ids)


def delete_batch(session: Session, batch_id: int) -> None:
    """Remove the rows import batch ``batch_id`` inserted."""
    executemany(session, f"DELETE FROM {TABLE} WHERE import_id = ?", [(batch_id,)])
