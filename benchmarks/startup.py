"""Start-up cost of ``obs`` against floors measured in the same run.

Times (median of N runs, wall clock, fresh processes):
- floor A: ``python -c "import typer"``           vs ``obs --help``               (target ≤ 1.5×)
- floor B: ``python -c "import sqlmodel, typer"`` vs ``obs record phenology …``    (target ≤ 1.2×)

Run: ``.venv/bin/python benchmarks/startup.py [--runs 15]``
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
#: obs freezes the garbage collector at exit (cli.main.main); this floor does the same, so the
#: second record ratio compares start-up work alone.
FROZEN_EXIT_FLOOR = "import atexit, gc; atexit.register(gc.freeze); import sqlmodel, typer"


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def prepare(db: Path, env: dict[str, str]) -> None:
    for args in (
        ["init"],
        [
            "station",
            "add",
            "57511",
            "--name",
            "北碚",
            "--latitude",
            "29.83",
            "--longitude",
            "106.45",
        ],
        ["plot", "add", "JG-A", "--station", "57511", "--cultivar", "SUXIN"],
        ["plant", "add", "A-01", "--plot", "JG-A"],
    ):
        subprocess.run(
            [*OBS, "--db", str(db), *args], env=env, check=True, stderr=subprocess.DEVNULL
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    env = {**os.environ, "OBS_CONFIG": "/nonexistent", "OBS_NO_PROMPT": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        prepare(db, env)
        for _ in range(2):  # warm the OS file cache
            timed([sys.executable, "-c", "import sqlmodel, typer"], env)
        records = iter(
            [
                *OBS,
                "--db",
                str(db),
                "record",
                "phenology",
                "--plant",
                "A-01",
                "--date",
                (dt.date(2024, 12, 1) + dt.timedelta(days=i)).isoformat(),
                "--stage",
                "FLS",
            ]
            for i in range(runs)
        )
        # interleaved: every round times each command once, so load drift hits all alike
        samples: dict[str, list[float]] = {"a": [], "help": [], "b": [], "record": [], "bf": []}
        for _ in range(runs):
            samples["a"].append(timed([sys.executable, "-c", "import typer"], env))
            samples["help"].append(timed([*OBS, "--help"], env))
            samples["b"].append(timed([sys.executable, "-c", "import sqlmodel, typer"], env))
            samples["record"].append(timed(next(records), env))
            samples["bf"].append(timed([sys.executable, "-c", FROZEN_EXIT_FLOOR], env))
    floor_a, helps, floor_b, record, floor_bf = (
        statistics.median(samples[k]) for k in ("a", "help", "b", "record", "bf")
    )
    rows = [
        ("python -c 'import typer'", floor_a, None, None),
        ("obs --help", helps, helps / floor_a, 1.5),
        ("python -c 'import sqlmodel, typer'", floor_b, None, None),
        ("obs record phenology", record, record / floor_b, 1.2),
        ("same floor, exiting as obs does (gc frozen)", floor_bf, None, None),
        ("obs record phenology vs that floor", record, record / floor_bf, 1.2),
    ]
    print(f"{'command':<46}{'median s':>10}{'ratio':>8}{'target':>8}")
    for name, secs, ratio, target in rows:
        tail = f"{ratio:>7.2f}×{target:>7.1f}×" if ratio else ""
        print(f"{name:<46}{secs:>10.3f}{tail}")


if __name__ == "__main__":
    main()
