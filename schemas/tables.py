"""SQLModel tables of the observation store.

Conventions:
- every record table has an integer ``id`` (what users type), a stable ``uid`` (a UUID hex used
  to push to a central server without collisions), audit columns and ``deleted_at`` (soft
  delete: nothing is ever hard-deleted);
- natural keys are partial unique indexes over rows that are not deleted, so a deleted record
  can be entered again;
- ``qc`` holds the worst QC flag of the row (9 = not checked); the flags themselves, with their
  reasons, live in ``qc_flag`` next to the raw values, which QC never changes;
- annotations are evaluated eagerly (no ``from __future__ import annotations``): pydantic would
  otherwise ``eval`` every field's type at import, which costs start-up time;
- sub-daily weather is keyed by ``ts``, the UTC instant in epoch seconds, for compact storage and
  fast aggregation over tens of millions of rows.
"""

import datetime as dt
import uuid
from typing import Any

from pydantic import ConfigDict
from sqlalchemy import JSON, BigInteger, Index, MetaData, UniqueConstraint, text
from sqlmodel import Field, SQLModel

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata = MetaData(naming_convention=NAMING_CONVENTION)

#: Rows that are not soft-deleted: the condition of every natural-key index.
LIVE_CONDITION = "deleted_at IS NULL"
_LIVE = LIVE_CONDITION


def _new_uid() -> str:
    return uuid.uuid4().hex


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def live_unique(name: str, *columns: str) -> Index:
    """A unique index over the rows that are not soft-deleted.

    Only the SQLite form of the condition is declared here: naming ``postgresql_where`` would
    make SQLAlchemy load its whole PostgreSQL dialect (~0.1 s) on every start-up.
    :func:`obs.db.make_engine` adds the PostgreSQL condition when it opens a PostgreSQL
    database; indexes carry ``info["live"]`` for that.
    """
    index = Index(name, *columns, unique=True, sqlite_where=text(_LIVE))
    index.info["live"] = True
    return index


class Record(SQLModel):
    """Columns every record table shares. Timestamps are timezone-aware UTC."""

    # building pydantic validators for every table costs ~0.2 s at start-up; tables are
    # written through SQLAlchemy, so build them only if something validates a table model
    model_config = ConfigDict(defer_build=True)  # type: ignore[assignment]

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=_new_uid, max_length=32, unique=True)
    created_at: dt.datetime = Field(default_factory=_utcnow)
    created_by: str = Field(default="", max_length=64)
    updated_at: dt.datetime | None = None
    deleted_at: dt.datetime | None = None
    qc: int = Field(default=9)
    note: str = Field(default="")


class Station(Record, table=True):
    """An agromet observation station (观测站)."""

    __tablename__ = "station"
    __table_args__ = (live_unique("uq_station_code_live", "code"),)

    code: str = Field(max_length=16)
    name: str = Field(max_length=100)
    latitude: float
    longitude: float
    elevation: float | None = None
    time_system: str = Field(default="BT", max_length=4)
    utc_offset_hours: float = Field(default=8.0)


class Plot(Record, table=True):
    """An observation plot (观测地段) of one cultivar near a station."""

    __tablename__ = "plot"
    __table_args__ = (live_unique("uq_plot_code_live", "code"),)

    code: str = Field(max_length=32)
    station_id: int = Field(foreign_key="station.id", index=True)
    cultivar: str = Field(max_length=32)
    name: str = Field(default="", max_length=100)
    plot_type: str = Field(default="0", max_length=2)
    field_level: str | None = Field(default=None, max_length=2)
    area_m2: float | None = None
    planting_year: int | None = None
    terrain: str = Field(default="")
    slope_aspect: str = Field(default="")
    soil_type: str = Field(default="")
    management: str = Field(default="")
    distance_to_station_m: float | None = None


class Plant(Record, table=True):
    """A marked plant (观测株); its cultivar is fixed for life."""

    __tablename__ = "plant"
    __table_args__ = (live_unique("uq_plant_tag_live", "tag"),)

    tag: str = Field(max_length=32)
    plot_id: int = Field(foreign_key="plot.id", index=True)
    cultivar: str = Field(max_length=32)
    planting_year: int | None = None
    position: str = Field(default="")
    map_x: float | None = None
    map_y: float | None = None


