"""The gateway of ``qc_flag``: every statement on the table, in one place.

A flag row names its record by ``kind`` (``daily``, ``subdaily``, ``phenology``) and
``record_id`` (the id in that kind's table). Statements are written once with ``?``
placeholders and run through :mod:`obs.store.sql`, which handles the dialect.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sqlmodel import Session

from obs.store.sql import bind, execute_in, executemany, insert_frame, query_frame
from schemas.system_tables import QCFlag

TABLE = "qc_flag"
_COLUMNS = ("kind", "record_id", "element", "check_name", "flag", "reason", "run_at")


def insert(session: Session, kind: str, found: pd.DataFrame, run_at: object) -> None:
    """Store findings (``record_id``, ``element``, ``check_name``, ``flag``, ``reason``) of
    records of ``kind``, checked at ``run_at``."""
    if found.empty:
        return
    at = bind(session, QCFlag.__table__, "run_at", run_at)  # type: ignore[attr-defined]
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
    insert_frame(session, TABLE, frame, list(_COLUMNS))


def delete_of(session: Session, kind: str, ids: Sequence[int]) -> None:
    """Remove every flag of the records ``ids`` of ``kind``."""
    sql = f"DELETE FROM {TABLE} WHERE kind = ? AND record_id IN ({{}})"
    execute_in(session, sql, [kind], [int(i) for i in ids])


def delete_of_span(session: Session, station_id: int, lo: int, hi: int) -> None:
    """Remove the flags of a station's live sub-daily rows with ``lo < ts <= hi``."""
    sql = (
        f"DELETE FROM {TABLE} WHERE kind = 'subdaily' AND record_id IN (SELECT id FROM "
        "subdaily_weather WHERE station_id = ? AND ts > ? AND ts <= ? AND deleted_at IS NULL)"
    )
    executemany(session, sql, [(station_id, lo, hi)])


def delete_of_batch(session: Session, batch_id: int) -> None:
    """Remove the flags of the sub-daily rows import batch ``batch_id`` inserted."""
    sql = (
        f"DELETE FROM {TABLE} WHERE kind = 'subdaily' AND record_id IN "
        "(SELECT id FROM subdaily_weather WHERE import_id = ?)"
    )
    executemany(session, sql, [(batch_id,)])


def errors_per_record(session: Session, kinds: Sequence[str], flag: int) -> dict[int, int]:
    """Record id -> how many flags ``flag`` its records of ``kinds`` have."""
    marks = ", ".join("?" * len(kinds))
    sql = f"SELECT record_id, count(*) FROM {TABLE} WHERE kind IN ({marks}) AND flag = ? "
    found = query_frame(session, sql + "GROUP BY record_id", [*kinds, flag], ["id", "n"])
    return {int(i): int(n) for i, n in zip(found["id"], found["n"], strict=True)}


def flagged_elements(
    session: Session, kinds: Sequence[str], flag: int, elements: Sequence[str]
) -> list[tuple[int, str]]:
    """(record id, element) of the flags ``flag`` of ``elements`` of records of ``kinds``."""
    kind_marks, element_marks = ", ".join("?" * len(kinds)), ", ".join("?" * len(elements))
    sql = (
        f"SELECT record_id, element FROM {TABLE} WHERE kind IN ({kind_marks}) AND flag = ? "
        f"AND element IN ({element_marks})"
    )
    found = query_frame(session, sql, [*kinds, flag, *elements], ["id", "element"])
    return [(int(i), str(e)) for i, e in zip(found["id"], found["element"], strict=True)]
