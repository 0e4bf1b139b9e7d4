"""Preparing phenology rows for the checks: dates, seasons, stage attributes, first dates."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from obs.seasons import DEFAULT_SEASON_START
from schemas.stages import STAGES

_SEASON_START_MD = DEFAULT_SEASON_START[0] * 100 + DEFAULT_SEASON_START[1]

_STAGE_ATTRS = pd.DataFrame(
    {
        "stage_code": [s.code for s in STAGES],
        "chain": [s.chain for s in STAGES],
        "order": [s.order for s in STAGES],
        "window_from": [
            np.nan if s.window is None else s.window[0][0] * 100 + s.window[0][1] for s in STAGES
        ],
        "window_to": [
            np.nan if s.window is None else s.window[1][0] * 100 + s.window[1][1] for s in STAGES
        ],
    }
)


def month_day(dates: pd.Series) -> pd.Series:
    """``month * 100 + day`` of each date (1 Feb = 201)."""
    return dates.dt.month * 100 + dates.dt.day


def season_date(season: pd.Series, md: pd.Series | float) -> pd.Series:
    """The date with month-day ``md`` inside each ``season`` (1 Apr season → 31 Mar next)."""
    mds = pd.Series(md, index=season.index, dtype="float64")
    year = season + (mds < _SEASON_START_MD).astype("int64")
    parts = pd.DataFrame({"year": year, "month": mds // 100, "day": mds % 100})
    return pd.to_datetime(parts)


def prepared(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows with ``date``, ``season``, ``is_reached`` and the stage's chain, order, window.

    Absent optional columns are added empty (``percent`` NaN, ``note`` "").

    ``season`` follows :mod:`obs.seasons` (named by the year its 1 April falls in). A missing
    ``reached`` counts as reached, the table's default. Sorted by plant, stage, date and id.
    """
    rows = frame.reset_index(drop=True).copy()
    for column in ("percent", "note"):
        if column not in rows:
            rows[column] = np.nan if column == "percent" else ""
    rows["date"] = pd.to_datetime(rows["obs_date"])
    md = month_day(rows["date"])
    rows["season"] = rows["date"].dt.year - (md < _SEASON_START_MD).astype("int64")
    rows["is_reached"] = reached_mask(rows)
    rows = rows.merge(_STAGE_ATTRS, on="stage_code", how="left")
    return rows.sort_values(["plant_id", "stage_code", "date", "id"], kind="stable")


def reached_mask(frame: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """``reached`` as booleans; a missing value (or column) counts as reached, the default."""
    if "reached" not in frame:
        return np.ones(len(frame), dtype=bool)
    return np.asarray(frame["reached"].astype("boolean").fillna(True), dtype=bool)


def first_dates(rows: pd.DataFrame) -> pd.DataFrame:
    """The first reached record of each plant, season and stage (from :func:`prepared`)."""
    reached = rows[rows["is_reached"]]
    return reached.drop_duplicates(["plant_id", "season", "stage_code"], keep="first")


def iso(dates: pd.Series) -> list[str]:
    """Dates as ISO text."""
    return list(dates.dt.strftime("%Y-%m-%d"))
