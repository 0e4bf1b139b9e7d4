"""Storing QC findings next to the values: replace a record's flags, set its ``qc`` column.

Also turns findings into the rows users see (kind, station, when, element, value, flag,
reason).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sqlmodel import Session

from obs.bulk import execute_in, executemany, insert_frame, query_frame
from obs.qc import worst_flag_per_record
from obs.records.history import now_utc
from schemas.site_tables import Station
from schemas.system_tables import QCFlag

_TABLE = {"daily": "daily_weather", "subdaily": "subdaily_weather", "phenology": "phenology"}


def _values_text(frame: pd.DataFrame, found: pd.DataFrame) -> list[str]:
    by_id = frame.set_index("id")
    out = []
    for rid, element in zip(found["record_id"], found["element"], strict=True):
        parts = [e for e in str(element).split(",") if e in by_id.columns]
        cells = [by_id.at[rid, e] for e in parts]
        shown = ["" if _blank(v) else (f"{v:g}" if isinstance(v, float) else str(v)) for v in cells]
        out.append(
            shown[0]
            if len(shown) == 1
            else ", ".join(f"{e}={v}" for e, v in zip(parts, shown, strict=True))
        )
    return out


def _blank(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def enrich(kind: str, station: Station, frame: pd.DataFrame, found: pd.DataFrame) -> pd.DataFrame:
    """Findings with kind, station, when (date or station time) and the flagged value."""
    when_col = "ts" if kind == "subdaily" else "obs_date"
    when = found["record_id"].map(frame.set_index("id")[when_col])
    if kind == "subdaily":
        offset = dt.timedelta(hours=station.utc_offset_hours)
        when = when.map(
            lambda ts: (dt.datetime.fromtimestamp(int(ts), dt.UTC) + offset).strftime(
                "%Y-%m-%d %H:%M"
            )
        )
    else:
        when = when.map(lambda d: pd.Timestamp(d).date().isoformat())
    return pd.DataFrame(
        {
            "kind": kind,
            "record_id": found["record_id"].astype("int64"),
            "station": station.code,
            "when": when.astype("str"),
            "element": found["element"],
            "value": _values_text(frame, found),
            "flag": found["flag"].astype("int64"),
            "check_name": found["check_name"],
            "reason": found["reason"],
        }
    )


def replace_flags(session: Session, kind: str, frame: pd.DataFrame, found: pd.DataFrame) -> None:
    """Replace the flags of the checked rows in ``frame`` (``id``, ``qc``) by ``found``
    (every old flag of those rows goes, whatever their ``qc`` says)."""
    ids = frame["id"].to_numpy(dtype=np.int64)
    old_qc = frame["qc"].to_numpy(dtype=np.int64)
    stale = "DELETE FROM qc_flag WHERE kind = ? AND record_id IN ({})"
    execute_in(session, stale, [kind], ids.tolist())
    _insert_flags(session, kind, found)
    worst = worst_flag_per_record(found) if len(found) else pd.Series(dtype="int64")
    new_qc = pd.Series(ids).map(worst).fillna(0).to_numpy(dtype=np.int64)
    changed = new_qc != old_qc
    _set_qc(session, _TABLE[kind], new_qc[changed], ids[changed])


def _set_qc(session: Session, table: str, qc: np.ndarray, ids: np.ndarray) -> None:
    """Set ``qc`` of the rows ``ids`` (one statement per value and block of ids)."""
    for value in np.unique(qc).tolist():
        sql = f"UPDATE {table} SET qc = {int(value)} WHERE id IN ({{}})"
        execute_in(session, sql, [], ids[qc == value].tolist())


def replace_subdaily_flags(
    session: Session,
    station_id: int,
    lo: int,
    hi: int,
    found: pd.DataFrame,
    unchecked: Sequence[tuple[int, int]] | None = None,
) -> None:
    """Replace the flags of a station's sub-daily rows ``lo < ts <= hi`` by ``found``, whose
    ``record_id`` holds the row's ``ts``; set each row's ``qc`` to its worst flag, else 0.

    Range statements clear the old state: every flag of the window's rows goes and every
    ``qc`` other than 0 is reset. An import that stored every row of the window itself says so
    with ``unchecked``: the ranges (a, b] it stored with ``qc`` 9, the others having 0 and no
    flags (it stored them in this transaction); only those ranges are reset then. The rows
    found get their ids by time, a few hundred per query.
    """
    if unchecked is None:
        executemany(session, _SPAN_DELETE, [(station_id, lo, hi)])
        executemany(session, _SPAN_RESET, [(station_id, lo, hi)])
    else:
        spans = [(station_id, max(a, lo), min(b, hi)) for a, b in unchecked if a < hi and b > lo]
        executemany(session, _SPAN_RESET, spans)
    if found.empty:
        return
    times = np.unique(found["record_id"].to_numpy(dtype=np.int64))
    ids: dict[int, int] = {}
    for start in range(0, len(times), _IDS_PER_QUERY):
        block = times[start : start + _IDS_PER_QUERY].tolist()
        marks = ", ".join("?" * len(block))
        sql = f"{_SPAN_IDS} AND ts IN ({marks})"
        pairs = query_frame(session, sql, [station_id, *block], ["ts", "id"])
        ids.update(zip(pairs["ts"].tolist(), pairs["id"].tolist(), strict=True))
    found = found.assign(record_id=found["record_id"].map(ids))
    found = found[found["record_id"].notna()]
    _insert_flags(session, "subdaily", found)
    worst = worst_flag_per_record(found)
    _set_qc(
        session,
        "subdaily_weather",
        worst.to_numpy(dtype=np.int64),
        worst.index.to_numpy(dtype=np.int64),
    )


_IDS_PER_QUERY = 500
_SPAN_IDS = "SELECT ts, id FROM subdaily_weather WHERE station_id = ? AND deleted_at IS NULL"
_SPAN_DELETE = (
    "DELETE FROM qc_flag WHERE kind = 'subdaily' AND record_id IN (SELECT id FROM "
    "subdaily_weather WHERE station_id = ? AND ts > ? AND ts <= ? AND deleted_at IS NULL)"
)
_SPAN_RESET = (
    "UPDATE subdaily_weather SET qc = 0 WHERE station_id = ? AND ts > ? AND ts <= ? "
    "AND qc <> 0 AND deleted_at IS NULL"
)


def _insert_flags(session: Session, kind: str, found: pd.DataFrame) -> None:
    if found.empty:
        return
    table = QCFlag.__table__  # type: ignore[attr-defined]
    dialect = session.connection().dialect
    process = table.c.run_at.type.dialect_impl(dialect).bind_processor(dialect)
    at = now_utc() if process is None else process(now_utc())
    frame = pd.DataFrame(
        {
            "kind": kind,
            "record_id": found["record_id"].to_numpy(dtype=np.int64),
            "element": found["element"].astype("str").to_numpy(dtype=object),
            "check_name": found["check_name"].astype("str").to_numpy(dtype=object),
            "flag": found["flag"].to_numpy(dtype=np.int64),
            "reason": found["reason"].astype("str").to_numpy(dtype=object),
            "run_at": pd.Series([at] * len(found), dtype=object),
        }
    )
    insert_frame(session, "qc_flag", frame, list(frame.columns))
