"""``obs push``: send a field database to the central database, in bulk, incrementally and
idempotently.

Records are matched by ``uid`` (sub-daily weather by station + ``ts``; QC flags by record,
element, check and run time; history by record, time and action). Foreign keys are mapped to
the central ids. A record that is new centrally is inserted, one whose values differ is
updated (the field database is authoritative for its own records), the rest are unchanged, so a
second push changes nothing. A live station, plot or plant whose uid is not central but whose
natural key is, with the same identifying attributes, is adopted
(:mod:`obs.exchange.push_match`): its records go under the central row. Any other natural-key
clash is a conflict: the central transaction is rolled back and nothing is written.

Speed (see docs/scale.md):

- sub-daily weather is copied into a staging table (PostgreSQL ``COPY``) and merged by one
  ``INSERT … ON CONFLICT`` over the natural-key index (:mod:`obs.exchange.push_stage`);
  records are looked up by uid and natural key a thousand at a time, and inserted in batches;
- only what changed since the last push to the same central database is sent: a watermark and
  change log in the field database (:mod:`obs.exchange.push_mark`); stations, plots and plants
  are always sent whole (they are few, and their ids map every other row);
- pushes to one central PostgreSQL database are serialised by an advisory lock held for the
  push's transaction, so two field databases pushing the same new station at once both
  succeed: the second one adopts the station the first one created.

One push is one central transaction: a push that fails or is killed leaves the central
database as it was, and the next push sends everything the last committed one did not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, Table, case, func, insert, select, text, tuple_, update
from sqlmodel import Session

from obs.db import ensure_current, make_engine, safe_url, session_scope, to_url
from obs.errors import DatabaseError, DatabaseNotReadyError
from obs.exchange import push_mark as W
from obs.exchange import push_match as M
from obs.exchange import push_stage as S
from obs.lookup import TABLES, kind_of
from obs.records.history import same_key
from schemas import tables as T

#: Rows looked up per round trip.
CHUNK_ROWS = 1000
#: QC flags or history entries handled together (their sub-daily records are found by one
#: staging join per batch).
KEYED_BATCH = 50_000
#: The order kinds are pushed in: parents first.
PUSH_ORDER: tuple[str, ...] = (
    "station",
    "plot",
    "plant",
    "phenology",
    "status",
    "growth",
    "yield",
    "disaster",
    "pest",
    "fieldwork",
    "weather",
)
#: The kinds always sent whole: every other row refers to them.
SITES = ("station", "plot", "plant")
#: ``qc_flag.kind`` values and the record kind whose ids they hold ("subdaily": sub-daily).
QC_KINDS: dict[str, str] = {
    "daily": "weather",
    "subdaily": "subdaily",
    **{name: name for name in PUSH_ORDER},
}
#: The key of the PostgreSQL advisory lock that serialises pushes into one central database.
PUSH_LOCK_KEY = 0x0B5_9054
_REF_COLUMNS = {"station_id": "station", "plot_id": "plot", "plant_id": "plant"}

IdMap = dict[str, dict[int, int]]


@dataclass
class PushCount:
    """What happened to the rows of one table: sent = inserted + updated + unchanged +
    adopted + skipped (adopted: matched a central row by natural key for the first time, see
    obs.exchange.push_match; a row adopted by an earlier push counts as unchanged)."""

    table: str
    sent: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    adopted: int = 0
    skipped: int = 0


def _table(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


def _tables() -> list[Table]:
    kinds = [_table(TABLES[name]) for name in PUSH_ORDER]
    return [*kinds, _table(T.SubDailyWeather), _table(T.QCFlag), _table(T.History)]


def open_central(to: str) -> Engine:
    """The engine of the central database ``to``, checked: a SQLite file that does not exist
    is refused (not created) and a database without the current obs schema (never
    initialised, or at another revision) is named with a hint."""
    engine = make_engine(to, create=False)
    where = safe_url(str(engine.url))
    try:
        _reach(engine, where)
        with session_scope(engine, check_schema=False) as session:
            ensure_current(session)
    except DatabaseNotReadyError as err:
        engine.dispose()
        hint = (err.hint or "run: obs init").replace("obs init", f"obs --db {where} init")
        if "revision" in err.message and not _known_revision(err.message):
            hint = (
                "the central database was upgraded by a newer obs: upgrade obs here "
                "(pip install -U obs-wintersweet), then obs init on this field database"
            )
        elif "revision" in err.message:
            hint += " — or push with the obs version the central database was made with"
        raise DatabaseNotReadyError(
            err.message.replace("the database", f"the central database {where}", 1), hint=hint
        ) from None
    except BaseException:
        engine.dispose()
        raise
    return engine


def _known_revision(message: str) -> bool:
    """True when the revision named first in ``message`` ("… at revision X, …") is one of
    this obs's migrations (an older central database, not a newer one)."""
    from pathlib import Path

    import obs.migrations

    named = message.split("at revision ", 1)[-1].split(",", 1)[0].strip()
    versions = Path(obs.migrations.__file__).parent / "versions"
    declared = f'revision: str = "{named}"'
    return any(declared in p.read_text(encoding="utf-8") for p in versions.glob("*.py"))


