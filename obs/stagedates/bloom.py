"""Tables of stage dates: every derived row as a frame, and the bloom timeline per season."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, fields
from typing import Any

import pandas as pd
from sqlmodel import Session

from obs.seasons import season_label
from obs.stagedates._derive import derive_stage_dates
from obs.stagedates._model import Basis, Group, StageDate
from obs.stagedates.climate import (
    anomaly,
    day_count,
    mean_day_count,
    mean_month_day,
    trend_per_decade,
)
from schemas.stages import BLOOM_STAGES, FLOWER_RATIO_MEASURES

#: The status whose date is "the date of the stage" in the bloom timeline (§2.2: analysts keep
#: the 普遍期 row; in flower-ratio mode every stage has one date with this status).
STAGE_DATE_STATUS = "general"


def basis_text(basis: Basis) -> str:
    """``(("A-01", 2024-12-05), …)`` -> ``"A-01 2024-12-05; …"``."""
    return "; ".join(f"{tag} {day.isoformat()}" for tag, day in basis)


def stage_dates_frame(dates: Sequence[StageDate]) -> pd.DataFrame:
    """One row per StageDate; columns are its fields, ``basis`` as ``"A-01 2024-12-05; …"``."""
    columns = [f.name for f in fields(StageDate)]
    records = [{**asdict(d), "basis": basis_text(d.basis)} for d in dates]
    return pd.DataFrame(records, columns=columns, dtype=object)


def bloom_table(
    *, session: Session, station: str | None = None, plot: str | None = None, method: str = "plants"
) -> pd.DataFrame:
    """The bloom timeline: one row per plot, cultivar and season (oldest season first).

    Columns
    -------
    station, plot, cultivar, season (2024), season_label ("2024/25")
        What the row is about.
    fbc_date, fls_date, flf_date, fle_date
        The stage dates (status "general": 普遍期 in plant mode, the flower-ratio date in
        flower-ratio mode, which has no FBC); None when not reached.
    fbc_anomaly … fle_anomaly
        Anomaly against the earlier seasons (§9.4 day counts, + = later). [days]
    duration_days, duration_anomaly
        Bloom duration FLE − FLS and its anomaly against the earlier seasons' mean. [days]
    fbc_mean … fle_mean, duration_mean
        Multi-year mean over all seasons of the plot and cultivar: "MM-DD" (day-count method)
        and whole days. Same on every row of a plot and cultivar.
    fbc_trend … fle_trend, duration_trend
        Least-squares trend over the seasons, None with fewer than 5 seasons. [days/decade]
    """
    codes = [c for c in BLOOM_STAGES if method == "plants" or c in FLOWER_RATIO_MEASURES]
    rows = derive_stage_dates(
        session=session, station=station, plot=plot, method=method, stages=codes
    )
    by_group: dict[Group, dict[int, dict[str, StageDate]]] = defaultdict(lambda: defaultdict(dict))
    for r in rows:
        seasons = by_group[Group(r.station, r.plot, r.cultivar)]
        if r.status in (STAGE_DATE_STATUS, "not_reached"):
            seasons[r.season][r.stage_code] = r
        else:
            seasons.setdefault(r.season, {})
    records: list[dict[str, Any]] = []
    for group, seasons in by_group.items():
        records += _group_rows(group, seasons, codes)
    return pd.DataFrame(records, columns=_columns(), dtype=object)


def _columns() -> list[str]:
    head = ["station", "plot", "cultivar", "season", "season_label"]
    stages = [c.lower() for c in BLOOM_STAGES]
    cols = head + [f"{s}_date" for s in stages] + [f"{s}_anomaly" for s in stages]
    cols += ["duration_days", "duration_anomaly"]
    return cols + [f"{s}_{what}" for what in ("mean", "trend") for s in [*stages, "duration"]]


def _group_rows(
    group: Group, seasons: dict[int, dict[str, StageDate]], codes: Sequence[str]
) -> list[dict[str, Any]]:
    out = []
    for season in sorted(seasons):
        row: dict[str, Any] = {
            "station": group.station,
            "plot": group.plot,
            "cultivar": group.cultivar,
            "season": season,
            "season_label": season_label(season),
        }
        for code in codes:
            hit = seasons[season].get(code)
            row[f"{code.lower()}_date"] = hit.date if hit else None
            row[f"{code.lower()}_anomaly"] = hit.anomaly_days if hit else None
        fls, fle = row.get("fls_date"), row.get("fle_date")
        row["duration_days"] = (fle - fls).days if fls and fle else None
        out.append(row)
    _add_duration_anomalies(out)
    _add_climatology(out, codes)
    return out


def _add_duration_anomalies(rows: list[dict[str, Any]]) -> None:
    for i, row in enumerate(rows):
        earlier = [r["duration_days"] for r in rows[:i] if r["duration_days"] is not None]
        days = row["duration_days"]
        row["duration_anomaly"] = anomaly(days, earlier) if days is not None else None


def _add_climatology(rows: list[dict[str, Any]], codes: Sequence[str]) -> None:
    stats: dict[str, Any] = {}
    for code in codes:
        key = code.lower()
        dated = [
            (r["season"], day_count(r[f"{key}_date"], r["season"]))
            for r in rows
            if r[f"{key}_date"] is not None
        ]
        stats[f"{key}_mean"] = mean_month_day([c for _, c in dated]) if dated else None
        stats[f"{key}_trend"] = trend_per_decade(*zip(*dated, strict=True)) if dated else None
    durations = [(r["season"], r["duration_days"]) for r in rows if r["duration_days"] is not None]
    stats["duration_mean"] = mean_day_count([d for _, d in durations]) if durations else None
    stats["duration_trend"] = trend_per_decade(*zip(*durations, strict=True)) if durations else None
    for row in rows:
        row.update(stats)
