"""``obs push``: send a field database to the central database, idempotently.

Records are matched by ``uid`` (sub-daily weather by station uid + ``ts``; QC flags by record,
element, check and run time; history by record uid, time and action). Foreign keys are mapped
to the central ids. A record that is new centrally is inserted, one whose values differ is
updated (the field database is authoritative for its own records), the rest are unchanged, so a
second push changes nothing. A live station, plot or plant whose uid is not central but whose
natural key is, with the same identifying attributes, is adopted
(:mod:`obs.exchange.push_match`): its records go under the central row. Any other natural-key
clash is a conflict: the caller's transaction on the central side is rolled back and nothing is
written.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, Table, and_, insert, select, update
from sqlmodel import Session

from obs.db import ensure_current, make_engine, safe_url, session_scope
from obs.errors import DatabaseNotReadyError
from obs.exchange import push_match as M
from obs.lookup import TABLES, kind_of
from obs.records.history import same_key
from schemas import tables as T

#: Rows handled per round trip.
CHUNK_ROWS = 1000
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
#: ``qc_flag.kind`` values and the record kind whose ids they hold ("subdaily": sub-daily).
QC_KINDS: dict[str, str] = {
    "daily": "weather",
    "subdaily": "subdaily",
    **{name: name for name in PUSH_ORDER},
}
_REF_COLUMNS = {"station_id": "station", "plot_id": "plot", "plant_id": "plant"}

IdMap = dict[str, dict[int, int]]


@dataclass
class PushCount:
    """What happened to the rows of one table: sent = inserted + updated + unchanged +
    adopted + skipped (adopted: matched a central row by natural key, see
    obs.exchange.push_match)."""

    table: str
    sent: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    adopted: int = 0
    skipped: int = 0


def _table(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


def open_central(to: str) -> Engine:
    """The engine of the central database ``to``, checked: a SQLite file that does not exist
    is refused (not created) and a database without the current obs schema is named."""
    engine = make_engine(to, create=False)
    where = safe_url(str(engine.url))
    try:
        with session_scope(engine, check_schema=False) as session:
            ensure_current(session)
    except DatabaseNotReadyError as err:
        engine.dispose()
        raise DatabaseNotReadyError(
            err.message.replace("the database", f"the central database {where}", 1),
            hint=(err.hint or "run: obs init").replace("obs init", f"obs --db {where} init"),
        ) from None
    except BaseException:
        engine.dispose()
        raise
    return engine


def push(*, source: Session, target: Session, actor: str = "") -> list[PushCount]:
    """Send every record, sub-daily value, QC flag and history entry of ``source`` to
    ``target``; the caller commits ``target`` (one transaction). ``actor`` signs the
    central ``adopt`` history entries."""
    ids: IdMap = {}
    adopted: IdMap = {}
    counts = [_push_kind(source, target, name, ids, adopted, actor) for name in PUSH_ORDER]
    counts.append(_push_subdaily(source, target, ids))
    counts.append(_push_qc_flags(source, target, ids))
    counts.append(_push_history(source, target, ids, adopted))
    from obs.forecast.ledger_push import push_issued  # issued forecasts (issue 17)

    counts.append(PushCount("forecast_issue", **push_issued(source, target, ids)))
    return counts


def _chunks(session: Session, table: Table) -> Iterator[list[dict[str, Any]]]:
    query = select(table).order_by(table.c.id).execution_options(yield_per=CHUNK_ROWS)
    for part in session.execute(query).mappings().partitions(CHUNK_ROWS):
        yield [dict(row) for row in part]


def _push_kind(
    source: Session, target: Session, name: str, ids: IdMap, adopted: IdMap, actor: str
) -> PushCount:
    table: Table = TABLES[name].__table__
    count, ids[name], adopted[name] = PushCount(table.name), {}, {}
    for chunk in _chunks(source, table):
        uids = [row["uid"] for row in chunk]
        central = {
            r["uid"]: dict(r)
            for r in target.execute(select(table).where(table.c.uid.in_(uids))).mappings()
        }
        for row in chunk:
            values = _remapped(row, ids)
            found = central.get(row["uid"])
            count.sent += 1
            if found is None and name in M.IDENTITY and values["deleted_at"] is None:
                found = M.adopt(target, name, values, local_id=row["id"])
                if found is not None:
                    M.record_adoption(target, name, found, row["uid"], actor=actor)
                    adopted[name][row["id"]] = found["id"]
                    count.adopted += 1
            if found is None or (row["id"] not in adopted[name] and not _same(values, found)):
                found = _write(target, table, name, values, found, count, local_id=row["id"])
            elif row["id"] not in adopted[name]:
                count.unchanged += 1
            ids[name][row["id"]] = found["id"]
    return count


def _write(
    target: Session,
    table: Table,
    name: str,
    values: dict[str, Any],
    found: dict[str, Any] | None,
    count: PushCount,
    *,
    local_id: int,
) -> dict[str, Any]:
    """Insert a record new centrally or update the central copy; refuse a natural-key clash."""
    if values.get("deleted_at") is None:
        clash = same_key(
            target, kind_of(name), values, exclude_id=None if found is None else found["id"]
        )
        if clash is not None:
            raise M.key_conflict(target, name, values, clash, local_id=local_id)
    if found is None:
        count.inserted += 1
        new_id = target.execute(insert(table).values(**values).returning(table.c.id)).scalar_one()
        return {"id": new_id}
    target.execute(update(table).where(table.c.id == found["id"]).values(**values))
    count.updated += 1
    return found


def _remapped(row: Mapping[str, Any], ids: IdMap) -> dict[str, Any]:
    values = {k: v for k, v in row.items() if k != "id"}
    for column, parent in _REF_COLUMNS.items():
        if values.get(column) is not None:
            values[column] = ids[parent][values[column]]
    return values


def _same(values: Mapping[str, Any], central: Mapping[str, Any]) -> bool:
    return all(central.get(k) == v for k, v in values.items())


def _push_subdaily(source: Session, target: Session, ids: IdMap) -> PushCount:
    table: Table = _table(T.SubDailyWeather)
    count = PushCount(table.name)
    for chunk in _chunks(source, table):
        central = _central_subdaily(
            target, [(ids["station"][r["station_id"]], r["ts"]) for r in chunk]
        )
        new = []
        for row in chunk:
            values = {k: v for k, v in row.items() if k not in ("id", "import_id")}
            values["station_id"] = ids["station"][row["station_id"]]
            found = central.get((values["station_id"], values["ts"]))
            count.sent += 1
            if found is None:
                new.append(values)
            elif _same(values, found):
                count.unchanged += 1
            else:
                target.execute(update(table).where(table.c.id == found["id"]).values(**values))
                count.updated += 1
        if new:
            target.execute(insert(table), new)
            count.inserted += len(new)
    return count


def _central_subdaily(
    target: Session, keys: list[tuple[int, int]]
) -> dict[tuple[int, int], dict[str, Any]]:
    table: Table = _table(T.SubDailyWeather)
    found: dict[tuple[int, int], dict[str, Any]] = {}
    for station_id in {k[0] for k in keys}:
        stamps = [k[1] for k in keys if k[0] == station_id]
        rows = target.execute(
            select(table).where(table.c.station_id == station_id, table.c.ts.in_(stamps))
        ).mappings()
        found.update({(station_id, r["ts"]): dict(r) for r in rows})
    return found


def _central_id(
    source: Session, target: Session, kind: str, record_id: int, ids: IdMap
) -> int | None:
    """The central id of a pushed record (sub-daily rows are looked up by station and ts)."""
    if kind != "subdaily":
        return ids.get(kind, {}).get(record_id)
    row = source.get(T.SubDailyWeather, record_id)
    if row is None:
        return None
    central = _central_subdaily(target, [(ids["station"][row.station_id], row.ts)])
    hit = central.get((ids["station"][row.station_id], row.ts))
    return None if hit is None else int(hit["id"])


def _push_keyed(
    source: Session,
    target: Session,
    table: Table,
    ids: IdMap,
    *,
    kind_of_row: Any,
    key: tuple[str, ...],
) -> PushCount:
    """Push rows that point at a record by (kind, record_id), matched on ``key`` columns."""
    count = PushCount(table.name)
    for chunk in _chunks(source, table):
        for row in chunk:
            count.sent += 1
            kind = kind_of_row(row)
            central_id = (
                None if kind is None else _central_id(source, target, kind, row["record_id"], ids)
            )
            if central_id is None:
                count.skipped += 1
                continue
            values = {k: v for k, v in row.items() if k != "id"}
            values["record_id"] = central_id
            match = and_(*[table.c[k] == values[k] for k in key])
            hit = target.execute(select(table).where(match)).mappings().first()
            found = None if hit is None else dict(hit)
            if found is None:
                target.execute(insert(table).values(**values))
                count.inserted += 1
            elif _same(values, found):
                count.unchanged += 1
            else:
                target.execute(update(table).where(table.c.id == found["id"]).values(**values))
                count.updated += 1
    return count


def _push_qc_flags(source: Session, target: Session, ids: IdMap) -> PushCount:
    return _push_keyed(
        source,
        target,
        _table(T.QCFlag),
        ids,  # type: ignore[attr-defined]
        kind_of_row=lambda row: QC_KINDS.get(row["kind"]),
        key=("kind", "record_id", "element", "check_name", "run_at"),
    )


def _push_history(source: Session, target: Session, ids: IdMap, adopted: IdMap) -> PushCount:
    """History entries; those of adopted records stay local (the central row is not theirs)."""

    def kind_of_row(row: Mapping[str, Any]) -> str | None:
        if row["kind"] not in TABLES or row["record_id"] in adopted.get(row["kind"], {}):
            return None
        return str(row["kind"])

    return _push_keyed(
        source,
        target,
        _table(T.History),
        ids,  # type: ignore[attr-defined]
        kind_of_row=kind_of_row,
        key=("record_uid", "at", "action"),
    )
