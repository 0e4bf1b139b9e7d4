"""Alembic migrations build exactly the schema the models declare, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlmodel import SQLModel

import schemas.tables
from obs.db import make_engine, session_scope, upgrade
from obs.errors import DatabaseNotReadyError
from obs.migrations import HEAD_REVISION
from obs.migrations.push_triggers import LOGGED_TABLES, trigger_name


def _diff(url: str) -> list:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return compare_metadata(context, SQLModel.metadata)
    finally:
        engine.dispose()


def test_sqlite_migration_matches_models(db_path):
    assert _diff(f"sqlite:///{db_path}") == []


@pytest.mark.postgres
def test_postgres_migration_matches_models(pg_url):
    assert _diff(pg_url) == []


def test_upgrade_is_idempotent_and_head_is_declared(tmp_path):
    engine = make_engine(str(tmp_path / "x.db"))
    assert upgrade(engine) == HEAD_REVISION
    assert upgrade(engine) == HEAD_REVISION
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", "obs/migrations")
    assert ScriptDirectory.from_config(cfg).get_heads() == [HEAD_REVISION]
    assert "phenology" in inspect(engine).get_table_names()


def test_uninitialised_database_is_refused_with_hint(tmp_path):
    engine = make_engine(str(tmp_path / "empty.db"))
    with pytest.raises(DatabaseNotReadyError) as info, session_scope(engine):
        pass
    assert info.value.hint == "run: obs init"


def test_partial_unique_index_allows_reentry_after_soft_delete(session):
    import datetime as dt

    from obs.records.create import create

    create(
        "station",
        {"code": "57511", "name": "x", "latitude": 29.8, "longitude": 106.4},
        session=session,
    )
    first = session.get(schemas.tables.Station, 1)
    first.deleted_at = dt.datetime.now(dt.UTC)
    session.flush()
    again = create(
        "station",
        {"code": "57511", "name": "y", "latitude": 29.8, "longitude": 106.4},
        session=session,
    )
    assert again.row["id"] == 2


# --- upgrades keep every row ---------------------------------------------------------------

_PUSH_TABLES = {"push_mark", "push_change"}


def _alembic(engine, action: str, revision: str) -> None:
    from obs.db import migrate

    migrate(engine, action, revision)


def _value(column, n: int):
    """A value of the column's type for row ``n`` (1, 2): every column filled, FKs to row 1."""
    import datetime as dt

    from sqlalchemy import JSON, BigInteger, Boolean, Date, DateTime, Float, Integer, String, Time

    kind = column.type
    if column.foreign_keys:
        return 1
    if column.primary_key:
        return n
    if isinstance(kind, BigInteger):
        return 1_734_652_800 + 600 * n
    if isinstance(kind, Integer):
        return 10 + n
    if isinstance(kind, Float):
        return 1.25 + n
    if isinstance(kind, Boolean):
        return n == 1
    if isinstance(kind, DateTime):
        return dt.datetime(2024, 12, n, 8, 30, tzinfo=dt.UTC)
    if isinstance(kind, Date):
        return dt.date(2024, 12, n)
    if isinstance(kind, Time):
        return dt.time(8, 10 * n)
    if isinstance(kind, JSON):
        return {"t_max": [12.4, 12.6], "n": n}
    if isinstance(kind, String):
        text_ = f"{column.name}·{n}·蜡梅"
        return text_[: kind.length] if kind.length else text_
    raise AssertionError(f"no test value for {column.table.name}.{column.name}: {kind!r}")


def _fill_every_table(engine) -> set[str]:
    """Two rows, every column set, in every table of the schema as it is now; their names."""
    from sqlalchemy import MetaData

    meta = MetaData()
    meta.reflect(engine)
    filled = set()
    with engine.begin() as conn:
        for table in meta.sorted_tables:
            if table.name == "alembic_version":
                continue
            rows = [{c.name: _value(c, n) for c in table.columns} for n in (1, 2)]
            conn.execute(table.insert(), rows)
            filled.add(table.name)
    return filled


