"""Shared fixtures: migrated databases (SQLite and, when reachable, PostgreSQL) and a CLI runner.

PostgreSQL tests run when ``OBS_TEST_POSTGRES_URL`` names a server (``.ci/run`` sets it when
one answers on 127.0.0.1:5432); each test session gets a database of its own.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine, create_engine, inspect, text
from sqlmodel import Session
from typer.testing import CliRunner

from cli.main import app
from obs.db import make_engine, session_scope, upgrade

os.environ.setdefault("OBS_CONFIG", "/nonexistent/obs-test-config.toml")
os.environ["OBS_NO_PROMPT"] = "1"
os.environ.pop("OBS_DB", None)
os.environ.pop("OBS_LANG", None)


@pytest.fixture(scope="session")
def _migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "obs.db"
    engine = make_engine(str(path))
    upgrade(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.exec_driver_sql("PRAGMA journal_mode=DELETE")
    engine.dispose()
    return path


@pytest.fixture
def db_path(tmp_path: Path, _migrated_template: Path) -> Path:
    """A migrated SQLite file (a copy of one migrated once per test session)."""
    path = tmp_path / "obs.db"
    shutil.copyfile(_migrated_template, path)
    return path


@pytest.fixture
def engine(db_path: Path) -> Iterator[Engine]:
    """An engine on a migrated SQLite file."""
    eng = make_engine(str(db_path))
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session in one transaction (committed at the end of the test)."""
    with session_scope(engine) as s:
        yield s


class Invoker:
    """Runs ``obs`` in-process against one database and checks the exit code."""

    def __init__(self, db: str) -> None:
        self.db = db
        self.runner = CliRunner()

    def __call__(
        self,
        *args: str,
        expect: int | None = 0,
        input: str | None = None,
        env: dict[str, str] | None = None,
    ) -> Any:
        result = self.runner.invoke(
            app,
            ["--db", self.db, *args],
            input=input,
            env={"COLUMNS": "200", "NO_COLOR": "1", **(env or {})},
        )
        if expect is not None:
            assert result.exit_code == expect, (
                f"obs {' '.join(args)} exited {result.exit_code}, expected {expect}\n"
                f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}\n{result.exception!r}"
            )
        return result

    def json(self, *args: str, expect: int | None = 0) -> Any:
        """Run with ``--format json`` and parse stdout."""
        import json

        return json.loads(self(*args, "--format", "json", expect=expect).stdout)


@pytest.fixture
def invoke(db_path: Path) -> Invoker:
    """``invoke("station", "list", expect=0)`` against a migrated SQLite file."""
    return Invoker(str(db_path))


def seed_sites(eng: Engine, plants: int = 10) -> None:
    """Station 57511, plot JG-A of 素心蜡梅 (SUXIN) and marked plants A-01…A-nn."""
    from obs.records.create import create

    with session_scope(eng) as s:
        create(
            "station",
            {
                "code": "57511",
                "name": "北碚",
                "latitude": "29.83",
                "longitude": "106.45",
                "elevation": "240.8",
            },
            session=s,
        )
        create("plot", {"code": "JG-A", "station": "57511", "cultivar": "SUXIN"}, session=s)
        for n in range(1, plants + 1):
            create("plant", {"tag": f"A-{n:02d}", "plot": "JG-A"}, session=s)


@pytest.fixture
def seeded(invoke: Invoker) -> Invoker:
    """The CLI runner on a database with :func:`seed_sites` applied."""
    eng = make_engine(invoke.db)
    seed_sites(eng)
    eng.dispose()
    return invoke


def row_counts(engine_or_url: Engine | str) -> dict[str, int]:
    """Row count of every table: compare before and after a refused command."""
    own = isinstance(engine_or_url, str)
    eng = create_engine(engine_or_url) if own else engine_or_url
    try:
        with eng.connect() as conn:
            names = inspect(conn).get_table_names()
            return {
                n: conn.execute(text(f'SELECT COUNT(*) FROM "{n}"')).scalar_one() for n in names
            }
    finally:
        if own:
            eng.dispose()


def table_dump(engine_or_url: Engine | str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order: compare before and after a refused
    command (the database must be exactly as it was)."""
    own = isinstance(engine_or_url, str)
    eng = create_engine(engine_or_url) if own else engine_or_url
    try:
        with eng.connect() as conn:
            names = inspect(conn).get_table_names()
            return {
                n: sorted(
                    (tuple(r) for r in conn.execute(text(f'SELECT * FROM "{n}"')).all()), key=repr
                )
                for n in names
            }
    finally:
        if own:
            eng.dispose()


@pytest.fixture
def counts(db_path: Path) -> Callable[[], dict[str, int]]:
    """A function returning the row counts of the test database."""
    return lambda: row_counts(f"sqlite:///{db_path}")


# --- PostgreSQL ------------------------------------------------------------------------------


def _pg_base() -> str | None:
    return os.environ.get("OBS_TEST_POSTGRES_URL")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for one test (dropped afterwards)."""
    base = _pg_base()
    if not base:
        pytest.skip(
            "PostgreSQL tests need OBS_TEST_POSTGRES_URL (set by .ci/run when a "
            "server answers on 127.0.0.1:5432)"
        )
    name = f"obs_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(to_pg(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = to_pg(base).rsplit("/", 1)[0] + f"/{name}"
    eng = make_engine(url)
    upgrade(eng)
    eng.dispose()
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def to_pg(url: str) -> str:
    """Normalise a PostgreSQL URL to the psycopg 3 driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


# --- daily and hourly frames of the index tests -------------------------------------------

D = dt.date


def daily(start: dt.date, **columns: list[float]) -> pd.DataFrame:
    """A daily frame on consecutive days from ``start`` (index of datetime.date)."""
    n = len(next(iter(columns.values())))
    days = [start + dt.timedelta(days=i) for i in range(n)]
    return pd.DataFrame(columns, index=days, dtype="float64")


def hours(first: str, values: list[float]) -> pd.Series:
    """An hourly temperature series on consecutive hours from ``first`` (naive BT)."""
    index = pd.date_range(first, periods=len(values), freq="h")
    return pd.Series(values, index=index, dtype="float64")


# Five days across the new year; every number below is worked by hand from these.
FIVE = daily(
    D(2024, 12, 29),
    t_mean=[4.0, 6.0, 10.0, 12.5, -1.0],
    t_max=[8.0, 12.0, 15.0, 20.0, 3.0],
    t_min=[0.0, 1.0, 5.0, 6.0, -4.0],
    precip=[0.0, 0.5, 3.0, 0.1, 0.0],
    sunshine=[1.0, 2.0, 3.0, 4.0, 5.0],
)


# --- the generated bloom-forecast store --------------------------------------------------------


def forecast_store(path: Path, seasons: range) -> tuple[str, pd.DataFrame]:
    """A migrated database at ``path`` holding :func:`obs.forecast.synthetic.build_store`'s
    seasons; returns its path and daily weather."""
    from obs.forecast.synthetic import build_store

    engine = make_engine(str(path))
    upgrade(engine)
    with session_scope(engine) as session:
        daily = build_store(session, seasons)
    engine.dispose()
    return str(path), daily
