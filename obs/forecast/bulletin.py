"""The bloom-forecast bulletin (花期预报) of a season, built from its issued forecasts.

Wording, the issuing unit, thresholds and the advice rules are data in ``schemas/bulletin.toml``
(edited without code changes). The bulletin holds: the heading with the issuing unit and date;
per plot and cultivar the latest issued forecast of first flowering (FLS) and full bloom (FLF) in
words and as a range (or the observed date once it is known); the weather so far against the
same days of earlier seasons (accumulated temperature ≥ 0 °C, chill days); the scenario
assumption; advice for viewing and for growers by the rules; last season's verification in one
line. Built as a :class:`obs.forecast.document.Document` and rendered to Markdown, HTML or PDF.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from sqlmodel import Session

import schemas
from obs.errors import NotFoundError, ObsError, UsageError
from obs.forecast.document import Document, Heading, Paragraph, Table, to_html, to_markdown
from obs.forecast.inputs import Site, event_dates, station_daily, station_temperatures
from obs.forecast.ledger import Issued, issued_forecasts, say
from obs.forecast.verify import verify
from obs.indices import active_accumulated_temperature
from obs.indices._arrays import longest_run
from obs.seasons import season_label
from schemas.appraisal import (
    CONTRAIN_MIN_DAYS,
    CONTRAIN_PRECIP,
    CONTRAIN_SUNSHINE,
    FREEZE_WATCH_TMIN,
)
from schemas.forecast import FORECAST_REFERENCE
from schemas.indices import ACCUMULATION_BASES, CHILL_DAY_TMEAN
from schemas.vocabulary import CULTIVARS_BY_CODE

#: The bulletin template shipped with obs.
TEMPLATE_PATH = Path(schemas.__file__).parent / "bulletin.toml"
#: Stages of the bulletin, in order.
BULLETIN_STAGES: tuple[str, ...] = ("FLS", "FLF")
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_OPS = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def load_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    """The bulletin template (TOML); refused with the file named when it cannot be read or
    lacks a section."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ObsError(
            f"{path}: the bulletin template cannot be read ({err})",
            hint=f"start from a copy of {TEMPLATE_PATH}",
        ) from None
    missing = [k for k in ("unit", "weather", "zh", "en", "advice") if k not in data]
    if missing:
        raise ObsError(
            f"{path}: the bulletin template has no [{missing[0]}] section",
            hint=f"start from a copy of {TEMPLATE_PATH}",
        )
    return data


class _Values(dict[str, Any]):
    def __missing__(self, key: str) -> Any:
        raise ObsError(
            f"the bulletin template uses {{{key}}}, which is not a placeholder",
            hint=f"see the list of placeholders at the top of {TEMPLATE_PATH}",
        )


def fill(template: str, **values: Any) -> str:
    """A template string with its placeholders filled; an unknown one is an ObsError."""
    return template.format_map(_Values(values))


def date_words(day: dt.date, lang: str) -> str:
    """``12月2日`` / ``2 December``."""
    return f"{day.month}月{day.day}日" if lang == "zh" else f"{day.day} {_MONTHS_EN[day.month - 1]}"


def xun_words(day: dt.date, lang: str, names: Sequence[str]) -> str:
    """The ten-day period (旬): ``12月上旬`` / ``early December``."""
    name = names[0 if day.day <= 10 else 1 if day.day <= 20 else 2]
    return f"{day.month}月{name}" if lang == "zh" else f"{name} {_MONTHS_EN[day.month - 1]}"


def _latest(issued: Sequence[Issued]) -> dict[tuple[str, str], Issued]:
    """The latest issue per (plot, stage) (issue date, then id)."""
    latest: dict[tuple[str, str], Issued] = {}
    for item in sorted(issued, key=lambda i: (i.row.issue_date, i.row.id)):
        latest[(item.plot, item.row.stage)] = item
    return latest


