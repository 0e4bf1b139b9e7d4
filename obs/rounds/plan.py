"""The plan of a round (观测巡视): a plot's live marked plants in tag order, each with its last
observation and the stage expected next.

Pure data out of the database: nothing is prompted or printed here (``cli/commands/visit.py``
asks, :mod:`obs.rounds.store` stores).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from obs.errors import NotFoundError, ObsError
from obs.lookup import live_ref
from obs.seasons import season_of
from schemas.frequency import FLOWER_COUNT_STAGES
from schemas.rounds_text import say
from schemas.site_tables import Plant
from schemas.stages import STAGES, STAGES_BY_CODE, chain_of
from schemas.terms import Lang


@dataclass(frozen=True)
class LastObservation:
    """A plant's latest phenology record on or before the round's day."""

    id: int
    obs_date: dt.date
    stage_code: str
    percent: float | None
    flowers_open: int | None
    buds_unopened: int | None
    flowers_withered: int | None
    open_ratio: float | None


@dataclass(frozen=True)
class PlantStep:
    """One plant of a round."""

    plant_id: int
    tag: str
    last: LastObservation | None
    expected_stage: str | None


@dataclass(frozen=True)
class RoundPlan:
    """The round over one plot on one day."""

    plot: str
    plot_id: int
    day: dt.date
    steps: tuple[PlantStep, ...]


def plan_round(session: Session, plot_code: str, day: dt.date, *, lang: Lang = "zh") -> RoundPlan:
    """The plot's live plants in tag order with their last observation and expected stage."""
    plot = plot_named(session, plot_code, lang=lang)
    plants = live_plants(session, [plot.id])
    if not plants:
        raise ObsError(
            say("no_plants", lang, plot=plot.code), hint=say("no_plants_hint", lang, plot=plot.code)
        )
    last = last_observations(session, [p.id for p in plants], day)
    steps = tuple(
        PlantStep(p.id, p.tag, last.get(p.id), expected_stage(last.get(p.id), day)) for p in plants
    )
    return RoundPlan(plot.code, plot.id, day, steps)


def plot_named(session: Session, plot_code: str, *, lang: Lang = "zh") -> Any:
    """The live plot with this code (a NotFoundError in ``lang`` when there is none)."""
    try:
        return live_ref(session, "plot", plot_code)
    except NotFoundError:
        raise NotFoundError(
            say("no_plot", lang, plot=plot_code), hint=say("no_plot_hint", lang)
        ) from None


def live_plants(session: Session, plot_ids: list[int]) -> list[Any]:
    """The live plants of the plots (id, tag, plot_id), in plot then natural tag order."""
    P = Plant.__table__.c  # type: ignore[attr-defined]
    rows = session.execute(
        select(P.id, P.tag, P.plot_id).where(P.plot_id.in_(plot_ids), P.deleted_at.is_(None))
    ).all()
    return sorted(rows, key=lambda r: (r.plot_id, tag_key(r.tag)))


def tag_key(tag: str) -> tuple[Any, ...]:
    """Natural order of tags: A-2 before A-10."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", tag))


def last_observations(
    session: Session, plant_ids: list[int], day: dt.date
) -> dict[int, LastObservation]:
    """Each plant's latest live phenology record on or before ``day`` (a later stage wins on
    the same day): the latest day per plant, then that day's records, in two indexed steps."""
    from sqlalchemy import and_, func

    from schemas.phenology_table import PhenologyObservation

    obs_c = PhenologyObservation.__table__.c  # type: ignore[attr-defined]
    live = (obs_c.deleted_at.is_(None), obs_c.reached.is_(True))
    latest = (
        select(obs_c.plant_id.label("pid"), func.max(obs_c.obs_date).label("day"))
        .where(obs_c.plant_id.in_(plant_ids), obs_c.obs_date <= day, *live)
        .group_by(obs_c.plant_id)
        .subquery()
    )
    query = select(
        obs_c.plant_id,
        obs_c.id,
        obs_c.obs_date,
        obs_c.stage_code,
        obs_c.percent,
        obs_c.flowers_open,
        obs_c.buds_unopened,
        obs_c.flowers_withered,
        obs_c.open_ratio,
    ).join(latest, and_(obs_c.plant_id == latest.c.pid, obs_c.obs_date == latest.c.day))
    out: dict[int, LastObservation] = {}
    rows = session.execute(query.where(*live)).all()
    for row in sorted(rows, key=lambda r: (_order(r.stage_code), r.id)):
        out[row.plant_id] = LastObservation(*row[1:])
    return out


def _order(code: str) -> int:
    stage = STAGES_BY_CODE.get(code)
    return stage.order if stage else 0


def expected_stage(last: LastObservation | None, day: dt.date) -> str | None:
    """The stage expected next: the one after the last stage in its chain; with no
    observation in ``day``'s season, the first main stage whose usual window holds ``day``."""
    if last is not None and season_of(last.obs_date) == season_of(day):
        chain = [s.code for s in chain_of(last.stage_code)]
        if last.stage_code in chain and chain.index(last.stage_code) + 1 < len(chain):
            return chain[chain.index(last.stage_code) + 1]
        return None
    md = (day.month, day.day)
    for stage in STAGES:
        if stage.optional or not stage.observed or stage.chain is None or stage.window is None:
            continue
        start, end = stage.window
        if (start <= md <= end) if start <= end else (md >= start or md <= end):
            return stage.code
    return None


def uses_counts(stage_code: str) -> bool:
    """True when a visit asks the flower counts for the stage (else its percent)."""
    return stage_code in FLOWER_COUNT_STAGES