def _reach(engine: Engine, where: str) -> None:
    """Connect once: a server that is down or refuses the login is named as such (not as a
    database to initialise)."""
    from sqlalchemy import exc

    try:
        engine.connect().close()
    except exc.DBAPIError as err:
        message = str(err.orig) if err.orig is not None else str(err)
        first = next((line.strip() for line in message.splitlines() if line.strip()), message)
        raise DatabaseError(
            f"cannot connect to the central database {where}: {first}; nothing was pushed",
            hint="check the --to URL (server, port, user, database name), that the server "
            "is running and accepts this user (password in ~/.pgpass or PGPASSWORD)",
        ) from None


def target_name(to: str) -> str:
    """How the watermark names the central database ``to``: its URL without password."""
    return safe_url(to_url(to))


def push_database(
    source: Engine, to: str, *, actor: str = "", full: bool = False
) -> list[PushCount]:
    """Push the field database of ``source`` to the central database ``to``.

    Only rows new or changed since the last push to ``to`` are sent, unless ``full``. The
    central side is one transaction; the field database's watermark moves after its commit.
    """
    central = open_central(to)
    name = target_name(to)
    try:
        W.arm(source, name, [t.name for t in _tables()])
        with session_scope(source) as src, session_scope(central) as tgt:
            lock(tgt)
            marks = W.marks(src, name, full=full)
            snap = W.snapshot(src, _tables())
            counts = push(source=src, target=tgt, actor=actor, marks=marks, snap=snap)
        W.save(source, name, snap)
    finally:
        central.dispose()
    return counts


def lock(target: Session) -> None:
    """Serialise pushes into one central database for the rest of the transaction
    (PostgreSQL: an advisory lock; SQLite: the write lock, taken at once)."""
    if S.is_postgresql(target):
        target.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PUSH_LOCK_KEY})
    else:
        target.execute(text("DELETE FROM push_change WHERE id = -1"))


def push(
    *,
    source: Session,
    target: Session,
    actor: str = "",
    marks: W.Marks | None = None,
    snap: W.Snapshot | None = None,
) -> list[PushCount]:
    """Send the records, sub-daily values, QC flags and history of ``source`` that ``marks``
    does not cover (all without marks) to ``target``; the caller commits ``target``.
    ``actor`` signs the central ``adopt`` history entries."""
    marks = marks if marks is not None else W.Marks("", full=True)
    snap = snap if snap is not None else W.snapshot(source, _tables())
    ids: IdMap = {}
    adopted: IdMap = {}
    counts = []
    for name in PUSH_ORDER:
        table = _table(TABLES[name])
        whole = W.Marks("", full=True) if name in SITES else marks
        rows = (dict(r._mapping) for r in W.since(source, table, whole, snap))
        counts.append(_push_kind(target, name, rows, ids, adopted, actor))
    counts.append(_push_subdaily(source, target, ids, marks, snap))
    counts.append(_push_qc_flags(source, target, ids, marks, snap))
    counts.append(_push_history(source, target, ids, adopted, marks, snap))
    from obs.forecast.ledger_push import push_issued  # issued forecasts: insert-only, by uid

    counts.append(PushCount("forecast_issue", **push_issued(source, target, ids)))
    return counts


