"""The plot and plant observation tables other than phenology: growth status, growth,
yield, disasters, pests and field work (see :mod:`schemas.table_base`)."""

import datetime as dt

from sqlmodel import Field

import schemas.site_tables  # noqa: F401  (declares plot and plant, which these refer to)
from schemas.table_base import Record, live_unique


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
