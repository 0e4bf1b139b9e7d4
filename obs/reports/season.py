"""The flowering-season report (§9.2): one season, 1 April to 31 March.

:func:`season_report` reads once (:func:`obs.reports.reads.load`); :func:`season_sections`
and every section builder it calls are pure functions of what was read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from sqlmodel import Session

from obs.reports import reads
from obs.reports import record_sections as records
from obs.reports import stage_tables as stages
from obs.reports import weather_sections as weather
from obs.reports.appraisal import season_appraisal
from obs.reports.chill_section import chill_section, hourly_for, window_of
from obs.reports.indices_section import indices_section
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
    data = reads.load(
        session,
        station=station,
        plot=plot,
        method=method,
        period=season_bounds(season),
        appraised=season,
        chill_window=lambda dates: window_of(season, dates),
    )
    return season_sections(data, season, heating_base=heating_base, cooling_base=cooling_base)


def season_sections(
    data: reads.ReportData,
    season: int,
    *,
    heating_base: float = HEATING_DEGREE_BASE,
    cooling_base: float = COOLING_DEGREE_BASE,
) -> Report:
    """The season report built from what :func:`obs.reports.reads.load` read for it."""
    scope, start, end = data.scope, data.start, data.end
    all_dates = data.stage_dates
    dates = [d for d in all_dates if d.season == season]
    single = stages.single_dates(dates)
    daily = data.daily_between(start, end)
    unrounded = data.unrounded
    plots = scope.plots
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
        _chilling(data, daily),
        records.disaster_section(data.disasters_between(start, end), plots),
        records.pest_section(data.pests, plots),
        records.status_section(records.status_rows(data.status, plots)),
        records.growth_section(data.growth),
        records.yield_section(data.yields, plots),
        records.fieldwork_section(data.fieldwork, plots),
        season_appraisal(data, season),
        weather.completeness_section(daily, start, end),
    )
    period = HeaderField("season", "年度", "Season", f"{season_label(season)} ({start}…{end})")
    return Report(
        "season",
        f"{season_label(season)} 蜡梅花期年度报告",
        f"Wintersweet season report {season_label(season)}",
        report_header(data, period),
        sections,
        chart_series(data, daily, single),
    )


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


def _chilling(data: reads.ReportData, daily: pd.DataFrame) -> Section:
    assert data.chill is not None  # season_report always loads the chilling window
    start, end = data.chill
    station = data.scope.station
    hourly, observed = hourly_for(
        data.hourly, station.latitude, station.longitude, daily, start, end
    )
    return chill_section(hourly, observed, daily, start, end)


def report_header(data: reads.ReportData, period: HeaderField) -> tuple[HeaderField, ...]:
    """The header of a season or year report: station, plots, cultivars, ``period``,
    observers and marked plants."""
    scope = data.scope
    return (
        HeaderField("station", "观测站", "Station", f"{scope.station.code} {scope.station.name}"),
        HeaderField("plots", "观测地段", "Plots", ", ".join(p.code for p in scope.plots)),
        cultivars_field(scope.plots),
        period,
        HeaderField("observers", "观测员", "Observers", ", ".join(data.observers)),
        HeaderField("marked_plants", "观测株数", "Marked plants", sum(data.plant_counts.values())),
    )


def chart_series(
    data: reads.ReportData, daily: pd.DataFrame, single: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """The data behind a report's charts (:attr:`obs.reports.model.Report.series`)."""
    bloom = [d for d in data.stage_dates if d.stage_code in HISTORY_STAGES]
    return {"daily": daily, "stages": single, "bloom": stages.single_dates(bloom)}


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
