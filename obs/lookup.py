"""Kinds and their tables, and codes resolved to rows: what every wing looks up.

``TABLES`` maps a kind name to its table class (declared on first look-up), :func:`kind_of`
names a kind, :func:`resolve_ref` finds the live station, plot or plant with a code or tag,
and :func:`row_of` turns a stored record into the flat dict that listings print.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from typing import Any

from sqlmodel import Session, SQLModel, select

from obs.errors import NotFoundError
from schemas.kinds import KINDS, Kind

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
REF_COLUMN = {"station": "code", "plot": "code", "plant": "tag"}


def kind_of(name: str) -> Kind:
    """The kind called ``name``, or a NotFoundError listing the kinds."""
    if name not in KINDS:
        raise NotFoundError(f"unknown record kind {name!r}", hint="one of " + ", ".join(KINDS))
    return KINDS[name]


def resolve_ref(session: Session, ref: str, code: str) -> Any:
    """The live row of kind ``ref`` (station, plot, plant) with this code or tag."""
    table = TABLES[ref]
    column = getattr(table, REF_COLUMN[ref])
    row = session.exec(select(table).where(column == code, table.deleted_at.is_(None))).first()
    return _found(row, ref, code)


def live_ref(session: Session, ref: str, code: str) -> Any:
    """Like :func:`resolve_ref`, but a read-only row fetched through SQLAlchemy Core: recording
    then configures no ORM mapper before its insert (that costs start-up time)."""
    c = TABLES[ref].__table__.c
    query = select(TABLES[ref].__table__).where(c[REF_COLUMN[ref]] == code, c.deleted_at.is_(None))
    return _found(session.execute(query).first(), ref, code)


def _found(row: Any, ref: str, code: str) -> Any:
    if row is None:
        raise NotFoundError(
            f"no {ref} {code!r}",
            hint=f"list them with: obs {ref} list   (add one with: obs {ref} add)",
        )
    return row


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
            value = getattr(ref_row, REF_COLUMN[ref])
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
