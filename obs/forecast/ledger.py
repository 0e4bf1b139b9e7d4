"""Issued bloom forecasts: store a forecast as issued, and list the ledger.

``issue_forecast`` writes one :class:`schemas.forecast_issue_table.ForecastIssue` row from a
:class:`obs.forecast.service.BloomForecast`; nothing ever updates or deletes such a row (a later
issue is a new row). Issuing is refused when the season's event is already observed (any stage
date of the season in the store) or when the forecast used weather after the issue date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from obs.errors import NotFoundError, ObsError, UsageError
from obs.forecast.inputs import Site, event_dates, resolve_site
from obs.forecast.service import (
    FORECAST_STAGES,
    FORECAST_STATUSES,
    BloomForecast,
    bloom_forecast,
)
from obs.forecast.text import model_label
from obs.lookup import resolve_ref
from obs.seasons import season_label, season_of
from schemas.forecast_issue_table import ForecastIssue
from schemas.stages import STATUS_LABELS

FI: Any = ForecastIssue

#: Columns of ``obs forecast issued`` in order.
ISSUED_COLUMNS: tuple[str, ...] = (
    "id",
    "season",
    "station",
    "plot",
    "cultivar",
    "stage",
    "status",
    "issue_date",
    "as_of",
    "predicted",
    "low",
    "high",
    "normals",
    "baseline_predicted",
    "model",
    "issued_by",
    "note",
)


def say(lang: str, zh: str, en: str) -> str:
    """The text in ``lang`` (zh first)."""
    return zh if lang == "zh" else en


@dataclass(frozen=True, slots=True)
class Issued:
    """An issued forecast as stored, with the codes of its station and plot."""

    row: Any
    station: str
    plot: str

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """Plain data for listings (dates as ``datetime.date``)."""
        r = self.row
        return {
            "id": r.id,
            "uid": r.uid,
            "season": season_label(r.season),
            "station": self.station,
            "plot": self.plot,
            "cultivar": r.cultivar,
            "stage": r.stage,
            "status": r.status,
            "issue_date": r.issue_date,
            "as_of": r.as_of,
            "predicted": r.predicted,
            "low": r.low,
            "high": r.high,
            "earliest": r.earliest,
            "latest": r.latest,
            "normals": r.normals,
            "baseline_predicted": r.baseline_predicted,
            "baseline_low": r.baseline_low,
            "baseline_high": r.baseline_high,
            "model": r.model,
            "model_name": model_label(r.model, lang),
            "params": dict(r.params),
            "cv_rmse_days": r.cv_rmse_days,
            "baseline_cv_rmse_days": r.baseline_cv_rmse_days,
            "training_seasons": [season_label(s) for s in r.training_seasons],
            "assumption": r.assumption_zh if lang == "zh" else r.assumption_en,
            "issued_by": r.issued_by,
            "issued_at": r.issued_at,
            "note": r.note,
        }


def issue_forecast(
    *,
    session: Session,
    issue_date: dt.date,
    issued_by: str = "",
    note: str = "",
    lang: str = "zh",
    **forecast: Any,
) -> tuple[Issued, BloomForecast]:
    """Forecast as :func:`obs.forecast.service.bloom_forecast` does and store it as issued.

    Parameters
    ----------
    issue_date : the day the forecast is issued; the weather used must end on or before it
        (``as_of`` defaults to it).
    issued_by, note : who issued it and a free note, stored with the row.
    forecast : the keyword arguments of ``bloom_forecast`` (station, plot, season, stage,
        status, as_of, model).

    Returns the stored row and the forecast. The caller commits; a refusal writes nothing.
    """
    if forecast.get("as_of") is None:
        forecast["as_of"] = issue_date
    if forecast["as_of"] > issue_date:
        raise UsageError(
            say(
                lang,
                f"--as-of {forecast['as_of']} 晚于发布日期 {issue_date}",
                f"--as-of {forecast['as_of']} is after the issue date {issue_date}",
            ),
            hint=say(
                lang,
                "发布的预报只能用发布日期以前的气象资料",
                "an issued forecast uses weather up to its issue date only",
            ),
        )
    site = resolve_site(session, forecast.get("station"), forecast.get("plot"))
    season = forecast.get("season")
    _refuse_observed(
        session,
        site,
        season if season is not None else season_of(forecast["as_of"]),
        forecast.get("stage", "FLS"),
        forecast.get("status", "general"),
        lang,
    )
    result = bloom_forecast(session=session, **forecast)
    row = _row(session, result, issue_date, issued_by, note)
    session.add(row)
    session.flush()
    return Issued(row, result.site.station, result.site.plot), result


def _refuse_observed(
    session: Session, site: Site, season: int, stage: str, status: str, lang: str
) -> None:
    """Refuse to issue for a season whose event the store already holds."""
    if stage not in FORECAST_STAGES or status not in FORECAST_STATUSES:
        return  # bloom_forecast names the bad choice
    observed = event_dates(session, site, stage, status).get(season)
    if observed is None:
        return
    label = STATUS_LABELS[status][0 if lang == "zh" else 1]
    raise AlreadyObservedError(
        say(
            lang,
            f"{season_label(season)}年度地段{site.plot}的{stage}（{label}）已于{observed}"
            "观测到，不能再发布预报",
            f"season {season_label(season)} at plot {site.plot}: {stage} ({label}) was already "
            f"observed on {observed}; it cannot be issued",
        ),
        hint=say(
            lang,
            "去掉 --issue 可做回报检验；发布只针对尚未出现的发育期",
            "drop --issue for a hindcast; forecasts are issued only for stages not yet observed",
        ),
    )


class AlreadyObservedError(ObsError):
    """The season's event is already in the store: nothing is issued."""


