"""``obs report region``: stations side by side on a central database, one season or year.

For each station and plot (and cultivar) of the period:

- ``stages``: the derived stage dates of 始花期 FLS, 盛花期 FLF and 末花期 FLE — 始期, 普遍期 and
  末期 (:func:`obs.stagedates.derive_stage_dates`, plant-share method), each with its anomaly
  against the *station's own* earlier seasons (§9.4 day counts; + = later);
- ``bloom``: the bloom period (FLS 普遍期 to FLE 普遍期), its duration and the duration's anomaly
  (:func:`obs.stagedates.bloom_table`), and the weather of the bloom period at the station:
  mean temperature, precipitation and sunshine totals, days with data.

``series["bloom_by_season"]`` (FLS/FLF/FLE 普遍期 of every season, every plot) is what
:func:`region_chart` draws: bloom dates by station and season. Nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd
from sqlmodel import Session, select

from obs.errors import NotFoundError
from obs.lookup import resolve_ref
from obs.reports.charts import Chart, figure_bytes, figure_context
from obs.reports.model import HeaderField, Report, Section
from obs.reports.reads import daily_weather
from obs.seasons import season_label
from obs.stagedates import bloom_table, day_count, derive_stage_dates
from schemas.site_tables import Station

#: The bloom stages of the region report.
REGION_STAGES: tuple[str, ...] = ("FLS", "FLF", "FLE")
_STATUSES = ("start", "general", "end")


def region_report(
    *,
    session: Session,
    season: int | None = None,
    year: int | None = None,
    stations: Sequence[str] | None = None,
) -> Report:
    """The region report of one season (``season``) or calendar year (``year``) over
    ``stations`` (codes; default every live station)."""
    from obs.stagedates._derive import check_period

    check_period(season, year)
    if season is None and year is None:
        from obs.errors import UsageError

        raise UsageError("give --season or --year", hint="e.g. --season 2024/25 or --year 2025")
    codes = station_codes(session, stations)
    wanted = set(codes)
    dates = [
        d
        for d in derive_stage_dates(
            session=session, season=season, year=year, stages=list(REGION_STAGES)
        )
        if d.station in wanted
    ]
    bloom_all = bloom_table(session=session, stages=list(REGION_STAGES))
    bloom_all = bloom_all[bloom_all["station"].isin(wanted)]
    bloom = bloom_table(session=session, season=season, year=year, stages=list(REGION_STAGES))
    bloom = bloom[bloom["station"].isin(wanted)]
    period = season_label(season) if season is not None else str(year)
    header = (
        HeaderField("period", "时段", "Period", period),
        HeaderField("stations", "台站", "Stations", "、".join(codes), ", ".join(codes)),
    )
    notes_zh = (
        "距平：与本站往年（不含本季）平均日序之差，正值为偏晚（天）。",
        "花期：始花期普遍期至末花期普遍期；花期气象为该时段本站逐日资料。",
    )
    notes_en = (
        "Anomaly: against the station's own earlier seasons (day counts; + = later) [days].",
        "Bloom period: FLS to FLE (general dates); its weather from the station's daily data.",
    )
    sections = (
        Section("stages", "各站花期发育期", "Bloom stages by station", _stage_frame(dates)),
        Section(
            "bloom",
            "各站花期及花期气象",
            "Bloom period and its weather by station",
            _bloom_frame(session, bloom),
            notes_zh,
            notes_en,
        ),
    )
    return Report(
        "region",
        f"区域花期报告 {period}",
        f"Regional bloom report {period}",
        header,
        sections,
        {"bloom_by_season": _by_season(bloom_all)},
    )


def station_codes(session: Session, asked: Sequence[str] | None) -> list[str]:
    """The station codes of the report: the ones asked for (each must exist), else all live."""
    if asked:
        return [resolve_ref(session, "station", code.strip()).code for code in asked]
    codes = list(
        session.exec(
            select(Station.code).where(Station.deleted_at.is_(None)).order_by(Station.code)  # type: ignore[union-attr]
        )
    )
    if not codes:
        raise NotFoundError("the database has no stations", hint="add one: obs station add …")
    return codes


def _stage_frame(dates: Sequence[Any]) -> pd.DataFrame:
    """One row per station, plot, cultivar, season and stage: 始期/普遍期/末期 and anomalies."""
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    for d in dates:
        key = (d.station, d.plot, d.cultivar, d.season, REGION_STAGES.index(d.stage_code))
        row = rows.setdefault(
            key,
            {
                "station": d.station,
                "plot": d.plot,
                "cultivar": d.cultivar,
                "season": season_label(d.season),
                "stage": d.stage_code,
                **{f"{s}_{what}": None for s in _STATUSES for what in ("date", "anomaly")},
            },
        )
        if d.status in _STATUSES:
            row[f"{d.status}_date"] = d.date
            row[f"{d.status}_anomaly"] = d.anomaly_days
    columns = ["station", "plot", "cultivar", "season", "stage"]
    columns += [f"{s}_{what}" for s in _STATUSES for what in ("date", "anomaly")]
    return pd.DataFrame([rows[k] for k in sorted(rows)], columns=columns, dtype=object)


def _bloom_frame(session: Session, bloom: pd.DataFrame) -> pd.DataFrame:
    """Bloom period, duration and anomaly, and the period's weather, per plot and season."""
    columns = [
        "station",
        "plot",
        "cultivar",
        "season",
        "start",
        "end",
        "duration_days",
        "duration_anomaly",
        "t_mean",
        "precip",
        "sunshine",
        "days_present",
    ]
    records = []
    weather = _weather(session, bloom)
    for row in bloom.to_dict("records"):
        start, end = row["fls_date"], row["fle_date"]
        days = None
        if start is not None and end is not None:
            days = weather[row["station"]].loc[pd.Timestamp(start) : pd.Timestamp(end)]
        records.append(
            {
                "station": row["station"],
                "plot": row["plot"],
                "cultivar": row["cultivar"],
                "season": row["season_label"],
                "start": start,
                "end": end,
                "duration_days": row["duration_days"],
                "duration_anomaly": row["duration_anomaly"],
                "t_mean": _mean(days, "t_mean"),
                "precip": _total(days, "precip"),
                "sunshine": _total(days, "sunshine"),
                "days_present": None if days is None else int(days["t_mean"].notna().sum()),
            }
        )
    frame = pd.DataFrame(records, columns=columns, dtype=object)
    return frame.where(frame.notna(), None)


