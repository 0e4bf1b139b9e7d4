"""Stage dates of the demo plants from the demo weather: simple thermal-time rules.

Flowering follows the local experience that wintersweet opens as autumn cools towards
5–10 °C (§3.3): bud colouring (FBC) and first flowering (FLS) come when a cold sum
Σ max(0, COLD_BASE − t_mean) from 1 October reaches a plant's threshold, so a warm autumn
delays bloom; full bloom (FLF) and the end of flowering (FLE) follow after a heat sum
Σ max(0, t_mean) from the previous stage. Leaf-out stages need a heat sum above LEAF_BASE from
1 January. Each plant has its own fixed tendency plus a little noise per season.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

#: Cold-sum base temperature [°C] and thresholds of FBC and FLS [°C·d] from 1 Oct.
COLD_BASE = 15.0
COLD_SUMS: dict[str, float] = {"FBC": 25.0, "FLS": 75.0}
#: Heat sums (base 0 °C) from the previous stage: FLS→FLF and FLF→FLE [°C·d].
BLOOM_HEAT: dict[str, float] = {"FLF": 200.0, "FLE": 260.0}
#: Leaf-out heat sums above LEAF_BASE from 1 January [°C·d].
LEAF_BASE = 8.0
LEAF_SUMS: dict[str, float] = {"LBS": 20.0, "LBB": 40.0, "LUS": 70.0, "LUF": 110.0}
#: Calendar stages: (month, day) in the season's first year, and the spread [d].
CALENDAR: dict[str, tuple[tuple[int, int], int]] = {
    "FBV": ((8, 5), 6),
    "LCS": ((10, 22), 5),
    "LFS": ((11, 12), 5),
    "LFE": ((12, 22), 5),
}
#: Relative spread of plant thresholds: fixed per plant and per season [1].
PLANT_SPREAD, SEASON_SPREAD = 0.12, 0.06
#: Last day (month, day) of the season by which leaf stages are clamped.
LEAF_LAST = (3, 29)


def _crossing(values: pd.Series, threshold: float) -> dt.date | None:
    reached = values.cumsum() >= threshold
    if not reached.any():
        return None
    day: dt.date = pd.Timestamp(reached.idxmax()).date()
    return day


def plant_dates(
    daily: pd.DataFrame, season: int, factor: float, rng: np.random.Generator
) -> dict[str, dt.date]:
    """Stage dates of one plant in ``season``; ``factor`` scales its thresholds (1 = typical)."""
    t = daily["t_mean"]
    dates: dict[str, dt.date] = {}
    for code, ((month, day), spread) in CALENDAR.items():
        shift = round(float(rng.normal(0, spread / 2)))
        dates[code] = dt.date(season, month, day) + dt.timedelta(days=shift)
    autumn = t.loc[pd.Timestamp(season, 10, 1) : pd.Timestamp(season + 1, 3, 31)]
    cold = (COLD_BASE - autumn).clip(lower=0)
    for code, total in COLD_SUMS.items():
        found = _crossing(cold, total * factor * (1 + rng.normal(0, SEASON_SPREAD)))
        if found is not None:
            dates[code] = found
    previous = dates.get("FLS")
    for code, total in BLOOM_HEAT.items():
        if previous is None:
            break
        after = t.loc[pd.Timestamp(previous + dt.timedelta(days=1)) :].clip(lower=0)
        previous = _crossing(after, total * (1 + rng.normal(0, SEASON_SPREAD)))
        if previous is not None:
            dates[code] = previous
    dates.update(_leaf_dates(t, season, factor, rng))
    return dates


def _leaf_dates(
    t: pd.Series, season: int, factor: float, rng: np.random.Generator
) -> dict[str, dt.date]:
    spring = (
        t.loc[pd.Timestamp(season + 1, 1, 1) : pd.Timestamp(season + 1, 3, 31)] - LEAF_BASE
    ).clip(lower=0)
    last = dt.date(season + 1, *LEAF_LAST)
    out: dict[str, dt.date] = {}
    floor = dt.date(season + 1, 2, 1)
    for code, total in LEAF_SUMS.items():
        found = _crossing(spring, total * factor * (1 + rng.normal(0, SEASON_SPREAD)))
        day = min(found or last, last)
        day = max(day, floor)
        out[code] = day
        floor = day
    return out
