"""Texts of the bloom forecast: the remaining-days assumption and parameter lists (zh / en)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

from obs.forecast.data import from_day_of_season
from schemas.forecast import (
    ENSEMBLE_PERCENTILES,
    FORECAST_MODELS_BY_CODE,
    NORMALS_SMOOTHING_DAYS,
    WINDOW_DAYS,
)

if TYPE_CHECKING:
    from obs.forecast.service import BloomForecast

_LOW, _HIGH = (f"{p:g}" for p in ENSEMBLE_PERCENTILES)


def params_text(params: Mapping[str, float]) -> str:
    """``t1=30, t_base=5, f_crit=400`` (empty for the climatology baseline)."""
    return ", ".join(f"{name}={value:g}" for name, value in params.items())


def model_label(model: str, lang: str) -> str:
    """The model's name in ``lang`` (zh or en)."""
    return FORECAST_MODELS_BY_CODE[model].label("zh" if lang == "zh" else "en")


def _window_end(season: int) -> dt.date:
    return from_day_of_season(season, WINDOW_DAYS - 1)


def assumption_text(result: BloomForecast, lang: str) -> str:
    """How the days after ``as_of`` are filled and how the range is built, in ``lang``."""
    f = result.forecast
    n = len(result.training_seasons)
    if f.model == "climatology":
        if lang == "zh":
            return (
                f"气候基准：预计日期为{n}个训练年度日期的平均（四舍五入），范围为这些日期的分布。"
            )
        return (
            f"Climatology baseline: the expected date is the rounded mean of the {n} training "
            "dates; the range is their spread."
        )
    end = _window_end(result.season)
    remaining = (end - f.as_of).days if f.as_of else WINDOW_DAYS
    years = result.normals_years
    span = f"{years[0]}–{years[1]}" if years else "—"
    if lang == "zh":
        seen = f"已用截至{f.as_of}的实测日平均气温；" if f.as_of else "本季尚无实测气温；"
        return (
            f"{seen}其后至{end}的{remaining}天：预计日期用{span}年逐日气温常年值"
            f"（按日历日平均，{NORMALS_SMOOTHING_DAYS}天滑动平均）；范围用过去{f.members}个完整"
            f"年度各自的实况气温代替剩余天数（集合中位数、{_LOW}–{_HIGH}%及最早–最晚）。"
        )
    seen = (
        f"Observed daily mean temperature up to {f.as_of}"
        if f.as_of
        else "No temperature of the season observed yet"
    )
    return (
        f"{seen}; for the {remaining} remaining days to {end} the expected date uses the daily "
        f"normals of {span} (mean by calendar day, {NORMALS_SMOOTHING_DAYS}-day moving average), "
        f"and the range replays the weather of each of the {f.members} past seasons with "
        f"complete records (median, {_LOW}–{_HIGH} %, earliest–latest)."
    )
