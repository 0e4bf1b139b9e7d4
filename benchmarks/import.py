"""Benchmark of ``obs import weather`` against a raw sqlite3 ``executemany`` (not a test).

Usage::

    .venv/bin/python benchmarks/import.py            # 10 years of 10-minute data (525 600 rows)
    .venv/bin/python benchmarks/import.py --memory   # also peak RSS at 0.5 M and 5 M rows

The import is timed end to end as a subprocess (start-up, parse, QC, store, daily derivation)
on a fresh SQLite database. The raw rate is sqlite3 ``executemany`` of the same typed rows
into an equivalent table (same columns, same unique index on (station_id, ts)), in one
transaction, rows prepared in memory beforehand. Peak RSS comes from
``resource.getrusage(RUSAGE_CHILDREN)`` of a child process per measurement.
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SEED = 20240101
TEN_YEARS = 525_600


def generate(path: Path, rows: int) -> pd.DataFrame:
    """Reproducible 10-minute records of one station (BT timestamps), written as CSV."""
    rng = np.random.default_rng(SEED)
    times = pd.date_range("2015-01-01 00:10", periods=rows, freq="10min")
    step = np.arange(rows)
    t = 17 + 8 * np.sin(step / 52_560 * 2 * np.pi) + 5 * np.sin(step / 144 * 2 * np.pi)
    frame = pd.DataFrame(
        {
            "时间": times.strftime("%Y-%m-%d %H:%M"),
            "气温": (t + rng.normal(0, 0.3, rows)).round(1),
            "相对湿度": rng.integers(40, 100, rows),
            "降水量": np.where(rng.random(rows) < 0.03, 0.2, 0.0),
            "风速": rng.gamma(2.0, 1.0, rows).round(1),
        }
    )
    frame.to_csv(path, index=False)
    return frame


def fresh_db(path: Path) -> None:
    """A migrated database with station 57511."""
    code = (
        "from obs.db import make_engine, upgrade, session_scope; from obs.records import create;"
        f"e = make_engine({str(path)!r}); upgrade(e);"
        "s = session_scope(e).__enter__(); create('station', {'code': '57511', 'name': 'Beibei',"
        "'latitude': '29.83', 'longitude': '106.45'}, session=s); s.commit()"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def time_import(db: Path, csv: Path) -> float:
    """Seconds of ``obs import weather`` end to end."""
    cmd = [
        sys.executable,
        "-c",
        "from cli.main import main; main()",
        "--db",
        str(db),
        "import",
        "weather",
        str(csv),
        "--station",
        "57511",
        "--format",
        "json",
    ]
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


_RAW_TABLE = (
    "CREATE TABLE w (id INTEGER PRIMARY KEY, station_id INTEGER NOT NULL {fk_station}, "
    "ts BIGINT NOT NULL, t REAL, rh REAL, precip REAL, precip_trace BOOLEAN NOT NULL DEFAULT 0, "
    "wind_speed REAL, wind_dir REAL, wind_gust REAL, sunshine REAL, ground_t REAL, "
    "qc INTEGER NOT NULL DEFAULT 9, import_id INTEGER {fk_batch}, deleted_at DATETIME, "
    "UNIQUE (station_id, ts))"
)


def time_raw(db: Path, frame: pd.DataFrame, *, foreign_keys: bool) -> float:
    """Seconds of a raw executemany of the same rows into an equivalent table.

    With ``foreign_keys`` the table also has the two foreign keys of ``subdaily_weather``
    (station, import batch), enforced as obs enforces them; without, only the unique index.
    """
    offset = 8 * 3600
    ts = (pd.to_datetime(frame["时间"]).dt.as_unit("s").astype("int64") - offset).tolist()
    n = len(ts)
    columns = (frame[c].tolist() for c in ("气温", "相对湿度", "降水量", "风速"))
    rows = list(zip([1] * n, ts, *columns, [1] * n, strict=True))
    db.unlink(missing_ok=True)
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
    con.execute("CREATE TABLE s (id INTEGER PRIMARY KEY)")
    con.execute("CREATE TABLE b (id INTEGER PRIMARY KEY)")
    con.execute("INSERT INTO s VALUES (1)")
    con.execute("INSERT INTO b VALUES (1)")
    fks = {"fk_station": "REFERENCES s(id)", "fk_batch": "REFERENCES b(id)"}
    con.execute(_RAW_TABLE.format(**(fks if foreign_keys else dict.fromkeys(fks, ""))))
    con.commit()
    start = time.perf_counter()
    con.executemany(
        "INSERT INTO w (station_id, ts, t, rh, precip, wind_speed, import_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    con.commit()
    elapsed = time.perf_counter() - start
    con.close()
    return elapsed


def generate_apart(path: Path, rows: int) -> None:
    """Write the file from another process, so that this one stays small: a child forked from
    a large process counts the parent's pages in its peak RSS until it execs."""
    cmd = [sys.executable, __file__, "--generate", str(rows), str(path)]
    subprocess.run(cmd, cwd=ROOT, check=True)


def measure_child(rows: int, work: Path) -> None:
    """(In a child process) import the prepared file of ``rows`` rows; print its peak RSS [MiB]."""
    csv, db = work / f"m{rows}.csv", work / f"m{rows}.db"
    seconds = time_import(db, csv)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{seconds:.3f} {peak:.0f}")


def import_run(rows: int, work: Path) -> tuple[float, float]:
    """Seconds and peak RSS [MiB] of importing ``rows`` rows, in a child that runs only the import
    (``RUSAGE_CHILDREN`` covers every child, so the file is generated from here)."""
    generate_apart(work / f"m{rows}.csv", rows)
    fresh_db(work / f"m{rows}.db")
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(rows), str(work)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    seconds, peak = out.stdout.strip().splitlines()[-1].split()
    return float(seconds), float(peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--memory", action="store_true", help="also measure 0.5 M and 5 M rows")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--generate", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        generate(Path(args.generate[1]), int(args.generate[0]))
        return
    if args.child:
        measure_child(int(args.child[0]), Path(args.child[1]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        csv = work / f"m{TEN_YEARS}.csv"
        seconds, peak = import_run(TEN_YEARS, work)
        frame = pd.read_csv(csv)
        raw = time_raw(work / "raw.db", frame, foreign_keys=False)
        raw_fk = time_raw(work / "raw-fk.db", frame, foreign_keys=True)
        del frame
        print(f"rows: {TEN_YEARS} (10 years of 10-minute data, {csv.stat().st_size / 1e6:.1f} MB)")
        print(
            f"obs import weather: {seconds:.1f} s = {TEN_YEARS / seconds:,.0f} rows/s "
            "(start-up, parse, QC, store, daily derivation)"
        )
        print(f"raw sqlite3 executemany: {raw:.2f} s = {TEN_YEARS / raw:,.0f} rows/s")
        print(
            f"raw, with the table's two foreign keys enforced: {raw_fk:.2f} s = "
            f"{TEN_YEARS / raw_fk:,.0f} rows/s"
        )
        print(
            f"ratio import/raw: {raw / seconds:.2f}; against the foreign-keyed table: "
            f"{raw_fk / seconds:.2f} (target >= 0.5)"
        )
        print(f"peak RSS of the import: {peak:.0f} MiB")
        if args.memory:
            for rows in (500_000, 5_000_000):
                print(f"peak RSS importing {rows:,} rows: {import_run(rows, work)[1]:.0f} MiB")


if __name__ == "__main__":
    main()
