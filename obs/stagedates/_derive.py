"""``derive_stage_dates``: check the request, run the grouped queries, derive, add anomalies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlmodel import Session

from obs.errors import InvalidValueError, NotFoundError, UsageError
from obs.lookup import resolve_ref
from obs.seasons import DEFAULT_SEASON_START, season_bounds
from obs.stagedates import _query
from obs.stagedates._model import PlantStage, StageDate
from obs.stagedates._plants import bracketed_share_dates, default_stages, plant_share_dates
from obs.stagedates._ratio import flower_ratio_dates
from obs.stagedates.climate import with_anomalies
from obs.stagedates.phenometrics import plant_stages, recorded_stages
from schemas.stages import FLOWER_RATIO_MEASURES, STAGE_DATE_METHODS, STAGES_BY_CODE

#: Row order of the statuses within a stage.
STATUS_ORDER: dict[str, int] = {"start": 0, "general": 1, "end": 2, "not_reached": 3}


def derive_stage_dates(
    *,
    session: Session,
    station: str | None = None,
    plot: str | None = None,
    season: int | None = None,
    year: int | None = None,
    method: str = "plants",
    stages: Sequence[str] | None = None,
    max_gap: int | None = None,
) -> list[StageDate]:
    """Plot-level stage dates per plot, cultivar, season, stage and status, from live records.

    Parameters
    ----------
    session
        Open session; nothing is written.
    station, plot
        Codes narrowing the plots (default: all).
    season, year
        Keep the rows of one season, or of one calendar year (a date inside the year; a
        ``not_reached`` row when the stage's usual window opens inside the year). Anomalies
        always use all earlier seasons.
    method
        ``"plants"`` (share of marked plants, §2.2) or ``"flower_ratio"`` (FLS/FLF/FLE from
        the sample-branch flower ratio, §5).
    stages
        Stage codes to report for every season with records; default the stages recorded in
        each season plus the bloom stages (plants) or FLS/FLF/FLE (flower ratio).
    max_gap
        Plant mode only: count only the plants whose first date follows a "not reached"
        visit at most this many days before (:func:`bracketed_share_dates`); ``n_plants``
        is then the plants kept.

    Returns
    -------
    list of StageDate
        Sorted by station, plot, cultivar, season, stage order and status.
    """
    _check(method, season, year, stages)
    _check_gap(max_gap, method)
    scope = _scope(session, station, plot, season, year)
    plants = _query.plant_index(session, scope)
    if max_gap is not None:
        metrics = plant_stages(
            _query.stage_visits(session, scope),
            plants,
            lambda present: stages if stages is not None else default_stages(present),
        )
        rows = bracketed_share_dates(metrics, max_gap)
    elif method == "plants":
        rows = plant_share_dates(_query.first_dates(session, scope), plants, stages)
    else:
        rows = flower_ratio_dates(_query.flower_visits(session, scope), plants, stages)
    rows = [r for r in with_anomalies(rows) if _wanted(r, season, year)]
    return sorted(rows, key=_sort_key)


def plant_phenometrics(
    *,
    session: Session,
    station: str | None = None,
    plot: str | None = None,
    season: int | None = None,
    year: int | None = None,
    stages: Sequence[str] | None = None,
) -> list[PlantStage]:
    """Per-plant phenometrics of the live records (:class:`PlantStage`), every observed plant.

    ``season`` keeps one season; ``year`` the rows whose first date falls in the calendar
    year (rows without one: where the stage's usual window opens, as for stage dates).
    ``stages`` default: the stages recorded in each plot's season.
    """
    _check("plants", season, year, stages)
    scope = _scope(session, station, plot, season, year)
    rows = plant_stages(
        _query.stage_visits(session, scope),
        _query.plant_index(session, scope),
        lambda present: stages if stages is not None else recorded_stages(present),
    )
    if season is not None:
        return [r for r in rows if r.season == season]
    if year is not None:
        return [r for r in rows if _shown_day(r.stage_code, r.season, r.first_date).year == year]
    return rows


def _scope(
    session: Session, station: str | None, plot: str | None, season: int | None, year: int | None
) -> _query.Scope:
    return _query.Scope(
        station_id=resolve_ref(session, "station", station).id if station else None,
        plot_id=resolve_ref(session, "plot", plot).id if plot else None,
        until=_until(season, year),
    )


def _check_gap(max_gap: int | None, method: str) -> None:
    if max_gap is None:
        return
    if method != "plants":
        raise UsageError(
            "--max-gap applies to the plant-share method",
            hint="drop --max-gap, or use --method plants",
        )
    if max_gap < 0:
        raise InvalidValueError("--max-gap", max_gap, "is negative", hint="give days, e.g. 7")


def _check(method: str, season: int | None, year: int | None, stages: Sequence[str] | None) -> None:
    if method not in STAGE_DATE_METHODS:
        raise InvalidValueError(
            "--method",
            method,
            "is not a stage-date method",
            hint="one of " + ", ".join(STAGE_DATE_METHODS),
        )
    check_period(season, year)
    for code in stages or ():
        if code not in STAGES_BY_CODE:
            raise NotFoundError(f"no stage {code!r}", hint="see: obs vocab stages")
        if method == "flower_ratio" and code not in FLOWER_RATIO_MEASURES:
            raise InvalidValueError(
                "--stage",
                code,
                "has no flower-ratio threshold",
                hint="the flower-ratio mode derives "
                + ", ".join(FLOWER_RATIO_MEASURES)
                + "; use --method plants for the other stages",
            )


def check_period(season: int | None, year: int | None) -> None:
    """Refuse a season and a calendar year together (exit 2)."""
    if season is not None and year is not None:
        raise UsageError(
            "give --season or --year, not both", hint="e.g. --season 2024/25 or --year 2025"
        )


def _until(season: int | None, year: int | None) -> dt.date | None:
    """Last record date needed: later seasons never enter a season's dates or anomalies. A
    calendar year reads to the end of the season it ends in, so its dates equal the season's."""
    if season is not None:
        return season_bounds(season)[1]
    if year is not None:
        return season_bounds(year)[1]
    return None


def _wanted(row: StageDate, season: int | None, year: int | None) -> bool:
    if season is not None:
        return row.season == season
    if year is not None:
        return _shown_day(row.stage_code, row.season, row.date).year == year
    return True


def _shown_day(stage_code: str, season: int, date: dt.date | None) -> dt.date:
    """Where a row belongs in calendar years: its date, or, without one (not reached), the
    day the stage's usual window opens in that season (the season's first day without one)."""
    if date is not None:
        return date
    window = STAGES_BY_CODE[stage_code].window
    month, day = window[0] if window is not None else DEFAULT_SEASON_START
    year = season if (month, day) >= DEFAULT_SEASON_START else season + 1
    return dt.date(year, month, day)


def _sort_key(r: StageDate) -> tuple[str, str, str, int, int, int]:
    return (
        r.station,
        r.plot,
        r.cultivar,
        r.season,
        STAGES_BY_CODE[r.stage_code].order,
        STATUS_ORDER[r.status],
    )
