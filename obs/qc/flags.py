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

from obs.clock import now_utc
from obs.qc.registry import worst_flag_per_record
from obs.store import qc_flag, subdaily
from obs.store.sql import set_flags
from schemas.site_tables import Station

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
    qc_flag.delete_of(session, kind, ids.tolist())
    qc_flag.insert(session, kind, found, now_utc())
    worst = worst_flag_per_record(found) if len(found) else pd.Series(dtype="int64")
    new_qc = pd.Series(ids).map(worst).fillna(0).to_numpy(dtype=np.int64)
    changed = new_qc != old_qc
    set_flags(session, _TABLE[kind], new_qc[changed], ids[changed])


def replace_subdaily_flags(
    session: Session,
    station_id: int,
    lo: int,
    hi: int,
    found: pd.DataFrame,
    unflagged: Sequence[tuple[int, int]] | None = None,
) -> None:
    """Replace the flags of a station's sub-daily rows ``lo < ts <= hi`` by ``found``, whose
    ``record_id`` holds the row's ``ts``; set each row's ``qc`` to its worst flag, else 0.

    Range statements clear the old state: every flag of the window's rows goes and every
    ``qc`` other than 0 is reset. An import whose rows are the only ones of the window (it
    inserted them, into an empty range: they have no flags yet) gives instead the ranges
    (a, b] it stored with ``qc`` 9 as ``unflagged``: only those are reset. The rows found get
    their ids by time.
    """
    if unflagged is None:
        qc_flag.delete_of_span(session, station_id, lo, hi)
        subdaily.reset_qc(session, station_id, lo, hi)
    else:
        for a, b in unflagged:
            if a < hi and b > lo:
                subdaily.reset_qc(session, station_id, max(a, lo), min(b, hi))
    if found.empty:
        return
    times = np.unique(found["record_id"].to_numpy(dtype=np.int64))
    ids = subdaily.ids_at(session, station_id, times.tolist())
    found = found.assign(record_id=found["record_id"].map(ids))
    found = found[found["record_id"].notna()]
    qc_flag.insert(session, "subdaily", found, now_utc())
    worst = worst_flag_per_record(found)
    subdaily.set_qc(session, worst.to_numpy(dtype=np.int64), worst.index.to_numpy(dtype=np.int64))
