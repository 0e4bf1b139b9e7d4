"""The reader's work ahead (obs.ingest.presumed) and the reader started early (EarlyReader,
obs.importing.launch) give exactly what the importer computes itself from the stored rows:
the same rows, ``qc``, flags (reasons and all), days and counts, whatever the chunking, also
when stored rows in the file's range make the presumption fail half-way."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine

from obs import readahead
from obs.db import session_scope
from obs.errors import InputFormatError
from obs.importing import WeatherImportOptions, import_weather
from obs.importing.launch import import_weather_file
from tests.obs.test_import_fast_paths import awkward_file, fresh_engine, q

pytestmark = pytest.mark.skipif(not readahead.enabled(), reason="no fork on this platform")

STATE = {
    "rows": "SELECT ts, t, rh, precip, precip_trace, wind_speed, qc FROM subdaily_weather "
    "ORDER BY ts",
    "flags": "SELECT w.ts, f.element, f.check_name, f.flag, f.reason FROM qc_flag f "
    "JOIN subdaily_weather w ON w.id = f.record_id WHERE f.kind = 'subdaily' "
    "ORDER BY w.ts, f.check_name, f.element",
    "days": "SELECT obs_date, n_records, n_expected, precip, precip_20_08, precip_08_20, "
    "precip_08_08, "
    "precip_trace, t_max, t_min, t02, t08, t14, t20, t_mean, tmean_method, interpolated, "
    "rh_mean, wind_mean, qc, source FROM daily_weather ORDER BY obs_date",
    "day_flags": "SELECT d.obs_date, f.element, f.check_name, f.flag, f.reason FROM qc_flag f "
    "JOIN daily_weather d ON d.id = f.record_id WHERE f.kind = 'daily' "
    "ORDER BY d.obs_date, f.check_name, f.element",
}
COUNTS = ("rows_read", "stored", "updated", "unchanged", "refused", "days_stored")


def state(eng: Engine) -> dict[str, Any]:
    return {name: q(eng, sql) for name, sql in STATE.items()}


def imported(eng: Engine, path: Path, how: str, **options: Any) -> dict[str, Any]:
    """Import with the reader in this process ("here"), forked when reading starts
    ("forked"), or forked before the importer loads ("early"); the summary's counts."""
    opts = WeatherImportOptions(**options)
    if how == "early":
        summary = import_weather_file(
            path, station="57511", options=opts, session=lambda: session_scope(eng)
        )
    else:
        with session_scope(eng) as s:
            summary = import_weather(path, station="57511", session=s, options=opts)
    counts = {c: getattr(summary, c) for c in COUNTS}
    return {**counts, "qc": (summary.qc_errors, summary.qc_suspects)}


@pytest.mark.parametrize(
    ("chunk", "options"),
    [(37, {}), (250, {}), (111, {"with_08_08": True, "utc_offset_hours": 7.0})],
)
def test_work_ahead_equals_the_importers_own(
    tmp_path: Path,
    _migrated_template: Path,
    monkeypatch: pytest.MonkeyPatch,
    chunk: int,
    options: dict[str, Any],
) -> None:
    f = awkward_file(tmp_path / "a.csv", n=1500)
    results = {}
    for how in ("early", "forked", "here"):
        if how == "here":
            monkeypatch.setenv(readahead.ENV_SWITCH, "0")
        eng = fresh_engine(_migrated_template, tmp_path / f"{how}.db")
        results[how] = (imported(eng, f, how, chunk_rows=chunk, **options), state(eng))
        eng.dispose()
    assert results["early"] == results["forked"] == results["here"]
    counts, stored = results["here"]
    assert counts["refused"] == 1 and counts["qc"][0] > 0
    assert len(stored["days"]) >= 10 and stored["flags"]
    # the stuck-run reasons are compared too (each window states the run length it saw)
    assert sum(r[2] == "value_persistence" for r in stored["flags"]) >= 170 + 200


