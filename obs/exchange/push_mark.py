"""The per-target watermark of ``obs push`` in the field database (tables ``push_mark`` and
``push_change``, migration ``0004_push_watermark``).

A push to a central database sends, of each table, the rows whose id is above that target's
``last_id`` plus the rows the change log names since its ``last_change``; the new watermark is
saved in the field database only after the central database committed. The push steps:

1. :func:`arm` — before the first read, make sure the target has a ``push_mark`` row for every
   table (``last_id`` 0 the first time), so that from then on the triggers log every update;
   an edit made while the push runs is then sent by the next push.
2. :func:`snapshot` — the largest ids and change-log entry, read in the push's own read
   transaction, and :func:`since` the rows to send.
3. :func:`save` — after the central commit: the snapshot becomes the watermark.

A push killed between the central commit and step 3 sends the same rows again next time,
which changes nothing (the push is idempotent).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, Table, and_, select
from sqlmodel import Session

from schemas.push_tables import PushChange, PushMark

_MARK: Table = PushMark.__table__  # type: ignore[attr-defined]
_CHANGE: Table = PushChange.__table__  # type: ignore[attr-defined]
#: Rows read from the field database at a time.
READ_ROWS = 20_000


@dataclass
class Marks:
    """The watermark of one target: table -> (last id sent, last change-log id seen)."""

    target: str
    tables: dict[str, tuple[int, int]] = field(default_factory=dict)
    full: bool = False

    def of(self, table: str) -> tuple[int, int]:
        """(last id, last change) of ``table``; (0, 0) when never pushed or on a full push."""
        return (0, 0) if self.full else self.tables.get(table, (0, 0))


@dataclass
class Snapshot:
    """The largest id of each table and of the change log, as the push reads them."""

    max_id: dict[str, int]
    max_change: int


def arm(engine: Engine, target: str, tables: list[str]) -> None:
    """Give ``target`` a (zero) watermark row for every table that has none (own transaction)."""
    from obs.db import session_scope

    with session_scope(engine) as session:
        have = set(
            session.execute(select(_MARK.c.table_name).where(_MARK.c.target == target)).scalars()
        )
        for name in tables:
            if name not in have:
                session.execute(
                    _MARK.insert().values(
                        target=target,
                        table_name=name,
                        last_id=0,
                        last_change=0,
                        pushed_at=dt.datetime.now(dt.UTC),
                    )
                )


def marks(source: Session, target: str, *, full: bool = False) -> Marks:
    """The watermark of ``target`` in the field database."""
    rows = source.execute(
        select(_MARK.c.table_name, _MARK.c.last_id, _MARK.c.last_change).where(
            _MARK.c.target == target
        )
    )
    return Marks(target, {str(t): (int(i), int(c)) for t, i, c in rows}, full=full)


def snapshot(source: Session, tables: list[Table]) -> Snapshot:
    """The largest ids now (read in the caller's transaction, before the rows are)."""
    from sqlalchemy import func

    max_id = {t.name: int(source.execute(select(func.max(t.c.id))).scalar() or 0) for t in tables}
    change = int(source.execute(select(func.max(_CHANGE.c.id))).scalar() or 0)
    return Snapshot(max_id, change)


def since(
    source: Session,
    table: Table,
    mark: Marks,
    snap: Snapshot,
    columns: list[Any] | None = None,
    *,
    raw: bool = False,
) -> Iterator[Any]:
    """The rows of ``table`` to send, in id order per part: new ones (id above the watermark,
    up to the snapshot) and then the changed ones the log names. ``columns`` default to all.
    With ``raw`` on SQLite, the driver's own tuples (no type conversion: booleans are 0/1,
    datetimes text) — several times faster for the sub-daily rows."""
    last_id, last_change = mark.of(table.name)
    top = snap.max_id[table.name]
    what = list(table.columns) if columns is None else columns
    new = select(*what).where(table.c.id > last_id, table.c.id <= top).order_by(table.c.id)
    yield from _rows(source, new, raw=raw)
    if last_id == 0:
        return
    changed = (
        select(_CHANGE.c.row_id)
        .where(
            _CHANGE.c.id > last_change,
            _CHANGE.c.id <= snap.max_change,
            _CHANGE.c.table_name == table.name,
        )
        .distinct()
    )
    old = (
        select(*what)
        .where(and_(table.c.id <= last_id, table.c.id.in_(changed)))
        .order_by(table.c.id)
    )
    yield from _rows(source, old, raw=raw)


def changed_count(source: Session, table: Table, mark: Marks, snap: Snapshot) -> int:
    """How many change-log entries of ``table`` the push takes into account."""
    from sqlalchemy import func

    last_id, last_change = mark.of(table.name)
    if last_id == 0:
        return 0
    query = select(func.count()).where(
        _CHANGE.c.id > last_change,
        _CHANGE.c.id <= snap.max_change,
        _CHANGE.c.table_name == table.name,
    )
    return int(source.execute(query).scalar_one())


def _rows(source: Session, query: Any, *, raw: bool) -> Iterator[Any]:
    connection = source.connection()
    if not raw or connection.dialect.name != "sqlite":
        yield from connection.execute(query.execution_options(yield_per=READ_ROWS))
        return
    compiled = query.compile(dialect=connection.dialect)
    params = [compiled.params[k] for k in compiled.positiontup or ()]
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(str(compiled), params)
        while part := cursor.fetchmany(READ_ROWS):
            yield from part
    finally:
        cursor.close()


def save(engine: Engine, target: str, snap: Snapshot) -> None:
    """Make ``snap`` the watermark of ``target`` (own transaction, after the central commit)."""
    from obs.db import session_scope

    now = dt.datetime.now(dt.UTC)
    with session_scope(engine) as session:
        for name, top in snap.max_id.items():
            where = and_(_MARK.c.target == target, _MARK.c.table_name == name)
            updated = session.execute(
                _MARK.update()
                .where(where)
                .values(last_id=top, last_change=snap.max_change, pushed_at=now)
            )
            if not updated.rowcount:  # type: ignore[attr-defined]
                session.execute(
                    _MARK.insert().values(
                        target=target,
                        table_name=name,
                        last_id=top,
                        last_change=snap.max_change,
                        pushed_at=now,
                    )
                )
