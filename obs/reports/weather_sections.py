"""Weather sections of the reports: by month, by stage interval, chilling and completeness.

Statistics come from :mod:`obs.indices` (``period_summary``, ``monthly_climate``, the chill
models); this module only picks columns, rounds them to the printed precision and writes
the notes that say what is missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from obs import indices
from obs.reports.model import Section, whole_numbers
from schemas.messages import message

#: Columns of the monthly weather tables (§9.2 item 3, §9.3 item 8).
MONTH_COLUMNS: tuple[str, ...] = (
    "t_mean", "t_max_mean", "t_min_mean", "t_max_extreme", "t_max_extreme_date",
    "t_min_extreme", "t_min_extreme_date", "precip", "rain_days", "sunshine",
    "active_ge0", "active_ge5", "active_ge10", "effective_gt10", "frost_days", "hot_days",
    "dry_spell_days", "days_present", "complete", "incomplete_elements",
)  # fmt: skip
#: Columns of the by-stage weather table.
INTERVAL_COLUMNS: tuple[str, ...] = (
    "plot", "cultivar", "from_stage", "to_stage", "start", "end", "n_days", "t_mean",
    "t_max_extreme", "t_min_extreme", "precip", "rain_days", "sunshine", "active_ge0",
    "active_ge5", "active_ge10", "effective_gt10", "days_present",
)  # fmt: skip
#: Columns rounded to one decimal (the resolution of the daily data, §4.12).
_ONE_DECIMAL = (
    "t_mean",
    "t_max_mean",
    "t_min_mean",
    "t_max_extreme",
    "t_min_extreme",
    "precip",
    "sunshine",
    "active_ge0",
    "active_ge5",
    "active_ge10",
    "effective_gt10",
)
#: Lower bounds are said per element (completeness note of :mod:`schemas.messages`).
_INCOMPLETE_ZH = message("note.lower_bounds", "zh")
_INCOMPLETE_EN = message("note.lower_bounds", "en")
#: The accumulated temperatures (§10.4) and the two precipitation thresholds, said once.
_TERMS_ZH = (
    "积温以日平均气温计（§10.4）：≥B℃积温为T≥B之日T之和，有效积温(>10℃)为T>10℃之日"
    "(T−10)之和。降水日数为日降水≥0.1mm的日数；最长连续少雨日数为日降水<1mm的最长连续日数。"
)
_TERMS_EN = (
    "Accumulated temperatures use the daily mean T (§10.4): AT≥B sums T over days with "
    "T ≥ B; the effective accumulated temperature sums T − 10 over days with T > 10 °C. "
    "Rain days have ≥ 0.1 mm; the longest dry spell counts consecutive days with < 1 mm."
)


_COUNTS = ("n_days", "days_present", "rain_days", "frost_days", "hot_days", "dry_spell_days")


def _rounded(frame: pd.DataFrame) -> pd.DataFrame:
    for col in _ONE_DECIMAL:
        if col in frame.columns:
            frame[col] = pd.to_numeric(frame[col], errors="coerce").round(1)
    return whole_numbers(frame, _COUNTS)


def _summary_row(daily: indices.DailyArrays, start: dt.date, end: dt.date) -> dict[str, object]:
    row = indices.period_summary(daily, start, end).as_row()
    return {c: row[c] for c in MONTH_COLUMNS}


def monthly_section(
    daily: pd.DataFrame,
    start: dt.date,
    end: dt.date,
    total_label: str,
    *,
    section_id: str = "weather_monthly",
    unrounded: pd.Series | None = None,
) -> Section:
    """Weather month by month over [start, end] plus a total row named ``total_label``.

    With ``unrounded`` (per day, the sum of the stored sub-daily precipitation), ``precip``
    sums the unrounded values where the store has them (:mod:`obs.indices.extremes`).
    """
    arrays = indices.daily_arrays(daily.loc[pd.Timestamp(start) : pd.Timestamp(end)])
    months = indices.monthly_climate(arrays)
    frame = months.reindex(columns=list(MONTH_COLUMNS)).reset_index()
    total = {"month": total_label, **_summary_row(arrays, start, end)}
    frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    if unrounded is not None:
        frame["precip"] = _precip_totals(daily, unrounded, frame["month"], start, end)
    frame["complete"] = frame["complete"].astype(bool)
    return Section(
        section_id,
        "逐月气象条件",
        "Weather by month",
        _rounded(frame),
        (_TERMS_ZH, _INCOMPLETE_ZH),
        (_TERMS_EN, _INCOMPLETE_EN),
    )


def _precip_totals(
    daily: pd.DataFrame, unrounded: pd.Series, months: pd.Series, start: dt.date, end: dt.date
) -> list[float | None]:
    """Precipitation of each ``YYYY-MM`` month row (whole months) and of the total row."""
    from obs.indices.extremes import precipitation_total_unrounded

    out = []
    for label in months:
        first, last = start, end
        if len(str(label)) == 7 and str(label)[4] == "-":
            first = dt.date(int(str(label)[:4]), int(str(label)[5:]), 1)
            last = (pd.Timestamp(first) + pd.offsets.MonthEnd(0)).date()
        out.append(precipitation_total_unrounded(daily, unrounded, first, last).value)
    return out


def interval_section(
    daily: pd.DataFrame, spans: Sequence[tuple[str, str, str, str, dt.date, dt.date]]
) -> Section:
    """Weather of each stage-to-stage span (:func:`obs.reports.stage_tables.intervals`).

    Sums start the day after the earlier stage (§10.4).
    """
    rows = []
    arrays = indices.daily_arrays(daily)
    for plot, cultivar, first, second, day1, day2 in spans:
        start, end = indices.stage_interval(day1, day2)
        summary = indices.period_summary(arrays, start, end).as_row()
        rows.append(
            {
                "plot": plot,
                "cultivar": cultivar,
                "from_stage": first,
                "to_stage": second,
                "start": start,
                "end": end,
                **{c: summary[c] for c in INTERVAL_COLUMNS[6:]},
            }
        )
    frame = _rounded(pd.DataFrame(rows, columns=list(INTERVAL_COLUMNS)))
    return Section(
        "weather_stages",
        "分发育期气象条件",
        "Weather by stage interval",
        frame,
        (
            "各时段沿发育期链排列：花链（现蕾→露色→始花→盛花→末花）在前，其后为展叶、"
            "叶变色、落叶；FLS→FLE 行为整个花期。",
            "积温自前一发育期的次日起累计（§10.4）。",
        ),
        (
            "Periods follow the stage chains: the flower chain (FBV→FBC→FLS→FLF→FLE) first, "
            "then leaf-out, leaf colour and leaf fall; the FLS→FLE row is the whole bloom.",
            "Sums run from the day after the earlier stage to the later one (§10.4).",
        ),
    )


def completeness_section(daily: pd.DataFrame, start: dt.date, end: dt.date) -> Section:
    """Days with each element out of the days of the period, and which days are missing."""
    gaps = indices.missing_days(daily, start, end)
    rows = [
        {
            "element": name,
            "n_days": gaps.n_days,
            "days_present": gaps.n_days - len(days),
            "pct_present": round(100.0 * (gaps.n_days - len(days)) / max(gaps.n_days, 1), 0),
            "missing": day_ranges(days),
        }
        for name, days in gaps.by_element.items()
    ]
    frame = pd.DataFrame(
        rows, columns=["element", "n_days", "days_present", "pct_present", "missing"]
    )
    return Section(
        "completeness",
        "资料完整性",
        "Completeness",
        frame,
        (completeness_line(frame, "zh"),),
        (completeness_line(frame, "en"),),
    )


def completeness_line(frame: pd.DataFrame, lang: str) -> str:
    """One sentence: days with weather out of the days of the period, and what is missing."""
    from obs.reports.labels import cell_text

    n_days = int(frame["n_days"].max()) if len(frame) else 0
    present = int(frame["days_present"].min()) if len(frame) else 0
    lacking = frame[frame["days_present"] < frame["n_days"]]
    sep = "；" if lang == "zh" else "; "
    missing = sep.join(
        message(
            "note.completeness_missing",
            lang,
            element=cell_text("element", r.element, lang),  # type: ignore[arg-type]
            k=r.n_days - r.days_present,
        )
        for r in lacking.itertuples()
    )
    head = message("note.completeness_all", lang, n=n_days, present=present)
    return head + (missing or message("note.completeness_none", lang))


def day_ranges(days: Sequence[dt.date], limit: int = 8) -> str:
    """Dates as compact ranges: ``2024-05-03…2024-05-07, 2024-06-01`` (at most ``limit``)."""
    spans: list[list[dt.date]] = []
    for day in days:
        if spans and (day - spans[-1][1]).days == 1:
            spans[-1][1] = day
        else:
            spans.append([day, day])
    parts = [a.isoformat() if a == b else f"{a.isoformat()}…{b.isoformat()}" for a, b in spans]
    more = f", … (+{len(parts) - limit})" if len(parts) > limit else ""
    return ", ".join(parts[:limit]) + more
