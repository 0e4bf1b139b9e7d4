"""Fit + leave-one-season-out cross-validation of all bloom models on 30 seasons (target ≤ 10 s).

A generated store (:mod:`obs.forecast.synthetic`: station, plot, 10 plants, 30 seasons of daily
weather and FLS/FLF visits) is built once; then, wall clock, median of N runs:

- engine: ``obs.forecast.evaluation.evaluate`` (reads stage dates and temperatures, fits and
  cross-validates the four models) in this process;
- engine: ``obs.forecast.service.bloom_forecast`` for the last season as of 15 Nov (hindcast);
- CLI: ``obs forecast evaluate --format json`` as a fresh subprocess (start-up included).

Run: ``.venv/bin/python benchmarks/forecast.py [--runs 3] [--seasons 30]``
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
from collections.abc import Callable
from pathlib import Path

TARGET_SECONDS = 10.0
OBS = [sys.executable, "-c", "from cli.main import main; main()"]


def build(db: Path, seasons: int) -> range:
    from obs.db import make_engine, session_scope, upgrade
    from obs.forecast.synthetic import build_store

    years = range(2024 - seasons, 2024)
    engine = make_engine(str(db))
    upgrade(engine)
    with session_scope(engine) as session:
        build_store(session, years)
    engine.dispose()
    return years


def engine_call(db: Path, func: Callable[..., object], **kwargs: object) -> float:
    from obs.db import make_engine, session_scope

    engine = make_engine(str(db))
    start = time.perf_counter()
    with session_scope(engine) as session:
        func(session=session, **kwargs)
    elapsed = time.perf_counter() - start
    engine.dispose()
    return elapsed


def cli_call(db: Path) -> float:
    env = {**os.environ, "OBS_NO_PROMPT": "1", "OBS_CONFIG": "/nonexistent/obs.toml"}
    cmd = [*OBS, "--db", str(db), "forecast", "evaluate", "--format", "json"]
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def report(name: str, times: list[float]) -> bool:
    value = statistics.median(times)
    ok = value <= TARGET_SECONDS
    print(f"{name:<48} {value:6.2f} s  (target ≤ {TARGET_SECONDS:.0f} s)  {'ok' if ok else 'SLOW'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seasons", type=int, default=30)
    args = parser.parse_args()
    from obs.forecast.evaluation import evaluate
    from obs.forecast.service import bloom_forecast

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "obs.db"
        start = time.perf_counter()
        years = build(db, args.seasons)
        print(f"store: {args.seasons} seasons built in {time.perf_counter() - start:.1f} s")
        last = years[-1]
        as_of = dt.date(last, 11, 15)
        runs = range(args.runs)
        ok = report(
            "engine evaluate (fit + CV, 4 models)", [engine_call(db, evaluate) for _ in runs]
        )
        ok &= report(
            "engine bloom_forecast (fit + CV + ensemble)",
            [engine_call(db, bloom_forecast, season=last, as_of=as_of) for _ in runs],
        )
        ok &= report("CLI obs forecast evaluate (subprocess)", [cli_call(db) for _ in runs])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
