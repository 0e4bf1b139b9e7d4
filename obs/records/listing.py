"""Listing services: the stored records of a kind, narrowed by station, plot, plant, season
or year, as flat dicts (references shown by code)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from obs.errors import UsageError
from obs.lookup import TABLES, kind_of, resolve_ref, row_of
from obs.seasons import season_bounds, year_bounds
from schemas.kinds import Kind
from schemas.site_tables import Plant, Plot


@dataclass(frozen=True)
class Filters:
    """What ``obs list`` narrows by; all optional."""

    station: str | None = None
    plot: str | None = None
    plant: str | None = None
    season: int | None = None
    year: int | None = None
    include_deleted: bool = False


def list_records(
    kind_name: str, filters: Filters = Filters(), *, session: Session
) -> list[dict[str, Any]]:
    """The records of a kind, oldest first, as flat dicts."""
    kind = kind_of(kind_name)
    table = TABLES[kind.name]
    query = select(table)
    if not filters.include_deleted:
        query = query.where(table.deleted_at.is_(None))
    query = _narrow(query, kind, table, filters, session)
    date_col = getattr(table, kind.date_field)
    records = session.exec(query.order_by(date_col, table.id)).all()
    return [row_of(session, kind, r) for r in records]


def _narrow(query: Any, kind: Kind, table: Any, f: Filters, session: Session) -> Any:
    _refuse_filters(kind, f)
    bounds = _period(f)
    if bounds is not None:
        query = query.where(getattr(table, kind.date_field).between(*bounds))
    if f.plant:
        plant_id = resolve_ref(session, "plant", f.plant).id
        query = query.where((table.id if kind.name == "plant" else table.plant_id) == plant_id)
    needs_plot = f.plot or (f.station and kind.name != "station" and kind.scope != "station")
    if not needs_plot:
        if f.station:
            column = table.id if kind.name == "station" else table.station_id
            query = query.where(column == _station_id(session, f))
        return query
    query, plot_col = _with_plot_column(query, kind, table)
    if f.plot:
        query = query.where(plot_col == resolve_ref(session, "plot", f.plot).id)
    if f.station:
        station_id = _station_id(session, f)
        if kind.name == "plot":
            return query.where(table.station_id == station_id)
        query = query.join(Plot, Plot.id == plot_col)
        query = query.where(Plot.station_id == station_id)
    return query


def _station_id(session: Session, f: Filters) -> int:
    return int(resolve_ref(session, "station", f.station or "").id)


def _with_plot_column(query: Any, kind: Kind, table: Any) -> tuple[Any, Any]:
    """The query (joined as needed) and the expression of the record's plot id."""
    if kind.name == "plot":
        return query, table.id
    if kind.name == "plant" or kind.scope == "plot":
        return query, table.plot_id
    return query.join(Plant, Plant.id == table.plant_id), Plant.plot_id


def _refuse_filters(kind: Kind, f: Filters) -> None:
    if f.season is not None and f.year is not None:
        raise UsageError("give --season or --year, not both")
    if f.plant and not (kind.name in ("plant", "yield") or kind.scope == "plant"):
        raise UsageError(
            f"--plant does not apply to {kind.name} records",
            hint="plant records are phenology, growth and yield",
        )
    if f.plot and not (kind.name in ("plot", "plant") or kind.scope in ("plot", "plant")):
        raise UsageError(
            f"--plot does not apply to {kind.name} records",
            hint="narrow station and weather records with --station",
        )


def columns_of(kind_name: str) -> list[str]:
    """The keys of a listing row of ``kind_name``, in order (also for an empty listing)."""
    kind = kind_of(kind_name)
    return [
        "id",
        *(s.name for s in kind.fields),
        *kind.extra_columns,
        "qc",
        "created_by",
        "created_at",
        "deleted_at",
    ]


def _period(f: Filters) -> tuple[dt.date, dt.date] | None:
    if f.season is not None:
        return season_bounds(f.season)
    if f.year is not None:
        return year_bounds(f.year)
    return None
