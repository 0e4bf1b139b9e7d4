"""obs push into a central PostgreSQL database at district scale: incremental pushes, two
field databases pushing the same new station at once, a push killed mid-way, and a central
database that is down, refuses the login or is at another revision."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import Invoker, row_counts

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
#: 10-minute records of a field database made for these tests (about 35 days).
ROWS = 5000


def _counts(rows):
    return {r["table"]: r for r in rows}


def _laptop(
    path: Path,
    template: Path,
    *,
    rows: int = ROWS,
    start: int = 1_700_000_000,
    seen: str = "2024-12-05",
) -> Invoker:
    """A field database with station 57511, plot JG-A, plant A-01, one phenology record and
    ``rows`` sub-daily values (written straight into the table, fast)."""
    shutil.copyfile(template, path)
    inv = Invoker(str(path))
    inv("station", "add", "57511", "--name", "北碚", "--latitude", "29.83", "--longitude", "106.45")
    inv("plot", "add", "JG-A", "--station", "57511", "--cultivar", "SUXIN")
    inv("plant", "add", "A-01", "--plot", "JG-A")
    inv("record", "phenology", "--plant", "A-01", "--date", seen, "--stage", "FLS")
    _add_subdaily(path, start, rows)
    return inv


def _add_subdaily(path: Path, start: int, rows: int) -> None:
    import sqlite3

    con = sqlite3.connect(path)
    con.executemany(
        "INSERT INTO subdaily_weather (station_id, ts, t, rh, precip_trace, qc) "
        "VALUES (1, ?, ?, 70, 0, 0)",
        [(start + 600 * i, 5 + (i % 50) / 10) for i in range(rows)],
    )
    con.commit()
    con.close()


def _sqlite_dump(path: Path) -> list[tuple]:
    import sqlite3

    con = sqlite3.connect(path)
    names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    dump = [(n, con.execute(f"SELECT * FROM {n} ORDER BY 1").fetchall()) for n in sorted(names)]
    con.close()
    return dump


def _obs_process(*args: str, stderr: int = subprocess.PIPE) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", "from cli.main import main; main()", *args],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )


def _scalar(url: str, sql: str):
    eng = create_engine(url)
    try:
        with eng.connect() as conn:
            return conn.execute(text(sql)).scalar_one()
    finally:
        eng.dispose()


def test_second_push_sends_nothing_and_one_more_day_only_that_day(
    pg_url, tmp_path, _migrated_template
):
    field = _laptop(tmp_path / "field.db", _migrated_template)
    first = _counts(field.json("push", "--to", pg_url))
    assert first["subdaily_weather"]["inserted"] == ROWS
    again = _counts(field.json("push", "--to", pg_url))
    assert all(c["sent"] == 0 for t, c in again.items() if t not in ("station", "plot", "plant"))
    _add_subdaily(tmp_path / "field.db", 1_700_000_000 + 600 * ROWS, 144)
    field("record", "phenology", "--plant", "A-01", "--date", "2024-12-18", "--stage", "FLF")
    day = _counts(field.json("push", "--to", pg_url))
    assert day["subdaily_weather"]["sent"] == day["subdaily_weather"]["inserted"] == 144
    assert day["phenology"]["sent"] == day["phenology"]["inserted"] == 1
    assert _scalar(pg_url, "SELECT count(*) FROM subdaily_weather") == ROWS + 144


def test_a_changed_old_row_is_sent_and_updated_through_the_change_log(
    pg_url, tmp_path, _migrated_template
):
    import sqlite3

    field = _laptop(tmp_path / "field.db", _migrated_template)
    field("push", "--to", pg_url)
    con = sqlite3.connect(tmp_path / "field.db")
    con.execute("UPDATE subdaily_weather SET t = 31.5 WHERE id = 7")
    con.commit()
    con.close()
    counts = _counts(field.json("push", "--to", pg_url))
    assert counts["subdaily_weather"]["sent"] == 1 and counts["subdaily_weather"]["updated"] == 1
    ts = 1_700_000_000 + 600 * 6
    assert _scalar(pg_url, f"SELECT t FROM subdaily_weather WHERE ts = {ts}") == 31.5
    full = _counts(field.json("push", "--to", pg_url, "--full"))
    assert (
        full["subdaily_weather"]["unchanged"] == ROWS and full["subdaily_weather"]["updated"] == 0
    )


def test_two_field_databases_push_the_same_new_station_at_once_and_both_succeed(
    pg_url, tmp_path, _migrated_template
):
    one = tmp_path / "one.db"
    two = tmp_path / "two.db"
    _laptop(one, _migrated_template, rows=20_000)
    _laptop(two, _migrated_template, rows=20_000, start=1_800_000_000, seen="2025-12-03")
    pushes = [_obs_process("--db", str(db), "push", "--to", pg_url) for db in (one, two)]
    errors = [p.communicate(timeout=300)[1] for p in pushes]
    results = [(p.returncode, err) for p, err in zip(pushes, errors, strict=True)]
    assert [code for code, _ in results] == [0, 0], results
    assert not any("uq_station_code_live" in err or "Error" in err for _, err in results)
    assert _scalar(pg_url, "SELECT count(*) FROM station") == 1
    assert _scalar(pg_url, "SELECT count(*) FROM plant") == 1
    assert _scalar(pg_url, "SELECT count(*) FROM phenology") == 2
    assert _scalar(pg_url, "SELECT count(*) FROM subdaily_weather") == 40_000
    assert _scalar(pg_url, "SELECT count(*) FROM history WHERE action = 'adopt'") == 3


def test_a_push_killed_at_any_moment_leaves_central_consistent_and_the_next_completes_it(
    pg_url, tmp_path, _migrated_template
):
    path = tmp_path / "field.db"
    field = _laptop(path, _migrated_template, rows=150_000)
    killed_running = 0
    for delay in (0.4, 0.9, 1.4, 1.9, 2.4, 3.0):
        push = _obs_process("--db", str(path), "push", "--to", pg_url, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        if push.poll() is None:
            killed_running += 1
        push.send_signal(signal.SIGKILL)
        push.wait(timeout=60)
        stations = _scalar(pg_url, "SELECT count(*) FROM station")
        rows = _scalar(pg_url, "SELECT count(*) FROM subdaily_weather")
        phenology = _scalar(pg_url, "SELECT count(*) FROM phenology")
        # all of the push or none of it
        assert (stations, rows, phenology) in ((0, 0, 0), (1, 150_000, 1)), delay
    assert killed_running >= 3
    counts = _counts(field.json("push", "--to", pg_url))
    assert _scalar(pg_url, "SELECT count(*) FROM subdaily_weather") == 150_000
    assert counts["subdaily_weather"]["updated"] == 0
    assert _scalar(pg_url, "SELECT count(*) FROM station") == 1
    before = row_counts(pg_url)
    again = _counts(field.json("push", "--to", pg_url, "--full"))
    assert all(c["inserted"] == 0 and c["updated"] == 0 for c in again.values())
    assert row_counts(pg_url) == before


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("postgresql+psycopg://postgres@127.0.0.1:1/obs", "cannot connect to the central database"),
        ("NOUSER", 'role "nouser" does not exist'),
    ],
)
def test_a_central_database_down_or_refusing_the_login_changes_nothing(
    pg_url, tmp_path, _migrated_template, url, says
):
    path = tmp_path / "field.db"
    field = _laptop(path, _migrated_template, rows=10)
    if url == "NOUSER":
        url = pg_url.replace("postgres@", "nouser@")
    before, central = _sqlite_dump(path), row_counts(pg_url)
    result = field("push", "--to", url, expect=1)
    assert says in result.stderr and "Error:" in result.stderr and "Hint:" in result.stderr
    assert "nothing was pushed" in result.stderr and "obs init" not in result.stderr
    assert "Traceback" not in result.stderr
    assert _sqlite_dump(path) == before and row_counts(pg_url) == central


@pytest.mark.parametrize("revision", ["0001", "0003_later"])
def test_a_central_database_at_another_revision_is_refused_with_a_hint(
    pg_url, tmp_path, _migrated_template, revision
):
    path = tmp_path / "field.db"
    field = _laptop(path, _migrated_template, rows=10)
    eng = create_engine(pg_url)
    with eng.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
    eng.dispose()
    before, central = _sqlite_dump(path), row_counts(pg_url)
    result = field("push", "--to", pg_url, expect=1)
    assert f"schema is at revision {revision}" in result.stderr
    if revision == "0001":  # older: upgrade the central database
        assert f"Hint: run: obs --db {pg_url} init" in result.stderr
    else:  # newer than this obs: upgrade obs
        assert "Hint: the central database was upgraded by a newer obs" in result.stderr
    assert _sqlite_dump(path) == before and row_counts(pg_url) == central


def test_a_row_postgresql_refuses_in_the_bulk_copy_is_an_error_not_a_traceback(
    pg_url, tmp_path, _migrated_template
):
    import sqlite3

    path = tmp_path / "field.db"
    field = _laptop(path, _migrated_template, rows=10)
    con = sqlite3.connect(path)
    con.execute("UPDATE phenology SET note = 'a' || char(0) || 'b'")  # SQLite keeps a NUL
    con.commit()
    con.close()
    central = row_counts(pg_url)
    result = field("push", "--to", pg_url, expect=1)
    assert "Error:" in result.stderr and "Hint:" in result.stderr
    assert "Traceback" not in result.stderr
    assert row_counts(pg_url) == central
