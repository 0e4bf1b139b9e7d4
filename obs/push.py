"""``obs push``: send a field database to the central database, idempotently.

Records are matched by ``uid`` (sub-daily weather by station uid + ``ts``; QC flags by record,
element, check and run time; history by record uid, time and action). Foreign keys are mapped
to the central ids. A record that is new centrally is inserted, one whose values differ is
updated (the field database is authoritative for its own records), the rest are unchanged, so a
second push changes nothing. A live station, plot, plant or observation whose natural key is
taken centrally by a record with another uid is a conflict: the caller's transaction on the
central side is rolled back and nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, and_, insert, select, update
from sqlmodel import Session

from obs.errors import ObsError
from obs.history import same_key
from obs.records import TABLES, kind_of
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
_LABEL = {"station": "code", "plot": "code", "plant": "tag"}

IdMap = dict[str, dict[int, int]]


@dataclass
class PushCount:
    """What happened to the rows of one table: sent = inserted + updated + unchanged + skipped."""

    table: str
    sent: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0


def _table(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


def push(*, source: Session, target: Session) -> list[PushCount]:
    """Send every record, sub-daily value, QC flag and history entry of ``source`` to
    ``target``; the caller commits ``target`` (one transaction)."""
    ids: IdMap = {}
    counts = [_push_kind(source, target, name, ids) for name in PUSH_ORDER]
    counts.append(_push_subdaily(source, target, ids))
    counts.append(_push_qc_flags(source, target, ids))
    counts.append(_push_history(source, target, ids))
    return counts


def _chunks(session: Session, table: Table) -> Iterator[list[dict[str, Any]]]:
    query = select(table).order_by(table.c.id).execution_options(yield_per=CHUNK_ROWS)
    for part in session.execute(query).mappings().partitions(CHUNK_ROWS):
        yield [dict(row) for row in part]


def _push_kind(source: Session, target: Session, name: str, ids: IdMap) -> PushCount:
    table: Table = TABLES[name].__table__
    count, ids[name] = PushCount(table.name), {}
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
            if found is not None and _same(values, found):
                count.unchanged += 1
            else:
                _refuse_conflict(target, name, values, found)
                if found is None:
                    found = {
                        "id": target.execute(
                            insert(table).values(**values).returning(table.c.id)
                        ).scalar_one()
                    }
                    count.inserted += 1
                else:
                    target.execute(update(table).where(table.c.id == found["id"]).values(**values))
                    count.updated += 1
            ids[name][row["id"]] = found["id"]
    return count


def _remapped(row: Mapping[str, Any], ids: IdMap) -> dict[str, Any]:
    values = {k: v for k, v in row.items() if k != "id"}
    for column, parent in _REF_COLUMNS.items():
        if values.get(column) is not None:
            values[column] = ids[parent][values[column]]
    return values


def _same(values: Mapping[str, Any], central: Mapping[str, Any]) -> bool:
    return all(central.get(k) == v for k, v in values.items())


def _refuse_conflict(
    target: Session, name: str, values: Mapping[str, Any], found: Mapping[str, Any] | None
) -> None:
    if values.get("deleted_at") is not None:
        return
    kind = kind_of(name)
    clash = same_key(target, kind, values, exclude_id=None if found is None else found["id"])
    if clash is None:
        return
    other = target.get(TABLES[name], clash)
    assert other is not None
    what = (
        f"{name} {values[_LABEL[name]]}"
        if name in _LABEL
        else f"{name} " + ", ".join(f"{k}={_shown(target, kind.field(k), other)}" for k in kind.key)
    )
    raise ObsError(
        f"conflict: {what} exists in the central database with another uid "
        f"({other.uid}, central id {clash}); nothing was pushed",
        hint="the same record was entered in two databases; delete or amend one "
        "copy (obs delete / obs amend), then push again",
    )


def _shown(session: Session, spec: Any, row: Any) -> Any:
    value = getattr(row, spec.target)
    if spec.type == "ref" and value is not None:
        parent = session.get(TABLES[spec.ref], value)
        return getattr(parent, _LABEL[spec.ref])
    return value


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


def _push_history(source: Session, target: Session, ids: IdMap) -> PushCount:
    return _push_keyed(
        source,
        target,
        _table(T.History),
        ids,  # type: ignore[attr-defined]
        kind_of_row=lambda row: row["kind"] if row["kind"] in TABLES else None,
        key=("record_uid", "at", "action"),
    )
