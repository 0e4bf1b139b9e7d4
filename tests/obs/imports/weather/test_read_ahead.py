"""Parsed chunks read ahead in a second process: same items, same errors at the same place,
the same import; no reader left behind."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from obs.errors import InputFormatError, InvalidValueError, ObsError
from obs.imports.weather import ahead
from obs.imports.weather.ahead import read_ahead
from tests.obs.imports.weather.test_import import eng as eng
from tests.obs.imports.weather.test_import import hourly_csv, rows, run

pytestmark = pytest.mark.skipif(not ahead.enabled(), reason="no fork on this platform")


def numbers(n: int, fail_at: int | None = None, error: Exception | None = None) -> Iterator[int]:
    for i in range(n):
        if i == fail_at and error is not None:
            raise error
        yield i


def test_items_come_in_order_from_another_process() -> None:
    pids = list(read_ahead(lambda: (os.getpid() for _ in range(3))))
    assert len(set(pids)) == 1 and pids[0] != os.getpid()
    assert list(read_ahead(lambda: numbers(1000))) == list(range(1000))


def test_an_error_is_raised_where_it_happened_with_its_class_and_hint() -> None:
    got: list[int] = []
    error = InvalidValueError("t", "x", "is not a number", hint="write 12.5")
    with pytest.raises(InvalidValueError) as info:
        for item in read_ahead(lambda: numbers(10, fail_at=4, error=error)):
            got.append(item)
    assert got == [0, 1, 2, 3]
    assert (info.value.message, info.value.hint, info.value.field) == (
        error.message,
        "write 12.5",
        "t",
    )


def test_a_bug_in_the_reader_is_not_hidden() -> None:
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        list(read_ahead(lambda: numbers(5, fail_at=2, error=ZeroDivisionError("boom"))))


def test_a_reader_killed_midway_is_a_clear_error() -> None:
    def suicidal() -> Iterator[int]:
        yield 1
        os.kill(os.getpid(), signal.SIGKILL)
        yield 2

    got = []
    with pytest.raises(ObsError, match="stopped unexpectedly"):
        for item in read_ahead(suicidal):
            got.append(item)
    assert got == [1]


def test_same_import_with_and_without_read_ahead(
    eng: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    f = hourly_csv(tmp_path / "h.csv", "2024-03-01 21:00", 72)
    first = run(eng, f, chunk_rows=10)
    stored = rows(eng, "SELECT ts, t, rh, precip, qc FROM subdaily_weather ORDER BY ts")
    days = rows(eng, "SELECT obs_date, t_mean, precip, qc FROM daily_weather ORDER BY obs_date")
    monkeypatch.setenv(ahead.ENV_SWITCH, "0")
    assert not ahead.enabled()
    again = run(eng, f, chunk_rows=10)
    assert (first.stored, again.stored, again.unchanged) == (72, 0, 72)
    assert rows(eng, "SELECT ts, t, rh, precip, qc FROM subdaily_weather ORDER BY ts") == stored
    assert rows(eng, "SELECT obs_date, t_mean, precip, qc FROM daily_weather") == days


def test_a_refused_file_read_ahead_leaves_nothing(eng: Engine, tmp_path: Path) -> None:
    f = hourly_csv(tmp_path / "h.csv", "2024-03-01 21:00", 60)
    lines = f.read_text(encoding="utf-8").splitlines()
    lines.append(lines[3])  # a timestamp repeated far down the file, in a later chunk
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputFormatError, match="appears twice"):
        run(eng, f, chunk_rows=10)
    assert rows(eng, "SELECT count(*) FROM subdaily_weather") == [(0,)]
    assert rows(eng, "SELECT count(*) FROM daily_weather") == [(0,)]


@pytest.mark.parametrize(
    ("value", "on"), [("0", False), ("off", False), ("False", False), ("1", True)]
)
def test_switch(monkeypatch: pytest.MonkeyPatch, value: str, on: bool) -> None:
    monkeypatch.setenv(ahead.ENV_SWITCH, value)
    assert ahead.enabled() is on


def _inside_a_daemon(queue: Any) -> None:
    queue.put((ahead.enabled(), list(read_ahead(lambda: numbers(3)))))


def test_a_daemonic_process_reads_in_itself() -> None:
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    worker = ctx.Process(target=_inside_a_daemon, args=(queue,), daemon=True)
    worker.start()
    assert queue.get(timeout=30) == (False, [0, 1, 2])
    worker.join()


def test_the_reader_is_stopped_when_the_caller_gives_up() -> None:
    seen = []
    chunks = read_ahead(lambda: (os.getpid() for _ in range(100_000)))
    seen.append(next(chunks))
    chunks.close()
    with pytest.raises(ProcessLookupError):
        for _ in range(50):  # the child is terminated and reaped (no zombie left behind)
            os.kill(seen[0], 0)
            time.sleep(0.1)


def test_an_xlsx_file_read_ahead(eng: Engine, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["日期时间", "气温", "降水量"])
    start = dt.datetime(2024, 3, 1, 21)
    for hour in range(48):
        sheet.append([start + dt.timedelta(hours=hour), 10 + hour % 3, "微量" if hour == 5 else 0])
    path = tmp_path / "hourly.xlsx"
    book.save(path)
    summary = run(eng, path, chunk_rows=10)
    assert (summary.rows_read, summary.stored, summary.days_stored) == (48, 48, 2)
    assert rows(eng, "SELECT count(*) FROM subdaily_weather WHERE precip_trace") == [(1,)]


def _kill_me_after_first(conn: Any) -> None:
    """(In a process of its own) read ahead, take one item (the reader's pid), report it,
    then die without cleaning up."""

    def endless() -> Iterator[Any]:
        yield os.getpid()
        while True:
            yield b"x" * 100_000  # fills the pipe: the reader blocks sending

    items = read_ahead(endless)
    conn.send(next(items))  # a pipe: sent before this returns (a queue sends later)
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_killed_importer_leaves_no_reader_behind() -> None:
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    importer = ctx.Process(target=_kill_me_after_first, args=(sender,))
    importer.start()
    assert receiver.poll(30)
    reader_pid = receiver.recv()
    importer.join(timeout=30)
    assert importer.exitcode == -signal.SIGKILL
    for _ in range(100):  # the reader's send fails once the importer is gone, and it leaves
        try:
            os.kill(reader_pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        os.kill(reader_pid, signal.SIGKILL)
        raise AssertionError("the reader outlived the importer")