class PhenologyObservation(Record, table=True):
    """One visit of one plant for one stage (发育期观测)."""

    __tablename__ = "phenology"
    __table_args__ = (
        live_unique("uq_phenology_key_live", "plant_id", "stage_code", "obs_date"),
        Index("ix_phenology_date", "obs_date"),
    )

    plant_id: int = Field(foreign_key="plant.id", index=True)
    obs_date: dt.date
    obs_time: dt.time | None = None
    stage_code: str = Field(max_length=8)
    reached: bool = Field(default=True)
    percent: float | None = None
    flowers_open: int | None = None
    buds_unopened: int | None = None
    flowers_withered: int | None = None
    open_ratio: float | None = None
    observer: str = Field(default="", max_length=64)


class GrowthStatus(Record, table=True):
    """Growth-status assessment of a plot (生长状况评定): class 1/2/3 with its basis."""

    __tablename__ = "growth_status"
    __table_args__ = (
        live_unique("uq_growth_status_key_live", "plot_id", "obs_date", "stage_code"),
    )

    plot_id: int = Field(foreign_key="plot.id", index=True)
    obs_date: dt.date
    stage_code: str = Field(max_length=8)
    growth_class: int
    basis: str = Field(default="")
    observer: str = Field(default="", max_length=64)


class GrowthMeasurement(Record, table=True):
    """One growth quantity (生长量) measured on a marked plant; long format."""

    __tablename__ = "growth"
    __table_args__ = (live_unique("uq_growth_key_live", "plant_id", "obs_date", "item_code"),)

    plant_id: int = Field(foreign_key="plant.id", index=True)
    obs_date: dt.date
    item_code: str = Field(max_length=32)
    value: float
    unit: str = Field(default="", max_length=16)
    observer: str = Field(default="", max_length=64)


class YieldItem(Record, table=True):
    """One yield-structure item (产量结构) of a plot, or of one plant in it; long format."""

    __tablename__ = "yield_item"
    __table_args__ = (
        live_unique("uq_yield_key_live", "plot_id", "plant_id", "obs_date", "item_code"),
    )

    plot_id: int = Field(foreign_key="plot.id", index=True)
    plant_id: int | None = Field(default=None, foreign_key="plant.id")
    obs_date: dt.date
    item_code: str = Field(max_length=32)
    value: float
    unit: str = Field(default="", max_length=16)
    observer: str = Field(default="", max_length=64)


class DisasterObservation(Record, table=True):
    """An agromet disaster observed on a plot (农业气象灾害观测)."""

    __tablename__ = "disaster"
    __table_args__ = (
        live_unique("uq_disaster_key_live", "plot_id", "disaster_code", "start_date"),
    )

    plot_id: int = Field(foreign_key="plot.id", index=True)
    obs_date: dt.date
    disaster_code: str = Field(max_length=16)
    start_date: dt.date
    end_date: dt.date | None = None
    stage_code: str | None = Field(default=None, max_length=8)
    affected_organs: str = Field(default="")
    plants_affected_pct: float | None = None
    organ_damage_pct: float | None = None
    severity: int | None = None
    yield_impact: int | None = None
    yield_loss_tenths: float | None = None
    disaster_area_ha: float | None = None
    disaster_area_pct: float | None = None
    symptoms: str = Field(default="")
    countermeasures: str = Field(default="")
    observer: str = Field(default="", max_length=64)


class PestObservation(Record, table=True):
    """A disease or pest observed on a plot (病虫害观测)."""

    __tablename__ = "pest"
    __table_args__ = (live_unique("uq_pest_key_live", "plot_id", "pest_code", "obs_date"),)

    plot_id: int = Field(foreign_key="plot.id", index=True)
    obs_date: dt.date
    pest_code: str = Field(max_length=16)
    pest_kind: str = Field(default="", max_length=16)
    stage_code: str | None = Field(default=None, max_length=8)
    affected_part: str = Field(default="", max_length=16)
    incidence_pct: float | None = None
    severity_grade: int | None = None
    disease_index: float | None = None
    pest_density: float | None = None
    damage_level: int | None = None
    control_measure: str = Field(default="")
    control_date: dt.date | None = None
    efficacy: str = Field(default="")
    observer: str = Field(default="", max_length=64)


