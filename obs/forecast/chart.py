"""Chart of a bloom forecast (matplotlib, Agg backend, imported lazily).

One panel, seasons along x and the date along y (days from 1 Oct, labelled month-day): the
observed date of every training season (filled dots), the selected model's leave-one-season-out
prediction (crosses), and this season's forecast: the ensemble median (diamond, the headline
date) with its 10–90 % range (thick bar) and earliest–latest range (thin bar); beside the bar,
every scenario's date (small dots, one per past season's weather) and the normals scenario
(short dash) as one scenario among them. A hindcast also shows the season's observed date. The
figure setup (format, backend, CJK font or English fallback noted in ``Chart.note``) is
:func:`obs.reports.charts.figure_context`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from obs.forecast.text import model_label
from obs.reports.charts import Chart, figure_bytes, figure_context
from obs.seasons import season_label
from schemas.forecast import ENSEMBLE_PERCENTILES, FORECAST_REFERENCE
from schemas.stages import STAGES_BY_CODE, STATUS_LABELS

if TYPE_CHECKING:
    from obs.forecast.service import BloomForecast

#: Colours: observed, cross-validated, forecast.
COLOURS: dict[str, str] = {"observed": "#b07d1a", "cv": "#2c6fbb", "forecast": "#d9534f"}
_P = "–".join(f"{p:g}" for p in ENSEMBLE_PERCENTILES)
_TEXT = {
    "zh": {"observed": "实测", "cv": "交叉验证预测", "median": "集合中位数",
           "inner": f"{_P}% 范围", "outer": "最早–最晚", "expected": "常年值情景",
           "scenario": "各年气温情景",
           "season": "年度", "date": "日期", "rmse": "交叉验证均方根误差",
           "baseline": "气候基准", "as_of": "截至", "hindcast": "本季实测（回报检验）",
           "mean": "多年平均", "d": "天", "title": "预报"},
    "en": {"observed": "observed", "cv": "cross-validated prediction", "median": "ensemble median",
           "inner": f"{_P} % range", "outer": "earliest–latest", "expected": "normals scenario",
           "scenario": "past-season scenarios",
           "season": "Season", "date": "Date", "rmse": "CV RMSE", "baseline": "climatology",
           "as_of": "as of", "hindcast": "observed this season (hindcast)",
           "mean": "multi-year mean", "d": "d", "title": "forecast"},
}  # fmt: skip


def _day(day: dt.date, season: int) -> int:
    """Days from the forecast reference date (1 Oct of the season year)."""
    return (day - dt.date(season, *FORECAST_REFERENCE)).days


def bloom_chart(result: BloomForecast, fmt: str = "png", lang: str = "zh") -> Chart:
    """Draw the forecast with the observed and cross-validated dates as PNG or SVG bytes."""
    with figure_context(fmt, lang) as (lang, note):
        import matplotlib.pyplot as plt

        text = _TEXT[lang]
        fig, ax = plt.subplots(figsize=(10, 5.5), layout="constrained")
        _history(ax, result, text)
        _forecast(ax, result, text)
        _axes(ax, result, text)
        ax.set_title(_title(result, lang, text), fontsize=11)
        data = figure_bytes(fig, fmt)
    return Chart(data, fmt, lang, note)


def _history(ax: Any, result: BloomForecast, text: dict[str, str]) -> None:
    seasons = [c.season for c in result.history]
    ax.plot(seasons, [_day(c.observed, c.season) for c in result.history], "o",
            color=COLOURS["observed"], label=text["observed"], zorder=3)  # fmt: skip
    if result.history:
        mean = sum(_day(c.observed, c.season) for c in result.history) / len(result.history)
        ax.axhline(mean, color=COLOURS["observed"], ls=":", lw=1, label=text["mean"])
    cv = [(c.season, _day(c.predicted, c.season)) for c in result.history if c.predicted]
    if cv:
        xs, ys = zip(*cv, strict=True)
        ax.plot(xs, ys, "x", color=COLOURS["cv"], ms=8, mew=1.8, label=text["cv"], zorder=4)


def _forecast(ax: Any, result: BloomForecast, text: dict[str, str]) -> None:
    f, s, colour = result.forecast, result.season, COLOURS["forecast"]
    if f.earliest and f.latest:
        ax.vlines(s, _day(f.earliest, s), _day(f.latest, s), color=colour, lw=1.5,
                  label=text["outer"])  # fmt: skip
    if f.low and f.high:
        ax.vlines(s, _day(f.low, s), _day(f.high, s), color=colour, lw=7, alpha=0.45,
                  label=text["inner"])  # fmt: skip
    if f.median:
        ax.plot(s, _day(f.median, s), "D", color=colour, ms=8, label=text["median"], zorder=5)
    dates = [_day(d, s) for _, d in f.scenarios if d is not None]
    if dates:
        ax.plot([s + 0.22] * len(dates), dates, ".", color="#555555", ms=5,
                label=text["scenario"], zorder=5)  # fmt: skip
    if f.normals:
        ax.plot(s + 0.22, _day(f.normals, s), "_", color="#333333", ms=14, mew=2,
                label=text["expected"], zorder=6)  # fmt: skip
    if result.observed:
        ax.plot(s, _day(result.observed, s), "o", mfc="none", color=COLOURS["observed"], ms=11,
                mew=2, label=text["hindcast"], zorder=6)  # fmt: skip


def _axes(ax: Any, result: BloomForecast, text: dict[str, str]) -> None:
    seasons = [*(c.season for c in result.history), result.season]
    ax.set_xticks(sorted(set(seasons)))
    ax.set_xticklabels([season_label(s) for s in sorted(set(seasons))], rotation=45, ha="right")
    ax.set_xlim(min(seasons) - 0.7, max(seasons) + 0.7)
    low, high = ax.get_ylim()
    ax.set_ylim(low - 3, high + 3)
    origin = dt.date(2001, *FORECAST_REFERENCE)
    step = 7 if high - low < 60 else 14
    ticks = list(range(int(low - 3) // step * step + step, int(high + 3) + 1, step))
    ax.set_yticks(ticks)
    ax.set_yticklabels([(origin + dt.timedelta(days=t)).strftime("%m-%d") for t in ticks])
    ax.set_xlabel(text["season"])
    ax.set_ylabel(text["date"])
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.text(1.01, 0.02, _scores(result, text), transform=ax.transAxes, fontsize=8, va="bottom")


def _scores(result: BloomForecast, text: dict[str, str]) -> str:
    f = result.forecast
    return (
        f"{text['rmse']}: {f.cv_rmse:.1f} {text['d']}\n"
        f"{text['baseline']}: {result.baseline_rmse:.1f} {text['d']}"
    )


def _title(result: BloomForecast, lang: str, text: dict[str, str]) -> str:
    site, f = result.site, result.forecast
    stage = STAGES_BY_CODE[result.stage].label("zh" if lang == "zh" else "en")
    status = STATUS_LABELS[result.status][0 if lang == "zh" else 1]
    as_of = f"{text['as_of']} {f.as_of} — " if f.as_of else ""
    return (
        f"{site.plot} ({site.cultivar}) {stage} ({status}) {text['title']} "
        f"{season_label(result.season)}\n{as_of}{model_label(f.model, lang)}"
    )
