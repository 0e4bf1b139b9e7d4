"""The climate-index section of the season and year reports: the indices people compare with
other programs (heating and cooling degree days, temperature day counts, the wettest day, rain
days by the CMA classes), month by month and for the whole period.

A pure function of already-loaded data (the daily frame and the unrounded precipitation sums);
the figures come from :mod:`obs.indices.extremes`, bases and thresholds from
:mod:`schemas.indices`.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from obs.indices.extremes import index_columns, monthly_indices, period_indices
from obs.reports.model import Section, whole_numbers
from schemas.indices import (
    COOLING_DEGREE_BASE,
    HEATING_DEGREE_BASE,
    RAIN_CLASS_DAYS,
    TEMPERATURE_DAYS,
)

#: Columns of the section (``month`` first).
INDEX_SECTION_COLUMNS: tuple[str, ...] = ("month", *index_columns())
_ONE_DECIMAL = ("hdd", "cdd", "t_max_extreme", "t_min_extreme", "precip_total", "precip_max")
_COUNTS = (
    *(r.key for r in TEMPERATURE_DAYS),
    *(r.key for r in RAIN_CLASS_DAYS),
    "t_max_extreme_days",
    "t_min_extreme_days",
    "precip_max_days",
    "n_days",
)
#: Extremes whose ties the notes name: (value column, zh, en, unit).
_EXTREMES = (
    ("precip_max", "最大日降水量", "largest daily precipitation", "mm"),
    ("t_max_extreme", "极端最高气温", "highest temperature", "℃"),
    ("t_min_extreme", "极端最低气温", "lowest temperature", "℃"),
)


def indices_section(
    daily: pd.DataFrame,
    start: dt.date,
    end: dt.date,
    total_label: str,
    *,
    unrounded: pd.Series | None = None,
    heating_base: float = HEATING_DEGREE_BASE,
    cooling_base: float = COOLING_DEGREE_BASE,
) -> Section:
    """Climate indices month by month over [start, end] plus a total row ``total_label``.

    ``unrounded`` (per day, the sum of the stored sub-daily precipitation) makes
    ``precip_total`` a sum of unrounded values where the store has them.
    """
    months = monthly_indices(
        daily, start, end, heating_base=heating_base, cooling_base=cooling_base,
        unrounded=unrounded,
    ).reset_index()  # fmt: skip
    whole = period_indices(
        daily, start, end, heating_base=heating_base, cooling_base=cooling_base,
        unrounded=unrounded,
    )  # fmt: skip
    total = {"month": total_label, **whole}
    frame = pd.concat([months, pd.DataFrame([total])], ignore_index=True)
    frame = frame.reindex(columns=list(INDEX_SECTION_COLUMNS))
    frame["complete"] = frame["complete"].astype(bool)
    for col in _ONE_DECIMAL:
        frame[col] = pd.to_numeric(frame[col], errors="coerce").round(1)
    frame = whole_numbers(frame, _COUNTS)
    ties_zh, ties_en = _tie_notes(frame)
    return Section(
        "indices",
        "气候指标",
        "Climate indices",
        frame,
        (_terms_zh(heating_base, cooling_base), *ties_zh),
        (_terms_en(heating_base, cooling_base), *ties_en),
    )


def _terms_zh(heating: float, cooling: float) -> str:
    return (
        f"采暖度日HDD为日平均气温低于{heating:g}℃部分之和，降温度日CDD为高于{cooling:g}℃部分"
        "之和（℃·d）。降水日数按日降水量等级（GB/T 28592）累计：小雨以上≥0.1mm、中雨以上≥10mm、"
        "大雨以上≥25mm、暴雨≥50mm。降水总量在有逐时资料处以未经修约的逐时值求和。"
        "极值出现多日（并列）时给出首日，并注明日数。"
    )


def _terms_en(heating: float, cooling: float) -> str:
    return (
        f"HDD sums {heating:g} °C minus the daily mean over days below it, CDD the daily mean "
        f"minus {cooling:g} °C over days above it (°C·d). Rain days by the CMA classes "
        "(GB/T 28592), class or heavier: ≥ 0.1, ≥ 10, ≥ 25 and ≥ 50 mm. Precipitation totals "
        "sum the unrounded sub-daily values where they are stored. An extreme reached on "
        "several days (a tie) gives the first date and the number of days."
    )


def _tie_notes(frame: pd.DataFrame) -> tuple[list[str], list[str]]:
    """One note per extreme reached on several days of a month or of the period."""
    zh, en = [], []
    for row in frame.to_dict("records"):
        for column, name_zh, name_en, unit in _EXTREMES:
            days = row[f"{column}_days"]
            if days is not None and days > 1:
                value, first = row[column], row[f"{column}_date"]
                zh.append(
                    f"{row['month']} {name_zh}{value:g}{unit}出现{days}天（并列），首日{first}。"
                )
                en.append(
                    f"{row['month']}: {name_en} {value:g} {unit} on {days} days (tied); "
                    f"first {first}."
                )
    return zh, en
