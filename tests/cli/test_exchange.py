"""CLI: export → restore-export → export gives identical files; backup; refusals."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import threading

import pytest

from obs.db import make_engine, session_scope
from schemas import tables as T
from tests.conftest import Invoker, row_counts

TABLES = {
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
    "forecast_issue",  # issued bloom forecasts (issue 17)
    "push_mark",  # where this database was pushed, up to which rows (issue 16)
    "push_change",  # rows updated since (the incremental push's change log)
}


@pytest.fixture
def rich(seeded):
    """A database with every awkward value: amended, deleted, NULL vs '' vs '\\N', unicode."""
    seeded(
        "record",
        "phenology",
        "--plant",
        "A-01",
        "--date",
        "2024-12-05",
        "--stage",
        "FLS",
        "--note",
        "\\N",
    )
    seeded(
        "record",
        "weather",
        "--station",
        "57511",
        "--date",
        "2024-12-20",
        "--tmax",
        "12.4",
        "--tmin",
        "0.1",
        "--note",
        '逗号, "引号"\n第二行',
    )
    seeded(
        "record",
        "weather",
        "--station",
        "57511",
        "--date",
        "2024-12-21",
        "--tmax",
        "1e-7",
        "--note",
        "\\backslash",
    )
    seeded("amend", "weather", "1", "--set", "tmin=0.3", "--reason", "typo")
    seeded("delete", "weather", "2", "--reason", "duplicate")
    eng = make_engine(seeded.db)
    with session_scope(eng) as s:
        s.add(T.SubDailyWeather(station_id=1, ts=1734652800, t=-1.25, rh=None))
        s.add(
            T.QCFlag(
                kind="daily",
                record_id=1,
                element="t_min",
                check_name="range",
                flag=2,
                reason="below 0.2",
            )
        )
    eng.dispose()
    return seeded


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_round_trip_is_exact(rich, tmp_path, fmt):
    first, second = tmp_path / "first", tmp_path / "second"
    rich("export", "--format", fmt, "--output", str(first))
    manifest = json.loads((first / "manifest.json").read_text())
    assert set(manifest["tables"]) == TABLES
    assert manifest["tables"]["history"]["rows"] == 2
    assert manifest["tables"]["qc_flag"]["rows"] == 1
    data = (first / f"station.{fmt}").read_bytes()
    assert manifest["tables"]["station"]["sha256"] == hashlib.sha256(data).hexdigest()

    fresh = Invoker(str(tmp_path / "fresh.db"))
    fresh("init")
    fresh("restore-export", str(first))
    fresh("export", "--format", fmt, "--output", str(second))
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    # ids, uids, deleted rows and odd texts survive
    assert fresh.json("list", "weather", "--deleted") == rich.json("list", "weather", "--deleted")
    assert fresh.json("history", "weather", "1") == rich.json("history", "weather", "1")
    notes = {r["id"]: r["note"] for r in fresh.json("list", "weather", "--deleted")}
    assert notes == {1: '逗号, "引号"\n第二行', 2: "\\backslash"}
    assert fresh.json("list", "phenology")[0]["note"] == "\\N"


def test_restore_into_non_empty_database_refused(rich, tmp_path, counts):
    rich("export", "--output", str(tmp_path / "out"))
    before = counts()
    result = rich("restore-export", str(tmp_path / "out"), expect=1)
    assert "not empty" in result.stderr
    assert counts() == before


def test_tampered_export_refused(rich, tmp_path):
    out = tmp_path / "out"
    rich("export", "--output", str(out))
    with (out / "daily_weather.csv").open("a") as handle:
        handle.write("99,x\n")
    fresh = Invoker(str(tmp_path / "fresh.db"))
    fresh("init")
    before = row_counts(f"sqlite:///{tmp_path / 'fresh.db'}")
    result = fresh("restore-export", str(out), expect=1)
    assert "does not match its manifest" in result.stderr
    assert row_counts(f"sqlite:///{tmp_path / 'fresh.db'}") == before


def test_export_refuses_non_empty_folder_unless_forced(rich, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    result = rich("export", "--output", str(out), expect=1)
    assert "not empty" in result.stderr and "--force" in result.stderr
    rich("export", "--output", str(out), "--force")
    assert (out / "keep.txt").read_text() == "mine"  # only its own files are written
    assert (out / "manifest.json").exists()


def test_forced_export_in_another_format_replaces_the_old_export_files_only(rich, tmp_path):
    out = tmp_path / "out"
    rich("export", "--output", str(out))  # csv
    (out / "notes.csv").write_text("mine")  # not an export file: must survive
    (out / "station.txt").write_text("mine")
    rich("export", "--output", str(out), "--format", "json", "--force")
    manifest = json.loads((out / "manifest.json").read_text())
    described = {entry["file"] for entry in manifest["tables"].values()}
    assert described == {f"{t}.json" for t in TABLES}
    assert {p.name for p in out.iterdir()} == described | {
        "manifest.json",
        "notes.csv",
        "station.txt",
    }
    assert (out / "notes.csv").read_text() == "mine"


def test_backup_copy_is_consistent_while_another_writer_records(seeded, tmp_path):
    stop = threading.Event()
    engine = make_engine(seeded.db)

    def writer() -> None:
        day = dt.date(2020, 1, 1)
        while not stop.is_set():
            with session_scope(engine) as s:
                s.add(T.DailyWeather(station_id=1, obs_date=day, t_max=10.0))
            day += dt.timedelta(days=1)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        target = tmp_path / "copy.db"
        seeded("backup", str(target))
    finally:
        stop.set()
        thread.join()
        engine.dispose()
    with sqlite3.connect(target) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT COUNT(*) FROM plant").fetchone() == (10,)
    copied = Invoker(str(target))
    assert len(copied.json("station", "list")) == 1


def test_backup_refuses_to_overwrite(seeded, tmp_path):
    target = tmp_path / "copy.db"
    target.write_text("precious")
    result = seeded("backup", str(target), expect=1)
    assert "exists" in result.stderr and "--force" in result.stderr
    assert target.read_text() == "precious"
    seeded("backup", str(target), "--force")
    assert target.read_bytes().startswith(b"SQLite format 3")


def test_backup_of_postgresql_explains_pg_dump_without_password(tmp_path):
    result = Invoker("postgresql+psycopg://obs:s3cret@127.0.0.1:1/obs")(
        "backup", str(tmp_path / "x.db"), expect=1
    )
    assert "pg_dump -Fc" in result.stderr
    assert "***" in result.stderr and "s3cret" not in result.stderr + result.stdout


def test_import_export_folder_round_trip(seeded, tmp_path):
    from tests.conftest import Invoker

    seeded("record", "phenology", "--plant", "A-01", "--date", "2024-12-06", "--stage", "FLS")
    seeded("export", "--format", "csv", "--output", str(tmp_path / "out"))
    target = Invoker(str(tmp_path / "new.db"))
    target("init")
    target("import", "export", str(tmp_path / "out"))
    assert target.json("list", "phenology") == seeded.json("list", "phenology")
