"""Weather rules of the agromet condition appraisal: bloom weather against the multi-year mean,
the bloom watch rules (freeze, continuous rain) and the summer rules (heat, drought), §3.3, §7.

Missing days are never skipped silently: a day without the element breaks a run (nobody knows
whether it was wet or hot), and a sentence names the days with data when some are missing.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from obs import indices
from obs.reports.appraisal_rules import Finding, coverage, finding, has_data, same_days_normals
from obs.reports.appraisal_text import say, word
from schemas import appraisal as A

#: Bloom-weather rules: (index, element, unit, band, band is a share of the normal).
BLOOM_RULES: tuple[tuple[str, str, str, float, bool], ...] = (
    ("bloom_t_mean", "t_mean", "°C", A.TEMPERATURE_NORMAL_BAND, False),
    ("bloom_sunshine", "sunshine", "h", A.SUNSHINE_NORMAL_BAND, True),
    ("bloom_precip", "precip", "mm", A.PRECIP_NORMAL_BAND, True),
)


def bloom_weather_findings(
    names: tuple[str, str], plot: str, arrays: indices.DailyArrays, start: dt.date, end: dt.date
) -> list[Finding]:
    """Mean temperature, sunshine and precipitation of the bloom against the same days of
    the earlier seasons; values are rounded to 0.1 first, so the printed anomaly is the
    difference of the printed numbers."""
    summary = indices.period_summary(arrays, start, end)
    window = arrays.window(start, end)
    normals = same_days_normals(arrays, start, end, [r[1] for r in BLOOM_RULES])
    out = []
    for index, element, unit, band, relative in BLOOM_RULES:
        value = getattr(summary, element)
        common = {"who": names, "start": start, "end": end, "days": summary.n_days,
                  "what": word(element), "unit": word(unit)}  # fmt: skip
        if not has_data(window[element]) or element in summary.incomplete_elements:
            text = say("weather_none", **common)
            out.append(finding(index, plot, (start, end), (None, None, None, unit, None), text))
            continue
        value = round(float(value), 1)
        common |= {"value": f"{value:.1f}", "cov": coverage(window[element])}
        normal, n = normals[element]
        if normal is None:
            text = say("weather_no_normal", **common, k=A.NORMAL_MIN_SEASONS)
            out.append(finding(index, plot, (start, end), (value, None, None, unit, n), text))
            continue
        mean = round(normal, 1)
        diff = round(value - mean, 1) + 0.0  # + 0.0 turns -0.0 into 0.0
        text = _compared(element, band, relative, common, mean, diff, n)
        out.append(finding(index, plot, (start, end), (value, mean, diff, unit, n), text))
    return out


def _compared(
    element: str,
    band: float,
    relative: bool,
    common: dict[str, object],
    mean: float,
    diff: float,
    n: int,
) -> tuple[str, str]:
    """The sentence of a value against its normal: near it, or above / below with the effect."""
    share = diff / mean if relative and mean > 0 else None
    if relative:
        near = abs(share) <= band if share is not None else diff == 0
    else:
        near = abs(diff) <= band
    fields = {**common, "mean": f"{mean:.1f}", "n": n}
    if near:
        return say("weather_near", **fields, diff=f"{diff:+.1f}")
    sign = "+" if diff > 0 else "-"
    pct = ("", "") if share is None else (f"（{share * 100:+.0f}%）", f" ({share * 100:+.0f} %)")
    return say(
        "weather_anomaly",
        **fields,
        diff=f"{abs(diff):.1f}",
        word=word(element + sign),
        pct=pct,
        effect=word(element + sign + "effect"),
    )


def freeze_finding(
    names: tuple[str, str], plot: str, arrays: indices.DailyArrays, start: dt.date, end: dt.date
) -> Finding:
    """Days with t_min ≤ −3 °C between FBC and FLE and the lowest t_min (§7 FREEZE) [d]."""
    t_min = arrays.window(start, end)["t_min"]
    common = {"who": names, "start": start, "end": end, "limit": f"{A.FREEZE_WATCH_TMIN:g}"}
    if not has_data(t_min):
        return finding("freeze_days", plot, (start, end), (None, None, None, "d", None),
                       say("freeze_none", **common))  # fmt: skip
    days = int(np.count_nonzero(t_min <= A.FREEZE_WATCH_TMIN))
    summary = indices.period_summary(arrays, start, end)
    low = float(summary.t_min_extreme or 0.0)
    common |= {"low": f"{low:.1f}", "on": summary.t_min_extreme_date, "cov": coverage(t_min)}
    if days:
        damage = ("", "")
        if low <= A.FREEZE_DAMAGE_TMIN:
            damage = say("freeze_damage", limit=f"{A.FREEZE_DAMAGE_TMIN:g}")
        text = say("freeze_watch", **common, days=days, damage=damage)
    else:
        text = say("freeze_clear", **common)
    return finding("freeze_days", plot, (start, end), (days, None, None, "d", None), text)


def contrain_finding(
    names: tuple[str, str], plot: str, arrays: indices.DailyArrays, start: dt.date, end: dt.date
) -> Finding:
    """Spells of ≥ 5 days with rain ≥ 0.1 mm and sunshine < 2 h between FBC and FLE (§7);
    the value is the longest run of such days [d]."""
    w = arrays.window(start, end)
    common: dict[str, object] = {"who": names, "start": start, "end": end}
    if not (has_data(w["precip"]) and has_data(w["sunshine"])):
        return finding("contrain_days", plot, (start, end), (None, None, None, "d", None),
                       say("contrain_none", **common))  # fmt: skip
    wet = (w["precip"] >= A.CONTRAIN_PRECIP) & (w["sunshine"] < A.CONTRAIN_SUNSHINE)
    runs = indices.true_runs(wet)
    first, longest = max(runs, key=lambda run: run[1], default=(0, 0))
    spells = sum(1 for _, length in runs if length >= A.CONTRAIN_MIN_DAYS)
    both = np.where(np.isnan(w["sunshine"]), np.nan, w["precip"])
    common |= {"days": longest, "precip": f"{A.CONTRAIN_PRECIP:g}", "cov": coverage(both),
               "sun": f"{A.CONTRAIN_SUNSHINE:g}"}  # fmt: skip
    if spells:
        last = start + dt.timedelta(days=first + longest - 1)
        text = say("contrain_spells", **common, spells=spells,
                   first=start + dt.timedelta(days=first), last=last)  # fmt: skip
    else:
        text = say("contrain_clear", **common, min=A.CONTRAIN_MIN_DAYS)
    return finding("contrain_days", plot, (start, end), (longest, None, None, "d", None), text)


def summer(season: int, window: tuple[tuple[int, int], tuple[int, int]]) -> tuple[dt.date, dt.date]:
    """A (month, day) window in the season year: the summer before the bloom."""
    (m1, d1), (m2, d2) = window
    return dt.date(season, m1, d1), dt.date(season, m2, d2)


def heat_finding(arrays: indices.DailyArrays, season: int) -> Finding:
    """High-temperature days (t_max ≥ 35 °C) in Jun–Aug, the longest run and the highest t_max."""
    start, end = summer(season, A.HEAT_WINDOW)
    t_max = arrays.window(start, end)["t_max"]
    common: dict[str, object] = {"start": start, "end": end, "limit": f"{A.HEAT_DAY_TMAX:g}"}
    if not has_data(t_max):
        return finding("heat_days", None, (start, end), (None, None, None, "d", None),
                       say("heat_none", **common))  # fmt: skip
    hot = t_max >= A.HEAT_DAY_TMAX
    days = int(np.count_nonzero(hot))
    run = max((length for _, length in indices.true_runs(hot)), default=0)
    summary = indices.period_summary(arrays, start, end)
    high = float(summary.t_max_extreme or 0.0)
    common |= {"high": f"{high:.1f}", "on": summary.t_max_extreme_date, "cov": coverage(t_max)}
    if not days:
        text = say("heat_clear", **common)
    else:
        wave = say("heat_wave", n=A.HEAT_WAVE_DAYS) if run >= A.HEAT_WAVE_DAYS else ("", "")
        severe = ("", "")
        if high >= A.HEAT_SEVERE_TMAX:
            severe = say("heat_severe", limit=f"{A.HEAT_SEVERE_TMAX:g}")
        text = say("heat_days", **common, days=days, run=run, wave=wave, severe=severe)
    return finding("heat_days", None, (start, end), (days, None, None, "d", None), text)


def drought_finding(arrays: indices.DailyArrays, season: int) -> Finding:
    """The longest dry spell (precip < 1 mm, as in the summaries) in Jun–Sep [d] against the
    summer-drought watch and warning levels."""
    start, end = summer(season, A.DROUGHT_WINDOW)
    precip = arrays.window(start, end)["precip"]
    common: dict[str, object] = {"start": start, "end": end}
    if not has_data(precip):
        return finding("dry_spell_days", None, (start, end), (None, None, None, "d", None),
                       say("drought_none", **common))  # fmt: skip
    summary = indices.period_summary(arrays, start, end)
    days = summary.dry_spell_days or 0  # not None: precipitation is present (checked above)
    span = ("", "")
    if days:
        first, last = summary.dry_spell_start, summary.dry_spell_end
        span = (f"（{first}—{last}）", f" ({first}–{last})")
    common |= {"days": days, "span": span, "cov": coverage(precip),
               "precip": f"{A.DROUGHT_DRY_PRECIP:g}"}  # fmt: skip
    if days >= A.DROUGHT_WATCH_DAYS:
        warn = days >= A.DROUGHT_WARNING_DAYS
        limit = A.DROUGHT_WARNING_DAYS if warn else A.DROUGHT_WATCH_DAYS
        text = say("drought_spell", **common, level=word("warning" if warn else "watch"),
                   limit=limit)  # fmt: skip
    else:
        text = say("drought_clear", **common, limit=A.DROUGHT_WATCH_DAYS)
    return finding("dry_spell_days", None, (start, end), (days, None, None, "d", None), text)
