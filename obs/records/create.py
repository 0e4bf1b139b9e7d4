"""Recording and listing services: every kind goes through the same path.

``create`` validates (see :mod:`obs.records.entry`), resolves codes to ids, applies the rules
that need stored data (duplicates, a plant's stage order) and inserts. Callers run it inside
:func:`obs.db.session_scope`, so a refusal leaves the database exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from obs.errors import DuplicateError, InvalidValueError
from obs.lookup import TABLES, kind_of, live_ref, row_of
from obs.records.entry import Coerced, coerce
from obs.records.parse import today_bt
from obs.seasons import season_bounds, season_label, season_of
from schemas.kinds import Kind
from schemas.stages import STAGES_BY_CODE, chain_of


@dataclass
class Created:
    """A stored record (as its listing row) and the warnings raised on the way."""

    row: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


def _autoflush(session: Session) -> None:
    """Flush pending changes as an ORM query would before the Core queries that follow."""
    if session.autoflush:
        session.flush()


def create(
    kind_name: str,
    raw: Mapping[str, object],
    *,
    session: Session,
    actor: str = "",
    today: dt.date | None = None,
    style: str = "option",
) -> Created:
    """Validate and insert one record of ``kind_name`` from raw values."""
    kind = kind_of(kind_name)
    checked = coerce(kind, raw, today=today or today_bt(), style=style)
    _autoflush(session)
    refs = {
        name: live_ref(session, kind.field(name).ref or name, code)
        for name, code in checked.refs.items()
    }
    for name, row in refs.items():
        checked.values[f"{name}_id"] = row.id
    _DB_RULES.get(kind.name, _no_db_rule)(session, checked, refs)
    _refuse_duplicate(session, kind, checked.values)
    table: Any = TABLES[kind.name]
    record = table(**checked.values, created_by=actor)
    session.add(record)
    session.flush()
    return Created(row=row_of(session, kind, record, known=refs), warnings=checked.warnings)


def _refuse_duplicate(session: Session, kind: Kind, values: Mapping[str, Any]) -> None:
    c = TABLES[kind.name].__table__.c
    key = [kind.field(k).target for k in kind.key]
    conditions = [
        c[name] == values.get(name) if values.get(name) is not None else c[name].is_(None)
        for name in key
    ]
    existing = session.execute(select(c.id).where(*conditions, c.deleted_at.is_(None))).first()
    if existing is not None:
        shown = ", ".join(
            f"{k}={values.get(kind.field(k).target)}"
            for k in kind.key
            if kind.field(k).type != "ref"
        )
        raise DuplicateError(
            f"a {kind.name} record with {shown or 'this key'} exists already (id {existing.id})",
            hint=f"to correct it: obs amend {kind.name} {existing.id} --set FIELD=VALUE "
            "--reason TEXT",
        )


def _no_db_rule(session: Session, checked: Coerced, refs: Mapping[str, Any]) -> None:
    return None


def _plant_rule(session: Session, checked: Coerced, refs: Mapping[str, Any]) -> None:
    plot = refs["plot"]
    cultivar = checked.values.setdefault("cultivar", plot.cultivar)
    if cultivar != plot.cultivar:
        checked.warnings.append(
            f"plant cultivar {cultivar} differs from plot {plot.code}'s "
            f"{plot.cultivar}; stage dates are derived per cultivar"
        )


def _phenology_rule(session: Session, checked: Coerced, refs: Mapping[str, Any]) -> None:
    values = checked.values
    _window_warning(values["stage_code"], values["obs_date"], checked.warnings)
    if values.get("reached", True):
        check_stage_order(session, refs["plant"], values["stage_code"], values["obs_date"])
    else:
        _reached_before_warning(session, refs["plant"], values, checked.warnings)


def _reached_before_warning(
    session: Session, plant: Any, values: Mapping[str, Any], warnings: list[str]
) -> None:
    """A "not reached" visit after the plant reached the stage this season (spec §11.2)."""
    day, stage = values["obs_date"], values["stage_code"]
    first, _ = season_bounds(season_of(day))
    P = _phenology_columns()
    earlier = session.exec(
        select(func.min(P.obs_date)).where(
            P.plant_id == plant.id,
            P.stage_code == stage,
            P.reached.is_(True),
            P.deleted_at.is_(None),
            P.obs_date.between(first, day),
        )
    ).first()
    if earlier is not None:
        warnings.append(
            f"plant {plant.tag} reached {stage} on {earlier}; recorded as not "
            "reached now; stored (say in --note if this corrects that record)"
        )


def _weather_rule(session: Session, checked: Coerced, refs: Mapping[str, Any]) -> None:
    """Sunshine longer than the day at the station's latitude: a warning (QC flags it too)."""
    sunshine = checked.values.get("sunshine")
    if sunshine is None:
        return
    from obs.qc.daylength import day_length_hours
    from obs.qc.settings import configured_rules

    station, day = refs["station"], checked.values["obs_date"]
    length = float(day_length_hours(station.latitude, day.timetuple().tm_yday))
    if sunshine > length + configured_rules().sunshine_tolerance:
        checked.warnings.append(
            f"--sunshine {sunshine:g} exceeds the day length {length:.1f} h "
            f"at {station.code} on {day}; stored"
        )


