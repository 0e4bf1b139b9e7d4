"""Field rounds: storing a round of ``obs visit``, and ``obs due`` over a district's plots.

1. A scripted round of 20 plants through a pseudo-terminal (pexpect): the time from the last
   answer (``y`` to "store the round?") to the message that the round is stored — the one
   transaction of 20 validated records (target ≤ 0.3 s). Median of ``--rounds`` rounds. The
   same store is also timed in this process (wall and CPU time), which tells the work apart
   from the machine's load.
2. ``obs due --format json`` over 10 plots × 20 plants × 6 seasons of visits, against the floor
   ``python -c "import sqlmodel, typer"`` measured in the same run, interleaved (target ≤ 1.2×;
   also against the floor that exits with the collector frozen, as obs does).

Run: ``.venv/bin/python benchmarks/visit.py [--rounds 5] [--runs 11]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OBS = [sys.executable, "-c", "from cli.main import main; main()"]
FLOOR = [sys.executable, "-c", "import sqlmodel, typer"]
FROZEN_EXIT_FLOOR = [
    sys.executable,
    "-c",
    "import atexit, gc; atexit.register(gc.freeze); import sqlmodel, typer",
]
PLOTS, PLANTS, SEASONS = 10, 20, 6
#: Visit days per season: every 2 days from 1 November to the end of February.
VISITS = 60
#: Stages through a season, by visit number.
SEASON_STAGES = ((0, "FBC"), (10, "FLS"), (25, "FLF"), (45, "FLE"))


def run_obs(db: Path, env: dict[str, str], *args: str) -> None:
    subprocess.run([*OBS, "--db", str(db), *args], env=env, check=True, capture_output=True)


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def sites(db: Path, env: dict[str, str], plots: int) -> None:
    run_obs(db, env, "init")
    run_obs(
        db,
        env,
        "station",
        "add",
        "57511",
        "--name",
        "北碚",
        "--latitude",
        "29.83",
        "--longitude",
        "106.45",
    )
    for p in range(plots):
        code = f"P{p:02d}"
        run_obs(db, env, "plot", "add", code, "--station", "57511", "--cultivar", "SUXIN")
        run_obs(db, env, "plant", "add", f"{code}-01..{code}-{PLANTS:02d}", "--plot", code)


def round_seconds(db: Path, env: dict[str, str], day: dt.date) -> float:
    """One scripted round over plot P00; seconds from the confirmation to the stored note."""
    import pexpect

    child = pexpect.spawn(
        OBS[0],
        [
            *OBS[1:],
            "--db",
            str(db),
            "visit",
            "--plot",
            "P00",
            "--date",
            day.isoformat(),
            "--time",
            "14:00",
            "--observer",
            "王芳",
        ],
        env={k: v for k, v in env.items() if k != "OBS_NO_PROMPT"},
        encoding="utf-8",
        timeout=60,
    )
    for n in range(PLANTS):
        child.expect(rf"\[{n + 1}/{PLANTS}\]")
        child.expect("发育期")
        child.sendline("FLS")
        for answer in (str(n + 1), "40", "0"):
            child.expect(": ")
            child.sendline(answer)
        child.expect("备注")
        child.sendline("")
    child.expect(r"保存本轮？\[y/n\]: ")
    start = time.perf_counter()
    child.sendline("y")
    child.expect("已保存")
    seconds = time.perf_counter() - start
    child.expect(pexpect.EOF)
    child.close()
    if child.exitstatus != 0:
        raise SystemExit(f"obs visit exited {child.exitstatus}")
    return seconds


def store_in_process(db: Path, day: dt.date) -> tuple[float, float]:
    """(wall, CPU) seconds of obs.rounds.store.store_round for a round of plot P00."""
    from obs.db import make_engine, session_scope
    from obs.rounds.plan import plan_round
    from obs.rounds.store import RoundEntry, prepare_store, store_round

    engine = make_engine(str(db), create=False)
    with session_scope(engine) as session:
        plan = plan_round(session, "P00", day)
    prepare_store(day)
    entries = [RoundEntry(s.tag, s.plant_id, "FLS", flowers_open=5) for s in plan.steps]
    wall, cpu = time.perf_counter(), time.process_time()
    with session_scope(engine) as session:
        store_round(session, plan, entries, observer="王芳", time=dt.time(14))
    result = time.perf_counter() - wall, time.process_time() - cpu
    engine.dispose()
    return result


def seasons_of_visits(db: Path) -> int:
    """6 seasons of phenology for every plant, written straight into the table (fast)."""
    from sqlalchemy import create_engine, insert, select

    from schemas.phenology_table import PhenologyObservation
    from schemas.site_tables import Plant
    from schemas.table_base import new_uid

    engine = create_engine(f"sqlite:///{db}")
    table = PhenologyObservation.__table__  # type: ignore[attr-defined]
    with engine.begin() as conn:
        plants = conn.execute(select(Plant.__table__.c.id)).scalars().all()  # type: ignore[attr-defined]
        rows = []
        for season in range(2018, 2018 + SEASONS):
            start = dt.date(season, 11, 1)
            for visit in range(VISITS):
                stage = [s for n, s in SEASON_STAGES if n <= visit][-1]
                day = start + dt.timedelta(days=2 * visit)
                rows += [
                    {
                        "uid": new_uid(),
                        "plant_id": pid,
                        "obs_date": day,
                        "stage_code": stage,
                        "reached": True,
                        "observer": "王芳",
                        "created_at": dt.datetime.now(dt.UTC),
                        "percent": 50.0,
                    }
                    for pid in plants
                ]
        conn.execute(insert(table), rows)
    engine.dispose()
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    env = {**os.environ, "OBS_CONFIG": "/nonexistent", "OBS_NO_PROMPT": "1", "NO_COLOR": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        sites(db, env, PLOTS)
        stored = [
            round_seconds(db, env, dt.date(2025, 1, 1) + dt.timedelta(days=i))
            for i in range(args.rounds)
        ]
        here = [
            store_in_process(db, dt.date(2025, 2, 1) + dt.timedelta(days=i))
            for i in range(args.rounds)
        ]
        visits = seasons_of_visits(db)
        due = [*OBS, "--db", str(db), "due", "--date", "2024-01-10", "--format", "json"]
        for _ in range(2):  # warm the OS file cache
            timed(FLOOR, env)
            timed(due, env)
        samples: dict[str, list[float]] = {"floor": [], "due": [], "frozen": []}
        for _ in range(args.runs):
            samples["floor"].append(timed(FLOOR, env))
            samples["due"].append(timed(due, env))
            samples["frozen"].append(timed(FROZEN_EXIT_FLOOR, env))
    floor, due_s, frozen = (statistics.median(samples[k]) for k in ("floor", "due", "frozen"))
    print(
        f"round of {PLANTS} plants, confirmation to stored (median of {args.rounds}): "
        f"{statistics.median(stored):.3f} s (max {max(stored):.3f} s; target ≤ 0.300 s)"
    )
    print(
        f"  the same store in this process: wall {statistics.median(w for w, _ in here):.3f} s, "
        f"CPU {statistics.median(c for _, c in here):.3f} s (median of {args.rounds})"
    )
    print(
        f"obs due over {PLOTS} plots × {PLANTS} plants × {SEASONS} seasons "
        f"({visits + 2 * PLANTS * args.rounds} phenology rows), median of {args.runs}:"
    )
    print(f"  python -c 'import sqlmodel, typer'   {floor:.3f} s")
    print(
        f"  obs due                               {due_s:.3f} s  {due_s / floor:.2f}× "
        "(target ≤ 1.2×)"
    )
    print(f"  floor exiting as obs does (gc frozen) {frozen:.3f} s  -> {due_s / frozen:.2f}×")


if __name__ == "__main__":
    main()
