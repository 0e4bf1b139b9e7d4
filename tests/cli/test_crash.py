"""Crash safety: an import killed with SIGKILL leaves whole chunks, and running it again
completes it with the content of one clean import (reliability issue)."""

from __future__ import annotations

import itertools
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from obs.db import make_engine
from obs.imports.weather.files import chunk_sizes
from schemas.ingest import DEFAULT_CHUNK_ROWS
from tests.conftest import seed_sites

ROWS = 250_000  # chunks of 20 000, 40 000, 80 000 and 110 000 rows
_CONTENT = {
    "subdaily": "SELECT station_id, ts, t, rh, precip, precip_trace, qc FROM subdaily_weather "
    "ORDER BY ts",
    "daily": "SELECT obs_date, t_mean, t_max, t_min, precip, precip_20_08, precip_08_20, "
    "tmean_method, n_records, n_expected, source, qc FROM daily_weather ORDER BY obs_date",
    "flags": "SELECT f.kind, s.ts, f.element, f.check_name, f.flag, f.reason FROM qc_flag f "
    "JOIN subdaily_weather s ON s.id = f.record_id WHERE f.kind = 'subdaily' ORDER BY 2, 4",
}


def big_file(path: Path) -> Path:
    rng = np.random.default_rng(42)
    times = pd.date_range("2020-01-01 00:10", periods=ROWS, freq="10min")
    day = np.sin(np.arange(ROWS) / 144 * 2 * np.pi)
    frame = pd.DataFrame(
        {
            "时间": times.strftime("%Y-%m-%d %H:%M"),
            "气温": (15 + 6 * day + rng.normal(0, 0.3, ROWS)).round(1),
            "相对湿度": rng.integers(40, 100, ROWS),
            "降水量": np.where(rng.random(ROWS) < 0.03, 0.2, 0.0),
        }
    )
    frame.to_csv(path, index=False)
    return path


def fresh_db(path: Path, template: Path) -> Path:
    path.write_bytes(template.read_bytes())
    eng = make_engine(str(path))
    seed_sites(eng, plants=1)
    eng.dispose()
    return path


def import_cmd(db: Path, file: Path) -> list[str]:
    return [
        sys.executable,
        "-c",
        "from cli.main import main; main()",
        "--db",
        str(db),
        "import",
        "weather",
        str(file),
        "--station",
        "57511",
        "--reject-file",
        str(db.with_suffix(".rej.csv")),
    ]


def obs_import(db: Path, file: Path) -> subprocess.Popen[bytes]:
    cmd = import_cmd(db, file)
    return subprocess.Popen(
        cmd, cwd=Path(__file__).parents[2], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def content(db: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(db) as c:
        return {k: c.execute(sql).fetchall() for k, sql in _CONTENT.items()}


def wait_first_chunk(db: Path, proc: subprocess.Popen[bytes]) -> tuple[int, int]:
    """Poll the batch until a chunk is committed; (rows read, rows stored) then."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with sqlite3.connect(db, timeout=1) as c:
                row = c.execute(
                    "SELECT rows_read, stored FROM import_batch WHERE status = 'running'"
                ).fetchone()
        except sqlite3.OperationalError:
            row = None
        if row and row[0] > 0:
            return int(row[0]), int(row[1])
        time.sleep(0.02)
    raise AssertionError("the import ended before a chunk was seen committed")


def no_process_left(marker: str, seconds: float = 15.0) -> bool:
    """Whether, within ``seconds``, no process has ``marker`` in its command line (Linux)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return True
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        alive = []
        for entry in proc.iterdir():
            try:
                if entry.name.isdigit() and marker in (entry / "cmdline").read_text():
                    alive.append(entry.name)
            except OSError:
                pass
        if not alive:
            return True
        time.sleep(0.1)
    return False


@pytest.mark.slow
def test_sigkill_after_first_chunk_then_rerun(db_path: Path, tmp_path: Path) -> None:
    if not hasattr(signal, "SIGKILL"):
        pytest.skip("SIGKILL needs a POSIX system")
    data = big_file(tmp_path / "aws.csv")
    clean = fresh_db(tmp_path / "clean.db", db_path)
    assert obs_import(clean, data).wait(timeout=300) == 0
    crashed = fresh_db(tmp_path / "crash.db", db_path)
    proc = obs_import(crashed, data)
    read, stored = wait_first_chunk(crashed, proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert no_process_left(str(crashed))  # the reader process leaves with the importer
    with sqlite3.connect(crashed) as c:
        assert c.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        batch = c.execute("SELECT status, rows_read, stored FROM import_batch").fetchone()
        n_rows = c.execute("SELECT count(*) FROM subdaily_weather").fetchone()[0]
    assert batch[0] == "running"  # killed: never marked done
    sizes = chunk_sizes(DEFAULT_CHUNK_ROWS)
    ends = list(itertools.accumulate(next(sizes) for _ in range(4)))  # 20 000, 60 000, …
    assert n_rows == batch[2] and n_rows in ends and n_rows < ROWS  # whole chunks only
    assert read >= ends[0] and stored >= ends[0]
    assert obs_import(crashed, data).wait(timeout=300) == 0
    with sqlite3.connect(crashed) as c:
        statuses = [r[0] for r in c.execute("SELECT status FROM import_batch ORDER BY id")]
    assert statuses == ["interrupted", "done"]
    assert content(crashed) == content(clean)


@pytest.mark.slow
def test_sigint_says_what_is_committed_and_a_rerun_completes(db_path: Path, tmp_path: Path) -> None:
    data = big_file(tmp_path / "aws.csv")
    db = fresh_db(tmp_path / "int.db", db_path)
    proc = subprocess.Popen(
        import_cmd(db, data),
        cwd=Path(__file__).parents[2],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    wait_first_chunk(db, proc)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    stderr = err.decode()
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and "nothing of the unfinished command" not in stderr
    with sqlite3.connect(db) as c:
        status, read, stored = c.execute(
            "SELECT status, rows_read, stored FROM import_batch"
        ).fetchone()
        n_rows, last = c.execute("SELECT count(*), max(ts) FROM subdaily_weather").fetchone()
    assert status == "interrupted"  # not left running
    assert 0 < n_rows == stored == read < ROWS  # whole chunks only
    local = pd.Timestamp(last + 8 * 3600, unit="s")
    assert f"the first {read} rows are committed ({stored} stored" in stderr
    assert f"records up to {local:%Y-%m-%d %H:%M}" in stderr
    assert "run the same command again" in stderr
    assert obs_import(db, data).wait(timeout=300) == 0
    with sqlite3.connect(db) as c:
        statuses = [r[0] for r in c.execute("SELECT status FROM import_batch ORDER BY id")]
        assert c.execute("SELECT count(*) FROM subdaily_weather").fetchone() == (ROWS,)
    assert statuses == ["interrupted", "done"]
