"""Benchmark of ``obs push`` into PostgreSQL against a psycopg ``COPY`` (not a test).

Usage::

    .venv/bin/python benchmarks/push.py                   # 525 600 rows, then the region report
    .venv/bin/python benchmarks/push.py --rows 52560      # smaller (one year)
    .venv/bin/python benchmarks/push.py --pg postgresql+psycopg://postgres@127.0.0.1:5432/postgres

A field database (SQLite) gets ten years of 10-minute data of station 57511 through
``obs import weather`` (so its days are derived as in the field). Then, against a fresh
PostgreSQL database ``obs_bench_push`` (dropped and created again; nothing else is touched):

1. first push, end to end as a subprocess (``obs --db field.db push --to …``: start-up, read,
   COPY into the staging table, merge, derived days, QC flags, history);
2. in the same run, the peer: psycopg ``COPY`` of the same sub-daily rows, read into memory
   beforehand, into an equivalent table (same columns, same unique index on (station_id, ts))
   in one transaction; the ratio push rate / COPY rate is reported (target ≥ 0.25);
3. a second push with nothing new (target ≤ 2 s);
4. one more day of 10-minute data imported, then a push (target ≤ 3 s);
5. ``obs report region`` over 10 stations × 10 seasons of phenology and daily weather
   (created directly in the central database; target ≤ 5 s), unless ``--no-region``.

Times are wall-clock of the subprocess; the client's CPU time is shown beside them (the
machine is shared: wall-clock times grow with its load, CPU times much less).

``--scale 1,10,50`` measures instead, for each count, a central database filled by pushing
that many field databases of 10 years of hourly data (87 600 rows; one station each, the same
generated weather under new codes and uids, phenology of 9 seasons), then ``obs report season``
of one station and ``obs report region`` of all (docs/scale.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
_spec = importlib.util.spec_from_file_location("bench_import", ROOT / "benchmarks" / "import.py")
assert _spec is not None and _spec.loader is not None
_bench_import = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_bench_import)
fresh_db, generate = _bench_import.fresh_db, _bench_import.generate

DB_NAME = "obs_bench_push"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
TEN_YEARS = 525_600

_PEER_TABLE = (
    "CREATE TABLE peer (id SERIAL PRIMARY KEY, station_id INTEGER NOT NULL, ts BIGINT NOT NULL, "
    "t DOUBLE PRECISION, rh DOUBLE PRECISION, precip DOUBLE PRECISION, "
    "precip_trace BOOLEAN NOT NULL, wind_speed DOUBLE PRECISION, wind_dir DOUBLE PRECISION, "
    "wind_gust DOUBLE PRECISION, sunshine DOUBLE PRECISION, ground_t DOUBLE PRECISION, "
    "qc INTEGER NOT NULL, deleted_at TIMESTAMPTZ, UNIQUE (station_id, ts))"
)
_COLUMNS = (
    "station_id, ts, t, rh, precip, precip_trace, wind_speed, wind_dir, wind_gust, sunshine, "
    "ground_t, qc, deleted_at"
)


#: CPU seconds (user + system) of the last :func:`obs` run: the wall-clock times depend on
#: what else the machine runs, the CPU time of the command itself much less.
LAST_CPU = [0.0]


def obs(*args: str, check: bool = True) -> tuple[float, str]:
    """Run ``obs ARGS`` as a subprocess; (seconds, stdout). Its CPU time goes to LAST_CPU."""
    cmd = [sys.executable, "-c", "from cli.main import main; main()", *args]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, check=check, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    LAST_CPU[0] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, done.stdout


def cpu() -> str:
    """`` (CPU 1.23 s)`` of the last run."""
    return f" (client CPU {LAST_CPU[0]:.2f} s)"


def fresh_central(admin_url: str) -> str:
    """Drop and create ``obs_bench_push``, migrate it; its URL."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{DB_NAME}"'))
    admin.dispose()
    url = admin_url.rsplit("/", 1)[0] + f"/{DB_NAME}"
    obs("--db", url, "init")
    return url