def _window_warning(stage_code: str, day: dt.date, warnings: list[str]) -> None:
    window = STAGES_BY_CODE[stage_code].window
    if window is None:
        return
    start, end = window
    md = (day.month, day.day)
    inside = start <= md <= end if start <= end else (md >= start or md <= end)
    if not inside:
        warnings.append(
            f"{stage_code} on {day} is outside its usual window "
            f"{start[0]:02d}-{start[1]:02d}…{end[0]:02d}-{end[1]:02d}; stored"
        )


def check_stage_order(
    session: Session, plant: Any, stage_code: str, day: dt.date, *, exclude_id: int | None = None
) -> None:
    """Refuse a stage date that makes the plant's stages run backwards within the season."""
    chain = [s.code for s in chain_of(stage_code)]
    if not chain:
        return
    first, last = season_bounds(season_of(day))
    _autoflush(session)
    P = _phenology_columns()
    query = (
        select(P.stage_code, func.min(P.obs_date))
        .where(
            P.plant_id == plant.id,
            P.deleted_at.is_(None),
            P.reached.is_(True),
            P.stage_code.in_(chain),
            P.obs_date.between(first, last),
        )
        .group_by(P.stage_code)
    )
    if exclude_id is not None:
        query = query.where(P.id != exclude_id)
    firsts: dict[str, dt.date] = dict(session.exec(query).all())
    firsts[stage_code] = min(firsts.get(stage_code, day), day)
    present = [c for c in chain if c in firsts]
    for earlier, later in itertools.pairwise(present):
        if firsts[earlier] > firsts[later]:
            e, lt = STAGES_BY_CODE[earlier], STAGES_BY_CODE[later]
            raise InvalidValueError(
                "--stage",
                f"{stage_code} on {day}",
                f"contradicts plant {plant.tag}'s stage order in season "
                f"{season_label(season_of(day))}: {lt.code} ({lt.zh}) on {firsts[later]} "
                f"comes before {e.code} ({e.zh}) on {firsts[earlier]}",
                hint="stages follow " + " → ".join(chain) + "; correct the wrong record "
                "with: obs amend phenology ID --set obs_date=… --reason …",
            )


def _phenology_columns() -> Any:
    """The phenology table's columns, for Core queries (no ORM mapper configuration)."""
    from schemas.phenology_table import PhenologyObservation

    return PhenologyObservation.__table__.c  # type: ignore[attr-defined]


_DB_RULES = {"plant": _plant_rule, "phenology": _phenology_rule, "weather": _weather_rule}
