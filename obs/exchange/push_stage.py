"""``obs push`` in bulk: rows go to a temporary staging table of the central database (PostgreSQL
``COPY``, SQLite ``executemany``) and are merged by one set-based statement that finds the rows
already there through the natural-key index (sub-daily weather: ``uq_subdaily_station_ts``).

Nothing here commits: the staging tables live in the caller's transaction (PostgreSQL drops
them at commit; on SQLite :func:`drop` removes them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Column, MetaData, Table, insert, text
from sqlmodel import Session

#: Rows per ``executemany`` when staging into SQLite.
SQLITE_BATCH = 20_000
#: The columns of sub-daily weather that are pushed (the central row keeps its own id, and
#: import batches stay in the field database).
_SUBDAILY_LOCAL = ("id", "import_id")
#: The key of sub-daily weather (the unique index the merge uses).
SUBDAILY_KEY = ("station_id", "ts")


def is_postgresql(session: Session) -> bool:
    """True when ``session`` is bound to PostgreSQL."""
    return session.connection().dialect.name == "postgresql"


def subdaily_columns(table: Table) -> list[str]:
    """The pushed columns of ``subdaily_weather``, in table order."""
    return [c.name for c in table.columns if c.name not in _SUBDAILY_LOCAL]


def create(target: Session, name: str, like: Table, columns: Sequence[str]) -> Table:
    """A new temporary table ``name`` with ``columns`` typed as in ``like``."""
    stage = Table(
        name,
        MetaData(),
        *[Column(c, like.c[c].type) for c in columns],
        prefixes=["TEMPORARY"],
        postgresql_on_commit="DROP",
    )
    connection = target.connection()
    connection.execute(text(f"DROP TABLE IF EXISTS {name}"))
    stage.create(connection)
    return stage


def _pg_type(column: Column[Any]) -> str | None:
    """The PostgreSQL type name of a column for binary ``COPY`` (None: not supported)."""
    from sqlalchemy import BigInteger, Boolean, Date, DateTime, Float, Integer, String

    kind = column.type
    for python, name in (
        (BigInteger, "int8"),
        (Integer, "int4"),
        (Float, "float8"),
        (Boolean, "bool"),
        (DateTime, "timestamptz"),
        (Date, "date"),
        (String, "text"),
    ):
        if isinstance(kind, python) or isinstance(getattr(kind, "impl", None), python):
            return name
    return None


def copyable(target: Session, table: Table, columns: Sequence[str]) -> bool:
    """True when rows of ``columns`` can go into ``table`` by :func:`fill` (SQLite: always;
    PostgreSQL: binary ``COPY`` of plain column types, not JSON)."""
    return not is_postgresql(target) or all(_pg_type(table.c[c]) for c in columns)


def fill(
    target: Session, stage: Table, rows: Iterable[Sequence[Any]], columns: Sequence[str] = ()
) -> int:
    """Copy ``rows`` (tuples in the order of ``columns``, default all of ``stage``'s) into
    ``stage`` (PostgreSQL: binary ``COPY``); returns how many."""
    names = list(columns) or [c.name for c in stage.columns]
    count = 0
    if is_postgresql(target):
        raw = target.connection().connection.driver_connection
        assert raw is not None
        import psycopg
        from sqlalchemy import exc

        sql = f"COPY {stage.name} ({', '.join(names)}) FROM STDIN (FORMAT BINARY)"
        try:
            with raw.cursor() as cursor, cursor.copy(sql) as copy:
                copy.set_types([_pg_type(stage.c[n]) or "text" for n in names])
                for row in rows:
                    copy.write_row(row)
                    count += 1
        except psycopg.Error as err:  # the driver's own: wrapped as SQLAlchemy wraps them
            raise exc.DBAPIError.instance(sql, None, err, psycopg.Error) from None
        return count
    batch: list[dict[str, Any]] = []
    connection = target.connection()
    for row in rows:
        batch.append(dict(zip(names, row, strict=True)))
        if len(batch) >= SQLITE_BATCH:
            connection.execute(insert(stage), batch)
            count += len(batch)
            batch = []
    if batch:
        connection.execute(insert(stage), batch)
        count += len(batch)
    return count


def drop(target: Session, stage: Table) -> None:
    """Remove a staging table before commit (PostgreSQL drops it at commit anyway)."""
    if not is_postgresql(target):
        target.connection().execute(text(f"DROP TABLE IF EXISTS {stage.name}"))


def overlaps(target: Session, spans: Sequence[tuple[int, int, int]]) -> bool:
    """True when the central database has a sub-daily row of one of ``spans`` (central
    station id, first ts, last ts): one range look-up of the natural-key index per station."""
    query = text(
        "SELECT 1 FROM subdaily_weather WHERE station_id = :s AND ts >= :a AND ts <= :b LIMIT 1"
    )
    connection = target.connection()
    return any(
        connection.execute(query, {"s": s, "a": a, "b": b}).first() is not None for s, a, b in spans
    )


def merge_subdaily(target: Session, stage: Table, columns: Sequence[str]) -> tuple[int, int]:
    """Insert the staged sub-daily rows that are new and update those whose values differ, in
    one statement over the natural-key index; returns (inserted, updated)."""
    values = [c for c in columns if c not in SUBDAILY_KEY]
    cols = ", ".join(columns)
    key = ", ".join(SUBDAILY_KEY)
    sets = ", ".join(f"{c} = excluded.{c}" for c in values)
    connection = target.connection()
    if is_postgresql(target):
        here = ", ".join(f"w.{c}" for c in values)
        there = ", ".join(f"excluded.{c}" for c in values)
        row = connection.execute(
            text(
                f"WITH m AS (INSERT INTO subdaily_weather AS w ({cols}) "
                f"SELECT {cols} FROM {stage.name} "
                f"ON CONFLICT ({key}) DO UPDATE SET {sets} "
                f"WHERE ({here}) IS DISTINCT FROM ({there}) "
                "RETURNING (xmax = 0) AS fresh) "
                "SELECT count(*) FILTER (WHERE fresh), count(*) FILTER (WHERE NOT fresh) FROM m"
            )
        ).one()
        return int(row[0]), int(row[1])
    same = " AND ".join(f"w.{c} IS s.{c}" for c in values)
    on = " AND ".join(f"w.{c} = s.{c}" for c in SUBDAILY_KEY)
    found, unchanged = connection.execute(
        text(
            f"SELECT count(*), coalesce(sum(CASE WHEN {same} THEN 1 ELSE 0 END), 0) "
            f"FROM {stage.name} s JOIN subdaily_weather w ON {on}"
        )
    ).one()
    staged = connection.execute(text(f"SELECT count(*) FROM {stage.name}")).scalar_one()
    differ = " AND ".join(f"subdaily_weather.{c} IS excluded.{c}" for c in values)
    connection.execute(
        text(
            f"INSERT INTO subdaily_weather ({cols}) SELECT {cols} FROM {stage.name} WHERE true "
            f"ON CONFLICT ({key}) DO UPDATE SET {sets} WHERE NOT ({differ})"
        )
    )
    return int(staged) - int(found), int(found) - int(unchanged)


def subdaily_ids(target: Session, keys: Sequence[tuple[int, int, int]]) -> dict[int, int]:
    """Central ids of sub-daily rows: ``keys`` are (local id, central station id, ts); returns
    local id -> central id for the rows the central database has (one indexed join)."""
    if not keys:
        return {}
    from schemas.weather_tables import SubDailyWeather

    like: Table = SubDailyWeather.__table__  # type: ignore[attr-defined]
    stage = create(target, "push_stage_keys", like, ("id", "station_id", "ts"))
    fill(target, stage, keys)
    rows = target.connection().execute(
        text(
            f"SELECT k.id, w.id FROM {stage.name} k JOIN subdaily_weather w "
            "ON w.station_id = k.station_id AND w.ts = k.ts"
        )
    )
    found = {int(local): int(central) for local, central in rows}
    drop(target, stage)
    return found