def _weather(session: Session, bloom: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Daily weather per station code over the span of its bloom periods (one read each)."""
    out: dict[str, pd.DataFrame] = {}
    for code, rows in bloom.groupby("station"):
        starts = [d for d in rows["fls_date"] if d is not None]
        ends = [d for d in rows["fle_date"] if d is not None]
        if not starts or not ends:
            continue
        station = resolve_ref(session, "station", str(code))
        out[str(code)] = daily_weather(session, station.id, min(starts), max(ends))
    return out


def _mean(days: pd.DataFrame | None, column: str) -> float | None:
    if days is None or days[column].notna().sum() == 0:
        return None
    return round(float(days[column].mean()), 1)


def _total(days: pd.DataFrame | None, column: str) -> float | None:
    if days is None or days[column].notna().sum() == 0:
        return None
    return round(float(days[column].sum()), 1)


def _by_season(bloom: pd.DataFrame) -> pd.DataFrame:
    """Station, plot, season and the FLS/FLF/FLE general dates of every season."""
    keep = ["station", "plot", "cultivar", "season", *(f"{c.lower()}_date" for c in REGION_STAGES)]
    return bloom[keep].reset_index(drop=True)


#: Chart texts per language.
_CHART_TEXT = {
    "zh": {
        "title": "各站盛花期（点）与花期（竖条：始花期—末花期）",
        "x": "年度",
        "y": "日期",
        "band": "台站 地段",
    },
    "en": {
        "title": "Full bloom (dots) and bloom period (bars: FLS to FLE) by station",
        "x": "Season",
        "y": "Date",
        "band": "Station, plot",
    },
}


def region_chart(report: Report, fmt: str = "png", lang: str = "zh") -> Chart:
    """Bloom dates by station and season: per station (and plot) the FLF date of each season
    as a line, with the FLS–FLE span as a bar."""
    data = report.series.get("bloom_by_season", pd.DataFrame())
    with figure_context(fmt, lang) as (used, note):
        import matplotlib.pyplot as plt
        from matplotlib.ticker import FuncFormatter, MaxNLocator

        text = _CHART_TEXT[used]
        fig, ax = plt.subplots(figsize=(9, 5))
        groups = list(data.groupby(["station", "plot"])) if not data.empty else []
        width = 0.8 / max(len(groups), 1)
        for i, ((station, plot), rows) in enumerate(groups):
            seasons = [int(s) for s in rows["season"]]
            label = f"{station} {plot}"
            x = [s + (i - len(groups) / 2) * width for s in seasons]
            flf = [
                float("nan") if c is None else float(c)
                for c in (_count(d, s) for d, s in zip(rows["flf_date"], seasons, strict=True))
            ]
            (line,) = ax.plot(x, flf, marker="o", label=label)
            for xs, s, a, b in zip(x, seasons, rows["fls_date"], rows["fle_date"], strict=True):
                lo, hi = _count(a, s), _count(b, s)
                if lo is not None and hi is not None:
                    ax.vlines(xs, lo, hi, color=line.get_color(), alpha=0.35, linewidth=3)
        ax.set_title(text["title"])
        ax.set_xlabel(text["x"])
        ax.set_ylabel(text["y"])
        ax.yaxis.set_major_formatter(FuncFormatter(_month_day))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if groups:
            ax.legend(fontsize="small", ncol=2, title=text["band"])
        ax.grid(alpha=0.3)
        fig.tight_layout()
        data_bytes = figure_bytes(fig, fmt)
        plt.close(fig)
    return Chart(data_bytes, fmt, used, note)


def _count(day: dt.date | None, season: int) -> int | None:
    return None if day is None else day_count(day, season)


def _month_day(value: float, _pos: int) -> str:
    from obs.stagedates import date_of_day_count

    return date_of_day_count(round(value), 2001).strftime("%m-%d")