def build_bulletin(
    *,
    session: Session,
    season: int,
    station: str | None = None,
    lang: str = "zh",
    template: Path | None = None,
) -> Document:
    """The bulletin of ``season`` from its issued forecasts (one station). Nothing is written.

    Refused when no forecast was issued for the season (or for the station), or when the
    season's forecasts are of several stations and ``station`` is not given.
    """
    issued = issued_forecasts(session=session, season=season, station=station)
    if not issued:
        raise NotFoundError(
            say(
                lang,
                f"{season_label(season)}年度没有已发布的预报，无法生成花期预报",
                f"season {season_label(season)} has no issued forecast to make a bulletin of",
            ),
            hint=say(
                lang,
                "先用 obs forecast bloom … --issue 发布预报",
                "issue one first with obs forecast bloom … --issue",
            ),
        )
    stations = sorted({i.station for i in issued})
    if len(stations) > 1:
        raise UsageError(
            say(
                lang,
                f"{season_label(season)}年度有{len(stations)}个站的预报",
                f"season {season_label(season)} has forecasts of {len(stations)} stations",
            ),
            hint=say(lang, "用 --station 选一个：", "choose one with --station: ")
            + ", ".join(stations),
        )
    tpl = load_template(template or TEMPLATE_PATH)
    text = tpl[lang]
    latest = _latest(issued)
    issue_date = max(i.row.issue_date for i in latest.values())
    values = {
        "season": season_label(season),
        "unit": tpl["unit"][lang],
        "issue_date": f"{date_words(issue_date, lang)} {issue_date.year}"
        if lang == "en"
        else f"{issue_date.year}年{date_words(issue_date, lang)}",
        "number": len({i.row.issue_date for i in issued}),
    }
    blocks: list[Any] = [
        Heading(text["title"], 1),
        Paragraph(fill(text["subtitle"], **values)),
        Paragraph(fill(text["issued"], **values)),
        Heading(text["forecast_heading"]),
        *_forecast_blocks(session, issued, latest, text, lang),
        Heading(text["weather_heading"]),
        Paragraph(_weather(session, stations[0], season, latest, tpl, lang)),
        Heading(text["assumption_heading"]),
        Paragraph(_assumption(latest, lang)),
        Heading(text["advice_heading"]),
        *_advice(session, stations[0], season, latest, tpl, lang),
        Heading(text["verification_heading"]),
        Paragraph(_verification(session, season - 1, stations[0], text, lang)),
    ]
    return Document(lang, tuple(blocks))


def _forecast_blocks(
    session: Session,
    issued: Sequence[Issued],
    latest: Mapping[tuple[str, str], Issued],
    text: Mapping[str, Any],
    lang: str,
) -> list[Any]:
    lines, rows = [], []
    plots = sorted({(i.station, i.plot, i.row.cultivar) for i in issued}, key=lambda p: p[1])
    for station, plot, cultivar in plots:
        for stage in BULLETIN_STAGES:
            item = latest.get((plot, stage))
            values = {"plot": plot, "cultivar": _cultivar(cultivar, lang),
                      "stage": text[f"stage_{stage}"]}  # fmt: skip
            status = item.row.status if item is not None else "general"
            observed = event_dates(session, Site(station, plot, cultivar), stage, status).get(
                issued[0].row.season
            )
            if observed is not None:
                lines.append(
                    fill(text["observed_line"], **values, observed=date_words(observed, lang))
                )
            elif item is None or item.row.predicted is None:
                lines.append(fill(text["no_forecast_line"], **values))
            else:
                lines.append(fill(text["forecast_line"], **values, **_dates(item, text, lang)))
            if item is not None and item.row.predicted is not None:
                r = item.row
                span = "—" if r.low is None or r.high is None else f"{r.low} – {r.high}"
                rows.append(
                    (
                        plot,
                        values["cultivar"],
                        values["stage"],
                        str(r.predicted),
                        span,
                        str(r.issue_date),
                    )
                )
    blocks: list[Any] = [Paragraph(line) for line in lines]
    if rows:
        blocks.append(Table(tuple(text["table_header"]), tuple(rows)))
    return blocks


def _cultivar(code: str, lang: str) -> str:
    """The cultivar's name in ``lang`` (the code when it is not in the vocabulary)."""
    term = CULTIVARS_BY_CODE.get(code)
    return code if term is None else term.label("zh" if lang == "zh" else "en")


