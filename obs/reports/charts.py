"""Report charts (matplotlib, Agg backend, imported lazily): one figure, two panels.

Top: daily Tmax/Tmin lines [°C], precipitation bars [mm] on a second axis, and shaded bloom
bands FBC→FLS→FLF→FLE. Bottom: bloom dates (FLS, FLF, FLE) of every season, with each stage's
multi-year mean (dashed) and linear trend (dotted, least squares over the seasons, shown when
at least ``MIN_TREND_SEASONS`` seasons have a date). Stages are labelled by name in the
chart's language with the code in parentheses (``始花期 (FLS)``).

Chinese labels use the bundled Noto Sans CJK SC (:mod:`obs.reports.fonts`), registered with
matplotlib by file path; an installed family of ``CJK_FAMILIES`` serves when the bundle is
missing, and with neither the chart falls back to English labels and ``Chart.note`` names the
fix. The top panel spans the days that have weather (a season without summer data starts
when its data start); the bottom panel with one season spans that season ± 1.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from obs.errors import UsageError
from obs.reports.model import Report
from schemas.messages import message
from schemas.vocab_index import term

#: Font families searched for Chinese labels, in order of preference.
CJK_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "AR PL UMing CN",
)
#: Seasons a stage needs before its trend line is drawn.
MIN_TREND_SEASONS = 3
#: Colours of the bloom bands and bloom-date series.
STAGE_COLOURS: dict[str, str] = {
    "FBC": "#f6e3a1",
    "FLS": "#f2c94c",
    "FLF": "#e0a526",
    "FLE": "#b07d1a",
}
BAND_STAGES: tuple[str, ...] = ("FBC", "FLS", "FLF", "FLE")
HISTORY_STAGES: tuple[str, ...] = ("FLS", "FLF", "FLE")
#: Origin of the day counts on the bloom-history axis (month, day) in the season's first year.
HISTORY_ORIGIN: tuple[int, int] = (10, 1)
FORMATS: tuple[str, ...] = ("png", "svg")
#: Figure margins of the report chart (the legend of the lower panel sits right of it).
_GRID: dict[str, float] = {
    "left": 0.065, "right": 0.80, "top": 0.93, "bottom": 0.07, "hspace": 0.28,
}  # fmt: skip
_TEXT_KEYS = ("temp", "precip", "tmax", "tmin", "history", "mean", "trend", "season", "per_decade")
#: Chart words per language (from the message catalogue), with the language itself.
_TEXT = {
    lang: {"lang": lang, **{k: message(f"chart.{k}", lang) for k in _TEXT_KEYS}}
    for lang in ("zh", "en")
}


def stage_text(code: str, lang: str) -> str:
    """``始花期 (FLS)`` / ``First flowering (FLS)``: the stage name with its code."""
    entry = term("stages", code)
    return code if entry is None else f"{entry.label(lang)} ({code})"  # type: ignore[arg-type]


@dataclass(frozen=True)
class Chart:
    """A rendered chart: the file content, the label language used and an optional note."""

    data: bytes
    fmt: str
    lang: str
    note: str | None = None


def cjk_font() -> str | None:
    """The bundled CJK family (registered on first call), else an installed one, or None."""
    from matplotlib import font_manager

    from obs.reports.fonts import register_matplotlib

    bundled = register_matplotlib()
    if bundled is not None:
        return bundled
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FAMILIES if name in installed), None)


@contextmanager
def figure_context(fmt: str, lang: str) -> Iterator[tuple[str, str | None]]:
    """The shared figure setup of every chart: yields ``(lang_used, note)``.

    Refuses a format outside ``FORMATS`` (UsageError), selects the Agg backend, and inside
    yields with the matplotlib rc of the charts (deterministic SVG, text as paths, the CJK
    font when ``lang`` is zh). Without a CJK font ``lang_used`` is ``"en"`` and ``note`` says so.
    """
    if fmt not in FORMATS:
        raise UsageError(f"cannot draw a chart as .{fmt}", hint="name a .png or .svg file")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    note, font = None, cjk_font() if lang == "zh" else None
    if lang == "zh" and font is None:
        from obs.reports.fonts import missing_font_note

        lang, note = "en", missing_font_note("en")
    rc: Any = {"svg.hashsalt": "obs", "svg.fonttype": "path"}
    if font:
        rc["font.family"] = [font, "DejaVu Sans"]
    with plt.rc_context(rc):
        yield ("zh" if lang == "zh" else "en"), note


def figure_bytes(fig: Any, fmt: str) -> bytes:
    """``fig`` saved as ``fmt`` without date or software stamps (same data, same bytes); closed."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    metadata: dict[str, Any] = {"Date": None} if fmt == "svg" else {"Software": None}
    fig.savefig(buffer, format=fmt, dpi=110, metadata=metadata)
    plt.close(fig)
    return buffer.getvalue()