def time_copy(url: str, field: Path, *, foreign_key: bool = False) -> float:
    """Seconds of a psycopg COPY of the field database's sub-daily rows (read beforehand) into
    an equivalent table; with ``foreign_key`` the table also has subdaily_weather's foreign
    key to ``station``, checked as PostgreSQL checks it (per row)."""
    import sqlite3

    con = sqlite3.connect(field)
    rows = con.execute(f"SELECT {_COLUMNS} FROM subdaily_weather ORDER BY id").fetchall()
    con.close()
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn:
        station = conn.execute("SELECT min(id) FROM station").fetchone()[0]  # type: ignore[index]
        rows = [(station, *r[1:5], bool(r[5]), *r[6:]) for r in rows]
        ddl = _PEER_TABLE
        if foreign_key:
            ddl = ddl.replace("station_id INTEGER NOT NULL", "station_id INTEGER NOT NULL "
                              "REFERENCES station(id)")  # fmt: skip
        conn.execute("DROP TABLE IF EXISTS peer")
        conn.execute(ddl)
        conn.commit()
        start = time.perf_counter()
        with conn.cursor() as cur, cur.copy(f"COPY peer ({_COLUMNS}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        conn.commit()
        elapsed = time.perf_counter() - start
        conn.execute("DROP TABLE peer")
        conn.commit()
    return elapsed


def one_more_day(path: Path, rows: int, day: int = 0) -> None:
    """The 144 10-minute records of the ``day``-th day after the generated ones."""
    start = dt.datetime(2015, 1, 1) + dt.timedelta(minutes=10 * rows, days=day)
    lines = ["时间,气温,相对湿度,降水量,风速"]
    for i in range(1, 145):
        stamp = start + dt.timedelta(minutes=10 * i)
        lines.append(f"{stamp:%Y-%m-%d %H:%M},{12 + i % 7 * 0.3:.1f},70,0.0,1.2")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def in_process(field: Path, central: str, folder: Path, rows: int) -> tuple[float, float]:
    """Seconds of ``push_database`` called here: a push with nothing new, then one after a
    second extra day (imported by a subprocess) — the push's own work without start-up."""
    from obs.db import make_engine
    from obs.exchange.push import push_database

    engine = make_engine(str(field))
    start = time.perf_counter()
    push_database(engine, central)
    nothing = time.perf_counter() - start
    day = folder / "day_two.csv"
    one_more_day(day, rows, day=1)
    obs("--db", str(field), "import", "weather", str(day), "--station", "57511")
    start = time.perf_counter()
    push_database(engine, central)
    one_day = time.perf_counter() - start
    engine.dispose()
    return nothing, one_day


def region_setup(url: str, stations: int = 10, seasons: int = 10) -> None:
    """Stations with one plot, 3 plants, FLS/FLF/FLE of every season and daily weather
    (Nov–Mar) in the central database, through the engine (bulk, not timed)."""
    sys.path.insert(0, str(ROOT))
    from obs.db import make_engine, session_scope
    from schemas import tables as T

    rnd = random.Random(16)
    engine = make_engine(url)
    with session_scope(engine) as s:
        for n in range(stations):
            station = T.Station(
                code=f"R{n:04d}", name=f"区站{n}", latitude=29 + n / 10, longitude=106 + n / 10
            )
            s.add(station)
            s.flush()
            plot = T.Plot(code=f"RP{n:04d}", station_id=station.id, cultivar="SUXIN")
            s.add(plot)
            s.flush()
            plants = [T.Plant(tag=f"R{n}-{k}", plot_id=plot.id, cultivar="SUXIN") for k in range(3)]
            s.add_all(plants)
            s.flush()
            days = []
            for year in range(2014, 2014 + seasons):
                base = dt.date(year, 12, 1) + dt.timedelta(days=rnd.randint(-10, 10))
                for plant in plants:
                    for offset, stage in ((0, "FLS"), (12, "FLF"), (40, "FLE")):
                        day = base + dt.timedelta(days=offset + rnd.randint(0, 4))
                        s.add(
                            T.PhenologyObservation(
                                plant_id=plant.id, obs_date=day, stage_code=stage
                            )
                        )
                first = dt.date(year, 11, 1)
                for d in range(150):
                    day = first + dt.timedelta(days=d)
                    days.append(
                        {
                            "station_id": station.id,
                            "obs_date": day,
                            "t_mean": 8 + 4 * rnd.random(),
                            "t_max": 14.0,
                            "t_min": 3.0,
                            "precip": rnd.choice([0.0, 0.0, 1.2]),
                            "sunshine": 3.5,
                        }
                    )
            s.execute(T.DailyWeather.__table__.insert(), days)  # type: ignore[attr-defined]
    engine.dispose()


# --- scale: 1, 10, 50 stations of hourly data (docs/scale.md) -------------------------------

HOURLY_TEN_YEARS = 87_600


def scale_field(template: Path, path: Path, n: int, rnd: random.Random) -> None:
    """Field database of station S{n:03d}: a copy of ``template`` (10 years of hourly data of
    one station, imported) with new codes and uids, and 3 plants with FLS/FLF/FLE in every
    season at dates of its own."""
    import shutil
    import sqlite3

    shutil.copyfile(template, path)
    con = sqlite3.connect(path)
    new_uid = "lower(hex(randomblob(16)))"
    con.execute(
        f"UPDATE station SET code = ?, name = ?, latitude = ?, uid = {new_uid}",
        (f"S{n:03d}", f"站{n}", 28 + n * 0.05),
    )
    con.execute(f"UPDATE daily_weather SET uid = {new_uid}")
    con.commit()
    con.close()
    from obs.db import make_engine, session_scope
    from schemas import tables as T

    engine = make_engine(str(path))
    with session_scope(engine) as s:
        plot = T.Plot(code=f"P{n:03d}", station_id=1, cultivar="SUXIN")
        s.add(plot)
        s.flush()
        plants = [T.Plant(tag=f"S{n:03d}-{k}", plot_id=plot.id, cultivar="SUXIN") for k in range(3)]
        s.add_all(plants)
        s.flush()
        for season in range(1990, 1999):
            base = dt.date(season, 12, 1) + dt.timedelta(days=rnd.randint(-12, 12))
            for k, plant in enumerate(plants):
                for offset, stage in ((0, "FLS"), (12, "FLF"), (40, "FLE")):
                    day = base + dt.timedelta(days=offset + k + rnd.randint(0, 2))
                    s.add(T.PhenologyObservation(plant_id=plant.id, obs_date=day, stage_code=stage))
    engine.dispose()


def database_size(url: str) -> int:
    """Bytes of the central database (pg_database_size)."""
    engine = create_engine(url)
    with engine.connect() as conn:
        size = conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
    engine.dispose()
    return int(size)


def scale(admin_url: str, counts: list[int]) -> None:
    """For each count of stations: a fresh central database, every station's field database
    pushed (timed), then the season report of one station and the region report of all."""
    rnd = random.Random(16)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv, template = folder / "hourly.csv", folder / "template.db"
        generate(csv, HOURLY_TEN_YEARS, minutes=60)
        fresh_db(template)
        obs("--db", str(template), "import", "weather", str(csv), "--station", "57511")
        print(
            "| stations | sub-daily rows | pushes: total (mean, max) | season report | "
            "region report | database size |"
        )
        print("|---|---|---|---|---|---|")
        for count in counts:
            central = fresh_central(admin_url)
            times, cpus = [], []
            for n in range(count):
                field = folder / f"field{n}.db"
                scale_field(template, field, n, rnd)
                seconds, _ = obs("--db", str(field), "push", "--to", central)
                times.append(seconds)
                cpus.append(LAST_CPU[0])
                field.unlink()
            season, _ = obs("--db", central, "report", "season", "1997", "--station", "S000")
            season_cpu = LAST_CPU[0]
            region, _ = obs("--db", central, "report", "region", "--season", "1997")
            region_cpu = LAST_CPU[0]
            size = database_size(central)
            print(
                f"| {count} | {count * HOURLY_TEN_YEARS:,} | {sum(times):.1f} s "
                f"({sum(times) / count:.2f} s, {max(times):.2f} s; client CPU "
                f"{sum(cpus) / count:.2f} s each) | {season:.2f} s (CPU {season_cpu:.2f} s) | "
                f"{region:.2f} s (CPU {region_cpu:.2f} s) | {size / 2**20:.0f} MiB |",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=TEN_YEARS)
    parser.add_argument("--pg", default=DEFAULT_PG)
    parser.add_argument("--no-region", action="store_true")
    parser.add_argument(
        "--scale", help="instead: stations of 10 years of hourly data each, e.g. 1,10,50"
    )
    args = parser.parse_args()
    if args.scale:
        scale(args.pg, [int(n) for n in args.scale.split(",")])
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv, field = folder / "ten_years.csv", folder / "field.db"
        generate(csv, args.rows)
        fresh_db(field)
        seconds, _ = obs("--db", str(field), "import", "weather", str(csv), "--station", "57511")
        print(f"field database: {args.rows} rows imported in {seconds:.1f} s")
        central = fresh_central(args.pg)
        first, out = obs("--db", str(field), "push", "--to", central, "--format", "json")
        counts = {r["table"]: r for r in json.loads(out)}
        sub = counts["subdaily_weather"]["inserted"]
        days = counts["daily_weather"]["inserted"]
        copy = time_copy(central, field)
        copy_fk = time_copy(central, field, foreign_key=True)
        print(
            f"first push: {sub} sub-daily rows + {days} days in {first:.2f} s "
            f"({sub / first:,.0f} rows/s){cpu()}"
        )
        print(f"psycopg COPY of the same rows: {copy:.2f} s ({sub / copy:,.0f} rows/s)")
        print(f"ratio push / COPY rate: {copy / first:.2f} (target >= 0.25)")
        print(
            f"  COPY into a table that also has the foreign key to station: {copy_fk:.2f} s; "
            f"ratio push / that rate: {copy_fk / first:.2f}"
        )
        second, _ = obs("--db", str(field), "push", "--to", central)
        print(f"second push, nothing new: {second:.2f} s{cpu()} (target <= 2 s)")
        floor, _ = obs("--db", str(field), "station", "list")
        print(f"  for reference, obs station list (start-up floor): {floor:.2f} s{cpu()}")
        day = folder / "one_more_day.csv"
        one_more_day(day, args.rows)
        obs("--db", str(field), "import", "weather", str(day), "--station", "57511")
        third, out = obs("--db", str(field), "push", "--to", central, "--format", "json")
        sent = {r["table"]: r["sent"] for r in json.loads(out)}
        print(
            f"push after one more day ({sent['subdaily_weather']} sub-daily rows, "
            f"{sent['daily_weather']} days sent): {third:.2f} s{cpu()} (target <= 3 s)"
        )
        inside_second, inside_day = in_process(field, central, folder, args.rows)
        print(
            f"  the push itself, in this process (no interpreter start-up): nothing new "
            f"{inside_second:.2f} s, one more day {inside_day:.2f} s"
        )
        if not args.no_region:
            region_setup(central)
            codes = ",".join(f"R{n:04d}" for n in range(10))
            report, _ = obs(
                "--db", central, "report", "region", "--year", "2023", "--stations", codes
            )
            print(
                f"obs report region, 10 stations x 10 seasons: {report:.2f} s{cpu()} "
                "(target <= 5 s)"
            )


if __name__ == "__main__":
    main()