def _batches(
    rows: Iterable[dict[str, Any]], size: int = CHUNK_ROWS
) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _push_kind(
    target: Session,
    name: str,
    rows: Iterable[dict[str, Any]],
    ids: IdMap,
    adopted: IdMap,
    actor: str,
) -> PushCount:
    table = _table(TABLES[name])
    count = PushCount(table.name)
    ids.setdefault(name, {})
    adopted.setdefault(name, {})
    for chunk in _batches(rows):
        central = {
            r["uid"]: dict(r)
            for r in target.execute(
                select(table).where(table.c.uid.in_([row["uid"] for row in chunk]))
            ).mappings()
        }
        new: list[tuple[int, dict[str, Any]]] = []
        for row in chunk:
            values = _remapped(row, ids)
            found = central.get(row["uid"])
            count.sent += 1
            if found is None and name in M.IDENTITY and values["deleted_at"] is None:
                found = M.adopt(target, name, values, local_id=row["id"])
                if found is not None:
                    if M.record_adoption(target, name, found, row["uid"], actor=actor):
                        count.adopted += 1
                    else:
                        count.unchanged += 1
                    adopted[name][row["id"]] = found["id"]
                    ids[name][row["id"]] = found["id"]
                    continue
            if found is None:
                new.append((row["id"], values))
            elif _same(values, found):
                count.unchanged += 1
                ids[name][row["id"]] = found["id"]
            else:
                _update(target, table, name, values, found, local_id=row["id"])
                count.updated += 1
                ids[name][row["id"]] = found["id"]
        _insert_new(target, table, name, new, ids)
        count.inserted += len(new)
    return count


def _update(
    target: Session,
    table: Table,
    name: str,
    values: dict[str, Any],
    found: Mapping[str, Any],
    *,
    local_id: int,
) -> None:
    """Update the central copy of a record; refuse a natural-key clash."""
    if values.get("deleted_at") is None:
        clash = same_key(target, kind_of(name), values, exclude_id=found["id"])
        if clash is not None:
            raise M.key_conflict(target, name, values, clash, local_id=local_id)
    target.execute(update(table).where(table.c.id == found["id"]).values(**values))


def _insert_new(
    target: Session, table: Table, name: str, new: list[tuple[int, dict[str, Any]]], ids: IdMap
) -> None:
    """Insert records new centrally in one batch, after one look-up of their natural keys."""
    if not new:
        return
    live = [(local, values) for local, values in new if values.get("deleted_at") is None]
    clashes = _key_clashes(target, name, [values for _, values in live])
    for local, values in live:
        clash = clashes.get(_key_of(name, values))
        if clash is None and any(v is None for v in _key_of(name, values)):
            clash = same_key(target, kind_of(name), values, exclude_id=None)
        if clash is not None:
            raise M.key_conflict(target, name, values, clash, local_id=local)
    _insert_rows(target, table, [values for _, values in new])
    by_uid = {values["uid"]: local for local, values in new}
    for part in _batches(({"uid": u} for u in by_uid), CHUNK_ROWS):
        got = target.execute(
            select(table.c.uid, table.c.id).where(table.c.uid.in_([p["uid"] for p in part]))
        )
        for uid, central_id in got:
            ids[name][by_uid[uid]] = int(central_id)


