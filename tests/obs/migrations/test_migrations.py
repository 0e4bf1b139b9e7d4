"""Alembic migrations build exactly the schema the models declare, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect
from sqlmodel import SQLModel

import schemas.tables
from obs.db import make_engine, session_scope, upgrade
from obs.errors import DatabaseNotReadyError
from obs.migrations import HEAD_REVISION


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


def _to(engine, revision: str, *, down: bool = False) -> None:
    from pathlib import Path

    from alembic import command
    from alembic.config import Config

    import obs.db

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(obs.db.__file__).parent / "migrations"))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(cfg, revision)


def test_existing_stations_keep_the_20_oclock_day_and_the_revision_downgrades(tmp_path):
    from sqlalchemy import text

    engine = make_engine(str(tmp_path / "old.db"))
    _to(engine, "0001")
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
    _to(engine, "0001", down=True)
    assert "day_end_hour" not in {col["name"] for col in inspect(engine).get_columns("station")}
    engine.dispose()
