"""Take back what a refused import stored in its committed chunks.

An import commits chunk by chunk; when it is refused later (a timestamp repeated far down the
file, rows out of time order, ``--on-conflict fail`` meeting a differing row), this removes the
rows the batch inserted (sub-daily rows by ``import_id``, daily rows by the ids the run kept)
and their QC flags, and restores the rows it updated from their history, so that a refused
file leaves nothing behind. A run killed outright (SIGKILL, power loss) is not undone: its
chunks are complete and the same import run again completes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, select

from obs.imports.common import IMPORT_UPDATE
from obs.records import history as H
from obs.store import daily, qc_flag, subdaily
from schemas.system_tables import History
from schemas.weather_tables import DailyWeather


def undo_batch(session: Session, batch_id: int, reason: str, daily_ids: Sequence[int]) -> None:
    """Remove the rows batch ``batch_id`` inserted and restore those it updated."""
    _restore_updates(session, reason)
    qc_flag.delete_of_batch(session, batch_id)
    subdaily.delete_batch(session, batch_id)
    qc_flag.delete_of(session, "daily", daily_ids)
    daily.delete(session, daily_ids)
    session.flush()


def _restore_updates(session: Session, reason: str) -> None:
    E = History
    query = (
        select(E).where(E.action == IMPORT_UPDATE, E.reason == reason).order_by(col(E.id).desc())
    )
    for entry in session.exec(query).all():
        if entry.kind == "subdaily":
            _restore_subdaily(session, entry.record_id, entry.before, list(entry.changes))
        else:
            _restore_daily(session, entry.record_id, entry.before, list(entry.changes))
        session.delete(entry)
    session.flush()


def _restore_subdaily(
    session: Session, record_id: int, before: dict[str, Any], changed: list[str]
) -> None:
    subdaily.restore_values(session, record_id, {c: before.get(c) for c in changed})
    qc_flag.delete_of(session, "subdaily", [record_id])


def _restore_daily(
    session: Session, record_id: int, before: dict[str, Any], changed: list[str]
) -> None:
    record = session.get(DailyWeather, record_id)
    if record is None:
        return
    H.set_values(
        record,
        {n: before.get(n) for n in changed},
        at=None if before.get("updated_at") is None else record.updated_at,
    )
    qc_flag.delete_of(session, "daily", [record_id])