def report_chart(report: Report, fmt: str = "png", lang: str = "zh") -> Chart:
    """Draw the weather-and-bloom figure of a season or year report as PNG or SVG bytes."""
    with figure_context(fmt, lang) as (lang, note):
        import matplotlib.pyplot as plt

        # fixed margins, not layout="constrained": the layout pass cost more than the drawing
        fig, (top, bottom) = plt.subplots(
            2, 1, figsize=(11, 8), height_ratios=(3, 2), gridspec_kw=_GRID
        )
        _weather_panel(top, report, _TEXT[lang])
        _history_panel(bottom, report.series.get("bloom", pd.DataFrame()), _TEXT[lang])
        fig.suptitle(report.zh if lang == "zh" else report.en)
        data = figure_bytes(fig, fmt)
    return Chart(data, fmt, lang, note)


def _weather_panel(ax: Any, report: Report, text: dict[str, str]) -> None:
    daily = _with_data(report.series.get("daily", pd.DataFrame()))
    if daily.empty:
        _empty(ax, message("chart.no_weather", text["lang"]))
        return
    rain = ax.twinx()
    # one step polygon rather than a bar patch per day (same look, a tenth of the time)
    rain.fill_between(
        daily.index,
        0,
        daily["precip"].fillna(0).to_numpy(dtype=float),
        step="mid",
        color="#4a90d9",
        alpha=0.45,
        lw=0,
        label=text["precip"],
    )
    rain.set_ylabel(text["precip"])
    rain.set_ylim(0, max(float(daily["precip"].max() or 0) * 2.5, 10))
    ax.plot(daily.index, daily["t_max"], color="#d9534f", lw=1, label=text["tmax"])
    ax.plot(daily.index, daily["t_min"], color="#2c6fbb", lw=1, label=text["tmin"])
    _stage_bands(ax, report.series.get("stages", pd.DataFrame()), daily, text["lang"])
    ax.set_ylabel(text["temp"])
    ax.set_xlim(daily.index[0], daily.index[-1])
    ax.set_zorder(rain.get_zorder() + 1)
    ax.patch.set_visible(False)
    ax.grid(alpha=0.3)
    handles = ax.get_legend_handles_labels()[0] + rain.get_legend_handles_labels()[0]
    ax.legend(handles=handles, loc="lower left", ncol=3, fontsize=8)


def _with_data(daily: pd.DataFrame) -> pd.DataFrame:
    """The days from the first to the last with any weather value (leading/trailing gaps cut)."""
    columns = [c for c in ("t_max", "t_min", "precip") if c in daily.columns]
    if daily.empty or not columns:
        return pd.DataFrame()
    present = daily[columns].notna().any(axis=1)
    if not present.any():
        return pd.DataFrame()
    days = daily.index[present.to_numpy()]
    return daily.loc[days[0] : days[-1]]


def _empty(ax: Any, text: str) -> None:
    """An empty panel that says why it is empty."""
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="#666")
    ax.set_xticks([])
    ax.set_yticks([])


