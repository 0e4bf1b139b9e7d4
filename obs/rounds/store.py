"""Checking one plant's entry of a round against its stored stages, and storing a whole round.

A round is stored by :func:`store_round` inside the caller's one transaction
(:func:`obs.db.session_scope`): every record goes through :func:`obs.records.create.create`, so
it is validated exactly like ``obs record phenology``, and one refusal leaves nothing stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from obs.errors import ObsError
from obs.records.create import create, stage_order_conflict
from obs.rounds.plan import RoundPlan
from schemas.rounds_text import say
from schemas.stages import STAGES_BY_CODE, chain_of
from schemas.terms import Lang


@dataclass(frozen=True)
class RoundEntry:
    """What the observer gave for one plant (values as typed, checked by the engine)."""

    tag: str
    plant_id: int
    stage_code: str
    percent: float | None = None
    flowers_open: int | None = None
    buds_unopened: int | None = None
    flowers_withered: int | None = None
    note: str = ""


class StageOrderError(ObsError):
    """A plant's entry contradicts its stored stage order (the record is named)."""


@dataclass(frozen=True)
class _PlantRef:
    id: int
    tag: str


def check_entry(session: Session, entry: RoundEntry, day: dt.date, *, lang: Lang = "zh") -> None:
    """Refuse a stage that contradicts the plant's stored stage order, naming the record."""
    plant = _PlantRef(entry.plant_id, entry.tag)
    conflict = stage_order_conflict(session, plant, entry.stage_code, day)
    if conflict is None:
        return
    (earlier, earlier_day), (later, later_day) = conflict
    other, other_day = (later, later_day) if entry.stage_code == earlier else (earlier, earlier_day)
    record_id = _record_id(session, entry.plant_id, other, other_day)
    values = {
        "plant": entry.tag,
        "stage": entry.stage_code,
        "day": day,
        "id": record_id,
        "other": other,
        "other_label": STAGES_BY_CODE[other].label(lang),
        "other_day": other_day,
    }
    chain = " → ".join(s.code for s in chain_of(entry.stage_code))
    raise StageOrderError(
        say("order", lang, **values), hint=say("order_hint", lang, chain=chain, id=record_id)
    )


def _record_id(session: Session, plant_id: int, stage: str, day: dt.date) -> int:
    from schemas.phenology_table import PhenologyObservation

    obs_c = PhenologyObservation.__table__.c  # type: ignore[attr-defined]
    query = select(obs_c.id).where(
        obs_c.plant_id == plant_id,
        obs_c.stage_code == stage,
        obs_c.obs_date == day,
        obs_c.deleted_at.is_(None),
    )
    return int(session.execute(query.order_by(obs_c.id)).scalars().first() or 0)


def prepare_store(day: dt.date) -> None:
    """Do the one-time work of a first phenology insert now (the table model's validator is
    built on first use, the ORM mappers configured), so that storing the round after the last
    answer costs only the round's own work. Nothing is written."""
    from sqlalchemy.orm import configure_mappers

    from schemas.phenology_table import PhenologyObservation

    configure_mappers()
    PhenologyObservation(plant_id=0, obs_date=day, stage_code="FLS", observer="")


def store_round(
    session: Session,
    plan: RoundPlan,
    entries: Sequence[RoundEntry],
    *,
    observer: str,
    time: dt.time | None,
    actor: str = "",
) -> list[dict[str, Any]]:
    """Create one phenology record per entry (same date, time and observer on each); the
    stored rows in round order. The caller's transaction makes it all or nothing."""
    rows = []
    for entry in entries:
        raw = {
            "plant": entry.tag,
            "obs_date": plan.day,
            "obs_time": time.strftime("%H:%M") if time else None,
            "stage_code": entry.stage_code,
            "percent": entry.percent,
            "flowers_open": entry.flowers_open,
            "buds_unopened": entry.buds_unopened,
            "flowers_withered": entry.flowers_withered,
            "observer": observer,
            "note": entry.note,
        }
        created = create("phenology", raw, session=session, actor=actor, style="column")
        rows.append(created.row)
    return rows
