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

from obs.clock import today_bt
from obs.errors import DuplicateError, InvalidValueError
from obs.lookup import TABLES, kind_of, live_ref, row_of
from obs.records.entry import Coerced, coerce
from obs.seasons import season_bounds, season_label, season_of
from schemas.kinds import Kind
from schemas.qc import ERROR
from schemas.qc_rules import DEFAULT_QC_RULES
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
    check_contradictions(session, refs["plant"], values, checked.warnings)


def check_contradictions(
    session: Session,
    plant: Any,
    values: Mapping[str, Any],
    warnings: list[str],
    *,
    exclude_id: int | None = None,
) -> None:
    """The phenology QC checks of ``ENTRY_CHECKS`` on the new record and the plant's season:
    what it adds as an error is refused, as a suspect is a warning (as ``obs validate`` flags
    it). The record checks run on the new record alone when it has a measure; the relation
    checks when a stored record of a related stage exists (otherwise pandas is not loaded).
    ``exclude_id``: the stored record being amended (its new values are ``values``)."""
    first, last = season_bounds(season_of(values["obs_date"]))
    P = _phenology_columns()
    columns = [P.id, P.plant_id, P.obs_date, P.stage_code, P.reached, P.percent]
    columns += [P[c] for c in _MEASURES]
    related = {values["stage_code"], *_RELATED.get(values["stage_code"], ())}
    reached = bool(values.get("reached", True))
    stored: list[tuple[Any, ...]] = []
    if reached:
        stored = [
            tuple(r)
            for r in session.execute(
                select(*columns).where(
                    P.plant_id == plant.id,
                    P.deleted_at.is_(None),
                    P.obs_date.between(first, last),
                    P.stage_code.in_(related),
                    P.reached.is_(True),
                    P.id != (exclude_id if exclude_id is not None else 0),
                )
            ).all()
        ]
    measured = any(values.get(c) is not None for c in ("percent", *_MEASURES))
    if not measured and not stored:
        return
    names = [c.name for c in columns]
    new = {n: values.get(n) for n in names} | {"plant_id": plant.id, "reached": reached}
    for row in _entry_findings(stored, new, names, measured=measured):
        where = "" if row["record_id"] < 0 else f" (on record #{row['record_id']})"
        if row["flag"] == ERROR:
            raise InvalidValueError(
                "--stage",
                f"{values['stage_code']} on {values['obs_date']}",
                f"contradicts plant {plant.tag}'s records: {row['reason']}{where}",
                hint="record the stage the counts show, or correct the wrong record with: "
                "obs amend phenology ID --set FIELD=VALUE --reason TEXT",
            )
        warnings.append(f"plant {plant.tag}: {row['reason']}{where}; stored")


def _entry_findings(
    stored: list[tuple[Any, ...]], new: dict[str, Any], names: list[str], *, measured: bool
) -> list[dict[str, Any]]:
    """Findings the new record brings: the record checks on it alone, and the relation checks'
    findings on it or naming it (the stored rows of related stages with it)."""
    import pandas as pd

    from obs.qc import run_checks
    from obs.qc.phenology_checks import NEW_RECORD_ID, RECORD_CHECKS, RELATION_CHECKS, record_ref

    new["id"] = NEW_RECORD_ID
    alone = pd.DataFrame([new], columns=names)
    parts = []
    if measured:
        parts.append(run_checks("phenology", alone, DEFAULT_QC_RULES, only=RECORD_CHECKS))
    stage = new["stage_code"]
    same = any(row[names.index("stage_code")] == stage for row in stored)
    others = any(row[names.index("stage_code")] != stage for row in stored)
    relations = [c for c, wanted in zip(RELATION_CHECKS, (others, same), strict=True) if wanted]
    if relations:
        frame = pd.concat([pd.DataFrame(stored, columns=names), alone], ignore_index=True)
        found = run_checks("phenology", frame, DEFAULT_QC_RULES, only=relations)
        mine = (found["record_id"] == NEW_RECORD_ID) | found["reason"].str.contains(
            record_ref(NEW_RECORD_ID), regex=False
        )
        parts.append(found[mine])
    rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    return rows.to_dict("records")  # type: ignore[no-any-return]


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
    conflict = stage_order_conflict(session, plant, stage_code, day, exclude_id=exclude_id)
    if conflict is None:
        return
    (earlier, earlier_day), (later, later_day) = conflict
    e, lt = STAGES_BY_CODE[earlier], STAGES_BY_CODE[later]
    raise InvalidValueError(
        "--stage",
        f"{stage_code} on {day}",
        f"contradicts plant {plant.tag}'s stage order in season "
        f"{season_label(season_of(day))}: {lt.code} ({lt.zh}) on {later_day} "
        f"comes before {e.code} ({e.zh}) on {earlier_day}",
        hint="stages follow "
        + " → ".join(s.code for s in chain_of(stage_code))
        + "; correct the wrong record with: obs amend phenology ID --set obs_date=… --reason …",
    )


def stage_order_conflict(
    session: Session, plant: Any, stage_code: str, day: dt.date, *, exclude_id: int | None = None
) -> tuple[tuple[str, dt.date], tuple[str, dt.date]] | None:
    """The first pair (earlier stage, its first date), (later stage, its first date) of the
    plant's chain that runs backwards once ``stage_code`` on ``day`` is added; None if none."""
    chain = [s.code for s in chain_of(stage_code)]
    if not chain:
        return None
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
            return (earlier, firsts[earlier]), (later, firsts[later])
    return None


def _phenology_columns() -> Any:
    """The phenology table's columns, for Core queries (no ORM mapper configuration)."""
    from schemas.phenology_table import PhenologyObservation

    return PhenologyObservation.__table__.c  # type: ignore[attr-defined]


#: Measure columns of a phenology record besides ``percent``.
_MEASURES = ("flowers_open", "buds_unopened", "flowers_withered", "open_ratio")
#: Stages whose records the closing-stage QC rules relate to each stage's records.
_RELATED: dict[str, tuple[str, ...]] = {}
for _stage, _closing, _ in DEFAULT_QC_RULES.closing_stages:
    _RELATED[_stage] = (*_RELATED.get(_stage, ()), _closing)
    _RELATED[_closing] = (*_RELATED.get(_closing, ()), _stage)
_DB_RULES = {"plant": _plant_rule, "phenology": _phenology_rule, "weather": _weather_rule}
