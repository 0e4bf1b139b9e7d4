"""A synthetic store whose bloom dates follow a known thermal-time rule (tests and benchmarks).

Weather is the demo's Beibei-like daily series
(:func:`obs.demo.synthetic_weather.daily_weather`). Each
marked plant reaches FLS and FLF when forcing ``max(0, T_mean - t_base)`` summed from the day
after ``t1`` reaches the rule's requirement times the plant's factor (the thermal-time model of
:func:`obs.forecast.models.thermal_time`, so the model can recover the rule). The observer visits
every other day (even days of season), so a recorded date is the crossing day or the day after.
The plants' factors put the fifth of ten plants — the 普遍期 (50 %) plant — exactly on the rule.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import insert
from sqlmodel import Session

from obs.forecast.data import from_day_of_season, season_window
from obs.forecast.models import event_day
from obs.records.create import create
from obs.seasons import season_bounds
from schemas import tables as T


@dataclass(frozen=True, slots=True)
class Rule:
    """Thermal-time rule of one stage: ``t1`` [d of season], ``t_base`` [°C], ``f_crit`` [°C·d]."""

    t1: float
    t_base: float
    f_crit: float


#: The rules of the synthetic plot (values on the grids of :mod:`schemas.forecast`).
RULES: Mapping[str, Rule] = {"FLS": Rule(30, 5, 300), "FLF": Rule(30, 5, 420)}
#: Requirement factor of each marked plant [1]; sorted, the fifth is 1.
PLANT_FACTORS: tuple[float, ...] = (1.06, 0.94, 1.0, 0.92, 1.1, 0.98, 1.04, 0.96, 1.08, 1.02)
STATION: dict[str, str] = {
    "code": "57511",
    "name": "北碚",
    "latitude": "29.83",
    "longitude": "106.45",
    "elevation": "240.8",
}
PLOT: dict[str, str] = {"code": "JG-A", "station": "57511", "cultivar": "SUXIN"}
_CREATED = dt.datetime(2025, 4, 1, tzinfo=dt.UTC)


def weather(first_season: int, last_season: int, seed: int) -> pd.DataFrame:
    """Daily weather from 1 Apr of ``first_season`` to 31 Mar after ``last_season`` + 2 months."""
    from obs.demo.synthetic_weather import daily_weather

    start = season_bounds(first_season)[0]
    end = dt.date(last_season + 1, 5, 31)
    rng = np.random.default_rng(seed)
    return daily_weather(start, end, rng, float(STATION["latitude"]), float(STATION["longitude"]))


def plant_dates(daily: pd.DataFrame, season: int) -> dict[str, dict[str, dt.date]]:
    """Recorded first date of each stage for each plant tag ``A-01`` … (visits on even days)."""
    window = season_window(daily["t_mean"], season)
    dates: dict[str, dict[str, dt.date]] = {}
    for n, factor in enumerate(PLANT_FACTORS, start=1):
        for stage, rule in RULES.items():
            day = event_day(
                "thermal_time", window, t1=rule.t1, t_base=rule.t_base, f_crit=rule.f_crit * factor
            )
            if day is not None:
                visit = day + day % 2
                dates.setdefault(f"A-{n:02d}", {})[stage] = from_day_of_season(season, visit)
    return dates


def true_dates(daily: pd.DataFrame, season: int) -> dict[str, dt.date]:
    """The 普遍期 (fifth plant of ten) date of each stage as recorded."""
    per_plant = plant_dates(daily, season)
    return {
        stage: sorted(p[stage] for p in per_plant.values() if stage in p)[4]
        for stage in RULES
        if sum(stage in p for p in per_plant.values()) >= 5
    }


def build_store(session: Session, seasons: range, *, seed: int = 7) -> pd.DataFrame:
    """Seed station, plot, ten plants, daily weather and FLS/FLF visits; returns the weather."""
    daily = weather(seasons[0], seasons[-1], seed)
    station = create("station", STATION, session=session, actor="synthetic")
    create("plot", PLOT, session=session, actor="synthetic")
    for n in range(1, len(PLANT_FACTORS) + 1):
        create("plant", {"tag": f"A-{n:02d}", "plot": PLOT["code"]}, session=session)
    insert_weather(session, int(station.row["id"]), daily, seed)
    for season in seasons:
        for tag, stages in plant_dates(daily, season).items():
            for stage, day in sorted(stages.items(), key=lambda item: item[1]):
                raw = {"plant": tag, "obs_date": day.isoformat(), "stage_code": stage}
                create("phenology", raw, session=session, actor="synthetic")
    return daily


def insert_weather(session: Session, station_id: int, daily: pd.DataFrame, seed: int) -> None:
    """Bulk-insert daily t_mean / t_max / t_min rows (bypassing entry validation for speed)."""
    rows: list[dict[str, Any]] = [
        {
            "station_id": station_id,
            "obs_date": day.date(),
            "uid": hashlib.md5(f"{seed}:{day}".encode(), usedforsecurity=False).hexdigest(),
            "created_at": _CREATED,
            "created_by": "synthetic",
            "qc": 9,
            "note": "",
            "precip_trace": False,
            "phenomena": "",
            "tmean_method": "24h",
            "source": "aws",
            "observer": "",
            "t_mean": None if pd.isna(row.t_mean) else float(row.t_mean),
            "t_max": float(row.t_max),
            "t_min": float(row.t_min),
        }
        for day, row in zip(daily.index, daily.itertuples(), strict=True)
    ]
    session.execute(insert(T.DailyWeather), rows)
