"""Filling the demo database: sites, weather (bulk), observations (validated)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import func, insert, select
from sqlmodel import Session

from obs.clock import BT_OFFSET_SECONDS, EPOCH_DAY
from obs.db import make_engine, session_scope, upgrade
from obs.demo import (
    COLD_SPELL_TMIN,
    DEMO_MARK,
    N_PLANTS,
    PLOT,
    STATION,
    DemoResult,
    cold_spell_start,
)
from obs.demo import field_records as rec
from obs.demo.phenology import plant_dates
from obs.demo.synthetic_weather import cold_spell, daily_weather, hourly_records
from obs.records.create import create
from obs.seasons import season_bounds
from schemas import tables as T

_CREATED = dt.datetime(2025, 4, 1, tzinfo=dt.UTC)


def fill(path: Path, seasons: Sequence[int], seed: int) -> DemoResult:
    """Create ``path``, migrate it and fill it for ``seasons``."""
    rng = np.random.default_rng(seed)
    engine = make_engine(str(path))
    try:
        upgrade(engine)
        lat, lon = float(STATION["latitude"]), float(STATION["longitude"])
        start, end = season_bounds(seasons[0])[0], season_bounds(seasons[-1])[1]
        daily = daily_weather(start, end, rng, lat, lon)
        cold_spell(daily, cold_spell_start(seasons[-1]), COLD_SPELL_TMIN)
        last = daily.loc[pd.Timestamp(season_bounds(seasons[-1])[0]) :]
        hourly = hourly_records(last, rng, lat, lon)
        with session_scope(engine, check_schema=False) as session:
            station_id = _sites(session)
            _bulk_daily(session, station_id, daily, seed)
            _bulk_hourly(session, station_id, hourly)
            _observations(session, daily, seasons, rng)
            n_obs = _count(session)
    finally:
        engine.dispose()
    return DemoResult(
        path, STATION["code"], PLOT["code"], tuple(seasons), len(daily), len(hourly), n_obs
    )


def _sites(session: Session) -> int:
    station = create("station", {**STATION, "note": DEMO_MARK}, session=session, actor="obs demo")
    create("plot", {**PLOT, "station": STATION["code"]}, session=session, actor="obs demo")
    for n in range(1, N_PLANTS + 1):
        create(
            "plant",
            {
                "tag": f"A-{n:02d}",
                "plot": PLOT["code"],
                "planting_year": "2010",
                "position": f"第{(n - 1) // 5 + 1}行第{(n - 1) % 5 + 1}株",
            },
            session=session,
            actor="obs demo",
        )
    return int(station.row["id"])


def _uid(seed: int, *parts: object) -> str:
    return hashlib.md5(f"{seed}:{parts}".encode(), usedforsecurity=False).hexdigest()


def _bulk_daily(session: Session, station_id: int, daily: pd.DataFrame, seed: int) -> None:
    rows: list[dict[str, Any]] = [{
        "station_id": station_id, "obs_date": day.date(), "uid": _uid(seed, "daily", day),
        "created_at": _CREATED, "created_by": "obs demo", "qc": 9, "note": "",
        "precip_trace": False, "phenomena": "rain" if row.precip > 0 else "",
        "tmean_method": "24h", "source": "aws", "observer": "",
        **{c: float(getattr(row, c)) for c in ("t_mean", "t_max", "t_min", "precip",
                                               "sunshine")},
    } for day, row in zip(daily.index, daily.itertuples(), strict=True)]  # fmt: skip
    session.execute(insert(T.DailyWeather), rows)


def _bulk_hourly(session: Session, station_id: int, hourly: pd.Series) -> None:
    epoch = pd.Timestamp(EPOCH_DAY)
    bt_offset = pd.Timedelta(seconds=BT_OFFSET_SECONDS)
    ts = ((hourly.index - bt_offset - epoch) // pd.Timedelta(seconds=1)).to_numpy()
    rows = [
        {"station_id": station_id, "ts": int(t), "t": float(v), "qc": 9}
        for t, v in zip(ts, hourly.to_numpy(), strict=True)
    ]
    session.execute(insert(T.SubDailyWeather), rows)


def _observations(
    session: Session, daily: pd.DataFrame, seasons: Sequence[int], rng: np.random.Generator
) -> None:
    factors = np.clip(1 + rng.normal(0, 0.12, N_PLANTS), 0.75, 1.3)
    heights = rng.uniform(180, 260, N_PLANTS)
    for index, season in enumerate(seasons):
        observer = rec.OBSERVERS[index % len(rec.OBSERVERS)]
        damaged = season == seasons[-1]
        bloom = _season_plants(session, daily, season, factors, heights + 8 * index, observer, rng)
        rec.season_work(session, PLOT["code"], season, bloom, observer, rng)
        rec.status(session, PLOT["code"], bloom, observer, damaged)
        if damaged:
            rec.freeze(
                session, PLOT["code"], cold_spell_start(season), len(COLD_SPELL_TMIN), observer
            )
        rec.plot_yield(
            session,
            PLOT["code"],
            bloom.get("FLF", dt.date(season + 1, 1, 5)),
            observer,
            0.2 if damaged else 0.0,
            rng,
        )


_OBSERVATION_TABLES = (
    T.PhenologyObservation,
    T.GrowthStatus,
    T.GrowthMeasurement,
    T.YieldItem,
    T.DisasterObservation,
    T.PestObservation,
    T.FieldWork,
)


def _count(session: Session) -> int:
    """Observation records stored (all kinds but weather)."""
    return sum(
        int(session.scalar(select(func.count()).select_from(table)) or 0)
        for table in _OBSERVATION_TABLES
    )


def _season_plants(
    session: Session,
    daily: pd.DataFrame,
    season: int,
    factors: np.ndarray,
    heights: np.ndarray,
    observer: str,
    rng: np.random.Generator,
) -> dict[str, dt.date]:
    """Stage visits, growth and yield of each plant; returns the median bloom-stage dates."""
    firsts: dict[str, list[dt.date]] = {}
    for n in range(N_PLANTS):
        tag = f"A-{n + 1:02d}"
        dates = plant_dates(daily, season, float(factors[n]), rng)
        rec.phenology(session, tag, dates, observer, int(rng.integers(100, 160)))
        rec.growth(session, tag, season, float(heights[n]), observer, rng)
        for code, day in dates.items():
            firsts.setdefault(code, []).append(day)
    bloom = {code: sorted(days)[len(days) // 2] for code, days in firsts.items()}
    for n in range(N_PLANTS):
        rec.plant_yield(
            session,
            PLOT["code"],
            f"A-{n + 1:02d}",
            bloom.get("FLF", dt.date(season + 1, 1, 5)),
            observer,
            rng,
        )
    return bloom
