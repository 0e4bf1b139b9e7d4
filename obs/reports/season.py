"""The flowering-season report (§9.2): one season, 1 April to 31 March."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd
from sqlmodel import Session

from obs.reports import _data, records, stages, weather
from obs.reports.appraisal import season_appraisal
from obs.reports.chill import chill_section, chill_window, hourly_for
from obs.reports.indices import indices_section
from obs.reports.model import HeaderField, Report, Section
from obs.seasons import season_bounds, season_label
from schemas.indices import COOLING_DEGREE_BASE, HEATING_DEGREE_BASE
from schemas.stages import BLOOM_STAGES
from schemas.terms import Lang
from schemas.vocabulary import CULTIVARS_BY_CODE

#: What the anomaly column is: the stage-dates engine compares with the earlier seasons only
#: (obs.stagedates, CMA practice), never with a mean that includes this season.
ANOMALY_NOTE_ZH = "距平为普遍期与往年（不含本季）平均之差，正值偏晚。"
ANOMALY_NOTE_EN = (
    "anomaly = general date minus the mean of earlier seasons (this season excluded); + = later."
)
#: Stages whose single dates are shown in the charts' bloom history.
HISTORY_STAGES: tuple[str, ...] = ("FLS", "FLF", "FLE")


def season_report(
    *,
    session: Session,
    season: int,
    station: str | None = None,
    plot: str | None = None,
    method: str = "plants",
    heating_base: float = HEATING_DEGREE_BASE,
    cooling_base: float = COOLING_DEGREE_BASE,
) -> Report:
    """The report of one flowering season.

    Parameters
    ----------
    session
        An open session.
    season
        Season year (2024 = 2024/25, 1 Apr 2024 – 31 Mar 2025).
    station, plot
        Station code and optional plot code; with neither, the database's only station.
    method
        Stage-date method: ``"plants"`` (share of marked plants, §2.2) or ``"flower_ratio"``.
    heating_base, cooling_base
        Bases of the heating and cooling degree days of the climate-index section [°C].
    """
    scope = _data.resolve_scope(session, station, plot)
    start, end = season_bounds(season)
    all_dates = stages.derive(session=session, station=scope.station.code, plot=plot, method=method)
    dates = [d for d in all_dates if d.season == season]
    single = stages.single_dates(dates)
    daily = _data.daily_weather(session, _id(scope.station), start, end)
    unrounded = _data.precip_unrounded(session, _id(scope.station), start, end)
    sections = (
        _bloom_section(dates, single),
        weather.monthly_section(daily, start, end, season_label(season), unrounded=unrounded),
        indices_section(
            daily,
            start,
            end,
            season_label(season),
            unrounded=unrounded,
            heating_base=heating_base,
            cooling_base=cooling_base,
        ),
        weather.interval_section(daily, stages.intervals(single)),
        _chilling(session, scope, daily, season, single),
        records.disaster_section(session, scope.plots, start, end),
        records.pest_section(session, scope.plots, start, end),
        records.status_section(records.status_rows(session, scope.plots, start, end)),
        records.growth_section(session, scope.plots, start, end),
        records.yield_section(session, scope.plots, start, end),
        records.fieldwork_section(session, scope.plots, start, end),
        season_appraisal(session, scope, season, all_dates),
        weather.completeness_section(daily, start, end),
    )
    header = _header(session, scope, season, start, end)
    series = {
        "daily": daily,
        "stages": single,
        "bloom": stages.single_dates([d for d in all_dates if d.stage_code in HISTORY_STAGES]),
    }
    return Report(
        "season",
        f"{season_label(season)} 蜡梅花期年度报告",
        f"Wintersweet season report {season_label(season)}",
        header,
        sections,
        series,
    )


def _id(row: Any) -> int:
    return int(row.id)


def _bloom_section(dates: Sequence[Any], single: pd.DataFrame) -> Section:
    frame = stages.stage_table(dates, BLOOM_STAGES)
    notes_zh, notes_en = [], []
    for (plot, cultivar), group in single.groupby(["plot", "cultivar"], sort=True):
        by_stage = dict(zip(group["stage"], group["date"], strict=True))
        if "FLS" in by_stage and "FLE" in by_stage:
            days = (by_stage["FLE"] - by_stage["FLS"]).days
            notes_zh.append(f"{plot}（{cultivar}）花期（始花至末花）{days}天。")
            notes_en.append(f"{plot} ({cultivar}): bloom lasted {days} days (FLS to FLE).")
    notes_zh.append(f"始期/普遍期/末期为观测株达10%/50%/80%之日；{ANOMALY_NOTE_ZH}")
    notes_en.append(
        f"Start/general/end: 10/50/80 % of marked plants in the stage; {ANOMALY_NOTE_EN}"
    )
    return Section("bloom", "花期进程", "Bloom timeline", frame, tuple(notes_zh), tuple(notes_en))


def _chilling(
    session: Session, scope: _data.Scope, daily: pd.DataFrame, season: int, single: pd.DataFrame
) -> Section:
    fls = single.loc[single["stage"] == "FLS", "date"]
    first_bloom = min(fls) if len(fls) else None
    _, season_end = season_bounds(season)
    start, end = chill_window(season, first_bloom, season_end)
    hourly, observed = hourly_for(
        session,
        _id(scope.station),
        scope.station.latitude,
        scope.station.longitude,
        daily,
        start,
        end,
    )
    return chill_section(hourly, observed, daily, start, end)


def _header(
    session: Session, scope: _data.Scope, season: int, start: dt.date, end: dt.date
) -> tuple[HeaderField, ...]:
    counts = _data.plant_counts(session, scope.plot_ids)
    return (
        HeaderField("station", "观测站", "Station", f"{scope.station.code} {scope.station.name}"),
        HeaderField("plots", "观测地段", "Plots", ", ".join(p.code for p in scope.plots)),
        cultivars_field(scope.plots),
        HeaderField("season", "年度", "Season", f"{season_label(season)} ({start}…{end})"),
        HeaderField(
            "observers",
            "观测员",
            "Observers",
            ", ".join(_data.observers(session, scope.plot_ids, start, end)),
        ),
        HeaderField("marked_plants", "观测株数", "Marked plants", sum(counts.values())),
    )


def cultivar_text(code: str, lang: Lang = "zh") -> str:
    """``SUXIN 素心蜡梅`` / ``SUXIN Concolor wintersweet``: the code with its name in ``lang``."""
    entry = CULTIVARS_BY_CODE.get(code)
    return code if entry is None else f"{code} {entry.label(lang)}"


def cultivars_field(plots: Sequence[Any]) -> HeaderField:
    """The header's cultivars (sorted codes with their names), shown in the report's language."""
    codes = sorted({p.cultivar for p in plots})
    return HeaderField(
        "cultivars",
        "品种",
        "Cultivars",
        ", ".join(cultivar_text(c, "zh") for c in codes),
        ", ".join(cultivar_text(c, "en") for c in codes),
    )