def _stage_bands(ax: Any, stages: pd.DataFrame, daily: pd.DataFrame, lang: str) -> None:
    """Shade FBC→FLS, FLS→FLF and FLF→FLE of the first plot, labelled with the stage name."""
    if stages.empty:
        return
    first = stages[(stages["plot"] == stages["plot"].iloc[0]) & (stages["stage"].isin(BAND_STAGES))]
    for _season, group in first.groupby("season"):
        dates = dict(zip(group["stage"], group["date"], strict=True))
        present = [s for s in BAND_STAGES if s in dates]
        for left, right in itertools.pairwise(present):
            ax.axvspan(
                pd.Timestamp(dates[left]),
                pd.Timestamp(dates[right]),
                color=STAGE_COLOURS[left],
                alpha=0.35,
                lw=0,
            )
        low, high = daily.index[0], daily.index[-1]
        for code in present:
            if not low <= pd.Timestamp(dates[code]) <= high:
                continue
            ax.axvline(pd.Timestamp(dates[code]), color=STAGE_COLOURS[code], lw=1.2)
            ax.annotate(
                stage_text(code, lang),
                (pd.Timestamp(dates[code]), 0.98),
                xycoords=("data", "axes fraction"),
                rotation=90,
                ha="right",
                va="top",
                fontsize=8,
            )


def _history_panel(ax: Any, bloom: pd.DataFrame, text: dict[str, str]) -> None:
    ax.set_title(text["history"], fontsize=10)
    if bloom.empty:
        _empty(ax, message("chart.no_history", text["lang"]))
        return
    first_plot = bloom[bloom["plot"] == bloom["plot"].iloc[0]]
    for code in HISTORY_STAGES:
        rows = first_plot[first_plot["stage"] == code].sort_values("season")
        if rows.empty:
            continue
        seasons = rows["season"].to_numpy(dtype=float)
        counts = np.array(
            [_day_count(d, int(s)) for d, s in zip(rows["date"], rows["season"], strict=True)],
            dtype=float,
        )
        colour = STAGE_COLOURS[code]
        name = stage_text(code, text["lang"])
        ax.plot(seasons, counts, "o-", color=colour, label=name)
        ax.axhline(counts.mean(), color=colour, ls="--", lw=1, label=f"{name} {text['mean']}")
        if len(seasons) >= MIN_TREND_SEASONS:
            slope, intercept = np.polyfit(seasons, counts, 1)
            ax.plot(
                seasons,
                slope * seasons + intercept,
                ":",
                color=colour,
                lw=1.5,
                label=f"{name} {text['trend']} {slope * 10:+.1f} {text['per_decade']}",
            )
    _day_axis(ax)
    ax.set_xlabel(text["season"])
    _season_axis(ax, sorted({int(s) for s in first_plot["season"]}))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))


def _season_axis(ax: Any, seasons: list[int]) -> None:
    """Whole seasons as ticks; one season spans itself ± 1 (not matplotlib's ± 100 years)."""
    from matplotlib.ticker import MaxNLocator

    if len(seasons) <= 1:
        only = seasons[0] if seasons else 0
        ax.set_xlim(only - 1, only + 1)
        ax.set_xticks([only])
        return
    pad = max(0.5, (seasons[-1] - seasons[0]) * 0.03)
    ax.set_xlim(seasons[0] - pad, seasons[-1] + pad)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def _day_count(day: dt.date, season: int) -> int:
    """Days from ``HISTORY_ORIGIN`` of the season's first year (that day = 0)."""
    return (day - dt.date(season, *HISTORY_ORIGIN)).days


def _day_axis(ax: Any) -> None:
    """Label day counts with the month-day they stand for (a non-leap season)."""
    origin = dt.date(2001, *HISTORY_ORIGIN)
    low, high = ax.get_ylim()
    ticks = [t for t in range(int(low) - int(low) % 15, int(high) + 15, 15) if low <= t <= high]
    ax.set_yticks(ticks)
    ax.set_yticklabels([(origin + dt.timedelta(days=t)).strftime("%m-%d") for t in ticks])