class FieldWork(Record, table=True):
    """A field-work record (田间工作) on a plot, with its quality 1–3."""

    __tablename__ = "fieldwork"
    __table_args__ = (live_unique("uq_fieldwork_key_live", "plot_id", "item_code", "start_date"),)

    plot_id: int = Field(foreign_key="plot.id", index=True)
    item_code: str = Field(max_length=32)
    start_date: dt.date
    end_date: dt.date | None = None
    quality: int | None = None
    method: str = Field(default="")
    observer: str = Field(default="", max_length=64)


class DailyWeather(Record, table=True):
    """One climatological day (ending 20:00 BT) of weather at a station (逐日气象)."""

    __tablename__ = "daily_weather"
    __table_args__ = (live_unique("uq_daily_weather_key_live", "station_id", "obs_date"),)

    station_id: int = Field(foreign_key="station.id", index=True)
    obs_date: dt.date
    t_mean: float | None = None
    t_max: float | None = None
    t_min: float | None = None
    t02: float | None = None
    t08: float | None = None
    t14: float | None = None
    t20: float | None = None
    rh_mean: float | None = None
    precip: float | None = None
    precip_20_08: float | None = None
    precip_08_20: float | None = None
    precip_08_08: float | None = None
    precip_trace: bool = Field(default=False)
    sunshine: float | None = None
    wind_mean: float | None = None
    wind_max: float | None = None
    wind_gust: float | None = None
    ground_min: float | None = None
    phenomena: str = Field(default="")
    tmean_method: str = Field(default="", max_length=8)
    source: str = Field(default="manual", max_length=16)
    observer: str = Field(default="", max_length=64)
    # days derived from sub-daily records: records found and expected (completeness), and the
    # fixed-time temperatures filled in from neighbours (comma list, e.g. "t02,t20")
    n_records: int | None = None
    n_expected: int | None = None
    interpolated: str = Field(default="")


class SubDailyWeather(SQLModel, table=True):
    """One sub-daily (hourly or 10-minute) weather record; ``ts`` is the UTC epoch second at
    the end of the interval."""

    __tablename__ = "subdaily_weather"
    __table_args__ = (UniqueConstraint("station_id", "ts", name="uq_subdaily_station_ts"),)

    id: int | None = Field(default=None, primary_key=True)
    station_id: int = Field(foreign_key="station.id")
    ts: int = Field(sa_type=BigInteger)
    t: float | None = None
    rh: float | None = None
    precip: float | None = None
    precip_trace: bool = Field(default=False)
    wind_speed: float | None = None
    wind_dir: float | None = None
    wind_gust: float | None = None
    sunshine: float | None = None
    ground_t: float | None = None
    qc: int = Field(default=9)
    import_id: int | None = Field(default=None, foreign_key="import_batch.id")
    deleted_at: dt.datetime | None = None


class QCFlag(SQLModel, table=True):
    """A QC finding next to a raw value: which check, which flag, and why."""

    __tablename__ = "qc_flag"
    __table_args__ = (Index("ix_qc_flag_record", "kind", "record_id"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    record_id: int
    element: str = Field(max_length=32)
    check_name: str = Field(max_length=48)
    flag: int
    reason: str = Field(default="")
    run_at: dt.datetime = Field(default_factory=_utcnow)


class History(SQLModel, table=True):
    """One change to a record: the state before it, what changed, who, when and why."""

    __tablename__ = "history"
    __table_args__ = (Index("ix_history_record", "kind", "record_id"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    record_id: int
    record_uid: str = Field(default="", max_length=32)
    action: str = Field(max_length=16)
    before: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    changes: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    reason: str = Field(default="")
    actor: str = Field(default="", max_length=64)
    at: dt.datetime = Field(default_factory=_utcnow)


class ImportBatch(SQLModel, table=True):
    """One run of ``obs import``: the file, what happened to its rows, and whether it ended."""

    __tablename__ = "import_batch"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    file_name: str
    file_sha256: str = Field(max_length=64, index=True)
    station_id: int | None = Field(default=None, foreign_key="station.id")
    started_at: dt.datetime = Field(default_factory=_utcnow)
    finished_at: dt.datetime | None = None
    status: str = Field(default="running", max_length=16)
    rows_read: int = 0
    stored: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: int = 0
    actor: str = Field(default="", max_length=64)
