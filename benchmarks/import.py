"""Benchmark of ``obs import weather`` against a raw sqlite3 ``executemany`` (not a test).

Usage::

    .venv/bin/python benchmarks/import.py            # 10 years of 10-minute data (525 600 rows)
    .venv/bin/python benchmarks/import.py --memory   # also peak RSS at 0.5 M and 5 M rows
    .venv/bin/python benchmarks/import.py --big      # also a 2 GB file (1-minute data, ~9 min)
    .venv/bin/python benchmarks/import.py --rows 5256000  # 100 years: start-up weighs less

The import is timed end to end as a subprocess (start-up, parse, QC, store, daily derivation)
on a fresh SQLite database. The raw rate is sqlite3 ``executemany`` of the same typed rows
into an equivalent table (same columns, same unique index on (station_id, ts)), in one
transaction, rows prepared in memory beforehand. Each is run ``--repeat`` times (import and raw
interleaved) and the median is reported with the range. Peak RSS comes from
``resource.getrusage(RUSAGE_CHILDREN)`` of a child process per measurement (the largest
process); peak PSS sums the import and its read-ahead process, sampled from /proc (Linux).
With ``OBS_READ_AHEAD=0`` in the environment the import reads in one process.
"""

from __future__ import annotations

import argparse
import os
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
#: Rows of the ``--big`` file: 1-minute data from 1990, a little over 2 GB of CSV.
BIG_ROWS = 62_000_000


#: Rows generated and written at a time (the generator's memory stays bounded too).
PIECE_ROWS = 1_000_000


def generate(path: Path, rows: int, minutes: int = 10) -> None:
    """Reproducible records of one station every ``minutes`` (BT timestamps), written as CSV
    piece by piece."""
    rng = np.random.default_rng(SEED)
    per_day = 24 * 60 // minutes
    start = pd.Timestamp("2015-01-01 00:00") if minutes == 10 else pd.Timestamp("1990-01-01")
    for first in range(0, rows, PIECE_ROWS):
        n = min(PIECE_ROWS, rows - first)
        step = np.arange(first, first + n)
        times = start + pd.to_timedelta((step + 1) * minutes, unit="min")
        t = (
            17
            + 8 * np.sin(step / (365 * per_day) * 2 * np.pi)
            + 5 * np.sin(step / per_day * 2 * np.pi)
        )
        noise = 0.3 * np.sqrt(minutes / 10)  # sensor noise between records shrinks with them
        frame = pd.DataFrame(
            {
                "时间": times.strftime("%Y-%m-%d %H:%M"),
                "气温": (t + rng.normal(0, noise, n)).round(1),
                "相对湿度": rng.integers(40, 100, n),
                "降水量": np.where(rng.random(n) < 0.03, 0.2, 0.0),
                "风速": rng.gamma(2.0, 1.0, n).round(1),
            }
        )
        frame.to_csv(path, index=False, mode="w" if first == 0 else "a", header=first == 0)