def test_stored_rows_in_the_files_range_end_the_presumption(
    tmp_path: Path, _migrated_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = awkward_file(tmp_path / "a.csv", n=1500)
    text = pd.read_csv(f, dtype=str, keep_default_na=False)
    text.iloc[700:760].to_csv(tmp_path / "middle.csv", index=False)  # stored before
    results = {}
    for how in ("early", "here"):
        if how == "here":
            monkeypatch.setenv(readahead.ENV_SWITCH, "0")
        eng = fresh_engine(_migrated_template, tmp_path / f"{how}.db")
        imported(eng, tmp_path / "middle.csv", how)
        results[how] = (imported(eng, f, how, chunk_rows=100), state(eng))
        eng.dispose()
    assert results["early"] == results["here"]
    counts = results["here"][0]
    assert counts["unchanged"] == 60 and counts["stored"] == 1500 - 60 - 1


def test_an_early_reader_waits_for_its_parameters_and_reads_ahead_meanwhile() -> None:
    started = time.monotonic()

    def prepare(ready: Any) -> tuple[int, float]:
        while not ready():
            time.sleep(0.01)
        return os.getpid(), time.monotonic()

    reader = readahead.EarlyReader(prepare, lambda prepared, params: iter([prepared, params]))
    time.sleep(0.3)
    (pid, prepared_at), params = list(reader.items("clock"))
    assert pid != os.getpid() and params == "clock"
    assert prepared_at - started >= 0.3  # prepare ran until the parameters came


def test_an_error_while_reading_ahead_comes_where_reading_meets_it() -> None:
    def prepare(ready: Any) -> None:
        raise InputFormatError("line 7: not a number", hint="fix line 7")

    reader = readahead.EarlyReader(prepare, lambda prepared, params: iter([1]))
    with pytest.raises(InputFormatError, match="line 7") as info:
        list(reader.items(None))
    assert info.value.hint == "fix line 7"


def test_an_early_reader_not_wanted_is_stopped() -> None:
    reader = readahead.EarlyReader(lambda ready: os.getpid(), lambda p, params: iter([p]))
    pid = reader._child.pid
    assert pid is not None
    reader.close()
    with pytest.raises(ProcessLookupError):
        for _ in range(50):  # terminated and reaped
            os.kill(pid, 0)
            time.sleep(0.1)


def test_a_file_refused_by_the_importer_stops_the_early_reader(
    tmp_path: Path, _migrated_template: Path
) -> None:
    eng = fresh_engine(_migrated_template, tmp_path / "r.db")
    bad = tmp_path / "bad.csv"
    bad.write_text("时间,气温\n2024-01-01 00:10,1\n2024-01-01 00:10,2\n", encoding="utf-8")
    with pytest.raises(InputFormatError, match="appears twice"):
        imported(eng, bad, "early")
    assert q(eng, "SELECT count(*) FROM subdaily_weather") == [(0,)]
    assert q(eng, "SELECT status FROM import_batch") == [("failed",)]
    eng.dispose()


def _kill_me_after_first(conn: Any) -> None:
    """(In a process of its own) start an early reader, take one item, report the reader's
    pid, then die without cleaning up."""

    def endless(prepared: Any, params: Any) -> Any:
        while True:
            yield b"x" * 100_000  # fills the pipe: the reader blocks sending

    reader = readahead.EarlyReader(lambda ready: None, endless)
    items = reader.items(None)
    next(items)
    conn.send(reader._child.pid)  # a pipe: sent before this returns (a queue sends later)
    os.kill(os.getpid(), 9)


def test_a_killed_importer_leaves_no_reader_behind() -> None:
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    importer = ctx.Process(target=_kill_me_after_first, args=(sender,))
    importer.start()
    assert receiver.poll(30)
    reader_pid = receiver.recv()
    importer.join(timeout=30)
    assert importer.exitcode == -9
    for _ in range(100):  # the reader's send fails once the importer is gone, and it leaves
        try:
            os.kill(reader_pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        os.kill(reader_pid, 9)
        raise AssertionError("the reader outlived the importer")
