"""Store daily weather rows: read from a daily file (source "imported") or derived from
sub-daily records (source "derived").

Rules for a day that is stored already (domain spec §10, the brief of the import issue):

- a derived day over a derived day is always recomputed (it is a function of the stored
  sub-daily records); a change is logged in the history;
- a derived day over a day of another source (manual, aws, imported) keeps the stored day,
  unless ``--on-conflict update``;
- an imported day over any stored day: identical values are unchanged; different values are
  kept (``skip``), updated with history (``update``) or reported (``fail``).

Only the columns the incoming frame has are compared and written.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sqlmodel import Session

from obs.clock import now_utc
from obs.imports.common import IMPORT_UPDATE
from obs.imports.options import OnConflict
from obs.imports.weather.store_rows import describe_changes
from obs.records import history as H
from obs.store import daily
from schemas.kinds import KINDS
from schemas.weather import DAILY_ELEMENTS
from schemas.weather_tables import DailyWeather

_TEXT = ("tmean_method", "interpolated")
_INTS = ("n_records", "n_expected")
#: Columns of ``daily_weather`` an import may write.
DAILY_VALUES: tuple[str, ...] = (
    *(e.code for e in DAILY_ELEMENTS),
    "precip_08_08",
    "precip_trace",
    *_TEXT,
    *_INTS,
)
DERIVED = "derived"
_TOLERANCE = 1e-9


@dataclass
class DailyResult:
    """Counts of one batch of days, the differing ones, and the ids this run inserted."""

    stored: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_manual: int = 0
    differ: list[tuple[int, dt.date, str]] = field(default_factory=list)
    inserted_ids: list[int] = field(default_factory=list)


def _value(raw: Any, name: str) -> Any:
    """A frame cell as the column's Python value (None for missing)."""
    if raw is None or raw is pd.NA or (isinstance(raw, float) and np.isnan(raw)):
        return False if name == "precip_trace" else ("" if name in _TEXT else None)
    if name == "precip_trace":
        return bool(raw)
    if name in _INTS:
        return int(raw)
    if name in _TEXT:
        return str(raw)
    return float(raw)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= _TOLERANCE
    return bool(a == b)


def _changes(record: DailyWeather, values: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        c: [getattr(record, c), v] for c, v in values.items() if not _same(getattr(record, c), v)
    }


def store_days(
    session: Session,
    days: pd.DataFrame,
    *,
    station_id: int,
    source: str,
    mode: OnConflict,
    reason: str,
    actor: str,
) -> DailyResult:
    """Insert or reconcile daily rows (``obs_date`` + value columns; ``line`` optional)."""
    result = DailyResult()
    if days.empty:
        return result
    cols = [c for c in DAILY_VALUES if c in days.columns]
    existing = daily.records(session, station_id, days["obs_date"].min(), days["obs_date"].max())
    stored = days["obs_date"].isin(list(existing)).to_numpy() if existing else None
    if stored is not None:
        old = days[stored]
        lines = old["line"].tolist() if "line" in old else [0] * len(old)
        for line, row in zip(lines, old.itertuples(index=False), strict=True):
            values = {c: _value(getattr(row, c), c) for c in cols}
            record = existing[row.obs_date]
            _reconcile(session, result, record, values, line, source, mode, reason, actor)
    new = days if stored is None else days[~stored]
    result.inserted_ids = _insert(session, station_id, new[["obs_date", *cols]], source, actor)
    result.stored = len(new)
    session.flush()
    return result


def _reconcile(
    session: Session,
    result: DailyResult,
    record: DailyWeather,
    values: dict[str, Any],
    line: int,
    source: str,
    mode: OnConflict,
    reason: str,
    actor: str,
) -> None:
    changes = _changes(record, values)
    if source == DERIVED and record.source != DERIVED:
        if mode != "update":
            result.kept_manual += 1
            return
        changes["source"] = [record.source, DERIVED]
    if not changes:
        result.unchanged += 1
        return
    if (source == DERIVED and record.source == DERIVED) or mode == "update":
        _update(session, record, changes, reason, actor)
        result.updated += 1
        return
    result.differ.append((line, record.obs_date, describe_changes(changes)))


def _insert(
    session: Session, station_id: int, days: pd.DataFrame, source: str, actor: str
) -> list[int]:
    """Insert new days with multi-row INSERTs; their ids."""
    if days.empty:
        return []
    frame = days.reset_index(drop=True)
    defaults = {
        "precip_trace": False,
        "interpolated": "",
        "tmean_method": "" if source == DERIVED else "given",
    }
    for name, default in defaults.items():
        column = frame[name].astype(object) if name in frame else pd.Series(None, index=frame.index)
        frame[name] = column.where(column.notna(), default)
    frame["precip_trace"] = frame["precip_trace"].astype(bool)
    for name in _INTS:
        if name in frame:
            frame[name] = frame[name].astype("Int64")
    uids = [uuid.uuid4().hex for _ in range(len(frame))]
    frame = frame.assign(
        station_id=station_id,
        source=source,
        created_by=actor,
        created_at=now_utc(),
        qc=9,
        note="",
        phenomena="",
        observer="",
        uid=pd.Series(uids, dtype=object),
    )
    return daily.insert(session, station_id, frame)


def _update(
    session: Session,
    record: DailyWeather,
    changes: dict[str, list[Any]],
    reason: str,
    actor: str,
) -> None:
    H.apply_change(
        session,
        KINDS["weather"],
        record,
        {c: new for c, (_, new) in changes.items()},
        action=IMPORT_UPDATE,
        reason=reason,
        actor=actor,
    )


def differ_frame(differ: Sequence[tuple[int, dt.date, str]]) -> pd.DataFrame:
    """Differing days as reject-file rows (line, reason)."""
    return pd.DataFrame(
        {"line": [d[0] for d in differ], "reason": [f"{d[1]}: {d[2]}" for d in differ]}
    )