def _row(
    session: Session, result: BloomForecast, issue_date: dt.date, issued_by: str, note: str
) -> Any:
    f, base = result.forecast, result.baseline
    station = resolve_ref(session, "station", result.site.station)
    plot = resolve_ref(session, "plot", result.site.plot)
    return ForecastIssue(
        issued_by=issued_by,
        station_id=station.id,
        plot_id=plot.id,
        cultivar=result.site.cultivar,
        stage=result.stage,
        status=result.status,
        season=result.season,
        issue_date=issue_date,
        as_of=f.as_of,
        model=f.model,
        params={k: float(v) for k, v in f.params.items()},
        predicted=f.predicted,
        low=f.low,
        high=f.high,
        earliest=f.earliest,
        latest=f.latest,
        normals=f.normals,
        members=f.members,
        cv_rmse_days=round(f.cv_rmse, 3),
        training_seasons=list(result.training_seasons),
        baseline_predicted=None if base is None else base.predicted,
        baseline_low=None if base is None else base.low,
        baseline_high=None if base is None else base.high,
        baseline_cv_rmse_days=round(result.baseline_rmse, 3),
        assumption_zh=result.assumption("zh"),
        assumption_en=result.assumption("en"),
        note=note,
    )


def issued_forecasts(
    *,
    session: Session,
    season: int | None = None,
    station: str | None = None,
    plot: str | None = None,
    stage: str | None = None,
) -> list[Issued]:
    """The ledger, oldest issue first (issue date, then id); optionally one season, station,
    plot or stage."""
    query = select(FI).order_by(FI.season, FI.issue_date, FI.id)
    if season is not None:
        query = query.where(FI.season == season)
    if station is not None:
        query = query.where(FI.station_id == resolve_ref(session, "station", station).id)
    if plot is not None:
        query = query.where(FI.plot_id == resolve_ref(session, "plot", plot).id)
    if stage is not None:
        query = query.where(FI.stage == stage)
    rows = session.execute(query).scalars().all()
    return [Issued(r, *_codes(session, r)) for r in rows]


def _codes(session: Session, row: Any) -> tuple[str, str]:
    from schemas.site_tables import Plot, Station

    station, plot = session.get(Station, row.station_id), session.get(Plot, row.plot_id)
    if station is None or plot is None:  # pragma: no cover - foreign keys prevent it
        raise NotFoundError(f"forecast_issue {row.id}: station or plot is missing")
    return station.code, plot.code