def _insert_rows(target: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys): by ``COPY`` where the columns allow it."""
    if not rows:
        return
    columns = list(rows[0])
    if S.copyable(target, table, columns):
        S.fill(target, table, (tuple(r[c] for c in columns) for r in rows), columns)
    else:
        target.execute(insert(table), rows)


def _key_columns(name: str) -> list[str]:
    kind = kind_of(name)
    return [kind.field(k).target for k in kind.key]


def _key_of(name: str, values: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(values.get(c) for c in _key_columns(name))


def _key_clashes(
    target: Session, name: str, rows: list[dict[str, Any]]
) -> dict[tuple[Any, ...], int]:
    """Natural key -> id of the live central records that hold one of the keys of ``rows``
    (keys without a NULL; one indexed look-up per thousand rows)."""
    table = _table(TABLES[name])
    columns = _key_columns(name)
    keys = [k for k in {_key_of(name, r) for r in rows} if all(v is not None for v in k)]
    found: dict[tuple[Any, ...], int] = {}
    for start in range(0, len(keys), CHUNK_ROWS):
        part = keys[start : start + CHUNK_ROWS]
        cols = [table.c[c] for c in columns]
        where = tuple_(*cols).in_(part) if len(cols) > 1 else cols[0].in_([k[0] for k in part])
        query = select(table.c.id, *cols).where(where, table.c.deleted_at.is_(None))
        for row in target.execute(query):
            found[tuple(row[1:])] = int(row[0])
    return found


def _remapped(row: Mapping[str, Any], ids: IdMap) -> dict[str, Any]:
    values = {k: v for k, v in row.items() if k != "id"}
    for column, parent in _REF_COLUMNS.items():
        if values.get(column) is not None:
            values[column] = ids[parent][values[column]]
    return values


def _same(values: Mapping[str, Any], central: Mapping[str, Any]) -> bool:
    return all(central.get(k) == v for k, v in values.items())


def _push_subdaily(
    source: Session, target: Session, ids: IdMap, marks: W.Marks, snap: W.Snapshot
) -> PushCount:
    """Send the sub-daily rows: straight into ``subdaily_weather`` by ``COPY`` when none of
    them can be there yet (no changed rows, and the central database has no row of their
    stations in their time span), else through a staging table and one merge."""
    table = _table(T.SubDailyWeather)
    count = PushCount(table.name)
    columns = S.subdaily_columns(table)
    rows = _subdaily_rows(source, table, columns, ids, marks, snap)
    spans = _subdaily_spans(source, table, ids, marks, snap)
    if not W.changed_count(source, table, marks, snap) and not S.overlaps(target, spans):
        count.sent = count.inserted = S.fill(target, table, rows, columns)
        return count
    stage = S.create(target, "push_stage_subdaily", table, columns)
    count.sent = S.fill(target, stage, rows)
    if count.sent:
        count.inserted, count.updated = S.merge_subdaily(target, stage, columns)
    count.unchanged = count.sent - count.inserted - count.updated
    S.drop(target, stage)
    return count


def _subdaily_rows(
    source: Session,
    table: Table,
    columns: list[str],
    ids: IdMap,
    marks: W.Marks,
    snap: W.Snapshot,
) -> Iterator[Sequence[Any]]:
    """The sub-daily rows to send as tuples of ``columns``. The station ids are made central
    by the query itself (``CASE``), and rows read raw from SQLite go on as they are (0/1
    serve as booleans), except the rare soft-deleted ones whose text datetime is parsed as
    the UTC it is stored in."""
    stations = ids["station"]
    mapped = case(stations, value=table.c.station_id) if stations else table.c.station_id
    what = [mapped.label(c) if c == "station_id" else table.c[c] for c in columns]
    at_deleted = columns.index("deleted_at")
    for row in W.since(source, table, marks, snap, what, raw=True):
        if isinstance(row[at_deleted], str):
            values = list(row)
            values[at_deleted] = dt.datetime.fromisoformat(values[at_deleted]).replace(
                tzinfo=dt.UTC
            )
            yield tuple(values)
        else:
            yield row


def _subdaily_spans(
    source: Session, table: Table, ids: IdMap, marks: W.Marks, snap: W.Snapshot
) -> list[tuple[int, int, int]]:
    """(central station id, first ts, last ts) of the new sub-daily rows, per station."""
    last_id, _ = marks.of(table.name)
    query = (
        select(table.c.station_id, func.min(table.c.ts), func.max(table.c.ts))
        .where(table.c.id > last_id, table.c.id <= snap.max_id[table.name])
        .group_by(table.c.station_id)
    )
    return [(ids["station"][s], int(a), int(b)) for s, a, b in source.execute(query)]


def _central_ids(
    source: Session, target: Session, kind: str, local_ids: set[int], ids: IdMap
) -> dict[int, int]:
    """Local -> central id of records of ``kind`` (``ids`` has those pushed now; the others,
    pushed before, are found by uid, sub-daily rows by station and time)."""
    known = ids.get(kind, {})
    found = {i: known[i] for i in local_ids if i in known}
    missing = sorted(local_ids - found.keys())
    if not missing:
        return found
    if kind == "subdaily":
        table = _table(T.SubDailyWeather)
        keys = []
        for start in range(0, len(missing), CHUNK_ROWS):
            part = missing[start : start + CHUNK_ROWS]
            rows = source.execute(
                select(table.c.id, table.c.station_id, table.c.ts).where(table.c.id.in_(part))
            )
            keys += [(i, ids["station"][s], ts) for i, s, ts in rows if s in ids["station"]]
        found.update(S.subdaily_ids(target, keys))
        return found
    table = _table(TABLES[kind])
    for start in range(0, len(missing), CHUNK_ROWS):
        part = missing[start : start + CHUNK_ROWS]
        uids = dict(source.execute(select(table.c.uid, table.c.id).where(table.c.id.in_(part))))
        got = target.execute(select(table.c.uid, table.c.id).where(table.c.uid.in_(list(uids))))
        found.update({int(uids[uid]): int(central) for uid, central in got})
    return found


def _push_keyed(
    source: Session,
    target: Session,
    table: Table,
    ids: IdMap,
    rows: Iterable[dict[str, Any]],
    *,
    kind_of_row: Any,
    key: tuple[str, ...],
) -> PushCount:
    """Push rows that point at a record by (kind, record_id), matched on (kind, record_id)
    through its index and then ``key``; a thousand rows per look-up."""
    count = PushCount(table.name)
    for chunk in _batches(rows, KEYED_BATCH):
        by_kind: dict[str, set[int]] = {}
        for row in chunk:
            kind = kind_of_row(row)
            if kind is not None:
                by_kind.setdefault(kind, set()).add(row["record_id"])
        central_of = {k: _central_ids(source, target, k, v, ids) for k, v in by_kind.items()}
        staged: list[dict[str, Any]] = []
        for row in chunk:
            count.sent += 1
            kind = kind_of_row(row)
            central_id = None if kind is None else central_of[kind].get(row["record_id"])
            if central_id is None:
                count.skipped += 1
                continue
            values = {k: v for k, v in row.items() if k != "id"}
            values["record_id"] = central_id
            staged.append(values)
        there: dict[tuple[Any, ...], dict[str, Any]] = {}
        pairs = sorted({(v["kind"], v["record_id"]) for v in staged})
        for start in range(0, len(pairs), CHUNK_ROWS):
            part = pairs[start : start + CHUNK_ROWS]
            query = select(table).where(tuple_(table.c.kind, table.c.record_id).in_(part))
            for hit in target.execute(query).mappings():
                there.setdefault(tuple(hit[k] for k in key), dict(hit))
        new = []
        for values in staged:
            found = there.get(tuple(values[k] for k in key))
            if found is None:
                new.append(values)
                there[tuple(values[k] for k in key)] = values
            elif _same(values, found):
                count.unchanged += 1
            else:
                target.execute(update(table).where(table.c.id == found["id"]).values(**values))
                count.updated += 1
        _insert_rows(target, table, new)
        count.inserted += len(new)
    return count


def _push_qc_flags(
    source: Session, target: Session, ids: IdMap, marks: W.Marks, snap: W.Snapshot
) -> PushCount:
    table = _table(T.QCFlag)
    return _push_keyed(
        source,
        target,
        table,
        ids,
        (dict(r._mapping) for r in W.since(source, table, marks, snap)),
        kind_of_row=lambda row: QC_KINDS.get(row["kind"]),
        key=("kind", "record_id", "element", "check_name", "run_at"),
    )


def _push_history(
    source: Session,
    target: Session,
    ids: IdMap,
    adopted: IdMap,
    marks: W.Marks,
    snap: W.Snapshot,
) -> PushCount:
    """History entries; those of adopted records stay local (the central row is not theirs)."""

    def kind_of_row(row: Mapping[str, Any]) -> str | None:
        if row["kind"] not in TABLES or row["record_id"] in adopted.get(row["kind"], {}):
            return None
        return str(row["kind"])

    table = _table(T.History)
    return _push_keyed(
        source,
        target,
        table,
        ids,
        (dict(r._mapping) for r in W.since(source, table, marks, snap)),
        kind_of_row=kind_of_row,
        key=("kind", "record_id", "record_uid", "at", "action"),
    )
