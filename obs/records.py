"""Recording and listing services: every kind goes through the same path.

``create`` validates (see :mod:`obs.entry`), resolves codes to ids, applies the rules that need
stored data (duplicates, a plant's stage order) and inserts. Callers run it inside
:func:`obs.db.session_scope`, so a refusal leaves the database exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import importlib
import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

from obs.entry import Coerced, coerce
from obs.errors import DuplicateError, InvalidValueError, NotFoundError
from obs.parse import today_bt
from obs.seasons import season_bounds, season_label, season_of
from schemas.kinds import KINDS, Kind
from schemas.stages import STAGES_BY_CODE, chain_of

#: The module and class of each kind's table; a table is declared when first looked up.
_TABLE_OF_KIND = {
    "station": ("site_tables", "Station"),
    "plot": ("site_tables", "Plot"),
    "plant": ("site_tables", "Plant"),
    "phenology": ("phenology_table", "PhenologyObservation"),
    "status": ("observation_tables", "GrowthStatus"),
    "growth": ("observation_tables", "GrowthMeasurement"),
    "yield": ("observation_tables", "YieldItem"),
    "disaster": ("observation_tables", "DisasterObservation"),
    "pest": ("observation_tables", "PestObservation"),
    "fieldwork": ("observation_tables", "FieldWork"),
    "weather": ("weather_tables", "DailyWeather"),
}


class _Tables(Mapping[str, type[Any]]):
    """Kind name -> table class, importing a table's module only when the kind is looked up
    (declaring all fifteen tables costs ~0.1 s at start-up)."""

    def __getitem__(self, kind: str) -> type[Any]:
        module, name = _TABLE_OF_KIND[kind]
        table: type[Any] = getattr(importlib.import_module(f"schemas.{module}"), name)
        return table

    def __iter__(self) -> Iterator[str]:
        return iter(_TABLE_OF_KIND)

    def __len__(self) -> int:
        return len(_TABLE_OF_KIND)


TABLES: Mapping[str, type[Any]] = _Tables()
_REF_COLUMN = {"station": "code", "plot": "code", "plant": "tag"}


@dataclass
class Created:
    """A stored record (as its listing row) and the warnings raised on the way."""

    row: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


def kind_of(name: str) -> Kind:
    """The kind called ``name``, or a NotFoundError listing the kinds."""
    if name not in KINDS:
        raise NotFoundError(f"unknown record kind {name!r}", hint="one of " + ", ".join(KINDS))
    return KINDS[name]


def resolve_ref(session: Session, ref: str, code: str) -> Any:
    """The live row of kind ``ref`` (station, plot, plant) with this code or tag."""
    table = TABLES[ref]
    column = getattr(table, _REF_COLUMN[ref])
    row = session.exec(select(table).where(column == code, table.deleted_at.is_(None))).first()
    return _found(row, ref, code)


def _live_ref(session: Session, ref: str, code: str) -> Any:
    """Like :func:`resolve_ref`, but a read-only row fetched through SQLAlchemy Core: recording
    then configures no ORM mapper before its insert (that costs start-up time)."""
    c = TABLES[ref].__table__.c
    query = select(TABLES[ref].__table__).where(c[_REF_COLUMN[ref]] == code, c.deleted_at.is_(None))
    return _found(session.execute(query).first(), ref, code)


def _autoflush(session: Session) -> None:
    """Flush pending changes as an ORM query would before the Core queries that follow."""
    if session.autoflush:
        session.flush()


def _found(row: Any, ref: str, code: str) -> Any:
    if row is None:
        raise NotFoundError(
            f"no {ref} {code!r}",
            hint=f"list them with: obs {ref} list   (add one with: obs {ref} add)",
        )
    return row


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
        name: _live_ref(session, kind.field(name).ref or name, code)
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

    station, day = refs["station"], checked.values["obs_date"]
    length = float(day_length_hours(station.latitude, day.timetuple().tm_yday))
    if sunshine > length + SUNSHINE_SLACK_H:
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
#: Sunshine may exceed the astronomical day length by this much before a warning [h].
SUNSHINE_SLACK_H = 0.1


# --- listing --------------------------------------------------------------------------------


def column_values(record: SQLModel) -> dict[str, Any]:
    """The record's column values, read straight from the mapped table (no pydantic
    serialisation, whose schema build costs start-up time)."""
    return {c.key: getattr(record, c.key) for c in record.__table__.columns}  # type: ignore[attr-defined]


def row_of(
    session: Session, kind: Kind, record: SQLModel, *, known: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """One record as the flat dict listings print (refs shown by code); ``known`` holds rows
    of its references already at hand, by field name (the others are looked up)."""
    data = column_values(record)
    out: dict[str, Any] = {"id": data["id"]}
    for spec in kind.fields:
        value = data.get(spec.target)
        if spec.type == "ref" and value is not None:
            ref = spec.ref or spec.name
            ref_row = (known or {}).get(spec.name) or session.get(TABLES[ref], value)
            value = getattr(ref_row, _REF_COLUMN[ref])
        out[spec.name] = value
    for name in kind.extra_columns:
        out[name] = data.get(name)
    out.update(
        qc=data.get("qc"),
        created_by=data.get("created_by"),
        created_at=data.get("created_at"),
        deleted_at=data.get("deleted_at"),
    )
    return out
