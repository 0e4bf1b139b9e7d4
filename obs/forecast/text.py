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
    """``t1=30, t_base=5, f_crit=412.3`` (empty for the climatology baseline).

    Up to 10 significant digits, so the printed values reproduce the fit (the exact
    ``f_crit`` is already the shortest decimal that does, :mod:`obs.forecast.exact`).
    """
    return ", ".join(f"{name}={value:.10g}" for name, value in params.items())


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
                f"气候基准：预报日期为{n}个训练年度日期的中位数，范围为这些日期的分布；"
                "常年值情景为其平均（四舍五入）。"
            )
        return (
            f"Climatology baseline: the forecast date is the median of the {n} training dates and "
            "the range is their spread; the normals scenario is their rounded mean."
        )
    end = _window_end(result.season)
    remaining = (end - f.as_of).days if f.as_of else WINDOW_DAYS
    years = result.normals_years
    span = f"{years[0]}–{years[1]}" if years else "—"
    if lang == "zh":
        seen = f"已用截至{f.as_of}的实测日平均气温；" if f.as_of else "本季尚无实测气温；"
        return (
            f"{seen}其后至{end}的{remaining}天分情景：过去{f.members}个完整年度各自的实况气温"
            f"各为一个情景，预报日期为这些情景的中位数，范围为{_LOW}–{_HIGH}%及最早–最晚；"
            f"另列常年值情景（{span}年逐日气温常年值，按日历日平均，"
            f"{NORMALS_SMOOTHING_DAYS}天滑动平均）。"
        )
    seen = (
        f"Observed daily mean temperature up to {f.as_of}"
        if f.as_of
        else "No temperature of the season observed yet"
    )
    return (
        f"{seen}; the {remaining} remaining days to {end} are filled by scenarios: the weather of "
        f"each of the {f.members} past seasons with complete records is one scenario, the "
        f"forecast date is their median and the range their {_LOW}–{_HIGH} % and "
        f"earliest–latest; the normals scenario (daily normals of {span}, mean by calendar "
        f"day, {NORMALS_SMOOTHING_DAYS}-day moving average) is shown beside them."
    )
