"""Agromet condition appraisal (农业气象条件鉴定, §9.2 item 6, §9.3 item 9): rule-based sentences.

Each rule turns numbers of the report into one sentence in Chinese and English that states the
numbers it rests on, and one row of a facts table (``index``, window, value, multi-year mean,
anomaly, unit). Rules (thresholds in ``schemas.appraisal``; watch rules as in §7):

- bloom timing: the first-flowering (FLS) date and its anomaly against the earlier seasons;
- bloom length: FLE − FLS against the mean of the earlier seasons;
- bloom weather: mean temperature, sunshine and precipitation from the day after FLS to FLE
  (§10.4, as the whole-bloom row of the stage table) against the same calendar days of the
  earlier seasons; "more sunshine gives a longer bloom and a stronger scent; more rain gives a
  shorter bloom" (§3.3, [S26]);
- freeze (t_min ≤ −3 °C) and continuous rain (≥ 5 days with rain ≥ 0.1 mm and sunshine < 2 h)
  between FBC and FLE;
- summer heat (t_max ≥ 35 °C in Jun–Aug) and summer drought (dry spell ≥ 20 days in Jun–Sep),
  which affect flower-bud differentiation and bud set (§3.3, §7);
- the disasters recorded in the season.

The appraised unit is a season (1 April – 31 March): its summer sets the flower buds of the
bloom that follows. The year report of year Y appraises season Y/Y+1, whose summer falls in
the year and whose bloom starts in its December; the first note names the season.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from obs import indices
from obs.reports import appraisal_rules as rules
from obs.reports import appraisal_weather as weather
from obs.reports.appraisal_rules import Finding, finding, who
from obs.reports.appraisal_text import say
from obs.reports.labels import cell_text
from obs.reports.model import Section
from obs.reports.reads import ReportData
from obs.reports.record_sections import disaster_section
from obs.reports.stage_tables import single_dates
from obs.seasons import season_bounds, season_label
from schemas.appraisal import NORMAL_MAX_SEASONS, NORMAL_MIN_SEASONS, WATCH_STAGES
from schemas.terms import LANGS, Lang
from schemas.vocabulary import DISASTERS_BY_CODE

#: Columns of the facts table.
FINDING_COLUMNS: tuple[str, ...] = (
    "index", "plot", "start", "end", "value", "normal", "anomaly", "unit", "n_years",
)  # fmt: skip
#: Disasters whose watch rule (§7) the appraisal applies, in the order of the notes.
WATCHED: tuple[str, ...] = ("FREEZE", "CONTRAIN", "HEAT", "DROUGHT")


@dataclass(frozen=True)
class AppraisalInput:
    """What the appraisal of one season reads.

    ``arrays`` hold the station's daily weather from the earliest season of the multi-year
    means to the end of the season; ``single`` the single stage dates of the season (columns
    of :func:`obs.reports.stage_tables.single_dates`); ``bloom`` those of FLS and FLE in every
    season; ``disasters`` the disasters of the season (columns of
    :func:`obs.reports.record_sections.disaster_section`).
    """

    season: int
    season_end: dt.date
    arrays: indices.DailyArrays
    single: pd.DataFrame
    bloom: pd.DataFrame
    disasters: pd.DataFrame


def appraisal_section(data: AppraisalInput) -> Section:
    """The appraisal: a facts table (one row per finding) and its sentences as zh/en notes."""
    found: list[Finding] = []
    for (plot, cultivar), group in data.single.groupby(["plot", "cultivar"], sort=True):
        found += plot_findings(data, str(plot), str(cultivar), group)
    found += [
        weather.heat_finding(data.arrays, data.season),
        weather.drought_finding(data.arrays, data.season),
        disaster_finding(data.disasters),
    ]
    rows = [[getattr(f, c) for c in FINDING_COLUMNS] for f in found]
    frame = pd.DataFrame(rows, columns=list(FINDING_COLUMNS), dtype=object)
    watched = [DISASTERS_BY_CODE[c] for c in WATCHED]
    basis = say(
        "basis",
        rules=("、".join(f"{d.zh}（{d.watch_zh}）" for d in watched),
               "; ".join(f"{d.en} ({d.watch_en})" for d in watched)),
    )  # fmt: skip
    normals = say("normals", k=NORMAL_MIN_SEASONS)
    start, _ = season_bounds(data.season)
    scope = say("scope", season=season_label(data.season), start=start, end=data.season_end)
    return Section(
        "appraisal",
        "农业气象条件鉴定",
        "Agromet condition appraisal",
        frame,
        (scope[0], *(f.zh for f in found), basis[0], normals[0]),
        (scope[1], *(f.en for f in found), basis[1], normals[1]),
    )


def plot_findings(
    data: AppraisalInput, plot: str, cultivar: str, group: pd.DataFrame
) -> list[Finding]:
    """Bloom timing, length, weather and the bloom watch rules of one plot and cultivar."""
    dates = dict(zip(group["stage"], group["date"], strict=True))
    anomalies = dict(zip(group["stage"], group["anomaly_days"], strict=True))
    names = who(plot, cultivar)
    out = [rules.timing_finding(names, plot, dates.get("FLS"), _whole(anomalies.get("FLS")))]
    fls, fle = dates.get("FLS"), dates.get("FLE")
    if fls is None or fle is None or fle <= fls:
        out.append(rules.no_bloom_finding(names, plot))
    else:
        earlier = earlier_durations(data.bloom, plot, cultivar, data.season)
        out.append(rules.length_finding(names, plot, fls, fle, earlier))
        start, end = indices.stage_interval(fls, fle)
        out += weather.bloom_weather_findings(names, plot, data.arrays, start, end)
    window = watch_window(dates, data.season_end)
    if window is not None:
        out.append(weather.freeze_finding(names, plot, data.arrays, *window))
        out.append(weather.contrain_finding(names, plot, data.arrays, *window))
    return out


def watch_window(dates: dict[str, Any], season_end: dt.date) -> tuple[dt.date, dt.date] | None:
    """FBC (else FLS) to FLE (else the season's end): the window of the bloom watch rules."""
    first = dates.get(WATCH_STAGES[0]) or dates.get("FLS")
    if first is None:
        return None
    last = dates.get(WATCH_STAGES[1]) or season_end
    return (first, last) if last >= first else None


def _whole(value: Any) -> int | None:
    """An anomaly from a frame cell as int; None for None or NaN."""
    return None if value is None or pd.isna(value) else int(value)


def earlier_durations(bloom: pd.DataFrame, plot: str, cultivar: str, season: int) -> list[int]:
    """Bloom lengths FLE − FLS [d] of the seasons before ``season`` of one plot and cultivar."""
    rows = bloom[(bloom["plot"] == plot) & (bloom["cultivar"] == cultivar)]
    out = []
    for _, group in rows[rows["season"] < season].groupby("season", sort=True):
        dates = dict(zip(group["stage"], group["date"], strict=True))
        if "FLS" in dates and "FLE" in dates and dates["FLE"] > dates["FLS"]:
            out.append((dates["FLE"] - dates["FLS"]).days)
    return out


def disaster_finding(frame: pd.DataFrame) -> Finding:
    """The disasters recorded in the report period, with their dates and severity."""
    items: tuple[list[str], list[str]] = ([], [])
    for row in frame.itertuples():
        days = f"{row.start}" + (f"…{row.end}" if row.end and row.end != row.start else "")
        for lang, out in zip(LANGS, items, strict=True):
            name = cell_text("disaster", row.disaster, lang)
            severity = cell_text("severity", row.severity, lang, _NO_SEVERITY[lang])
            out.append(
                f"{name}（{days}，{severity}）" if lang == "zh" else f"{name} ({days}, {severity})"
            )
    n = len(items[0])
    text = say("disasters", n=n, items=("；".join(items[0]), "; ".join(items[1])))
    if not n:
        text = say("disasters_none")
    return finding("disasters", None, (None, None), (n, None, None, "", None), text)


_NO_SEVERITY: dict[Lang, str] = {"zh": "等级未记", "en": "severity not recorded"}


def season_appraisal(data: ReportData, season: int) -> Section:
    """The appraisal of ``season`` (the summer of bud set and the bloom that follows) from what
    the report read: daily weather from the earliest season of the multi-year means to the
    season's end, the stage dates of every season and the disasters of the season."""
    season_start, last = season_bounds(season)
    first, _ = season_bounds(season - NORMAL_MAX_SEASONS)
    daily = data.daily_between(first, last)
    all_dates = data.stage_dates
    appraised = AppraisalInput(
        season=season,
        season_end=last,
        arrays=indices.daily_arrays(daily),
        single=single_dates([d for d in all_dates if d.season == season]),
        bloom=single_dates([d for d in all_dates if d.stage_code in ("FLS", "FLE")]),
        disasters=disaster_section(
            data.disasters_between(season_start, last), data.scope.plots
        ).frame,
    )
    return appraisal_section(appraised)
