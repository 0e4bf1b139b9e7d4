"""Soft delete and restore: deleting only sets ``deleted_at`` (and writes a history entry);
nothing is ever removed. A station, plot or plant with live records below it cannot be
deleted; a record cannot be restored while a live record holds its natural key or its parent
is deleted.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from obs.clock import now_utc
from obs.errors import DuplicateError, ObsError
from obs.lookup import REF_COLUMN, TABLES, kind_of, row_of
from obs.records.history import (
    get_record,
    json_safe,
    log_change,
    require_reason,
    same_key,
    snapshot,
)
from schemas import tables as T
from schemas.kinds import KINDS_LIST, Kind


def dependents(parent: str) -> tuple[tuple[type[Any], str], ...]:
    """The tables (and their reference column) whose rows hang below a station, plot or plant."""
    found = [
        (TABLES[k.name], spec.target)
        for k in KINDS_LIST
        for spec in k.fields
        if spec.type == "ref" and spec.ref == parent
    ]
    if parent == "station":
        found.append((T.SubDailyWeather, "station_id"))
    return tuple(found)


def delete_record(
    kind_name: str, record_id: int, *, reason: str, session: Session, actor: str = ""
) -> dict[str, Any]:
    """Hide a record from listings and reports (``deleted_at``); it stays in the database."""
    kind = kind_of(kind_name)
    why = require_reason(reason)
    record = get_record(session, kind, record_id)
    _refuse_live_dependents(session, kind, record)
    before, at = snapshot(record), now_utc()
    record.deleted_at = record.updated_at = at
    log_change(
        session,
        kind,
        record,
        action="delete",
        before=before,
        changes={"deleted_at": [None, json_safe(at)]},
        reason=why,
        actor=actor,
        at=at,
    )
    session.flush()
    return row_of(session, kind, record)


def live_dependent(session: Session, kind: Kind, record: Any) -> tuple[str, int] | None:
    """(kind or table name, id) of one live record below ``record``, if any."""
    for table, column in dependents(kind.name):
        below = session.exec(
            select(table.id).where(getattr(table, column) == record.id, table.deleted_at.is_(None))
        ).first()
        if below is not None:
            below_kind = next((k for k, t in TABLES.items() if t is table), table.__tablename__)
            return below_kind, int(below)
    return None


def _refuse_live_dependents(session: Session, kind: Kind, record: Any) -> None:
    below = live_dependent(session, kind, record)
    if below is not None:
        what = getattr(record, REF_COLUMN[kind.name])
        raise ObsError(
            f"{kind.name} {what} still has live records below it ({below[0]} #{below[1]})",
            hint=f"delete those first (list them with: obs list {below[0]} "
            f"--{kind.name} {what}); nothing was changed",
        )


def restore_record(
    kind_name: str, record_id: int, *, reason: str, session: Session, actor: str = ""
) -> dict[str, Any]:
    """Bring a deleted record back, unless a live record took its natural key meanwhile."""
    kind = kind_of(kind_name)
    why = require_reason(reason)
    record = get_record(session, kind, record_id, deleted=True)
    _refuse_deleted_parent(session, kind, record)
    clash = same_key(session, kind, snapshot(record), exclude_id=record.id)
    if clash is not None:
        raise DuplicateError(
            f"cannot restore {kind.name} #{record_id}: live record #{clash} has the same key",
            hint=f"delete #{clash} first or amend one of them",
        )
    before, at = snapshot(record), now_utc()
    old = json_safe(record.deleted_at)
    record.deleted_at, record.updated_at = None, at
    log_change(
        session,
        kind,
        record,
        action="restore",
        before=before,
        changes={"deleted_at": [old, None]},
        reason=why,
        actor=actor,
        at=at,
    )
    session.flush()
    return row_of(session, kind, record)


def _refuse_deleted_parent(session: Session, kind: Kind, record: Any) -> None:
    for spec in kind.fields:
        ref_id = getattr(record, spec.target) if spec.type == "ref" else None
        if ref_id is None or spec.ref is None:
            continue
        parent = session.get(TABLES[spec.ref], ref_id)
        if parent is not None and parent.deleted_at is not None:
            name = getattr(parent, REF_COLUMN[spec.ref])
            raise ObsError(
                f"{kind.name} #{record.id} belongs to deleted {spec.ref} {name}",
                hint=f"restore {spec.ref} #{parent.id} first",
            )
