"""The bulk push engine (obs.exchange.push_database) on a SQLite and a PostgreSQL central
database: straight COPY when nothing can be there, staging + one merge otherwise, the
watermark and the change log."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from sqlalchemy import create_engine, text

from obs.db import make_engine
from obs.exchange.push import push_database
from tests.conftest import seed_sites

START = 1_734_652_800


def _field(path, template, rows: int, *, start: int = START):
    shutil.copyfile(template, path)
    eng = make_engine(str(path))
    seed_sites(eng, plants=1)
    eng.dispose()
    _add(path, [(start + 600 * i, 5.0 + i / 10) for i in range(rows)])
    return make_engine(str(path))


def _add(path, rows) -> None:
    con = sqlite3.connect(path)
    con.executemany(
        "INSERT INTO subdaily_weather (station_id, ts, t, precip_trace, qc) VALUES (1, ?, ?, 0, 0)",
        rows,
    )
    con.commit()
    con.close()


def _sql(path, sql) -> None:
    con = sqlite3.connect(path)
    con.execute(sql)
    con.commit()
    con.close()


def _central_values(url: str) -> dict[int, float]:
    eng = create_engine(url)
    with eng.connect() as conn:
        rows = conn.execute(text("SELECT ts, t FROM subdaily_weather")).all()
    eng.dispose()
    return {int(ts): float(t) for ts, t in rows}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def central(request, tmp_path, _migrated_template):
    if request.param == "sqlite":
        path = tmp_path / "central.db"
        shutil.copyfile(_migrated_template, path)
        return f"sqlite:///{path}"
    return request.getfixturevalue("pg_url")


def _sub(counts):
    return next(c for c in counts if c.table == "subdaily_weather")


def test_new_rows_changed_rows_and_a_full_comparison(central, tmp_path, _migrated_template):
    path = tmp_path / "field.db"
    field = _field(path, _migrated_template, 100)
    first = _sub(push_database(field, central))
    assert (first.sent, first.inserted) == (100, 100)
    _sql(path, f"UPDATE subdaily_weather SET t = 40.5 WHERE ts IN ({START}, {START + 600})")
    _sql(path, f"UPDATE subdaily_weather SET t = t WHERE ts = {START + 1200}")  # same value
    _add(path, [(START + 600 * (100 + i), 1.0) for i in range(5)])
    again = _sub(push_database(field, central))
    assert (again.sent, again.inserted, again.updated, again.unchanged) == (8, 5, 2, 1)
    values = _central_values(central)
    assert len(values) == 105 and values[START] == 40.5 and values[START + 60_000] == 1.0
    full = _sub(push_database(field, central, full=True))
    assert (full.sent, full.unchanged, full.inserted, full.updated) == (105, 105, 0, 0)
    assert _sub(push_database(field, central)).sent == 0
    field.dispose()


def test_rows_overlapping_what_another_field_database_sent_are_merged(
    central, tmp_path, _migrated_template
):
    one = _field(tmp_path / "one.db", _migrated_template, 10)
    push_database(one, central)
    # the same station entered on another laptop, with half of the same times
    two = _field(tmp_path / "two.db", _migrated_template, 10, start=START + 600 * 5)
    _sql(tmp_path / "two.db", f"UPDATE subdaily_weather SET t = 0.5 WHERE ts = {START + 3000}")
    pushed = push_database(two, central)
    station = next(c for c in pushed if c.table == "station")
    assert station.adopted == 1
    sub = _sub(pushed)
    # ts START+3000 … START+5400 overlap: one-row values there are 5.5 … 5.9, two's 5.0 … 5.4
    assert (sub.sent, sub.inserted, sub.updated, sub.unchanged) == (10, 5, 5, 0)
    values = _central_values(central)
    assert len(values) == 15 and values[START + 3000] == 0.5
    one.dispose()
    two.dispose()
