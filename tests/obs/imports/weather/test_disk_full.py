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
