"""PostgreSQL: the main CLI flows on a central server, and obs push from field databases."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, text

from obs.db import make_engine, session_scope
from schemas import tables as T
from tests.conftest import Invoker, row_counts, seed_sites

pytestmark = pytest.mark.postgres


def _counts(result_json):
    return {r["table"]: r for r in result_json}


@pytest.fixture
def field(tmp_path, _migrated_template):
    """A field database (SQLite) with sites, a phenology record, weather, a QC flag, a
    sub-daily value and one amendment."""
    import shutil

    path = tmp_path / "field.db"
    shutil.copyfile(_migrated_template, path)
    eng = make_engine(str(path))
    seed_sites(eng, plants=2)
    eng.dispose()
    inv = Invoker(str(path))
    inv("record", "phenology", "--plant", "A-01", "--date", "2024-12-05", "--stage", "FLS")
    inv("record", "weather", "--station", "57511", "--date", "2024-12-20", "--tmax", "12.4")
    inv("amend", "weather", "1", "--set", "tmax=12.6", "--reason", "typo")
    eng = make_engine(str(path))
    with session_scope(eng) as s:
        s.add(T.SubDailyWeather(station_id=1, ts=1734652800, t=4.5))
        s.add(T.QCFlag(kind="daily", record_id=1, element="t_max", check_name="range", flag=1))
    eng.dispose()
    return inv


def test_main_flows_on_postgresql(pg_url, tmp_path):
    cli = Invoker(pg_url)
    cli("station", "add", "57511", "--name", "北碚", "--latitude", "29.83", "--longitude", "106.45")
    cli("plot", "add", "JG-A", "--station", "57511", "--cultivar", "SUXIN")
    cli("plant", "add", "A-01", "--plot", "JG-A")
    cli("record", "phenology", "--plant", "A-01", "--date", "2024-12-05", "--stage", "FLS")
    cli("record", "weather", "--station", "57511", "--date", "2024-12-20", "--tmax", "12.4")
    refused = cli(
        "record", "weather", "--station", "57511", "--date", "2024-12-20", "--tmax", "1", expect=1
    )
    assert "exists already" in refused.stderr
    cli("amend", "weather", "1", "--set", "tmax=13", "--reason", "typo")
    assert [v["action"] for v in cli.json("history", "weather", "1")] == ["create", "amend"]
    cli("delete", "phenology", "1", "--reason", "x")
    assert cli.json("list", "phenology") == []
    cli("restore", "phenology", "1", "--reason", "x")
    assert cli.json("report", "observers")[0]["records"] == 2
    cli("export", "--format", "json", "--output", str(tmp_path / "out"))
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["tables"]["history"]["rows"] == 3


def test_push_is_idempotent_and_complete(field, pg_url):
    first = _counts(field.json("push", "--to", pg_url))
    assert first["station"]["inserted"] == 1 and first["plant"]["inserted"] == 2
    assert first["daily_weather"]["inserted"] == 1
    assert first["subdaily_weather"]["inserted"] == 1
    assert first["qc_flag"]["inserted"] == 1 and first["history"]["inserted"] == 1
    before = row_counts(pg_url)
    again = _counts(field.json("push", "--to", pg_url))
    assert all(c["inserted"] == 0 and c["updated"] == 0 for c in again.values())
    assert again["phenology"]["sent"] == 0 and again["subdaily_weather"]["sent"] == 0
    assert again["station"]["unchanged"] == 1
    full = _counts(field.json("push", "--to", pg_url, "--full"))
    assert all(c["inserted"] == 0 and c["updated"] == 0 for c in full.values())
    assert full["phenology"]["unchanged"] == 1 and full["subdaily_weather"]["unchanged"] == 1
    assert full["qc_flag"]["unchanged"] == 1 and full["history"]["unchanged"] == 1
    assert row_counts(pg_url) == before
    central = Invoker(pg_url)
    assert central.json("list", "weather")[0]["t_max"] == 12.6
    assert central.json("history", "weather", "1")[1]["changes"] == {"t_max": [12.4, 12.6]}


def test_amended_after_push_updates_central_copy(field, pg_url):
    field("push", "--to", pg_url)
    field("amend", "weather", "1", "--set", "tmax=13.1", "--reason", "second look")
    counts = _counts(field.json("push", "--to", pg_url))
    assert counts["daily_weather"]["updated"] == 1
    assert counts["history"]["inserted"] == 1
    central = Invoker(pg_url)
    assert central.json("list", "weather")[0]["t_max"] == 13.1
    assert len(central.json("history", "weather", "1")) == 3


def test_two_field_databases_push_without_collision(field, pg_url, tmp_path):
    other = Invoker(str(tmp_path / "other.db"))
    other("init")
    other(
        "station",
        "add",
        "57516",
        "--name",
        "沙坪坝",
        "--latitude",
        "29.58",
        "--longitude",
        "106.47",
    )
    other("plot", "add", "SP-B", "--station", "57516", "--cultivar", "SUXIN")
    other("plant", "add", "B-01", "--plot", "SP-B")
    other("record", "phenology", "--plant", "B-01", "--date", "2024-12-07", "--stage", "FLS")
    field("push", "--to", pg_url)
    other("push", "--to", pg_url)
    central = Invoker(pg_url)
    assert sorted(s["code"] for s in central.json("station", "list")) == ["57511", "57516"]
    phen = {(r["plant"], r["obs_date"]) for r in central.json("list", "phenology")}
    assert phen == {("A-01", "2024-12-05"), ("B-01", "2024-12-07")}


def test_same_station_from_another_laptop_is_adopted_or_a_conflict(field, pg_url, tmp_path):
    other = Invoker(str(tmp_path / "other.db"))
    other("init")
    other(
        "station", "add", "57511", "--name", "北碚", "--latitude", "29.90", "--longitude", "106.45"
    )
    other("push", "--to", pg_url)
    before = row_counts(pg_url)
    result = field("push", "--to", pg_url, expect=1)
    assert "conflict: station 57511" in result.stderr and "nothing was pushed" in result.stderr
    assert "another latitude (central 29.9, here 29.83)" in result.stderr
    assert row_counts(pg_url) == before
    field("amend", "station", "1", "--set", "latitude=29.9", "--reason", "surveyed again")
    counts = _counts(field.json("push", "--to", pg_url))
    assert counts["station"]["adopted"] == 1 and counts["plant"]["inserted"] == 2
    assert len(Invoker(pg_url).json("station", "list")) == 1


def test_restore_export_into_postgresql_keeps_ids_and_continues_sequences(field, pg_url, tmp_path):
    field("export", "--output", str(tmp_path / "out"))
    central = Invoker(pg_url)
    central("restore-export", str(tmp_path / "out"))
    central("export", "--output", str(tmp_path / "again"))
    for path in (tmp_path / "out").iterdir():
        assert path.read_bytes() == (tmp_path / "again" / path.name).read_bytes(), path.name
    central("record", "weather", "--station", "57511", "--date", "2024-12-21", "--tmax", "9")
    eng = create_engine(pg_url)
    with eng.connect() as conn:
        assert conn.execute(text("SELECT max(id) FROM daily_weather")).scalar_one() == 2
    eng.dispose()