def fresh_db(path: Path) -> None:
    """A migrated database with station 57511."""
    code = (
        "from obs.db import make_engine, upgrade, session_scope;"
        "from obs.records.create import create;"
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
    os.sync()  # the writes before (the fresh database, a raw run) are not flushed in this time
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
    os.sync()  # as before the import: earlier writes are not flushed in this time
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


def generate_apart(path: Path, rows: int, minutes: int = 10) -> None:
    """Write the file from another process, so that this one stays small: a child forked from
    a large process counts the parent's pages in its peak RSS until it execs."""
    cmd = [sys.executable, __file__, "--generate", str(rows), str(path), str(minutes)]
    subprocess.run(cmd, cwd=ROOT, check=True)


def measure_child(csv: Path, db: Path) -> None:
    """(In a child process) import ``csv`` into ``db``; print the seconds and peak RSS [MiB]."""
    seconds = time_import(db, csv)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{seconds:.3f} {peak:.0f}")


def import_run(csv: Path, db: Path) -> tuple[float, float]:
    """Seconds and peak RSS [MiB] of importing ``csv`` into a fresh ``db``, in a child that runs
    only the import (``RUSAGE_CHILDREN`` covers every child, so files are made from here)."""
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    fresh_db(db)
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(csv), str(db)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    seconds, peak = out.stdout.strip().splitlines()[-1].split()
    return float(seconds), float(peak)


def _process_tree(pid: int) -> list[int]:
    pids, i = [pid], 0
    while i < len(pids):
        try:
            for task in os.listdir(f"/proc/{pids[i]}/task"):
                with open(f"/proc/{pids[i]}/task/{task}/children") as handle:
                    pids += [int(child) for child in handle.read().split()]
        except OSError:
            pass
        i += 1
    return pids


def _pss_mib(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                total += next(int(ln.split()[1]) for ln in handle if ln.startswith("Pss:"))
        except (OSError, StopIteration):
            pass
    return total / 1024


def memory_run(csv: Path, db: Path) -> tuple[float, float]:
    """Seconds and peak PSS [MiB] of the import and its read-ahead process together (memory they
    share counted once), sampled every 50 ms from /proc (Linux)."""
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    fresh_db(db)
    cmd = [sys.executable, "-c", "from cli.main import main; main()", "--db", str(db)]
    cmd += ["import", "weather", str(csv), "--station", "57511", "--format", "json"]
    start, peak = time.perf_counter(), 0.0
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL)
    while proc.poll() is None:
        peak = max(peak, _pss_mib(_process_tree(proc.pid)))
        time.sleep(0.05)
    if proc.returncode:
        raise SystemExit(f"the import failed with exit code {proc.returncode}")
    return time.perf_counter() - start, peak


def _median(values: list[float]) -> str:
    ordered = sorted(values)
    middle = ordered[len(ordered) // 2]
    return f"{middle:.2f} s (range {ordered[0]:.2f}–{ordered[-1]:.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--memory", action="store_true", help="also measure 0.5 M and 5 M rows")
    parser.add_argument("--big", action="store_true", help="also import a 2 GB file")
    parser.add_argument("--big-only", action="store_true", help="only the 2 GB file")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement")
    parser.add_argument(
        "--rows", type=int, default=TEN_YEARS, help="rows of 10-minute data (default 10 years)"
    )
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--generate", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        generate(Path(args.generate[1]), int(args.generate[0]), int(args.generate[2]))
        return
    if args.child:
        measure_child(Path(args.child[0]), Path(args.child[1]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.big_only:
            big(work)
            return
        rows = args.rows
        csv = work / f"m{rows}.csv"
        generate_apart(csv, rows)
        frame = pd.read_csv(csv)
        runs: dict[str, list[float]] = {"import": [], "raw": [], "raw_fk": []}
        peak = 0.0
        for _ in range(args.repeat):
            seconds, rss = import_run(csv, work / "m.db")
            runs["import"].append(seconds)
            peak = max(peak, rss)
            runs["raw"].append(time_raw(work / "raw.db", frame, foreign_keys=False))
            runs["raw_fk"].append(time_raw(work / "raw-fk.db", frame, foreign_keys=True))
        del frame
        median = {k: sorted(v)[len(v) // 2] for k, v in runs.items()}
        years = rows / TEN_YEARS * 10
        print(
            f"rows: {rows} ({years:g} years of 10-minute data, {csv.stat().st_size / 1e6:.1f} MB)"
        )
        print(f"runs of each: {args.repeat}, interleaved; medians")
        print(
            f"obs import weather: {_median(runs['import'])} = "
            f"{rows / median['import']:,.0f} rows/s (start-up, parse, QC, store, daily)"
        )
        print(
            f"raw sqlite3 executemany: {_median(runs['raw'])} = {rows / median['raw']:,.0f} rows/s"
        )
        print(f"raw, with the table's two foreign keys enforced: {_median(runs['raw_fk'])}")
        print(
            f"ratio import/raw: {median['raw'] / median['import']:.2f}; against the "
            f"foreign-keyed table: {median['raw_fk'] / median['import']:.2f} "
            "(targets: >= 0.4 at 525 600 rows, >= 0.8 at 5 256 000)"
        )
        print(f"peak RSS of the import: {peak:.0f} MiB")
        if args.memory:
            for n in (500_000, 5_000_000):
                path = work / f"m{n}.csv"
                generate_apart(path, n)
                rss = import_run(path, work / "m.db")[1]
                pss = memory_run(path, work / "m.db")[1]
                print(
                    f"importing {n:,} rows: peak RSS {rss:.0f} MiB (largest process), "
                    f"peak PSS {pss:.0f} MiB (import and read-ahead together)"
                )
                path.unlink()
        if args.big:
            big(work)


def big(work: Path) -> None:
    """Import a file of a little over 2 GB; print its time and the peak RSS."""
    path = work / "big.csv"
    generate_apart(path, BIG_ROWS, minutes=1)
    seconds, pss = memory_run(path, work / "big.db")
    print(
        f"{path.stat().st_size / 1e9:.2f} GB file ({BIG_ROWS:,} rows of 1-minute data): "
        f"{seconds:.0f} s = {BIG_ROWS / seconds:,.0f} rows/s, peak PSS {pss:.0f} MiB "
        "(import and read-ahead together)"
    )


if __name__ == "__main__":
    main()