def _dump(engine, tables: set[str], columns: dict[str, list[str]] | None = None) -> dict:
    """Every row of ``tables``, restricted to ``columns`` (by default those the table has now):
    a later revision may add a column, whose value the test of that revision checks."""
    from sqlalchemy import MetaData, select

    meta = MetaData()
    meta.reflect(engine, only=sorted(tables))
    names = columns or {n: [c.name for c in meta.tables[n].columns] for n in tables}
    with engine.connect() as conn:
        return {
            name: (
                names[name],
                [
                    tuple(r)
                    for r in conn.execute(
                        select(*(meta.tables[name].c[c] for c in names[name])).order_by("id")
                    )
                ],
            )
            for name in sorted(tables)
        }


def _triggers(engine) -> set[str]:
    """The names of the user-defined triggers."""
    sql = (
        "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
        if engine.dialect.name == "postgresql"
        else "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    )
    with engine.connect() as conn:
        return set(conn.execute(text(sql)).scalars())


def _upgrade_keeps_every_row(engine, upgrade_to_head) -> None:
    filled = _fill_every_table(engine)
    # every table of revision 0001 holds data: sites, every observation kind, daily and
    # sub-daily weather, QC flags, history and import batches (forecasts are not stored)
    assert {
        "station",
        "plot",
        "plant",
        "phenology",
        "growth_status",
        "growth",
        "yield_item",
        "disaster",
        "pest",
        "fieldwork",
        "daily_weather",
        "subdaily_weather",
        "qc_flag",
        "history",
        "import_batch",
    } <= filled
    before = _dump(engine, filled)
    assert all(len(rows) == 2 for _, rows in before.values())
    columns = {name: cols for name, (cols, _) in before.items()}
    upgrade_to_head()
    assert _dump(engine, filled, columns) == before
    assert set(inspect(engine).get_table_names()) >= _PUSH_TABLES
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            HEAD_REVISION
        )
    assert _diff(str(engine.url.render_as_string(hide_password=False))) == []
    assert _triggers(engine) == {trigger_name(t) for t in LOGGED_TABLES}
    _alembic(engine, "downgrade", "0001")
    assert _dump(engine, filled) == before  # the columns of 0001 again, no more
    assert not _PUSH_TABLES & set(inspect(engine).get_table_names())
    assert _triggers(engine) == set()
    _alembic(engine, "upgrade", "head")
    assert _dump(engine, filled, columns) == before


def test_obs_init_upgrades_a_0001_sqlite_database_keeping_every_row(tmp_path):
    from tests.conftest import Invoker

    path = tmp_path / "old.db"
    engine = make_engine(str(path))
    _alembic(engine, "upgrade", "0001")
    try:
        _upgrade_keeps_every_row(engine, lambda: Invoker(str(path))("init"))
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_postgres_0001_database_upgrades_keeping_every_row(pg_url):
    from tests.conftest import Invoker

    engine = make_engine(pg_url)
    _alembic(engine, "downgrade", "0001")
    try:
        _upgrade_keeps_every_row(engine, lambda: Invoker(pg_url)("init"))
    finally:
        engine.dispose()


def test_existing_stations_keep_the_20_oclock_day_and_the_revision_downgrades(tmp_path):
    from sqlalchemy import text

    engine = make_engine(str(tmp_path / "old.db"))
    _alembic(engine, "upgrade", "0001")
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO station (code, name, latitude, longitude, time_system, "
                "utc_offset_hours, uid, note, qc, created_by, created_at) VALUES ('57511', "
                "'北碚', 29.83, 106.45, 'BT', 8, 'u1', '', 9, 't', '2024-01-01 00:00:00')"
            )
        )
    assert upgrade(engine) == HEAD_REVISION
    with engine.connect() as c:
        assert c.execute(text("SELECT day_end_hour FROM station")).scalar_one() == 20
    _alembic(engine, "downgrade", "0001")
    assert "day_end_hour" not in {col["name"] for col in inspect(engine).get_columns("station")}
    engine.dispose()