def _dates(item: Issued, text: Mapping[str, Any], lang: str) -> dict[str, str]:
    r = item.row
    return {
        "date": date_words(r.predicted, lang),
        "xun": xun_words(r.predicted, lang, text["xun"]),
        "low": date_words(r.low, lang) if r.low else "—",
        "high": date_words(r.high, lang) if r.high else "—",
    }


def _as_of(latest: Mapping[tuple[str, str], Issued]) -> dt.date | None:
    days = [i.row.as_of for i in latest.values() if i.row.as_of is not None]
    return max(days) if days else None


def _spans(temps: pd.Series, season: int, as_of: dt.date) -> dict[int, pd.Series]:
    """The season's 1 Oct … ``as_of`` and the same calendar days of every earlier season."""
    out = {}
    first = int(temps.index.min().year) - 1
    for year in range(first, season + 1):
        start = dt.date(year, *FORECAST_REFERENCE)
        end = (
            as_of.replace(year=as_of.year - (season - year))
            if not (as_of.month == 2 and as_of.day == 29)
            else dt.date(as_of.year - (season - year), 2, 28)
        )
        index = pd.date_range(start, end, freq="D")
        values = temps.reindex(index)
        if len(index) and not values.isna().any():
            out[year] = values
    return out


def _weather(
    session: Session,
    station: str,
    season: int,
    latest: Mapping[tuple[str, str], Issued],
    tpl: Mapping[str, Any],
    lang: str,
) -> str:
    weather, text = tpl["weather"], tpl[lang]
    as_of = _as_of(latest)
    temps = station_temperatures(session, station)
    spans = _spans(temps, season, as_of) if as_of is not None else {}
    if season not in spans or as_of is None:
        return say(lang, "前期气温资料不完整。", "The weather so far is incomplete.")
    gdd = {y: _active(v) for y, v in spans.items()}
    chill = {y: int((v <= CHILL_DAY_TMEAN).sum()) for y, v in spans.items()}
    values = {
        "start": date_words(dt.date(season, *FORECAST_REFERENCE), lang),
        "as_of": date_words(as_of, lang),
        "gdd": f"{gdd[season]:.1f}",
        "chill": chill[season],
        "chill_t": f"{CHILL_DAY_TMEAN:g}",
    }
    earlier = [y for y in spans if y < season]
    if not earlier:
        return fill(text["weather_no_normal"], **values)
    gdd_normal = sum(gdd[y] for y in earlier) / len(earlier)
    chill_normal = sum(chill[y] for y in earlier) / len(earlier)
    return fill(
        text["weather_line"],
        **values,
        gdd_normal=f"{gdd_normal:.1f}",
        chill_normal=f"{chill_normal:.1f}",
        gdd_diff=_diff(gdd[season] - gdd_normal, weather["gdd_near"], " °C·d", text),
        chill_diff=_diff(chill[season] - chill_normal, weather["chill_near"], "", text, days=True),
    )


def _active(values: pd.Series) -> float:
    """Active accumulated temperature ≥ 0 °C [°C·d] (obs.indices, 活动积温)."""
    total = active_accumulated_temperature(pd.DataFrame({"t_mean": values}), ACCUMULATION_BASES[0])
    return 0.0 if total.value is None else float(total.value)


def _diff(
    value: float, near: float, unit: str, text: Mapping[str, Any], *, days: bool = False
) -> str:
    if abs(value) < near:
        return str(text["near"])
    shown = f"{abs(value):.1f}" + (
        (" 天" if text["near"] == "接近常年" else " days") if days else unit
    )
    return fill(text["more" if value > 0 else "less"], value=shown.strip())


def _assumption(latest: Mapping[tuple[str, str], Issued], lang: str) -> str:
    item = max(latest.values(), key=lambda i: (i.row.issue_date, i.row.id))
    return str(item.row.assumption_zh if lang == "zh" else item.row.assumption_en)


