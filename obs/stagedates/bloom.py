"""Tables of stage dates: every derived row as a frame, and the bloom timeline per season."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, fields
from typing import Any

import pandas as pd
from sqlmodel import Session

from obs.errors import UsageError
from obs.seasons import season_label
from obs.stagedates._bloom_stats import (
    add_duration_statistics,
    add_stage_statistics,
    summary_rows,
)
from obs.stagedates._derive import check_period, derive_stage_dates
from obs.stagedates._model import Basis, Group, StageDate
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
    *,
    session: Session,
    station: str | None = None,
    plot: str | None = None,
    method: str = "plants",
    season: int | None = None,
    year: int | None = None,
    stages: Sequence[str] | None = None,
    with_summary: bool = False,
) -> pd.DataFrame:
    """The bloom timeline: one row per plot, cultivar and season (oldest season first).

    Parameters
    ----------
    season, year
        Keep the row of one season, or the seasons with a bloom date (FBC…FLE) inside the
        calendar year. Baselines, means and trends always use all seasons.
    stages
        Bloom stages whose columns appear (default all of ``BLOOM_STAGES``); any other code,
        or FBC in flower-ratio mode, is a UsageError.
    with_summary
        Append per plot and cultivar a ``"mean"`` and a ``"trend"`` row
        (:func:`obs.stagedates._bloom_stats.summary_rows`).

    Columns
    -------
    station, plot, cultivar, season (2024), season_label ("2024/25")
        What the row is about.
    {stage}_date (fbc, fls, flf, fle)
        The stage date (status "general": 普遍期 in plant mode, the flower-ratio date in
        flower-ratio mode, which has no FBC); None when not reached.
    {stage}_anomaly, {stage}_baseline, {stage}_baseline_n
        Anomaly (§9.4 day counts, + = later) [days] against the baseline = the mean date
        ("MM-DD") of the ``baseline_n`` *earlier* seasons (往年平均，不含本季); None below
        ``ANOMALY_MIN_SEASONS`` earlier seasons.
    duration_days, duration_anomaly, duration_baseline, duration_baseline_n
        Bloom duration FLE − FLS, its anomaly and the earlier seasons' mean. [days]
    {stage}_mean, duration_mean
        Multi-year mean over *all* seasons (多年平均，全部年份): "MM-DD" and whole days.
    {stage}_trend, duration_trend
        Least-squares trend over the seasons, None with fewer than 5 seasons. [days/decade]
    """
    check_period(season, year)
    shown = _bloom_codes(method, stages)
    codes = [c for c in BLOOM_STAGES if method == "plants" or c in FLOWER_RATIO_MEASURES]
    rows = derive_stage_dates(
        session=session, station=station, plot=plot, method=method, stages=codes
    )
    records: list[dict[str, Any]] = []
    for group, seasons in _by_group(rows).items():
        kept = [r for r in _group_rows(group, seasons, codes) if _in_period(r, season, year)]
        records += kept
        if with_summary and kept:
            records += summary_rows(kept, [c.lower() for c in shown])
    frame = pd.DataFrame(records, columns=_columns(shown), dtype=object)
    return frame.where(frame.notna(), None)


def _bloom_codes(method: str, stages: Sequence[str] | None) -> list[str]:
    """The bloom stages asked for, refusing others (exit 2)."""
    allowed = [c for c in BLOOM_STAGES if method != "flower_ratio" or c in FLOWER_RATIO_MEASURES]
    for code in stages or ():
        if code.upper() not in allowed:
            raise UsageError(
                f"--stage {code} is not a stage of the bloom timeline ({method})",
                hint="with --bloom give " + ", ".join(allowed) + ", or leave --bloom out",
            )
    wanted = {c.upper() for c in stages or ()}
    return [c for c in BLOOM_STAGES if c in wanted] if wanted else list(BLOOM_STAGES)


def _by_group(rows: Sequence[StageDate]) -> dict[Group, dict[int, dict[str, StageDate]]]:
    by_group: dict[Group, dict[int, dict[str, StageDate]]] = defaultdict(lambda: defaultdict(dict))
    for r in rows:
        seasons = by_group[Group(r.station, r.plot, r.cultivar)]
        if r.status in (STAGE_DATE_STATUS, "not_reached"):
            seasons[r.season][r.stage_code] = r
        else:
            seasons.setdefault(r.season, {})
    return by_group


def _in_period(row: dict[str, Any], season: int | None, year: int | None) -> bool:
    if season is not None:
        return bool(row["season"] == season)
    if year is not None:
        dates = (row.get(f"{c.lower()}_date") for c in BLOOM_STAGES)
        return any(d is not None and d.year == year for d in dates)
    return True


def _columns(codes: Sequence[str]) -> list[str]:
    head = ["station", "plot", "cultivar", "season", "season_label"]
    stages = [c.lower() for c in codes]
    per_row = ("date", "anomaly", "baseline", "baseline_n")
    cols = head + [f"{s}_{what}" for what in per_row for s in stages]
    cols += ["duration_days", *(f"duration_{what}" for what in per_row[1:])]
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
        for code in BLOOM_STAGES:
            hit = seasons[season].get(code) if code in codes else None
            row[f"{code.lower()}_date"] = hit.date if hit else None
        out.append(row)
    add_stage_statistics(out, BLOOM_STAGES)
    add_duration_statistics(out)
    return out
