"""Wall time and peak memory of ``obs report season`` and ``obs report year`` on a big database.

Builds (once, cached under --dir) an SQLite database with station 57511, plot JG-A with ten
marked plants, 30 seasons of daily weather, 30 years of sub-daily temperatures and 30 seasons of
phenology visits, then runs both reports as fresh subprocesses and prints wall time and peak
RSS (``os.wait4`` per process, and ``resource.getrusage(RUSAGE_CHILDREN)`` overall).

Sub-daily rows: 30 years at a 60-s step give 15.8 M rows (the target size of the brief; a
10-minute step would give 1.58 M). Data are generated inside SQLite with recursive CTEs and a
deterministic hash in place of random numbers, so the database is the same on every run.

Targets (not a test): each report ≤ 3 s and ≤ 1 GB on the 2-core project machine.
Building the 60-s database takes ~100 s, so it is built once and reused: ``--db PATH`` names
the file (default ``<dir>/bench-<step>s.db``), ``--reuse`` refuses to build (fails when the
file is missing), ``--rebuild`` forces a new one. Each report runs ``--repeat`` times; the
load average is printed before every run, since other jobs on the machine lengthen wall time
(CPU time, user + sys, is the steadier figure).
Deliverables (issue 15): the demo database's year report as PDF and XLSX end to end (fresh
``obs`` processes, chart included), beside the same report as Markdown measured in the same
run (the peer: the ratio says what the form costs over the data), and the chart alone per
chart (PNG and SVG, in one process after a warm-up, so matplotlib's import is not counted).
Targets: PDF ≤ 3 s end to end, ≤ 1 s per chart. ``--deliverables-only`` skips the big database.
Run: ``.venv/bin/python benchmarks/report.py [--db /tmp/obs-bench/bench-60s.db --reuse]
[--dir /tmp/obs-bench] [--step 60] [--rebuild] [--repeat 3] [--deliverables-only]``
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

FIRST_SEASON, LAST_SEASON = 1995, 2024
OBS = [sys.executable, "-c", "from cli.main import main; main()"]
#: Deterministic noise in [0, 1) from an integer column x (Knuth multiplicative hash).
NOISE = "(((({x}) * 2654435761) % 4294967296) / 4294967296.0)"
#: (stage, day of season of the median plant) for the synthetic phenology.
STAGES = (
    ("FBV", 126),
    ("LCS", 204),
    ("LFS", 224),
    ("FBC", 237),
    ("FLS", 248),
    ("LFE", 264),
    ("FLF", 270),
    ("FLE", 300),
    ("LBS", 320),
    ("LBB", 333),
    ("LUS", 345),
    ("LUF", 355),
)


def build(path: Path, step: int) -> None:
    """Create and fill the benchmark database at ``path``."""
    from obs.db import make_engine, session_scope, upgrade
    from obs.records.create import create

    engine = make_engine(str(path))
    upgrade(engine)
    with session_scope(engine) as s:
        create(
            "station",
            {"code": "57511", "name": "北碚", "latitude": "29.83", "longitude": "106.45"},
            session=s,
        )
        create("plot", {"code": "JG-A", "station": "57511", "cultivar": "SUXIN"}, session=s)
        for n in range(1, 11):
            create("plant", {"tag": f"A-{n:02d}", "plot": "JG-A"}, session=s)
    engine.dispose()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    _daily(conn)
    _subdaily(conn, step)
    _phenology(conn)
    conn.commit()
    conn.close()


def _extra(conn: sqlite3.Connection, table: str, given: str) -> tuple[str, str]:
    """Columns (and zero values) of NOT NULL columns without default that ``given`` lacks.

    Keeps the raw inserts working when the schema grows a flag column.
    """
    named = {c.strip() for c in given.split(",")}
    cols = [
        r[1]
        for r in conn.execute(f"PRAGMA table_info({table})")
        if r[3] and r[4] is None and not r[5] and r[1] not in named
    ]
    return "".join(f", {c}" for c in cols), "".join(", 0" for _ in cols)


def _daily(conn: sqlite3.Connection) -> None:
    noise = NOISE.format(x="d")
    given = (
        "uid, created_at, created_by, qc, note, station_id, obs_date, t_mean, t_max, "
        "t_min, precip, precip_trace, sunshine, phenomena, tmean_method, source, observer"
    )
    cols, zeros = _extra(conn, "daily_weather", given)
    conn.execute(f"""
        INSERT INTO daily_weather ({given}{cols})
        WITH RECURSIVE days(d) AS (SELECT 0 UNION ALL SELECT d + 1 FROM days
                                   WHERE d < julianday('{LAST_SEASON + 1}-03-31')
                                           - julianday('{FIRST_SEASON}-04-01')),
        base AS (SELECT d, date('{FIRST_SEASON}-04-01', '+' || d || ' days') AS day,
                 18.5 + 10.5 * cos(2 * pi() * (d + 91 - 208) / 365.25)
                 + 4 * ({noise} - 0.5) AS t, {noise} AS u FROM days)
        SELECT lower(hex(randomblob(16))), '2025-04-01 00:00:00', 'bench', 9, '', 1, day,
               round(t, 1), round(t + 4, 1), round(t - 3.5, 1),
               CASE WHEN u < 0.42 THEN round(u * 40, 1) ELSE 0 END, 0,
               round(2 + 5 * u, 1), '', '24h', 'aws', ''{zeros} FROM base""")


def _subdaily(conn: sqlite3.Connection, step: int) -> None:
    start = int(time.mktime(time.strptime(f"{FIRST_SEASON}-04-01", "%Y-%m-%d"))) // 86400
    end = int(time.mktime(time.strptime(f"{LAST_SEASON + 1}-04-01", "%Y-%m-%d"))) // 86400
    first, last = start * 86400 - 8 * 3600, end * 86400 - 8 * 3600
    noise = NOISE.format(x="ts")
    cols, zeros = _extra(conn, "subdaily_weather", "station_id, ts, t, qc")
    conn.execute(f"""
        INSERT INTO subdaily_weather (station_id, ts, t, qc{cols})
        WITH RECURSIVE s(ts) AS (SELECT {first + step} UNION ALL SELECT ts + {step} FROM s
                                 WHERE ts < {last})
        SELECT 1, ts, round(18.5 + 10.5 * cos(2 * pi() * (ts / 86400.0 - 208) / 365.25)
                            + 4 * sin(2 * pi() * ((ts + 28800) % 86400 - 32400) / 86400.0)
                            + 2 * ({noise} - 0.5), 1), 9{zeros} FROM s""")


def _phenology(conn: sqlite3.Connection) -> None:
    rows = []
    for season in range(FIRST_SEASON, LAST_SEASON + 1):
        shift = (season * 7919) % 11 - 5
        for plant in range(1, 11):
            for stage, doy in STAGES:
                day = doy + shift + (plant * 31 + season) % 7 - 3
                rows.append((season, day, stage, plant))
    conn.executemany(
        """
        INSERT INTO phenology (uid, created_at, created_by, qc, note, plant_id, obs_date,
            stage_code, reached, observer)
        VALUES (lower(hex(randomblob(16))), '2025-04-01 00:00:00', 'bench', 9, '', ?4,
                date(?1 || '-04-01', '+' || ?2 || ' days'), ?3, 1, 'bench')""",
        rows,
    )


def run(args: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall time [s], CPU time (user + sys) [s] and peak RSS [MB] of one ``obs`` subprocess.

    CPU time is given too because wall time grows when other jobs share the machine.
    """
    begin = time.perf_counter()
    proc = subprocess.Popen(
        [*OBS, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - begin
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(
            f"obs {' '.join(args)} failed: {proc.stderr.read().decode() if proc.stderr else ''}"
        )
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


CHART_TIMER = """
import sys, time
from obs.db import make_engine, session_scope
from obs.reports import year_report
from obs.reports.charts import report_chart
engine = make_engine(sys.argv[1])
with session_scope(engine) as session:
    report = year_report(session=session, year=2024, station="57511")
report_chart(report, "png", "zh")  # warm-up: imports, font registration
for fmt in ("png", "svg"):
    begin = time.perf_counter(); cpu = time.process_time()
    chart = report_chart(report, fmt, "zh")
    assert chart.lang == "zh" and chart.note is None
    print(fmt, time.perf_counter() - begin, time.process_time() - cpu)
"""


def deliverables(folder: Path, repeat: int, env: dict[str, str]) -> None:
    """Year report of the demo database as md (peer), pdf and xlsx; then the chart alone."""
    from obs.demo import build_demo

    demo = folder / "demo.db"
    if not demo.exists():
        build_demo(demo)
    print(f"demo database {demo}; load average {os.getloadavg()[0]:.1f}")
    best: dict[str, tuple[float, float]] = {}
    for fmt in ("md", "pdf", "xlsx"):
        for _ in range(repeat):
            out = folder / f"year2024.{fmt}"
            wall, cpu, rss = run(
                ["--db", str(demo), "report", "year", "2024", "-f", fmt, "-o", str(out)], env
            )
            print(f"year report {fmt}: {wall:.2f} s wall, {cpu:.2f} s CPU, peak RSS {rss:.0f} MB")
            if fmt not in best or cpu < best[fmt][1]:
                best[fmt] = (wall, cpu)
    for fmt in ("pdf", "xlsx"):
        wall, cpu = best[fmt]
        print(
            f"best {fmt}: {wall:.2f} s wall ({'ok' if wall <= 3 else 'over'} the 3 s target), "
            f"{cpu:.2f} s CPU = {cpu / best['md'][1]:.2f} x the md report"
        )
    proc = subprocess.run(
        [sys.executable, "-c", CHART_TIMER, str(demo)], env=env, capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    for line in proc.stdout.splitlines():
        fmt, wall, cpu = line.split()
        print(f"chart {fmt}: {float(wall):.2f} s wall, {float(cpu):.2f} s CPU (target ≤ 1 s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/obs-bench"))
    parser.add_argument("--step", type=int, default=60, help="sub-daily step [s]")
    parser.add_argument("--db", type=Path, help="database file (default <dir>/bench-<step>s.db)")
    parser.add_argument("--reuse", action="store_true", help="never build; fail if --db is missing")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each report")
    parser.add_argument("--deliverables-only", action="store_true", help="only PDF/XLSX/chart")
    opts = parser.parse_args()
    opts.dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "OBS_CONFIG": "/nonexistent", "PYTHONPATH": str(Path(__file__).parents[1])}
    deliverables(opts.dir, opts.repeat, env)
    if opts.deliverables_only:
        return
    db = opts.db or opts.dir / f"bench-{opts.step}s.db"
    if opts.reuse and not db.exists():
        sys.exit(f"--reuse: {db} does not exist; build it once without --reuse")
    if opts.rebuild or not db.exists():
        db.unlink(missing_ok=True)
        begin = time.perf_counter()
        build(db, opts.step)
        print(f"built {db} in {time.perf_counter() - begin:.0f} s")
    with sqlite3.connect(db) as conn:
        n_sub = conn.execute("SELECT COUNT(*) FROM subdaily_weather").fetchone()[0]
        n_phe = conn.execute("SELECT COUNT(*) FROM phenology").fetchone()[0]
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(
        f"sub-daily rows: {n_sub:,}; phenology rows: {n_phe:,}; "
        f"file {db.stat().st_size / 2**20:.0f} MB"
    )
    for name, cmd in (
        ("season", ["report", "season", str(LAST_SEASON)]),
        ("year", ["report", "year", str(LAST_SEASON)]),
    ):
        out = opts.dir / f"{name}.md"
        for _ in range(opts.repeat):
            load = os.getloadavg()[0]
            wall, cpu, rss = run(
                ["--db", str(db), *cmd, "--station", "57511", "-f", "md", "-o", str(out)], env
            )
            print(
                f"obs report {name}: {wall:.2f} s wall, {cpu:.2f} s CPU, peak RSS {rss:.0f} MB "
                f"(load average {load:.1f} before)"
            )
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        f"RUSAGE_CHILDREN: max RSS {children.ru_maxrss / 1024:.0f} MB, "
        f"user {children.ru_utime:.2f} s, sys {children.ru_stime:.2f} s"
    )


if __name__ == "__main__":
    main()
