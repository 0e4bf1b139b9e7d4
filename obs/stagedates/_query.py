"""The SQL behind stage dates: a few grouped queries over live rows, never one per plant.

Everything is read from live records (``deleted_at IS NULL`` on phenology, plant, plot and
station) every time, so amendments and deletions show in the next derivation; nothing derived
is stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, extract, func, or_, select
from sqlmodel import Session

from obs.seasons import DEFAULT_SEASON_START, season_of
from obs.stagedates._model import Group
from schemas import tables as T
from schemas.stages import FLOWER_RATIO_MEASURES, STAGES

# typed as Any: column attributes of SQLModel classes are typed as their Python values
P: Any = T.PhenologyObservation
PL: Any = T.Plant
PO: Any = T.Plot
ST: Any = T.Station

#: Stages whose sample-branch flower counts feed the flower-ratio mode.
FLOWER_CHAIN: tuple[str, ...] = tuple(s.code for s in STAGES if s.chain == "flower")


@dataclass(frozen=True)
class Scope:
    """Which plants to read (ids of live rows; None = all) and the last date of interest."""

    station_id: int | None = None
    plot_id: int | None = None
    until: dt.date | None = None


@dataclass(frozen=True)
class PlantInfo:
    """A live marked plant: its tag and its group (plot and the plant's own cultivar)."""

    tag: str
    group: Group


@dataclass(frozen=True)
class FirstDate:
    """A plant's records of one stage in one season: the first date reached (None if never)."""

    plant_id: int
    stage_code: str
    season: int
    first: dt.date | None


@dataclass(frozen=True)
class FlowerVisit:
    """One phenology record with flower measures: open and withered share. [%]"""

    plant_id: int
    season: int
    day: dt.date
    stage_code: str
    open_pct: float | None
    withered_pct: float | None


def season_expr(column: Any) -> Any:
    """SQL for the season of a date column (SQLite and PostgreSQL; §9.1 default start)."""
    month, day = DEFAULT_SEASON_START
    m, d = extract("month", column), extract("day", column)
    before = or_(m < month, and_(m == month, d < day))
    return extract("year", column) - case((before, 1), else_=0)


def _scoped(query: Any, scope: Scope) -> Any:
    query = (
        query.join(PL, PL.id == P.plant_id)
        .join(PO, PO.id == PL.plot_id)
        .join(ST, ST.id == PO.station_id)
        .where(
            P.deleted_at.is_(None),
            PL.deleted_at.is_(None),
            PO.deleted_at.is_(None),
            ST.deleted_at.is_(None),
        )
    )
    if scope.station_id is not None:
        query = query.where(PO.station_id == scope.station_id)
    if scope.plot_id is not None:
        query = query.where(PL.plot_id == scope.plot_id)
    if scope.until is not None:
        query = query.where(P.obs_date <= scope.until)
    return query


def plant_index(session: Session, scope: Scope) -> dict[int, PlantInfo]:
    """Live plants in scope by id (one query)."""
    query: Any = (
        select(PL.id, PL.tag, PL.cultivar, PO.code, ST.code)
        .join(PO, PO.id == PL.plot_id)
        .join(ST, ST.id == PO.station_id)
        .where(PL.deleted_at.is_(None), PO.deleted_at.is_(None), ST.deleted_at.is_(None))
    )
    if scope.station_id is not None:
        query = query.where(PO.station_id == scope.station_id)
    if scope.plot_id is not None:
        query = query.where(PL.plot_id == scope.plot_id)
    return {
        pid: PlantInfo(tag, Group(station, plot, cultivar))
        for pid, tag, cultivar, plot, station in session.exec(query).all()
    }


def first_dates(session: Session, scope: Scope) -> list[FirstDate]:
    """Per plant, stage and season: the first live "reached" date (one GROUP BY query)."""
    season = season_expr(P.obs_date)
    first = func.min(case((P.reached.is_(True), P.obs_date)))
    query = _scoped(select(P.plant_id, P.stage_code, season, first), scope)
    query = query.group_by(P.plant_id, P.stage_code, season)
    return [
        FirstDate(pid, stage, int(s), _as_date(day))
        for pid, stage, s, day in session.exec(query).all()
    ]


@dataclass(frozen=True)
class StageVisit:
    """One live phenology record: plant, stage, season, date and whether it was reached."""

    plant_id: int
    stage_code: str
    season: int
    day: dt.date
    reached: bool


def stage_visits(session: Session, scope: Scope) -> list[StageVisit]:
    """Every live phenology record in scope, reached or not (one query)."""
    query = _scoped(select(P.plant_id, P.stage_code, P.obs_date, P.reached), scope)
    return [
        StageVisit(pid, stage, season_of(day), day, bool(reached))
        for pid, stage, day, reached in session.exec(query).all()
    ]


def flower_visits(session: Session, scope: Scope) -> list[FlowerVisit]:
    """Live records of the flower stages that carry an open ratio, counts or a percent."""
    query = _scoped(
        select(
            P.plant_id,
            P.obs_date,
            P.stage_code,
            P.open_ratio,
            P.percent,
            P.flowers_open,
            P.buds_unopened,
            P.flowers_withered,
        ),
        scope,
    )
    query = query.where(P.stage_code.in_(FLOWER_CHAIN))
    visits = (_visit(*row) for row in session.exec(query).all())
    return [v for v in visits if v.open_pct is not None or v.withered_pct is not None]


def _visit(
    plant_id: int,
    day: dt.date,
    stage: str,
    ratio: float | None,
    percent: float | None,
    n_open: int | None,
    n_buds: int | None,
    n_withered: int | None,
) -> FlowerVisit:
    """Open share = open / all counted (§4.4) unless ``open_ratio`` is stored; withered share =
    withered / all counted; without counts, the record's ``percent`` for its own measure."""
    total = (n_open or 0) + (n_buds or 0) + (n_withered or 0)
    if total > 0:
        opened: float | None = ratio if ratio is not None else 100.0 * (n_open or 0) / total
        withered: float | None = 100.0 * (n_withered or 0) / total
    else:
        opened = ratio if ratio is not None else _percent_of(stage, "open", percent)
        withered = _percent_of(stage, "withered", percent)
    return FlowerVisit(plant_id, season_of(day), day, stage, opened, withered)


def _percent_of(stage: str, measure: str, percent: float | None) -> float | None:
    """A record's ``percent`` stands for the measure of its own stage when it has no counts."""
    return percent if FLOWER_RATIO_MEASURES.get(stage) == measure else None


def _as_date(value: Any) -> dt.date | None:
    """MIN() over a CASE comes back as text on SQLite; as a date on PostgreSQL."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
