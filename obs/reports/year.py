"""The calendar-year reports: 农气表-1 layout (§9.3), 农气表-3 phenology table (§9.4) and a
monthly climatological summary.

Stage dates are those of the seasons whose dates fall in the year (a bloom that starts in
December of the year before is not counted; its January dates are).
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
from obs.reports.indices_section import indices_section
from obs.reports.model import HeaderField, Report, Section
from obs.reports.season import ANOMALY_NOTE_EN, ANOMALY_NOTE_ZH, chart_series, report_header
from obs.seasons import year_bounds
from schemas.indices import COOLING_DEGREE_BASE, HEATING_DEGREE_BASE
from schemas.stages import STAGES


def year_report(
    *,
    session: Session,
    year: int,
    station: str | None = None,
    plot: str | None = None,
    method: str = "plants",
    heating_base: float = HEATING_DEGREE_BASE,
    cooling_base: float = COOLING_DEGREE_BASE,
) -> Report:
    """The yearly report of a station (or one plot) for the calendar ``year``; the other
    parameters are those of :func:`obs.reports.season_report`. The appraisal is that of the
    season starting in ``year`` (its summer falls in the year)."""
    period = year_bounds(year)
    data = reads.load(
        session, station=station, plot=plot, method=method, period=period, appraised=year
    )
    return year_sections(data, year, heating_base=heating_base, cooling_base=cooling_base)


def year_sections(
    data: reads.ReportData,
    year: int,
    *,
    heating_base: float = HEATING_DEGREE_BASE,
    cooling_base: float = COOLING_DEGREE_BASE,
) -> Report:
    """The year report built from what :func:`obs.reports.reads.load` read for it."""
    scope, start, end = data.scope, data.start, data.end
    all_dates = data.stage_dates
    dates = [d for d in all_dates if d.date is None or start <= d.date <= end]
    dates = [d for d in dates if d.date is not None]
    single = stages.single_dates(dates)
    daily = data.daily_between(start, end)
    unrounded = data.unrounded
    plots = scope.plots
    status = records.status_rows(data.status, plots)
    counts = data.plant_counts
    sections = (
        records.plot_section(plots, counts),
        _stage_section(dates, status),
        records.growth_section(data.growth),
        records.yield_section(data.yields, plots),
        records.disaster_section(data.disasters_between(start, end), plots),
        records.pest_section(data.pests, plots),
        records.fieldwork_section(data.fieldwork, plots),
        weather.interval_section(daily, stages.intervals(single)),
        _phenology_section(single),
        weather.monthly_section(
            daily, start, end, str(year), section_id="climate", unrounded=unrounded
        ),
        indices_section(
            daily,
            start,
            end,
            str(year),
            unrounded=unrounded,
            heating_base=heating_base,
            cooling_base=cooling_base,
        ),
        season_appraisal(data, year),
        weather.completeness_section(daily, start, end),
    )
    return Report(
        "year",
        f"{year}年 蜡梅农业气象观测年报表",
        f"Wintersweet yearly report {year}",
        report_header(data, HeaderField("year", "年份", "Year", year)),
        _titled(sections),
        chart_series(data, daily, single),
    )


def _titled(sections: Sequence[Section]) -> tuple[Section, ...]:
    """Rename the monthly section to the climatological summary it is in a year report."""
    out = []
    for sec in sections:
        if sec.id == "climate":
            sec = Section(
                "climate",
                "逐月气候概况",
                "Monthly climate summary",
                sec.frame,
                sec.notes_zh,
                sec.notes_en,
            )
        out.append(sec)
    return tuple(out)


def _stage_section(dates: Sequence[Any], status: pd.DataFrame) -> Section:
    """农气表-1 发育期: 始/普遍/末 dates, percent, anomaly and the growth class at the stage."""
    frame = stages.stage_table(dates)
    classes = {
        (r.plot, r.stage): r.growth_class
        for r in status.sort_values("date", ascending=False).itertuples()
    }
    frame.insert(
        11,
        "growth_class",
        [classes.get((p, s)) for p, s in zip(frame["plot"], frame["stage"], strict=True)],
    )
    return Section(
        "stages",
        "发育期",
        "Development stages",
        frame,
        (f"日期为本年内出现的发育期；{ANOMALY_NOTE_ZH}",),
        (f"Stages dated within the year; {ANOMALY_NOTE_EN}",),
    )


def _phenology_section(single: pd.DataFrame) -> Section:
    """农气表-3: one row per plot and cultivar, one column per stage (in the standard's order).

    Stage columns are named by the lower-case stage code (``fls``), as JSON keys are
    snake_case; their labels show the code and the stage name.
    """
    order = [s.code for s in STAGES if s.code in set(single["stage"])]
    if single.empty:
        frame = pd.DataFrame(columns=["plot", "cultivar"])
    else:
        frame = (
            single.pivot_table(
                index=["plot", "cultivar"], columns="stage", values="date", aggfunc="min"
            )
            .reindex(columns=order)
            .reset_index()
        )
        frame.columns.name = None
        frame = frame.rename(columns={code: code.lower() for code in order})
    return Section(
        "phenology",
        "自然物候观测记录（农气表-3）",
        "Phenology table (form 3)",
        frame.astype(object).where(frame.notna(), None),
        ("各列为发育期，日期为普遍期（50%观测株进入该期之日）。",),
        ("Columns are stages; dates are general dates (50 % of marked plants in the stage).",),
    )
