"""Two processes recording into one SQLite file at the same time both succeed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import row_counts

ROOT = Path(__file__).resolve().parents[2]

# One process: 50 separate `obs record weather` runs (each its own engine and transaction),
# exit codes collected instead of exiting on the first one.
SCRIPT = """
import datetime as dt, sys
from cli.main import main
db, start = sys.argv[1], dt.date.fromisoformat(sys.argv[2])
codes = []
for n in range(50):
    day = (start + dt.timedelta(days=n)).isoformat()
    sys.argv = ["obs", "--db", db, "record", "weather", "--station", "57511",
                "--date", day, "--tmax", "10.5", "--tmin", "1.5"]
    try:
        main()
        codes.append(0)
    except SystemExit as stop:
        codes.append(stop.code or 0)
print(sum(1 for c in codes if c != 0))
"""


@pytest.mark.slow
def test_two_processes_record_fifty_days_each(seeded, db_path):
    starts = ("2023-01-01", "2024-01-01")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", SCRIPT, str(db_path), start],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={
                "OBS_NO_PROMPT": "1",
                "OBS_CONFIG": "/nonexistent.toml",
                "PATH": "/usr/bin:/bin",
                "PYTHONPATH": str(ROOT),
            },
        )
        for start in starts
    ]
    outputs = [p.communicate(timeout=600) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert out.strip() == "0", err
        assert "Error" not in err
    assert row_counts(f"sqlite:///{db_path}")["daily_weather"] == 100
    days = {r["obs_date"] for r in seeded.json("list", "weather")}
    assert len(days) == 100
