"""A full disk is a clear error and leaves nothing half-written (SQLite's page limit stands in
for a full disk: it raises the same "database or disk is full" error)."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from obs.db import make_engine, session_scope
from obs.errors import DatabaseError
from obs.records.create import create
from tests.conftest import row_counts, seed_sites


def test_disk_full_is_a_clear_error_and_nothing_is_written(db_path):
    engine = make_engine(str(db_path))
    seed_sites(engine, plants=2)
    engine.dispose()
    before = row_counts(f"sqlite:///{db_path}")
    full = make_engine(str(db_path))

    @event.listens_for(full, "connect")
    def _no_room(dbapi_conn, _record):
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    note = "很长的备注" * 400  # 2000 characters, the longest note: each row needs new pages
    with pytest.raises(DatabaseError) as info, session_scope(full) as session:
        for day in range(1, 29):
            create(
                "weather",
                {"station": "57511", "obs_date": f"2024-02-{day:02d}", "t_max": "10", "note": note},
                session=session,
            )
    full.dispose()
    assert "disk is full" in info.value.message
    assert info.value.hint == "free some space and run the command again"
    assert row_counts(f"sqlite:///{db_path}") == before


def test_disk_full_mid_import_says_what_is_committed_and_a_rerun_completes(db_path, tmp_path):
    import pandas as pd

    from obs.imports import WeatherImportOptions, import_weather

    times = pd.date_range("2024-03-01 21:00", periods=3000, freq="h")
    f = tmp_path / "h.csv"
    pd.DataFrame({"时间": times.strftime("%Y-%m-%d %H:%M"), "气温": 10.0, "相对湿度": 80}).to_csv(
        f, index=False
    )
    engine = make_engine(str(db_path))
    seed_sites(engine, plants=1)
    engine.dispose()
    full = make_engine(str(db_path))

    @event.listens_for(full, "connect")
    def _little_room(dbapi_conn, _record):
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 30}")

    options = WeatherImportOptions(chunk_rows=200)
    with pytest.raises(DatabaseError) as info, session_scope(full) as session:
        import_weather(f, station="57511", session=session, options=options)
    full.dispose()
    message = info.value.message
    assert message.startswith("the disk is full after line "), message
    assert "nothing was written" not in message
    engine = make_engine(str(db_path))
    with engine.connect() as c:
        status, read, stored = c.exec_driver_sql(
            "SELECT status, rows_read, stored FROM import_batch"
        ).one()
        n_rows, last = c.exec_driver_sql("SELECT count(*), max(ts) FROM subdaily_weather").one()
    assert status == "interrupted"
    assert 0 < n_rows == stored == read < 3000
    local = pd.Timestamp(last + 8 * 3600, unit="s")
    assert f"the first {read} rows are committed ({stored} stored" in message
    assert f"records up to {local:%Y-%m-%d %H:%M}" in message
    assert "run the same command again" in info.value.hint
    with session_scope(engine) as session:
        again = import_weather(f, station="57511", session=session, options=options)
    assert (again.unchanged, again.stored) == (read, 3000 - read)
    with engine.connect() as c:
        statuses = c.exec_driver_sql("SELECT status FROM import_batch ORDER BY id").all()
    assert [s for (s,) in statuses] == ["interrupted", "done"]
    engine.dispose()
