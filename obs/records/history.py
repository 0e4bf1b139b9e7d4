"""Nothing lost: the change log of every record, soft delete and restore.

Every change to a record writes one :class:`schemas.tables.History` row holding the full row
as it was before (``before``, JSON-safe), what changed (``{column: [old, new]}``), who, when and
why. The versions of a record are therefore: version 1 = the row as first stored, and one more
version per history entry. Soft delete and restore (:mod:`obs.records.deletion`) write entries too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, select

from obs.clock import now_utc
from obs.errors import InvalidValueError, NotFoundError, ObsError
from obs.lookup import TABLES, kind_of
from schemas.kinds import Kind
from schemas.system_tables import History

#: Actions a history entry can record (version 1, "create", is the record itself).
ACTIONS: tuple[str, ...] = ("create", "amend", "revert", "delete", "restore", "adopt")
#: Columns of a record that are bookkeeping, not observed values.
AUDIT_COLUMNS: tuple[str, ...] = (
    "id",
    "uid",
    "created_at",
    "created_by",
    "updated_at",
    "deleted_at",
    "qc",
)
#: The column that names a station, plot or plant to people.


def json_safe(value: Any) -> Any:
    """A value as JSON can hold it: dates, times and datetimes as ISO 8601 text."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return value


def snapshot(record: Any) -> dict[str, Any]:
    """The full row of ``record`` as a JSON-safe dict (column name -> value)."""
    return {col.name: json_safe(getattr(record, col.name)) for col in record.__table__.columns}


def require_reason(reason: str | None) -> str:
    """The reason of a change, stripped; refuse a blank one."""
    text = (reason or "").strip()
    if not text:
        raise InvalidValueError(
            "--reason",
            None,
            "is required and must not be blank",
            hint="say why, e.g. --reason 'typo on the field sheet'",
        )
    return text


def get_record(
    session: Session, kind: Kind, record_id: int, *, deleted: bool | None = False
) -> Any:
    """The record ``record_id`` of ``kind``; ``deleted`` False = must be live, True = must be
    deleted, None = either."""
    in_range = 0 < record_id < 2**63  # ids are 64-bit; a larger one names nothing
    record = session.get(TABLES[kind.name], record_id) if in_range else None
    if record is None:
        raise NotFoundError(
            f"no {kind.name} record with id {record_id}",
            hint=f"list them with: obs list {kind.name} --deleted",
        )
    if deleted is False and record.deleted_at is not None:
        raise ObsError(
            f"{kind.name} #{record_id} is deleted",
            hint=f"restore it first: obs restore {kind.name} {record_id} --reason TEXT",
        )
    if deleted is True and record.deleted_at is None:
        raise ObsError(f"{kind.name} #{record_id} is not deleted", hint="nothing to restore")
    return record


def log_change(
    session: Session,
    kind: Kind,
    record: Any,
    *,
    action: str,
    before: Mapping[str, Any],
    changes: Mapping[str, Any],
    reason: str,
    actor: str,
    at: dt.datetime,
) -> History:
    """Add the history entry of one change (the caller changes the record itself)."""
    entry = History(
        kind=kind.name,
        record_id=record.id,
        record_uid=record.uid,
        action=action,
        before=dict(before),
        changes=dict(changes),
        reason=reason,
        actor=actor,
        at=at,
    )
    session.add(entry)
    return entry


def set_values(record: Any, values: Mapping[str, Any], *, at: dt.datetime | None) -> None:
    """Give ``record`` the new column ``values``, stamp ``updated_at = at`` and reset ``qc``
    to 9 (not checked), so that QC judges the changed values again."""
    for column, value in values.items():
        setattr(record, column, value)
    record.updated_at, record.qc = at, 9


def apply_change(
    session: Session,
    kind: Kind,
    record: Any,
    changes: Mapping[str, Any],
    *,
    action: str,
    reason: str,
    actor: str,
    at: dt.datetime | None = None,
) -> dict[str, list[Any]]:
    """Change a record and log it: snapshot, :func:`set_values`, one history entry.

    Parameters
    ----------
    changes
        Column -> new value (typed as the column holds it).
    at
        When (UTC); now if not given.

    Returns
    -------
    dict
        The logged changes, JSON-safe: column -> [old, new].
    """
    when = at or now_utc()
    before = snapshot(record)
    logged = {c: [before.get(c), json_safe(v)] for c, v in changes.items()}
    set_values(record, changes, at=when)
    log_change(
        session,
        kind,
        record,
        action=action,
        before=before,
        changes=logged,
        reason=reason,
        actor=actor,
        at=when,
    )
    return logged


def entries_of(session: Session, kind: Kind, record_id: int) -> list[History]:
    """The history entries of one record, oldest first."""
    H = History
    query = select(H).where(H.kind == kind.name, H.record_id == record_id)
    return list(session.exec(query.order_by(H.at, H.id)).all())  # type: ignore[arg-type]


def history_chain(kind_name: str, record_id: int, *, session: Session) -> list[dict[str, Any]]:
    """Every version of a record, oldest first.

    Each version is a dict with ``version`` (1 = as first stored), ``action``, ``at``,
    ``actor``, ``reason``, ``changes`` ({column: [old, new]}) and ``values`` (the full row).
    """
    kind = kind_of(kind_name)
    record = get_record(session, kind, record_id, deleted=None)
    entries = entries_of(session, kind, record_id)
    states = [e.before for e in entries] + [snapshot(record)]
    chain = [
        {
            "version": 1,
            "action": "create",
            "at": json_safe(record.created_at),
            "actor": record.created_by,
            "reason": "",
            "changes": {},
            "values": states[0],
        }
    ]
    for number, entry in enumerate(entries, start=2):
        chain.append(
            {
                "version": number,
                "action": entry.action,
                "at": json_safe(entry.at),
                "actor": entry.actor,
                "reason": entry.reason,
                "changes": entry.changes,
                "values": states[number - 1],
            }
        )
    return chain


def same_key(
    session: Session, kind: Kind, values: Mapping[str, Any], *, exclude_id: int | None
) -> int | None:
    """The id of a live record with the natural key in ``values`` (columns), if any."""
    table = TABLES[kind.name]
    conditions = []
    for name in kind.key:
        column = getattr(table, kind.field(name).target)
        value = values.get(kind.field(name).target)
        conditions.append(column.is_(None) if value is None else column == _typed(column, value))
    query = select(table.id).where(*conditions, table.deleted_at.is_(None))
    if exclude_id is not None:
        query = query.where(table.id != exclude_id)
    found = session.exec(query).first()
    return None if found is None else int(found)


def _typed(column: Any, value: Any) -> Any:
    """A JSON-safe value back in the column's Python type (ISO text -> date)."""
    if isinstance(value, str):
        python_type = column.type.python_type
        if python_type is dt.date:
            return dt.date.fromisoformat(value)
    return value