def _facts(
    session: Session,
    station: str,
    season: int,
    latest: Mapping[tuple[str, str], Issued],
    tpl: Mapping[str, Any],
) -> dict[str, float]:
    """The facts the advice rules test (see schemas/bulletin.toml)."""
    facts: dict[str, float] = {}
    anomalies = [
        (i.row.predicted - i.row.baseline_predicted).days
        for i in latest.values()
        if i.row.stage == "FLS" and i.row.predicted and i.row.baseline_predicted
    ]
    if anomalies:
        facts["anomaly"] = round(sum(anomalies) / len(anomalies))
    lows = [i.row.low for i in latest.values() if i.row.low is not None]
    highs = [i.row.high for i in latest.values() if i.row.high is not None]
    if lows and highs:
        daily = station_daily(session, station)
        facts.update(_risks(daily, season, min(lows), max(highs), tpl))
    return facts


def _risks(
    daily: pd.DataFrame, season: int, low: dt.date, high: dt.date, tpl: Mapping[str, Any]
) -> dict[str, float]:
    """Share of earlier seasons with a freeze day and with a continuous-rain spell in the same
    calendar window as this season's bloom range."""
    freeze, rain, n = 0, 0, 0
    first = int(daily.index.min().year) - 1 if not daily.empty else season
    for year in range(first, season):
        shift = season - year
        days = daily.reindex(pd.date_range(_back(low, shift), _back(high, shift), freq="D"))
        if days.empty or days["t_min"].isna().any():
            continue
        n += 1
        freeze += int((days["t_min"] <= FREEZE_WATCH_TMIN).any())
        wet = (days["precip"] >= CONTRAIN_PRECIP) & (days["sunshine"] < CONTRAIN_SUNSHINE)
        rain += int(longest_run(wet.to_numpy())[0] >= CONTRAIN_MIN_DAYS)
    return {} if n == 0 else {"freeze_share": freeze / n, "rain_share": rain / n}


def _back(day: dt.date, years: int) -> dt.date:
    return dt.date(day.year - years, day.month, min(day.day, 28 if day.month == 2 else day.day))


def _advice(
    session: Session,
    station: str,
    season: int,
    latest: Mapping[tuple[str, str], Issued],
    tpl: Mapping[str, Any],
    lang: str,
) -> list[Paragraph]:
    facts, text = _facts(session, station, season, latest, tpl), tpl[lang]
    said: dict[str, list[str]] = {"viewing": [], "growers": []}
    for rule in tpl["advice"]:
        fact = rule.get("fact")
        if fact is not None and (
            fact not in facts or not _OPS[rule["op"]](facts[fact], rule["value"])
        ):
            continue
        shown = {"anomaly": abs(int(facts.get("anomaly", 0)))}
        said.setdefault(rule["audience"], []).append(fill(rule[lang], **shown))
    return [
        Paragraph(
            text[audience] + "".join(lines) if lang == "zh" else text[audience] + " ".join(lines)
        )
        for audience, lines in said.items()
        if lines
    ]


def _verification(
    session: Session, previous: int, station: str, text: Mapping[str, Any], lang: str
) -> str:
    values = {"previous": season_label(previous)}
    try:
        result = verify(session=session, season=previous, lang=lang, station=station)
    except NotFoundError:
        return fill(text["verification_none"], **values)
    if not result.verified:
        return fill(text["verification_pending"], **values)
    overall = result.summary(lang)[-1]
    hits = sum(1 for c in result.verified if c.hit())
    baseline = overall["baseline_mae_days"]
    return fill(
        text["verification_line"],
        **values,
        n=overall["n"],
        mae=f"{overall['mae_days']:.1f}",
        hits=f"{hits}/{overall['n']}",
        baseline_mae="—" if baseline is None else f"{baseline:.1f}",
    )


def render_bulletin(document: Document, fmt: str) -> str | bytes:
    """The bulletin as Markdown or HTML text, or as PDF bytes (A4 portrait, through the
    project's PDF writer :func:`obs.reports.pdf.document_pdf`)."""
    if fmt == "md":
        return to_markdown(document)
    if fmt == "html":
        return to_html(document)
    if fmt == "pdf":
        from obs.reports.pdf import document_pdf

        return document_pdf(document)
    raise UsageError(
        say(document.lang, f"未知格式：{fmt}", f"unknown format: {fmt}"),
        hint=say(document.lang, "可用 md、html 或 pdf", "use md, html or pdf"),
    )
